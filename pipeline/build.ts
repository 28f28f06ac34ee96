// Build: read source/ → process each article (cache, workers) → link → emit → check → write dist/ atomically (publish.ts).
import {stat} from 'node:fs/promises'
import {relative, resolve} from 'node:path'
import {VFile} from 'vfile'
import {openCache, type ArticleCache} from './cache.js'
import {articleKey, hashParts, hashStageInputs, pipelineVersion, readStageInputs} from './inputs.js'
import {baseSnapshot} from './knowledge/base.js'
import type {KnowledgeSnapshot} from './load.js'
import {draftManifest, hasManifest, lastManifest, sameSourceList, sameStamps, stampOutputsApart, unchangedSources, type KeptManifest, type Manifest, type SourceStamp} from './manifest.js'
import {closeKeptReport, openKeptReport, type KeptReport} from './kept-report.js'
import {hasErrors, report} from './message.js'
import type {Progress} from './progress.js'
import {listArticles, readArticleSource} from './read.js'
import {stampOutputs} from './stamps.js'
import {deferredOnly, parseResult, recordFormat, restoreMessages, resultFile, toResult, type ArticleResult, type MessagesData} from './record.js'
import {parseSummary, serializeSummary, summarizeArticle, summaryTables, type RecordSource} from './summary.js'
import {openSummaryReader, type SummaryRead, type SummaryRequest} from './summary-reader.js'
import type {ArticleSummary} from './types.js'
import {shardOf, writeShard, type Shard} from './shard.js'
import {openSpill, type RecordSpill} from './spill.js'
import {failed, finish, linkAndWrite, nothingReused, type AfterSwap, type Reuse, type Setup, type Summary} from './publish.js'
import {directoryIdentity, type Removal} from './write.js'
import {Feed} from './feed.js'
import {createBuildMemory, type BuildMemory, type RememberedArticle} from './memory.js'
import {inOrder} from './in-order.js'

/** How many sources (and their cache entries) are read ahead of the one taken in. */
const readAhead = 16

/**
 * Articles taken in between two turns of the event loop (`inOrder`). Note:
 * the summaries read ahead (`openSummaryReader`) come as messages on the
 * reader's port, and Node takes in every message waiting on a port before
 * it looks at another: while the reader kept ahead, the taking in went on
 * from one of its messages to the next, and the stage worker's request for
 * the article that changed waited until every summary was read (2.6 s
 * after it was ready, at 10,000 bench articles).
 */
const turnEvery = 64

/** Articles to process per worker found while reading before the pool starts; fewer in all are processed by a pool started after reading (or, for one, see `poolForOneFrom` in `workers.ts`). */
const poolAfter = 2

/**
 * Sources read per worker and waiting to be taken by the pool (beyond the
 * articles each worker has in hand): reading waits for room. Unbounded, the
 * texts of a whole archive waited in the main thread's heap while the
 * workers processed the first articles (about 160 MB at 10,000 bench articles).
 */
export const sourcesAhead = 2

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
  /**
   * Worker threads for the per-article stage and for each article's outputs;
   * 0 (the default) does all in this thread. A single article to process or
   * write is done in this thread whatever the number.
   */
  jobs?: number
  /** Process only this shard of the articles and write their records to `out` (for `merge`), not the site. */
  shard?: Shard
  /** Called as articles are read. */
  onProgress?: (progress: Progress) => void
  /**
   * How the last build's outputs are removed once this one's are swapped in:
   * `'wait'` (the default), this build removes them before it returns;
   * `'detach'` (the CLI), a process of their own does, which goes on after
   * this one ends (`removeDetached`).
   */
  removal?: Removal
  /**
   * What builds in one long-lived process share (`--watch`): with a cache,
   * the articles of the last build are taken from it, not read again from
   * the cache, and the main thread keeps the processor it made. This build
   * replaces its articles with its own.
   */
  memory?: BuildMemory
  /** The caller shows no infos (`--quiet`): the files whose messages are all infos read as data (the cache, workers, the last build's manifest) are counted, not made messages again (`finish`). */
  quiet?: boolean
  /**
   * The caller prints the report kept beside the last build's manifest
   * (`printAndKeepReport`) when it is that manifest's and of `cwd`: then a
   * no-op reads and makes no infos again (as with `quiet`) and gives it
   * (`BuildResult.keptReport`). Not with `quiet` or `memory`.
   */
  keptReport?: boolean
}

