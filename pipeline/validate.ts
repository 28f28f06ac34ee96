// Validate stage: frontmatter against its JSON Schema, errors mapped to the exact YAML node.
import type {ErrorObject} from 'ajv'
import type {VFile} from 'vfile'
import {isMap, isPair, isScalar, isSeq, type Document, type Node as YamlNode} from 'yaml'
import {report} from './message.js'
import {validateFrontmatterValue} from './schemas.js'
import type {FrontmatterSource} from './types.js'

/** Remark plugin: validate `file.data.frontmatterValue` into `file.data.frontmatter`. */
export function validateFrontmatter() {
  return function (_: unknown, file: VFile): void {
    const source = file.data.frontmatterSource
    if (!source || file.data.frontmatterValue === undefined) return
    const value = file.data.frontmatterValue
    if (validateFrontmatterValue(value)) {
      file.data.frontmatter = value
      return
    }
    reportSchemaErrors(file, source, validateFrontmatterValue.errors ?? [], 'frontmatter', file.data.frontmatterRenames)
  }
}

/**
 * Report ajv errors as messages on `file`, each placed at the YAML node it is
 * about. `prefix` names the document in ruleIds (`frontmatter-type` …).
 */
export function reportSchemaErrors(file: VFile, source: FrontmatterSource, errors: ErrorObject[], prefix: string, renames: Record<string, string> = {}): void {
  const seen = new Set<string>()
  // Note: the most telling error first when one value fails several keywords.
  const sorted = [...errors].sort((a, b) => rank(a) - rank(b))
  for (const error of sorted) {
    // Note: `if`/`then` failures repeat the errors of `then`; drop the summary.
    if (error.keyword === 'if') continue
    // Note: one message per value (a bad URL fails both `format` and `pattern`);
    // missing and unknown keys are reported one by one.
    const params = error.params as Record<string, unknown>
    const key = `${error.instancePath} ${String(params['missingProperty'] ?? params['additionalProperty'] ?? '')}`
    if (seen.has(key)) continue
    seen.add(key)
    // Note: a field read from another key (`date` for `datePublished`) is reported at that key, under its name.
    const path = toPath(error.instancePath).map((part, index) => (index === 0 && typeof part === 'string' ? (renames[part] ?? part) : part))
    const described = describe(error, path, source, prefix)
    report(file, described.reason, described.ruleId, {offset: described.offset})
  }
}

function rank(error: ErrorObject): number {
  const order = ['required', 'additionalProperties', 'type', 'format', 'enum', 'const']
  const index = order.indexOf(error.keyword)
  return index === -1 ? order.length : index
}

interface Described {
  reason: string
  ruleId: string
  offset: number
}

function describe(error: ErrorObject, path: Array<string | number>, source: FrontmatterSource, prefix: string): Described {
  const field = path.length > 0 ? `\`${path.join('.')}\`` : 'the frontmatter'
  const valueAt = offsetOf(source, path, false)
  const params = error.params as Record<string, unknown>
  switch (error.keyword) {
    case 'required': {
      const name = String(params['missingProperty'])
      return {
        reason: `Missing required field \`${[...path, name].join('.')}\`, expected it in ${field === 'the frontmatter' ? 'the frontmatter' : field}`,
        ruleId: `${prefix}-required`,
        offset: valueAt
      }
    }
    case 'additionalProperties': {
      const name = String(params['additionalProperty'])
      const allowed = allowedKeys(error)
      return {
        reason: `Unexpected unknown field \`${[...path, name].join('.')}\`, expected one of ${allowed}`,
        ruleId: `${prefix}-unknown`,
        offset: offsetOf(source, [...path, name], true)
      }
    }
    case 'type':
      return {
        reason: `Unexpected ${kindOf(nodeAt(source.document, path))} for ${field}, expected ${String(params['type']).replace(',', ' or ')}`,
        ruleId: `${prefix}-type`,
        offset: valueAt
      }
    case 'format': {
      const value = String(valueAtPath(source.document, path))
      if ((params['format'] === 'date-time' || params['format'] === 'newsgraph-date') && /^\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?)?$/.test(value)) {
        return {
          reason: `Unexpected date \`${value}\` without time zone for ${field}, expected a date-time with an offset such as \`2021-03-10T09:30:00-05:00\``,
          ruleId: 'date-missing-timezone',
          offset: valueAt
        }
      }
      return {
        reason: `Unexpected value \`${value}\` for ${field}, expected ${formatName(String(params['format']))}`,
        ruleId: `${prefix}-format`,
        offset: valueAt
      }
    }
    default: {
      if (path.length === 1 && path[0] === 'slug') {
        return {
          reason: `Unexpected slug \`${String(valueAtPath(source.document, path))}\`, expected lowercase letters, digits and single hyphens (it names a file in dist/)`,
          ruleId: 'slug-unsafe',
          offset: valueAt
        }
      }
      return {
        reason: `Unexpected value for ${field}: it ${error.message ?? 'is invalid'}`,
        ruleId: `${prefix}-invalid`,
        offset: valueAt
      }
    }
  }
}

function allowedKeys(error: ErrorObject): string {
  const properties = (error.parentSchema as {properties?: Record<string, unknown>} | undefined)?.properties
  return properties ? Object.keys(properties).map((key) => `\`${key}\``).join(', ') : 'a known field'
}

function formatName(format: string): string {
  if (format === 'uri') return 'an absolute URL'
  if (format === 'date-time') return 'an ISO 8601 date-time with an offset'
  if (format === 'newsgraph-date') return 'a date (`YYYY-MM-DD`) or a date-time with an offset'
  return `a \`${format}\``
}

function kindOf(node: unknown): string {
  if (isMap(node)) return 'mapping'
  if (isSeq(node)) return 'list'
  if (isScalar(node)) {
    const value = node.value
    if (value === null) return 'empty value'
    return typeof value
  }
  return 'value'
}

function toPath(pointer: string): Array<string | number> {
  if (pointer === '') return []
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part))
}

function nodeAt(document: Document, path: Array<string | number>): unknown {
  return path.length === 0 ? document.contents : document.getIn(path, true)
}

function valueAtPath(document: Document, path: Array<string | number>): unknown {
  const node = nodeAt(document, path)
  return isScalar(node) ? node.value : node
}

/** Offset in the file of the node at `path`, or of its key when `key` is set. */
export function offsetOf(source: FrontmatterSource, path: Array<string | number>, key: boolean): number {
  let node: unknown = source.document.contents
  let keyNode: unknown
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === part)
      if (!pair) break
      keyNode = pair.key
      node = pair.value
    } else if (isSeq(node) && typeof part === 'number') {
      keyNode = undefined
      node = node.items[part]
    } else break
  }
  const target = (key && keyNode ? keyNode : node ?? keyNode) as YamlNode | undefined
  const start = target?.range?.[0] ?? 0
  return source.offset + start
}
