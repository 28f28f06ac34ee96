// Build: read source/ → process each article (cache, workers) → link → emit → check → write dist/ atomically.
import {readFile, stat} from 'node:fs/promises'
import {relative} from 'node:path'
import {VFile} from 'vfile'
import type {VFileMessage} from 'vfile-message'
import {openCache, type ArticleCache} from './cache.js'
import type {Site} from './config.js'
import type {Conventions} from './conventions.js'
import type {SiteModel} from './emit/index.js'
import {articleKey, hashParts, hashStageInputs, readStageInputs} from './inputs.js'
import type {KnowledgeFiles} from './load.js'
import {hashBytes, outputsIntact, readManifest, saveManifest, sourcesUnchanged, stampOutputs, type SourceStamp} from './manifest.js'
import {hasErrors, report} from './message.js'
import type {Progress} from './progress.js'
import {listArticles} from './read.js'
import {parseResult, restoreMessages, resultFile, serializeResult, toResult, type ArticleResult, type MessageData} from './record.js'
import {emitShard, shardOf, type Shard} from './shard.js'
import type {Article} from './types.js'
import {openStaging, unsafeOutDir, writeOutputs} from './write.js'

/** Options of `build`. */
export interface BuildOptions {
  /** Directory of the sources (articles, `site.yaml`). */
  source: string
  /** Output directory, replaced whole on success. */
  out: string
  /** Base URL of the site; overrides `site.yaml`. */
  baseUrl?: string
  /** Treat warnings as errors. */
  strict?: boolean
  /** Working directory, for the output safety check. */
  cwd?: string
  /** Directory of the content-hash cache (per-article results, last build's manifest); no cache when undefined. */
  cache?: string
  /** Worker threads for the per-article stage; 1 (the default) processes in this thread. */
  jobs?: number
  /** Process only this shard of the articles and write their records to `out` (for `merge`), not the site. */
  shard?: Shard
  /** Called as articles are read. */
  onProgress?: (progress: Progress) => void
}

/** Result of `build`. */
export interface BuildResult {
  /** Informational messages (entity suggestions). */
  infos: number
  /** Every file with messages: sources, `site.yaml`, and a file for the build itself. */
  files: VFile[]
  articles: number
  errors: number
  warnings: number
  /** Whether `out` was written. */
  written: boolean
  /** Whether nothing changed since the last successful build into `out` (nothing was processed or written). */
  upToDate: boolean
  /** Articles run through the per-article stage, and articles taken from the cache. */
  processed: number
  cached: number
}

/** Everything loaded before the articles: the site, the knowledge files and conventions, and the hash of the stage's inputs. */
interface Setup {
  site: Site | undefined
  knowledge: KnowledgeFiles | undefined
  conventions: Conventions | undefined
  inputsHash: string
}

