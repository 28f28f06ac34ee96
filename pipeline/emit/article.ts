// The outputs of one article once the site is linked: its JSON-LD, pages and snippet, its nodes of graph.jsonld and its rows of the CSVs. A pure function of the article and the site-wide facts it draws on, so it runs on any thread.
import type {Site} from '../config.js'
import type {CameoTable} from '../knowledge/events.js'
import type {SiteEntity} from '../link.js'
import type {Article, ArticleFacts} from '../types.js'
import {summarizeArticle} from '../summary.js'
import {eachEventRole} from '../summary-events.js'
import {entityNodeId} from '../ids.js'
import {hashParts} from '../inputs.js'
import {held} from '../record.js'
import {remembered} from '../remember.js'
import {chunksOf} from '../chunks.js'
import {articleColumns, articleRecord, csvRows} from './csv.js'
import {mentionColumns, mentionRecords} from './entities.js'
import {cameoNode, cameoSetNode, eventColumns, eventNode, eventRecords, evidenceColumns, participantColumns} from './events.js'
import {articlePages} from './html-article.js'
import {htmlContext} from './html-items.js'
import type {Emission, TablePath} from './index.js'
import {articleNodes, frontmatterNodeIds, indented, layOutDocument, toDocument, type JsonLdDocument, type JsonLdNode} from './jsonld.js'

/**
 * What an article's outputs draw on beyond the article: the site, the CAMEO
 * table, every entity as linked across the site (its name) and the merged
 * node of every entity (by @id). Plain data, so that it can go to a worker.
 */
export interface ArticleEmitContext {
  site: Site
  base: string
  contexts: string[]
  cameo: CameoTable
  entityById: Map<string, SiteEntity>
  /** One merged node per entity and frontmatter person or organization, by @id. */
  nodes: Map<string, JsonLdNode>
}

/** The document of one article, its own nodes (article, quotations, events) and the CAMEO nodes it carries. */
export function articleDocument(context: ArticleEmitContext, article: Article): {document: JsonLdDocument; own: JsonLdNode[]; codes: JsonLdNode[]} {
  const {base, site, cameo} = context
  const nodes = articleNodes(article, site)
  const events = article.events.map((event) => eventNode(base, article, event, context.entityById, cameo))
  if (events.length > 0) {
    const articleNode = nodes.own[0]!
    articleNode['mentions'] = [...((articleNode['mentions'] as Array<{'@id': string}> | undefined) ?? []), ...events.map((event) => ({'@id': event['@id']}))]
    nodes.own.push(...events)
  }
  const codes = codeNodes(context, article.events.map((event) => event.code))
  const ids = [...new Set([...nodes.entities.map((node) => node['@id']), ...article.entities.map((entity) => entityNodeId(base, entity.id))])]
  return {document: toDocument(context.contexts, [...nodes.own, ...codes], ids.map((id) => context.nodes.get(id)!)), own: nodes.own, codes}
}

/** The CAMEO nodes of `codes` (each once, in order), led by their code set (so that `inCodeSet` stays inside the document). */
export function codeNodes(context: ArticleEmitContext, codes: Iterable<string>): JsonLdNode[] {
  const nodes = [...new Set(codes)].sort().map((code) => cameoNode(context.base, context.cameo.get(code)!))
  return nodes.length > 0 ? [cameoSetNode(context.base), ...nodes] : []
}

/** The event tables of `data/`, with their columns and the part of `eventRecords` each holds. */
export const eventTables: Array<[TablePath, ReadonlyArray<string>, 'events' | 'participants' | 'evidence']> = [
  ['data/events.csv', eventColumns, 'events'],
  ['data/event_participants.csv', participantColumns, 'participants'],
  ['data/event_evidence.csv', evidenceColumns, 'evidence']
]

/**
 * The part of `context` one article's outputs may draw on: the entities it
 * names or its events involve (without their site-wide counts and forms,
 * which only the entity pages and tables show) and their merged nodes, with
 * those of its frontmatter's people and organizations. `articleEmissions`
 * works on this part only, so that its hash (`outputKeyMaker`) covers all
 * an article's outputs depend on besides the article.
 */
