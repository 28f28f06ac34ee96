// Quotations stage: attribute each blockquote to a source declared in frontmatter.
import type {Blockquote, FootnoteReference, Root} from 'mdast'
import {visit, SKIP} from 'unist-util-visit'
import type {VFile} from 'vfile'
import {note, report} from './message.js'
import {offsetOf} from './validate.js'

/**
 * Remark plugin: check the declared sources and set `file.data.quotations`
 * from the footnote reference (`[^id]`) that ends each blockquote.
 * `file.data.text` must be built afterwards (see `articleText`).
 */
export function quotations() {
  return function (tree: Root, file: VFile): void {
    const meta = file.data.frontmatter
    if (!meta) return
    const declared = declaredSources(file)
    const found: Array<{sourceId: string | undefined; sourceOffset: number}> = []
    visit(tree, (node) => {
      if (node.type === 'footnoteDefinition') return SKIP
      if (node.type !== 'blockquote') return undefined
      found.push({sourceId: attribution(node, declared, file), sourceOffset: node.position?.start.offset ?? 0})
      return SKIP
    })
    file.data.quotations = found.map((quote, index) => ({index, ...quote, text: '', start: 0, end: 0}))
  }
}

function declaredSources(file: VFile): Set<string> {
  const sources = file.data.frontmatter?.sources ?? []
  const first = new Map<string, number>()
  const frontmatterSource = file.data.frontmatterSource!
  sources.forEach((source, index) => {
    if (source.dateline !== undefined && source.type !== 'NewsArticle') {
      report(file, `Unexpected \`dateline\` on a source of type \`${source.type}\`, expected it only on a \`NewsArticle\``, 'source-dateline', {
        offset: offsetOf(frontmatterSource, ['sources', index, 'dateline'], true)
      })
    }
    const previous = first.get(source.id)
    if (previous === undefined) {
      first.set(source.id, index)
      return
    }
    const cause = note(file, `Source \`${source.id}\` is first declared here`, offsetOf(frontmatterSource, ['sources', previous, 'id'], false))
    report(file, `Unexpected second source with id \`${source.id}\`, expected each source id once`, 'source-duplicate', {
      offset: offsetOf(frontmatterSource, ['sources', index, 'id'], false),
      cause
    })
  })
  return new Set(first.keys())
}

function attribution(node: Blockquote, declared: Set<string>, file: VFile): string | undefined {
  const references: FootnoteReference[] = []
  visit(node, (child) => {
    if (child.type === 'footnoteReference') references.push(child)
    if (child.type === 'text') {
      for (const match of child.value.matchAll(/\[\^([^\]\s]+)\]/g)) {
        report(file, `Unexpected footnote reference \`[^${match[1]}]\` without definition, expected a line \`[^${match[1]}]: …\` after the article`, 'quote-footnote-undefined', {
          offset: (child.position?.start.offset ?? 0) + match.index
        })
      }
    }
  })
  let sourceId: string | undefined
  for (const reference of references) {
    const id = reference.identifier
    if (declared.has(id)) sourceId = id
    else {
      const expected = declared.size > 0 ? `one of ${[...declared].map((name) => `\`${name}\``).join(', ')}` : 'a source declared in `sources`'
      report(file, `Unexpected quotation attributed to undeclared source \`[^${reference.label ?? id}]\`, expected ${expected}`, 'quote-source-undeclared', {
        offset: reference.position?.start.offset ?? 0
      })
    }
  }
  if (references.length === 0) {
    report(file, 'Unexpected quotation without source, expected a footnote reference `[^id]` to a declared source at its end', 'quote-source-missing', {
      offset: node.position?.start.offset ?? 0,
      fatal: false
    })
  }
  return sourceId
}