/** Build the site. Never throws on bad input: problems are messages on `files`. */
export async function build(options: BuildOptions): Promise<BuildResult> {
  const buildFile = new VFile({path: options.source})
  const files: VFile[] = [buildFile]
  const inputsHash = options.cache || options.shard ? await hashStageInputs(await readStageInputs(options.source, options.baseUrl)) : ''
  const buildKey = hashParts([inputsHash, String(Boolean(options.strict)), options.source, options.out])

  let paths: string[] = []
  try {
    paths = await listArticles(options.source)
  } catch (error) {
    report(buildFile, `Cannot read source directory: ${(error as Error).message}`, 'source-unreadable')
  }
  if (options.shard) {
    const {count, index} = options.shard
    paths = paths.filter((path) => shardOf(relative(options.source, path), count) === index)
  }

  // The no-op fast path: same inputs, same sources, outputs untouched since the last successful build.
  if (options.cache && !options.shard && !hasErrors(buildFile)) {
    const manifest = await readManifest(options.cache, options.out)
    if (manifest && manifest.key === buildKey && (await sourcesUnchanged(manifest, paths)) && (await outputsIntact(options.out, manifest.outputs))) {
      const restored = manifest.files.map(({path, messages}) => (path === buildFile.path ? restoreInto(buildFile, messages) : resultFile({format: 1, path, messages})))
      return finish([buildFile, ...restored.filter((file) => file !== buildFile)], manifest.summary.articles, {written: false, upToDate: true, processed: 0, cached: 0})
    }
  }
  const {loadConventions, loadKnowledgeFiles, loadSite} = await import('./load.js')
  const site = await loadSite(options.source, options.baseUrl, files, buildFile)
  if (paths.length === 0 && !hasErrors(buildFile) && !options.shard) report(buildFile, 'Unexpected source directory without articles, expected `.md` files', 'source-empty', {fatal: false})
  const setup: Setup = {site, knowledge: await loadKnowledgeFiles(options.source, files), conventions: await loadConventions(options.source, files), inputsHash}

  const read = await processArticles(paths, setup, options, files)
  const results = read.results
  if (options.shard) {
    if (failed(files, options.strict)) return finish(files, results.length, {written: false, upToDate: false, ...read.counts})
    await writeOutputs(options.out, emitShard(options.shard, inputsHash, results.map(serializeResult)))
    return finish(files, results.length, {written: true, upToDate: false, ...read.counts})
  }
  const articles = results.flatMap((result) => (result.article ? [result.article] : []))
  // Note: the manifest is saved under the output lock, right after the swap, so it describes the outputs this build swapped in (not a concurrent build's).
  const cache = options.cache
  const swapped = cache
    ? (result: Omit<BuildResult, 'processed' | 'cached'>) => async () =>
        saveManifest(cache, options.out, {
          key: buildKey,
          articles: read.stamps,
          outputs: await stampOutputs(options.out),
          summary: {articles: result.articles, warnings: result.warnings, infos: result.infos},
          files: result.files.filter((file) => file.messages.length > 0).map((file) => ({path: file.path, messages: serializedMessages(file)}))
        })
    : undefined
  return {...(await linkAndWrite(articles, files, buildFile, setup, options, swapped)), ...read.counts}
}

/** Options of `merge`. */
export interface MergeOptions {
  /** Output directories of `build --shard i/n`, every shard once. */
  parts: string[]
  source: string
  out: string
  baseUrl?: string
  strict?: boolean
  cwd?: string
}

/** Merge the records of every shard into the site: link, emit, check and write, as an unsharded build would. */
export async function merge(options: MergeOptions): Promise<BuildResult> {
  const buildFile = new VFile({path: options.source})
  const files: VFile[] = [buildFile]
  const inputsHash = await hashStageInputs(await readStageInputs(options.source, options.baseUrl))
  const {loadConventions, loadKnowledgeFiles, loadSite} = await import('./load.js')
  const site = await loadSite(options.source, options.baseUrl, files, buildFile)
  const setup: Setup = {site, knowledge: await loadKnowledgeFiles(options.source, files), conventions: await loadConventions(options.source, files), inputsHash}
  const {readShard} = await import('./shard.js')
  const results: ArticleResult[] = []
  const seen = new Map<number, string>()
  let count: number | undefined
  for (const part of options.parts) {
    let shard
    try {
      shard = await readShard(part)
    } catch (error) {
      report(buildFile, `Cannot read shard \`${part}\`: ${(error as Error).message}; expected the output directory of \`newsgraph build --shard i/n\``, 'shard-unreadable')
      continue
    }
    const {manifest} = shard
    if (manifest.inputs !== inputsHash) {
      report(buildFile, `Unexpected shard \`${part}\` built from other inputs (sources' knowledge, schemas, base URL or newsgraph version), expected every shard built like this merge`, 'shard-mismatch')
    } else if (count !== undefined && manifest.count !== count) {
      report(buildFile, `Unexpected shard \`${part}\` of ${manifest.count} shards, expected ${count} like the others`, 'shard-mismatch')
    } else if (seen.has(manifest.shard)) {
      report(buildFile, `Unexpected second shard ${manifest.shard}/${manifest.count} in \`${part}\`, first in \`${seen.get(manifest.shard)}\``, 'shard-duplicate')
    } else {
      count = manifest.count
      seen.set(manifest.shard, part)
      results.push(...shard.results)
    }
  }
  const missing = count === undefined ? [] : Array.from({length: count}, (_, index) => index + 1).filter((index) => !seen.has(index))
  if (missing.length > 0) report(buildFile, `Missing shard${missing.length === 1 ? '' : 's'} ${missing.map((index) => `${index}/${count}`).join(', ')}, expected every shard of the archive`, 'shard-missing')
  if (results.length === 0 && !hasErrors(buildFile)) report(buildFile, 'Unexpected merge without articles, expected shards holding records', 'source-empty', {fatal: false})
  // Note: the order of an unsharded build: paths in code-point order.
  results.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  for (const result of results) files.push(resultFile(result))
  const articles = results.flatMap((result) => (result.article ? [result.article] : []))
  return {...(await linkAndWrite(articles, files, buildFile, setup, options)), processed: 0, cached: 0}
}