export function articleDependencies(context: ArticleEmitContext, article: ArticleFacts): ArticleEmitContext {
  const ids = dependencyIds(context, article)
  const entityById = new Map<string, SiteEntity>()
  for (const id of ids.entities) {
    const entity = context.entityById.get(id)
    if (entity) entityById.set(id, dependentEntity(entity))
  }
  const nodes = new Map<string, JsonLdNode>()
  for (const id of ids.nodes) {
    const node = context.nodes.get(id)
    if (node) nodes.set(id, node)
  }
  return {...context, entityById, nodes}
}

/** The ids of what `articleDependencies` keeps of the site for an article: of the entities it names or its events involve, and of its merged nodes; each sorted. */
function dependencyIds(context: ArticleEmitContext, article: ArticleFacts): {entities: string[]; nodes: string[]} {
  const ids = new Set(article.entities.map((entity) => entity.id))
  eachEventRole(article.events, (id) => {
    if (id) ids.add(id)
  })
  const nodeIds = frontmatterNodeIds(article, context.site)
  for (const entity of article.entities) nodeIds.add(entityNodeId(context.base, entity.id))
  return {entities: [...ids].sort(), nodes: [...nodeIds].sort()}
}

/** An entity as one article's outputs draw on it: without its site-wide counts and forms. */
function dependentEntity(entity: SiteEntity): SiteEntity {
  return {...entity, articleCount: 0, mentionCount: 0, forms: []}
}

/**
 * The keys of the articles' outputs of one build, with what each was made
 * of: for the next build of a long-lived process (`BuildMemory.outputKeys`),
 * which makes its own from them (`outputKeyMaker`).
 */
export interface OutputKeys {
  /** The JSON of the site (`keyParts`). */
  site: string
  /** The hash of the JSON of each entity (as `articleDependencies` gives it) and merged node asked for, by id. */
  entities: Map<string, string>
  nodes: Map<string, string>
  /** By record key: whether the article came first, the ids of what it draws on (`dependencyIds`), and its key. */
  articles: Map<string, {first: boolean; entities: string[]; nodes: string[]; key: string}>
}

/**
 * The key of an article's outputs (`key`): the key of its record (its
 * source and every input of the per-article stage), whether it comes first
 * (its first graph node takes no comma), and the site-wide facts it draws on
 * (`articleDependencies`). Same key, same bytes: a rebuild reuses them. With
 * the keys of the last build (`last`), an article of the same record key,
 * place and site whose entities and nodes hash as they did then has the same
 * key, without its dependencies found again nor hashed (its ids are those of
 * its record and the site). `made` holds the keys made, for the next build.
 */
export function outputKeyMaker(context: ArticleEmitContext, last?: OutputKeys): {key: (recordKey: string, article: ArticleFacts, first: boolean) => string; made: OutputKeys} {
  // Note: what `articleDependencies` keeps, by id, each made and serialized once per context: made for each article, the copies of its entities were most of the time of 10,000 keys.
  let json = keyParts.get(context)
  if (!json) {
    json = {site: JSON.stringify([context.site, context.base, context.contexts]), entities: new Map(), nodes: new Map()}
    keyParts.set(context, json)
  }
  const {site, entities, nodes} = json
  /** The hash of an entity or node of the site, '' where the site has none (it is left out of the key). */
  const entityHash = (id: string) => {
    const entity = context.entityById.get(id)
    return entity ? memo(entities, id, () => dependentEntity(entity)) : ''
  }
  const nodeHash = (id: string) => {
    const node = context.nodes.get(id)
    return node ? memo(nodes, id, () => node) : ''
  }
  const made: OutputKeys = {site, entities, nodes, articles: new Map()}
  // Note: one string per id for the keys kept (`made`), however many articles draw on it: each article made its node ids anew, 10,000 bench articles 350,000 of them.
  const ids = new Map<string, string>()
  const one = (id: string) => held(ids, id)
  const kept = last?.site === site ? last : undefined
  // Note: whether an entity or node hashes as it did in the last build ('' where there was none), answered once per id.
  const sameEntities = remembered((id) => entityHash(id) === (kept?.entities.get(id) ?? ''), Infinity)
  const sameNodes = remembered((id) => nodeHash(id) === (kept?.nodes.get(id) ?? ''), Infinity)
  const key = (recordKey: string, article: ArticleFacts, first: boolean): string => {
    const known = kept?.articles.get(recordKey)
    if (known && known.first === first && known.entities.every((id) => sameEntities(id)) && known.nodes.every((id) => sameNodes(id))) {
      made.articles.set(recordKey, known)
      return known.key
    }
    const dependencies = dependencyIds(context, article)
    const parts = [recordKey, String(first), site]
    for (const id of dependencies.entities) {
      const hash = entityHash(id)
      if (hash) parts.push(hash)
    }
    parts.push('nodes')
    for (const id of dependencies.nodes) {
      const hash = nodeHash(id)
      if (hash) parts.push(hash)
    }
    const entry = {first, entities: dependencies.entities.map(one), nodes: dependencies.nodes.map(one), key: hashParts(parts)}
    made.articles.set(recordKey, entry)
    return entry.key
  }
  return {key, made}
}

