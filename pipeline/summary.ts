// Summaries: what the site-wide steps keep of each article, and where its whole record is read back from when its own outputs are written.
import {readText} from './cache.js'
import {held, parseResult, recordFormat, type ArticleResult, type MessageData, type MessagesData} from './record.js'
import {asciiJson} from './json.js'
import {readRange, type RecordRange} from './spill.js'
import {copy, SummaryEvents} from './summary-events.js'
import type {Article, ArticleEntity, ArticleSummary, MentionCounts} from './types.js'

/**
 * What the summaries of one build share: entities as the articles describe
 * them, by their JSON (a country named in thousands of articles, with its
 * aliases, is then held once), and the strings they repeat (entity ids,
 * CAMEO codes, event ids, dates, statuses, roles), each held once.
 */
export interface SummaryTables {
  entities: Map<string, ArticleEntity>
  strings: Map<string, string>
  /** Name forms (`[entity id, form]`), by entity id, then by form: most articles repeat ones others have. */
  pairs: Map<string, Map<string, [string, string]>>
}

/** Tables for the summaries of one build. */
export function summaryTables(): SummaryTables {
  return {entities: new Map(), strings: new Map(), pairs: new Map()}
}

/**
 * The summary of an article: its facts, its mentions counted, what the
 * site shows of its events and the text of their first evidence (as
 * columns, `SummaryEvents`). With
 * `tables`, what it repeats of other summaries is shared with them.
 */
export function summarizeArticle(article: Article, tables?: SummaryTables): ArticleSummary {
  const {body, text, sentences, quotations, mentions, ...facts} = article
  const shared = sharing(tables)
  const mentionCounts: MentionCounts = {ids: [], counts: []}
  const place = new Map<string, number>()
  const nameForms: Array<[string, string]> = []
  const seen = new Set<string>()
  for (const mention of mentions) {
    const index = place.get(mention.entityId)
    if (index === undefined) {
      place.set(mention.entityId, mentionCounts.ids.length)
      mentionCounts.ids.push(shared.one(mention.entityId))
      mentionCounts.counts.push(1)
    } else mentionCounts.counts[index]!++
    if (mention.kind !== 'name') continue
    const key = pairKey(mention.entityId, mention.text)
    if (seen.has(key)) continue
    seen.add(key)
    nameForms.push(shared.pair(mention.entityId, mention.text))
  }
  const events = SummaryEvents.of(facts.events, text.value, shared.one)
  const entities = tables ? facts.entities.map((entity) => share(tables.entities, entity)) : facts.entities
  return {...facts, entities, events, mentionCounts, nameForms}
}

/**
 * How a summary holds what it repeats of others: its strings and name forms
 * each held once for all the summaries of `tables`; without tables, as they
 * are (strings) or new (pairs).
 */
interface Sharing {
  one: (value: string) => string
  pair: (id: string, form: string) => [string, string]
}

/** How a summary shares what it repeats; `parsed` when its strings were read by `JSON.parse`. */
function sharing(tables: SummaryTables | undefined, parsed = false): Sharing {
  if (!tables) return {one: (value) => value, pair: (id, form) => [id, form]}
  // Note: V8's JSON.parse gives strings of at most 10 characters from its table of strings (internalized): such a
  // string read back from a summary (a date, a code, a role, an event id) is shared already, without a lookup here.
  const one = parsed ? (value: string) => (value.length <= 10 ? value : held(tables.strings, value)) : (value: string) => held(tables.strings, value)
  return {one, pair: (id, form) => heldBy(tables.pairs, id, form, () => [one(id), one(form)])}
}

/** The key of an entity id and another string (a form of its name). Note: a NUL cannot be in an entity id, so the key is unambiguous. */
function pairKey(id: string, other: string): string {
  return `${id}\u0000${other}`
}

