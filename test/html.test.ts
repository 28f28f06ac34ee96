// HTML pages (pipeline/emit/html.ts) read back with an HTML parser (hast-util-from-html),
// and the entity feeds with the RSS 2.0 XML Schema: the embedded JSON-LD is the
// published document, hostile text stays text, and every link lands where it should.
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import type {Element, ElementContent, Root} from 'hast'
import {h} from 'hastscript'
import {fromHtml} from 'hast-util-from-html'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {validateXML} from 'xmllint-wasm'
import {parseSite, siteDefaults, type Site} from '../pipeline/config.js'
import {entityNode} from '../pipeline/emit/entities.js'
import {emitHtml, escapeJsonForHtml, homePage} from '../pipeline/emit/html.js'
import {entityPageParts, entityPages} from '../pipeline/emit/html-entities.js'
import {streamedList, streamPage} from '../pipeline/emit/html-page.js'
import {chunkLength} from '../pipeline/chunks.js'
import {eventDate, htmlContext, pageEventLimit, type HtmlContext} from '../pipeline/emit/html-items.js'
import {emitEventFeed, feedEvent, feedItemLimit, toUtcKey} from '../pipeline/emit/rss.js'
import {emitSite, type Emitted} from '../pipeline/emit/index.js'
import type {JsonLdDocument, JsonLdNode} from '../pipeline/emit/jsonld.js'
import {linkEntities, type SiteEntity} from '../pipeline/link.js'
import {summarizeArticle} from '../pipeline/summary.js'
import {releasedEvent} from '../pipeline/summary-events.js'
import {createArticleProcessor, processArticle} from '../pipeline/process.js'
import {readSource} from '../pipeline/read.js'
import type {Article} from '../pipeline/types.js'
import {article, root, seedPath, shared, sourceKnowledge} from './helpers.js'

const base = 'https://newsgraph.example/'
const seedSlug = '2003-08-20-mounting-multilateral-pressure-on-pyongyang'
const seedPage = `${base}articles/${seedSlug}/`
const seed = {
  title: 'Mounting multilateral pressure on Pyongyang',
  url: 'https://foreignpolicy.com/2003/08/20/mounting-multilateral-pressure-on-pyongyang/',
  datePublished: '2003-08-20T00:00:00-05:00',
  author: 'Daniel W. Drezner',
  authorUrl: 'https://www.danieldrezner.com/'
}
const rssXsd = await readFile(join(shared, 'vendor', 'rss', 'rss-2_0.xsd'), 'utf8')

// ---------------------------------------------------------------------------
// Emission: the seed article, as `seedEmitted()` in outputs.test.ts makes it, then the HTML.

interface Built {
  site: Site
  article: Article
  emitted: Emitted
  entities: SiteEntity[]
  html: Map<string, string>
}

let seedBuild: Promise<Built> | undefined

function emitBoth(articles: Article[], site: Site, cameo: Parameters<typeof emitSite>[2]): Omit<Built, 'article' | 'site'> {
  const emitted = emitSite(articles, site, cameo)
  const entities = linkEntities(articles.map((article) => summarizeArticle(article)))
  return {emitted, entities, html: emitHtml({site, articles, entities, documents: emitted.documents, cameo})}
}

function seedBuilt(): Promise<Built> {
  seedBuild ??= (async () => {
    const declared = parseSite(await readSource(join(root, 'source', 'site.yaml')))
    if (!declared) throw new Error('source/site.yaml is invalid')
    const site = {...siteDefaults, ...declared} as Site
    const knowledge = await sourceKnowledge()
    const processed = await processArticle(await readSource(seedPath), createArticleProcessor(knowledge), knowledge)
    if (!processed) throw new Error('The seed article has errors')
    return {site, article: processed, ...emitBoth([processed], site, knowledge.cameo)}
  })()
  return seedBuild
}

/** Process a hand-made article (see `article()`) and emit it under https://example.org/news/. */
async function builtFrom(source: string, name = 'hostile'): Promise<Built> {
  const knowledge = await sourceKnowledge()
  const file = new VFile({path: join(root, 'source', 'articles', `${name}.md`), value: source})
  const processed = await processArticle(file, createArticleProcessor(knowledge), knowledge)
  expect(processed, file.messages.map(String).join('\n')).toBeDefined()
  const site: Site = {...siteDefaults, title: 'Test <site>', baseUrl: 'https://example.org/news/'}
  return {site, article: processed!, ...emitBoth([processed!], site, knowledge.cameo)}
}

// ---------------------------------------------------------------------------
// Reading HTML back.

function output(html: Map<string, string>, path: string): string {
  const value = html.get(path)
  if (value === undefined) throw new Error(`No \`${path}\` in [${[...html.keys()].join(', ')}]`)
  return value
}

function parse(html: string): Root {
  return fromHtml(html)
}

/** Every element of a tree, in document order. */
function elements(tree: Root | Element): Element[] {
  const found: Element[] = []
  const walk = (children: Array<Root['children'][number] | ElementContent>) => {
    for (const node of children) {
      if (node.type !== 'element') continue
      found.push(node)
      walk(node.children)
      if (node.content) walk(node.content.children)
    }
  }
  walk(tree.children)
  return found
}

function select(tree: Root | Element, tagName: string, test: (element: Element) => boolean = () => true): Element[] {
  return elements(tree).filter((element) => element.tagName === tagName && test(element))
}