/**
 * Result of `build`: every file with messages (sources, `site.yaml`, and a
 * file for the build itself; with `quiet`, it leaves out those whose
 * messages are all infos read as data, which it counts), the counts, and
 * what was done.
 */
export interface BuildResult extends Summary {
  /** Articles run through the per-article stage, and articles taken from the cache. */
  processed: number
  cached: number
  /** Of those from the cache, the articles taken from the last build in this process (`memory`), neither read nor parsed again. */
  remembered: number
  /** Articles whose outputs were taken from the last build into the same `out` (the same, key for key). */
  reused: number
  /** Entities whose page and feed were taken from the last build into the same `out` (the same, key for key). */
  reusedEntities: number
  /** Bytes of the files that grow with the corpus (`graph.jsonld`, the CSVs) copied from the last build: their heads, up to the first article whose outputs changed. */
  copiedBytes: number
  timings: BuildTimings
  /** Which file the manifest of this build's outputs is (`fileIdentity`): the one a no-op read, the one a build saved; none without a cache, or when none was saved. */
  manifest?: string
  /** A no-op's report, kept since the last build (`keptReport`): its files have no infos but those of a file with an error or a warning, and the caller prints this instead of their messages (`printKeptReport`). */
  keptReport?: KeptReport
}

/**
 * How long the parts of a build took, in milliseconds of wall time: `setup`,
 * `articles` and `merge` follow each other and add up to the whole call;
 * `processing` is a part of `articles`.
 */
export interface BuildTimings {
  /** The inputs hashed, the sources listed, the last build's manifest read (the whole of a no-op), the site and the knowledge files loaded. */
  setup: number
  /** Every article read: its summary from the cache, else its source run through the per-article stage. */
  articles: number
  /** From the first article found to need the per-article stage to the last one through it (0 when none needed it); meanwhile the others are read. */
  processing: number
  /** The cross-article steps: link, emit, check and write the site, swap it in, and save the manifest (for a shard: write its records). */
  merge: number
}

/** Build the site. Never throws on bad input: problems are messages on `files`. */
export async function build(options: BuildOptions): Promise<BuildResult> {
  // Note: the records no cache holds are kept on disk while the build runs, not in memory, and removed once it is done.
  const spill = openSpill(options.out)
  try {
    return await buildWith(options, spill)
  } finally {
    await spill.remove()
  }
}

