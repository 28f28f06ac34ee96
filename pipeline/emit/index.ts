// Emit stage: every output of the site, as strings keyed by their path in dist/.
import type {Site} from '../config.js'
import type {Article} from '../types.js'
import type {Outputs} from '../write.js'
import {articleColumns, articleRecord, emitCsv, type ArticleRecord} from './csv.js'
import {articleNodes, compare, mergeNodes, serializeJson, toDocument, type JsonLdDocument, type JsonLdNode, type NodeConflict} from './jsonld.js'
import {emitFeed} from './rss.js'
import {entityColumns, entityNode, entityRecord, mentionColumns, mentionRecords, type EntityRecord, type MentionRecord} from './entities.js'
import {linkEntities} from '../link.js'

/** What the emitters made: the serialized outputs and the values behind them, for checking. */
export interface Emitted {
  outputs: Outputs
  documents: Map<string, JsonLdDocument>
  graph: JsonLdDocument
  records: ArticleRecord[]
  entityRecords: EntityRecord[]
  mentionRecords: MentionRecord[]
  conflicts: NodeConflict[]
}

/** Emit every output for `articles` (already free of errors, with unique slugs). */
export function emitSite(articles: Article[], site: Site): Emitted {
  const sorted = [...articles].sort((a, b) => compare(a.slug, b.slug))
  const siteEntities = linkEntities(sorted)
  const entityNodes = new Map(siteEntities.map((entity) => [entity.id, entityNode(site.baseUrl, entity)]))
  const perArticle = sorted.map((article) => {
    const nodes = articleNodes(article, site)
    nodes.entities.push(...article.entities.map((entity) => entityNodes.get(entity.id)!))
    return {article, nodes}
  })
  // Note: entities found in the text come first, so the registry's name wins over a frontmatter spelling.
  const {nodes: entities, conflicts} = mergeNodes([...entityNodes.values(), ...perArticle.flatMap(({nodes}) => nodes.entities)])

  const outputs: Outputs = new Map()
  const documents = new Map<string, JsonLdDocument>()
  for (const {article, nodes} of perArticle) {
    const ids = [...new Set(nodes.entities.map((node) => node['@id']))]
    const document = toDocument(nodes.own, ids.map((id) => entities.get(id)!))
    const path = `articles/${article.slug}.jsonld`
    documents.set(path, document)
    outputs.set(path, serializeJson(document))
  }

  const own: JsonLdNode[] = perArticle.flatMap(({nodes}) => nodes.own)
  const graph = toDocument(own, entities.values())
  outputs.set('graph.jsonld', serializeJson(graph))

  const records = sorted.map(articleRecord)
  outputs.set('data/articles.csv', emitCsv(records, articleColumns))
  const entityRecords = siteEntities.map(entityRecord)
  outputs.set('data/entities.csv', emitCsv(entityRecords, entityColumns))
  const mentions = sorted.flatMap(mentionRecords)
  outputs.set('data/mentions.csv', emitCsv(mentions, mentionColumns))
  outputs.set('feed.xml', emitFeed(sorted, site))
  return {outputs, documents, graph, records, entityRecords, mentionRecords: mentions, conflicts}
}
