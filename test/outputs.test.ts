// Outputs: dist/ read back by real consumers — an XML Schema validator and an
// RSS client for feed.xml and events.xml, jsonld.js and the schema.org
// vocabulary for the JSON-LD (with the project context, context.jsonld),
// csv-parse for the CSV — with values checked against source/.

import {readFile, rm} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import {MessageChannel} from 'node:worker_threads'
import {parse as parseCsv} from 'csv-parse/sync'
import jsonld from 'jsonld'
import Parser from 'rss-parser'
import {afterAll, describe, expect, it, vi} from 'vitest'
import {validateXML, type XMLValidationResult} from 'xmllint-wasm'
import {parse as parseYaml} from 'yaml'
import {build} from '../pipeline/build.js'
import {parseSite, type Site} from '../pipeline/config.js'
import {BytePool, chunkLength, chunksOf, joinText, textBytes} from '../pipeline/chunks.js'
import {articleColumns, emitCsv, type ArticleRecord} from '../pipeline/emit/csv.js'
import {entityColumns, mentionColumns} from '../pipeline/emit/entities.js'
import {eventColumns, evidenceColumns, participantColumns} from '../pipeline/emit/events.js'
import {graphNodes} from '../pipeline/emit/article.js'
import {emitOutputs, emitSite, modelSite, type Emitted} from '../pipeline/emit/index.js'
import {escapeJsonForHtml, jsonLdScript, renderJsonLdSnippet, renderPage} from '../pipeline/emit/html-page.js'
import {frontmatterNodeIds, frontmatterNodes, layOutDocument, serializeDocument, serializeJson, type JsonLdDocument, type JsonLdNode} from '../pipeline/emit/jsonld.js'
import {dropDisallowed} from '../pipeline/emit/characters.js'
import {toRfc822} from '../pipeline/emit/rss.js'
import {createDocumentLoader, documentLoader, expandSafe, schemaOrgContextDocument} from '../pipeline/jsonld-check.js'
import {createArticleProcessor, processArticle} from '../pipeline/process.js'
import {readSource} from '../pipeline/read.js'
import {summarizeArticle} from '../pipeline/summary.js'
import type {Article} from '../pipeline/types.js'
import {article, buildTree, readTree, root, seedPath, shared, sourceKnowledge, temporaryDirectory} from './helpers.js'

// ---------------------------------------------------------------------------
// What source/ says, checked by reading source/site.yaml and the seed article.

/** `baseUrl` of source/site.yaml. */
const base = 'https://newsgraph.example/'
/** `baseUrl` of the temporary trees of `buildTree`. */
const treeBase = 'https://example.org/news/'
const site = {title: 'newsgraph', language: 'en', link: base}
const seedSlug = '2003-08-20-mounting-multilateral-pressure-on-pyongyang'
const seed = {
  title: 'Mounting multilateral pressure on Pyongyang',
  url: 'https://foreignpolicy.com/2003/08/20/mounting-multilateral-pressure-on-pyongyang/',
  datePublished: '2003-08-20T00:00:00-05:00',
  /** 20 August 2003 was a Wednesday; the time stays in the article's -05:00 offset. */
  pubDate: 'Wed, 20 Aug 2003 00:00:00 -0500',
  /** The same instant in UTC. */
  isoDate: '2003-08-20T05:00:00.000Z',
  section: 'Blog',
  keywords: ['north korea', 'multilateral talks', 'russia', 'japan', 'china', 'south korea', 'nuclear weapons'],
  author: 'Daniel W. Drezner',
  authorUrl: 'https://www.danieldrezner.com/',
  publisher: 'Foreign Policy',
  language: 'en',
  /** `sources:` lists nyt, slate and dunnigan. */
  sourceCount: 3,
  /** Three blockquotes, one from each source. */
  quotationCount: 3,
  /** Words of the prose and quotations, without footnotes (counted apart with a regex over the body). */
  wordCount: 811,
  articleId: `${base}articles/${seedSlug}/#article`
}

/** The project namespace and context of a site (see `projectContext` in pipeline/emit/events.ts). */
const namespaceOf = (siteBase: string) => `${siteBase}ns#`
const contextUrlOf = (siteBase: string) => `${siteBase}context.jsonld`
/** The terms context.jsonld declares, each in the project namespace. */
const projectTerms = [
  'actor1',
  'actor2',
  'participant',
  'assertedBy',
  'cameoCode',
  'cameoRoot',
  'quadClass',
  'goldstein',
  'status',
  'negated',
  'datePrecision',
  'confidence',
  'evidence'
]
/** Project terms whose values are IRIs of nodes. */
const projectLinks = ['actor1', 'actor2', 'participant', 'assertedBy', 'cameoCode']

const xsd = 'http://www.w3.org/2001/XMLSchema#'
const rssXsd = await readFile(join(shared, 'vendor', 'rss', 'rss-2_0.xsd'), 'utf8')
const vendoredContext = JSON.parse(await readFile(join(shared, 'vendor', 'schemaorg', 'schemaorgcontext.jsonld'), 'utf8'))['@context'] as Record<
  string,
  unknown
>
const vocabulary = JSON.parse(await readFile(join(shared, 'vendor', 'schemaorg', 'schemaorg-current-https.jsonld'), 'utf8')) as {
  '@graph': VocabularyNode[]
}

// ---------------------------------------------------------------------------
// Builds: the real source/ once, and small temporary trees; all removed after.

const temporary: string[] = []

afterAll(async () => {
  await Promise.all(temporary.map((dir) => rm(dir, {recursive: true, force: true})))
})

let realBuild: Promise<Map<string, string>> | undefined

/** Build the real source/ into a temporary dist/ once; its files by relative path. */
function builtSource(): Promise<Map<string, string>> {
  realBuild ??= (async () => {
    const dir = await temporaryDirectory('newsgraph-outputs-')
    temporary.push(dir)
    const out = join(dir, 'dist')
    const result = await build({source: join(root, 'source'), out, cwd: dir})
    if (!result.written || result.errors > 0) throw new Error(`Build of source/ failed with ${result.errors} errors`)
    return readTree(out)
  })()
  return realBuild
}

async function builtFile(path: string): Promise<string> {
  const value = (await builtSource()).get(path)
  if (value === undefined) throw new Error(`No \`${path}\` in the build of source/`)
  return value
}

/** Build a temporary tree that must succeed; its files by relative path. */
async function buildOk(files: Record<string, string>): Promise<Map<string, string>> {
  const {result, out, source, messages} = await buildTree(files)
  temporary.push(dirname(source))
  expect(result.written, messages.join('\n')).toBe(true)
  return readTree(out)
}

function get(files: Map<string, string>, path: string): string {
  const value = files.get(path)
  if (value === undefined) throw new Error(`No \`${path}\` in [${[...files.keys()].join(', ')}]`)
  return value
}

/** An article of a temporary tree, with its own title, URL and dates. */
function dated(title: string, datePublished: string, extra?: string, body?: string): string {
  const lines = [`title: ${JSON.stringify(title)}`, `url: https://example.org/${encodeURIComponent(title.toLowerCase().replace(/\W+/g, '-'))}`, `datePublished: "${datePublished}"`]
  if (extra) lines.push(extra)
  return article({omit: ['title', 'url', 'datePublished'], frontmatter: lines.join('\n'), ...(body === undefined ? {} : {body})})
}

// ---------------------------------------------------------------------------
// Helpers over the outputs.

function validateFeed(xml: string, fileName = 'feed.xml'): Promise<XMLValidationResult> {
  return validateXML({xml: [{fileName, contents: xml}], schema: [rssXsd]})
}

/** The XSD's own RFC 822 date pattern (XSD patterns are anchored), for elements it types as plain strings. */
function rfc822Pattern(): RegExp {
  const match = /<xs:simpleType name="Rfc822FormatDate">[\s\S]*?<xs:pattern value="([^"]+)"/.exec(rssXsd)
  if (!match) throw new Error('No Rfc822FormatDate pattern in the XSD')
  return new RegExp(`^(?:${match[1]!})$`)
}

interface Feed {
  lastBuildDate?: string
  language?: string
  feedUrl?: string
}

function parseFeed(xml: string) {
  return new Parser<Feed, {'dc:creator'?: string}>().parseString(xml)
}

/** The JSON-LD documents of a build (every .jsonld but the context document), by path. */
function jsonDocuments(files: Map<string, string>): Array<[string, JsonLdDocument]> {
  return [...files]
    .filter(([path]) => path.endsWith('.jsonld') && path !== 'context.jsonld')
    .map(([path, text]) => [path, JSON.parse(text) as JsonLdDocument])
}

/** The built `context.jsonld`, served for its URL: what `expandSafe` needs beside schema.org's context. */
function servedContexts(files: Map<string, string>, siteBase = base): Map<string, unknown> {
  return new Map([[contextUrlOf(siteBase), JSON.parse(get(files, 'context.jsonld'))]])
}

/** Expand a document of a build in safe mode, with that build's context.jsonld. */
async function expandBuilt(files: Map<string, string>, document: object, siteBase = base): Promise<ExpandedNode[]> {
  return (await expandSafe(document, servedContexts(files, siteBase))) as ExpandedNode[]
}

/** Every `{"@id": …}` object (a reference: nothing but `@id`) anywhere in `value`, with the property holding it. */
function references(value: unknown, property = '', found: Array<[string, string]> = []): Array<[string, string]> {
  if (Array.isArray(value)) for (const item of value) references(item, property, found)
  else if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value)
    const id = (value as Record<string, unknown>)['@id']
    if (keys.length === 1 && typeof id === 'string') found.push([property, id])
    else for (const [key, item] of Object.entries(value)) if (key !== '@id') references(item, key, found)
  }
  return found
}

interface ExpandedNode {
  '@id'?: string
  '@type'?: string[]
  [property: string]: unknown
}

function asArray<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value]
}

interface Ref {
  '@id': string
}

interface VocabularyNode {
  '@id': string
  '@type'?: string | string[]
  'rdfs:subClassOf'?: Ref | Ref[]
  'schema:domainIncludes'?: Ref | Ref[]
  'schema:supersededBy'?: Ref | Ref[]
}

const vocabularyById = new Map(vocabulary['@graph'].map((node) => [node['@id'], node]))

/** `schema:X` for `http://schema.org/X` or `https://schema.org/X`, else undefined. */
function schemaName(iri: string): string | undefined {
  const match = /^https?:\/\/schema\.org\/(.+)$/.exec(iri)
  return match ? `schema:${match[1]!}` : undefined
}

/** `schema:X` for `http://schema.org/X` or `https://schema.org/X`. */
function curie(iri: string): string {
  const name = schemaName(iri)
  if (!name) throw new Error(`Not a schema.org IRI: ${iri}`)
  return name
}

/** A class and all its superclasses (following `rdfs:subClassOf`). */
function withSuperclasses(type: string): Set<string> {
  const found = new Set<string>()
  const queue = [type]
  while (queue.length > 0) {
    const current = queue.pop()!
    if (found.has(current)) continue
    found.add(current)
    for (const parent of asArray(vocabularyById.get(current)?.['rdfs:subClassOf'])) queue.push(parent['@id'])
  }
  return found
}

/** Whether an IRI names a member of a schema.org enumeration (`EventScheduled` of `EventStatusType` …). */
function isEnumerationMember(iri: string, enumeration: string): boolean {
  const name = schemaName(iri)
  return name !== undefined && asArray(vocabularyById.get(name)?.['@type']).includes(enumeration)
}

/** The project namespace of a build and the IRIs its context.jsonld declares there. */
interface ProjectVocabulary {
  namespace: string
  declared: Set<string>
}

/** The IRIs of the terms a context defines (term definitions, not bare prefixes). */
function declaredIris(context: Record<string, unknown>): Set<string> {
  return new Set(
    Object.entries(context)
      .filter(([, definition]) => definition !== null && typeof definition === 'object')
      .map(([term]) => expandTerm(context, term))
  )
}

function projectVocabulary(files: Map<string, string>, siteBase = base): ProjectVocabulary {
  const context = (JSON.parse(get(files, 'context.jsonld')) as {'@context': Record<string, unknown>})['@context']
  return {namespace: namespaceOf(siteBase), declared: declaredIris(context)}
}

/**
 * What in expanded nodes is not in the schema.org vocabulary: unknown or
 * superseded types and properties, and properties whose `schema:domainIncludes`
 * allows neither the node's type nor any superclass of it. Terms of the
 * project namespace are not schema.org's: each must be declared in
 * context.jsonld instead; any other IRI is a problem.
 */
function vocabularyProblems(nodes: ExpandedNode[], project: ProjectVocabulary): string[] {
  const problems: string[] = []
  const outside = (iri: string) => {
    if (!iri.startsWith(project.namespace)) return `${iri}: neither schema.org nor the project namespace`
    return project.declared.has(iri) ? undefined : `${iri}: not declared in context.jsonld`
  }
  for (const node of nodes) {
    const types: string[] = []
    if ((node['@type'] ?? []).length === 0) problems.push(`${node['@id']}: no @type`)
    for (const iri of node['@type'] ?? []) {
      const type = schemaName(iri)
      if (!type) {
        const problem = outside(iri)
        if (problem) problems.push(problem)
        continue
      }
      types.push(type)
      const entry = vocabularyById.get(type)
      if (!entry || !asArray(entry['@type']).includes('rdfs:Class')) problems.push(`${type}: not a schema.org class`)
      else if (entry['schema:supersededBy']) problems.push(`${type}: superseded`)
    }
    const ancestry = new Set(types.flatMap((type) => [...withSuperclasses(type)]))
    for (const key of Object.keys(node).filter((key) => !key.startsWith('@'))) {
      const property = schemaName(key)
      if (!property) {
        const problem = outside(key)
        if (problem) problems.push(problem)
        continue
      }
      const entry = vocabularyById.get(property)
      if (!entry || !asArray(entry['@type']).includes('rdf:Property')) {
        problems.push(`${property}: not a schema.org property`)
        continue
      }
      if (entry['schema:supersededBy']) problems.push(`${property}: superseded`)
      const domains = asArray(entry['schema:domainIncludes']).map((ref) => ref['@id'])
      if (!domains.some((domain) => ancestry.has(domain))) problems.push(`${property} on ${types.join(', ')}: domain is ${domains.join(', ')}`)
    }
  }
  return problems
}

