// The per-article record: what the per-article stage leaves of an article, as JSON (cached, sent by workers, written by shards).
import {VFile} from 'vfile'
import {VFileMessage} from 'vfile-message'
import type {Article} from './types.js'
import {asciiJsonChunks} from './json.js'

/** Version of the record format; a record of another version is ignored (rebuilt). */
export const recordFormat = 1

/** A vfile message as plain data: its reason, place, ruleId, severity and cause. */
export interface MessageData {
  reason: string
  ruleId: string | undefined
  source: string | undefined
  /** `true` error, `false` warning, `null` info. */
  fatal: boolean | null
  place: VFileMessage['place']
  cause?: {reason: string; source: string | undefined; place: VFileMessage['place']; file: string | undefined}
}

/** One article as the per-article stage leaves it: a pure function of its inputs. */
export interface ArticleResult {
  format: typeof recordFormat
  /** The path of the source file, as listed. */
  path: string
  /** The article, or `undefined` when the file has errors. */
  article?: Article
  /** The messages of the file, in order. */
  messages: MessageData[]
}

/** The record of a processed file (its messages) and its article. */
export function toResult(file: VFile, article: Article | undefined): ArticleResult {
  return {format: recordFormat, path: file.path, ...(article ? {article: compact(article)} : {}), messages: file.messages.map(toMessageData)}
}

/**
 * What later stages need of an article: its text's value but not its
 * source mapping, no sentence list (mentions and evidence carry their own
 * offsets). Note: the per-article stage is done with them; the record is
 * kept for every article of the archive at once.
 */
function compact(article: Article): Article {
  return {...article, text: {value: article.text.value, blocks: [], segments: [], links: []}, sentences: []}
}

function toMessageData(message: VFileMessage): MessageData {
  const cause = message.cause instanceof VFileMessage ? message.cause : undefined
  return {
    reason: message.reason,
    ruleId: message.ruleId,
    source: message.source,
    fatal: message.fatal ?? null,
    place: message.place,
    ...(cause ? {cause: {reason: cause.reason, source: cause.source, place: cause.place, file: cause.file}} : {})
  }
}

/**
 * Serialize a result, in chunks (`asciiJsonChunks`: an article's record is
 * never made one string); `parseResult` reads it back. Every result goes
 * through JSON, cached or not, so all paths give the same article.
 */
export function serializeResult(result: ArticleResult): string[] {
  return asciiJsonChunks(result)
}

/** Read a serialized result; `undefined` when it is not one (corrupt, or of another format). */
export function parseResult(text: string): ArticleResult | undefined {
  try {
    const value = JSON.parse(text) as ArticleResult
    if (value === null || typeof value !== 'object' || value.format !== recordFormat || typeof value.path !== 'string' || !Array.isArray(value.messages)) return undefined
    if (value.article !== undefined && (typeof value.article !== 'object' || typeof value.article.slug !== 'string' || typeof value.article.body !== 'string')) return undefined
    return value
  } catch {
    return undefined
  }
}

/** Put the messages of a result on `file` (a file of that path), as the per-article stage made them. */
export function restoreMessages(file: VFile, messages: MessageData[]): void {
  // Note: a VFileMessage is an Error; without a stack to capture, restoring the messages of a large archive
  // (a no-op build reports them all again) takes a fifth of the time.
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = 0
  try {
    restore(file, messages)
  } finally {
    Error.stackTraceLimit = limit
  }
}

/**
 * The rule ids and sources of the messages restored, each held once: an
 * archive's messages are mostly a few rules (`entity-suggestion`), and each
 * read back from JSON is a string of its own.
 */
const names = new Map<string, string>()

function named(value: string | undefined): string | undefined {
  return value === undefined ? undefined : held(names, value, 1024)
}

/**
 * The reasons of the messages held as data, each held once: an archive
 * suggests the same unknown entity in many articles (137,000 suggestions, of
 * 7,400 reasons, at 10,000 bench articles).
 */
const reasons = new Map<string, string>()

/** `value`, or the string equal to it already in `table`, which keeps at most `limit` (the tables here live as long as the process). */
export function held(table: Map<string, string>, value: string, limit = Infinity): string {
  const known = table.get(value)
  if (known !== undefined) return known
  if (table.size < limit) table.set(value, value)
  return value
}