/**
 * Read every article and run the per-article stage on those the cache does
 * not hold: in this thread, or on a worker pool. Results come in path order,
 * whatever the order they were computed in.
 */
async function processArticles(paths: string[], setup: Setup, options: BuildOptions, files: VFile[]): Promise<{results: ArticleResult[]; stamps: SourceStamp[]; counts: {processed: number; cached: number}}> {
  const {site, knowledge, conventions} = setup
  const cache: ArticleCache | undefined = options.cache ? openCache(options.cache) : undefined
  const results: Array<ArticleResult | undefined> = []
  const sources: Array<{file: VFile; key: string}> = []
  const stamps: SourceStamp[] = []
  const misses: number[] = []
  let cached = 0
  const progress = () => options.onProgress?.({done: cached + (misses.length - pending), total: paths.length, cached})
  let pending = 0
  for (const [index, path] of paths.entries()) {
    // Note: stat before reading: a file changed meanwhile has a newer mtime than recorded, and is hashed again next time.
    const {mtimeMs} = await stat(path)
    const bytes = await readFile(path)
    stamps.push({path, size: bytes.length, mtimeMs, hash: hashBytes(bytes)})
    let value = bytes.toString('utf8')
    if (value.charCodeAt(0) === 0xfeff) value = value.slice(1)
    const file = new VFile({path, value})
    const key = cache ? articleKey(setup.inputsHash, path, value) : ''
    sources.push({file, key})
    const hit = knowledge && conventions && site ? await cache?.get(key) : undefined
    if (hit && hit.path === path) {
      results[index] = hit
      cached++
      progress()
    } else {
      misses.push(index)
      pending++
    }
  }
  if (knowledge && conventions && site && misses.length > 0) {
    const done = async (index: number, text: string) => {
      const {file, key} = sources[index]!
      await cache?.set(key, text)
      results[index] = parseResult(text)
      if (!results[index]) throw new Error(`The result of ${file.path} cannot be read back`)
      pending--
      progress()
    }
    const jobs = Math.min(options.jobs ?? 1, misses.length)
    if (jobs > 1) {
      const {processInPool} = await import('./workers.js')
      const tasks = misses.map((index) => ({path: sources[index]!.file.path, value: String(sources[index]!.file.value)}))
      try {
        await processInPool(jobs, {source: options.source, site, conventions}, tasks, (task, text) => done(misses[task]!, text))
      } catch {
        // Note: a pool that fails (a worker that cannot start or dies) is not fatal: what it left is processed here.
      }
    }
    const left = misses.filter((index) => !results[index])
    if (left.length > 0) {
      const [{createKnowledge}, {createArticleProcessor}, {processSource}] = await Promise.all([import('./knowledge/index.js'), import('./process.js'), import('./stage.js')])
      const full = createKnowledge(knowledge.registry, knowledge.lexicon, knowledge.cameo, knowledge.events)
      const processor = createArticleProcessor(full, {conventions, site})
      for (const index of left) {
        const {file} = sources[index]!
        await done(index, await processSource(file.path, String(file.value), processor, full))
      }
    }
  }
  const present: ArticleResult[] = []
  for (const [index, {file}] of sources.entries()) {
    const result = results[index]
    if (!result) {
      files.push(file)
      continue
    }
    const restored = resultFile(result, String(file.value))
    files.push(restored)
    present.push(result)
  }
  return {results: present, stamps, counts: {processed: misses.length, cached}}
}

