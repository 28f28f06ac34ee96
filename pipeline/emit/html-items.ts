// What every HTML page draws on: the site's records, indexed once, and the list items of articles and events.
import type {Element, ElementContent} from 'hast'
import {h} from 'hastscript'
import type {Site} from '../config.js'
import type {SiteEntity} from '../link.js'
import type {ArticleFacts, ArticleSummary, EventBrief, SummaryEvent} from '../types.js'
import type {CameoTable} from '../knowledge/events.js'
import {eachRole, releasedEvent} from '../summary-events.js'
import {eventId, summaryEventRecord, type EventBriefRecord} from './events.js'
import {compare, type JsonLdDocument, type JsonLdNode} from './jsonld.js'
import {joinContent, link, relativeHref, text, time} from './html-page.js'
import {feedItemLimit, toUtcKey, utcKey} from './rss.js'

/** What `emitHtml` is given: the site, its articles and entities, the CAMEO table, and the JSON-LD `emitSite` built. */
export interface HtmlInput {
  site: Site
  articles: ArticleSummary[]
  entities: SiteEntity[]
  /** `articles/<slug>.jsonld` → its document (for `emitHtml`; `emitOutputs` hands each page its document). */
  documents?: Map<string, JsonLdDocument>
  /** The published node of an @id and its document's context; else the first node of that @id in `documents`. */
  publishedNode?: (id: string) => PublishedNode | undefined
  cameo: CameoTable
}

/**
 * Most events a page lists (the home page, an entity's page): the newest,
 * like the feeds. Every event is on its article's page and in
 * `data/events.csv`; a page that lists everything grows with the archive
 * (tens of megabytes for a country named in thousands of articles).
 */
export const pageEventLimit = 100

/** The note under a list of events cut to `pageEventLimit`, pointing at where the rest are. */
export function moreEvents(from: string, total: number): Element | undefined {
  if (total <= pageEventLimit) return undefined
  return h('p', {className: ['meta']}, [
    text(`The newest ${pageEventLimit} of ${total} events. Every event is listed on the page of the article that reports it, and in `),
    h('a', {href: relativeHref(from, 'data/events.csv')}, 'events.csv'),
    text('.')
  ])
}

/**
 * An event with the article that reports it. Its `record` (its row of
 * `data/events.csv`) is made each time it is asked for: a site has hundreds
 * of thousands of events, and its pages and feeds show the newest few.
 */
export class SiteEvent {
  readonly event: SummaryEvent
  /** Its number in the article: `event-<n>` is its fragment. */
  readonly number: string
  // Note: made when first asked for: the keys of the entities' pages read the events of each page, not their ids and dates.
  private madeId: string | undefined
  private madeDate: string | undefined

  constructor(
    readonly article: ArticleSummary,
    /** Its place in `article.events`. */
    readonly index: number,
    /** Its number among the site's events (`eventIndex`: the articles in order, then each one's events in text order), by which what is drawn of it once for many pages is kept. */
    readonly serial: number,
    private readonly tables: {entityById: Map<string, SiteEntity>; cameo: CameoTable}
  ) {
    this.event = article.events.at(index)
    if (this.event === releasedEvent) throw new Error(`Unexpected event ${index + 1} of \`${article.slug}\` drawn after it was let go, as no page or feed shows it (\`releaseUnshownEvents\`)`)
    this.number = this.event.id.slice(1)
  }

  /** `<article slug>-<event id>`, its id in `data/events.csv`. */
  get id(): string {
    return (this.madeId ??= eventId(this.article, this.event))
  }

  /** Date-time with the article's offset that orders it (its start, else the article's date). */
  get date(): string {
    return (this.madeDate ??= eventDate(this.article, this.event))
  }

  get record(): EventBriefRecord {
    return summaryEventRecord(this.article, this.index, this.tables.entityById, this.tables.cameo)
  }
}