/** The value of `table` for an entity id and another string, made by `make` the first time. Note: by one map per id, not by a key joining the two: a string made for every lookup. */
function heldBy<T>(table: Map<string, Map<string, T>>, id: string, other: string, make: () => T): T {
  let byOther = table.get(id)
  if (byOther === undefined) {
    byOther = new Map()
    table.set(copy(id), byOther)
  }
  let value = byOther.get(other)
  if (value === undefined) {
    value = make()
    byOther.set(copy(other), value)
  }
  return value
}

function share(shared: Map<string, ArticleEntity>, entity: ArticleEntity): ArticleEntity {
  const key = asciiJson(entity)
  const known = shared.get(key)
  if (known) return known
  shared.set(key, entity)
  return entity
}

/**
 * An article's summary as the cache keeps it beside its record (`<key>.summary.json`),
 * with the path and messages of its result: what a rebuild needs of an
 * article that did not change, half the bytes of its record to read.
 */
export interface CachedSummary {
  format: typeof recordFormat
  path: string
  /** Bytes of the record beside it: a record of another size (damaged, replaced) is not the one summarized. */
  recordSize: number
  /** Read back, infos alone stay their JSON (`InfosJson`) until they are shown. */
  messages: MessagesData
  summary: ArticleSummary
}

/**
 * Serialize a cached summary; `parseSummary` reads it back. Its entities
 * follow on lines of their own (one JSON each), after the rest and their
 * count: read back, an entity already held is found by its line, neither
 * parsed nor serialized again to be shared. Its messages come last, on a
 * line of their own; when they are all infos, the first line tells how many
 * (`infos`), and they are read back as their JSON.
 */
export function serializeSummary(value: CachedSummary): string {
  const {entities, ...summary} = value.summary
  const {messages, ...rest} = value
  const infos = Array.isArray(messages) ? (messages.every((message) => message.fatal === null) ? messages.length : undefined) : messages.count
  // Note: JSON escapes every line break, so each entity, and the messages, are one line each.
  const head = asciiJson({...rest, summary, entityLines: entities.length, ...(infos === undefined ? {} : {infos})})
  return [head, ...entities.map((entity) => asciiJson(entity)), Array.isArray(messages) ? asciiJson(messages) : messages.json].join('\n')
}

/**
 * Read a cached summary back, its entities and strings shared through
 * `tables` as `summarizeArticle` shares them; `undefined` when it is not one
 * (corrupt, cut short, or of another format): the record is read instead.
 */
export function parseSummary(text: string, tables?: SummaryTables): CachedSummary | undefined {
  const lines = text.split('\n')
  let value: Omit<CachedSummary, 'messages'> & {entityLines?: number; infos?: number}
  try {
    value = JSON.parse(lines[0]!) as typeof value
  } catch {
    return undefined
  }
  const summary = value?.summary
  if (value === null || typeof value !== 'object' || value.format !== recordFormat || typeof value.path !== 'string' || typeof value.recordSize !== 'number' || value.entityLines !== lines.length - 2) return undefined
  if (summary === null || typeof summary !== 'object' || typeof summary.slug !== 'string' || summary.entities !== undefined || !Array.isArray(summary.nameForms)) return undefined
  const messages = readMessages(lines.at(-1)!, value.infos)
  if (messages === undefined) return undefined
  const counts = summary.mentionCounts
  if (counts === null || typeof counts !== 'object' || !Array.isArray(counts.ids) || !Array.isArray(counts.counts) || counts.ids.length !== counts.counts.length) return undefined
  const entities: ArticleEntity[] = []
  for (const line of lines.slice(1, -1)) {
    // Note: `share` keys an entity by its JSON, which is this line.
    const known = tables?.entities.get(line)
    if (known) {
      entities.push(known)
      continue
    }
    let entity: ArticleEntity
    try {
      entity = JSON.parse(line) as ArticleEntity
    } catch {
      return undefined
    }
    if (entity === null || typeof entity !== 'object' || typeof entity.id !== 'string') return undefined
    // Note: copied, so that the key does not keep the whole text it was split from alive.
    tables?.entities.set(copy(line), entity)
    entities.push(entity)
  }
  summary.entities = entities
  const shared = sharing(tables, true)
  counts.ids = counts.ids.map(shared.one)
  summary.nameForms = summary.nameForms.map(([id, form]) => shared.pair(id, form))
  const events = SummaryEvents.fromJSON(summary.events, shared.one)
  if (events === undefined) return undefined
  summary.events = events
  const {entityLines: _count, infos: _infos, ...cached} = value
  return {...cached, messages}
}

