// Emit stage: every output of the site, as strings keyed by their path in dist/.
import type {Site} from '../config.js'
import type {Article} from '../types.js'
import type {Outputs} from '../write.js'
import {articleColumns, articleRecord, emitCsv, type ArticleRecord} from './csv.js'
import {articleNodes, compare, mergeNodes, serializeJson, toDocument, type JsonLdDocument, type JsonLdNode, type NodeConflict} from './jsonld.js'
import {emitFeed} from './rss.js'

/** What the emitters made: the serialized outputs and the values behind them, for checking. */
export interface Emitted {
  outputs: Outputs
  documents: Map<string, JsonLdDocument>
  graph: JsonLdDocument
  records: ArticleRecord[]
  conflicts: NodeConflict[]
}

/** Emit every output for `articles` (already free of errors, with unique slugs). */
export function emitSite(articles: Article[], site: Site): Emitted {
  const sorted = [...articles].sort((a, b) => compare(a.slug, b.slug))
  const perArticle = sorted.map((article) => ({article, nodes: articleNodes(article, site)}))
  const {nodes: entities, conflicts} = mergeNodes(perArticle.flatMap(({nodes}) => nodes.entities))

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
  outputs.set('feed.xml', emitFeed(sorted, site))
  return {outputs, documents, graph, records, conflicts}
}