/**
 * Events newest first (by date, then id): how many there are, and the first
 * of them, made when asked for. A site has hundreds of thousands of events;
 * a page or feed shows the newest hundred.
 */
export interface EventList<T> {
  length: number
  /**
   * The first `limit`; with `ties`, also those after them that share the
   * date of the last one (for a feed that orders events of one date
   * otherwise, so that it can still take its first `limit`).
   */
  first(limit: number, ties?: boolean): T[]
}

/** The input, indexed for the pages. */
export interface HtmlContext extends HtmlInput {
  base: string
  /** Newest first. */
  newest: ArticleSummary[]
  entityById: Map<string, SiteEntity>
  /** The site's events. */
  events: EventList<SiteEvent>
  /** An article's events, in text order. */
  eventsOfArticle: (slug: string) => SiteEvent[]
  /** Per entity id, the articles naming it (newest first). */
  articlesByEntity: Map<string, ArticleSummary[]>
  /** Per entity id, how many times each article of `articlesByEntity` mentions it, in the same order. */
  mentionsByEntity: Map<string, number[]>
  /** The events an entity takes part in, with its role. */
  eventsOfEntity: (id: string) => EventList<{item: SiteEvent; role: string}>
  /** The first published node of an @id and its document's context. */
  nodeOf: (id: string) => PublishedNode | undefined
  /**
   * The keys (`toUtcKey`) of an article's dates (published, and last
   * modified) and of an event's date (by its `serial`), each made once for
   * all the feeds that sort by them: of the articles and events of the
   * context only.
   */
  utcKeys: {
    published: (article: ArticleSummary) => string
    modified: (article: ArticleSummary) => string
    event: (serial: number) => string
  }
  /** Pieces drawn once and used on many entity pages and feeds (`html-entities.ts`). */
  drawn: {
    /** An article's list item on an entity page, as HTML before and after its count of mentions, by slug. */
    articleItems: Map<string, [string, string]>
    /** An article's feed item, as XML, by slug. */
    articleFeedItems: Map<string, string>
    /** An event's feed item, as XML, by its `serial`: kept while another entity feed may draw it. */
    eventFeedItems: Map<number, string>
    /** How many entity feeds may still draw each event, by its `serial` (counted on the first entity page drawn). */
    eventFeedUses?: Uint16Array
  }
  /**
   * Let go of every event that no page or feed of the site draws, and return
   * how many: the site's events and each entity's are listed newest first,
   * and a page shows the first `pageEventLimit` of a list, a feed the first
   * `feedItemLimit` and their ties (at 10,000 bench articles, a quarter of
   * the 585,000 events are shown; letting the others go takes this thread's
   * live heap from 314 to 231 MB while the site's files are drawn, where
   * letting go of their evidence texts alone saved 41 MB).
   * In the summaries, which are the caller's, each is `releasedEvent` from
   * then on: drawing it throws, and so does asking a list for more than its
   * page or feed shows.
   */
  releaseUnshownEvents: () => number
}

/** A node as a document publishes it, with that document's context. */
export interface PublishedNode {
  node: JsonLdNode
  context: JsonLdDocument['@context']
}

