// Text stage: the documented plain text of an article, with block and quotation ranges.
import type {Nodes, Parents, PhrasingContent, Root} from 'mdast'
import type {VFile} from 'vfile'
import type {ArticleText, TextBlock} from './types.js'

/** Separator between two blocks of the article text. */
export const blockSeparator = '\n\n'

const blockTypes = new Set(['paragraph', 'heading', 'tableCell'])
const skippedTypes = new Set(['yaml', 'footnoteDefinition', 'html', 'code', 'definition', 'thematicBreak'])

/** Remark plugin: set `file.data.text` (run after `quotations`, which it reads). */
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
 * a blank line. Blockquote blocks carry the index of their quotation.
 */
export function toArticleText(tree: Root): ArticleText {
  const parts: string[] = []
  const blocks: TextBlock[] = []
  let length = 0
  let quotation = -1

  function walk(node: Nodes, inQuote: number | undefined): void {
    if (skippedTypes.has(node.type)) return
    if (node.type === 'blockquote' && inQuote === undefined) {
      quotation += 1
      for (const child of node.children) walk(child, quotation)
      return
    }
    if (blockTypes.has(node.type)) {
      const value = phrasing((node as Parents).children as PhrasingContent[]).replace(/\s+/g, ' ').trim()
      if (value === '') return
      if (parts.length > 0) length += blockSeparator.length
      const block: TextBlock = {start: length, end: length + value.length, paragraph: blocks.length, sourceOffset: node.position?.start.offset ?? 0}
      if (inQuote !== undefined) block.quotation = inQuote
      blocks.push(block)
      parts.push(value)
      length += value.length
      return
    }
    if ('children' in node) for (const child of node.children) walk(child as Nodes, inQuote)
  }

  walk(tree, undefined)
  return {value: parts.join(blockSeparator), blocks}
}

function phrasing(nodes: PhrasingContent[]): string {
  let value = ''
  for (const node of nodes) {
    if (node.type === 'text' || node.type === 'inlineCode') value += node.value
    else if (node.type === 'break') value += ' '
    else if (node.type === 'footnoteReference' || node.type === 'html' || node.type === 'image' || node.type === 'imageReference') continue
    else if ('children' in node) value += phrasing(node.children as PhrasingContent[])
  }
  return value
}

/** Count the words of a text: runs of letters or digits, joined by apostrophes or hyphens. */
export function countWords(value: string): number {
  return value.match(/[\p{L}\p{N}]+(?:['’\-‐][\p{L}\p{N}]+)*/gu)?.length ?? 0
}
