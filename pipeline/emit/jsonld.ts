// JSON-LD emitter: schema.org nodes for each article, and the documents made of them.
import type {Site} from '../config.js'
import {articleId, entityNodeId, nameId, quotationId, sourceNodeId} from '../ids.js'
import type {Article, ArticleFacts, OrganizationMeta, PersonMeta, SourceMeta} from '../types.js'
import {chunksOf, type Text} from '../chunks.js'
import {articleSubjects} from './entities.js'

/** The context every document uses: schema.org, resolved offline (see `jsonld-check.ts`). */
export const schemaOrgContext = 'https://schema.org'

/** A JSON-LD node object. */
export interface JsonLdNode {
  '@id': string
  '@type': string
  [key: string]: unknown
}

/** A JSON-LD document: the contexts and a flat graph of nodes. */
export interface JsonLdDocument {
  '@context': string | string[]
  '@graph': JsonLdNode[]
}

/**
 * The nodes of one article: its own (article, quotations, sources) and the
 * people and organizations its frontmatter names, as it describes them.
 * Entities found in the text are added by `emitSite`, once for the site.
 */
export interface ArticleNodes {
  own: JsonLdNode[]
  entities: JsonLdNode[]
}

/** Build the schema.org nodes of one article. */
export function articleNodes(article: Article, site: Site): ArticleNodes {
  const base = site.baseUrl
  const {meta, slug} = article
  const id = articleId(base, slug)
  const {authors, publisher, sources, entities} = frontmatterNodes(article, site)

  // Note: a blockquote of an image or raw HTML has no text to quote.
  const quotations = article.quotations.filter((quotation) => quotation.text !== '').map((quotation): JsonLdNode => {
    const node: JsonLdNode = {'@id': quotationId(base, slug, quotation.index), '@type': 'Quotation', text: quotation.text, isPartOf: id}
    if (quotation.sourceId) node['isBasedOn'] = sourceNodeId(base, slug, quotation.sourceId)
    return node
  })

  const articleNode: JsonLdNode = {
    '@id': id,
    '@type': 'NewsArticle',
    headline: meta.title,
    description: meta.description,
    url: meta.url,
    mainEntityOfPage: meta.url,
    datePublished: meta.datePublished,
    dateModified: meta.dateModified ?? meta.datePublished,
    publisher: ref(publisher),
    inLanguage: meta.language,
    wordCount: article.wordCount
  }
  if (authors.length > 0) articleNode['author'] = authors
  if (meta.section) articleNode['articleSection'] = meta.section
  if (meta.keywords && meta.keywords.length > 0) articleNode['keywords'] = meta.keywords
  if (sources.length > 0) articleNode['citation'] = sources.map(ref)
  if (quotations.length > 0) articleNode['hasPart'] = quotations.map(ref)
  const {about, mentions} = articleSubjects(base, article)
  if (about.length > 0) articleNode['about'] = about
  if (mentions.length > 0) articleNode['mentions'] = mentions

  return {own: [articleNode, ...quotations, ...sources], entities}
}

/**
 * The people and organizations an article's frontmatter names (authors,
 * publisher, its sources' authors and publishers) as it describes them, in
 * `entities`; the references to them, and the nodes of its sources.
 */
export function frontmatterNodes(article: ArticleFacts, site: Site): {authors: Array<{'@id': string}>; publisher: JsonLdNode; sources: JsonLdNode[]; entities: JsonLdNode[]} {
  const base = site.baseUrl
  const {meta, slug} = article
  const entities: JsonLdNode[] = []
  const idOf = frontmatterIdOf(article, site)
  const authors = article.authors.map((person) => ref(add(entities, personNode(idOf(person.name), person))))
  const publisher = add(entities, organizationNode(idOf(meta.publisher.name), meta.publisher))
  const sources = article.sources.map((source) => {
    const node = sourceNode(base, slug, source)
    if (source.author) node['author'] = ref(add(entities, personNode(idOf(source.author), {name: source.author})))
    if (source.publisher) node['publisher'] = ref(add(entities, organizationNode(idOf(source.publisher), {name: source.publisher})))
    return node
  })
  return {authors, publisher, sources, entities}
}

/** The @id of a person or organization the frontmatter of `article` names. */
function frontmatterIdOf(article: ArticleFacts, site: Site): (name: string) => string {
  return (name) => entityNodeId(site.baseUrl, article.nameIds[name] ?? nameId(name))
}

/** The @ids of `frontmatterNodes(article, site).entities`, each once, without making the nodes. */
export function frontmatterNodeIds(article: ArticleFacts, site: Site): Set<string> {
  const idOf = frontmatterIdOf(article, site)
  const ids = new Set(article.authors.map((person) => idOf(person.name)))
  ids.add(idOf(article.meta.publisher.name))
  for (const source of article.sources) {
    if (source.author) ids.add(idOf(source.author))
    if (source.publisher) ids.add(idOf(source.publisher))
  }
  return ids
}

