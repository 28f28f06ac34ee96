// Emit stage: every output of the site, as strings keyed by their path in dist/, produced one at a time.
import type {Site} from '../config.js'
import type {CameoTable} from '../knowledge/events.js'
import {linkEntities, type SiteEntity} from '../link.js'
import {summarizeArticle} from '../summary.js'
import type {Article, ArticleSummary} from '../types.js'
import {joinText, type Text} from '../chunks.js'
import {articleEmissions, codeNodes, eventTables, graphNodes, type ArticleEmitContext} from './article.js'
import {articleColumns, csvHeader, csvRows, type ArticleRecord} from './csv.js'
import {entityColumns, entityNode, entityRecord, mentionColumns, type EntityRecord, type MentionRecord} from './entities.js'
import {cameoNode, cameoSetNode, contextUrl, projectContext, type EventRecord, type EvidenceRecord, type ParticipantRecord} from './events.js'
import {compare, frontmatterNodes, mergeNodes, serializeJson, toDocument, type JsonLdDocument, type JsonLdNode, type NodeConflict} from './jsonld.js'
import {emitEventFeed, emitFeed, feedEvent, feedItemLimit} from './rss.js'
import {dataTables, emitDataPackage} from './datapackage.js'
import {homePageParts} from './html.js'
import {entityPageParts, entityPagesKey, eventFeedUses} from './html-entities.js'
import {htmlContext} from './html-items.js'
import {publishSchemas} from './published-schemas.js'

/** The CSV tables of `data/`, by path. */
export type TablePath = 'data/articles.csv' | 'data/entities.csv' | 'data/mentions.csv' | 'data/events.csv' | 'data/event_participants.csv' | 'data/event_evidence.csv'

/**
 * One piece of output: a whole file, or (with `append`) the next part of a
 * file that grows with the corpus (CSV rows, the graph's nodes). The values
 * behind the text come along for the check stage: a JSON-LD `document`, the
 * `rows` of a CSV, the `nodes` of `graph.jsonld`.
 */
export interface Emission {
  path: string
  /** Whole, or in chunks (an article's JSON-LD, pages and nodes of the graph). */
  text: Text
  append?: boolean
  document?: JsonLdDocument
  rows?: {table: TablePath; records: object[]}
  nodes?: JsonLdNode[]
}

/** What the whole site is made of once its articles are linked: computed first, then emitted piece by piece. */
export interface SiteModel {
  site: Site
  base: string
  contexts: string[]
  cameo: CameoTable
  /** The articles' summaries, by slug. */
  sorted: ArticleSummary[]
  entities: SiteEntity[]
  entityById: Map<string, SiteEntity>
  /** One merged node per entity and frontmatter person or organization, by @id. */
  nodes: Map<string, JsonLdNode>
  conflicts: NodeConflict[]
  /** The project context (`context.jsonld`), which the documents refer to. */
  context: {'@context': Record<string, unknown>}
  /** The CAMEO codes of the articles' events, each once (for the end of `graph.jsonld`, drawn after the site's pages let most events go). */
  codes: string[]
}

/** Link the articles (their summaries; already free of errors, with unique slugs) into the model every output is drawn from. */
export function modelSite(articles: ArticleSummary[], site: Site, cameo: CameoTable): SiteModel {
  const base = site.baseUrl
  const sorted = [...articles].sort((a, b) => compare(a.slug, b.slug))
  const entities = linkEntities(sorted)
  const entityById = new Map(entities.map((entity) => [entity.id, entity]))
  const entityNodes = entities.map((entity) => entityNode(base, entity))
  // Note: entities found in the text come first, so the registry's name wins over a frontmatter spelling.
  const {nodes, conflicts} = mergeNodes([...entityNodes, ...sorted.flatMap((article) => frontmatterNodes(article, site).entities)])
  const codes = new Set<string>()
  for (const {events} of sorted) for (let index = 0; index < events.length; index++) codes.add(events.code(index))
  return {site, base, contexts: ['https://schema.org', contextUrl(base)], cameo, sorted, entities, entityById, nodes, conflicts, context: projectContext(site), codes: [...codes]}
}

