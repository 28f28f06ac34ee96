// Frontmatter stage: YAML → plain value, keeping the YAML document for positions.
import type {Root, Yaml} from 'mdast'
import type {VFile} from 'vfile'
import {LineCounter, parseDocument} from 'yaml'
import {report} from './message.js'

/** Remark plugin: parse the `yaml` frontmatter node into `file.data.frontmatterValue`. */
export function frontmatter() {
  return function (tree: Root, file: VFile): void {
    const node = tree.children[0]
    if (!node || node.type !== 'yaml') {
      report(file, 'Unexpected article without frontmatter, expected a `---` YAML block at the start of the file', 'frontmatter-missing')
      return
    }
    parseFrontmatter(node, file)
  }
}

function parseFrontmatter(node: Yaml, file: VFile): void {
  const text = String(file)
  const fenceOffset = node.position?.start.offset ?? 0
  const offset = text.indexOf('\n', fenceOffset) + 1
  const lineCounter = new LineCounter()
  const document = parseDocument(node.value, {lineCounter, uniqueKeys: true, prettyErrors: false, strict: true})
  file.data.frontmatterSource = {document, lineCounter, offset}
  for (const error of document.errors) {
    report(file, `Unexpected invalid YAML: ${firstLine(error.message)}`, 'frontmatter-yaml', {offset: offset + error.pos[0]})
  }
  if (document.errors.length > 0) return
  try {
    // Note: a small alias budget stops "billion laughs" documents.
    file.data.frontmatterValue = document.toJS({maxAliasCount: 50})
  } catch (error) {
    report(file, `Unexpected YAML: ${firstLine(String((error as Error).message))}`, 'frontmatter-yaml', {offset})
  }
}

function firstLine(value: string): string {
  return value.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')
}
