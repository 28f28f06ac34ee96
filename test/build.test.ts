// The build as a whole: the CLI, determinism, atomic writes, and the committed dist/.
import {execFile} from 'node:child_process'
import {mkdir, readFile, rm, writeFile} from 'node:fs/promises'
import {dirname, join, relative} from 'node:path'
import {promisify} from 'node:util'
import {describe, expect, it} from 'vitest'
import {build} from '../pipeline/build.js'
import {listArticles} from '../pipeline/read.js'
import {article, buildTree, readTree, root, sourceTree, temporaryDirectory} from './helpers.js'

const run = promisify(execFile)
const cli = join(root, 'bin', 'newsgraph.js')

/** Run the compiled CLI; resolves with its exit code and output. */
async function newsgraph(args: string[], env: Record<string, string> = {}, cwd = root) {
  try {
    const {stdout, stderr} = await run(process.execPath, [cli, ...args], {cwd, env: {...process.env, ...env}})
    return {code: 0, stdout, stderr}
  } catch (error) {
    const failure = error as {code: number; stdout: string; stderr: string}
    return {code: failure.code, stdout: failure.stdout, stderr: failure.stderr}
  }
}

describe('newsgraph CLI', () => {
  it('prints its usage with --help and exits 0', async () => {
    const {code, stdout} = await newsgraph(['--help'])
    expect(code).toBe(0)
    expect(stdout).toContain('Usage: newsgraph build [options]')
    for (const option of ['--source DIR', '--out DIR', '--base-url URL', '--strict']) expect(stdout).toContain(option)
  })

  it('exits 2 on an unknown option or command', async () => {
    expect((await newsgraph(['build', '--sauce', 'x'])).code).toBe(2)
    expect((await newsgraph(['publish'])).code).toBe(2)
  })

  it('builds, prints a summary, and exits 0', async () => {
    const dir = await temporaryDirectory()
    const {code, stderr} = await newsgraph(['build', '--source', join(root, 'source'), '--out', join(dir, 'dist')])
    expect(code).toBe(0)
    expect(stderr).toMatch(/^newsgraph: built 1 article, 0 errors, 0 warnings(?:, 1 from the cache)? in \d+ ms → .*dist\/\n$/)
  })

  it('prints positioned messages, exits 1, and writes nothing on errors', async () => {
    const source = await sourceTree({'site.yaml': 'title: T\nbaseUrl: https://example.org/\n', 'articles/bad.md': article({omit: ['title']})})
    const out = join(dirname(source), 'dist')
    const {code, stderr} = await newsgraph(['build', '--source', 'source', '--out', 'dist'], {}, dirname(source))
    expect(code).toBe(1)
    expect(stderr).toContain('source/articles/bad.md:2:1: error: Missing required field `title`, expected it in the frontmatter  frontmatter-required')
    expect(stderr).toContain('newsgraph: failed: 0 articles, 1 error, 0 warnings')
    await expect(readFile(join(out, 'feed.xml'))).rejects.toThrow(/ENOENT/)
  })

  it('uses --base-url for every @id', async () => {
    const dir = await temporaryDirectory()
    const {code} = await newsgraph(['build', '--out', join(dir, 'dist'), '--base-url', 'https://news.example.com/archive'])
    expect(code).toBe(0)
    const graph = await readFile(join(dir, 'dist', 'graph.jsonld'), 'utf8')
    expect(graph).toContain('"@id": "https://news.example.com/archive/articles/')
    expect(graph).not.toContain('newsgraph.example')
  })
})

describe('the sources', () => {
  it('are every Markdown file below --source but hidden ones and those in a hidden folder or node_modules, in code-point order, their paths made from --source as given', async () => {
    const dir = await temporaryDirectory()
    const files = ['b/z.md', 'b/Y.markdown', 'a.MD', 'notes.txt', '.draft.md', 'b/.hidden/c.md', '.git/d.md', 'node_modules/pkg/README.md', 'b/node_modules/e.md', 'b/c/deep.md']
    for (const file of files) {
      await mkdir(dirname(join(dir, file)), {recursive: true})
      await writeFile(join(dir, file), '# x\n')
    }
    const listed = ['a.MD', 'b/Y.markdown', 'b/c/deep.md', 'b/z.md']
    expect(await listArticles(dir)).toEqual(listed.map((file) => join(dir, file)))
    expect(await listArticles(`${dir}/`)).toEqual(listed.map((file) => join(dir, file)))
    const fromHere = relative(process.cwd(), dir)
    expect(await listArticles(`./${fromHere}`)).toEqual(listed.map((file) => join(fromHere, file)))
    await expect(listArticles(join(dir, 'missing'))).rejects.toThrow()
  })
})

describe('messages of the cross-article steps', () => {
  it('reports a conflict between the values of an entity once, however many articles repeat it', async () => {
    const byline = (url: string) => ({omit: ['author'], frontmatter: `author:\n  name: Ada Reporter\n  url: ${url}`})
    const source = await sourceTree({
      'site.yaml': 'title: T\nbaseUrl: https://example.org/\n',
      'articles/a.md': article(byline('https://a.example/')),
      'articles/b.md': article(byline('https://b.example/')),
      'articles/c.md': article(byline('https://b.example/')),
      'articles/d.md': article(byline('https://c.example/'))
    })
    const result = await build({source, out: join(dirname(source), 'dist'), cwd: dirname(source)})
    const conflicts = result.files.flatMap((file) => file.messages).filter((message) => message.ruleId === 'entity-conflict').map((message) => message.reason)
    expect(conflicts).toEqual([
      'Entity `https://example.org/entities/ada-reporter/#entity` has two values for `url`; kept "https://a.example/", dropped "https://b.example/"',
      'Entity `https://example.org/entities/ada-reporter/#entity` has two values for `url`; kept "https://a.example/", dropped "https://c.example/"'
    ])
  })
})