/** Expand an IRI or term of a context the way JSON-LD does for `@id` and `@type` values of term definitions. */
function expandTerm(context: Record<string, unknown>, value: string, seen = new Set<string>()): string {
  if (value.startsWith('@')) return value
  const colon = value.indexOf(':')
  if (colon > 0) {
    const prefix = context[value.slice(0, colon)]
    return typeof prefix === 'string' ? prefix + value.slice(colon + 1) : value
  }
  if (seen.has(value)) throw new Error(`Cyclic term \`${value}\``)
  seen.add(value)
  const definition = context[value]
  if (typeof definition === 'string') return expandTerm(context, definition, seen)
  if (definition !== null && typeof definition === 'object') {
    const id = (definition as Record<string, unknown>)['@id']
    if (typeof id === 'string') return expandTerm(context, id, seen)
  }
  return `${String(context['@vocab'])}${value}`
}

/** The `@type` coercion of a term of a context, expanded; undefined when it has none. */
function coercionOf(context: Record<string, unknown>, term: string): string | undefined {
  const definition = context[term]
  const type = definition !== null && typeof definition === 'object' ? (definition as Record<string, unknown>)['@type'] : undefined
  return typeof type === 'string' ? expandTerm(context, type) : undefined
}

/**
 * Expand `document` with schema.org's published context (the vendored file) in
 * place of newsgraph's local one, and the project context of `contexts`.
 */
async function expandWithVendoredContext(document: object, contexts: Map<string, unknown>): Promise<object[]> {
  const loader = async (url: string) => {
    const project = contexts.get(url)
    if (project !== undefined) return {contextUrl: undefined, documentUrl: url, document: structuredClone(project)}
    if (!/^https?:\/\/schema\.org\/?$/.test(url)) throw new Error(`Unexpected context ${url}`)
    return {contextUrl: undefined, documentUrl: url, document: {'@context': vendoredContext}}
  }
  return (await jsonld.expand(document as jsonld.JsonLdDocument, {documentLoader: loader} as unknown as jsonld.Options.Expand)) as object[]
}

interface Literal {
  value: string
  datatype: string
  predicate: string
}

/** The literals of the RDF of a document (jsonld.js toRDF, safe mode, offline). */
async function literalsOf(document: object, contexts: Map<string, unknown>): Promise<Literal[]> {
  interface Term {
    termType: string
    value: string
    datatype?: {value: string}
  }
  const quads = (await jsonld.toRDF(document as jsonld.JsonLdDocument, {
    documentLoader: createDocumentLoader(contexts),
    safe: true
  } as unknown as jsonld.Options.ToRdf)) as Array<{predicate: Term; object: Term}>
  return quads
    .filter((quad) => quad.object.termType === 'Literal')
    .map((quad) => ({value: quad.object.value, datatype: quad.object.datatype?.value ?? `${xsd}string`, predicate: quad.predicate.value}))
}

/** Lexical forms of the datatypes the outputs use (XML Schema 1.1; schema:Date is an ISO 8601 date, reduced or with a time). */
const lexicalForms: Record<string, RegExp> = {
  [`${xsd}string`]: /^[\s\S]*$/,
  [`${xsd}integer`]: /^[+-]?\d+$/,
  [`${xsd}decimal`]: /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/,
  [`${xsd}boolean`]: /^(?:true|false|1|0)$/,
  [`${xsd}double`]: /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$|^(?:[+-]?INF|NaN)$/,
  'http://schema.org/Date': /^\d{4}(?:-\d\d(?:-\d\d(?:T\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d))?)?)?$/
}

let seedEmission: Promise<{emitted: Emitted; article: Article}> | undefined

/** The seed article processed like the build does, and what `emitSite` makes of it with the site of source/site.yaml. */
function seedEmitted(): Promise<{emitted: Emitted; article: Article}> {
  seedEmission ??= (async () => {
    const siteFile = await readSource(join(root, 'source', 'site.yaml'))
    const declared = parseSite(siteFile)
    if (!declared) throw new Error('source/site.yaml is invalid')
    const knowledge = await sourceKnowledge()
    const processed = await processArticle(await readSource(seedPath), createArticleProcessor(knowledge), knowledge)
    if (!processed) throw new Error('The seed article has errors')
    return {emitted: emitSite([processed], declared as Site, knowledge.cameo), article: processed}
  })()
  return seedEmission
}

/** The seed article's frontmatter, parsed apart from the pipeline. */
async function seedFrontmatter(): Promise<Record<string, unknown>> {
  const text = await readFile(seedPath, 'utf8')
  const match = /^---\n([\s\S]*?)\n---\n/.exec(text)
  if (!match) throw new Error('No frontmatter in the seed article')
  return parseYaml(match[1]!) as Record<string, unknown>
}

/** Rows of a CSV of a build, every cell a string. */
function csvRows(files: Map<string, string>, path: string): Array<Record<string, string>> {
  return parseCsv(get(files, path), {columns: true}) as Array<Record<string, string>>
}

/** @id of an entity node. */
const entityNode = (id: string, siteBase = base) => `${siteBase}entities/${id}/#entity`
/** @id of the Event node of a row of events.csv (`<slug>-e<n>` → `<page>#event-<n>`). */
function eventNodeOf(row: Record<string, string>, siteBase = base): string {
  const prefix = `${row['article_id']!}-e`
  if (!row['id']!.startsWith(prefix)) throw new Error(`Unexpected event id ${row['id']!}`)
  return `${siteBase}articles/${row['article_id']!}/#event-${row['id']!.slice(prefix.length)}`
}
/** @id of a CAMEO code in cameo.jsonld. */
const codeNode = (code: string, siteBase = base) => `${siteBase}cameo.jsonld#code-${code}`
const codeSetNode = (siteBase = base) => `${siteBase}cameo.jsonld#codes`

/** The first day of a date of any precision: "1950" → "1950-01-01". */
function firstDay(date: string): string {
  return date.length === 4 ? `${date}-01-01` : date.length === 7 ? `${date}-01` : date
}

// ---------------------------------------------------------------------------
// The CSV tables: columns, records of `emitSite`, and the kind of each cell.

type CellKind = 'text' | 'number' | 'optional number' | 'boolean'

interface Table {
  path: string
  columns: readonly string[]
  records: (emitted: Emitted) => object[]
  /** Columns that are not text. */
  kinds: Record<string, CellKind>
}

const tables: Table[] = [
  {
    path: 'data/entities.csv',
    columns: entityColumns,
    records: (emitted) => emitted.entityRecords,
    kinds: {linked: 'boolean', article_count: 'number', mention_count: 'number'}
  },
  {
    path: 'data/mentions.csv',
    columns: mentionColumns,
    records: (emitted) => emitted.mentionRecords,
    kinds: {start: 'number', end: 'number', sentence: 'number', paragraph: 'number', confidence: 'number'}
  },
  {
    path: 'data/events.csv',
    columns: eventColumns,
    records: (emitted) => emitted.eventRecords,
    kinds: {
      quad_class: 'number',
      goldstein: 'number',
      negated: 'boolean',
      evidence_start: 'number',
      evidence_end: 'number',
      evidence_count: 'number',
      confidence: 'number'
    }
  },
  {path: 'data/event_participants.csv', columns: participantColumns, records: (emitted) => emitted.participantRecords, kinds: {}},
  {
    path: 'data/event_evidence.csv',
    columns: evidenceColumns,
    records: (emitted) => emitted.evidenceRecords,
    kinds: {
      sentence: 'number',
      start: 'number',
      end: 'number',
      trigger_start: 'number',
      trigger_end: 'number',
      actor1_start: 'optional number',
      actor1_end: 'optional number',
      actor2_start: 'optional number',
      actor2_end: 'optional number'
    }
  }
]

/** A number as the CSV writes it: plain decimal, no exponent, no `+`, no apostrophe before a minus. */
const plainNumber = /^-?\d+(?:\.\d+)?$/
/** What a spreadsheet would run as a formula, and so what `emitCsv` prefixes with an apostrophe. */
const formulaStart = /^[=+\-@\t\r]/

/** A cell read back to the value of its kind; throws on a cell that is not written as its kind is. */
function readCell(kind: CellKind, cell: string, column: string): unknown {
  if (kind === 'boolean') {
    if (cell !== 'true' && cell !== 'false') throw new Error(`\`${column}\`: \`${cell}\` is not true or false`)
    return cell === 'true'
  }
  if (kind === 'optional number' && cell === '') return ''
  if (kind === 'number' || kind === 'optional number') {
    if (!plainNumber.test(cell)) throw new Error(`\`${column}\`: \`${cell}\` is not a plain number`)
    return Number(cell)
  }
  // Text: undo the formula guard (an apostrophe before a formula character).
  return cell.startsWith("'") && formulaStart.test(cell.slice(1)) ? cell.slice(1) : cell
}

/** A value of a record as its cell is written. */
function cellOf(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (typeof value === 'number') return String(value)
  const text = String(value)
  return formulaStart.test(text) ? `'${text}` : text
}

// ---------------------------------------------------------------------------

describe('the constants of this file', () => {
  it('agree with the frontmatter of the seed article and source/site.yaml', async () => {
    const frontmatter = await seedFrontmatter()
    expect(frontmatter).toMatchObject({
      title: seed.title,
      url: seed.url,
      datePublished: seed.datePublished,
      language: seed.language,
      section: seed.section,
      keywords: seed.keywords,
      author: {name: seed.author, url: seed.authorUrl},
      publisher: {name: seed.publisher}
    })
    expect(frontmatter['dateModified']).toBeUndefined()
    expect(frontmatter['sources']).toHaveLength(seed.sourceCount)
    const siteYaml = parseYaml(await readFile(join(root, 'source', 'site.yaml'), 'utf8')) as Record<string, unknown>
    expect(siteYaml).toMatchObject({title: site.title, language: site.language, baseUrl: base})
  })

  it('count the blockquotes of the seed article as its quotations', async () => {
    const body = (await readFile(seedPath, 'utf8')).replace(/^---\n[\s\S]*?\n---\n/, '')
    // A blockquote: a run of lines starting with `>` after a line that does not.
    expect(body.match(/(?:^|\n)(?!>)[^\n]*\n>/g)).toHaveLength(seed.quotationCount)
  })
})