/** `build`, keeping the records no cache holds in `spill`. */
async function buildWith(options: BuildOptions, spill: RecordSpill): Promise<BuildResult> {
  const started = performance.now()
  const buildFile = new VFile({path: options.source})
  const files: VFile[] = [buildFile]
  // Note: which directory `out` is, before its files are stamped: a build that swaps its outputs in after that fails this one's commit.
  const identity = options.cache && !options.shard ? directoryIdentity(options.out) : undefined
  // Note: stamped on a worker thread from the start, while this one hashes the inputs, lists the sources, reads the manifest and checks
  // the sources. One after the other, a no-op of 10,000 bench articles took 2.2–3.1 s (1.96–2.03 s apart, on the same day); started once
  // the inputs were hashed and the sources listed, the stamps came 0.5 s after the rest was done (ad hoc, the messages not read).
  const stamped = options.cache && identity && hasManifest(options.cache, options.out) ? identity.then((found) => (found === undefined ? undefined : stampOutputsApart(options.out))) : undefined
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
  /** The result of a no-op, and whether it waits for the articles to be read into `memory` (then nothing else is done). */
  let upToDate: BuildResult | undefined
  let rememberOnly = false
  /** Where the last build's outputs are, when they are intact (checked on a worker thread meanwhile). */
  let reusable: Promise<LastOutputs | undefined> | undefined
  /** When the last build into `out` had the same inputs: its sources that are unchanged since, with their stamps (the others are the articles this build expects to process). */
  let unchanged: Map<string, SourceStamp> | undefined
  if (options.cache && identity && !hasErrors(buildFile)) {
    // Note: the sources are checked once, for all three: the no-op when none changed, else how many to expect and which need not be read.
    // Note: the messages of the last build, which only a no-op reads and reports, from the file the rest was read from, or whose identity
    // a manifest kept by a memory has (whatever another build saves meanwhile).
    // Note: the report kept since the last build, when it is that of the manifest read and of this directory, is printed instead of its infos.
    let keptReport: KeptReport | undefined
    const cacheDir = options.cache
    const cwd = resolve(options.cwd ?? process.cwd())
    const infos = options.quiet
      ? false
      : options.keptReport && !options.memory
        ? async (found: KeptManifest) => {
            keptReport = await openKeptReport(cacheDir, options.out, found.identity, cwd)
            return keptReport === undefined
          }
        : true
    const last = await lastManifest(
      options.cache,
      options.out,
      options.memory?.manifest,
      (manifest) => {
        unchanged = manifest.key === buildKey ? unchangedSources(manifest, paths) : undefined
        return unchanged?.size === paths.length && sameSourceList(manifest, paths)
      },
      infos
    )
    const manifest = last?.kept.manifest
    // Note: kept, but its messages, for the next build of a long-lived process: read back while its file is this one.
    if (options.memory) options.memory.manifest = last?.kept
    // Note: an intact output of the last build lends its articles' outputs to this one (`outputKeyMaker` tells which are the same).
    // Note: only where the last build's outputs are is kept, not the stamps of its sources and outputs (7 MB of JSON at 10,000 bench articles),
    // but by a memory, which keeps the manifest but its messages for the next build.
    /** Which directory `out` is, when its files are as the last build left them. */
    const intact = manifest && Promise.all([identity, stamped]).then(([identity, stamps]) => (identity !== undefined && stamps !== undefined && sameStamps(stamps, manifest.outputs) ? identity : undefined))
    const reuse = last?.kept.reuse
    if (intact && reuse) reusable = intact.then((identity) => (identity === undefined ? undefined : {...reuse, identity}))
    const recorded = last?.files
    // Note: the kept report is the caller's once it is given; else it is closed here, whatever failed (the stamps of `out/`).
    try {
      if (manifest && recorded && (await intact) !== undefined) {
        const restored: VFile[] = [buildFile]
        let hidden = 0
        for (const file of recorded) {
          // Note: infos that will not be shown are counted, not made messages again (137,000 suggestions at 10,000 bench articles: a
          // third of a no-op build); with `quiet`, the manifest gives those of a file of infos alone as their number.
          if ('infos' in file) hidden += file.infos
          else if (file.path === buildFile.path) restoreMessages(buildFile, file.messages)
          else restored.push(resultFile({path: file.path, messages: file.messages}))
        }
        const timings = {setup: since(started), articles: 0, processing: 0, merge: 0}
        const result = finish(restored, manifest.summary.articles, {written: false, upToDate: true, processed: 0, cached: 0, remembered: 0, ...nothingReused, timings})
        upToDate = {...result, infos: result.infos + hidden, manifest: last.kept.identity, ...(keptReport ? {keptReport} : {})}
        // Note: a memory not of these inputs (the first build of `--watch`) is filled from the cache first, so that the next build reads only what changes.
        if (options.memory && options.memory.inputsHash !== inputsHash) rememberOnly = true
        else return upToDate
      }
    } finally {
      if (upToDate?.keptReport !== keptReport) await closeKeptReport(keptReport)
    }
  }
  const {loadConventions, loadKnowledgeFiles, loadSite} = await import('./load.js')
  const site = await loadSite(options.source, options.baseUrl, files, buildFile)
  if (paths.length === 0 && !hasErrors(buildFile) && !options.shard) report(buildFile, 'Unexpected source directory without articles, expected `.md` files', 'source-empty', {fatal: false})
  const setup: Setup = {site, knowledge: await loadKnowledgeFiles(options.source, files, await knowledgeSnapshot(options.cache)), conventions: await loadConventions(options.source, files), inputsHash}

  const setupEnded = performance.now()
  // Note: a shard hands on whole records; a build holds summaries and reads each whole record back (from the cache, else the spill) when it writes its outputs.
  const read = await processArticles(paths, setup, options, files, Boolean(options.shard), spill, unchanged)
  const articlesEnded = performance.now()
  /** The timings of this build, its merge ending now. */
  const timings = (): BuildTimings => ({setup: since(started, setupEnded), articles: since(setupEnded, articlesEnded), processing: read.processingMs, merge: since(articlesEnded)})
  if (rememberOnly && upToDate) return {...upToDate, ...read.counts, timings: timings()}
  const {held} = read
  if (options.shard) {
    if (failed(files, options.strict)) return finish(files, held.length, {written: false, upToDate: false, ...read.counts, ...nothingReused, timings: timings()}, options.quiet)
    await writeShard(options.out, options.shard, inputsHash, held, options.removal)
    return finish(files, held.length, {written: true, upToDate: false, ...read.counts, ...nothingReused, timings: timings()}, options.quiet)
  }
  // Note: the site's steps let go of the events no page shows, in the summaries they are given (`releaseUnshownEvents`):
  // a memory, which keeps them for the next build, gives them summaries of their own, whose events are copies (`SummaryEvents.copy`).
  const given = options.memory && options.cache ? held.map((item) => (item.summary ? {...item, summary: {...item.summary, events: item.summary.events.copy()}} : item)) : held
  const articles = given.flatMap(({summary}) => (summary ? [summary] : []))
  const records = new Map(given.flatMap(({summary, record}) => (summary && record ? [[summary, record] as const] : [])))
  // Note: the manifest is begun before the commit and put in place under the output lock, right after the swap, with the stamps of the outputs
  // this build swapped in (not a concurrent build's).
  const cache = options.cache
  // Note: the site is linked and modelled while the last build's outputs may still be being stamped (`stampOutputsApart`), which took a
  // `--watch` rebuild of 10,000 bench articles 0.5 s more than reading its articles.
  const lastOutputs = reusable
  const reusing: Promise<Reuse> | undefined = cache ? (async () => ({...reuseOf(read.keys, await lastOutputs), outputKeys: options.memory?.outputKeys}))() : undefined
  // Note: held from here on as maps, in `reuse`.
  reusable = undefined
  /** Which file the manifest this build saved is, once saved. */
  let savedManifest: string | undefined
  const swapped = cache
    ? async (result: Summary): Promise<AfterSwap> => {
        const {ledger, entityLedger} = (await reusing)!
        const draft = draftManifest(cache, options.out, {
          // Note: each file's messages made into data as they are written, not all at once; those of every file, shown or not (`quiet`).
          files: withMessages(files),
          key: buildKey,
          articles: read.stamps,
          articleOutputs: Object.fromEntries(ledger),
          entityOutputs: Object.fromEntries(entityLedger),
          summary: {articles: result.articles, warnings: result.warnings, infos: result.infos}
        })
        return {
          async run() {
            const kept = await draft.finish(stampOutputs(options.out))
            savedManifest = kept?.identity
            if (options.memory) options.memory.manifest = kept
          },
          drop: () => draft.drop()
        }
      }
    : undefined
  const summary = await linkAndWrite(articles, records, files, buildFile, setup, {...options, reuse: reusing}, swapped)
  const reuse = await reusing
  if (options.memory && reuse) options.memory.outputKeys = reuse.outputKeys
  // Note: a record gone from the cache (it was cleared, say) is not looked for again: the next build reads the cache anew.
  if (options.memory && buildFile.messages.some((message) => message.ruleId === 'record-unreadable')) options.memory.articles.clear()
  const {reused, reusedEntities, copiedBytes} = reuse ?? nothingReused
  return {...summary, ...read.counts, reused, reusedEntities, copiedBytes, timings: timings(), ...(summary.written && savedManifest ? {manifest: savedManifest} : {})}
}

