// Test helpers: temporary source trees, builds, and the seed article.
import {mkdtemp, mkdir, readFile, readdir, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {dirname, join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'
import {build, type BuildResult} from '../pipeline/build.js'
import {loadBase} from '../pipeline/knowledge/base.js'
import {createKnowledge, type Knowledge} from '../pipeline/knowledge/index.js'
import {parseCameo, parseEventLexicon} from '../pipeline/knowledge/events.js'
import {parseLexicon, parseRegistry} from '../pipeline/knowledge/registry.js'
import {formatMessage} from '../pipeline/message.js'
import {readSource} from '../pipeline/read.js'

/** Root of the project. */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..')
/** The shared folder beside the project (corpora, vendored schemas). */
export const shared = join(root, '..', 'shared')
/** Path of the seed article in source/. */
export const seedPath = join(root, 'source', 'articles', '2003-08-20-mounting-multilateral-pressure-on-pyongyang.md')

/** A minimal valid article, with `extra` frontmatter lines and `body`. */
export function article(options: {frontmatter?: string; body?: string; omit?: string[]} = {}): string {
  const fields: Record<string, string> = {
    title: 'title: A test article',
    url: 'url: https://example.org/a-test-article',
    datePublished: 'datePublished: "2020-02-03T10:00:00+01:00"',
    description: 'description: What the test article is about.',
    language: 'language: en',
    author: 'author:\n  name: Ada Reporter',
    publisher: 'publisher:\n  name: Example News'
  }
  for (const key of options.omit ?? []) delete fields[key]
  const lines = [...Object.values(fields), ...(options.frontmatter ? [options.frontmatter] : [])]
  return `---\n${lines.join('\n')}\n---\n\n${options.body ?? 'The ministry said on Monday that talks would resume.\n'}`
}

/** Make a temporary directory, inside the run's folder (test/global-setup.ts) that is removed when the run ends. */
export async function temporaryDirectory(prefix = 'newsgraph-'): Promise<string> {
  return mkdtemp(join(process.env.NEWSGRAPH_TEST_TMP ?? tmpdir(), prefix))
}

/** Write `files` (relative path → contents) into a new temporary source directory. */
export async function sourceTree(files: Record<string, string>): Promise<string> {
  const dir = await temporaryDirectory()
  const source = join(dir, 'source')
  await mkdir(source, {recursive: true})
  for (const [path, contents] of Object.entries(files)) {
    await mkdir(dirname(join(source, path)), {recursive: true})
    await writeFile(join(source, path), contents)
  }
  return source
}

/** Build a temporary source tree; returns the result, the output dir and the formatted messages. */
export async function buildTree(
  files: Record<string, string>,
  options: {strict?: boolean; baseUrl?: string} = {}
): Promise<{result: BuildResult; out: string; source: string; messages: string[]}> {
  const source = await sourceTree({'site.yaml': 'title: Test\nbaseUrl: https://example.org/news/\n', ...files})
  const out = join(dirname(source), 'dist')
  const result = await build({source, out, cwd: dirname(source), ...options})
  return {result, out, source, messages: messagesOf(result, source)}
}

/** Messages of a build, with paths relative to `source`. */
export function messagesOf(result: BuildResult, source: string): string[] {
  return result.files.flatMap((file) => file.messages.map((message) => formatMessage(message, source)))
}

/** Read every file under `dir` into a map (relative path → contents). */
export async function readTree(dir: string): Promise<Map<string, string>> {
  const entries = await readdir(dir, {recursive: true, withFileTypes: true})
  const files = new Map<string, string>()
  for (const entry of entries.filter((item) => item.isFile()).sort((a, b) => (join(a.parentPath, a.name) < join(b.parentPath, b.name) ? -1 : 1))) {
    const path = join(entry.parentPath, entry.name)
    files.set(relative(dir, path), await readFile(path, 'utf8'))
  }
  return files
}

let knowledge: Knowledge | undefined

/** The knowledge `make build` uses: the data packages with source/entities.yaml, cameo.yaml and lexicons/. */
export async function sourceKnowledge(): Promise<Knowledge> {
  if (!knowledge) {
    const registry = parseRegistry(await readSource(join(root, 'source', 'entities.yaml')))
    const lexicon = parseLexicon(await readSource(join(root, 'source', 'lexicons', 'names.yaml')))
    const cameo = parseCameo(await readSource(join(root, 'source', 'cameo.yaml')))
    const events = cameo ? parseEventLexicon(await readSource(join(root, 'source', 'lexicons', 'events.yaml')), cameo) : undefined
    if (!registry || !lexicon || !cameo || !events) throw new Error('A file of source/ (entities.yaml, cameo.yaml, lexicons/) is invalid')
    knowledge = createKnowledge(registry, lexicon, cameo, events, await loadBase())
  }
  return knowledge
}
