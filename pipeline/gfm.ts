// GFM syntax (remark-gfm's), each construct tokenized only where it can occur.
import {gfmFromMarkdown} from 'mdast-util-gfm'
import {gfmAutolinkLiteral} from 'micromark-extension-gfm-autolink-literal'
import {gfmFootnote} from 'micromark-extension-gfm-footnote'
import {gfmStrikethrough} from 'micromark-extension-gfm-strikethrough'
import {gfmTable} from 'micromark-extension-gfm-table'
import {gfmTaskListItem} from 'micromark-extension-gfm-task-list-item'
import {combineExtensions} from 'micromark-util-combine-extensions'
import type {Extension} from 'micromark-util-types'
import type {Root} from 'mdast'
import type {Processor} from 'unified'

/**
 * Each GFM construct of micromark, with what every occurrence of it has in
 * its Markdown source: a document without it parses to the same tree without
 * the construct. Note: the autolink literal tries an email address at every
 * letter and digit of the text, which doubles the time of a parse (its
 * source: "To do: perform email autolink literals on events, afterwards");
 * the table tries every line of a paragraph.
 */
const constructs: ReadonlyArray<{extension: () => Extension; needs: RegExp}> = [
  // `www.`, `http://`, `https://` (any case) or an email's `@`.
  {extension: gfmAutolinkLiteral, needs: /@|www\.|https?:\/\//i},
  // A call or definition starts `[^`.
  {extension: gfmFootnote, needs: /\[\^/},
  {extension: gfmStrikethrough, needs: /~/},
  // A table's head or delimiter row has a pipe.
  {extension: gfmTable, needs: /\|/},
  // `[ ]`, `[x]` or `[X]`, the space maybe a tab or a line ending.
  {extension: gfmTaskListItem, needs: /\[(?:[\t\n\r xX]|\r\n)\]/}
]

/**
 * The frontmatter as micromark-extension-frontmatter reads it: a `---` fence
 * on the first line, up to the next line of `---` (trailing spaces or tabs
 * allowed on both). Its text is never tokenized as Markdown, so what it holds
 * (the URLs of the sources, an author's email) needs no construct.
 */
const frontmatterPattern = /^---[\t ]*(?:\r\n|\r|\n)(?:[^]*?(?:\r\n|\r|\n))?---[\t ]*(?=\r\n|\r|\n|$)/

/**
 * Parse GFM as remark-gfm does (the same mdast, with the same positions),
 * with the micromark extensions of only the constructs the text after the
 * frontmatter can hold. Use after remark-parse and before remark-frontmatter,
 * where remark-gfm would be: the extensions keep remark-gfm's place and order.
 */
export function gfmWhereNeeded(this: Processor): void {
  const data = this.data()
  const micromarkExtensions = (data.micromarkExtensions ??= [])
  ;(data.fromMarkdownExtensions ??= []).push(gfmFromMarkdown())
  const slot = micromarkExtensions.length
  micromarkExtensions.push({})
  const combined = new Map<number, Extension>()
  const parse = this.parser
  if (!parse) throw new Error('gfmWhereNeeded: use remark-parse before it')
  this.parser = (document, file) => {
    const matter = frontmatterPattern.exec(document)
    const mask = neededMask(matter ? document.slice(matter[0].length) : document)
    micromarkExtensions[slot] = extensionsOf(mask, combined)
    const tree = parse(document, file)
    const first = (tree as Root).children[0]
    // A frontmatter micromark did not read as the pattern did: parse again with every construct.
    if (matter && (first?.type !== 'yaml' || first.position?.end.offset !== matter[0].length) && mask !== allConstructs) {
      micromarkExtensions[slot] = extensionsOf(allConstructs, combined)
      return parse(document, file)
    }
    return tree
  }
}

const allConstructs = (1 << constructs.length) - 1

/** The constructs a text can hold, one bit each in the order of `constructs`. */
export function neededMask(text: string): number {
  let mask = 0
  constructs.forEach((construct, index) => {
    if (construct.needs.test(text)) mask |= 1 << index
  })
  return mask
}

function extensionsOf(mask: number, combined: Map<number, Extension>): Extension {
  let extension = combined.get(mask)
  if (extension === undefined) {
    extension = combineExtensions(constructs.filter((_, index) => mask & (1 << index)).map((construct) => construct.extension()))
    combined.set(mask, extension)
  }
  return extension
}