/** Index the input: articles and events newest first, entities by id. */
export function htmlContext(input: HtmlInput): HtmlContext {
  const {articles} = input
  const entityById = new Map(input.entities.map((entity) => [entity.id, entity]))
  const tables = {entityById, cameo: input.cameo}
  const events = eventIndex(articles)
  const siteEvent = (number: number) => new SiteEvent(articles[events.article[number]!]!, events.position[number]!, number, tables)
  /** Once the events no page or feed shows are let go: where each list's feed ends (`end` with ties reads the dates of events past it). */
  let feedEnds: Map<ArrayLike<number>, number> | undefined
  /** How many of `numbers` (newest first) the first `limit` are; with `ties`, and those after them of the same date as the last. */
  const end = (numbers: ArrayLike<number>, limit: number, ties: boolean) => {
    let count = Math.min(limit, numbers.length)
    if (ties && count > 0) {
      if (feedEnds) {
        const known = limit === feedItemLimit ? feedEnds.get(numbers) : undefined
        if (known === undefined) throw new Error(`Unexpected list of events asked for its first ${limit} with ties after the events no page or feed shows were let go (\`releaseUnshownEvents\`)`)
        return known
      }
      const last = events.key(numbers[count - 1]!)
      while (count < numbers.length && events.key(numbers[count]!) === last) count++
    }
    return count
  }
  const list = <T>(numbers: ArrayLike<number>, draw: (number: number) => T): EventList<T> => ({
    length: numbers.length,
    first: (limit, ties = false) => Array.from({length: end(numbers, limit, ties)}, (_, index) => draw(numbers[index]!))
  })
  const lists = new Map<string, number[]>()
  for (const number of events.order) for (const id of events.entities(number)) push(lists, id, number)
  // Note: typed, without the room a growing list keeps (an event's number is in the list of each of its entities).
  const byEntity = new Map([...lists].map(([id, numbers]) => [id, Int32Array.from(numbers)]))
  const bySlug = new Map(articles.map((article, index) => [article.slug, index]))
  // Note: by the article itself, not by its date (a string of its own in each summary, hashed and compared in a table of every date).
  const published = new Map(articles.map((article) => [article, toUtcKey(article.meta.datePublished)]))
  const modified = new Map(articles.map((article) => [article, article.meta.dateModified === undefined ? published.get(article)! : toUtcKey(article.meta.dateModified)]))
  const newest = [...articles].sort((a, b) => compare(published.get(b)!, published.get(a)!) || compare(a.slug, b.slug))
  const articlesByEntity = new Map<string, ArticleSummary[]>()
  const mentionsByEntity = new Map<string, number[]>()
  for (const article of newest) {
    // Note: counted here once per article and entity, where `mentionCount` searched the article's list for every page and key that asked.
    const {ids, counts} = article.mentionCounts
    const mentions = new Map<string, number>()
    for (let index = 0; index < ids.length; index++) mentions.set(ids[index]!, counts[index]!)
    for (const id of new Set(article.entities.map((entity) => entity.id))) {
      push(articlesByEntity, id, article)
      push(mentionsByEntity, id, mentions.get(id) ?? 0)
    }
  }
  let nodeOf = input.publishedNode
  if (!nodeOf) {
    const nodes = new Map<string, PublishedNode>()
    for (const document of input.documents?.values() ?? []) {
      for (const node of document['@graph']) if (!nodes.has(node['@id'])) nodes.set(node['@id'], {node, context: document['@context']})
    }
    nodeOf = (id) => nodes.get(id)
  }
  return {
    ...input,
    base: input.site.baseUrl,
    newest,
    entityById,
    events: list(events.order, siteEvent),
    eventsOfArticle: (slug) => {
      const index = bySlug.get(slug)
      if (index === undefined) return []
      const first = events.first[index]!
      return Array.from({length: articles[index]!.events.length}, (_, place) => siteEvent(first + place))
    },
    articlesByEntity,
    mentionsByEntity,
    eventsOfEntity: (id) =>
      list(byEntity.get(id) ?? noNumbers, (number) => {
        const item = siteEvent(number)
        return {item, role: roleOf(item.event, id)}
      }),
    nodeOf,
    utcKeys: {
      published: (article) => published.get(article)!,
      modified: (article) => modified.get(article)!,
      event: (serial) => events.dateKey(serial)
    },
    drawn: {articleItems: new Map(), articleFeedItems: new Map(), eventFeedItems: new Map()},
    releaseUnshownEvents() {
      const shown = new Uint8Array(events.order.length)
      const ends = new Map<ArrayLike<number>, number>()
      for (const numbers of [events.order, ...byEntity.values()]) {
        const feed = end(numbers, feedItemLimit, true)
        ends.set(numbers, feed)
        const count = Math.max(end(numbers, pageEventLimit, false), feed)
        for (let index = 0; index < count; index++) shown[numbers[index]!] = 1
      }
      feedEnds = ends
      let released = 0
      for (const [index, article] of articles.entries()) {
        const first = events.first[index]!
        released += article.events.release((place) => shown[first + place] === 1)
      }
      return released
    }
  }
}

