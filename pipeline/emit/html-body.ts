// HTML of an article's body: the Markdown tree rendered once, in the per-article stage, so the tree need not outlive it.
import type {ElementContent, Root as HastRoot, RootContent} from 'hast'
import {h} from 'hastscript'
import type {Root as MdastRoot} from 'mdast'
import remarkRehype from 'remark-rehype'
import {unified} from 'unified'
import type {Quotation, SourceMeta} from '../types.js'
import {isSafeUrl, link, stringifyContent, text, time} from './html-page.js'

/**
 * Markdown → hast. Raw HTML in the Markdown is dropped (remark-rehype's
 * default), so a source can never inject markup; footnotes keep their
 * `user-content-` prefix so they cannot clobber the page's own ids.
 */
const toHast = unified().use(remarkRehype, {footnoteLabel: 'Notes', footnoteLabelProperties: {}, footnoteLabelTagName: 'h2'})

/**
 * The article's Markdown as serialized HTML: without frontmatter, links made
 * safe, each quotation a figure naming its source. The page embeds it as is.
 */
export function renderArticleBody(tree: MdastRoot, quotations: Quotation[], sources: SourceMeta[]): string {
  return stringifyContent(bodyContent(tree, quotations, sources))
}

function bodyContent(tree: MdastRoot, quotationList: Quotation[], sourceList: SourceMeta[]): ElementContent[] {
  const hast: HastRoot = toHast.runSync({...tree, children: tree.children.filter((node) => node.type !== 'yaml')})
  const quotations = new Map(quotationList.map((quotation) => [quotation.sourceOffset, quotation]))
  const sources = new Map(sourceList.map((source) => [source.id, source]))
  const transform = (children: RootContent[]): void => {
    for (let index = 0; index < children.length; index++) {
      const node = children[index]!
      if (node.type !== 'element') continue
      for (const property of ['href', 'src'] as const) {
        const value = node.properties[property]
        if (typeof value === 'string' && !isSafeUrl(value)) delete node.properties[property]
      }
      const offset = node.position?.start.offset
      const quotation = node.tagName === 'blockquote' && offset !== undefined ? quotations.get(offset) : undefined
      if (quotation) {
        const source = quotation.sourceId ? sources.get(quotation.sourceId) : undefined
        const caption = source ? [h('figcaption', [text('— '), ...citation(source), text(' '), h('a', {href: `#source-${source.id}`, title: 'About this source'}, '↓')])] : []
        children[index] = h('figure', {id: `quote-${quotation.index + 1}`, className: ['quotation']}, [node, ...caption])
      }
      transform(node.children)
    }
  }
  transform(hast.children)
  return hast.children.filter((node): node is ElementContent => node.type !== 'doctype')
}

/** How a source is named: its title (linked when its URL is known), author, publisher, date and dateline. */
export function citation(source: SourceMeta): ElementContent[] {
  const parts: ElementContent[][] = [[h('cite', link(source.url, source.name))]]
  if (source.author) parts.push([text(source.author)])
  if (source.publisher) parts.push([text(source.publisher)])
  if (source.datePublished) parts.push([time(source.datePublished)])
  if (source.dateline) parts.push([text(`datelined ${source.dateline}`)])
  return parts.flatMap((part, index) => [...(index === 0 ? [] : [text(', ')]), ...part])
}