/**
 * The messages of a summary from their line: parsed, or, when the summary
 * tells they are `infos` infos, their JSON (checked, not parsed: an array of
 * that many messages, each an info); `undefined` when they are not.
 */
function readMessages(line: string, infos: number | undefined): MessagesData | undefined {
  if (infos === undefined) {
    try {
      const messages = JSON.parse(line) as unknown
      return Array.isArray(messages) ? (messages as MessageData[]) : undefined
    } catch {
      return undefined
    }
  }
  if (typeof infos !== 'number') return undefined
  if (infos === 0) return line === '[]' ? [] : undefined
  if (!line.startsWith('[{') || !line.endsWith('}]') || line.includes('"fatal":true') || line.includes('"fatal":false')) return undefined
  // Note: a quotation mark in a string is escaped, so `"fatal":` is found only as a key.
  let found = 0
  for (let at = line.indexOf('"fatal":null'); at !== -1; at = line.indexOf('"fatal":null', at + 12)) found++
  return found === infos ? {count: infos, json: copy(line)} : undefined
}

/**
 * The cached summary (`serializeSummary`) of a result whose record has
 * `recordSize` bytes; `undefined` when it has no article. Note: made from
 * the result as the stage left it, not read back from its record: the same
 * JSON, since a record and a summary are JSON of the same values.
 */
export function summarizeResult({path, messages, article}: ArticleResult, recordSize: number): string | undefined {
  return article ? serializeSummary({format: recordFormat, path, recordSize, messages, summary: summarizeArticle(article)}) : undefined
}

/**
 * Where an article's whole record is while the site is written: in memory,
 * in a file holding its serialized result (a cache entry), or in a byte
 * range of a file of records (a build's spill, a shard's `records.jsonl`).
 */
export type RecordSource = {article: Article} | {file: string} | RecordRange

/**
 * The serialized result an article's record is (not one in memory); throws
 * with the reason when it cannot be read: `where` the record was kept
 * (the cache, or the file of the range).
 */
export async function recordText(source: {file: string} | RecordRange, path: string): Promise<string> {
  try {
    return 'start' in source ? await readRange(source) : await readText(source.file)
  } catch (error) {
    throw new Error(`Cannot read the record of \`${path}\` back from ${where(source)} (${(error as Error).message}); was ${'start' in source ? 'it' : 'the cache'} removed during the build?`)
  }
}

/** The whole record of an article; throws with the reason when its file is gone or is not that article's result. */
export async function readRecord(source: RecordSource, path: string): Promise<Article> {
  if ('article' in source) return source.article
  const article = parseResult(await recordText(source, path))?.article
  if (!article || article.path !== path) throw new Error(`Cannot read the record of \`${path}\` back from ${where(source)}: \`${source.file}\` no longer holds it`)
  return article
}

/** Where a record kept in a file is, in a message: the cache, or the file of records its range is in. */
function where(source: {file: string} | RecordRange): string {
  return 'start' in source ? `\`${source.file}\`` : 'the cache'
}

/** How many times an article mentions the entity `id` (0 when it does not). */
export function mentionCount({ids, counts}: MentionCounts, id: string): number {
  const index = ids.indexOf(id)
  return index === -1 ? 0 : counts[index]!
}