describe('feed.xml against the RSS 2.0 XML Schema', () => {
  it('is valid for the build of source/', async () => {
    const result = await validateFeed(await builtFile('feed.xml'))
    expect(result.errors).toEqual([])
    expect(result.valid).toBe(true)
  })

  it('rejects a feed whose pubDate is ISO 8601 instead of RFC 822, so the validator is really wired', async () => {
    const xml = await builtFile('feed.xml')
    const broken = xml.replace(`<pubDate>${seed.pubDate}</pubDate>`, `<pubDate>${seed.datePublished}</pubDate>`)
    expect(broken).not.toBe(xml)
    const result = await validateFeed(broken)
    expect(result.valid).toBe(false)
    expect(result.errors.map((error) => error.message).join('\n')).toMatch(/Element 'pubDate'.*not accepted by the pattern/)
  })

  it('rejects a channel without items', async () => {
    const xml = await builtFile('feed.xml')
    const broken = xml.replace(/\s*<item>[\s\S]*<\/item>/, '')
    expect(broken).not.toContain('<item>')
    const result = await validateFeed(broken)
    expect(result.valid).toBe(false)
    expect(result.errors.map((error) => error.message).join('\n')).toMatch(/Element 'channel': Missing child element/)
  })

  it('writes lastBuildDate and every pubDate in the XSD’s RFC 822 pattern, which the XSD does not apply to lastBuildDate itself', async () => {
    const xml = await builtFile('feed.xml')
    const pattern = rfc822Pattern()
    const dates = [...xml.matchAll(/<(lastBuildDate|pubDate)>([^<]*)<\//g)].map((match) => [match[1], match[2]!] as const)
    expect(dates.map(([name]) => name)).toEqual(['lastBuildDate', 'pubDate'])
    for (const [, value] of dates) expect(value).toMatch(pattern)
    expect(seed.datePublished).not.toMatch(pattern)
  })

  it('is valid for a tree of several articles, with XML-illegal characters in the text', async () => {
    const files = await buildOk({
      'articles/one.md': dated('Talks \u0008resume', '2020-02-03T10:00:00+01:00'),
      'articles/two.md': dated('Talks end', '2020-02-04T10:00:00+01:00')
    })
    const result = await validateFeed(get(files, 'feed.xml'))
    expect(result.errors).toEqual([])
    expect(result.valid).toBe(true)
    const feed = await parseFeed(get(files, 'feed.xml'))
    expect(feed.items.map((item) => item.title)).toEqual(['Talks end', 'Talks resume'])
  })
})

describe('feed.xml read by an RSS client (rss-parser)', () => {
  it('has the channel title, link and language of source/site.yaml, and its own URL', async () => {
    const feed = await parseFeed(await builtFile('feed.xml'))
    expect(feed.title).toBe(site.title)
    expect(feed.link).toBe(site.link)
    expect(feed.language).toBe(site.language)
    expect(feed.feedUrl).toBe(`${base}feed.xml`)
  })

  it('has one item with the title, link, guid, pubDate, categories and creator of the seed article', async () => {
    const xml = await builtFile('feed.xml')
    const feed = await parseFeed(xml)
    expect(feed.items).toHaveLength(1)
    const item = feed.items[0]!
    expect(item.title).toBe(seed.title)
    expect(item.link).toBe(seed.url)
    expect(item.guid).toBe(seed.articleId)
    expect(xml).toContain(`<guid isPermaLink="false">${seed.articleId}</guid>`)
    expect(item.pubDate).toBe(seed.pubDate)
    expect(item.isoDate).toBe(seed.isoDate)
    expect(item.categories).toEqual([seed.section, ...seed.keywords])
    expect(item['dc:creator']).toBe(seed.author)
    expect(item.creator).toBe(seed.author)
    expect(item.content).toBe((await seedFrontmatter())['description'])
  })

  it('dates lastBuildDate from the newest article (RFC 822), not from the clock', async () => {
    const feed = await parseFeed(await builtFile('feed.xml'))
    expect(feed.lastBuildDate).toBe(seed.pubDate)

    vi.useFakeTimers({toFake: ['Date']})
    vi.setSystemTime(new Date('2099-06-15T12:00:00Z'))
    try {
      expect(new Date().getUTCFullYear()).toBe(2099)
      const files = await buildOk({'articles/a.md': dated('Clockless', '2020-02-03T10:00:00+01:00')})
      const later = await parseFeed(get(files, 'feed.xml'))
      expect(later.lastBuildDate).toBe('Mon, 03 Feb 2020 10:00:00 +0100')
      expect(get(files, 'feed.xml')).not.toContain('2099')
      expect(get(files, 'events.xml')).not.toContain('2099')
    } finally {
      vi.useRealTimers()
    }
  })

  it('lists items newest first by instant (not by the text of the date) and dates lastBuildDate from the newest', async () => {
    // 09:00Z, 10:30Z and 06:00Z: by instant b, a, c; by local time c, a, b; by file name a, b, c.
    const files = await buildOk({
      'articles/a.md': dated('Ten in Paris', '2020-02-03T10:00:00+01:00'),
      'articles/b.md': dated('Half past nine in the Azores', '2020-02-03T09:30:00-01:00'),
      'articles/c.md': dated('Eleven in Karachi', '2020-02-03T11:00:00+05:00')
    })
    const feed = await parseFeed(get(files, 'feed.xml'))
    expect(feed.items.map((item) => item.title)).toEqual(['Half past nine in the Azores', 'Ten in Paris', 'Eleven in Karachi'])
    expect(feed.items.map((item) => item.pubDate)).toEqual([
      'Mon, 03 Feb 2020 09:30:00 -0100',
      'Mon, 03 Feb 2020 10:00:00 +0100',
      'Mon, 03 Feb 2020 11:00:00 +0500'
    ])
    expect(feed.items.map((item) => item.isoDate)).toEqual(['2020-02-03T10:30:00.000Z', '2020-02-03T09:00:00.000Z', '2020-02-03T06:00:00.000Z'])
    expect(feed.items.map((item) => item.guid)).toEqual(['b', 'a', 'c'].map((slug) => `https://example.org/news/articles/${slug}/#article`))
    expect(feed.lastBuildDate).toBe('Mon, 03 Feb 2020 09:30:00 -0100')
  })

  it('moves lastBuildDate to a later dateModified without reordering the items', async () => {
    const files = await buildOk({
      'articles/a.md': dated('Ten in Paris', '2020-02-03T10:00:00+01:00'),
      'articles/c.md': dated('Eleven in Karachi', '2020-02-03T11:00:00+05:00', 'dateModified: "2020-02-05T08:00:00Z"')
    })
    const feed = await parseFeed(get(files, 'feed.xml'))
    expect(feed.items.map((item) => item.title)).toEqual(['Ten in Paris', 'Eleven in Karachi'])
    expect(feed.lastBuildDate).toBe('Wed, 05 Feb 2020 08:00:00 +0000')
  })

  it('orders an entity feed by instant, its articles and events together, and dates it from the last dateModified of its articles', async () => {
    // As above: by instant b, a, c; c modified last. Every article tells the same events, dated by its own day and offset.
    const body = 'Japan urged North Korea on Monday to return to the talks. China hosted the talks in Beijing last week.\n'
    const files = await buildOk({
      'articles/a.md': dated('Ten in Paris', '2020-02-03T10:00:00+01:00', undefined, body),
      'articles/b.md': dated('Half past nine in the Azores', '2020-02-03T09:30:00-01:00', undefined, body),
      'articles/c.md': dated('Eleven in Karachi', '2020-02-03T11:00:00+05:00', 'dateModified: "2020-02-05T08:00:00Z"', body)
    })
    const feeds = [...files].filter(([path]) => /^entities\/[^/]+\/feed\.xml$/.test(path))
    let checked = 0
    for (const [path, xml] of feeds) {
      const feed = await parseFeed(xml)
      const articles = feed.items.filter((item) => item.guid?.endsWith('/#article'))
      if (articles.length < 3) continue
      expect(articles.map((item) => item.guid), path).toEqual(['b', 'a', 'c'].map((slug) => `https://example.org/news/articles/${slug}/#article`))
      const instants = feed.items.map((item) => Date.parse(item.isoDate!))
      expect(instants.every((instant, index) => index === 0 || instant <= instants[index - 1]!), path).toBe(true)
      expect(feed.items.length, path).toBeGreaterThan(articles.length)
      expect(feed.lastBuildDate, path).toBe('Wed, 05 Feb 2020 08:00:00 +0000')
      checked++
    }
    expect(checked).toBeGreaterThan(0)
  })
})

describe('events.xml against the RSS 2.0 XML Schema', () => {
  it('is valid for the build of source/', async () => {
    const result = await validateFeed(await builtFile('events.xml'), 'events.xml')
    expect(result.errors).toEqual([])
    expect(result.valid).toBe(true)
  })

  it('rejects an events feed whose pubDate is ISO 8601, so the validator is really wired for it too', async () => {
    const xml = await builtFile('events.xml')
    const broken = xml.replace(/<pubDate>[^<]*<\/pubDate>/, '<pubDate>2003-08-20T00:00:00-05:00</pubDate>')
    expect(broken).not.toBe(xml)
    const result = await validateFeed(broken, 'events.xml')
    expect(result.valid).toBe(false)
    expect(result.errors.map((error) => error.message).join('\n')).toMatch(/Element 'pubDate'.*not accepted by the pattern/)
  })

  it('writes lastBuildDate and every pubDate in the XSD’s RFC 822 pattern', async () => {
    const xml = await builtFile('events.xml')
    const pattern = rfc822Pattern()
    const dates = [...xml.matchAll(/<(lastBuildDate|pubDate)>([^<]*)<\//g)].map((match) => [match[1], match[2]!] as const)
    const events = csvRows(await builtSource(), 'data/events.csv')
    expect(dates.map(([name]) => name)).toEqual(['lastBuildDate', ...events.map(() => 'pubDate')])
    for (const [, value] of dates) expect(value).toMatch(pattern)
  })

  it('is valid for a tree of several articles, with XML-illegal characters in the evidence', async () => {
    const files = await buildOk({
      'articles/one.md': dated('Talks resume', '2020-02-03T10:00:00+01:00', undefined, 'Russia \u0008said on Monday that talks would resume.\n'),
      'articles/two.md': dated('Talks end', '2020-02-10T10:00:00+01:00', undefined, 'Russia criticized Japan yesterday.\n')
    })
    const xml = get(files, 'events.xml')
    const result = await validateFeed(xml, 'events.xml')
    expect(result.errors).toEqual([])
    expect(result.valid).toBe(true)
    expect(xml).not.toContain('\u0008')
    const feed = await parseFeed(xml)
    expect(feed.items.map((item) => item.content)).toEqual(['Russia criticized Japan yesterday.', 'Russia said on Monday that talks would resume.'])
  })

  it('has no item, which RSS 2.0 allows and the XSD (by a documented HACK) does not, when no article reports an event', async () => {
    const files = await buildOk({'articles/a.md': dated('Quiet', '2020-02-03T10:00:00+01:00', undefined, 'Nothing happened here at all.\n')})
    expect(csvRows(files, 'data/events.csv')).toEqual([])
    const xml = get(files, 'events.xml')
    expect(xml).not.toContain('<item>')
    expect(rssXsd).toMatch(/<xs:element name="item" type="RssItem" minOccurs="1"[^>]*>\s*<!--\s*HACK: According to the RSS 2\.0 spec, it should strictly be possible to have zero item elements/)
    const result = await validateFeed(xml, 'events.xml')
    expect(result.errors.map((error) => error.message)).toEqual([expect.stringMatching(/Element 'channel': Missing child element/)])
    const feed = await parseFeed(xml)
    expect(feed.items).toEqual([])
    expect(feed.title).toBe('Test: events')
    expect(feed.lastBuildDate).toBeUndefined()
  })
})

describe('events.xml read by an RSS client (rss-parser)', () => {
  it('has its own channel title, the link and language of source/site.yaml, and its own URL', async () => {
    const feed = await parseFeed(await builtFile('events.xml'))
    expect(feed.title).toBe(`${site.title}: events`)
    expect(feed.link).toBe(site.link)
    expect(feed.language).toBe(site.language)
    expect(feed.feedUrl).toBe(`${base}events.xml`)
  })

  it('has an item per event, newest first, with the event’s @id as guid, a title, its evidence as description and its code and status as categories', async () => {
    const files = await builtSource()
    const xml = get(files, 'events.xml')
    const feed = await parseFeed(xml)
    const events = csvRows(files, 'data/events.csv')
    expect(events.length).toBeGreaterThan(1)
    expect(feed.items).toHaveLength(events.length)
    const graph = JSON.parse(get(files, 'graph.jsonld')) as JsonLdDocument
    const eventNodes = new Map(graph['@graph'].filter((node) => node['cameoCode'] !== undefined).map((node) => [node['@id'], node]))
    expect([...eventNodes.keys()].sort()).toEqual(events.map((row) => eventNodeOf(row)).sort())
    const byNode = new Map(events.map((row) => [eventNodeOf(row), row]))
    for (const item of feed.items) {
      const row = byNode.get(item.guid!)
      expect(row, item.guid).toBeDefined()
      expect(xml).toContain(`<guid isPermaLink="false">${item.guid!}</guid>`)
      expect(item.link).toBe(item.guid)
      expect(item.title, item.guid).toMatch(/\S/)
      expect(item.title!.endsWith(` (${row!['status']!})`), item.title).toBe(true)
      expect(item.content).toBe(row!['evidence'])
      expect(item.categories).toEqual([row!['cameo_label'], row!['status']])
      // Dated by the event's first day, else the article's, at midnight in the article's offset (-05:00).
      const day = row!['start_date'] ? firstDay(row!['start_date']) : seed.datePublished.slice(0, 10)
      expect(item.pubDate, item.guid).toBe(toRfc822(`${day}T00:00:00-05:00`))
      expect(item.isoDate, item.guid).toBe(new Date(`${day}T00:00:00-05:00`).toISOString())
    }
    // Newest first; events of one instant by @id.
    const order = feed.items.map((item) => [item.isoDate!, item.guid!] as const)
    const sorted = [...order].sort(([dateA, idA], [dateB, idB]) => (dateA !== dateB ? (dateA < dateB ? 1 : -1) : idA < idB ? -1 : idA > idB ? 1 : 0))
    expect(order).toEqual(sorted)
    expect(new Set(order.map(([date]) => date)).size).toBeGreaterThan(1)
    // lastBuildDate is the date of the newest article reporting events (events may be dated later, when scheduled).
    expect(feed.lastBuildDate).toBe(seed.pubDate)
  })

  it('lists events of several articles newest first by instant, not by the text of the date', async () => {
    // Midnight of 4 February at +14:00 is 3 February 10:00Z; midnight of 3 February at -12:00 is 3 February 12:00Z.
    const files = await buildOk({
      'articles/a.md': dated('Kiribati', '2020-02-04T10:00:00+14:00', undefined, 'Russia said that talks would resume.\n'),
      'articles/b.md': dated('Baker Island', '2020-02-03T10:00:00-12:00', undefined, 'Japan said that talks would resume.\n')
    })
    const feed = await parseFeed(get(files, 'events.xml'))
    expect(feed.items.map((item) => item.guid)).toEqual(['b', 'a'].map((slug) => `${treeBase}articles/${slug}/#event-1`))
    expect(feed.items.map((item) => item.pubDate)).toEqual(['Mon, 03 Feb 2020 00:00:00 -1200', 'Tue, 04 Feb 2020 00:00:00 +1400'])
    expect(feed.items.map((item) => item.isoDate)).toEqual(['2020-02-03T12:00:00.000Z', '2020-02-03T10:00:00.000Z'])
    // The newest article, by instant: b (3 February 22:00Z) rather than a (3 February 20:00Z).
    expect(feed.lastBuildDate).toBe('Mon, 03 Feb 2020 10:00:00 -1200')
  })

  it('titles each item with the name of its Event node and its status', async () => {
    const files = await builtSource()
    const graph = JSON.parse(get(files, 'graph.jsonld')) as JsonLdDocument
    const nodes = new Map(graph['@graph'].map((node) => [node['@id'], node]))
    const feed = await parseFeed(get(files, 'events.xml'))
    expect(feed.items.map((item) => item.title)).toEqual(feed.items.map((item) => `${String(nodes.get(item.guid!)?.['name'])} (${String(nodes.get(item.guid!)?.['status'])})`))
  })
})

describe('the nodes of graph.jsonld', () => {
  it('are checked with their article’s document, or else as graph nodes, never both', async () => {
    const {article} = await seedEmitted()
    const declared = parseSite(await readSource(join(root, 'source', 'site.yaml')))!
    const knowledge = await sourceKnowledge()
    const emissions = [...emitOutputs(modelSite([summarizeArticle(article)], declared as Site, knowledge.cameo), [article])]
    const inDocuments = new Set(emissions.filter((emission) => emission.path.startsWith('articles/') && emission.document).flatMap((emission) => emission.document!['@graph'].map((node) => node['@id'])))
    const parts = emissions.filter((emission) => emission.path === 'graph.jsonld')
    const asNodes = parts.flatMap((emission) => emission.nodes ?? []).map((node) => node['@id'])
    const graph = JSON.parse(parts.map((emission) => joinText(emission.text)).join('')) as JsonLdDocument
    // The article's own nodes (the article, its quotations, sources and events) are appended, checked with its document.
    const own = parts.map((emission) => ({...emission, text: joinText(emission.text)})).filter((emission) => emission.append && !emission.nodes && /^,?\n {4}\{/.test(emission.text)).flatMap((emission) => (JSON.parse(`[${emission.text.replace(/^,/, '')}]`) as JsonLdNode[]).map((node) => node['@id']))
    expect(own).toContain(graph['@graph'][0]!['@id'])
    expect(own.length).toBeGreaterThan(10)
    expect(own.filter((id) => !inDocuments.has(id))).toEqual([])
    expect(asNodes.filter((id) => own.includes(id))).toEqual([])
    // The site's nodes (entities, CAMEO codes) are checked as graph nodes.
    expect(asNodes.length).toBeGreaterThan(0)
    expect(graph['@graph'].map((node) => node['@id']).filter((id) => !own.includes(id) && !asNodes.includes(id))).toEqual([])
  })
})

describe('outputs in chunks', () => {
  /** A document as large as a long article's: the seed's own nodes, again and again under other ids (about 300 KB). */
  const largeDocument = async (): Promise<JsonLdDocument> => {
    const {emitted} = await seedEmitted()
    const document = emitted.documents.get(`articles/${seedSlug}.jsonld`)!
    const graph = Array.from({length: 8}, (_, copy) => document['@graph'].map((node) => ({...node, '@id': `${node['@id']}-${copy}`, name: `“${copy}” – </script> ${'ü'.repeat(copy)}`}))).flat()
    return {'@context': document['@context'], '@graph': graph}
  }

  it('serializeDocument gives the bytes of serializeJson, in chunks of at most chunkLength characters but for a node longer alone', async () => {
    const document = await largeDocument()
    const whole = serializeJson(document)
    expect(whole.length).toBeGreaterThan(4 * chunkLength)
    const chunks = serializeDocument(document)
    expect(Array.isArray(chunks)).toBe(true)
    expect(chunks.length).toBeGreaterThan(4)
    expect(joinText(chunks)).toBe(whole)
    const nodes = new Set(document['@graph'].map((node) => `    ${JSON.stringify(node, null, 2).replaceAll('\n', '\n    ')}`))
    for (const chunk of chunks) if (chunk.length > chunkLength) expect(nodes.has(chunk.replace(/^,?\n/, ''))).toBe(true)
    // Other documents: whole, as serializeJson writes them.
    const empty = {'@context': document['@context'], '@graph': []}
    expect(serializeDocument(empty)).toBe(serializeJson(empty))
    const other = {'@graph': document['@graph'].slice(0, 2), '@context': document['@context']}
    expect(serializeDocument(other)).toBe(serializeJson(other))
  })

  it('layOutDocument gives each node of the graph as serializeDocument lays it out, which graph.jsonld then takes as it is', async () => {
    const document = await largeDocument()
    const {text, nodes} = layOutDocument(document)
    expect(joinText(text)).toBe(serializeJson(document))
    expect(nodes).toHaveLength(document['@graph'].length)
    const whole = serializeJson(document)
    let from = 0
    for (const [index, node] of nodes!.entries()) {
      // Each in its place in the document, at the graph's depth.
      const at = whole.indexOf(`\n    ${node}`, from)
      expect(at, `node ${index}`).toBeGreaterThan(from - 1)
      from = at + node.length
      expect(JSON.parse(node)).toEqual(document['@graph'][index])
    }
    const graph = {first: true}
    const own = document['@graph'].slice(0, 3)
    expect(joinText(graphNodes(own, graph, nodes).text)).toBe(joinText(graphNodes(own, {first: true}).text))
    expect(graph.first).toBe(false)
    expect(layOutDocument({'@graph': own, '@context': document['@context']}).nodes).toBeUndefined()
  })

  it('a page and a snippet embed a document in chunks, escaped as the whole would be', async () => {
    const json = serializeDocument(await largeDocument())
    const script = `<script type="application/ld+json">\n${escapeJsonForHtml(joinText(json).slice(0, -1))}\n</script>`
    const snippet = renderJsonLdSnippet(jsonLdScript(json))
    expect(joinText(snippet)).toBe(`${script}\n`)
    expect(snippet.length).toBeGreaterThan(4)
    const page = renderPage({title: 'A site'} as Site, 'en', {url: 'https://example.org/a/', title: 'A page', description: 'Of a test', feeds: [], ogType: 'article', jsonLd: [jsonLdScript(json), jsonLdScript(serializeJson({'@context': 'https://schema.org', '@graph': []}))]}, [])
    const text = joinText(page)
    expect(text.split('<script type="application/ld+json">')).toHaveLength(3)
    expect(text).toContain(`${script}\n<script type="application/ld+json">\n{\n  "@context": "https://schema.org",\n  "@graph": []\n}\n</script>\n</head>`)
    expect(text).not.toContain('\u0000')
    expect(text.endsWith('</html>\n')).toBe(true)
    expect(page.length).toBeGreaterThan(4)
    // Each chunk of the document escaped on its own (escaping lengthens it), the rest gathered in chunks of at most chunkLength.
    const escaped = new Set((json as string[]).map(escapeJsonForHtml))
    for (const chunk of [...snippet, ...page]) if (!escaped.has(chunk.replace(/\n$/, ''))) expect(chunk.length).toBeLessThanOrEqual(chunkLength)
  })

  it('chunksOf joins small strings up to chunkLength and keeps a longer one alone', () => {
    const small = 'x'.repeat(1000)
    const long = 'y'.repeat(chunkLength + 1)
    const chunks = chunksOf([...Array.from({length: 40}, () => small), long, 'z', ''])
    expect(chunks.map((chunk) => chunk.length)).toEqual([32_000, 8000, chunkLength + 1, 1])
    expect(chunks.join('')).toBe(`${small.repeat(40)}${long}z`)
    expect(chunksOf([])).toEqual([])
  })

  it('textBytes encodes chunks as the whole text', () => {
    const text = ['“Zürich”, ', '北京 and ', '🙂 – ok']
    expect(textBytes(text).equals(Buffer.from(text.join(''), 'utf8'))).toBe(true)
    expect(textBytes('whole')).toEqual(Buffer.from('whole'))
    expect(textBytes(['a'.repeat(10_000), 'b']).toString('utf8')).toBe(`${'a'.repeat(10_000)}b`)
  })

  it('BytePool encodes texts into views of one shared slab, and into a slab given back, the smallest large enough, when there is one', async () => {
    const pool = new BytePool()
    const texts = [['Zürich, “ok”, ', '北京 and '], 'plain', ['\ud800 lone', ' 🙂']]
    const first = pool.encode(texts)
    expect(first.bytes.map((bytes, index) => Buffer.from(bytes).equals(textBytes(texts[index]!)))).toEqual([true, true, true])
    // One after the other in one slab of memory shared with the thread they are posted to: nothing is copied.
    const memory = first.bytes[0]!.buffer
    expect(memory).toBeInstanceOf(SharedArrayBuffer)
    expect(first.bytes.every((bytes) => bytes.buffer === memory)).toBe(true)
    expect(first.bytes.map((bytes) => bytes.byteOffset)).toEqual([0, first.bytes[0]!.byteLength, first.bytes[0]!.byteLength + first.bytes[1]!.byteLength])
    const {port1, port2} = new MessageChannel()
    const posted = new Promise<Uint8Array[]>((resolve) => port2.once('message', resolve))
    port1.postMessage(first.bytes)
    const seen = await posted
    port1.close()
    // The thread posted to sees the slab itself.
    new Uint8Array(memory)[0] = 0x21
    expect(Buffer.from(seen[0]!).toString('utf8')).toBe('!ürich, “ok”, 北京 and ')
    expect(Buffer.from(seen[2]!).toString('utf8')).toBe('\ufffd lone 🙂')
    // While it is not given back, another slab; given back, it is encoded into again.
    const second = pool.encode(['again'])
    expect(second.slab).not.toBe(first.slab)
    pool.give(first.slab)
    pool.give(first.slab)
    const third = pool.encode(['third'])
    expect(third.slab).toBe(first.slab)
    expect(Buffer.from(seen[0]!.buffer, 0, 5).toString()).toBe('third')
    // A text larger than any free slab gets a new one; the smallest free slab that holds a text is taken.
    const large = pool.encode(['x'.repeat(300_000)])
    expect(large.bytes[0]!.buffer.byteLength).toBeGreaterThanOrEqual(300_000)
    pool.give(large.slab)
    pool.give(second.slab)
    expect(pool.encode(['small']).slab).toBe(second.slab)
    expect(pool.encode(['y'.repeat(200_000)]).slab).toBe(large.slab)
    // A very large slab is let go once given back: its number is used by the next new slab.
    const huge = pool.encode(['z'.repeat(5 << 20)])
    pool.give(huge.slab)
    const next = pool.encode(['w'.repeat(300_000)])
    expect(next.slab).toBe(huge.slab)
    expect(next.bytes[0]!.buffer.byteLength).toBeLessThan(1 << 20)
  })
})

describe('frontmatterNodeIds', () => {
  it('gives the @ids of the people and organizations frontmatterNodes makes of the frontmatter (authors, publisher, sources’ authors and publishers), without making them', async () => {
    const {article} = await seedEmitted()
    const declared = parseSite(await readSource(join(root, 'source', 'site.yaml')))! as Site
    const made = frontmatterNodes(article, declared).entities.map((node) => node['@id'])
    // The seed names an author, a publisher, and sources with an author or a publisher of their own.
    expect(article.sources.some((source) => source.author) && article.sources.some((source) => source.publisher)).toBe(true)
    expect(made.length).toBeGreaterThan(3)
    expect([...frontmatterNodeIds(article, declared)].sort()).toEqual([...new Set(made)].sort())
  })
})

describe('JSON-LD expansion in safe mode', () => {
  it('expands every .jsonld of the build of source/, serving the built context.jsonld for its URL', async () => {
    const files = await builtSource()
    expect([...files.keys()].filter((path) => path.endsWith('.jsonld')).sort()).toEqual([
      `articles/${seedSlug}.jsonld`,
      'cameo.jsonld',
      'context.jsonld',
      'graph.jsonld'
    ])
    const contexts = servedContexts(files)
    // context.jsonld is a context and nothing else: safe mode finds an empty node in it, and no problem in its terms.
    const context = JSON.parse(get(files, 'context.jsonld')) as Record<string, unknown>
    expect(Object.keys(context)).toEqual(['@context'])
    expect(await jsonld.expand(context as jsonld.JsonLdDocument)).toEqual([])
    await expect(expandSafe(context, contexts)).rejects.toMatchObject({details: {event: {code: 'empty object'}}})
    expect(await expandSafe({'@context': contextUrlOf(base), '@graph': []}, contexts)).toEqual([])
    for (const [path, document] of jsonDocuments(files)) {
      expect(document['@context'], path).toEqual(['https://schema.org', contextUrlOf(base)])
      // Without the project context, safe expansion refuses to fetch it.
      await expect(expandSafe(document), path).rejects.toMatchObject({
        details: {code: 'loading remote context failed', url: contextUrlOf(base), cause: {message: expect.stringMatching(/^Refusing to load/)}}
      })
      const expanded = await expandBuilt(files, document)
      expect(expanded.length, path).toBe(document['@graph'].length)
      expect(expanded.map((node) => node['@id']), path).toEqual(document['@graph'].map((node) => node['@id']))
      if (path === 'cameo.jsonld') {
        expect(expanded.find((node) => node['@id'] === seed.articleId), path).toBeUndefined()
        continue
      }
      const articleNode = expanded.find((node) => node['@id'] === seed.articleId)
      expect(articleNode?.['@type'], path).toEqual(['http://schema.org/NewsArticle'])
      expect(articleNode?.['http://schema.org/headline'], path).toEqual([{'@value': seed.title}])
      expect(articleNode?.['http://schema.org/datePublished'], path).toEqual([{'@type': 'http://schema.org/Date', '@value': seed.datePublished}])
      expect(articleNode?.['http://schema.org/url'], path).toEqual([{'@id': seed.url}])
      expect(articleNode?.['http://schema.org/author'], path).toEqual([{'@id': `${base}entities/daniel-w-drezner/#entity`}])
    }
  })

  it('expands the project terms of Event and CategoryCode nodes into the project namespace, typed as context.jsonld says', async () => {
    const files = await builtSource()
    const ns = namespaceOf(base)
    const events = csvRows(files, 'data/events.csv')
    const withActors = events.find((row) => row['actor1_id'] && row['actor2_id'])
    expect(withActors).toBeDefined()
    const graph = JSON.parse(get(files, 'graph.jsonld')) as JsonLdDocument
    const expanded = await expandBuilt(files, graph)
    const event = expanded.find((node) => node['@id'] === eventNodeOf(withActors!))!
    expect(event['@type']).toEqual(['http://schema.org/Event'])
    expect(event[`${ns}actor1`]).toEqual([{'@id': entityNode(withActors!['actor1_id']!)}])
    expect(event[`${ns}actor2`]).toEqual([{'@id': entityNode(withActors!['actor2_id']!)}])
    expect(event[`${ns}cameoCode`]).toEqual([{'@id': codeNode(withActors!['cameo_code']!)}])
    expect(event[`${ns}status`]).toEqual([{'@value': withActors!['status']}])
    expect(event[`${ns}negated`]).toEqual([{'@type': `${xsd}boolean`, '@value': withActors!['negated'] === 'true'}])
    // A JSON number, not typed in the context: RDF reads it as xsd:double.
    expect(event[`${ns}confidence`]).toEqual([{'@value': Number(withActors!['confidence'])}])
    expect(event[`${ns}evidence`]).toEqual([{'@list': expect.arrayContaining([{'@value': withActors!['evidence']}])}])
    // status and participant are schema.org terms too (of MedicalStudy and Action): the project context wins.
    for (const node of expanded) {
      expect(node['http://schema.org/status'], node['@id']).toBeUndefined()
      expect(node['http://schema.org/participant'], node['@id']).toBeUndefined()
    }
    const code = expanded.find((node) => node['@id'] === codeNode(withActors!['cameo_code']!))!
    expect(code['@type']).toEqual(['http://schema.org/CategoryCode'])
    expect(code['http://schema.org/codeValue']).toEqual([{'@value': withActors!['cameo_code']}])
    expect(code['http://schema.org/inCodeSet']).toEqual([{'@id': codeSetNode()}])
    expect(code[`${ns}cameoRoot`]).toEqual([{'@value': withActors!['cameo_root']}])
    expect(code[`${ns}quadClass`]).toEqual([{'@type': `${xsd}integer`, '@value': Number(withActors!['quad_class'])}])
    expect(code[`${ns}goldstein`]).toEqual([{'@value': Number(withActors!['goldstein'])}])
  })

  it('loads schema.org’s context from memory, the project context only when given, and refuses every other URL', async () => {
    for (const url of ['https://schema.org', 'https://schema.org/', 'http://schema.org/']) {
      const loaded = await documentLoader(url)
      expect(loaded.document).toEqual(schemaOrgContextDocument)
    }
    await expect(documentLoader('https://example.org/context.jsonld')).rejects.toThrow(/Refusing to load `https:\/\/example\.org\/context\.jsonld`/)
    await expect(documentLoader('https://schema.org.example.org/')).rejects.toThrow(/Refusing/)
    await expect(documentLoader(contextUrlOf(base))).rejects.toThrow(/Refusing/)
    await expect(expandSafe({'@context': 'https://example.org/context.jsonld', '@id': `${base}x`, name: 'x'})).rejects.toThrow()

    const contexts = servedContexts(await builtSource())
    const loader = createDocumentLoader(contexts)
    const loaded = await loader(contextUrlOf(base))
    expect(loaded.document).toEqual(contexts.get(contextUrlOf(base)))
    // A copy, so jsonld.js cannot change the served context.
    expect(loaded.document).not.toBe(contexts.get(contextUrlOf(base)))
    expect((await loader('https://schema.org')).document).toEqual(schemaOrgContextDocument)
    for (const url of ['https://example.org/context.jsonld', `${base}other.jsonld`, 'http://newsgraph.example/context.jsonld', `${base}context.jsonld#x`]) {
      await expect(loader(url), url).rejects.toThrow(/Refusing to load/)
    }
    const document = {'@context': ['https://schema.org', 'https://example.org/context.jsonld'], '@id': `${base}x`, '@type': 'Event', name: 'x'}
    await expect(expandSafe(document, contexts)).rejects.toThrow()
  })

  it('rejects a property that expansion would drop (no @vocab), which plain expansion drops silently', async () => {
    const document = {'@context': {'@vocab': null}, '@id': `${base}x`, foo: 1}
    expect(await jsonld.expand(document as unknown as jsonld.JsonLdDocument)).toEqual([])
    await expect(expandSafe(document)).rejects.toMatchObject({details: {event: {code: 'invalid property'}}})
  })

  it('rejects a relative @id, which has no base to resolve against', async () => {
    const document = {'@context': 'https://schema.org', '@id': `articles/${seedSlug}/#article`, '@type': 'NewsArticle', headline: seed.title}
    await expect(expandSafe(document)).rejects.toMatchObject({details: {event: {code: 'relative @id reference'}}})
    await expect(expandSafe({...document, '@id': seed.articleId})).resolves.toHaveLength(1)
  })

  it('gives every literal of the RDF of every document a lexical form of its datatype', async () => {
    const files = await builtSource()
    const contexts = servedContexts(files)
    const datatypes = new Set<string>()
    for (const [path, document] of jsonDocuments(files)) {
      for (const literal of await literalsOf(document, contexts)) {
        datatypes.add(literal.datatype)
        const form = lexicalForms[literal.datatype]
        expect(form, `${path}: ${literal.predicate} ^^${literal.datatype}`).toBeDefined()
        expect(literal.value, `${path}: ${literal.predicate} ^^${literal.datatype}`).toMatch(form!)
      }
    }
    expect([...datatypes].sort()).toEqual(['http://schema.org/Date', `${xsd}boolean`, `${xsd}double`, `${xsd}integer`, `${xsd}string`])
  })

  it('gives every xsd:decimal literal a decimal lexical form', async () => {
    const files = await builtSource()
    const contexts = servedContexts(files)
    const wrong: string[] = []
    for (const [path, document] of jsonDocuments(files)) {
      for (const literal of await literalsOf(document, contexts)) {
        if (literal.datatype === `${xsd}decimal` && !lexicalForms[literal.datatype]!.test(literal.value)) wrong.push(`${path}: ${literal.predicate} "${literal.value}"`)
      }
    }
    expect(wrong).toEqual([])
  })
})

describe('the project context (context.jsonld)', () => {
  async function builtContext(): Promise<Record<string, unknown>> {
    return (JSON.parse(await builtFile('context.jsonld')) as {'@context': Record<string, unknown>})['@context']
  }

  it('declares exactly the project terms, each in the project namespace, so none falls under schema.org’s @vocab', async () => {
    const context = await builtContext()
    expect(context['ng']).toBe(namespaceOf(base))
    expect(context['@vocab']).toBeUndefined()
    expect(Object.keys(context).sort()).toEqual(['ng', 'xsd', ...projectTerms].sort())
    for (const term of projectTerms) expect(expandTerm(context, term), term).toBe(`${namespaceOf(base)}${term}`)
    expect([...declaredIris(context)].sort()).toEqual(projectTerms.map((term) => `${namespaceOf(base)}${term}`).sort())
    // Not one of them is left to schema.org: the terms that schema.org has too (status, participant) are overridden.
    const schemaOrgTerms = projectTerms.filter((term) => vocabularyById.has(`schema:${term}`))
    expect(schemaOrgTerms.sort()).toEqual(['participant', 'status'])
  })

  it('makes links IRIs, numbers and booleans typed, and evidence an ordered list', async () => {
    const context = await builtContext()
    for (const term of projectLinks) expect(coercionOf(context, term), term).toBe('@id')
    expect(coercionOf(context, 'quadClass')).toBe(`${xsd}integer`)
    expect(coercionOf(context, 'negated')).toBe(`${xsd}boolean`)
    for (const term of ['cameoRoot', 'status', 'datePrecision', 'evidence']) expect(coercionOf(context, term), term).toBeUndefined()
    expect((context['evidence'] as Record<string, unknown>)['@container']).toBe('@list')
  })

  it('is the context `emitSite` returns, for the base URL of the site', async () => {
    const {emitted} = await seedEmitted()
    expect(JSON.parse(await builtFile('context.jsonld'))).toEqual(emitted.context)
    const files = await buildOk({'articles/a.md': article()})
    const context = (JSON.parse(get(files, 'context.jsonld')) as {'@context': Record<string, unknown>})['@context']
    expect(context['ng']).toBe(namespaceOf(treeBase))
    for (const [path, document] of jsonDocuments(files)) expect(document['@context'], path).toEqual(['https://schema.org', contextUrlOf(treeBase)])
  })
})

describe('the local schema.org context', () => {
  const local = schemaOrgContextDocument['@context'] as unknown as Record<string, unknown>

  it('has the @vocab of the vendored schema.org context', () => {
    expect(local['@vocab']).toBe(vendoredContext['@vocab'])
    expect(local['@vocab']).toBe('http://schema.org/')
  })

  it('defines every term with the @id and @type coercion of the vendored context', () => {
    const terms = Object.keys(local).filter((term) => term !== '@vocab')
    expect(terms.length).toBeGreaterThan(5)
    expect(terms).toEqual(expect.arrayContaining(['startDate', 'endDate', 'inCodeSet']))
    for (const term of terms) {
      const mine = local[term]
      const theirs = vendoredContext[term]
      expect(theirs, term).toBeDefined()
      const idOf = (context: Record<string, unknown>, definition: unknown) =>
        typeof definition === 'string' ? expandTerm(context, definition) : expandTerm(context, String((definition as Record<string, unknown>)['@id']))
      expect(idOf(local, mine), term).toBe(idOf(vendoredContext, theirs))
      expect(coercionOf(local, term), term).toBe(coercionOf(vendoredContext, term))
    }
    // The coercions that matter, spelt out: links are IRIs, dates are schema:Date.
    expect(coercionOf(local, 'url')).toBe('@id')
    expect(coercionOf(local, 'inCodeSet')).toBe('@id')
    expect(coercionOf(local, 'datePublished')).toBe('http://schema.org/Date')
    expect(coercionOf(local, 'startDate')).toBe('http://schema.org/Date')
    expect(coercionOf(local, 'endDate')).toBe('http://schema.org/Date')
  })

  it('expands every built document exactly as schema.org’s published context does, with the project context in both', async () => {
    const files = await builtSource()
    const contexts = servedContexts(files)
    const documents = jsonDocuments(files)
    expect(documents).toHaveLength(3)
    for (const [path, document] of documents) {
      expect(await expandSafe(document, contexts), path).toEqual(await expandWithVendoredContext(document, contexts))
    }
    // The vendored run really reads the project context: without it, it refuses.
    await expect(expandWithVendoredContext(documents[0]![1], new Map())).rejects.toThrow()
  })
})

describe('types and properties of the JSON-LD in the schema.org vocabulary', () => {
  it('reads the vocabulary as a graph of classes and properties, and the check is able to fail', async () => {
    const files = await builtSource()
    const project = projectVocabulary(files)
    expect(vocabularyById.get('schema:NewsArticle')?.['rdfs:subClassOf']).toEqual({'@id': 'schema:Article'})
    expect([...withSuperclasses('schema:NewsArticle')].sort()).toEqual(['schema:Article', 'schema:CreativeWork', 'schema:NewsArticle', 'schema:Thing'])
    // The check is able to fail: dateline is for news articles only, wordCount is no property of a Person.
    expect(vocabularyProblems([{'@id': `${base}x`, '@type': ['http://schema.org/CreativeWork'], 'http://schema.org/dateline': []}], project)).toEqual([
      'schema:dateline on schema:CreativeWork: domain is schema:NewsArticle'
    ])
    expect(vocabularyProblems([{'@id': `${base}x`, '@type': ['http://schema.org/Person'], 'http://schema.org/wordCount': []}], project)).toHaveLength(1)
    expect(vocabularyProblems([{'@id': `${base}x`, '@type': ['http://schema.org/NewsArticel']}], project)).toEqual(['schema:NewsArticel: not a schema.org class'])
    // schema.org's participant is a property of actions: the reason it is a project term.
    expect(vocabularyProblems([{'@id': `${base}x`, '@type': ['http://schema.org/Event'], 'http://schema.org/participant': []}], project)).toEqual([
      'schema:participant on schema:Event: domain is schema:Action'
    ])
    // A project term not declared in context.jsonld, written as a full IRI, and an IRI of no known vocabulary.
    expect(vocabularyProblems([{'@id': `${base}x`, '@type': ['http://schema.org/Event'], [`${base}ns#actorOne`]: []}], project)).toEqual([
      `${base}ns#actorOne: not declared in context.jsonld`
    ])
    expect(vocabularyProblems([{'@id': `${base}x`, '@type': ['http://schema.org/Event'], 'https://example.org/vocab#actor1': []}], project)).toEqual([
      'https://example.org/vocab#actor1: neither schema.org nor the project namespace'
    ])
  })

  it('reports an undeclared project-like term written in a document as unknown to schema.org, since @vocab takes it', async () => {
    const files = await builtSource()
    const project = projectVocabulary(files)
    const event = {
      '@context': ['https://schema.org', contextUrlOf(base)],
      '@id': `${base}articles/x/#event-1`,
      '@type': 'Event',
      name: 'Talks',
      actor1: entityNode('russia')
    }
    const declared = await expandBuilt(files, event)
    expect(declared[0]?.[`${base}ns#actor1`]).toEqual([{'@id': entityNode('russia')}])
    expect(vocabularyProblems(declared, project)).toEqual([])
    const undeclared = await expandBuilt(files, {...event, actorOne: entityNode('russia')})
    expect(undeclared[0]?.['http://schema.org/actorOne']).toEqual([{'@value': entityNode('russia')}])
    expect(vocabularyProblems(undeclared, project)).toEqual(['schema:actorOne: not a schema.org property'])
  })

  it('uses only existing types and properties within their domains in the build of source/, and declared project terms', async () => {
    const files = await builtSource()
    const project = projectVocabulary(files)
    const documents = jsonDocuments(files)
    const usedTypes = new Set<string>()
    const usedProjectTerms = new Set<string>()
    for (const [path, document] of documents) {
      const expanded = await expandBuilt(files, document)
      for (const node of expanded) {
        for (const type of node['@type'] ?? []) usedTypes.add(curie(type))
        for (const key of Object.keys(node)) if (key.startsWith(project.namespace)) usedProjectTerms.add(key.slice(project.namespace.length))
      }
      expect(vocabularyProblems(expanded, project), path).toEqual([])
    }
    expect([...usedTypes].sort()).toEqual([
      'schema:CategoryCode',
      'schema:CategoryCodeSet',
      'schema:City',
      'schema:Country',
      'schema:CreativeWork',
      'schema:Event',
      'schema:NewsArticle',
      'schema:Organization',
      'schema:Person',
      'schema:Place',
      'schema:Quotation'
    ])
    // What every Event and CategoryCode node carries; the others (actor2, participant, datePrecision) depend on the event.
    expect([...usedProjectTerms]).toEqual(
      expect.arrayContaining(['actor1', 'assertedBy', 'cameoCode', 'cameoRoot', 'quadClass', 'goldstein', 'status', 'negated', 'confidence', 'evidence'])
    )
    for (const term of usedProjectTerms) expect(projectTerms, term).toContain(term)
  })

  it('uses only existing types and properties within their domains for every source type and field', async () => {
    const types = ['NewsArticle', 'Article', 'BlogPosting', 'Report', 'WebPage', 'CreativeWork']
    const sources = types.map((type) =>
      [
        `  - id: "${type.toLowerCase()}"`,
        `    type: "${type}"`,
        `    name: "A ${type}"`,
        `    url: "https://example.org/${type.toLowerCase()}"`,
        `    author: "Bea Writer"`,
        `    publisher: "Wire Service"`,
        `    datePublished: "2020-02-01"`,
        `    via: "A newsletter"`,
        ...(type === 'NewsArticle' ? ['    dateline: "Lisbon"'] : [])
      ].join('\n')
    )
    const files = await buildOk({
      'articles/a.md': article({
        frontmatter: ['section: World', 'keywords: [talks]', 'sources:', ...sources].join('\n'),
        body: 'The ministry said talks would resume.\n\n> Talks resume on Monday. [^newsarticle]\n\n[^newsarticle]: A news article.\n'
      })
    })
    const project = projectVocabulary(files, treeBase)
    const documents = jsonDocuments(files)
    expect(documents.map(([path]) => path).sort()).toEqual(['articles/a.jsonld', 'cameo.jsonld', 'graph.jsonld'])
    for (const [path, document] of documents) {
      const expanded = await expandBuilt(files, document, treeBase)
      if (path !== 'cameo.jsonld') {
        expect(expanded.map((node) => node['@type']?.[0])).toEqual(expect.arrayContaining(types.map((type) => `http://schema.org/${type}`)))
      }
      expect(vocabularyProblems(expanded, project), path).toEqual([])
    }
  })

  it('does not emit schema:dateline, a NewsArticle property, on a source of another type', async () => {
    const {result, out, source, messages} = await buildTree({
      'articles/a.md': article({
        frontmatter: ['sources:', '  - id: "memo"', '    type: "CreativeWork"', '    name: "A memo"', '    dateline: "Lisbon"'].join('\n')
      })
    })
    temporary.push(dirname(source))
    // Rejecting the source (with a message about its dateline) is as good as leaving the property out; emitting it is not.
    if (!result.written) {
      expect(messages.join('\n')).toMatch(/dateline/)
      return
    }
    const files = await readTree(out)
    for (const [path, document] of jsonDocuments(files)) {
      expect(vocabularyProblems(await expandBuilt(files, document, treeBase), projectVocabulary(files, treeBase)), path).toEqual([])
    }
  })
})

describe('data/articles.csv', () => {
  it('has the documented columns, in order, and CRLF line endings', async () => {
    const csv = await builtFile('data/articles.csv')
    expect([...articleColumns]).toEqual([
      'id',
      'url',
      'headline',
      'description',
      'date_published',
      'date_modified',
      'author',
      'publisher',
      'language',
      'word_count',
      'source_count'
    ])
    expect(csv.split('\r\n')[0]).toBe(articleColumns.join(','))
    expect(csv.endsWith('\r\n')).toBe(true)
    expect(csv.split('\r\n')).toHaveLength(3) // header, one record, and the empty string after the last CRLF
    expect(csv.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/)
  })

  it('parses back (csv-parse) to the records and to the frontmatter of the seed article', async () => {
    const csv = await builtFile('data/articles.csv')
    const rows = parseCsv(csv, {columns: true}) as Array<Record<string, string>>
    const {records} = (await seedEmitted()).emitted
    expect(rows).toEqual(records.map((record: ArticleRecord) => Object.fromEntries(articleColumns.map((column) => [column, String(record[column])]))))
    expect(rows.map((row) => Object.keys(row))).toEqual([[...articleColumns]])
    const frontmatter = await seedFrontmatter()
    expect(rows).toEqual([
      {
        id: seedSlug,
        url: seed.url,
        headline: seed.title,
        description: frontmatter['description'],
        date_published: seed.datePublished,
        date_modified: seed.datePublished,
        author: seed.author,
        publisher: seed.publisher,
        language: seed.language,
        word_count: String(seed.wordCount),
        source_count: String(seed.sourceCount)
      }
    ])
  })
})

describe('the entity and event CSVs read back (csv-parse)', () => {
  it('are written by emitSite exactly as the build writes them', async () => {
    const files = await builtSource()
    const {emitted} = await seedEmitted()
    expect([...emitted.outputs.keys()].sort()).toEqual([...files.keys()].sort())
    for (const [path, text] of emitted.outputs) expect(files.get(path), path).toBe(text)
  })

  it('have the documented columns, in order, a record per line and CRLF line endings', async () => {
    const files = await builtSource()
    const {emitted} = await seedEmitted()
    expect([...entityColumns]).toEqual(['id', 'type', 'name', 'wikidata', 'aliases', 'description', 'country', 'linked', 'article_count', 'mention_count'])
    expect([...mentionColumns]).toEqual(['article_id', 'entity_id', 'text', 'start', 'end', 'sentence', 'paragraph', 'quoted_source', 'method', 'kind', 'confidence', 'role'])
    expect([...participantColumns]).toEqual(['event_id', 'entity_id', 'role'])
    expect([...evidenceColumns]).toEqual([
      'event_id',
      'sentence',
      'start',
      'end',
      'trigger_start',
      'trigger_end',
      'actor1_start',
      'actor1_end',
      'actor2_start',
      'actor2_end',
      'text'
    ])
    expect(eventColumns).toHaveLength(27)
    expect(eventColumns.slice(0, 7)).toEqual(['id', 'article_id', 'cameo_code', 'cameo_label', 'cameo_root', 'quad_class', 'goldstein'])
    for (const table of tables) {
      const csv = get(files, table.path)
      const records = table.records(emitted)
      expect(records.length, table.path).toBeGreaterThan(0)
      expect(csv.split('\r\n')[0], table.path).toBe(table.columns.join(','))
      expect(csv.endsWith('\r\n'), table.path).toBe(true)
      // No line break inside a cell of the seed, so one line per record.
      expect(csv.replace(/\r\n/g, ''), table.path).not.toMatch(/[\r\n]/)
      expect(csv.split('\r\n'), table.path).toHaveLength(records.length + 2)
      for (const column of Object.keys(table.kinds)) expect(table.columns, `${table.path}: ${column}`).toContain(column)
    }
  })

  it('parse back to the records emitSite returns: numbers plain, booleans true or false, absent values empty', async () => {
    const files = await builtSource()
    const {emitted} = await seedEmitted()
    for (const table of tables) {
      const records = table.records(emitted)
      // As text: every value as `emitCsv` writes it.
      const rows = csvRows(files, table.path)
      expect(rows, table.path).toEqual(records.map((record) => Object.fromEntries(table.columns.map((column) => [column, cellOf((record as Record<string, unknown>)[column])]))))
      // Read by kind: the records themselves, with their numbers, booleans and empty strings.
      const typed = parseCsv(get(files, table.path), {
        columns: true,
        cast: (cell, context) => (context.header || typeof context.column !== 'string' ? cell : readCell(table.kinds[context.column] ?? 'text', cell, context.column))
      }) as object[]
      expect(typed, table.path).toEqual(records)
    }
    // How the values look: booleans as true/false, an absent actor offset as an empty cell, a CAMEO code keeps its zeros.
    for (const [path, column] of [
      ['data/entities.csv', 'linked'],
      ['data/events.csv', 'negated']
    ] as const) {
      const cells = csvRows(files, path).map((row) => row[column])
      expect(cells.length, path).toBeGreaterThan(0)
      for (const cell of cells) expect(cell, `${path}: ${column}`).toMatch(/^(?:true|false)$/)
    }
    const evidence = csvRows(files, 'data/event_evidence.csv')
    expect(evidence.some((row) => row['actor2_start'] === '' && row['actor2_end'] === '')).toBe(true)
    expect(emitted.evidenceRecords.some((record) => record.actor2_start === '')).toBe(true)
    expect(get(files, 'data/events.csv')).toMatch(/,036,Express intent to meet or negotiate,03,/)
  })

  it('write no text cell a spreadsheet would run as a formula, and numbers, negative ones too, without the apostrophe', async () => {
    const files = await builtSource()
    let negatives = 0
    for (const table of tables) {
      for (const row of csvRows(files, table.path)) {
        for (const column of table.columns) {
          const cell = row[column]!
          const kind = table.kinds[column] ?? 'text'
          if (kind === 'text') expect(cell, `${table.path}: ${column}`).not.toMatch(formulaStart)
          else if (kind === 'boolean') expect(cell, `${table.path}: ${column}`).toMatch(/^(?:true|false)$/)
          else if (cell !== '' || kind === 'number') {
            expect(cell, `${table.path}: ${column}`).toMatch(plainNumber)
            if (cell.startsWith('-')) negatives++
          }
        }
      }
    }
    // Goldstein scores of conflictual codes are negative: the guard must not have touched them.
    expect(negatives).toBeGreaterThan(0)
  })

  it('mentions.csv: each text is the article text from start to end, in text order, inside its sentence and paragraph', async () => {
    const files = await builtSource()
    const {article: seedArticle} = await seedEmitted()
    const rows = csvRows(files, 'data/mentions.csv')
    const entities = new Set(csvRows(files, 'data/entities.csv').map((row) => row['id']))
    const sources = new Set(((await seedFrontmatter())['sources'] as Array<{id: string}>).map((source) => source.id))
    let previous = -1
    for (const row of rows) {
      const [start, end, sentence] = [Number(row['start']), Number(row['end']), Number(row['sentence'])]
      const where = `${row['entity_id']!} at ${start}`
      expect(row['article_id'], where).toBe(seedSlug)
      expect(row['text'], where).toBe(seedArticle.text.value.slice(start, end))
      expect(end, where).toBeGreaterThan(start)
      expect(start, where).toBeGreaterThanOrEqual(previous)
      previous = start
      expect(entities.has(row['entity_id']), where).toBe(true)
      const span = seedArticle.sentences[sentence]
      expect(span, where).toBeDefined()
      expect(start >= span!.start && end <= span!.end, where).toBe(true)
      expect(Number(row['paragraph']), where).toBe(span!.paragraph)
      // A mention inside a quotation names the quotation's source.
      const quotation = seedArticle.quotations.find((item) => start >= item.start && end <= item.end)
      expect(row['quoted_source'], where).toBe(quotation?.sourceId ?? '')
      if (row['quoted_source']) expect(sources.has(row['quoted_source']), where).toBe(true)
    }
    expect(rows.some((row) => row['quoted_source'] !== '')).toBe(true)
  })

  it('entities.csv: every entity is mentioned, mention_count and article_count count mentions.csv, and the node of each is in graph.jsonld', async () => {
    const files = await builtSource()
    const mentions = csvRows(files, 'data/mentions.csv')
    const graph = JSON.parse(get(files, 'graph.jsonld')) as JsonLdDocument
    const nodes = new Map(graph['@graph'].map((node) => [node['@id'], node]))
    const rows = csvRows(files, 'data/entities.csv')
    expect(new Set(rows.map((row) => row['id'])).size).toBe(rows.length)
    for (const row of rows) {
      const own = mentions.filter((mention) => mention['entity_id'] === row['id'])
      expect(Number(row['mention_count']), row['id']).toBe(own.length)
      expect(Number(row['article_count']), row['id']).toBe(new Set(own.map((mention) => mention['article_id'])).size)
      expect(nodes.get(entityNode(row['id']!)), row['id']).toMatchObject({'@type': row['type'], name: row['name']})
    }
    expect(new Set(mentions.map((mention) => mention['entity_id']))).toEqual(new Set(rows.map((row) => row['id'])))
  })

  it('event_evidence.csv: each row is a sentence of the article, holding its trigger and actor spans, which are mentions', async () => {
    const files = await builtSource()
    const {article: seedArticle} = await seedEmitted()
    const events = new Map(csvRows(files, 'data/events.csv').map((row) => [row['id'], row]))
    const mentions = new Map(csvRows(files, 'data/mentions.csv').map((row) => [`${row['start']!}-${row['end']!}`, row]))
    const participants = csvRows(files, 'data/event_participants.csv')
    const rows = csvRows(files, 'data/event_evidence.csv')
    for (const row of rows) {
      const where = `${row['event_id']!} at ${row['trigger_start']!}`
      const event = events.get(row['event_id'])
      expect(event, where).toBeDefined()
      const [start, end, triggerStart, triggerEnd] = ['start', 'end', 'trigger_start', 'trigger_end'].map((column) => Number(row[column]))
      expect(row['text'], where).toBe(seedArticle.text.value.slice(start, end))
      expect(seedArticle.sentences[Number(row['sentence'])], where).toMatchObject({start, end})
      expect(start! <= triggerStart! && triggerStart! < triggerEnd! && triggerEnd! <= end!, where).toBe(true)
      for (const actor of ['actor1', 'actor2']) {
        if (row[`${actor}_start`] === '') {
          expect(row[`${actor}_end`], where).toBe('')
          continue
        }
        const [actorStart, actorEnd] = [Number(row[`${actor}_start`]), Number(row[`${actor}_end`])]
        expect(start! <= actorStart && actorStart < actorEnd && actorEnd <= end!, `${where}: ${actor}`).toBe(true)
        const mention = mentions.get(`${actorStart}-${actorEnd}`)
        expect(mention, `${where}: ${actor}`).toBeDefined()
        // Actor 2 of the sentence is the event's; actor 1 may be a co-actor merged in from another sentence.
        if (actor === 'actor2') expect(mention!['entity_id'], where).toBe(event!['actor2_id'])
        else expect(participants.filter((item) => item['event_id'] === row['event_id']).map((item) => item['entity_id']), where).toContain(mention!['entity_id'])
      }
    }
    expect(rows.some((row) => row['actor1_start'] !== '')).toBe(true)
    expect(rows.some((row) => row['actor2_start'] !== '')).toBe(true)
  })

  it('event_evidence.csv: a sentence ending in a weekday is a sentence of its own', async () => {
    const files = await buildOk({
      'articles/a.md': dated('Two events', '2020-02-04T10:00:00+01:00', undefined, 'Russia criticized Japan on Monday. Japan will visit Beijing on 5 March.\n')
    })
    // No evidence sentence goes on past "Monday.", whatever events are found.
    for (const row of csvRows(files, 'data/event_evidence.csv')) expect(row['text']).not.toMatch(/Monday\.\s+\S/)
  })

  it('events.csv: one row per Event node, agreeing with it, with the CAMEO table, entities.csv and event_evidence.csv', async () => {
    const files = await builtSource()
    const {article: seedArticle} = await seedEmitted()
    const cameo = (await sourceKnowledge()).cameo
    const entities = new Map(csvRows(files, 'data/entities.csv').map((row) => [row['id'], row]))
    const evidence = csvRows(files, 'data/event_evidence.csv')
    const participants = csvRows(files, 'data/event_participants.csv')
    const document = JSON.parse(get(files, `articles/${seedSlug}.jsonld`)) as JsonLdDocument
    const nodes = new Map(document['@graph'].map((node) => [node['@id'], node]))
    const rows = csvRows(files, 'data/events.csv')
    expect(new Set(rows.map((row) => row['id'])).size).toBe(rows.length)
    expect(rows.map((row) => row['id'])).toEqual(rows.map((_, index) => `${seedSlug}-e${index + 1}`))
    expect(document['@graph'].filter((node) => node['cameoCode'] !== undefined).map((node) => node['@id'])).toEqual(rows.map((row) => eventNodeOf(row)))
    for (const row of rows) {
      const id = row['id']!
      expect(row['article_id'], id).toBe(seedSlug)
      const code = cameo.get(row['cameo_code']!)
      expect(code, id).toBeDefined()
      expect([row['cameo_label'], row['cameo_root'], Number(row['quad_class']), Number(row['goldstein'])], id).toEqual([code!.label, code!.root, code!.quadClass, code!.goldstein])
      for (const actor of ['actor1', 'actor2', 'location']) {
        const entityId = row[`${actor}_id`]!
        const entity = entities.get(entityId)
        if (entityId === '') expect(row[`${actor}_name`], `${id}: ${actor}`).toBe('')
        else expect([entity?.['name'], actor === 'location' ? '' : entity?.['country']], `${id}: ${actor}`).toEqual([row[`${actor}_name`], actor === 'location' ? '' : row[`${actor}_country`]])
      }
      expect(row['status'], id).toMatch(/^(?:occurred|ongoing|scheduled|announced|hypothetical)$/)
      expect(row['date_precision'], id).toMatch(/^(?:|day|month|year|range)$/)
      for (const date of [row['start_date']!, row['end_date']!]) expect(date, id).toMatch(/^(?:\d{4}(?:-\d\d(?:-\d\d)?)?)?$/)
      if (row['source_id']) expect(seedArticle.sources.map((source) => source.id), id).toContain(row['source_id'])
      const own = evidence.filter((item) => item['event_id'] === id)
      expect(own.length, id).toBe(Number(row['evidence_count']))
      expect([row['evidence'], row['evidence_start'], row['evidence_end']], id).toEqual([own[0]!['text'], own[0]!['start'], own[0]!['end']])
      expect(row['trigger'], id).toBe(seedArticle.text.value.slice(Number(own[0]!['trigger_start']), Number(own[0]!['trigger_end'])))

      // The Event node says the same.
      const node = nodes.get(eventNodeOf(row))!
      const expected: Record<string, unknown> = {
        '@type': 'Event',
        subjectOf: {'@id': seed.articleId},
        cameoCode: codeNode(row['cameo_code']!),
        status: row['status'],
        negated: row['negated'] === 'true',
        assertedBy: row['source_id'] ? `${base}articles/${seedSlug}/#source-${row['source_id']}` : seed.articleId,
        confidence: Number(row['confidence']),
        evidence: own.map((item) => item['text'])
      }
      expect(node, id).toMatchObject(expected)
      expect(node['actor1'], id).toBe(row['actor1_id'] ? entityNode(row['actor1_id']) : undefined)
      expect(node['actor2'], id).toBe(row['actor2_id'] ? entityNode(row['actor2_id']) : undefined)
      expect(node['location'], id).toEqual(row['location_id'] ? {'@id': entityNode(row['location_id'])} : undefined)
      expect(node['startDate'], id).toBe(row['start_date'] || undefined)
      expect(node['endDate'], id).toBe(row['end_date'] && row['end_date'] !== row['start_date'] ? row['end_date'] : undefined)
      expect(node['datePrecision'], id).toBe(row['date_precision'] || undefined)
      expect(node['eventStatus'], id).toEqual(row['status'] === 'scheduled' ? {'@id': 'https://schema.org/EventScheduled'} : undefined)
      // The name tells the actors and the code.
      const name = String(node['name']).toLowerCase()
      for (const part of [row['actor1_name'], row['cameo_label'], row['actor2_name']]) if (part) expect(name, id).toContain(part.toLowerCase())
      // Every entity of event_participants.csv is an actor, the location or a participant of the node.
      const linked = new Set([node['actor1'], node['actor2'], (node['location'] as Ref | undefined)?.['@id'], ...asArray(node['participant'] as string[] | undefined)].filter(Boolean))
      expect(new Set(participants.filter((item) => item['event_id'] === id).map((item) => entityNode(item['entity_id']!))), id).toEqual(linked)
    }
    expect(rows.some((row) => row['status'] === 'scheduled')).toBe(true)
  })

  it('event_participants.csv: rows name events of events.csv and entities of entities.csv, with the actors and location of events.csv', async () => {
    const files = await builtSource()
    const events = csvRows(files, 'data/events.csv')
    const entities = new Set(csvRows(files, 'data/entities.csv').map((row) => row['id']))
    const rows = csvRows(files, 'data/event_participants.csv')
    for (const row of rows) {
      expect(events.some((event) => event['id'] === row['event_id']), row['event_id']).toBe(true)
      expect(entities.has(row['entity_id']), row['entity_id']).toBe(true)
      expect(row['role'], row['event_id']).toMatch(/^(?:actor1|actor2|location|\w+)$/)
    }
    for (const event of events) {
      const own = rows.filter((row) => row['event_id'] === event['id'])
      for (const role of ['actor1', 'actor2', 'location']) {
        const id = event[role === 'location' ? 'location_id' : `${role}_id`]!
        if (id) expect(own, `${event['id']!}: ${role}`).toContainEqual({event_id: event['id'], entity_id: id, role})
        else if (role === 'location') expect(own.filter((row) => row['role'] === 'location'), event['id']).toEqual([])
      }
    }
  })

  it('event_participants.csv: lists each event, entity and role once', async () => {
    const rows = csvRows(await builtSource(), 'data/event_participants.csv')
    const keys = rows.map((row) => `${row['event_id']!} ${row['entity_id']!} ${row['role']!}`)
    expect(keys.filter((key, index) => keys.indexOf(key) !== index)).toEqual([])
  })

  const precisionOf = (start: string, end: string) =>
    start === '' && end === '' ? '' : start !== end ? 'range' : start.length === 4 ? 'year' : start.length === 7 ? 'month' : 'day'

  it('events.csv: gives a date precision only to a dated event, matching its dates, in the build of source/', async () => {
    const rows = csvRows(await builtSource(), 'data/events.csv')
    expect(rows.map((row) => [row['id'], row['date_precision']])).toEqual(rows.map((row) => [row['id'], precisionOf(row['start_date']!, row['end_date']!)]))
    expect(rows.some((row) => row['date_precision'] === 'day')).toBe(true)
  })

  it('events.csv: gives no date precision to an event told "a few weeks ago"', async () => {
    const files = await buildOk({
      'articles/a.md': dated('Vague', '2020-02-04T10:00:00+01:00', undefined, 'When the talks were announced a few weeks ago, Russia objected.\n')
    })
    const rows = csvRows(files, 'data/events.csv')
    expect(rows.map((row) => [row['id'], row['date_precision']])).toEqual(rows.map((row) => [row['id'], precisionOf(row['start_date']!, row['end_date']!)]))
  })
})

describe('emitCsv', () => {
  interface Row {
    text: string
    count: number
  }
  const columns = ['text', 'count'] as const

  function roundTrip(rows: Row[]): Array<Record<string, string>> {
    return parseCsv(emitCsv(rows, columns), {columns: true}) as Array<Record<string, string>>
  }

  it('prefixes text cells starting with =, +, -, @, tab or CR with an apostrophe', () => {
    const texts = ['=HYPERLINK("http://x")', '+1', '-1+2', '@SUM(A1)', '\tindented', '\rreturn', '-3']
    const parsed = roundTrip(texts.map((text, count) => ({text, count})))
    expect(parsed.map((row) => row['text'])).toEqual(texts.map((text) => `'${text}`))
  })

  it('leaves numbers, negative ones too, and harmless text as they are', () => {
    const csv = emitCsv<Row>([{text: 'plain - text', count: -3}, {text: '3 = 3', count: 0}], columns)
    expect(csv).toBe('text,count\r\nplain - text,-3\r\n3 = 3,0\r\n')
    expect(roundTrip([{text: 'x', count: -3}])).toEqual([{text: 'x', count: '-3'}])
  })

  it('writes booleans as true and false, and empty strings as empty cells', () => {
    const csv = emitCsv([{flag: true, at: 3}, {flag: false, at: ''}], ['flag', 'at'])
    expect(csv).toBe('flag,at\r\ntrue,3\r\nfalse,\r\n')
  })

  it('round-trips cells with commas, quotes and line breaks', () => {
    const texts = ['a, b', 'say "hi"', 'line one\r\nline two', 'a, "b"\nc']
    const parsed = roundTrip(texts.map((text, count) => ({text, count})))
    expect(parsed).toEqual(texts.map((text, count) => ({text, count: String(count)})))
  })

  it('quotes cells holding a lone LF or CR, so readers that end a record at any line break read them whole (RFC 4180)', () => {
    const rows: Row[] = [{text: 'line one\nline two', count: 1}, {text: 'carriage\rreturn', count: 2}, {text: '\rstarts with CR', count: 3}]
    const csv = emitCsv(rows, columns)
    // Spreadsheets and Python's csv module treat a lone LF or CR as the end of an unquoted record.
    const parsed = parseCsv(csv, {columns: true, record_delimiter: ['\r\n', '\n', '\r']}) as Array<Record<string, string>>
    expect(parsed).toEqual([
      {text: 'line one\nline two', count: '1'},
      {text: 'carriage\rreturn', count: '2'},
      {text: "'\rstarts with CR", count: '3'}
    ])
  })
})

describe('toRfc822 and dropDisallowed', () => {
  const known: Array<[string, string]> = [
    ['2003-08-20T00:00:00-05:00', 'Wed, 20 Aug 2003 00:00:00 -0500'],
    ['2024-02-29T23:59:59Z', 'Thu, 29 Feb 2024 23:59:59 +0000'],
    // 31 December 2019 10:30 in UTC, but 1 January 2020 (a Wednesday) where it was written.
    ['2020-01-01T00:30:00+14:00', 'Wed, 01 Jan 2020 00:30:00 +1400'],
    ['1999-12-31T23:59:59.999-12:00', 'Fri, 31 Dec 1999 23:59:59 -1200'],
    ['2021-03-14T02:30:00+05:30', 'Sun, 14 Mar 2021 02:30:00 +0530']
  ]

  it('formats known dates the same under every TZ, keeping the instant and the offset', () => {
    const saved = process.env['TZ']
    const offsets = new Set<number>()
    try {
      for (const zone of ['UTC', 'America/Chicago', 'Asia/Kolkata', 'Pacific/Kiritimati', 'Pacific/Pago_Pago']) {
        process.env['TZ'] = zone
        offsets.add(new Date('2020-01-01T00:00:00Z').getTimezoneOffset())
        for (const [iso, rfc] of known) {
          expect(toRfc822(iso), `${iso} in ${zone}`).toBe(rfc)
          // RFC 822 has no fractions of a second.
          expect(Date.parse(toRfc822(iso)), `${iso} in ${zone}`).toBe(Math.floor(Date.parse(iso) / 1000) * 1000)
          expect(toRfc822(iso)).toMatch(rfc822Pattern())
        }
      }
    } finally {
      if (saved === undefined) delete process.env['TZ']
      else process.env['TZ'] = saved
    }
    // The zones really changed: five distinct offsets from UTC.
    expect(offsets.size).toBe(5)
  })

  it('refuses a date-time without an offset', () => {
    expect(() => toRfc822('2003-08-20T00:00:00')).toThrow(/Unexpected date-time/)
    expect(() => toRfc822('2003-08-20')).toThrow(/Unexpected date-time/)
  })

  it('removes XML-illegal characters and keeps tab, newline and astral characters', () => {
    expect(dropDisallowed('a\u0000b\u0008c\uD800d\uDC00e\uFFFEf\uFFFFg')).toBe('abcdefg')
    expect(dropDisallowed('tab\there\nnew line 😀 é \uE000')).toBe('tab\there\nnew line 😀 é \uE000')
    expect(dropDisallowed('\uD83D\uDE00')).toBe('😀')
    expect(dropDisallowed('\uDE00\uD83D')).toBe('')
  })
})

describe('the article JSON-LD and Google’s Article guidelines', () => {
  async function seedDocument(): Promise<JsonLdDocument> {
    return JSON.parse(await builtFile(`articles/${seedSlug}.jsonld`)) as JsonLdDocument
  }
  const offsetDate = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/

  it('has a NewsArticle with headline, dates with an offset, a Person author with a name and an Organization publisher', async () => {
    const document = await seedDocument()
    const nodes = new Map(document['@graph'].map((node) => [node['@id'], node]))
    const articleNode = nodes.get(seed.articleId)
    expect(articleNode).toMatchObject({
      '@type': 'NewsArticle',
      headline: seed.title,
      datePublished: seed.datePublished,
      dateModified: seed.datePublished,
      inLanguage: seed.language,
      articleSection: seed.section,
      keywords: seed.keywords,
      wordCount: seed.wordCount
    })
    expect(articleNode!['datePublished']).toMatch(offsetDate)
    expect(articleNode!['dateModified']).toMatch(offsetDate)
    const authors = articleNode!['author'] as Ref[]
    expect(authors).toHaveLength(1)
    expect(nodes.get(authors[0]!['@id'])).toMatchObject({'@type': 'Person', name: seed.author, url: seed.authorUrl})
    expect(nodes.get((articleNode!['publisher'] as Ref)['@id'])).toMatchObject({'@type': 'Organization', name: seed.publisher})
  })

  it('is about and mentions the entities of mentions.csv, main subjects first, then mentions its events', async () => {
    const files = await builtSource()
    const {article: seedArticle} = await seedEmitted()
    const document = await seedDocument()
    const articleNode = document['@graph'].find((node) => node['@id'] === seed.articleId)!
    const about = (articleNode['about'] as Ref[]).map((ref) => ref['@id'])
    const mentions = (articleNode['mentions'] as Ref[]).map((ref) => ref['@id'])
    expect(about).toEqual(seedArticle.about.map((id) => entityNode(id)))
    expect(about).toEqual([entityNode('north-korea')])
    const events = csvRows(files, 'data/events.csv').map((row) => eventNodeOf(row))
    const mentioned = [...new Set(csvRows(files, 'data/mentions.csv').map((row) => entityNode(row['entity_id']!)))]
    // Entities (not the main subjects), then every event in order; nothing twice, and no frontmatter-only person.
    expect(mentions.slice(mentions.length - events.length)).toEqual(events)
    const entityMentions = mentions.slice(0, mentions.length - events.length)
    expect([...about, ...entityMentions].sort()).toEqual(mentioned.sort())
    expect(new Set(mentions).size).toBe(mentions.length)
    expect(mentions).not.toContain(entityNode('daniel-w-drezner'))
    const nodes = new Map(document['@graph'].map((node) => [node['@id'], node]))
    for (const id of events) expect(nodes.get(id)?.['@type'], id).toBe('Event')
  })

  it('puts every @id under the site’s base URL, and url and mainEntityOfPage at the canonical URL', async () => {
    const documents = jsonDocuments(await builtSource())
    for (const [path, document] of documents) {
      for (const node of document['@graph']) {
        expect(new URL(node['@id']).href, path).toBe(node['@id'])
        expect(node['@id'].startsWith(base), `${path}: ${node['@id']}`).toBe(true)
      }
      for (const [property, id] of references(document['@graph'])) {
        // eventStatus names a member of schema.org's EventStatusType; every other reference is a node of the site.
        if (property === 'eventStatus') expect(isEnumerationMember(id, 'schema:EventStatusType'), `${path}: ${id}`).toBe(true)
        else expect(id.startsWith(base), `${path}: ${property} → ${id}`).toBe(true)
      }
      const articleNode = document['@graph'].find((node) => node['@type'] === 'NewsArticle' && node['@id'] === seed.articleId)
      if (path === 'cameo.jsonld') {
        expect(articleNode, path).toBeUndefined()
        continue
      }
      expect(articleNode?.['url'], path).toBe(seed.url)
      expect(articleNode?.['mainEntityOfPage'], path).toBe(seed.url)
    }
  })

  it('holds each @id once in graph.jsonld, and every node of the article documents', async () => {
    const files = await builtSource()
    const graph = JSON.parse(get(files, 'graph.jsonld')) as JsonLdDocument
    const ids = graph['@graph'].map((node) => node['@id'])
    expect(new Set(ids).size).toBe(ids.length)
    const articleIds = jsonDocuments(files)
      .filter(([path]) => path.startsWith('articles/'))
      .flatMap(([, document]) => document['@graph'].map((node) => node['@id']))
    expect([...new Set(articleIds)].sort()).toEqual([...ids].sort())

    // The parts, each counted from the files of the build.
    const kind = (test: (node: JsonLdNode) => boolean) => graph['@graph'].filter(test)
    const articles = csvRows(files, 'data/articles.csv')
    const entityRows = csvRows(files, 'data/entities.csv')
    const eventRows = csvRows(files, 'data/events.csv')
    const usedCodes = new Set(eventRows.map((row) => row['cameo_code']))
    const frontmatter = await seedFrontmatter()
    const sources = frontmatter['sources'] as Array<{author?: string; publisher?: string}>
    const frontmatterNames = new Set([seed.author, seed.publisher, ...sources.flatMap((source) => [source.author, source.publisher])].filter(Boolean))
    const entityIds = new Set(entityRows.map((row) => entityNode(row['id']!)))
    const frontmatterOnly = kind((node) => node['@id'].startsWith(`${base}entities/`) && !entityIds.has(node['@id']))
    expect(articles).toHaveLength(1)
    expect(kind((node) => node['@type'] === 'NewsArticle' && node['@id'].endsWith('#article'))).toHaveLength(articles.length)
    expect(kind((node) => node['@type'] === 'Quotation')).toHaveLength(seed.quotationCount)
    expect(kind((node) => node['@id'].includes('#source-'))).toHaveLength(Number(articles[0]!['source_count']))
    expect(frontmatterOnly.map((node) => node['name']).sort()).toEqual([seed.author, seed.publisher])
    for (const node of frontmatterOnly) expect(frontmatterNames.has(String(node['name']))).toBe(true)
    expect(kind((node) => entityIds.has(node['@id']))).toHaveLength(entityRows.length)
    expect(kind((node) => node['cameoCode'] !== undefined)).toHaveLength(eventRows.length)
    expect(kind((node) => node['@type'] === 'CategoryCode').map((node) => node['codeValue'])).toEqual([...usedCodes].sort())
    expect(kind((node) => node['@type'] === 'CategoryCodeSet')).toHaveLength(1)
    const parts = [articles.length, seed.quotationCount, seed.sourceCount, frontmatterOnly.length, entityRows.length, eventRows.length, usedCodes.size, 1]
    expect(parts.reduce((sum, part) => sum + part, 0)).toBe(ids.length)
    // 1 article + 3 quotations + 3 sources; Drezner and Foreign Policy (frontmatter only: 2);
    // 23 entities of entities.csv (those of the hand annotation in test/fixtures/seed/entities.gold.json,
    // Kaplan, Dunnigan, the Times and Slate among them); 21 events of events.csv (20 of them events of the
    // hand annotation in test/fixtures/seed/events.gold.json, see make eval); and the 17 distinct
    // cameo_code values of events.csv as CategoryCode nodes, and their CategoryCodeSet. 1 + 3 + 3 + 2 + 23 + 21 + 17 + 1 = 71.
    expect(parts).toEqual([1, 3, 3, 2, 23, 21, 17, 1])
    expect(ids).toHaveLength(71)
  })

  it('holds in cameo.jsonld the code set and every CAMEO code once, as graph.jsonld and the articles describe them', async () => {
    const files = await builtSource()
    const cameo = (await sourceKnowledge()).cameo
    const document = JSON.parse(get(files, 'cameo.jsonld')) as JsonLdDocument
    const [set, ...codes] = document['@graph']
    expect(set).toMatchObject({'@id': codeSetNode(), '@type': 'CategoryCodeSet', name: expect.stringMatching(/CAMEO/)})
    expect(codes.map((node) => node['@id'])).toEqual([...cameo.keys()].map((code) => codeNode(code)))
    expect(new Set(codes.map((node) => node['@id'])).size).toBe(cameo.size)
    for (const node of codes) {
      const entry = cameo.get(String(node['codeValue']))!
      expect(node).toEqual({
        '@id': codeNode(entry.code),
        '@type': 'CategoryCode',
        codeValue: entry.code,
        name: entry.label,
        inCodeSet: codeSetNode(),
        cameoRoot: entry.root,
        quadClass: entry.quadClass,
        goldstein: entry.goldstein
      })
    }
    const published = new Map(codes.map((node) => [node['@id'], node]))
    for (const [path, other] of jsonDocuments(files).filter(([path]) => path !== 'cameo.jsonld')) {
      const used = new Set(other['@graph'].flatMap((node) => (typeof node['cameoCode'] === 'string' ? [node['cameoCode']] : [])))
      const held = other['@graph'].filter((node) => node['@type'] === 'CategoryCode')
      expect(held.map((node) => node['@id']).sort(), path).toEqual([...used].sort())
      for (const node of held) expect(node, path).toEqual(published.get(node['@id']))
    }
  })

  it('holds a person shared by two articles once in graph.jsonld, and once in each article document', async () => {
    const files = await buildOk({
      'articles/a.md': dated('Talks resume', '2020-02-03T10:00:00+01:00'),
      'articles/b.md': dated('Talks end', '2020-02-04T10:00:00+01:00')
    })
    const ada = 'https://example.org/news/entities/ada-reporter/#entity'
    const documents = jsonDocuments(files).filter(([path]) => path !== 'cameo.jsonld')
    expect(documents.map(([path]) => path).sort()).toEqual(['articles/a.jsonld', 'articles/b.jsonld', 'graph.jsonld'])
    for (const [path, document] of documents) {
      const ids = document['@graph'].map((node: JsonLdNode) => node['@id'])
      expect(new Set(ids).size, path).toBe(ids.length)
      expect(ids.filter((id) => id === ada), path).toHaveLength(1)
    }
    const graph = JSON.parse(get(files, 'graph.jsonld')) as JsonLdDocument
    expect(graph['@graph'].filter((node) => node['@type'] === 'NewsArticle')).toHaveLength(2)
  })

  it('points every reference, written {"@id": …} or as an IRI-valued property (project terms too), at a node of the same document', async () => {
    const files = await builtSource()
    const ns = namespaceOf(base)
    const cameoIds = new Set((JSON.parse(get(files, 'cameo.jsonld')) as JsonLdDocument)['@graph'].map((node) => node['@id']))
    const checked = new Set<string>()
    const linkKeys = new Set<string>()
    const linking = [...projectLinks, 'isPartOf', 'isBasedOn', 'inCodeSet', 'subjectOf', 'location', 'author', 'publisher', 'citation', 'hasPart', 'about', 'mentions', 'eventStatus']
    for (const [path, document] of jsonDocuments(files)) {
      for (const node of document['@graph']) for (const key of Object.keys(node)) if (linking.includes(key)) linkKeys.add(key)
      const ids = new Set(document['@graph'].map((node) => node['@id']))
      const written = references(document['@graph'])
      // cameo.jsonld links its codes to the set by IRI strings only (inCodeSet), checked after expansion.
      if (path === 'cameo.jsonld') expect(written, path).toEqual([])
      else expect(written.length, path).toBeGreaterThan(0)
      for (const [property, id] of written) if (property !== 'eventStatus') expect(ids.has(id), `${path}: ${property} → ${id}`).toBe(true)
      // After expansion, strings coerced to IRIs (isPartOf, isBasedOn, inCodeSet, actor1, cameoCode, assertedBy …) are references too.
      const expanded = await expandBuilt(files, document)
      const external = new Set(['url', 'mainEntityOfPage', 'sameAs', 'logo'].map((name) => `http://schema.org/${name}`))
      for (const node of expanded) {
        for (const [property, values] of Object.entries(node)) {
          if (property.startsWith('@')) continue
          for (const value of values as Array<Record<string, unknown>>) {
            const id = value['@id']
            if (typeof id !== 'string') continue
            checked.add(property)
            if (external.has(property)) continue
            if (property === 'http://schema.org/eventStatus') {
              expect(isEnumerationMember(id, 'schema:EventStatusType'), `${path}: ${property} → ${id}`).toBe(true)
              continue
            }
            // The code set is published in cameo.jsonld only (see the failing test below).
            if (property === 'http://schema.org/inCodeSet' && id === codeSetNode() && cameoIds.has(id)) continue
            expect(ids.has(id), `${path}: ${property} → ${id}`).toBe(true)
          }
        }
      }
    }
    // The IRI-valued properties written in the documents really were checked: none of them turned into a plain string.
    expect([...linkKeys]).toEqual(expect.arrayContaining(['actor1', 'assertedBy', 'cameoCode', 'subjectOf', 'inCodeSet', 'isPartOf', 'isBasedOn', 'author', 'publisher']))
    const expandedName = (key: string) => (projectLinks.includes(key) ? `${ns}${key}` : `http://schema.org/${key}`)
    expect([...checked]).toEqual(expect.arrayContaining([...linkKeys].map(expandedName)))
  })

  it('holds the CategoryCodeSet its codes are inCodeSet of in every document', async () => {
    const dangling: string[] = []
    for (const [path, document] of jsonDocuments(await builtSource())) {
      const ids = new Set(document['@graph'].map((node) => node['@id']))
      for (const node of document['@graph']) {
        if (typeof node['inCodeSet'] === 'string' && !ids.has(node['inCodeSet'])) dangling.push(`${path}: ${node['@id']} → ${node['inCodeSet']}`)
      }
    }
    expect(dangling).toEqual([])
  })
})
