// HTML page helpers: the page shell, JSON-LD script blocks, dates and links shared by the HTML emitters.
import type {Element, ElementContent, Properties, Root} from 'hast'
import {h} from 'hastscript'
import type {Site} from '../config.js'
import {chunksOf, type Text} from '../chunks.js'
import {serializeHtml} from './html-serialize.js'

/** A small stylesheet, inline so pages need no other request: system fonts, a readable measure, fits a phone. */
export const pageStyle = `
:root{color-scheme:light dark;--muted:#666;--rule:#ccc}
@media (prefers-color-scheme:dark){:root{--muted:#aaa;--rule:#444}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:42rem;padding:1rem;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;font-size:1.0625rem;line-height:1.6;overflow-wrap:break-word}
h1{font-size:1.75rem;line-height:1.25;margin:.5rem 0}
h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid var(--rule)}
img,video{max-width:100%;height:auto}
pre,table{display:block;overflow-x:auto}
figure{margin:1.5rem 0}
blockquote{margin:0;padding:0 0 0 1rem;border-left:.25rem solid var(--rule)}
figcaption,.meta,.byline,small{color:var(--muted);font-size:.9rem}
.description{font-size:1.125rem}
ul.items,ol.items{padding-left:2.25rem}
ul.items li,ol.items li{margin:.5rem 0}
.site{font-weight:600}
footer{margin-top:3rem;border-top:1px solid var(--rule);padding-top:.5rem}
`.trim()

/** What a page shows in its head besides the title. */
export interface PageHead {
  /** Absolute URL of the page (`og:url`). */
  url: string
  title: string
  description: string
  /** `canonical` link; the page's own URL when not given. */
  canonical?: string
  /** RSS feeds to announce, absolute URLs. */
  feeds: Array<{title: string; href: string}>
  /** Open Graph type and the extra `article:*` properties. */
  ogType: 'article' | 'website' | 'profile'
  ogExtra?: Array<[string, string]>
  /** JSON-LD documents to embed, each as the chunks of its script element (`jsonLdScript`). */
  jsonLd?: Array<readonly string[]>
}

/**
 * Serialize a complete HTML5 page (doctype, head, body) with a final
 * newline, in chunks: its JSON-LD, which can be the larger part of the page,
 * goes in as the chunks of its script (`jsonLdScript`), not joined to the rest.
 */
export function renderPage(site: Site, lang: string, head: PageHead, body: ElementContent[]): string[] {
  const scripts = head.jsonLd ?? []
  const meta: ElementContent[] = [
    h('meta', {charSet: 'utf-8'}),
    h('meta', {name: 'viewport', content: 'width=device-width, initial-scale=1'}),
    h('title', head.title),
    h('meta', {name: 'description', content: head.description}),
    h('link', {rel: 'canonical', href: head.canonical ?? head.url}),
    ...head.feeds.map((feed) => h('link', {rel: 'alternate', type: 'application/rss+xml', title: feed.title, href: feed.href})),
    h('meta', {property: 'og:site_name', content: site.title}),
    h('meta', {property: 'og:title', content: head.title}),
    h('meta', {property: 'og:description', content: head.description}),
    h('meta', {property: 'og:type', content: head.ogType}),
    h('meta', {property: 'og:url', content: head.url}),
    ...(head.ogExtra ?? []).map(([property, content]) => h('meta', {property, content})),
    h('style', `\n${pageStyle}\n`),
    ...scripts.map((_, index): ElementContent => ({type: 'raw', value: `\u0000jsonld-${index}\u0000`}) as unknown as ElementContent)
  ]
  const tree: Root = {
    type: 'root',
    children: [{type: 'doctype'}, text('\n'), h('html', {lang}, lines([h('head', lines(meta)), h('body', lines(body))]))]
  }
  // Note: a stand-in for each script, which the serializer writes as is (it drops NUL from every text and attribute value).
  const parts = `${serializeHtml(tree)}\n`.split(/\u0000jsonld-(\d+)\u0000/)
  return chunksOf(parts.flatMap((part, index) => (index % 2 === 1 ? scripts[Number(part)]! : [part])))
}

/** The embeddable snippet of a JSON-LD document: its script element (`jsonLdScript`) and a final newline. */
export function renderJsonLdSnippet(script: readonly string[]): string[] {
  return chunksOf([...script, '\n'])
}

/**
 * A `<script type="application/ld+json">` element holding a JSON-LD document
 * as serialized for its own file, safe to put in any HTML, in chunks (each
 * chunk of the document escaped on its own). Note: escaped JSON holds none of
 * the characters HTML disallows (JSON escapes controls and lone surrogates,
 * `escapeJsonForHtml` the rest), so it goes in as is.
 */
export function jsonLdScript(json: Text): string[] {
  const chunks = typeof json === 'string' ? [json] : [...json]
  const last = chunks.length - 1
  if (last >= 0 && chunks[last]!.endsWith('\n')) chunks[last] = chunks[last]!.slice(0, -1)
  return ['<script type="application/ld+json">\n', ...chunks.map(escapeJsonForHtml), '\n</script>']
}

/**
 * Make JSON safe inside a script element (JSON-LD 1.1 §7, HTML raw text): the
 * serializer writes script text as is, so `</script>` or `<!--` in a value
 * would end or derail the element. These characters only occur inside JSON
 * strings, where the `\uXXXX` escapes denote the very same values; U+2028 and
 * U+2029 are escaped too, for consumers that read the block as JavaScript.
 */