/** What the outputs of one article draw on (`articleEmissions`): a part of the model, plain data for a worker. */
export function articleContext(model: SiteModel): ArticleEmitContext {
  const {site, base, contexts, cameo, entityById, nodes} = model
  return {site, base, contexts, cameo, entityById, nodes}
}

/**
 * Every output of the site, one piece at a time, so that nothing that grows
 * with the corpus is held whole: the heads of the files that grow with the
 * corpus, each article's outputs, then the rest of the graph and the
 * site-wide files and pages; `articles` are the whole records of the
 * summaries in `model.sorted`, in the same order. Pure: no clock, no file
 * system; the caller checks and writes each piece.
 */
export function* emitOutputs(model: SiteModel, articles: Article[]): Generator<Emission> {
  yield* emitHeads(model)
  const context = articleContext(model)
  for (const [index, article] of articles.entries()) yield* articleEmissions(context, article, index === 0)
  yield* emitTails(model)
  yield* emitSiteFiles(model)
}

/** The heads of the files the articles append to: `graph.jsonld` and every CSV but `entities.csv`. */
export function* emitHeads(model: SiteModel): Generator<Emission> {
  const head = JSON.stringify({'@context': model.contexts}, null, 2)
  yield {path: 'graph.jsonld', text: `${head.slice(0, -2)},\n  "@graph": [`, document: {'@context': model.contexts, '@graph': []}}
  const tables: Array<[TablePath, ReadonlyArray<string>]> = [
    ['data/articles.csv', articleColumns],
    ['data/mentions.csv', mentionColumns],
    ...eventTables.map(([path, columns]): [TablePath, ReadonlyArray<string>] => [path, columns])
  ]
  for (const [path, columns] of tables) yield {path, text: csvHeader(columns)}
}

/** The end of `graph.jsonld`, once every article's nodes are in: the CAMEO codes used, the entities, the closing brackets. */
export function* emitTails(model: SiteModel): Generator<Emission> {
  const graph = {first: model.sorted.length === 0}
  // Note: as in the article documents, the code set first, then the codes in order.
  yield graphNodes(codeNodes(articleContext(model), model.codes), graph)
  yield graphNodes([...model.nodes.values()].sort((a, b) => compare(a['@id'], b['@id'])), graph)
  yield {path: 'graph.jsonld', text: graph.first ? ']\n}\n' : '\n  ]\n}\n', append: true}
}

/**
 * What a rebuild knows to reuse entity pages: the key of each article's
 * outputs, by slug, and whether the files of an entity with a key are taken
 * from the last build (the caller puts them in place); else they are emitted.
 */
export interface EntityReuse {
  articleKey: (slug: string) => string | undefined
  reuse: (id: string, key: string | undefined) => boolean
}

/**
 * The files that depend on the whole site but on no article's outputs: code
 * set, context, entities, data package, schemas, feeds, home and entity
 * pages (but those `reuse` takes from the last build).
 */
export function* emitSiteFiles(model: SiteModel, reuse?: EntityReuse): Generator<Emission> {
  const {site, base, sorted, cameo} = model
  const cameoDocument = toDocument(model.contexts, [cameoSetNode(base), ...[...cameo.values()].map((entry) => cameoNode(base, entry))], [])
  yield {path: 'cameo.jsonld', text: serializeJson(cameoDocument), document: cameoDocument}
  yield {path: 'context.jsonld', text: serializeJson(model.context)}
  yield* table('data/entities.csv', entityColumns, [model.entities.map(entityRecord)])
  yield {path: 'datapackage.json', text: emitDataPackage({site, articles: sorted, tables: dataTables, version: site.version})}
  for (const [path, text] of publishSchemas(site)) yield {path, text}
  yield {path: 'feed.xml', text: emitFeed(sorted, site)}
  const html = htmlContext({site, articles: sorted, entities: model.entities, cameo, publishedNode: (id) => {
    const node = model.nodes.get(id)
    return node ? {node, context: model.contexts} : undefined
  }})
  // Note: the summaries' events are let go but for those the pages and feeds below show.
  html.releaseUnshownEvents()
  yield {path: 'events.xml', text: emitEventFeed(html.events.first(feedItemLimit, true).map((item) => feedEvent(item, base)), sorted, site)}
  yield* inPieces('index.html', homePageParts(html))
  // Note: the events that entity feeds share are counted over the feeds to be drawn, so that each is let go after its last.
  const drawing = reuse ? html.entities.filter((entity) => !reuse.reuse(entity.id, entityPagesKey(html, entity, reuse.articleKey))) : html.entities
  eventFeedUses(html, drawing)
  for (const entity of drawing) for (const [path, parts] of entityPageParts(html, entity)) yield* inPieces(path, parts)
}

