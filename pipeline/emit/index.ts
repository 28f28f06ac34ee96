// Emit stage: every output of the site, as strings keyed by their path in dist/.
import type {Site} from '../config.js'
import {articlePageUrl} from '../ids.js'
import type {CameoTable} from '../knowledge/events.js'
import {linkEntities} from '../link.js'
import type {Article} from '../types.js'
import type {Outputs} from '../write.js'
import {articleColumns, articleRecord, emitCsv, type ArticleRecord} from './csv.js'
import {entityColumns, entityNode, entityRecord, mentionColumns, mentionRecords, type EntityRecord, type MentionRecord} from './entities.js'
import {
  cameoNode,
  cameoSetNode,
  contextUrl,
  eventColumns,
  eventId,
  eventNode,
  eventNodeId,
  eventRecords,
  evidenceColumns,
  participantColumns,
  projectContext,
  type EventRecord,
  type EvidenceRecord,
  type ParticipantRecord
} from './events.js'
import {articleNodes, compare, mergeNodes, serializeJson, toDocument, type JsonLdDocument, type JsonLdNode, type NodeConflict} from './jsonld.js'
import {emitEventFeed, emitFeed, type FeedEvent} from './rss.js'
import {dataTables, emitDataPackage} from './datapackage.js'
import {emitHtml} from './html.js'
import {publishSchemas} from './published-schemas.js'

/** What the emitters made: the serialized outputs and the values behind them, for checking. */
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