/** Whole milliseconds from `start` to `end` (both from `performance.now()`; `end` by default now). */
export function since(start: number, end = performance.now()): number {
  return Math.round(end - start)
}

/**
 * An article read: its messages and, when it has no errors, where its whole
 * record is (the cache entry that holds it, else the spill, else memory) and
 * its summary (but in a shard).
 */
interface Held {
  path: string
  /** Infos read back from a cached summary stay their JSON (`InfosJson`). */
  messages: MessagesData
  summary?: ArticleSummary
  record?: RecordSource
}

/**
 * Read every article and run the per-article stage on those the cache does
 * not hold: in this thread, or on a worker pool. Results come in path order,
 * whatever the order they were computed in. `whole` (a shard) makes no
 * summaries. The records the cache does not store are kept in `spill`
 * (in memory only when it cannot be written). `unchanged`, from the last build's
 * manifest when it had the same inputs: the stamps of the sources unchanged
 * since, which are not read unless the cache misses; the others are the
 * articles this build expects to process.
 */
async function processArticles(
  paths: string[],
  setup: Setup,
  options: BuildOptions,
  files: VFile[],
  whole: boolean,
  spill: RecordSpill,
  unchanged?: Map<string, SourceStamp>
): Promise<{held: Held[]; stamps: SourceStamp[]; keys: Map<string, string>; counts: {processed: number; cached: number; remembered: number}; processingMs: number}> {
  const {site, knowledge, conventions} = setup
  const cache: ArticleCache | undefined = options.cache ? openCache(options.cache) : undefined
  const results: Array<Held | undefined> = []
  // Note: a memory serves builds with a cache (its entries are cache entries) and with the same inputs (their keys are made of them).
  const memory = cache && !whole ? options.memory : undefined
  if (memory && memory.inputsHash !== setup.inputsHash) Object.assign(memory, createBuildMemory(), {inputsHash: setup.inputsHash, processor: undefined, outputKeys: undefined})
  const tables = memory?.tables ?? summaryTables()
  let remembered = 0
  /** An article's result held: its record where `kept` (else in memory), and its summary but in a shard. */
  const hold = (result: ArticleResult, kept: RecordSource | undefined): Held => {
    const {path, messages, article} = result
    if (!article) return {path, messages}
    const record = kept ?? {article}
    // Note: a shard hands on whole records and links nothing: no summary.
    if (whole) return {path, messages, record}
    return {path, messages, summary: summarizeArticle(article, tables), record}
  }
  /**
   * The article under `key` if the cache holds it: from its summary (half
   * the bytes of its record) when one is stored beside the record it was made
   * from, else from its record. `prefetched`: its summary and the size of its
   * record as read ahead (`openSummaryReader`); else, or when that failed,
   * they are read here.
   */
  const fromCache = async (cache: ArticleCache, key: string, path: string, prefetched?: Promise<SummaryRead>): Promise<Held | undefined> => {
    const kept = memory?.articles.get(key)
    if (kept?.path === path) {
      remembered++
      return kept
    }
    const file = cache.file(key)
    if (!whole) {
      const read = await prefetched?.catch(() => undefined)
      const text = read ? read.text : await cache.readSummary(key)
      const brief = text === undefined ? undefined : parseSummary(text, tables)
      if (brief?.path === path) {
        const recordSize = read ? read.recordSize : (await stat(file).catch(() => undefined))?.size
        if (recordSize === brief.recordSize) return {path, messages: brief.messages, summary: brief.summary, record: {file}}
      }
    }
    const hit = await cache.get(key)
    if (hit?.path !== path) return undefined
    const found = hold(hit, {file})
    // Note: a shard makes no summary, so keeps none.
    const record = whole ? undefined : await stat(file).catch(() => undefined)
    if (record) await keepSummary(cache, key, found, record.size)
    return found
  }
  // Note: `value`, the text of a source, is dropped once it is processed or found in the cache.
  const sources: Array<{path: string; value: string | undefined; key: string}> = []
  const stamps: SourceStamp[] = []
  const misses: number[] = []
  /** When the first article was found to need processing, and when the last one processed was taken in. */
  let firstMiss: number | undefined
  let lastDone: number | undefined
  let cached = 0
  const progress = () => options.onProgress?.({phase: 'processing', done: cached + (misses.length - pending), total: paths.length, cached})
  let pending = 0
  const usable = cache && knowledge && conventions && site ? cache : undefined
  // Note: the summaries of the sources unchanged since the last build are read ahead, in order, on a thread of their own.
  const requestOf = new Map<number, number>()
  const requests: SummaryRequest[] = []
  if (usable && unchanged && !whole) {
    for (const [index, path] of paths.entries()) {
      const recorded = unchanged.get(path)
      if (!recorded) continue
      const key = articleKey(setup.inputsHash, path, recorded.hash)
      if (memory?.articles.has(key)) continue
      requestOf.set(index, requests.length)
      requests.push({summary: usable.summaryFile(key), record: usable.file(key)})
    }
  }
  const summaries = requests.length > 0 ? openSummaryReader(requests) : undefined
  /** Read the source at `index` (unless found from its recorded stamp: `value` is then undefined) and look it up in the cache. */
  const read = async (index: number): Promise<{index: number; path: string; stamp: SourceStamp; value: string | undefined; key: string; found: Held | undefined}> => {
    const path = paths[index]!
    // Note: a source as the last build recorded it is not read (its key is made from the hash recorded), unless the cache misses.
    const recorded = unchanged?.get(path)
    const known = recorded && usable ? articleKey(setup.inputsHash, path, recorded.hash) : undefined
    const request = requestOf.get(index)
    const hit = known !== undefined ? await fromCache(usable!, known, path, request === undefined ? undefined : summaries?.get(request)) : undefined
    if (hit) return {index, path, stamp: recorded!, value: undefined, key: known!, found: hit}
    const {stamp, value} = await readArticleSource(path)
    const key = cache ? articleKey(setup.inputsHash, path, stamp.hash) : ''
    const found = usable && key !== known ? await fromCache(usable, key, path) : undefined
    return {index, path, stamp, value, key, found}
  }
  /** Take in an article's result, and its summary when a worker made it: then the summary is all this thread reads. */
  const done = async (index: number, record: Uint8Array, summary?: string) => {
    const source = sources[index]!
    const stored = await cache?.set(source.key, record)
    // Note: a record the cache does not store is appended to the spill (at 10,000 bench articles, held whole in memory, they took a
    // build without a cache to a peak RSS of 1.8 GB); only when that fails too is it held in memory.
    const kept: RecordSource | undefined = stored ? {file: cache!.file(source.key)} : await spill.add(record).catch(() => undefined)
    const brief = kept && summary !== undefined ? parseSummary(summary, tables) : undefined
    if (brief?.path === source.path) {
      results[index] = {path: brief.path, messages: brief.messages, summary: brief.summary, record: kept}
      if (stored) await cache!.writeSummary(source.key, summary!)
    } else {
      const text = Buffer.from(record.buffer, record.byteOffset, record.byteLength).toString('utf8')
      const result = parseResult(text)
      if (!result) throw new Error(`The result of ${source.path} cannot be read back`)
      results[index] = hold(result, kept)
      if (stored) await keepSummary(cache!, source.key, results[index]!, record.byteLength)
    }
    source.value = undefined
    pending--
    lastDone = performance.now()
    progress()
  }
  /** The worker pool, once started: it is given the articles to process (`misses`, in that order) as they are found. */
  let pool: {feed: Feed<{path: string; value: string}>; run: Promise<void>; limit: number} | undefined
  const startPool = async (size: number) => {
    const {processInPool} = await import('./workers.js')
    const feed = new Feed<{path: string; value: string}>()
    for (const index of misses) feed.push({path: sources[index]!.path, value: sources[index]!.value!})
    // Note: a pool that fails (a worker that cannot start or dies) is not fatal: what it left is processed here.
    const snapshot = await knowledgeSnapshot(options.cache)
    const run = processInPool(size, {source: options.source, site: site!, conventions: conventions!, summaries: !whole, ...(snapshot ? {snapshot} : {})}, feed, (task, record, summary) => done(misses[task]!, record, summary))
      .catch(() => undefined)
      // Note: once the pool has ended (or failed), reading no longer waits for it to take sources.
      .then(() => feed.abandon())
    pool = {feed, run, limit: sourcesAhead * size}
  }
  const jobs = options.jobs ?? 0
  /**
   * Whether `count` articles to process go to a pool: more than one, or one
   * in a build of at least `poolForOneFrom` articles without a memory (else
   * this thread processes it; with a memory, with the processor it keeps).
   */
  const pooled = async (count: number) => jobs > 0 && (count > 1 || (count === 1 && !memory && paths.length >= (await import('./workers.js')).poolForOneFrom))
  /** How many articles the build expects to process, when the last build's manifest tells: its sources changed since. */
  const expected = unchanged && paths.length - unchanged.size
  // Note: when the build expects articles to process, the workers start at once and load the knowledge while
  // the others are read: after one change at 10,000 bench articles, reading ended 3.5 s before the one worker, started then,
  // had processed the article. With more found than expected (cache entries lost), the pool, of the size expected, takes them all.
  if (expected !== undefined && knowledge && conventions && site && (await pooled(expected))) await startPool(Math.min(jobs, expected))
  // Note: the next sources and cache entries are read while one is taken in, in path order.
  try {
    for await (const {index, path, stamp, value, key, found} of inOrder(paths.length, readAhead, read, turnEvery)) {
      stamps.push(stamp)
      // Note: the text of a source is kept only until it is processed (an archive's texts are hundreds of megabytes).
      sources.push({path, value: found ? undefined : value, key})
      if (found) {
        results[index] = found
        cached++
        progress()
        continue
      }
      misses.push(index)
      firstMiss ??= performance.now()
      pending++
      if (pool) {
        await pool.feed.room(pool.limit)
        pool.feed.push({path, value: value!})
      }
      // Note: once enough articles need processing, the workers start (they take a few seconds to load the knowledge) and work while the rest are read.
      else if (knowledge && conventions && site && jobs > 0 && misses.length >= poolAfter * jobs) await startPool(jobs)
    }
  } finally {
    await summaries?.close()
  }
  if (knowledge && conventions && site && !pool && (await pooled(misses.length))) await startPool(Math.min(jobs, misses.length))
  // Note: a pool started for articles expected to change is closed even when none needed processing (the cache held them).
  if (pool) {
    pool.feed.close()
    await pool.run
  }
  /** The main thread's processor: the memory's, when it was made of these inputs (the knowledge files, the conventions, the site), else made now (and kept by the memory). */
  const processorOf = (knowledge: NonNullable<Setup['knowledge']>, conventions: NonNullable<Setup['conventions']>, site: NonNullable<Setup['site']>) => {
    if (memory?.processor?.inputsHash === setup.inputsHash) return memory.processor.made
    const made = (async () => {
      const [{createKnowledge}, {loadBase}, {createArticleProcessor}] = await Promise.all([import('./knowledge/index.js'), import('./knowledge/base.js'), import('./process.js')])
      const full = createKnowledge(knowledge.registry, knowledge.lexicon, knowledge.cameo, knowledge.events, await loadBase(baseSnapshot(await knowledgeSnapshot(options.cache))))
      return {processor: createArticleProcessor(full, {conventions, site}), knowledge: full}
    })()
    if (memory) memory.processor = {inputsHash: setup.inputsHash, made}
    return made
  }
  if (knowledge && conventions && site && misses.length > 0) {
    const left = misses.filter((index) => !results[index])
    if (left.length > 0) {
      const [{processSource}, {processor, knowledge: full}] = await Promise.all([import('./stage.js'), processorOf(knowledge, conventions, site)])
      for (const index of left) {
        const {path, value} = sources[index]!
        await done(index, await processSource(path, value!, processor, full))
      }
    }
  }
  if (memory) {
    // Note: for `--watch`, which makes it once the build is told, while it waits for a change (the first change then loads no knowledge).
    memory.prepare = knowledge && conventions && site ? () => void processorOf(knowledge, conventions, site) : undefined
    memory.articles = new Map()
    for (const [index, {key}] of sources.entries()) {
      const result = results[index]
      // Note: a record in the spill is not kept: the spill is removed when this build is done.
      if (result?.summary && result.record && 'file' in result.record && !('start' in result.record)) memory.articles.set(key, result as RememberedArticle)
    }
  }
  const held: Held[] = []
  for (const [index, {path, value}] of sources.entries()) {
    const result = results[index]
    if (!result) {
      files.push(new VFile(value === undefined ? {path} : {path, value}))
      continue
    }
    // Note: without the source text, which is read again in the rare case a cross-article message must be placed in it (link.ts).
    files.push(resultFile({path: result.path, messages: result.messages}))
    held.push(whole ? result : {...result, messages: []})
  }
  const keys = new Map(cache ? sources.map(({path, key}) => [path, key]) : [])
  const processingMs = firstMiss !== undefined && lastDone !== undefined ? since(firstMiss, lastDone) : 0
  return {held, stamps, keys, counts: {processed: misses.length, cached, remembered}, processingMs}
}