/** The JSON of the site, and the hash of the JSON of each entity (as `articleDependencies` gives it) and merged node, made once per context for the keys of all its articles. */
const keyParts = new WeakMap<ArticleEmitContext, {site: string; entities: Map<string, string>; nodes: Map<string, string>}>()

/**
 * The hash of the JSON of `value()`, made once for `id` in `made`. Note: an
 * entity's JSON, hashed in the key of every article naming it, was hundreds
 * of megabytes to hash for 10,000 bench articles; its hash is 64 characters.
 */
function memo(made: Map<string, string>, id: string, value: () => unknown): string {
  let hash = made.get(id)
  if (hash === undefined) {
    hash = hashParts([JSON.stringify(value())])
    made.set(id, hash)
  }
  return hash
}

/**
 * Every output of one article: `articles/<slug>.jsonld`, its page and
 * snippet, then (appended) its nodes of `graph.jsonld` and its rows of each
 * CSV that has any. The caller writes the heads of those files first, and
 * the articles in slug order; `first` tells whether this is the first article
 * (its first node of the graph takes no comma before it).
 */
export function articleEmissions(site: ArticleEmitContext, article: Article, first: boolean): Emission[] {
  const context = articleDependencies(site, article)
  const graph = {first}
  const {document, own} = articleDocument(context, article)
  const tables = eventRecords(article, context.entityById, context.cameo)
  const {text: json, nodes: laidOut} = layOutDocument(document)
  const emissions: Emission[] = [{path: `articles/${article.slug}.jsonld`, text: json, document}]
  for (const [path, text] of articlePages(pageContext(context, article), article, json)) emissions.push({path, text})
  // Note: its nodes of the graph are nodes of its document, which the check
  // stage validates (the first as `newsArticle`, which holds all of `node`),
  // so they are not validated a second time as graph nodes.
  // Note: they lead its document's graph, laid out there as the graph lays them out: serialized once (when they lead it).
  const leading = laidOut !== undefined && own.every((node, index) => document['@graph'][index] === node)
  const {nodes: _inDocument, ...appended} = graphNodes(own, graph, leading ? laidOut : undefined)
  emissions.push(appended)
  const rows = (path: TablePath, columns: ReadonlyArray<string>, records: object[]) => {
    if (records.length > 0) emissions.push({path, text: csvRows(records, columns as ReadonlyArray<keyof object & string>), append: true, rows: {table: path, records}})
  }
  rows('data/articles.csv', articleColumns, [articleRecord(article)])
  rows('data/mentions.csv', mentionColumns, mentionRecords(article))
  for (const [path, columns, key] of eventTables) rows(path, columns, tables[key])
  return emissions
}

/**
 * Nodes of `graph.jsonld`, appended: laid out exactly as `serializeJson`
 * lays out a whole document, each node indented by two levels; `graph.first`
 * tells whether any node was written before (a comma goes between nodes).
 * `laidOut[i]`, when given, is `nodes[i]` laid out so already (`layOutDocument`).
 */
export function graphNodes(nodes: JsonLdNode[], graph: {first: boolean}, laidOut?: readonly string[]): Emission {
  const pieces: string[] = []
  for (const [index, node] of nodes.entries()) {
    pieces.push(`${graph.first ? '' : ','}\n    ${laidOut?.[index] ?? indented(node, '\n    ')}`)
    graph.first = false
  }
  return {path: 'graph.jsonld', text: chunksOf(pieces), append: true, nodes}
}

/** What an article's page needs of the site: its own events, and the entities it may link to. */
function pageContext(context: ArticleEmitContext, article: Article) {
  return htmlContext({site: context.site, articles: [summarizeArticle(article)], entities: [...context.entityById.values()], cameo: context.cameo})
}
