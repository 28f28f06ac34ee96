// Inputs of the per-article stage, hashed: what a cached article depends on besides its own bytes.
import {createHash} from 'node:crypto'
import {readdir, readFile} from 'node:fs/promises'
import {dirname, join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'
import {packagePath} from './paths.js'

/**
 * SHA-256 of strings, each length-prefixed (its length in UTF-8 bytes, then
 * `:`) so that no two lists hash alike. Note: the strings are joined and
 * hashed a megabyte at a time; an update per part (two with its prefix) was
 * 1.3 s of a rebuild of 10,000 bench articles, whose keys of articles'
 * outputs and entities' pages hash millions of short parts.
 */
export function hashParts(parts: Array<string | Buffer>): string {
  const hash = createHash('sha256')
  let pending = ''
  for (const part of parts) {
    if (typeof part === 'string') {
      // Note: each part follows an ASCII prefix, so joining them cannot pair surrogates across parts.
      pending += `${Buffer.byteLength(part)}:${part}`
      if (pending.length < hashBatch) continue
      hash.update(pending)
    } else {
      hash.update(`${pending}${part.byteLength}:`)
      hash.update(part)
    }
    pending = ''
  }
  return hash.update(pending).digest('hex')
}

/** How many UTF-16 units of parts `hashParts` joins before it hashes them. */
const hashBatch = 1 << 20

/** Every file under `dir` (recursively) as relative path and contents, in code-point order of the paths. */
async function hashDirectory(dir: string, keep: (path: string) => boolean = () => true): Promise<string> {
  const entries = await readdir(dir, {recursive: true, withFileTypes: true})
  const paths = entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .filter(keep)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const parts: Array<string | Buffer> = []
  for (const path of paths) parts.push(relative(dir, path), await readFile(path))
  return hashParts(parts)
}

let pipelineHash: Promise<string> | undefined

/**
 * The pipeline's version: package.json (version and dependencies) and every
 * file of the running pipeline code (out/pipeline/ for the CLI, pipeline/ in
 * tests) and vendor/ (Wikidata ids), so that any change to the code invalidates the cache.
 */
export function pipelineVersion(): Promise<string> {
  pipelineHash ??= (async () => {
    const code = dirname(fileURLToPath(import.meta.url))
    return hashParts([await readFile(packagePath('package.json')), await hashDirectory(code, (path) => !path.endsWith('.map')), await hashDirectory(packagePath('vendor'))])
  })()
  return pipelineHash
}

/** What the per-article stage reads besides the article: the contents of the knowledge files, the schemas, the site and the options. */
export interface StageInputs {
  /** Contents of `site.yaml`, `conventions.yaml`, `entities.yaml`, `lexicons/*.yaml`, `cameo.yaml` as the build reads them (the source's, else newsgraph's). */
  files: Array<[string, string]>
  /** `--base-url`, when given. */
  baseUrl: string | undefined
}

/**
 * Hash of everything the per-article stage depends on besides the article:
 * the inputs, the schemas/ directory and the pipeline's version. `dirs`
 * points elsewhere for the schemas and the code (tests).
 */
export async function hashStageInputs(inputs: StageInputs, dirs: {schemas?: string; code?: string} = {}): Promise<string> {
  const schemas = await hashDirectory(dirs.schemas ?? packagePath('schemas'))
  const version = dirs.code ? await hashDirectory(dirs.code) : await pipelineVersion()
  return hashParts([version, schemas, inputs.baseUrl ?? '', ...inputs.files.flat()])
}

/**
 * The cache key of one article: the stage inputs, its path and the hash of
 * its source's bytes (`SourceStamp.hash`), so that a source the last build's
 * manifest recorded has its key without being read.
 */
export function articleKey(inputsHash: string, path: string, sourceHash: string): string {
  return hashParts([inputsHash, path, sourceHash])
}

/** The paths (under the source directory) of every knowledge file, in the order `loadKnowledgeFiles` reads them. */
export const knowledgePaths = [['entities.yaml'], ['lexicons', 'names.yaml'], ['cameo.yaml'], ['lexicons', 'events.yaml']] as const

/** Read the files the per-article stage depends on, as the loaders will (the source's, else newsgraph's; `site.yaml` only from the source). */
export async function readStageInputs(source: string, baseUrl: string | undefined): Promise<StageInputs> {
  const files: Array<[string, string]> = []
  const site = await readFile(join(source, 'site.yaml'), 'utf8').catch(() => '')
  files.push(['site.yaml', site])
  // Note: read here as text, not through load.ts, whose parsers import the NLP modules that the no-op fast path must not load.
  for (const path of [['conventions.yaml'], ...knowledgePaths]) {
    const own = await readFile(join(source, ...path), 'utf8').catch(() => undefined)
    files.push([join(...path), own ?? `newsgraph:${await readFile(packagePath('source', ...path), 'utf8')}`])
  }
  return {files, baseUrl}
}
