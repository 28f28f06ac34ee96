// HTML of one article: its page (the Markdown rendered, quotations with their sources, entities, events, JSON-LD) and its embed snippet.
import type {Element} from 'hast'
import {h} from 'hastscript'
import {articlePageUrl} from '../ids.js'
import type {Article} from '../types.js'
import type {Text} from '../chunks.js'
import {citation} from './html-body.js'
import {articlePath, byline, entityPath, eventItem, type HtmlContext} from './html-items.js'
import {block, joinContent, jsonLdScript, link, relativeHref, renderJsonLdSnippet, renderPage, siteFooter, text, time} from './html-page.js'

/** The pages of one article: `articles/<slug>/index.html` and `articles/<slug>/embed.html`, in chunks; `json` is its JSON-LD document as serialized for its own file. */
export function articlePages(context: HtmlContext, article: Article, json: Text): Array<[string, Text]> {
  const dir = articlePath(article.slug)
  // Note: escaped once, for the page and the snippet.
  const script = jsonLdScript(json)
  return [
    [`${dir}index.html`, articlePage(context, article, script)],
    [`${dir}embed.html`, renderJsonLdSnippet(script)]
  ]
}

function articlePage(context: HtmlContext, article: Article, script: readonly string[]): Text {
  const {site, base} = context
  const {meta} = article
  const from = `${articlePath(article.slug)}index.html`
  const url = articlePageUrl(base, article.slug)
  const ogExtra: Array<[string, string]> = [
    ['article:published_time', meta.datePublished],
    ...(meta.dateModified ? [['article:modified_time', meta.dateModified] as [string, string]] : []),
    ...(meta.section ? [['article:section', meta.section] as [string, string]] : []),
    ...(meta.keywords ?? []).map((keyword): [string, string] => ['article:tag', keyword])
  ]
  const header = block('header', {}, [
    h('h1', meta.title),
    h('p', {className: ['description']}, meta.description),
    h('p', {className: ['byline']}, [
      text('By '),
      ...byline(article),
      text(' · '),
      ...link(meta.publisher.url, meta.publisher.name),
      text(' · '),
      time(meta.datePublished),
      ...(meta.dateModified && meta.dateModified !== meta.datePublished ? [text(' · updated '), time(meta.dateModified)] : [])
    ]),
    h('p', {className: ['meta']}, [
      ...(meta.section ? [text(`${meta.section} · `)] : []),
      text('Originally published at '),
      ...link(meta.url, hostOf(meta.url))
    ])
  ])
  const body = block('article', {id: 'article'}, [
    header,
    h('div', {className: ['body']}, [{type: 'raw', value: article.body}]),
    sourcesSection(article),
    entitiesSection(context, article, from),
    eventsSection(context, article, from),
    block('section', {id: 'data'}, [
      h('h2', 'Data'),
      h('p', {className: ['meta']}, [
        text('This article as linked data: '),
        h('a', {href: relativeHref(from, `articles/${article.slug}.jsonld`)}, 'JSON-LD'),
        text(' · '),
        h('a', {href: relativeHref(from, `${articlePath(article.slug)}embed.html`)}, 'embeddable snippet'),
        text(' (paste it into another page to describe this article to search engines).')
      ])
    ])
  ])
  return renderPage(
    site,
    meta.language,
    {
      url,
      title: meta.title,
      description: meta.description,
      canonical: meta.url,
      feeds: [{title: site.title, href: `${base}feed.xml`}],
      ogType: 'article',
      ogExtra,
      jsonLd: [script]
    },
    [h('header', {className: ['site']}, h('a', {href: relativeHref(from, '')}, site.title)), block('main', {}, [body]), siteFooter(from, site)]
  )
}

function sourcesSection(article: Article): Element | undefined {
  if (article.sources.length === 0) return undefined
  return block('section', {id: 'sources'}, [
    h('h2', 'Sources'),
    block(
      'ul',
      {className: ['items']},
      article.sources.map((source) => {
        const quoted = article.quotations.filter((quotation) => quotation.sourceId === source.id)
        const references = quoted.map((quotation) => [h('a', {href: `#quote-${quotation.index + 1}`}, `quotation ${quotation.index + 1}`)])
        return h('li', {id: `source-${source.id}`}, [
          ...citation(source),
          h('br'),
          h('small', [text(source.type), ...(references.length > 0 ? [text(' · quoted in '), ...joinContent(references)] : [])])
        ])
      })
    )
  ])
}

function entitiesSection(context: HtmlContext, article: Article, from: string): Element | undefined {
  if (article.entities.length === 0) return undefined
  const counts = new Map<string, number>()
  for (const mention of article.mentions) counts.set(mention.entityId, (counts.get(mention.entityId) ?? 0) + 1)
  const about = new Set(article.about)
  const ordered = [...article.entities].sort(
    (a, b) => Number(about.has(b.id)) - Number(about.has(a.id)) || (counts.get(b.id) ?? 0) - (counts.get(a.id) ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  )
  return block('section', {id: 'entities'}, [
    h('h2', 'Named in this article'),
    block(
      'ul',
      {className: ['items']},
      ordered.map((entity) => {
        const count = counts.get(entity.id) ?? 0
        const name = context.entityById.get(entity.id)?.name ?? entity.name
        return h('li', [
          h('a', {href: relativeHref(from, entityPath(entity.id))}, name),
          text(' '),
          h('small', [text(`${entity.type} · ${count} ${count === 1 ? 'mention' : 'mentions'}`), ...(about.has(entity.id) ? [text(' · main subject')] : [])])
        ])
      })
    )
  ])
}

function eventsSection(context: HtmlContext, article: Article, from: string): Element | undefined {
  const events = context.eventsOfArticle(article.slug)
  if (events.length === 0) return undefined
  return block('section', {id: 'events'}, [
    h('h2', 'Events reported'),
    block(
      'ol',
      {className: ['items']},
      events.map((item) => eventItem(context, from, item, {anchor: true}))
    )
  ])
}

function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}
