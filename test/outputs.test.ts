// Outputs: dist/ read back by real consumers — an XML Schema validator and an
// RSS client for feed.xml, jsonld.js and the schema.org vocabulary for the
// JSON-LD, csv-parse for the CSV — with values checked against source/.
import {readFile, rm} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import {parse as parseCsv} from 'csv-parse/sync'
import jsonld from 'jsonld'
import Parser from 'rss-parser'
import {afterAll, describe, expect, it, vi} from 'vitest'
import {validateXML, type XMLValidationResult} from 'xmllint-wasm'
import {parse as parseYaml} from 'yaml'
import {build} from '../pipeline/build.js'
import {parseSite, type Site} from '../pipeline/config.js'
import {articleColumns, emitCsv, type ArticleRecord} from '../pipeline/emit/csv.js'
import {emitSite} from '../pipeline/emit/index.js'
import type {JsonLdDocument, JsonLdNode} from '../pipeline/emit/jsonld.js'
import {clean, toRfc822} from '../pipeline/emit/rss.js'
import {documentLoader, expandSafe, schemaOrgContextDocument} from '../pipeline/jsonld-check.js'
import {createArticleProcessor, processArticle} from '../pipeline/process.js'
import {readSource} from '../pipeline/read.js'
import {article, buildTree, readTree, root, seedPath, shared, sourceKnowledge, temporaryDirectory} from './helpers.js'

// ---------------------------------------------------------------------------
// What source/ says, checked by reading source/site.yaml and the seed article.

/** `baseUrl` of source/site.yaml. */
const base = 'https://newsgraph.example/'
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
  /** Words of the prose and quotations, without footnotes (counted apart with a regex over the body). */
  wordCount: 811,
  articleId: `${base}articles/${seedSlug}/#article`
}

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
function dated(title: string, datePublished: string, extra?: string): string {
  const lines = [`title: ${JSON.stringify(title)}`, `url: https://example.org/${encodeURIComponent(title.toLowerCase().replace(/\W+/g, '-'))}`, `datePublished: "${datePublished}"`]
  if (extra) lines.push(extra)
  return article({omit: ['title', 'url', 'datePublished'], frontmatter: lines.join('\n')})
}

// ---------------------------------------------------------------------------
// Helpers over the outputs.

function validateFeed(xml: string): Promise<XMLValidationResult> {
  return validateXML({xml: [{fileName: 'feed.xml', contents: xml}], schema: [rssXsd]})
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

function jsonDocuments(files: Map<string, string>): Array<[string, JsonLdDocument]> {
  return [...files].filter(([path]) => path.endsWith('.jsonld')).map(([path, text]) => [path, JSON.parse(text) as JsonLdDocument])
}

/** Every `{"@id": …}` object (a reference: nothing but `@id`) anywhere in `value`. */
function references(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) references(item, found)
  else if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value)
    const id = (value as Record<string, unknown>)['@id']
    if (keys.length === 1 && typeof id === 'string') found.push(id)
    else for (const [key, item] of Object.entries(value)) if (key !== '@id') references(item, found)
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

