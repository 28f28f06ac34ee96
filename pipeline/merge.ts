// Merge: the site from the records of every shard (`newsgraph merge PART...`), as an unsharded build would make it.
import {VFile} from 'vfile'
import {since, type BuildResult} from './build.js'
import {hashStageInputs, readStageInputs} from './inputs.js'
import {hasErrors, report} from './message.js'
import {linkAndWrite, nothingReused, type Setup} from './publish.js'
import {resultFile, type ArticleResult} from './record.js'
import type {RecordRange} from './spill.js'
import type {ArticleSummary} from './types.js'
import {summarizeArticle, summaryTables} from './summary.js'
import type {Removal} from './write.js'

/** Options of `merge`. */
export interface MergeOptions {
  /** Output directories of `build --shard i/n`, every shard once. */
  parts: string[]
  source: string
  out: string
  baseUrl?: string
  strict?: boolean
  cwd?: string
  /** Worker threads that write and check the articles' outputs (`BuildOptions.jobs`); 0 (the default) does all in this thread. */
  jobs?: number
  /** How the last outputs in `out` are removed once swapped out (`BuildOptions.removal`). */
  removal?: Removal
}

/** Merge the records of every shard into the site: link, emit, check and write, as an unsharded build would. */
export async function merge(options: MergeOptions): Promise<BuildResult> {
  const started = performance.now()
  const buildFile = new VFile({path: options.source})
  const files: VFile[] = [buildFile]
  const inputsHash = await hashStageInputs(await readStageInputs(options.source, options.baseUrl))
  const {loadConventions, loadKnowledgeFiles, loadSite} = await import('./load.js')
  const site = await loadSite(options.source, options.baseUrl, files, buildFile)
  const setup: Setup = {site, knowledge: await loadKnowledgeFiles(options.source, files), conventions: await loadConventions(options.source, files), inputsHash}
  const setupEnded = performance.now()
  const {readShardManifest, readShardResults} = await import('./shard.js')
  const tables = summaryTables()
  /** What is kept of each result read: its messages, its summary, and where its record is in its shard's `records.jsonl` (read back from there when its outputs are written). */
  const read: Array<{path: string; messages: ArticleResult['messages']; summary?: ArticleSummary; range: RecordRange}> = []
  const seen = new Map<number, string>()
  let count: number | undefined
  const unreadable = (part: string, error: unknown) =>
    report(buildFile, `Cannot read shard \`${part}\`: ${(error as Error).message}; expected the output directory of \`newsgraph build --shard i/n\``, 'shard-unreadable')
  for (const part of options.parts) {
    let manifest
    try {
      manifest = await readShardManifest(part)
    } catch (error) {
      unreadable(part, error)
      continue
    }
    if (manifest.inputs !== inputsHash) {
      report(buildFile, `Unexpected shard \`${part}\` built from other inputs (sources' knowledge, schemas, base URL or newsgraph version), expected every shard built like this merge`, 'shard-mismatch')
    } else if (count !== undefined && manifest.count !== count) {
      report(buildFile, `Unexpected shard \`${part}\` of ${manifest.count} shards, expected ${count} like the others`, 'shard-mismatch')
    } else if (seen.has(manifest.shard)) {
      report(buildFile, `Unexpected second shard ${manifest.shard}/${manifest.count} in \`${part}\`, first in \`${seen.get(manifest.shard)}\``, 'shard-duplicate')
    } else {
      // Note: each article is summarized as it is read and its record let go: whole, the records of 10,000 bench articles took gigabytes.
      const results: typeof read = []
      try {
        await readShardResults(part, manifest, ({result: {path, messages, article}, range}) => results.push({path, messages, ...(article ? {summary: summarizeArticle(article, tables)} : {}), range}))
      } catch (error) {
        unreadable(part, error)
        continue
      }
      count = manifest.count
      seen.set(manifest.shard, part)
      for (const result of results) read.push(result)
    }
  }
  const missing = count === undefined ? [] : Array.from({length: count}, (_, index) => index + 1).filter((index) => !seen.has(index))
  if (missing.length > 0) report(buildFile, `Missing shard${missing.length === 1 ? '' : 's'} ${missing.map((index) => `${index}/${count}`).join(', ')}, expected every shard of the archive`, 'shard-missing')
  if (read.length === 0 && !hasErrors(buildFile)) report(buildFile, 'Unexpected merge without articles, expected shards holding records', 'source-empty', {fatal: false})
  // Note: the order of an unsharded build: paths in code-point order.
  read.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  for (const {path, messages} of read) files.push(resultFile({path, messages}))
  const records = new Map(read.flatMap(({summary, range}) => (summary ? [[summary, range] as const] : [])))
  const articlesEnded = performance.now()
  const summary = await linkAndWrite([...records.keys()], records, files, buildFile, setup, options)
  // Note: the shards' records are the articles read; none is processed.
  const timings = {setup: since(started, setupEnded), articles: since(setupEnded, articlesEnded), processing: 0, merge: since(articlesEnded)}
  return {...summary, processed: 0, cached: 0, remembered: 0, ...nothingReused, timings}
}