/** The cross-article steps: link, model, emit, check and write; nothing is written when a step fails. */
async function linkAndWrite(
  articles: Article[],
  files: VFile[],
  buildFile: VFile,
  setup: Setup,
  options: {out: string; source: string; strict?: boolean; cwd?: string},
  swapped?: (result: Omit<BuildResult, 'processed' | 'cached'>) => () => Promise<void>
): Promise<Omit<BuildResult, 'processed' | 'cached'>> {
  const {linkArticles} = await import('./link.js')
  linkArticles(articles, files)
  const outProblem = unsafeOutDir(options.out, options.source, options.cwd ?? process.cwd())
  if (outProblem) report(buildFile, `Unexpected output directory \`${options.out}\`: ${outProblem}, expected a directory of its own`, 'out-unsafe')
  const {site, knowledge, conventions} = setup
  if (failed(files, options.strict) || !site || !knowledge || !conventions) return finish(files, articles.length, {written: false, upToDate: false})

  const {modelSite} = await import('./emit/index.js')
  const model = modelSite(articles, site, knowledge.cameo)
  for (const conflict of model.conflicts) {
    report(buildFile, `Entity \`${conflict.id}\` has two values for \`${conflict.property}\`; kept ${JSON.stringify(conflict.kept)}, dropped ${JSON.stringify(conflict.dropped)}`, 'entity-conflict', {fatal: false})
  }
  if (failed(files, options.strict)) return finish(files, articles.length, {written: false, upToDate: false})
  const written = await writeChecked(options.out, model, buildFile, async () => swapped?.(finish(files, articles.length, {written: true, upToDate: false}))())
  return finish(files, articles.length, {written: written && !failed(files, options.strict), upToDate: false})
}

/**
 * Emit, check and stage every output as it is produced; swap them in only
 * when every check passed. Returns whether `out` was written.
 */
async function writeChecked(out: string, model: SiteModel, buildFile: VFile, swapped: () => Promise<void>): Promise<boolean> {
  const [{createChecker}, {emitOutputs}, {contextUrl}] = await Promise.all([import('./check.js'), import('./emit/index.js'), import('./emit/events.js')])
  const check = createChecker({url: contextUrl(model.base), document: model.context})
  const staging = await openStaging(out)
  try {
    let problems = 0
    for (const emission of emitOutputs(model)) {
      for (const problem of await check(emission)) {
        report(buildFile, `${problem.path}: ${problem.reason}`, problem.ruleId)
        problems++
      }
      // Note: once a check failed nothing will be swapped in; the rest is still checked, to report every problem.
      if (problems === 0) await staging.write(emission.path, emission.text, emission.append)
    }
    if (problems > 0) return false
    await staging.commit(swapped)
    return true
  } finally {
    await staging.discard()
  }
}

function finish<T extends object>(files: VFile[], articles: number, rest: T): {files: VFile[]; articles: number; errors: number; warnings: number; infos: number} & T {
  for (const file of files) file.messages.sort(byPlace)
  return {files, articles, ...count(files), ...rest}
}

function restoreInto(file: VFile, messages: MessageData[]): VFile {
  restoreMessages(file, messages)
  return file
}

function serializedMessages(file: VFile): MessageData[] {
  return toResult(file, undefined).messages
}

function byPlace(a: VFileMessage, b: VFileMessage): number {
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0)
}

function failed(files: VFile[], strict: boolean | undefined): boolean {
  return files.some((file) => file.messages.some((message) => message.fatal === true || (strict && message.fatal === false)))
}

function count(files: VFile[]): {errors: number; warnings: number; infos: number} {
  let errors = 0
  let warnings = 0
  let infos = 0
  for (const file of files) {
    for (const message of file.messages) {
      if (message.fatal === true) errors++
      else if (message.fatal === false) warnings++
      else infos++
    }
  }
  return {errors, warnings, infos}
}