/** A file written in pieces: the first, then the rest appended. */
function* inPieces(path: string, parts: Iterable<string>): Generator<Emission> {
  let append = false
  for (const text of parts) {
    yield {path, text, append}
    append = true
  }
}

/** A CSV table: its header, then its rows, one batch at a time. */
function* table<T extends object>(path: TablePath, columns: ReadonlyArray<keyof T & string>, batches: Iterable<T[]>): Generator<Emission> {
  yield {path, text: csvHeader(columns)}
  for (const records of batches) if (records.length > 0) yield {path, text: csvRows(records, columns), append: true, rows: {table: path, records}}
}

/** Outputs collected whole: paths relative to the output directory → contents. */
export type Outputs = Map<string, string>

/** What the emitters made, collected whole: the serialized outputs and the values behind them (for tests and small sites). */
export interface Emitted {
  outputs: Outputs
  /** Every JSON-LD document by path (articles, graph, CAMEO code set). */
  documents: Map<string, JsonLdDocument>
  graph: JsonLdDocument
  /** The project context (`context.jsonld`), which the documents refer to. */
  context: {'@context': Record<string, unknown>}
  records: ArticleRecord[]
  entityRecords: EntityRecord[]
  mentionRecords: MentionRecord[]
  eventRecords: EventRecord[]
  participantRecords: ParticipantRecord[]
  evidenceRecords: EvidenceRecord[]
  conflicts: NodeConflict[]
}

/** Emit every output for `articles` (already free of errors, with unique slugs), collected in memory. */
export function emitSite(articles: Article[], site: Site, cameo: CameoTable): Emitted {
  const sorted = [...articles].sort((a, b) => compare(a.slug, b.slug))
  const model = modelSite(sorted.map((article) => summarizeArticle(article)), site, cameo)
  const outputs: Outputs = new Map()
  const documents = new Map<string, JsonLdDocument>()
  const rows = new Map<TablePath, object[]>()
  for (const emission of emitOutputs(model, sorted)) {
    outputs.set(emission.path, emission.append ? `${outputs.get(emission.path) ?? ''}${joinText(emission.text)}` : joinText(emission.text))
    if (emission.document && emission.path !== 'graph.jsonld') documents.set(emission.path, emission.document)
    if (emission.rows) rows.set(emission.rows.table, [...(rows.get(emission.rows.table) ?? []), ...emission.rows.records])
  }
  const graph = JSON.parse(outputs.get('graph.jsonld')!) as JsonLdDocument
  // Note: documents keep their order of old: the articles, the graph, the CAMEO code set.
  const ordered = new Map([...[...documents].filter(([path]) => path.startsWith('articles/')), ['graph.jsonld', graph] as const, ['cameo.jsonld', documents.get('cameo.jsonld')!] as const])
  const list = <T>(path: TablePath) => (rows.get(path) ?? []) as T[]
  return {
    outputs,
    documents: ordered,
    graph,
    context: model.context,
    records: list('data/articles.csv'),
    entityRecords: list('data/entities.csv'),
    mentionRecords: list('data/mentions.csv'),
    eventRecords: list('data/events.csv'),
    participantRecords: list('data/event_participants.csv'),
    evidenceRecords: list('data/event_evidence.csv'),
    conflicts: model.conflicts
  }
}
