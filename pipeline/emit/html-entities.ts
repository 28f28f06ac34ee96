// HTML and RSS of one entity: its page (who or what it is, where it is named, what it takes part in) and its feed.
import type {ElementContent} from 'hast'
import {h} from 'hastscript'
import type {Element as XmlElement, ElementContent as XmlContent} from 'xast'
import {x} from 'xastscript'
import {toXml} from 'xast-util-to-xml'
import {articleId, entityNodeId} from '../ids.js'
import {hashParts} from '../inputs.js'
import type {SiteEntity} from '../link.js'
import type {ArticleSummary} from '../types.js'
import {chunksOf} from '../chunks.js'
import {entityNode} from './entities.js'
import {articleItem, articlePath, entityPath, eventItem, moreEvents, pageEventLimit, type EventList, type HtmlContext, type SiteEvent} from './html-items.js'
import {block, jsonLdScript, listSlot, relativeHref, renderPage, siteFooter, streamedList, streamPage, stringifyContent, text} from './html-page.js'
import {compare, serializeJson, type JsonLdDocument, type JsonLdNode} from './jsonld.js'
import {dropDisallowed} from './characters.js'
import {articleItem as articleFeedItem, eventFeedItem, feedEvent, feedItemLimit, safeXml, toRfc822} from './rss.js'

/** The files of one entity: `entities/<id>/index.html` and `entities/<id>/feed.xml`. */
export function entityPages(context: HtmlContext, entity: SiteEntity): Array<[string, string]> {
  return entityPageParts(context, entity).map(([path, parts]) => [path, [...parts].join('')])
}

/**
 * The files of one entity (`entityPages`) in pieces, each drawn as it is
 * read, the page before the feed: the page lists every article naming the
 * entity, a batch at a time (thousands for a country of an archive, whose
 * page is megabytes).
 */
export function entityPageParts(context: HtmlContext, entity: SiteEntity): Array<[string, Iterable<string>]> {
  const articles = context.articlesByEntity.get(entity.id) ?? []
  const events = context.eventsOfEntity(entity.id)
  const [page, feed] = entityFiles(entity.id)
  return [
    [page, entityPage(context, entity, articles, events)],
    // Note: the feed orders events of one date by their link, so it gets all of the date its hundredth falls on.
    [feed, drawnLater(() => entityFeed(context, entity, articles, feedEvents(context, entity)))]
  ]
}

/** A text drawn when it is read. */
function* drawnLater(draw: () => Iterable<string>): Generator<string> {
  yield* draw()
}

/** The paths of an entity's files: its page and its feed. */
export function entityFiles(id: string): [string, string] {
  const dir = entityPath(id)
  return [`${dir}index.html`, `${dir}feed.xml`]
}

/**
 * The key of an entity's files (`entityPages`): what they show besides the
 * site's constants, by the keys of the articles' outputs that show the same
 * (`articleKey`, by slug; each covers its article's record, so the
 * pipeline's version, and the site-wide facts of the entities its events
 * involve): the entity and its published node, the key and count of
 * mentions of each article naming it, the number of its events and the key,
 * number and role of those its page and feed show. Same key, same bytes: a
 * rebuild reuses them. Undefined when an article has no key.
 */
export function entityPagesKey(context: HtmlContext, entity: SiteEntity, articleKey: (slug: string) => string | undefined): string | undefined {
  const events = context.eventsOfEntity(entity.id)
  const parts = [JSON.stringify([context.site, context.base, entity, publishedNode(context, entity)]), String(events.length)]
  const articles = context.articlesByEntity.get(entity.id) ?? []
  const mentions = context.mentionsByEntity.get(entity.id) ?? []
  // Note: loops without a helper taking the rest of its arguments, which made an array for each of millions of parts at 10,000 bench articles.
  for (let index = 0; index < articles.length; index++) {
    const key = articleKey(articles[index]!.slug)
    if (key === undefined) return undefined
    parts.push(key, String(mentions[index]))
  }
  for (const {item, role} of events.first(pageEventLimit)) {
    const key = articleKey(item.article.slug)
    if (key === undefined) return undefined
    parts.push(key, item.number, role)
  }
  for (const item of feedEvents(context, entity)) {
    const key = articleKey(item.article.slug)
    if (key === undefined) return undefined
    parts.push(key, item.number)
  }
  return parts.length > 2 ? hashParts(parts) : undefined
}

/** The entity's node as the articles publish it (merged across them), else as `entityNode` makes it. */
function publishedNode(context: HtmlContext, entity: SiteEntity): {node: JsonLdNode; context: JsonLdDocument['@context']} {
  return context.nodeOf(entityNodeId(context.base, entity.id)) ?? {node: entityNode(context.base, entity), context: 'https://schema.org'}
}