function one(tree: Root | Element, tagName: string, test?: (element: Element) => boolean): Element {
  const found = select(tree, tagName, test)
  expect(found, `one <${tagName}>`).toHaveLength(1)
  return found[0]!
}

function textOf(node: Root | ElementContent): string {
  if (node.type === 'text') return node.value
  if (node.type === 'element' || node.type === 'root') return node.children.map((child) => textOf(child as ElementContent)).join('')
  return ''
}

/** Text with runs of white space made one space, as a reader sees it. */
function visible(node: Root | ElementContent): string {
  return textOf(node).replace(/\s+/g, ' ').trim()
}

function prop(element: Element, name: string): string {
  const value = element.properties[name]
  return Array.isArray(value) ? value.join(' ') : String(value ?? '')
}

const meta = (tree: Root, key: 'name' | 'property', value: string) => prop(one(tree, 'meta', (element) => prop(element, key) === value), 'content')
const jsonLdScripts = (tree: Root) => select(tree, 'script', (element) => prop(element, 'type') === 'application/ld+json')

/** Absolute URLs of the links of an element, resolved against the page. */
function links(element: Root | Element, page: string): string[] {
  return select(element, 'a', (a) => a.properties['href'] !== undefined).map((a) => new URL(prop(a, 'href'), page).href)
}

/** The raw text of each JSON-LD script block, as the browser's tokenizer ends it (at the first `</script`). */
function rawJsonLdBlocks(html: string): string[] {
  const blocks: string[] = []
  const open = '<script type="application/ld+json">'
  for (let at = html.indexOf(open); at !== -1; at = html.indexOf(open, at + 1)) {
    const start = at + open.length
    blocks.push(html.slice(start, html.toLowerCase().indexOf('</script', start)))
  }
  return blocks
}

// ---------------------------------------------------------------------------