export function escapeJsonForHtml(json: string): string {
  // Note: C1 controls and noncharacters are escaped too: HTML forbids them raw, and the escape keeps the value.
  return json.replace(/[<>&\u2028\u2029\u007f-\u009f\ufdd0-\ufdef\ufffe\uffff]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** A stand-in for a list's items in a page that `streamPage` serializes item by item. */
export function listSlot(index: number): ElementContent {
  return {type: 'raw', value: `\u0000list-${index}\u0000`} as unknown as ElementContent
}

/** The items of a list of a streamed page, and how each is drawn. */
export interface StreamedList {
  items: readonly unknown[]
  render: (item: unknown) => ElementContent
}

/** A list for `streamPage`. */
export function streamedList<T>(items: readonly T[], render: (item: T) => ElementContent): StreamedList {
  return {items, render: render as (item: unknown) => ElementContent}
}

/**
 * A page serialized in pieces: the page (made with a `listSlot(i)` as the only
 * child of each long list; whole or in the chunks `renderPage` gives, a slot
 * never split between two) around the items of `lists[i]`, serialized a batch
 * at a time, so that neither the whole tree nor the whole text of a page that
 * grows with the corpus is held at once. Gives the bytes `renderPage` would
 * give with the items in place (`lines` puts one between items).
 */
export function* streamPage(page: Text, lists: StreamedList[], batch = 100): Generator<string> {
  for (const text of typeof page === 'string' ? [page] : page) {
    const parts = text.split(/\u0000list-(\d+)\u0000/)
    yield parts[0]!
    for (let index = 1; index < parts.length; index += 2) {
      const {items, render} = lists[Number(parts[index])]!
      for (let start = 0; start < items.length; start += batch) {
        // Note: a batch's items gathered in chunks (`chunksOf`), not joined whole: a hundred events are more than 64K characters.
        yield* chunksOf(items.slice(start, start + batch).map((item, index) => `${start === 0 && index === 0 ? '' : '\n'}${stringifyContent([render(item)])}`))
      }
      yield parts[index + 1]!
    }
  }
}

/** Serialize hast content as `renderPage` would inside a page (cleaned the same way), to embed later as a `raw` node. */
export function stringifyContent(children: ElementContent[]): string {
  return serializeHtml({type: 'root', children})
}

/** A hast text node. */
export function text(value: string): ElementContent {
  return {type: 'text', value}
}

/** Put a line break between block children, so the committed pages diff line by line. */
export function lines(children: Array<ElementContent | undefined | false>): ElementContent[] {
  const present = children.filter((child): child is ElementContent => Boolean(child))
  return present.length === 0 ? [] : [...present.flatMap((child) => [text('\n'), child]), text('\n')]
}

/** A block element whose children each start a line. */
export function block(tagName: string, properties: Properties, children: Array<ElementContent | undefined | false>): Element {
  return h(tagName, properties, lines(children))
}

/**
 * A link from the page at dist path `from` to the dist path `to` (`entities/x/`, `''` for the home page),
 * relative so dist/ works wherever it is served, and resolving to `<base><to>` on the site.
 */
export function relativeHref(from: string, to: string): string {
  const href = `${'../'.repeat(from.split('/').length - 1)}${to}`
  return href === '' ? './' : href.startsWith('#') ? `./${href}` : href
}

/** Whether a URL from a source may become a link: http(s), mailto or relative, never `javascript:` or `data:`. */
export function isSafeUrl(url: string): boolean {
  try {
    return ['http:', 'https:', 'mailto:'].includes(new URL(url, 'https://relative.invalid/').protocol)
  } catch {
    return false
  }
}

/** A link to `url` when it is safe, else the plain content. */
export function link(url: string | undefined, content: string | ElementContent[], properties: Properties = {}): ElementContent[] {
  if (url === undefined || !isSafeUrl(url)) return typeof content === 'string' ? [text(content)] : content
  return [h('a', {...properties, href: url}, content)]
}

const monthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']

/**
 * A date of any precision as people read it, in the date's own calendar day
 * (never converted to the machine's zone): "2003", "August 2003", "20 August 2003".
 */
export function formatDate(value: string): string {
  const match = /^(\d{4})(?:-(\d\d)(?:-(\d\d))?)?/.exec(value)
  if (!match) return value
  const [, year, month, day] = match
  const monthName = month ? monthNames[Number(month) - 1] : undefined
  return [day ? String(Number(day)) : undefined, monthName, year].filter(Boolean).join(' ')
}

/** A `<time>` element: the machine-readable value as written, the date as people read it. */
export function time(value: string, label = formatDate(value)): Element {
  return h('time', {dateTime: value}, label)
}

/** Names joined as in a sentence: "A", "A and B", "A, B and C". */
export function joinContent(items: ElementContent[][], conjunction = 'and'): ElementContent[] {
  return items.flatMap((item, index) => [...(index === 0 ? [] : [text(index === items.length - 1 ? ` ${conjunction} ` : ', ')]), ...item])
}

/** The footer every page shares: the site's feeds and datasets, linked relatively. */
export function siteFooter(from: string, site: Site): Element {
  const to = (path: string, label: string) => h('a', {href: relativeHref(from, path)}, label)
  const separator = () => text(' · ')
  return h('footer', {className: ['meta']}, [
    to('', site.title),
    separator(),
    to('feed.xml', 'Articles (RSS)'),
    separator(),
    to('events.xml', 'Events (RSS)'),
    separator(),
    to('graph.jsonld', 'JSON-LD'),
    separator(),
    to('data/articles.csv', 'Articles (CSV)'),
    separator(),
    to('data/entities.csv', 'Entities (CSV)'),
    separator(),
    to('data/events.csv', 'Events (CSV)')
  ])
}