function restore(file: VFile, messages: MessageData[]): void {
  for (const data of messages) {
    let cause: VFileMessage | undefined
    if (data.cause) {
      cause = new VFileMessage(data.cause.reason, {...(data.cause.place ? {place: data.cause.place} : {}), ...(data.cause.source ? {source: data.cause.source} : {})})
      if (data.cause.file !== undefined) cause.file = data.cause.file
    }
    const message = file.message(data.reason, {
      ...(data.ruleId ? {ruleId: named(data.ruleId)} : {}),
      ...(data.source ? {source: named(data.source)} : {}),
      ...(data.place ? {place: data.place} : {}),
      ...(cause ? {cause} : {})
    })
    message.fatal = data.fatal === null ? undefined : data.fatal
  }
}

/**
 * The infos of a file as their JSON (`asciiJson` of their data, as a cached
 * summary stores them), parsed only when asked for: a rebuild that reports
 * none of them (`--quiet`) counts them and copies their JSON into the
 * manifest. Note: with the 137,000 suggestions of 10,000 bench articles
 * parsed from every summary and their reasons looked up, reading the
 * articles of a rebuild after one change took 5.7–6.4 s; kept as JSON,
 * 4.4–4.7 s.
 */
export interface InfosJson {
  count: number
  json: string
}

/** A file's messages as data: each parsed, or infos alone as their JSON. */
export type MessagesData = MessageData[] | InfosJson

/** How many messages `messages` are. */
export function messageCount(messages: MessagesData): number {
  return Array.isArray(messages) ? messages.length : messages.count
}

/** The messages of `messages`, parsed when they are JSON; throws when that JSON is not of `count` infos. */
export function parsedMessages(messages: MessagesData): MessageData[] {
  if (Array.isArray(messages)) return messages
  const parsed = JSON.parse(messages.json) as MessageData[]
  if (!Array.isArray(parsed) || parsed.length !== messages.count || parsed.some((message) => message?.fatal !== null || typeof message.reason !== 'string')) {
    throw new Error(`Unexpected messages kept as JSON, expected ${messages.count} infos`)
  }
  return parsed
}

/** Messages of a file put on it later (`restoreDeferred`), as data meanwhile. */
const deferred = new WeakMap<VFile, MessagesData>()

/**
 * A VFile for a result whose source was not processed here (a cache hit, a
 * worker, a shard, the last build's manifest). Its messages, when they are
 * all infos, are put on it by `restoreDeferred` (which `finish` calls on
 * every file of a build or merge): as data they take a fraction of the
 * memory (an archive has a hundred thousand suggestions, held while its site
 * is written), and infos neither fail a build nor are read before it is
 * summed up. Errors and warnings are put on it at once. Infos given as their
 * JSON (`InfosJson`) stay so until they are put on it.
 */
export function resultFile(result: {path: string; messages: MessagesData}): VFile {
  const file = new VFile({path: result.path})
  const {messages} = result
  if (!Array.isArray(messages)) {
    if (messages.count > 0) deferred.set(file, messages)
  } else if (messages.some((message) => message.fatal !== null)) restoreMessages(file, messages)
  else if (messages.length > 0) {
    // Note: their reasons, rule ids and sources held once (read back from JSON, each is a string of its own: 20 MB of an archive's suggestions).
    for (const message of messages) {
      message.reason = held(reasons, message.reason, 16_384)
      message.ruleId = named(message.ruleId)
      message.source = named(message.source)
    }
    deferred.set(file, messages)
  }
  return file
}

/**
 * The messages `resultFile` kept as data on `file` (all infos), when no
 * other was put on it since; else `undefined`.
 */
export function deferredOnly(file: VFile): MessagesData | undefined {
  return file.messages.length === 0 ? deferred.get(file) : undefined
}

/** Put the messages `resultFile` kept as data on their files, before the messages made since (same order as made at once). */
export function restoreDeferred(files: VFile[]): void {
  for (const file of files) {
    const messages = deferred.get(file)
    if (!messages) continue
    deferred.delete(file)
    const later = file.messages.splice(0)
    restoreMessages(file, parsedMessages(messages))
    file.messages.push(...later)
  }
}