describe('articles/<slug>/index.html of the seed', () => {
  it('embeds the published JSON-LD document, which an HTML parser reads back exactly', async () => {
    const {html, emitted} = await seedBuilt()
    const page = output(html, `articles/${seedSlug}/index.html`)
    const scripts = jsonLdScripts(parse(page))
    expect(scripts).toHaveLength(1)
    expect(JSON.parse(textOf(scripts[0]!))).toEqual(emitted.documents.get(`articles/${seedSlug}.jsonld`))
    expect(select(parse(page), 'script')).toHaveLength(1)
  })

  it('is a complete HTML5 page in the article’s language, readable on a phone without scripts or other assets', async () => {
    const {html} = await seedBuilt()
    const page = output(html, `articles/${seedSlug}/index.html`)
    expect(page.startsWith('<!doctype html>\n<html lang="en">')).toBe(true)
    expect(page.endsWith('</html>\n')).toBe(true)
    const tree = parse(page)
    expect(prop(one(tree, 'meta', (element) => element.properties['charSet'] !== undefined), 'charSet').toLowerCase()).toBe('utf-8')
    expect(meta(tree, 'name', 'viewport')).toContain('width=device-width')
    const style = textOf(one(tree, 'style'))
    expect(style).toMatch(/max-width/)
    expect(style).toMatch(/system-ui/)
    expect(select(tree, 'link', (element) => prop(element, 'rel') === 'stylesheet')).toEqual([])
    expect(select(tree, 'script', (element) => prop(element, 'type') !== 'application/ld+json')).toEqual([])
  })

  it('has the title, description, canonical URL, RSS link and Open Graph tags of the article', async () => {
    const {html, article} = await seedBuilt()
    const tree = parse(output(html, `articles/${seedSlug}/index.html`))
    expect(visible(one(tree, 'title'))).toBe(seed.title)
    expect(meta(tree, 'name', 'description')).toBe(article.meta.description)
    expect(prop(one(tree, 'link', (element) => prop(element, 'rel') === 'canonical'), 'href')).toBe(seed.url)
    const alternate = one(tree, 'link', (element) => prop(element, 'rel') === 'alternate')
    expect(prop(alternate, 'type')).toBe('application/rss+xml')
    expect(prop(alternate, 'href')).toBe(`${base}feed.xml`)
    expect(meta(tree, 'property', 'og:title')).toBe(seed.title)
    expect(meta(tree, 'property', 'og:description')).toBe(article.meta.description)
    expect(meta(tree, 'property', 'og:type')).toBe('article')
    expect(meta(tree, 'property', 'og:url')).toBe(seedPage)
    expect(meta(tree, 'property', 'article:published_time')).toBe(seed.datePublished)
  })

  it('shows the headline, the date in a <time> and the byline', async () => {
    const {html} = await seedBuilt()
    const tree = parse(output(html, `articles/${seedSlug}/index.html`))
    expect(visible(one(tree, 'h1'))).toBe(seed.title)
    const date = select(tree, 'time', (element) => prop(element, 'dateTime') === seed.datePublished)
    expect(date.length).toBeGreaterThan(0)
    expect(visible(date[0]!)).toBe('20 August 2003')
    const byline = one(tree, 'p', (element) => prop(element, 'className') === 'byline')
    expect(visible(byline)).toContain(`By ${seed.author}`)
    expect(links(byline, seedPage)).toContain(seed.authorUrl)
  })

  it('renders the body without the frontmatter, and the GFM footnotes as footnotes', async () => {
    const {html} = await seedBuilt()
    const tree = parse(output(html, `articles/${seedSlug}/index.html`))
    const body = one(tree, 'div', (element) => prop(element, 'className') === 'body')
    expect(visible(body)).toMatch(/^When the multilateral talks on North Korea were announced/)
    expect(visible(body)).not.toContain('datePublished')
    const footnotes = one(body, 'section', (element) => element.properties['dataFootnotes'] !== undefined)
    expect(select(footnotes, 'li').map((li) => prop(li, 'id'))).toEqual(['user-content-fn-nyt', 'user-content-fn-slate', 'user-content-fn-dunnigan'])
    // Each reference links to its note.
    const references = select(body, 'a', (a) => a.properties['dataFootnoteRef'] !== undefined).map((a) => prop(a, 'href'))
    expect(references).toEqual(['#user-content-fn-nyt', '#user-content-fn-slate', '#user-content-fn-dunnigan'])
  })

  it('shows each quotation with its source named beside it', async () => {
    const {html, emitted} = await seedBuilt()
    const tree = parse(output(html, `articles/${seedSlug}/index.html`))
    const figures = select(tree, 'figure')
    expect(figures.map((figure) => prop(figure, 'id'))).toEqual(['quote-1', 'quote-2', 'quote-3'])
    const captions = figures.map((figure) => visible(one(figure, 'figcaption')))
    expect(captions[0]).toContain('Report on Russia’s naval exercise with Japan and South Korea, The New York Times, 18 August 2003, datelined Tokyo')
    expect(captions[1]).toContain('How Kim Lost the Russians, Fred Kaplan, Slate, 19 August 2003')
    expect(captions[2]).toContain('Why the United States and South Korea disagree over North Korea, Jim Dunnigan')
    // The blockquote holds the text the JSON-LD Quotation node publishes.
    const quotations = emitted.documents.get(`articles/${seedSlug}.jsonld`)!['@graph'].filter((node) => node['@type'] === 'Quotation')
    figures.forEach((figure, index) => {
      const text = (quotations[index]!['text'] as string).replace(/\s+/g, ' ')
      expect(visible(one(figure, 'blockquote'))).toContain(text.slice(0, 80))
    })
  })

  it('gives every fragment @id of the article’s JSON-LD (article, quotations, sources, events) an element on the page', async () => {
    const {html, emitted} = await seedBuilt()
    const tree = parse(output(html, `articles/${seedSlug}/index.html`))
    const ids = new Set(elements(tree).map((element) => prop(element, 'id')))
    const fragments = emitted.documents
      .get(`articles/${seedSlug}.jsonld`)!
      ['@graph'].map((node) => node['@id'])
      .filter((id) => id.startsWith(seedPage))
      .map((id) => id.slice(seedPage.length + 1))
    expect(fragments).toContain('article')
    expect(fragments).toContain('event-1')
    expect(fragments.filter((fragment) => !ids.has(fragment))).toEqual([])
  })

  it('lists the article’s entities, each linked to its page', async () => {
    const {html, article} = await seedBuilt()
    const tree = parse(output(html, `articles/${seedSlug}/index.html`))
    const section = one(tree, 'section', (element) => prop(element, 'id') === 'entities')
    expect(links(section, seedPage).sort()).toEqual(article.entities.map((entity) => `${base}entities/${entity.id}/`).sort())
    expect(visible(section)).toContain('North Korea Country')
  })

  it('lists the article’s events with CAMEO label, actors, date and status', async () => {
    const {html, emitted} = await seedBuilt()
    const tree = parse(output(html, `articles/${seedSlug}/index.html`))
    const items = select(one(tree, 'section', (element) => prop(element, 'id') === 'events'), 'li')
    expect(items).toHaveLength(emitted.eventRecords.length)
    emitted.eventRecords.forEach((record, index) => {
      const item = items[index]!
      expect(prop(item, 'id')).toBe(`event-${record.id.split('-e').at(-1)}`)
      const text = visible(item)
      expect(text).toContain(record.cameo_label)
      expect(text).toContain(record.status)
      for (const [id, name] of [
        [record.actor1_id, record.actor1_name],
        [record.actor2_id, record.actor2_name]
      ]) {
        if (!id) continue
        expect(text).toContain(name)
        expect(links(item, seedPage)).toContain(`${base}entities/${id}/`)
      }
      if (record.start_date) expect(select(item, 'time').map((element) => prop(element, 'dateTime'))).toContain(record.start_date)
    })
  })
})

describe('articles/<slug>/embed.html', () => {
  it('is exactly one JSON-LD script block and a newline, holding the published document', async () => {
    const {html, emitted} = await seedBuilt()
    const embed = output(html, `articles/${seedSlug}/embed.html`)
    expect(embed).toMatch(/^<script type="application\/ld\+json">[^]*<\/script>\n$/)
    expect(embed.match(/<script/g)).toHaveLength(1)
    const tree = fromHtml(embed, {fragment: true})
    expect(tree.children.filter((node) => node.type === 'element')).toHaveLength(1)
    expect(JSON.parse(textOf(one(tree, 'script')))).toEqual(emitted.documents.get(`articles/${seedSlug}.jsonld`))
  })
})

