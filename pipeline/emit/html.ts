// HTML emitter: pages for people, built from the same records as the data: the home page, one page per article and per entity.
import {h} from 'hastscript'
import {articlePages} from './html-article.js'
import {serializeDocument} from './jsonld.js'
import {entityPages} from './html-entities.js'
import type {SiteEntity} from '../link.js'
import type {Article, ArticleFacts} from '../types.js'
import {joinText} from '../chunks.js'
import {summarizeArticle} from '../summary.js'
import type {JsonLdDocument} from './jsonld.js'
import {articleItem, entityPath, eventItem, htmlContext, moreEvents, pageEventLimit, type HtmlContext, type HtmlInput, type SiteEvent} from './html-items.js'
import {block, listSlot, relativeHref, renderPage, siteFooter, streamedList, streamPage, text} from './html-page.js'

export type {HtmlInput} from './html-items.js'
export {escapeJsonForHtml} from './html-page.js'

/**
 * Every HTML output by its path in dist/: `index.html`, `articles/<slug>/index.html`
 * and `embed.html`, `entities/<id>/index.html` and `feed.xml`, for whole
 * articles and the JSON-LD `documents` published for them. Pure: no clock, no file system.
 */
export function emitHtml(input: Omit<HtmlInput, 'articles'> & {articles: Article[]}): Map<string, string> {
  const context = htmlContext({...input, articles: input.articles.map((article) => summarizeArticle(article))})
  const bySlug = new Map(input.articles.map((article) => [article.slug, article]))
  const outputs = new Map<string, string>()
  outputs.set('index.html', homePage(context))
  for (const {slug} of context.newest) {
    const article = bySlug.get(slug)!
    for (const [path, value] of articlePages(context, article, serializeDocument(publishedDocument(input.documents, article)))) outputs.set(path, joinText(value))
  }
  for (const entity of context.entities) for (const [path, value] of entityPages(context, entity)) outputs.set(path, value)
  return new Map([...outputs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

/** The JSON-LD document `emitSite` published for an article. */
function publishedDocument(documents: Map<string, JsonLdDocument> | undefined, article: ArticleFacts): JsonLdDocument {
  const document = documents?.get(`articles/${article.slug}.jsonld`)
  if (!document) throw new Error(`No JSON-LD document for article \`${article.slug}\``)
  return document
}

/** The home page (`index.html`): articles newest first, entities most mentioned first, the newest events (`pageEventLimit`). */
export function homePage(context: HtmlContext): string {
  return [...homePageParts(context)].join('')
}

/** The home page in pieces (`streamPage`): it lists every article and entity of the site, and the newest events. */
export function homePageParts(context: HtmlContext): Generator<string> {
  const {site, base} = context
  const from = 'index.html'
  // Note: most mentioned first, so the page opens on what the site is about.
  const entities = [...context.entities].sort((a, b) => b.mentionCount - a.mentionCount || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const slot = (index: number, items: {length: number}) => (items.length > 0 ? [listSlot(index)] : [])
  const body = [
    block('header', {}, [h('h1', site.title), site.description ? h('p', {className: ['description']}, site.description) : undefined]),
    block('main', {}, [
      block('section', {id: 'articles'}, [h('h2', 'Articles'), block('ol', {className: ['items']}, slot(0, context.newest))]),
      context.entities.length > 0 ? block('section', {id: 'entities'}, [h('h2', 'Entities'), block('ul', {className: ['items']}, slot(1, entities))]) : undefined,
      context.events.length > 0
        ? block('section', {id: 'events'}, [h('h2', 'Events'), block('ol', {className: ['items']}, slot(2, context.events)), moreEvents(from, context.events.length)])
        : undefined
    ]),
    siteFooter(from, site)
  ]
  const page = renderPage(
    site,
    site.language,
    {
      url: base,
      title: site.title,
      description: site.description || `Articles of ${site.title}, published as linked data.`,
      feeds: [
        {title: site.title, href: `${base}feed.xml`},
        {title: `${site.title}: events`, href: `${base}events.xml`}
      ],
      ogType: 'website'
    },
    body
  )
  return streamPage(page, [
    streamedList(context.newest, (article: ArticleFacts) => articleItem(context, from, article)),
    streamedList(entities, (entity: SiteEntity) =>
        h('li', [
          h('a', {href: relativeHref(from, entityPath(entity.id))}, entity.name),
          text(' '),
          h('small', `${entity.type} · ${entity.mentionCount} ${entity.mentionCount === 1 ? 'mention' : 'mentions'} in ${entity.articleCount} ${entity.articleCount === 1 ? 'article' : 'articles'}`)
        ])
    ),
    streamedList(context.events.first(pageEventLimit), (item: SiteEvent) => eventItem(context, from, item))
  ])
}
