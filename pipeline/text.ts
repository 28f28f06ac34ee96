// Text stage: the documented plain text of an article, with block, quotation and source ranges.
import type {Nodes, Parents, PhrasingContent, Root} from 'mdast'
import type {VFile} from 'vfile'
import type {ArticleText, TextBlock, TextLink, TextSegment} from './types.js'

/** Separator between two blocks of the article text. */
export const blockSeparator = '\n\n'

const blockTypes = new Set(['paragraph', 'heading', 'tableCell'])
const skippedTypes = new Set(['yaml', 'footnoteDefinition', 'html', 'code', 'definition', 'thematicBreak'])

/** Remark plugin: set `file.data.text` (run after `quotations`, whose ranges it fills in). */
export function articleText() {
  return function (tree: Root, file: VFile): void {
    const text = toArticleText(tree)
    file.data.text = text
    for (const quotation of file.data.quotations ?? []) {
      const blocks = text.blocks.filter((block) => block.quotation === quotation.index)
      if (blocks.length === 0) continue
      quotation.start = blocks[0]!.start
      quotation.end = blocks.at(-1)!.end
      quotation.text = text.value.slice(quotation.start, quotation.end)
    }
  }
}

/**
 * Build the article text: each prose block once, in document order, joined by
 * a blank line. Inside a block, line breaks and tabs become spaces (one for
 * one, so offsets stay exact) and the ends are trimmed. Blockquote blocks
 * carry the index of their quotation.
 */
export function toArticleText(tree: Root): ArticleText {
  let value = ''
  const blocks: TextBlock[] = []
  const segments: TextSegment[] = []
  const links: TextLink[] = []
  let quotation = -1

  function walk(node: Nodes, inQuote: number | undefined): void {
    if (skippedTypes.has(node.type)) return
    if (node.type === 'blockquote' && inQuote === undefined) {
      quotation += 1
      for (const child of node.children) walk(child, quotation)
      return
    }
    if (blockTypes.has(node.type)) {
      const pieces: Piece[] = []
      const blockLinks: Array<{from: number; to: number; url: string}> = []
      phrasing((node as Parents).children as PhrasingContent[], pieces, blockLinks)
      let block = pieces.map((piece) => piece.value).join('')
      const lead = block.length - block.trimStart().length
      block = block.trim()
      if (block === '') return
      if (blocks.length > 0) value += blockSeparator
      const start = value.length
      let offset = start - lead
      for (const piece of pieces) {
        const from = Math.max(offset, start)
        const to = Math.min(offset + piece.value.length, start + block.length)
        if (to > from) segments.push({start: from, end: to, sourceStart: piece.sourceStart + (piece.exact ? from - offset : 0), exact: piece.exact})
        offset += piece.value.length
      }
      for (const link of blockLinks) {
        const from = Math.max(start, start - lead + link.from)
        const to = Math.min(start + block.length, start - lead + link.to)
        if (to > from) links.push({start: from, end: to, url: link.url})
      }
      value += block
      const entry: TextBlock = {start, end: value.length, paragraph: blocks.length, sourceOffset: node.position?.start.offset ?? 0}
      if (inQuote !== undefined) entry.quotation = inQuote
      blocks.push(entry)
      return
    }
    if ('children' in node) for (const child of node.children) walk(child as Nodes, inQuote)
  }

  walk(tree, undefined)
  return {value, blocks, segments, links}
}

interface Piece {
  value: string
  sourceStart: number
  exact: boolean
}

function phrasing(nodes: PhrasingContent[], pieces: Piece[], links: Array<{from: number; to: number; url: string}>): void {
  for (const node of nodes) {
    if (node.type === 'link') {
      const from = length(pieces)
      phrasing(node.children, pieces, links)
      links.push({from, to: length(pieces), url: node.url})
      continue
    }
    if (node.type === 'text' || node.type === 'inlineCode') {
      const start = node.position?.start.offset ?? 0
      const end = node.position?.end.offset ?? start
      // Note: inline code's position includes its backticks; escapes and character references change length.
      const exact = node.type === 'text' && end - start === node.value.length
      pieces.push({value: node.value.replace(/[\t\n\r\f\v]/g, ' '), sourceStart: start, exact})
    } else if (node.type === 'break') {
      pieces.push({value: ' ', sourceStart: node.position?.start.offset ?? 0, exact: false})
    } else if (node.type === 'footnoteReference' || node.type === 'html' || node.type === 'image' || node.type === 'imageReference') {
      continue
    } else if ('children' in node) phrasing(node.children as PhrasingContent[], pieces, links)
  }
}

function length(pieces: Piece[]): number {
  let total = 0
  for (const piece of pieces) total += piece.value.length
  return total
}

/** Offset in the source file of an offset in the article text (exact inside plain text). */
export function toSourceOffset(text: ArticleText, offset: number): number {
  let low = 0
  let high = text.segments.length - 1
  while (low <= high) {
    const middle = (low + high) >> 1
    const segment = text.segments[middle]!
    if (offset < segment.start) high = middle - 1
    else if (offset >= segment.end) low = middle + 1
    else return segment.sourceStart + (segment.exact ? offset - segment.start : 0)
  }
  const previous = text.segments[Math.max(0, high)]
  return previous ? previous.sourceStart : 0
}

/** Count the words of a text: runs of letters or digits, joined by apostrophes or hyphens. */
export function countWords(value: string): number {
  return value.match(/[\p{L}\p{N}]+(?:['’\-‐][\p{L}\p{N}]+)*/gu)?.length ?? 0
}
