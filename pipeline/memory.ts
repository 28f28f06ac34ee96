// What a long-lived process (`newsgraph build --watch`) keeps from one build to the next: the articles read, the main thread's processor, the keys of the outputs and the last manifest.
import type {OutputKeys} from './emit/article.js'
import type {Knowledge} from './knowledge/index.js'
import type {KeptManifest} from './manifest.js'
import type {ArticleProcessor} from './process.js'
import type {MessagesData} from './record.js'
import {summaryTables, type SummaryTables} from './summary.js'
import type {ArticleSummary} from './types.js'

/** An article as the last build held it: its messages, its summary, and the cache entry holding its whole record. */
export interface RememberedArticle {
  path: string
  messages: MessagesData
  summary: ArticleSummary
  record: {file: string}
}

/**
 * What builds in one process share (`BuildOptions.memory`), with a cache
 * only: keyed by cache key, which is made of everything an article's result
 * depends on, so an entry is the result the cache holds under that key.
 */
export interface BuildMemory {
  /** The inputs (`hashStageInputs`) of the builds it holds the articles of: a build of other inputs empties it. */
  inputsHash?: string
  /** The articles of the last build, by cache key; replaced by each build with its own. */
  articles: Map<string, RememberedArticle>
  /** The tables the summaries share their entities and strings through (`summaryTables`): kept with the summaries that use them. */
  tables: SummaryTables
  /** The knowledge and processor the main thread made, for the inputs (`hashStageInputs`) they were made of. */
  processor?: {inputsHash: string; made: Promise<{processor: ArticleProcessor; knowledge: Knowledge}>}
  /** The keys of the last build's articles' outputs, with what they were made of (`outputKeyMaker`): an article whose record and dependencies hash as they did keeps its key. */
  outputKeys?: OutputKeys
  /** The manifest of the last build into its `out`, but its messages (`lastManifest`): not read again while its file is the one it was. */
  manifest?: KeptManifest
  /** Make the main thread's processor for the last build's inputs, unless it is made (left by the last build that read articles): `--watch` calls it while it waits for a change. */
  prepare?: () => void
}

/** An empty memory, for the first build of a process. */
export function createBuildMemory(): BuildMemory {
  return {articles: new Map(), tables: summaryTables()}
}