describe('determinism', () => {
  it('gives byte-identical dist/ whatever the time zone, locale and clock', async () => {
    const dir = await temporaryDirectory()
    const variants: Array<Record<string, string>> = [
      {TZ: 'UTC', LANG: 'C', LC_ALL: 'C'},
      {TZ: 'Asia/Seoul', LANG: 'ko_KR.UTF-8', LC_ALL: 'ko_KR.UTF-8'},
      {TZ: 'America/Los_Angeles', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8', NODE_OPTIONS: `--import=${join(root, 'test', 'fixtures', 'shift-clock.mjs')}`}
    ]
    const trees = []
    for (const [index, env] of variants.entries()) {
      const out = join(dir, `dist-${index}`)
      // Note: without the cache, so that each variant processes the articles itself.
      const {code, stderr} = await newsgraph(['build', '--no-cache', '--out', out], env)
      expect(code, stderr).toBe(0)
      trees.push(await readTree(out))
    }
    expect(trees[0]!.size).toBeGreaterThan(3)
    expect(trees[1]).toEqual(trees[0])
    expect(trees[2]).toEqual(trees[0])
  })

  it('gives the same output whatever order the files were created in', async () => {
    const files = {
      'articles/b.md': article({frontmatter: 'slug: bravo'}),
      'articles/a.md': article({frontmatter: 'slug: alpha'}),
      'articles/z/c.md': article({frontmatter: 'slug: charlie'})
    }
    const forward = await buildTree(files)
    const backward = await buildTree(Object.fromEntries(Object.entries(files).reverse()))
    expect(await readTree(backward.out)).toEqual(await readTree(forward.out))
  })
})

describe('atomic write', () => {
  it('leaves the previous dist/ byte-identical when a build fails', async () => {
    const {source, out, result} = await buildTree({'articles/a.md': article()})
    expect(result.written).toBe(true)
    const before = await readTree(out)
    await writeFile(join(source, 'articles', 'b.md'), article({omit: ['url']}))
    const failed = await build({source, out, cwd: dirname(source)})
    expect(failed.written).toBe(false)
    expect(failed.errors).toBe(1)
    expect(await readTree(out)).toEqual(before)
  })

  it('replaces dist/ whole: outputs of a removed article disappear', async () => {
    const {source, out} = await buildTree({'articles/a.md': article(), 'articles/b.md': article()})
    expect([...(await readTree(out)).keys()]).toContain('articles/b.jsonld')
    await rm(join(source, 'articles', 'b.md'))
    await mkdir(join(out, 'stray'), {recursive: true})
    await writeFile(join(out, 'stray', 'file.txt'), 'left by hand')
    const again = await build({source, out, cwd: dirname(source)})
    expect(again.written).toBe(true)
    const files = [...(await readTree(out)).keys()]
    expect(files).toContain('articles/a.jsonld')
    expect(files).toContain('articles/a/index.html')
    expect(files.filter((path) => /(?:^|\/)b(?:[./]|$)/.test(path) || path.startsWith('stray/'))).toEqual([])
  })

  it('refuses an output directory that holds the sources', async () => {
    const source = await sourceTree({'site.yaml': 'title: T\nbaseUrl: https://example.org/\n', 'articles/a.md': article()})
    const result = await build({source, out: dirname(source), cwd: '/'})
    expect(result.written).toBe(false)
    expect(result.files[0]!.messages.map((message) => message.ruleId)).toEqual(['out-unsafe'])
  })
})

describe('committed dist/', () => {
  it('is exactly what `make build` produces from source/', async () => {
    const dir = await temporaryDirectory()
    const out = join(dir, 'dist')
    const result = await build({source: join(root, 'source'), out, cwd: dir})
    expect(result.written).toBe(true)
    const built = await readTree(out)
    const committed = await readTree(join(root, 'dist'))
    expect([...committed.keys()]).toEqual([...built.keys()])
    for (const [path, contents] of built) expect(committed.get(path), `dist/${path} is stale: run make build`).toBe(contents)
  })
})

describe('newsgraph import', () => {
  it('writes a draft with frontmatter to --out and notes what it removed, exiting 0', async () => {
    const dir = await temporaryDirectory()
    const input = join(dir, 'scraped.txt')
    const out = join(dir, 'draft.md')
    const paragraph = 'The harbour authority said on Tuesday that the new pier would open in the spring, after two years of delays and a long dispute over costs.'
    await writeFile(input, `Harbour pier to open in spring\n\n${paragraph}\n\n${paragraph.replaceAll('’', "'")}\n\nMore from The Coastal Herald\n\nOther story\n`)
    const {code, stderr} = await newsgraph(['import', input, '--out', out])
    expect(code).toBe(0)
    const draft = await readFile(out, 'utf8')
    expect(draft).toMatch(/^---\n/)
    expect(draft).toContain('title: "Harbour pier to open in spring"')
    const body = draft.slice(draft.indexOf('\n---\n', 4) + 5)
    expect(body.split(paragraph)).toHaveLength(2)
    expect(draft).not.toContain('Other story')
    expect(stderr).toMatch(/scraped\.txt:\d+:\d+: info: .*  import-duplicate-paragraph/)
  })

  it('exits 1 when the file cannot be read', async () => {
    expect((await newsgraph(['import', '/nonexistent/file.txt'])).code).toBe(1)
  })
})