/** Emit every output for `articles` (already free of errors, with unique slugs). */
export function emitSite(articles: Article[], site: Site, cameo: CameoTable): Emitted {
  const base = site.baseUrl
  const contexts = ['https://schema.org', contextUrl(base)]
  const sorted = [...articles].sort((a, b) => compare(a.slug, b.slug))
  const siteEntities = linkEntities(sorted)
  const byId = new Map(siteEntities.map((entity) => [entity.id, entity]))
  const entityNodes = new Map(siteEntities.map((entity) => [entity.id, entityNode(base, entity)]))
  const perArticle = sorted.map((article) => {
    const nodes = articleNodes(article, site)
    nodes.entities.push(...article.entities.map((entity) => entityNodes.get(entity.id)!))
    const events = article.events.map((event) => eventNode(base, article, event, byId, cameo))
    if (events.length > 0) {
      const articleNode = nodes.own[0]!
      articleNode['mentions'] = [...((articleNode['mentions'] as Array<{'@id': string}> | undefined) ?? []), ...events.map((event) => ({'@id': event['@id']}))]
      nodes.own.push(...events)
    }
    const codes = [...new Set(article.events.map((event) => event.code))].sort().map((code) => cameoNode(base, cameo.get(code)!))
    // Note: the codes' code set goes along, so that `inCodeSet` stays inside the document.
    if (codes.length > 0) codes.unshift(cameoSetNode(base))
    return {article, nodes, codes}
  })
  // Note: entities found in the text come first, so the registry's name wins over a frontmatter spelling.
  const {nodes: entities, conflicts} = mergeNodes([...entityNodes.values(), ...perArticle.flatMap(({nodes}) => nodes.entities)])

  const outputs: Outputs = new Map()
  const documents = new Map<string, JsonLdDocument>()
  const add = (path: string, document: JsonLdDocument) => {
    documents.set(path, document)
    outputs.set(path, serializeJson(document))
  }
  for (const {article, nodes, codes} of perArticle) {
    const ids = [...new Set(nodes.entities.map((node) => node['@id']))]
    add(`articles/${article.slug}.jsonld`, toDocument(contexts, [...nodes.own, ...codes], ids.map((id) => entities.get(id)!)))
  }
  const usedCodes = new Map(perArticle.flatMap(({codes}) => codes).map((node) => [node['@id'], node]))
  // Note: the set sorts after its codes' ids ("#codes" > "#code-…"); put it first as in the article documents.
  const own: JsonLdNode[] = perArticle.flatMap(({nodes}) => nodes.own)
  const graph = toDocument(contexts, [...own, ...[...usedCodes.values()].sort((a, b) => (a['@type'] === 'CategoryCodeSet' ? -1 : b['@type'] === 'CategoryCodeSet' ? 1 : compare(a['@id'], b['@id'])))], entities.values())
  add('graph.jsonld', graph)
  add('cameo.jsonld', toDocument(contexts, [cameoSetNode(base), ...[...cameo.values()].map((entry) => cameoNode(base, entry))], []))
  const context = projectContext(site)
  outputs.set('context.jsonld', serializeJson(context))

  const records = sorted.map(articleRecord)
  outputs.set('data/articles.csv', emitCsv(records, articleColumns))
  const entityRecordList = siteEntities.map(entityRecord)
  outputs.set('data/entities.csv', emitCsv(entityRecordList, entityColumns))
  const mentions = sorted.flatMap(mentionRecords)
  outputs.set('data/mentions.csv', emitCsv(mentions, mentionColumns))
  const eventTables = sorted.map((article) => eventRecords(article, byId, cameo))
  const eventRecordList = eventTables.flatMap((table) => table.events)
  const participantRecordList = eventTables.flatMap((table) => table.participants)
  const evidenceRecordList = eventTables.flatMap((table) => table.evidence)
  outputs.set('data/events.csv', emitCsv(eventRecordList, eventColumns))
  outputs.set('data/event_participants.csv', emitCsv(participantRecordList, participantColumns))
  outputs.set('data/event_evidence.csv', emitCsv(evidenceRecordList, evidenceColumns))

  outputs.set('datapackage.json', emitDataPackage({site, articles: sorted, tables: dataTables, version: site.version}))
  for (const [path, text] of publishSchemas(site)) outputs.set(path, text)
  outputs.set('feed.xml', emitFeed(sorted, site))
  const recordById = new Map(eventRecordList.map((record) => [record.id, record]))
  outputs.set('events.xml', emitEventFeed(sorted.flatMap((article) => feedEvents(article, base, recordById)), sorted, site))
  for (const [path, value] of emitHtml({site, articles: sorted, entities: siteEntities, documents, eventRecords: eventRecordList})) outputs.set(path, value)
  return {
    outputs,
    documents,
    graph,
    context,
    records,
    entityRecords: entityRecordList,
    mentionRecords: mentions,
    eventRecords: eventRecordList,
    participantRecords: participantRecordList,
    evidenceRecords: evidenceRecordList,
    conflicts
  }
}

/** The events of an article as feed items, dated by their start (else the article's date), at midnight in the article's offset. */
function feedEvents(article: Article, base: string, records: Map<string, EventRecord>): FeedEvent[] {
  const offset = /(?:Z|[+-]\d\d:\d\d)$/i.exec(article.meta.datePublished)?.[0] ?? 'Z'
  return article.events.map((event) => {
    const record = records.get(eventId(article, event))!
    const day = event.startDate ? firstDay(event.startDate) : article.meta.datePublished.slice(0, 10)
    const names = [record.actor1_name, record.cameo_label.toLowerCase(), record.actor2_name].filter(Boolean).join(' — ')
    return {
      id: eventNodeId(base, article, event),
      title: `${names.charAt(0).toUpperCase()}${names.slice(1)} (${event.status})`,
      link: `${articlePageUrl(base, article.slug)}#event-${event.id.slice(1)}`,
      description: record.evidence,
      categories: [record.cameo_label, event.status],
      date: `${day}T00:00:00${offset}`
    }
  })
}

/** The first day of a date of any precision: "2003" → "2003-01-01", "2003-08" → "2003-08-01". */
function firstDay(date: string): string {
  return date.length === 4 ? `${date}-01-01` : date.length === 7 ? `${date}-01` : date
}
