// RSS emitter: an RSS 2.0 feed of the articles, newest first, dated from the articles (never the clock).
import type {Element, ElementContent} from 'xast'
import {x} from 'xastscript'
import {toXml} from 'xast-util-to-xml'
import type {Site} from '../config.js'
import {articleId, articlePageUrl} from '../ids.js'
import type {ArticleFacts} from '../types.js'
import type {SiteEvent} from './html-items.js'
import {dropDisallowed} from './characters.js'
import {compare} from './jsonld.js'

/** Most items a feed holds. */
export const feedItemLimit = 100

/** Serialize the site's feed of articles (`feed.xml`). */
export function emitFeed(articles: ArticleFacts[], site: Site, path = 'feed.xml'): string {
  const sorted = [...articles].sort(newestFirst).slice(0, feedItemLimit)
  const latest = [...articles].sort((a, b) => compare(toUtcKey(modified(b)), toUtcKey(modified(a))))[0]
  return feed(site, {title: site.title, description: site.description, path}, latest ? toRfc822(modified(latest)) : undefined, sorted.map((article) => articleItem(article, site.baseUrl)))
}

/** An event as the events feed shows it. */
export interface FeedEvent {
  id: string
  title: string
  link: string
  description: string
  categories: string[]
  /** Date-time with offset of the item. */
  date: string
}

/** An event as the feeds show it (`events.xml`, entity feeds): its actors and what they did, its status, first evidence and CAMEO label, dated by its start (else the article's date). */
export function feedEvent(item: SiteEvent, base: string): FeedEvent {
  const {record, event} = item
  const names = [record.actor1_name, record.cameo_label.toLowerCase(), record.actor2_name].filter(Boolean).join(' — ')
  const link = `${articlePageUrl(base, item.article.slug)}#event-${item.number}`
  return {
    id: link,
    title: `${names.charAt(0).toUpperCase()}${names.slice(1)} (${event.status})`,
    link,
    description: record.evidence,
    categories: [record.cameo_label, event.status],
    date: item.date
  }
}

/** The feed item of an event (also in entity feeds). */
export function eventFeedItem(event: FeedEvent): Element {
  return x('item', [
    x('title', dropDisallowed(event.title)),
    x('link', event.link),
    x('description', dropDisallowed(event.description)),
    ...event.categories.map((category) => x('category', dropDisallowed(category))),
    x('guid', {isPermaLink: 'false'}, event.id),
    x('pubDate', toRfc822(event.date))
  ])
}

/**
 * Serialize the feed of events (`events.xml`), newest first. `lastBuildDate`
 * is the date of the newest article with events (an event may lie in the future).
 */
export function emitEventFeed(events: FeedEvent[], articles: ArticleFacts[], site: Site, path = 'events.xml'): string {
  const sorted = [...events].sort((a, b) => compare(toUtcKey(b.date), toUtcKey(a.date)) || compare(a.id, b.id)).slice(0, feedItemLimit)
  const items = sorted.map(eventFeedItem)
  const latest = articles.filter((article) => article.events.length > 0).sort((a, b) => compare(toUtcKey(modified(b)), toUtcKey(modified(a))))[0]
  return feed(site, {title: `${site.title}: events`, description: `Events reported in ${site.title}, newest first.`, path}, latest ? toRfc822(modified(latest)) : undefined, items)
}

function feed(site: Site, channel: {title: string; description: string; path: string}, lastBuildDate: string | undefined, items: Element[]): string {
  const tree = x(null, [
    {type: 'instruction', name: 'xml', value: 'version="1.0" encoding="UTF-8"'},
    {type: 'text', value: '\n'},
    indent(
      x('rss', {version: '2.0', 'xmlns:atom': 'http://www.w3.org/2005/Atom', 'xmlns:dc': 'http://purl.org/dc/elements/1.1/'}, [
        x('channel', [
          x('title', dropDisallowed(channel.title)),
          x('link', site.baseUrl),
          x('description', dropDisallowed(channel.description)),
          x('language', site.language),
          x('atom:link', {href: `${site.baseUrl}${channel.path}`, rel: 'self', type: 'application/rss+xml'}),
          lastBuildDate ? x('lastBuildDate', lastBuildDate) : undefined,
          ...items
        ])
      ]),
      0
    )
  ])
  return `${safeXml(toXml(tree))}\n`
}