/**
 * Every event of the site by number (articles in order, then events in
 * text order), and the numbers newest first (by date, then id): a few bytes
 * per event, where a list of events would hold objects.
 */
function eventIndex(articles: ArticleSummary[]) {
  const total = articles.reduce((sum, article) => sum + article.events.length, 0)
  const article = new Int32Array(total)
  const position = new Int32Array(total)
  /** The number of each article's first event. */
  const first = new Int32Array(articles.length)
  let number = 0
  for (const [index, item] of articles.entries()) {
    first[index] = number
    for (let place = 0; place < item.events.length; place++, number++) {
      article[number] = index
      position[number] = place
    }
  }
  const {dates, dateOf} = eventDates(articles, total)
  const {order, rank, keys} = newestFirst(dates, dateOf, eventIdOrder(articles, article, position))
  /** The rank of an event's date among the site's, newest first: events of the same instant have the same. */
  const key = (number: number) => rank[number]!
  /** The key of an event's date (`utcKey`). */
  const dateKey = (number: number) => keys[dateOf[number]!]!
  /** The entities of an event, each once, in the order of `eachRole`. Note: without a map of roles made per event (585,000 of them at 10,000 bench articles). */
  const entities = (number: number) => {
    const ids: string[] = []
    articles[article[number]!]!.events.eachRole(position[number]!, (id) => {
      if (!ids.includes(id)) ids.push(id)
    })
    return ids
  }
  return {article, position, first, order, entities, key, dateKey}
}

const noNumbers = new Int32Array(0)

/**
 * The dates of the site's events (`eventDate`), each distinct one once, and
 * the index of each event's among them. Note: an event's date is made from
 * its start (or its article's day) and its article's offset, both strings
 * the summaries hold already: found by them, not by a date made for each
 * event (585,000 strings to make and hash at 10,000 bench articles).
 */
function eventDates(articles: ArticleSummary[], total: number): {dates: string[]; dateOf: Int32Array} {
  const dates: string[] = []
  const dateOf = new Int32Array(total)
  /** By offset, then by the start of an event (its article's day when it has none). */
  const known = new Map<string, Map<string, number>>()
  let number = 0
  for (const article of articles) {
    if (article.events.length === 0) continue
    const published = article.meta.datePublished
    const offset = offsetOf(published)
    let day: string | undefined
    let byStart = known.get(offset)
    if (byStart === undefined) {
      byStart = new Map()
      known.set(offset, byStart)
    }
    for (let place = 0; place < article.events.length; place++) {
      const startDate = article.events.startDate(place)
      const start = startDate || (day ??= published.slice(0, 10))
      let index = byStart.get(start)
      if (index === undefined) {
        index = dates.length
        dates.push(eventDate(article, {startDate}))
        byStart.set(start, index)
      }
      dateOf[number++] = index
    }
  }
  return {dates, dateOf}
}

/**
 * How two events of one date are ordered: by their ids (`eventId`,
 * `<article slug>-<event id>`). Note: without making those ids, when no
 * article's slug and hyphen begin another's (as `a-` begins `a-b-`): the ids
 * of two articles then compare as their slugs and hyphens do, and those of
 * one article as their event ids.
 */