/** `schema:X` for `http://schema.org/X` or `https://schema.org/X`. */
function curie(iri: string): string {
  const match = /^https?:\/\/schema\.org\/(.+)$/.exec(iri)
  if (!match) throw new Error(`Not a schema.org IRI: ${iri}`)
  return `schema:${match[1]!}`
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

/**
 * What in expanded nodes is not in the schema.org vocabulary: unknown or
 * superseded types and properties, and properties whose `schema:domainIncludes`
 * allows neither the node's type nor any superclass of it.
 */
function vocabularyProblems(nodes: ExpandedNode[]): string[] {
  const problems: string[] = []
  for (const node of nodes) {
    const types = (node['@type'] ?? []).map(curie)
    if (types.length === 0) problems.push(`${node['@id']}: no @type`)
    for (const type of types) {
      const entry = vocabularyById.get(type)
      if (!entry || !asArray(entry['@type']).includes('rdfs:Class')) problems.push(`${type}: not a schema.org class`)
      else if (entry['schema:supersededBy']) problems.push(`${type}: superseded`)
    }
    const ancestry = new Set(types.flatMap((type) => [...withSuperclasses(type)]))
    for (const key of Object.keys(node).filter((key) => !key.startsWith('@'))) {
      const property = curie(key)
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

/** Expand `document` with schema.org's published context (the vendored file) in place of newsgraph's local one. */
async function expandWithVendoredContext(document: object): Promise<object[]> {
  const loader = async (url: string) => {
    if (!/^https?:\/\/schema\.org\/?$/.test(url)) throw new Error(`Unexpected context ${url}`)
    return {contextUrl: undefined, documentUrl: url, document: {'@context': vendoredContext}}
  }
  return (await jsonld.expand(document as jsonld.JsonLdDocument, {documentLoader: loader} as unknown as jsonld.Options.Expand)) as object[]
}

/** The seed article processed like the build does, and the site of source/site.yaml. */
async function seedEmitted() {
  const siteFile = await readSource(join(root, 'source', 'site.yaml'))
  const declared = parseSite(siteFile)
  if (!declared) throw new Error('source/site.yaml is invalid')
  const knowledge = await sourceKnowledge()
  const processed = await processArticle(await readSource(seedPath), createArticleProcessor(knowledge), knowledge)
  if (!processed) throw new Error('The seed article has errors')
  return emitSite([processed], declared as Site)
}

/** The seed article's frontmatter, parsed apart from the pipeline. */
async function seedFrontmatter(): Promise<Record<string, unknown>> {
  const text = await readFile(seedPath, 'utf8')
  const match = /^---\n([\s\S]*?)\n---\n/.exec(text)
  if (!match) throw new Error('No frontmatter in the seed article')
  return parseYaml(match[1]!) as Record<string, unknown>
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
})

describe('JSON-LD expansion in safe mode', () => {
  it('expands every .jsonld of the build of source/ with the seed’s headline and author', async () => {
    const documents = jsonDocuments(await builtSource())
    expect(documents.map(([path]) => path).sort()).toEqual([`articles/${seedSlug}.jsonld`, 'graph.jsonld'])
    for (const [path, document] of documents) {
      const expanded = (await expandSafe(document)) as ExpandedNode[]
      expect(expanded.length, path).toBe(document['@graph'].length)
      const articleNode = expanded.find((node) => node['@id'] === seed.articleId)
      expect(articleNode?.['@type'], path).toEqual(['http://schema.org/NewsArticle'])
      expect(articleNode?.['http://schema.org/headline'], path).toEqual([{'@value': seed.title}])
      expect(articleNode?.['http://schema.org/datePublished'], path).toEqual([{'@type': 'http://schema.org/Date', '@value': seed.datePublished}])
      expect(articleNode?.['http://schema.org/url'], path).toEqual([{'@id': seed.url}])
      expect(articleNode?.['http://schema.org/author'], path).toEqual([{'@id': `${base}entities/daniel-w-drezner/#entity`}])
    }
  })

  it('loads schema.org’s context from memory and refuses every other URL', async () => {
    for (const url of ['https://schema.org', 'https://schema.org/', 'http://schema.org/']) {
      const loaded = await documentLoader(url)
      expect(loaded.document).toEqual(schemaOrgContextDocument)
    }
    await expect(documentLoader('https://example.org/context.jsonld')).rejects.toThrow(/Refusing to load `https:\/\/example\.org\/context\.jsonld`/)
    await expect(documentLoader('https://schema.org.example.org/')).rejects.toThrow(/Refusing/)
    await expect(expandSafe({'@context': 'https://example.org/context.jsonld', '@id': `${base}x`, name: 'x'})).rejects.toThrow()
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
    for (const term of terms) {
      const mine = local[term]
      const theirs = vendoredContext[term]
      expect(theirs, term).toBeDefined()
      const idOf = (context: Record<string, unknown>, definition: unknown) =>
        typeof definition === 'string' ? expandTerm(context, definition) : expandTerm(context, String((definition as Record<string, unknown>)['@id']))
      const typeOf = (context: Record<string, unknown>, definition: unknown) => {
        const type = typeof definition === 'object' && definition !== null ? (definition as Record<string, unknown>)['@type'] : undefined
        return typeof type === 'string' ? expandTerm(context, type) : undefined
      }
      expect(idOf(local, mine), term).toBe(idOf(vendoredContext, theirs))
      expect(typeOf(local, mine), term).toBe(typeOf(vendoredContext, theirs))
    }
    // The coercions that matter, spelt out: links are IRIs, dates are schema:Date.
    const coercion = (term: string) => expandTerm(local, String((local[term] as Record<string, unknown>)['@type']))
    expect(coercion('url')).toBe('@id')
    expect(coercion('datePublished')).toBe('http://schema.org/Date')
  })

  it('expands every built document exactly as schema.org’s published context does', async () => {
    for (const [path, document] of jsonDocuments(await builtSource())) {
      expect(await expandSafe(document), path).toEqual(await expandWithVendoredContext(document))
    }
  })
})

describe('types and properties of the JSON-LD in the schema.org vocabulary', () => {
  it('reads the vocabulary as a graph of classes and properties', () => {
    expect(vocabularyById.get('schema:NewsArticle')?.['rdfs:subClassOf']).toEqual({'@id': 'schema:Article'})
    expect([...withSuperclasses('schema:NewsArticle')].sort()).toEqual(['schema:Article', 'schema:CreativeWork', 'schema:NewsArticle', 'schema:Thing'])
    // The check is able to fail: dateline is for news articles only, wordCount is no property of a Person.
    expect(vocabularyProblems([{'@id': `${base}x`, '@type': ['http://schema.org/CreativeWork'], 'http://schema.org/dateline': []}])).toEqual([
      'schema:dateline on schema:CreativeWork: domain is schema:NewsArticle'
    ])
    expect(vocabularyProblems([{'@id': `${base}x`, '@type': ['http://schema.org/Person'], 'http://schema.org/wordCount': []}])).toHaveLength(1)
    expect(vocabularyProblems([{'@id': `${base}x`, '@type': ['http://schema.org/NewsArticel']}])).toEqual(['schema:NewsArticel: not a schema.org class'])
  })

  it('uses only existing types and properties within their domains in the build of source/', async () => {
    const documents = jsonDocuments(await builtSource())
    const usedTypes = new Set<string>()
    for (const [path, document] of documents) {
      const expanded = (await expandSafe(document)) as ExpandedNode[]
      for (const node of expanded) for (const type of node['@type'] ?? []) usedTypes.add(curie(type))
      expect(vocabularyProblems(expanded), path).toEqual([])
    }
    expect([...usedTypes].sort()).toEqual([
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
    for (const [path, document] of jsonDocuments(files)) {
      const expanded = (await expandSafe(document)) as ExpandedNode[]
      expect(expanded.map((node) => node['@type']?.[0])).toEqual(expect.arrayContaining(types.map((type) => `http://schema.org/${type}`)))
      expect(vocabularyProblems(expanded), path).toEqual([])
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
    for (const [path, document] of jsonDocuments(await readTree(out))) {
      expect(vocabularyProblems((await expandSafe(document)) as ExpandedNode[]), path).toEqual([])
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
    const {records} = await seedEmitted()
    expect(rows).toEqual(records.map((record) => Object.fromEntries(articleColumns.map((column) => [column, String(record[column])]))))
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

describe('toRfc822 and clean', () => {
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
    expect(clean('a\u0000b\u0008c\uD800d\uDC00e\uFFFEf\uFFFFg')).toBe('abcdefg')
    expect(clean('tab\there\nnew line 😀 é \uE000')).toBe('tab\there\nnew line 😀 é \uE000')
    expect(clean('\uD83D\uDE00')).toBe('😀')
    expect(clean('\uDE00\uD83D')).toBe('')
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

  it('puts every @id under the site’s base URL, and url and mainEntityOfPage at the canonical URL', async () => {
    const documents = jsonDocuments(await builtSource())
    for (const [path, document] of documents) {
      for (const node of document['@graph']) {
        expect(new URL(node['@id']).href, path).toBe(node['@id'])
        expect(node['@id'].startsWith(base), `${path}: ${node['@id']}`).toBe(true)
      }
      for (const id of references(document['@graph'])) expect(id.startsWith(base), `${path}: ${id}`).toBe(true)
      const articleNode = document['@graph'].find((node) => node['@type'] === 'NewsArticle' && node['@id'] === seed.articleId)
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
    // 1 article, 3 quotations, 3 sources; Drezner and Foreign Policy (frontmatter only); and the 23 entities of
    // the hand annotation in test/fixtures/seed/entities.gold.json (Kaplan, Dunnigan, the Times and Slate among them).
    expect(ids).toHaveLength(32)
  })

  it('holds a person shared by two articles once in graph.jsonld, and once in each article document', async () => {
    const files = await buildOk({
      'articles/a.md': dated('Talks resume', '2020-02-03T10:00:00+01:00'),
      'articles/b.md': dated('Talks end', '2020-02-04T10:00:00+01:00')
    })
    const ada = 'https://example.org/news/entities/ada-reporter/#entity'
    for (const [path, document] of jsonDocuments(files)) {
      const ids = document['@graph'].map((node: JsonLdNode) => node['@id'])
      expect(new Set(ids).size, path).toBe(ids.length)
      expect(ids.filter((id) => id === ada), path).toHaveLength(1)
    }
    const graph = JSON.parse(get(files, 'graph.jsonld')) as JsonLdDocument
    expect(graph['@graph'].filter((node) => node['@type'] === 'NewsArticle')).toHaveLength(2)
  })

  it('points every reference, written {"@id": …} or as an IRI-valued property, at a node of the same document', async () => {
    for (const [path, document] of jsonDocuments(await builtSource())) {
      const ids = new Set(document['@graph'].map((node) => node['@id']))
      const written = references(document['@graph'])
      expect(written.length, path).toBeGreaterThan(0)
      for (const id of written) expect(ids.has(id), `${path}: ${id}`).toBe(true)
      // After expansion, isPartOf and isBasedOn (strings coerced to IRIs) are references too.
      const expanded = (await expandSafe(document)) as ExpandedNode[]
      const external = new Set(['url', 'mainEntityOfPage', 'sameAs', 'logo'].map((name) => `http://schema.org/${name}`))
      for (const node of expanded) {
        for (const [property, values] of Object.entries(node)) {
          if (property.startsWith('@')) continue
          for (const value of values as Array<Record<string, unknown>>) {
            const id = value['@id']
            if (typeof id !== 'string') continue
            if (external.has(property)) continue
            expect(ids.has(id), `${path}: ${property} → ${id}`).toBe(true)
          }
        }
      }
    }
  })
})