/**
 * `]]>` may not appear in XML text (the serializer escapes only `<` and `&`);
 * newsgraph writes no CDATA section, so every `]]>` is text: escape its `>`.
 */
export function safeXml(xml: string): string {
  return xml.replaceAll(']]>', ']]&gt;')
}

/** Put each child element of `node` on its own line, indented by two spaces a level. */
function indent(node: Element, depth: number): Element {
  if (!node.children.every((child) => child.type === 'element') || node.children.length === 0) return node
  const children: ElementContent[] = []
  for (const child of node.children) {
    children.push({type: 'text', value: `\n${'  '.repeat(depth + 1)}`}, indent(child as Element, depth + 1))
  }
  children.push({type: 'text', value: `\n${'  '.repeat(depth)}`})
  return {...node, children}
}

/** The feed item of an article (also in entity feeds). */
export function articleItem(article: ArticleFacts, base: string): Element {
  const {meta} = article
  const categories = [meta.section, ...(meta.keywords ?? [])].filter((value): value is string => Boolean(value))
  return x('item', [
    x('title', dropDisallowed(meta.title)),
    x('link', meta.url),
    x('description', dropDisallowed(meta.description)),
    ...article.authors.map((person) => x('dc:creator', dropDisallowed(person.name))),
    ...categories.map((category) => x('category', dropDisallowed(category))),
    x('guid', {isPermaLink: 'false'}, articleId(base, article.slug)),
    x('pubDate', toRfc822(meta.datePublished))
  ])
}

function modified(article: ArticleFacts): string {
  return article.meta.dateModified ?? article.meta.datePublished
}

function newestFirst(a: ArticleFacts, b: ArticleFacts): number {
  return compare(toUtcKey(b.meta.datePublished), toUtcKey(a.meta.datePublished)) || compare(a.slug, b.slug)
}

const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const dateTime = /^(\d{4})-(\d\d)-(\d\d)[Tt ](\d\d):(\d\d):(\d\d)(?:\.\d+)?([Zz]|[+-]\d\d:?\d\d)$/

/**
 * Format an ISO 8601 date-time with offset as an RFC 822 date in the same
 * offset (`Wed, 20 Aug 2003 09:30:00 -0500`), independent of the machine's zone.
 */
export function toRfc822(value: string): string {
  const match = dateTime.exec(value)
  if (!match) throw new Error(`Unexpected date-time \`${value}\``)
  const [, year, month, day, hour, minute, second, zone] = match as unknown as string[]
  const weekday = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day))).getUTCDay()
  const offset = zone === 'Z' || zone === 'z' ? '+0000' : zone!.replace(':', '')
  return `${days[weekday]}, ${day} ${months[Number(month) - 1]} ${year} ${hour}:${minute}:${second} ${offset}`
}

const utcKeys = new Map<string, string>()

/**
 * A key that sorts date-times with offsets by the instant they denote.
 * Note: memoized (sorts call it in their comparators, for the same few
 * thousand dates again and again); the memo is emptied when it grows large.
 */
export function toUtcKey(value: string): string {
  let key = utcKeys.get(value)
  if (key === undefined) {
    if (utcKeys.size >= 100_000) utcKeys.clear()
    key = utcKey(value)
    utcKeys.set(value, key)
  }
  return key
}

/** The key of `toUtcKey`, made anew: for a value whose key is asked for once. */
export function utcKey(value: string): string {
  const match = dateTime.exec(value)
  if (!match) return value
  const [, year, month, day, hour, minute, second, zone] = match as unknown as string[]
  let minutes = 0
  if (zone !== 'Z' && zone !== 'z') {
    const digits = zone!.replace(':', '')
    minutes = (digits[0] === '-' ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)))
  }
  const utc = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute) - minutes, Number(second))
  return new Date(utc).toISOString()
}