function eventIdOrder(articles: ArticleSummary[], article: Int32Array, position: Int32Array): (a: number, b: number) => number {
  const id = (number: number) => articles[article[number]!]!.events.id(position[number]!)
  const prefixes = articles.map((item, index) => ({prefix: `${item.slug}-`, index})).sort((a, b) => compare(a.prefix, b.prefix))
  // Note: sorted, a prefix that begins another is followed by one it begins.
  const nested = prefixes.some(({prefix}, place) => place > 0 && prefix.startsWith(prefixes[place - 1]!.prefix))
  if (nested) return (a, b) => compare(eventId(articles[article[a]!]!, {id: id(a)}), eventId(articles[article[b]!]!, {id: id(b)}))
  const rank = new Int32Array(articles.length)
  for (const [place, {index}] of prefixes.entries()) rank[index] = place
  return (a, b) => rank[article[a]!]! - rank[article[b]!]! || compare(id(a), id(b))
}

/** The offset of a date-time (`Z` when it has none), as `eventDate` gives it to the dates of its article's events. */
function offsetOf(dateTime: string): string {
  return /(?:Z|[+-]\d\d:\d\d)$/i.exec(dateTime)?.[0] ?? 'Z'
}

/**
 * The numbers of the events whose dates are `dates` (`dateOf`: the index of
 * each event's), newest first: by the instant of their date (a date-time
 * with offset), descending, then by `byId`; and the rank of each event's
 * date among the distinct instants, newest first. Note: each distinct date
 * is made a key (`utcKey`) once, the dates ranked first, and the events of
 * one date ordered by id at a time (made for each event, the keys were 1.7 s
 * of a rebuild of 10,000 bench articles: 585,000 events, 75,000 distinct
 * dates).
 */
