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
  let lineCounter = new LineCounter()
  let document = parseDocument(node.value, {lineCounter, uniqueKeys: true, prettyErrors: false, strict: true})
  if (document.errors.length > 0) {
    // Note: Jekyll's YAML reader accepts quoted strings whose next lines are not indented; read them too, with a warning.
    const repaired = indentQuotedContinuations(node.value)
    const retryCounter = new LineCounter()
    const retry = repaired === node.value ? undefined : parseDocument(repaired, {lineCounter: retryCounter, uniqueKeys: true, prettyErrors: false, strict: true})
    if (retry && retry.errors.length === 0) {
      document = retry
      lineCounter = retryCounter
      report(file, 'Unexpected unindented line inside a quoted YAML string, expected continuation lines indented; read as Jekyll does', 'frontmatter-yaml-lenient', {offset, fatal: false})
    }
  }
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

/**
 * Indent by one space the lines that continue a quoted scalar at column 0
 * (`excerpt: "…` newline `more…"`), which YAML 1.2 forbids and Jekyll allows.
 * Note: offsets inside such a string shift by one column; the others do not move.
 */
export function indentQuotedContinuations(value: string): string {
  let quote: string | undefined
  return value
    .split('\n')
    .map((line) => {
      let out = line
      if (quote && line.length > 0 && !/^\s/.test(line)) out = ` ${line}`
      const scan = quote ? line : (/^[^#'"]*?:\s*(["'])(.*)$/.exec(line)?.slice(1).join('') ?? '')
      if (!quote && scan) quote = scan[0]
      const body = quote && !(!scan && line === '') ? (scan === line ? line : scan.slice(1)) : ''
      if (quote) {
        const closes = quote === '"' ? /(?:^|[^\\])(?:\\\\)*"/.test(body) : /(?:^|[^'])'(?!')/.test(body.replace(/''/g, ''))
        if (closes) quote = undefined
      }
      return out
    })
    .join('\n')
}

function firstLine(value: string): string {
  return value.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')
}