/** Where the last build's outputs are in `out`, found intact there, and which directory `out` was then (`directoryIdentity`). */
type LastOutputs = Pick<Manifest, 'articleOutputs' | 'entityOutputs'> & {identity: string}

/** What a build with a cache knows to reuse: the key of each article's record, and where the last build's outputs are, when they are intact. */
function reuseOf(recordKeys: Map<string, string>, last: LastOutputs | undefined): Reuse {
  return {
    outIdentity: last?.identity,
    recordKeys,
    previous: last && new Map(Object.entries(last.articleOutputs)),
    ledger: new Map(),
    previousEntities: last && new Map(Object.entries(last.entityOutputs)),
    entityLedger: new Map(),
    reused: 0,
    reusedEntities: 0,
    copiedBytes: 0
  }
}

/** Store the summary of an article beside its cache entry, for the next build (not for a shard, which makes none). */
async function keepSummary(cache: ArticleCache, key: string, {path, messages, summary}: Held, recordSize: number): Promise<void> {
  if (summary) await cache.writeSummary(key, serializeSummary({format: recordFormat, path, recordSize, messages, summary}))
}

/** The files that have messages, each with its messages as data (as the manifest keeps them): those still kept as data (`quiet`) as they are. */
function* withMessages(files: VFile[]): Generator<{path: string; messages: MessagesData}> {
  for (const file of files) {
    const infos = deferredOnly(file)
    if (infos) yield {path: file.path, messages: infos}
    else if (file.messages.length > 0) yield {path: file.path, messages: toResult(file, undefined).messages}
  }
}

/** Where a build with a cache keeps what it makes of its knowledge (`loadKnowledgeFiles`, `loadBase`); nowhere without a cache. */
async function knowledgeSnapshot(cache: string | undefined): Promise<KnowledgeSnapshot | undefined> {
  return cache === undefined ? undefined : {dir: cache, version: await pipelineVersion()}
}