const sameAsLabels: Array<[RegExp, string]> = [
  [/^https:\/\/www\.wikidata\.org\//, 'Wikidata'],
  [/^https:\/\/[a-z-]+\.wikipedia\.org\//, 'Wikipedia'],
  [/^https:\/\/sws\.geonames\.org\//, 'GeoNames']
]

function* entityPage(context: HtmlContext, entity: SiteEntity, articles: ArticleSummary[], events: EventList<{item: SiteEvent; role: string}>): Generator<string> {
  const {site, base} = context
  const from = `${entityPath(entity.id)}index.html`
  const url = `${base}${entityPath(entity.id)}`
  const published = publishedNode(context, entity)
  const sameAs = (Array.isArray(published.node['sameAs']) ? published.node['sameAs'] : []).filter((value): value is string => typeof value === 'string')
  const description = entity.description ?? `${entity.type} named in ${count(articles.length, 'article')} of ${site.title}.`
  const mentions = context.mentionsByEntity.get(entity.id) ?? []
  const body = block('article', {id: 'entity'}, [
    block('header', {}, [
      h('h1', entity.name),
      h('p', {className: ['meta']}, [
        text(entity.type),
        ...(entity.country ? [text(` · country ${entity.country}`)] : []),
        text(` · ${count(entity.mentionCount, 'mention')} in ${count(entity.articleCount, 'article')}`),
        ...(entity.linked ? [] : [text(' · read from the text, not linked to a knowledge base')])
      ]),
      entity.description ? h('p', {className: ['description']}, entity.description) : undefined
    ]),
    sameAs.length > 0
      ? block('section', {id: 'same-as'}, [
          h('h2', 'Elsewhere'),
          block(
            'ul',
            {className: ['items']},
            sameAs.map((value) => h('li', [h('a', {href: value, rel: ['external']}, sameAsLabels.find(([pattern]) => pattern.test(value))?.[1] ?? value), text(' '), h('small', value)]))
          )
        ])
      : undefined,
    block('section', {id: 'articles'}, [
      h('h2', 'Articles'),
      block('ol', {className: ['items']}, articles.length > 0 ? [listSlot(0)] : [])
    ]),
    events.length > 0
      ? block('section', {id: 'events'}, [
          h('h2', 'Events'),
          block('ol', {className: ['items']}, [listSlot(1)]),
          moreEvents(from, events.length)
        ])
      : undefined
  ])
  const feedUrl = `${base}${entityPath(entity.id)}feed.xml`
  const bodyContent: ElementContent[] = [
    h('header', {className: ['site']}, h('a', {href: relativeHref(from, '')}, site.title)),
    block('main', {}, [body, h('p', {className: ['meta']}, [h('a', {href: 'feed.xml'}, `Follow ${entity.name} (RSS)`)])]),
    siteFooter(from, site)
  ]
  const page = renderPage(
    site,
    site.language,
    {
      url,
      title: `${entity.name} — ${site.title}`,
      description,
      feeds: [
        {title: `${site.title}: ${entity.name}`, href: feedUrl},
        {title: site.title, href: `${base}feed.xml`}
      ],
      ogType: entity.type === 'Person' ? 'profile' : 'website',
      jsonLd: [jsonLdScript(serializeJson({'@context': published.context, '@graph': [published.node]}))]
    },
    bodyContent
  )
  yield* streamPage(page, [
    streamedList(Array.from(articles.keys()), (index: number) => drawnArticleItem(context, from, articles[index]!, count(mentions[index]!, 'mention'))),
    streamedList(events.first(pageEventLimit), ({item, role}) => eventItem(context, from, item, {role}))
  ])
}

/** Marks where the count of mentions goes in an article's list item (escaped HTML text holds no `<`). */
const noteMark = '<!--note-->'

/**
 * An article's list item on an entity page, as a raw node: drawn once per
 * article (every entity page is at the same depth), with its count of
 * mentions put in per page. Note: an entity named in thousands of articles
 * lists them all, and each article is on the page of every entity it names.
 */
function drawnArticleItem(context: HtmlContext, from: string, article: ArticleSummary, note: string): ElementContent {
  let parts = context.drawn.articleItems.get(article.slug)
  if (!parts) {
    const [before, after] = stringifyContent([articleItem(context, from, article, {type: 'raw', value: noteMark} as unknown as ElementContent)]).split(noteMark)
    parts = [before!, after!]
    context.drawn.articleItems.set(article.slug, parts)
  }
  return {type: 'raw', value: `${parts[0]}${stringifyContent([text(note)])}${parts[1]}`} as unknown as ElementContent
}

function count(value: number, noun: string): string {
  return `${value} ${noun}${value === 1 ? '' : 's'}`
}

/**
 * RSS 2.0 feed of the articles naming an entity and the events it takes part
 * in, newest first, built like `feed.xml` and `events.xml` (rss.ts keeps its
 * channel builder private, so the channel is made here with the same parts).
 */
function entityFeed(context: HtmlContext, entity: SiteEntity, articles: ArticleSummary[], events: SiteEvent[]): string[] {
  const {site, base, drawn, utcKeys} = context
  // Note: sorted by precomputed keys, and only the items kept are drawn; each item once for all the feeds it is in.
  const dated: Array<{key: string; guid: string; xml: () => string}> = [
    ...articles.map((article) => ({
      key: utcKeys.published(article),
      guid: articleId(base, article.slug),
      xml: () => drawnItem(drawn.articleFeedItems, article.slug, () => articleFeedItem(article, base))
    })),
    ...events.map((item) => ({
      key: utcKeys.event(item.serial),
      guid: `${base}${articlePath(item.article.slug)}#event-${item.number}`,
      xml: () => drawnEventItem(context, item)
    }))
  ]
  dated.sort((a, b) => compare(b.key, a.key) || compare(a.guid, b.guid))
  const modified = (article: ArticleSummary) => article.meta.dateModified ?? article.meta.datePublished
  let latest: {article: ArticleSummary; key: string} | undefined
  for (const article of articles) {
    const key = utcKeys.modified(article)
    if (!latest || key > latest.key) latest = {article, key}
  }
  const self = `${base}${entityPath(entity.id)}feed.xml`
  const channel = x('channel', [
    x('title', dropDisallowed(`${site.title}: ${entity.name}`)),
    x('link', `${base}${entityPath(entity.id)}`),
    x('description', dropDisallowed(`Articles naming ${entity.name} and events it takes part in, newest first.`)),
    x('language', site.language),
    x('atom:link', {href: self, rel: 'self', type: 'application/rss+xml'}),
    latest ? x('lastBuildDate', toRfc822(modified(latest.article))) : undefined,
    x(itemSlot)
  ])
  const rss = x('rss', {version: '2.0', 'xmlns:atom': 'http://www.w3.org/2005/Atom', 'xmlns:dc': 'http://purl.org/dc/elements/1.1/'}, [channel])
  const tree = x(null, [{type: 'instruction', name: 'xml', value: 'version="1.0" encoding="UTF-8"'}, {type: 'text', value: '\n'}, indent(rss, 0)])
  const items = dated.slice(0, feedItemLimit).map((item) => `\n    ${item.xml()}`)
  // Note: an event's item is let go once no other feed may draw it (the site's event items would take hundreds of megabytes).
  const uses = eventFeedUses(context)
  for (const {serial} of events) {
    if (uses[serial]! > 0) uses[serial]!--
    if (uses[serial] === 0) drawn.eventFeedItems.delete(serial)
  }
  // Note: in chunks (`Text`), the items between the channel's head and tail; made safe piece by piece, since each
  // piece after the first begins with a line break, which no `]]>` spans.
  const [head, tail] = toXml(tree).split(`\n    <${itemSlot}></${itemSlot}>`)
  return chunksOf([safeXml(head!), ...items.map(safeXml), `${safeXml(tail!)}\n`])
}

/** Stands for the items in a feed's channel, which are drawn apart: an element no feed holds. */
const itemSlot = 'newsgraph:items'

/** The events each entity feed may draw: those `entityPages` hands it. */
function feedEvents(context: HtmlContext, entity: SiteEntity): SiteEvent[] {
  return context.eventsOfEntity(entity.id).first(feedItemLimit, true).map(({item}) => item)
}

/**
 * How many entity feeds may draw each event, by its `serial`: counted once,
 * for the feeds of `drawing` (those to be drawn; by default every entity's),
 * then counted down as the feeds are drawn.
 */
export function eventFeedUses(context: HtmlContext, drawing: SiteEntity[] = context.entities): Uint16Array {
  if (!context.drawn.eventFeedUses) {
    // Note: a count per event of the site, most of them 0 (as a map, 7 MB at 10,000 bench articles; 1 MB so).
    const uses = new Uint16Array(context.events.length)
    for (const entity of drawing) for (const {serial} of feedEvents(context, entity)) uses[serial]!++
    context.drawn.eventFeedUses = uses
  }
  return context.drawn.eventFeedUses
}

/** An event's feed item as XML, drawn once for all the entity feeds it is in, kept while another may still draw it. */
function drawnEventItem(context: HtmlContext, item: SiteEvent): string {
  return drawnItem(context.drawn.eventFeedItems, item.serial, () => eventFeedItem(feedEvent(item, context.base)), eventFeedUses(context)[item.serial]! > 1)
}

/** A feed item as XML, indented as an item of a channel, drawn once per `key` (and kept in `drawn` only if `keep`). */
function drawnItem<K>(drawn: Map<K, string>, key: K, item: () => XmlElement, keep = true): string {
  let xml = drawn.get(key)
  if (xml === undefined) {
    xml = toXml(indent(item(), 2))
    if (keep) drawn.set(key, xml)
  }
  return xml
}


/** Put each child element on its own line, as rss.ts lays out its feeds. */
function indent(node: XmlElement, depth: number): XmlElement {
  if (node.children.length === 0 || !node.children.every((child) => child.type === 'element')) return node
  const children: XmlContent[] = []
  for (const child of node.children) children.push({type: 'text', value: `\n${'  '.repeat(depth + 1)}`}, indent(child as XmlElement, depth + 1))
  children.push({type: 'text', value: `\n${'  '.repeat(depth)}`})
  return {...node, children}
}