function newestFirst(dates: string[], dateOf: Int32Array, byId: (a: number, b: number) => number): {order: Int32Array; rank: Int32Array; keys: string[]} {
  const total = dateOf.length
  // Note: two dates of the same instant (in other offsets) have one key, so one rank.
  const keys = dates.map(utcKey)
  const ranks = new Map([...new Set(keys)].sort((a, b) => compare(b, a)).map((key, place) => [key, place]))
  const rankOfDate = new Int32Array(keys.length)
  for (const [index, key] of keys.entries()) rankOfDate[index] = ranks.get(key)!
  const rank = new Int32Array(total)
  for (let number = 0; number < total; number++) rank[number] = rankOfDate[dateOf[number]!]!
  // Note: ordered by rank by counting (each rank's numbers ascending, as a stable sort leaves them): sorted with a comparator, 585,000 numbers took 0.6 s.
  const starts = new Int32Array(ranks.size + 1)
  for (let number = 0; number < total; number++) starts[rank[number]! + 1]!++
  for (let place = 1; place < starts.length; place++) starts[place]! += starts[place - 1]!
  const order = new Int32Array(total)
  for (let number = 0; number < total; number++) order[starts[rank[number]!]!++] = number
  for (let start = 0; start < total; ) {
    let end = start + 1
    while (end < total && rank[order[end]!] === rank[order[start]!]) end++
    if (end - start > 1) order.subarray(start, end).sort(byId)
    start = end
  }
  return {order, rank, keys}
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

/** How the entity `id` takes part in an event: each of its roles once, joined by commas. */
function roleOf(event: EventBrief, id: string): string {
  const roles: string[] = []
  eachRole(event, (entity, role) => {
    if (entity === id && !roles.includes(role)) roles.push(role)
  })
  return roles.join(', ')
}

/** The date that orders an event, as `events.xml` dates it: its first day at midnight in the article's offset, else the article's date. */
export function eventDate(article: ArticleFacts, event: Pick<EventBrief, 'startDate'>): string {
  const offset = offsetOf(article.meta.datePublished)
  const start = event.startDate
  const day = start ? (start.length === 4 ? `${start}-01-01` : start.length === 7 ? `${start}-01` : start) : article.meta.datePublished.slice(0, 10)
  return `${day}T00:00:00${offset}`
}

/** Dist path of an article's page. */
export function articlePath(slug: string): string {
  return `articles/${slug}/`
}

/** Dist path of an entity's page. */
export function entityPath(id: string): string {
  return `entities/${id}/`
}

/** A link to an entity's page, or its plain name when the site has no page for it. */
export function entityLink(context: HtmlContext, from: string, id: string, fallback = id): ElementContent[] {
  const entity = context.entityById.get(id)
  return entity ? [h('a', {href: relativeHref(from, entityPath(id))}, entity.name)] : [text(fallback)]
}

/** The people of an article's byline, each linked to their URL when given. */
export function byline(article: ArticleFacts): ElementContent[] {
  return joinContent(article.authors.map((person) => link(person.url, person.name, {rel: ['author']})))
}

/** A list item for an article: headline (linked to its page), date, byline and description. */
export function articleItem(context: HtmlContext, from: string, article: ArticleFacts, note?: string | ElementContent): Element {
  return h('li', [
    h('a', {href: relativeHref(from, articlePath(article.slug))}, h('strong', article.meta.title)),
    h('br'),
    h('small', [time(article.meta.datePublished), text(' · '), ...byline(article), text(`, ${article.meta.publisher.name}`), ...(note === undefined || note === '' ? [] : typeof note === 'string' ? [text(` · ${note}`)] : [text(' · '), note])]),
    h('br'),
    text(article.meta.description)
  ])
}

/**
 * A list item for an event: CAMEO label, actors, date and status; `anchor`
 * gives it its `event-<n>` id (on the article's own page), else it links there.
 */
export function eventItem(context: HtmlContext, from: string, item: SiteEvent, options: {anchor?: boolean; role?: string} = {}): Element {
  const {record, event, article} = item
  const actor = (id: string, name: string) => (id ? entityLink(context, from, id, name) : [])
  const actors = [actor(record.actor1_id, record.actor1_name), actor(record.actor2_id, record.actor2_name)]
  const heading: ElementContent[] = [
    ...actors[0]!,
    ...(actors[0]!.length > 0 ? [text(' — ')] : []),
    h('strong', record.cameo_label),
    ...(actors[1]!.length > 0 ? [text(' — '), ...actors[1]!] : [])
  ]
  const others = [...new Set(event.participants.map((participant) => participant.entityId))].filter((id) => id !== record.actor1_id && id !== record.actor2_id)
  const meta: ElementContent[][] = []
  if (record.start_date) {
    meta.push(record.end_date && record.end_date !== record.start_date ? [time(record.start_date), text(' – '), time(record.end_date)] : [time(record.start_date)])
  } else meta.push([text('date not stated')])
  meta.push([text(record.negated ? `${record.status}, negated: the text says it did not happen` : record.status)])
  if (others.length > 0) meta.push([text('with '), ...joinContent(others.map((id) => entityLink(context, from, id)))])
  if (record.location_id) meta.push([text('in '), ...entityLink(context, from, record.location_id, record.location_name)])
  const source = record.source_id ? article.sources.find((candidate) => candidate.id === record.source_id) : undefined
  if (source) meta.push([text('according to '), h('a', {href: relativeHref(from, `${articlePath(article.slug)}#source-${source.id}`)}, source.publisher ?? source.name)])
  meta.push([text(`CAMEO ${record.cameo_code}`)])
  if (options.role) meta.push([text(`as ${options.role}`)])
  if (!options.anchor) meta.push([h('a', {href: relativeHref(from, `${articlePath(article.slug)}#event-${item.number}`)}, article.meta.title)])
  return h('li', options.anchor ? {id: `event-${item.number}`} : {}, [
    ...heading,
    h('br'),
    h('small', meta.flatMap((part, index) => [...(index === 0 ? [] : [text(' · ')]), ...part])),
    ...(options.anchor && record.evidence ? [h('br'), h('q', record.evidence)] : [])
  ])
}