describe('hostile text in an article', () => {
  const hostile = '</script><script>alert(1)</script> <!-- ]]> \u2028 \u2029 & <b>'
  /** As a YAML double-quoted scalar, with the line separators escaped so YAML keeps them as characters. */
  const yaml = (value: string) => JSON.stringify(value).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')
  /** As Markdown text: every `<` escaped, so Markdown keeps it as text, not as HTML. */
  const markdown = (value: string) => value.replace(/</g, '\\<')
  const title = `Ministry talks ${hostile}`
  const description = `A summary ${hostile}`
  const source = article({
    omit: ['title', 'description'],
    frontmatter: [
      `title: ${yaml(title)}`,
      `description: ${yaml(description)}`,
      'sources:',
      '  - id: src',
      '    type: Report',
      `    name: ${yaml(`Report ${hostile}`)}`,
      '    url: https://example.org/report?a=1&b=2',
      `    publisher: ${yaml(`Publisher ${hostile}`)}`,
      '    datePublished: "2020-02-01"'
    ].join('\n'),
    body: [
      'The ministry said on Monday that talks would resume. [Click](javascript:alert(3)) or [read](https://example.org/read).',
      '',
      '<script>alert(2)</script>',
      '',
      `> The minister said ${markdown(hostile)} today. [^src]`,
      '',
      '[^src]: The report.',
      ''
    ].join('\n')
  })

  it('leaves exactly one script element, whose JSON reads back to the same values', async () => {
    const {html, emitted, article} = await builtFrom(source)
    const page = output(html, `articles/${article.slug}/index.html`)
    const tree = parse(page)
    expect(select(tree, 'script')).toHaveLength(1)
    const document = JSON.parse(textOf(one(tree, 'script'))) as JsonLdDocument
    expect(document).toEqual(emitted.documents.get(`articles/${article.slug}.jsonld`))
    const node = document['@graph'][0]!
    expect(node['headline']).toBe(title)
    expect(node['description']).toBe(description)
    const quotation = document['@graph'].find((item) => item['@type'] === 'Quotation')!
    expect(quotation['text']).toContain(hostile.trim())
    expect(document['@graph'].find((item) => item['@type'] === 'Report')!['name']).toBe(`Report ${hostile}`)
  })

  it('writes no `</script`, `<!--` or raw line separator inside the JSON, in the page and in the embed', async () => {
    const {html, article} = await builtFrom(source)
    for (const path of [`articles/${article.slug}/index.html`, `articles/${article.slug}/embed.html`]) {
      const raw = output(html, path)
      // Attribute values (meta content) may hold a literal `<`, which HTML reads as text; outside them, one script tag.
      expect(raw.replace(/="[^"]*"/g, '=""').match(/<script/gi), path).toHaveLength(1)
      expect(raw.replace(/="[^"]*"/g, '=""').match(/<\/script/gi), path).toHaveLength(1)
      const blocks = rawJsonLdBlocks(raw)
      expect(blocks).toHaveLength(1)
      expect(blocks[0]).not.toMatch(/<|>|&|\u2028|\u2029/)
      expect(raw.slice(raw.indexOf(blocks[0]!) + blocks[0]!.length).startsWith('</script>')).toBe(true)
      expect(JSON.parse(blocks[0]!)['@graph'][0]['headline']).toBe(title)
    }
  })

  it('shows the hostile text as text in the title, meta tags, headline, quotation and its source', async () => {
    const {html, article} = await builtFrom(source)
    const tree = parse(output(html, `articles/${article.slug}/index.html`))
    expect(textOf(one(tree, 'title'))).toBe(title)
    expect(visible(one(tree, 'h1'))).toBe(visible({type: 'text', value: title}))
    expect(meta(tree, 'name', 'description')).toBe(description)
    expect(meta(tree, 'property', 'og:title')).toBe(title)
    const figure = one(tree, 'figure')
    expect(textOf(one(figure, 'blockquote'))).toContain(hostile.trim())
    const caption = one(figure, 'figcaption')
    expect(textOf(caption)).toContain(`Report ${hostile}`)
    expect(textOf(caption)).toContain(`Publisher ${hostile}`)
    expect(textOf(caption)).toContain('1 February 2020')
    expect(links(caption, 'https://example.org/news/')).toContain('https://example.org/report?a=1&b=2')
    // No element came from the text: only what the page itself builds.
    expect(select(tree, 'b')).toEqual([])
  })

  it('drops raw HTML and javascript: links of the Markdown, keeping safe links', async () => {
    const {html, article} = await builtFrom(source)
    const page = output(html, `articles/${article.slug}/index.html`)
    expect(page).not.toContain('alert(2)')
    const anchors = select(parse(page), 'a')
    expect(anchors.filter((a) => /^\s*javascript:/i.test(prop(a, 'href')))).toEqual([])
    expect(anchors.map((a) => prop(a, 'href'))).toContain('https://example.org/read')
    expect(anchors.some((a) => visible(a) === 'Click')).toBe(true)
  })

  it('escapes only inside JSON strings, so any JSON reads back the same', () => {
    const value = {a: hostile, [`key ${hostile}`]: [hostile, 1, true, null], nested: {'</script>': '<!--'}}
    const escaped = escapeJsonForHtml(JSON.stringify(value))
    expect(escaped).not.toMatch(/[<>&\u2028\u2029]/)
    expect(JSON.parse(escaped)).toEqual(value)
  })
})

describe('index.html', () => {
  it('lists the articles, the entities by mention count and the events, all linked', async () => {
    const {html, entities, emitted, site} = await seedBuilt()
    const tree = parse(output(html, 'index.html'))
    expect(prop(one(tree, 'html'), 'lang')).toBe(site.language)
    expect(visible(one(tree, 'title'))).toBe(site.title)
    expect(prop(one(tree, 'link', (element) => prop(element, 'rel') === 'canonical'), 'href')).toBe(base)
    const section = (id: string) => one(tree, 'section', (element) => prop(element, 'id') === id)
    expect(links(section('articles'), base).filter((url) => url.startsWith(base))).toEqual([seedPage])
    expect(visible(section('articles'))).toContain(seed.title)
    const byCount = [...entities].sort((a, b) => b.mentionCount - a.mentionCount || (a.id < b.id ? -1 : 1))
    expect(links(section('entities'), base)).toEqual(byCount.map((entity) => `${base}entities/${entity.id}/`))
    const events = select(section('events'), 'li')
    expect(events).toHaveLength(emitted.eventRecords.length)
    const eventLinks = events.map((item) => links(item, base).filter((url) => url.startsWith(`${seedPage}#event-`)))
    expect(eventLinks.flat().sort()).toEqual(emitted.eventRecords.map((record) => `${seedPage}#event-${record.id.split('-e').at(-1)}`).sort())
  })

  it('is the same on every run: no clock, no randomness', async () => {
    const {html, site, article, emitted, entities} = await seedBuilt()
    const again = emitHtml({site, articles: [article], entities, documents: emitted.documents, cameo: (await sourceKnowledge()).cameo})
    expect([...again]).toEqual([...html])
  })
})

/** Twenty copies of the seed, a year apart: the home page and the busiest entities have more events than a page or feed lists. */
function yearlyCopies(article: Article): Article[] {
  return Array.from({length: 20}, (_, index): Article => ({
    ...article,
    slug: `${article.slug}-${index}`,
    meta: {...article.meta, datePublished: article.meta.datePublished.replace(/^2003/, String(2003 + index))}
  }))
}

describe('pages of a large site', () => {
  it('list the newest events up to `pageEventLimit`, and say how many there are and where the rest are', async () => {
    const {site, article} = await seedBuilt()
    const knowledge = await sourceKnowledge()
    const copies = yearlyCopies(article)
    const {html, emitted} = emitBoth(copies, site, knowledge.cameo)
    const total = emitted.eventRecords.length
    expect(total).toBeGreaterThan(pageEventLimit)
    const listed = (path: string) => {
      const tree = parse(output(html, path))
      const section = one(tree, 'section', (element) => prop(element, 'id') === 'events')
      return {items: select(section, 'li'), note: select(section, 'p').map(visible).join(' '), links: links(section, `${base}${path.replace(/index\.html$/, '')}`)}
    }
    const home = listed('index.html')
    expect(home.items).toHaveLength(pageEventLimit)
    expect(home.note).toBe(`The newest ${pageEventLimit} of ${total} events. Every event is listed on the page of the article that reports it, and in events.csv.`)
    expect(home.links).toContain(`${base}data/events.csv`)
    // Newest first, by start date, else the date of the article: none left out is newer than one listed.
    const recordOf = (url: string) => {
      const [, slug, number] = /articles\/([^/]+)\/#event-(\d+)$/.exec(url)!
      return emitted.eventRecords.find((record) => record.id === `${slug}-e${number}`)!
    }
    const published = new Map(copies.map((copy) => [copy.slug, copy.meta.datePublished.slice(0, 10)]))
    const day = (record: (typeof emitted.eventRecords)[number]) =>
      record.start_date ? `${record.start_date}-01-01`.slice(0, 10) : published.get(record.id.replace(/-e\d+$/, ''))!
    const days = home.items.map((item) => day(recordOf(links(item, base).find((url) => url.includes('#event-'))!)))
    expect(days).toEqual([...days].sort().reverse())
    const shown = new Set(home.items.map((item) => recordOf(links(item, base).find((url) => url.includes('#event-'))!).id))
    const oldestShown = days.at(-1)!
    expect(emitted.eventRecords.filter((record) => !shown.has(record.id)).every((record) => day(record) <= oldestShown)).toBe(true)
    expect(new Set(days).size).toBeGreaterThan(1)

    const busiest = [...new Set(emitted.eventRecords.flatMap((record) => [record.actor1_id, record.actor2_id]))].filter(Boolean)
    const countOf = (id: string) => copies.flatMap((copy) => copy.events).filter((event) => event.actor1 === id || event.actor2 === id || event.location === id || event.participants.some((participant) => participant.entityId === id)).length
    const over = busiest.filter((id) => countOf(id) > pageEventLimit)
    const under = busiest.filter((id) => countOf(id) <= pageEventLimit)
    expect(over.length).toBeGreaterThan(0)
    expect(under.length).toBeGreaterThan(0)
    for (const id of over) {
      const page = listed(`entities/${id}/index.html`)
      expect(page.items, id).toHaveLength(pageEventLimit)
      expect(page.note, id).toContain(`The newest ${pageEventLimit} of ${countOf(id)} events.`)
    }
    for (const id of under) {
      const page = listed(`entities/${id}/index.html`)
      expect(page.items, id).toHaveLength(countOf(id))
      expect(page.note, id).toBe('')
    }
  })
})

describe('feeds of a large site', () => {
  it.each([
    // Note: slugs `cN` and `cN-f` order one way by event id (`cN-e1` < `cN-f-e1`) and the other by link (`cN-f/` < `cN/`).
    ['one article\u2019s slug and hyphen begin another\u2019s (`c0-` and `c0-f-`)', (index: number) => (index % 2 ? `c${index - 1}-f` : `c${index}`)],
    // Note: the ids are then ordered without being made (`c1-e2` < `c10-e1`, `c1-e10` < `c1-e2`).
    ['no article\u2019s slug and hyphen begin another\u2019s (`c1-` and `c10-`)', (index: number) => `c${index}`]
  ])('hold the newest events however an event\u2019s id and its link order the events of one date, when %s', async (_, slugOf) => {
    const {site, article} = await seedBuilt()
    const knowledge = await sourceKnowledge()
    // Note: the copies share their dates, so the hundredth event of a feed falls among events of one date.
    const copies = Array.from({length: 15}, (_, index): Article => ({...article, slug: slugOf(index)}))
    const {emitted} = emitBoth(copies, site, knowledge.cameo)
    const summaries = copies.map((copy) => summarizeArticle(copy))
    const context = htmlContext({site, articles: summaries, entities: linkEntities(summaries), documents: emitted.documents, cameo: knowledge.cameo})
    expect(context.events.length).toBeGreaterThan(feedItemLimit)
    // The reference: every event drawn, then sorted and cut by the feed itself.
    const all = context.events.first(Infinity)
    expect(all).toHaveLength(context.events.length)
    // The site's events are newest first by the instant of their date, and by id among those of one date (each sorted here by both).
    const byHand = summaries.flatMap((summary) => summary.events.all().map((event) => ({key: toUtcKey(eventDate(summary, event)), id: `${summary.slug}-${event.id}`})))
    byHand.sort((a, b) => (a.key !== b.key ? (a.key < b.key ? 1 : -1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    expect(new Set(byHand.map((event) => event.key)).size).toBeGreaterThan(1)
    expect(byHand.length).toBeGreaterThan(new Set(byHand.map((event) => event.key)).size)
    expect(all.map((item) => item.id)).toEqual(byHand.map((event) => event.id))
    expect(emitted.outputs.get('events.xml')).toBe(emitEventFeed(all.map((item) => feedEvent(item, base)), summaries, site))
    const uncut: HtmlContext = {
      ...context,
      eventsOfEntity: (id) => {
        const list = context.eventsOfEntity(id)
        return {length: list.length, first: () => list.first(Infinity)}
      }
    }
    const busy = context.entities.filter((entity) => context.eventsOfEntity(entity.id).length > feedItemLimit)
    expect(busy.length).toBeGreaterThan(0)
    for (const entity of busy) {
      const feed = new Map(entityPages(uncut, entity)).get(`entities/${entity.id}/feed.xml`)
      expect(emitted.outputs.get(`entities/${entity.id}/feed.xml`), entity.id).toBe(feed)
    }
    // A list cut with its ties goes on past the limit only through events of the date of the last one kept.
    const cut = context.events.first(feedItemLimit, true)
    expect(cut.length).toBeGreaterThan(feedItemLimit)
    expect(new Set(cut.slice(feedItemLimit - 1).map((item) => item.date)).size).toBe(1)
    expect(all[cut.length]?.date).not.toBe(cut.at(-1)!.date)
  })
})

describe('events no page or feed shows', () => {
  it('are let go, and every page and feed is drawn the same', async () => {
    const {site, article} = await seedBuilt()
    const knowledge = await sourceKnowledge()
    const copies = yearlyCopies(article)
    const {emitted} = emitBoth(copies, site, knowledge.cameo)
    const summaries = copies.map((copy) => summarizeArticle(copy))
    const context = htmlContext({site, articles: summaries, entities: linkEntities(summaries), documents: emitted.documents, cameo: knowledge.cameo})
    const draw = () => [
      homePage(context),
      emitEventFeed(context.events.first(feedItemLimit, true).map((item) => feedEvent(item, base)), summaries, site),
      ...context.entities.flatMap((entity) => entityPages(context, entity).map(([, text]) => text))
    ]
    const before = draw()
    // What the pages and feeds list: the newest of the site's events and of each entity's.
    const lists = [context.events, ...context.entities.map((entity) => context.eventsOfEntity(entity.id))]
    const shown = new Set(lists.flatMap((list) => [...list.first(pageEventLimit), ...list.first(feedItemLimit, true)].map((item) => ('item' in item ? item.item : item).id)))
    const all = context.events.first(Infinity)
    expect(shown.size).toBeLessThan(all.length)
    expect(context.releaseUnshownEvents()).toBe(all.length - shown.size)
    for (const item of all) expect(item.article.events.at(item.index) === releasedEvent, item.id).toBe(!shown.has(item.id))
    // Each summary keeps the place of every event, let go or not.
    for (const [index, summary] of summaries.entries()) expect(summary.events).toHaveLength(copies[index]!.events.length)
    expect(draw()).toEqual(before)
    // An event let go cannot be drawn by mistake, nor a list asked for more than its page or feed shows.
    expect(() => context.events.first(Infinity)).toThrow(/let go/)
    const longest = lists.reduce((a, b) => (b.length > a.length ? b : a))
    expect(() => longest.first(feedItemLimit + 1, true)).toThrow(/let go/)
    expect(longest.first(pageEventLimit).length).toBe(Math.min(pageEventLimit, longest.length))
  })
})

describe('event items shared by entity feeds', () => {
  it('are drawn once while another feed may use them, then let go, with the feeds unchanged', async () => {
    const {site, article} = await seedBuilt()
    const knowledge = await sourceKnowledge()
    const copies = Array.from({length: 6}, (_, index): Article => ({...article, slug: `copy-${index}`}))
    const {emitted} = emitBoth(copies, site, knowledge.cameo)
    const summaries = copies.map((copy) => summarizeArticle(copy))
    const context = htmlContext({site, articles: summaries, entities: linkEntities(summaries), documents: emitted.documents, cameo: knowledge.cameo})
    let most = 0
    for (const entity of context.entities) {
      const feed = new Map(entityPages(context, entity)).get(`entities/${entity.id}/feed.xml`)
      expect(feed, entity.id).toBe(emitted.outputs.get(`entities/${entity.id}/feed.xml`))
      const uses = context.drawn.eventFeedUses!
      // Every item kept is one a feed still to come may draw.
      for (const serial of context.drawn.eventFeedItems.keys()) expect(uses[serial], String(serial)).toBeGreaterThan(0)
      most = Math.max(most, context.drawn.eventFeedItems.size)
    }
    expect(most).toBeGreaterThan(0)
    expect(context.drawn.eventFeedItems.size).toBe(0)
    expect(context.drawn.eventFeedUses!.every((uses) => uses === 0)).toBe(true)
    // What is kept is kept by serial: an event has one, whichever list it is drawn from, and no other event has it.
    const bySerial = new Map(context.events.first(context.events.length).map((item) => [item.serial, item.id]))
    expect(bySerial.size).toBe(context.events.length)
    for (const summary of summaries) {
      for (const [index, item] of context.eventsOfArticle(summary.slug).entries()) expect(bySerial.get(item.serial)).toBe(`${summary.slug}-${summary.events.id(index)}`)
    }
  })
})

describe('entities/<id>/', () => {
  it('has a page for every entity of the seed, with its name, type, sameAs links and articles', async () => {
    const {html, entities, site} = await seedBuilt()
    expect(entities.length).toBeGreaterThan(10)
    for (const entity of entities) {
      const page = `${base}entities/${entity.id}/`
      const tree = parse(output(html, `entities/${entity.id}/index.html`))
      expect(visible(one(tree, 'h1'))).toBe(entity.name)
      expect(visible(one(tree, 'title'))).toBe(`${entity.name} — ${site.title}`)
      expect(visible(one(tree, 'header', (element) => select(element, 'h1').length > 0))).toContain(entity.type)
      if (entity.description) expect(meta(tree, 'name', 'description')).toBe(entity.description)
      const sameAs = (entityNode(base, entity)['sameAs'] as string[] | undefined) ?? []
      const elsewhere = select(tree, 'section', (element) => prop(element, 'id') === 'same-as')
      expect(elsewhere.flatMap((section) => links(section, page))).toEqual(sameAs)
      expect(links(one(tree, 'section', (element) => prop(element, 'id') === 'articles'), page)).toContain(seedPage)
      expect(prop(one(tree, 'link', (element) => prop(element, 'rel') === 'canonical'), 'href')).toBe(page)
      const node = JSON.parse(textOf(one(tree, 'script'))) as {'@graph': JsonLdNode[]}
      expect(node['@graph'].map((item) => item['@id'])).toEqual([`${page}#entity`])
    }
  })

  it('links Wikidata, Wikipedia and GeoNames as the JSON-LD does', async () => {
    const {html} = await seedBuilt()
    const tree = parse(output(html, 'entities/north-korea/index.html'))
    const section = one(tree, 'section', (element) => prop(element, 'id') === 'same-as')
    expect(links(section, base)).toContain('https://www.wikidata.org/wiki/Q423')
    expect(visible(section)).toContain('Wikidata')
  })

  it('lists the events an entity takes part in, as actor 1, actor 2, participant or location', async () => {
    const {html, article} = await seedBuilt()
    for (const id of ['north-korea', 'shigeru-ishiba', 'beijing', 'japan']) {
      const expected = article.events.filter(
        (event) => event.actor1 === id || event.actor2 === id || event.location === id || event.participants.some((participant) => participant.entityId === id)
      )
      expect(expected.length, id).toBeGreaterThan(0)
      const page = `${base}entities/${id}/`
      const tree = parse(output(html, `entities/${id}/index.html`))
      const items = select(one(tree, 'section', (element) => prop(element, 'id') === 'events'), 'li')
      expect(items.flatMap((item) => links(item, page).filter((url) => url.includes('#event-'))).sort()).toEqual(expected.map((event) => `${seedPage}#event-${event.id.slice(1)}`).sort())
    }
  })

  it('has a feed.xml per entity, valid against the RSS 2.0 XML Schema, with its articles and events', async () => {
    const {html, entities, article} = await seedBuilt()
    for (const entity of entities) {
      const path = `entities/${entity.id}/feed.xml`
      const xml = output(html, path)
      const result = await validateXML({xml: [{fileName: path, contents: xml}], schema: [rssXsd]})
      expect(result.errors, path).toEqual([])
      expect(result.valid).toBe(true)
      expect(xml).toContain(`<atom:link href="${base}${path}" rel="self" type="application/rss+xml"></atom:link>`)
      const events = article.events.filter(
        (event) => event.actor1 === entity.id || event.actor2 === entity.id || event.location === entity.id || event.participants.some((participant) => participant.entityId === entity.id)
      )
      expect(xml.match(/<item>/g), path).toHaveLength(1 + events.length)
      expect(xml).toContain(`<link>${seed.url}</link>`)
    }
  })

  it('gives an event the same feed item in its entities\' feeds as in events.xml', async () => {
    const {emitted} = await seedBuilt()
    const items = (xml: string) => new Map([...xml.matchAll(/<item>[\s\S]*?<\/item>/g)].map(([item]) => [/<guid[^>]*>([^<]*)<\/guid>/.exec(item)![1]!, item]))
    const site = items(emitted.outputs.get('events.xml')!)
    expect(site.size).toBeGreaterThan(0)
    let compared = 0
    for (const [path, xml] of emitted.outputs) {
      if (!/^entities\/[^/]+\/feed\.xml$/.test(path)) continue
      for (const [guid, item] of items(xml)) {
        if (!site.has(guid)) continue
        expect(item, `${path} ${guid}`).toBe(site.get(guid))
        compared++
      }
    }
    expect(compared).toBeGreaterThan(site.size)
  })

  it('keeps a hostile entity feed well-formed and valid, and no page holds a control character', async () => {
    const {html, entities} = await builtFrom(
      article({body: 'Talks with Amina Diallo\u0001 of the Bureau of <Things> & Stuff resumed on Monday, said Amina Diallo.\n'}),
      'feed-hostile'
    )
    expect(entities.length).toBeGreaterThan(0)
    expect([...html].filter(([, value]) => value.includes('\u0001')).map(([path]) => path)).toEqual([])
    for (const entity of entities) {
      const path = `entities/${entity.id}/feed.xml`
      const result = await validateXML({xml: [{fileName: path, contents: output(html, path)}], schema: [rssXsd]})
      expect(result.errors, path).toEqual([])
    }
  })

  it('keeps `$` patterns in the text of entity feeds and pages as they are', async () => {
    const title = "Costs of US$& and $' rise"
    const {html, entities} = await builtFrom(article({frontmatter: `title: "${title}"`, omit: ['title'], body: "Kenya criticized Uganda over costs of $1 and $& on Monday, said Amina Diallo.\n"}), 'dollars')
    expect(entities.length).toBeGreaterThan(0)
    for (const entity of entities) {
      expect(output(html, `entities/${entity.id}/feed.xml`)).toContain(`<title>${title.replace('&', '&#x26;')}</title>`)
      expect(visible(one(parse(output(html, `entities/${entity.id}/index.html`)), 'section', (element) => prop(element, 'id') === 'articles'))).toContain(title)
    }
  })
})

describe('entity pages in pieces', () => {
  it('come in pieces of at most chunkLength characters, each list item whole in one, making the whole page and feed', async () => {
    const {site, article} = await seedBuilt()
    const knowledge = await sourceKnowledge()
    const summaries = Array.from({length: 250}, (_, index) => summarizeArticle({...article, slug: `copy-${String(index).padStart(3, '0')}`}))
    const context = () => htmlContext({site, articles: summaries, entities: linkEntities(summaries), cameo: knowledge.cameo})
    const drawing = context()
    const entity = drawing.entities[0]!
    const [pageFile, feedFile] = entityPageParts(drawing, entity)
    const [pagePath, parts] = pageFile!
    const [feedPath, feed] = feedFile!
    const pieces = [...parts]
    // The page around its lists, its 250 articles and its events, in pieces of at most chunkLength characters, each item whole in one.
    const list = pieces.findIndex((piece) => /<h2>Articles<\/h2>\n<ol class="items">\n$/.test(piece))
    expect(list).toBeGreaterThanOrEqual(0)
    expect(pieces.join('').match(/<li>/g)?.length).toBeGreaterThan(250)
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(chunkLength)
      expect(piece.match(/<li>/g)?.length ?? 0).toBe(piece.match(/<\/li>/g)?.length ?? 0)
    }
    const feedPieces = [...feed]
    expect(feedPieces.length).toBeGreaterThan(1)
    for (const piece of feedPieces) expect(piece.length).toBeLessThanOrEqual(chunkLength)
    const whole = new Map(entityPages(context(), entity))
    expect(pieces.join('')).toBe(whole.get(pagePath))
    expect(feedPieces.join('')).toBe(whole.get(feedPath))
  })

  it('draw a list a hundred items at a time, each batch gathered in chunks', () => {
    let drawn = 0
    const draw = (length: number) => (index: number) => {
      drawn++
      return h('li', String(index).padStart(length, '0'))
    }
    const when: number[] = []
    const pieces: string[] = []
    for (const piece of streamPage(['<ol>\n', '\u0000list-0\u0000\n</ol>'], [streamedList(Array.from({length: 250}, (_, index) => index), draw(3))])) {
      when.push(drawn)
      pieces.push(piece)
    }
    // Before the list (two chunks of the page), three batches, after it.
    expect(when).toEqual([0, 0, 100, 200, 250, 250])
    expect(pieces.join('')).toBe(`<ol>\n${Array.from({length: 250}, (_, index) => `<li>${String(index).padStart(3, '0')}</li>`).join('\n')}\n</ol>`)
    // A batch longer than a chunk comes in several: 100 items of 1,000 characters.
    const long = [...streamPage('\u0000list-0\u0000', [streamedList(Array.from({length: 100}, (_, index) => index), draw(1000))])]
    expect(long.length).toBeGreaterThanOrEqual(4)
    for (const piece of long) expect(piece.length).toBeLessThanOrEqual(chunkLength)
  })
})