/** A property on which two descriptions of one entity disagree. */
export interface NodeConflict {
  id: string
  property: string
  kept: unknown
  dropped: unknown
}

/**
 * Merge descriptions of shared nodes: one node per @id, with the union of
 * their properties. On a conflict the first description wins and the
 * conflict is returned, so callers should pass nodes in a stable order.
 */
export function mergeNodes(nodes: JsonLdNode[]): {nodes: Map<string, JsonLdNode>; conflicts: NodeConflict[]} {
  const merged = new Map<string, JsonLdNode>()
  const conflicts: NodeConflict[] = []
  for (const node of nodes) {
    const existing = merged.get(node['@id'])
    if (!existing) {
      merged.set(node['@id'], structuredClone(node))
      continue
    }
    for (const [property, value] of Object.entries(node)) {
      const current = existing[property]
      if (current === undefined) existing[property] = structuredClone(value)
      else if (Array.isArray(current) && Array.isArray(value)) {
        for (const item of value) if (!current.some((known) => JSON.stringify(known) === JSON.stringify(item))) current.push(item)
      } else if (JSON.stringify(current) !== JSON.stringify(value)) {
        conflicts.push({id: node['@id'], property, kept: current, dropped: value})
      }
    }
  }
  return {nodes: merged, conflicts}
}

/** Make a document from nodes, entities sorted by @id after the others. */
export function toDocument(context: string | string[], own: JsonLdNode[], entities: Iterable<JsonLdNode>): JsonLdDocument {
  const sorted = [...entities].sort((a, b) => compare(a['@id'], b['@id']))
  return {'@context': context, '@graph': [...own, ...sorted]}
}

/** Serialize a JSON document: two-space indent, final newline. */
export function serializeJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`
}

/**
 * Serialize a JSON-LD document as `serializeJson` does, in chunks (`Text`):
 * its context, then its nodes, each laid out as `JSON.stringify` lays it
 * out inside the graph. A document of other keys is serialized whole.
 */
export function serializeDocument(document: JsonLdDocument): Text {
  return layOutDocument(document).text
}

/**
 * Serialize a JSON-LD document as `serializeDocument` does, and give each
 * node of its graph as laid out there (`indented` inside the graph), which
 * `graph.jsonld` lays out alike; `nodes` is undefined for a document of
 * other keys, serialized whole.
 */
export function layOutDocument(document: JsonLdDocument): {text: Text; nodes: string[] | undefined} {
  const keys = Object.keys(document)
  const graph = document['@graph']
  if (keys.length !== 2 || keys[0] !== '@context' || keys[1] !== '@graph' || document['@context'] === undefined || !Array.isArray(graph) || graph.length === 0) return {text: serializeJson(document), nodes: undefined}
  const nodes = graph.map((node) => indented(node, '\n    '))
  const pieces = nodes.map((node, index) => `${index === 0 ? '' : ','}\n    ${node}`)
  return {text: chunksOf([`{\n  "@context": ${indented(document['@context'], '\n  ')},\n  "@graph": [`, ...pieces, '\n  ]\n}\n']), nodes}
}

/** A value as `JSON.stringify(…, null, 2)` writes it inside a document, its lines after the first beginning with `margin`. */
export function indented(value: unknown, margin: string): string {
  // Note: `undefined` (which a document cannot hold) is written as in an array.
  return (JSON.stringify(value, null, 2) ?? 'null').replaceAll('\n', margin)
}

/** Compare strings by code point, independent of locale. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function add(list: JsonLdNode[], node: JsonLdNode): JsonLdNode {
  list.push(node)
  return node
}

function ref(node: JsonLdNode): {'@id': string} {
  return {'@id': node['@id']}
}

function personNode(id: string, person: PersonMeta): JsonLdNode {
  const node: JsonLdNode = {'@id': id, '@type': 'Person', name: person.name}
  if (person.url) node['url'] = person.url
  if (person.sameAs && person.sameAs.length > 0) node['sameAs'] = person.sameAs
  if (person.bio) node['description'] = person.bio
  return node
}

function organizationNode(id: string, organization: OrganizationMeta): JsonLdNode {
  const node: JsonLdNode = {'@id': id, '@type': 'Organization', name: organization.name}
  if (organization.url) node['url'] = organization.url
  if (organization.logo) node['logo'] = organization.logo
  return node
}

function sourceNode(base: string, slug: string, source: SourceMeta): JsonLdNode {
  const node: JsonLdNode = {'@id': sourceNodeId(base, slug, source.id), '@type': source.type, name: source.name}
  if (source.url) node['url'] = source.url
  if (source.datePublished) node['datePublished'] = source.datePublished
  if (source.dateline) node['dateline'] = source.dateline
  return node
}
