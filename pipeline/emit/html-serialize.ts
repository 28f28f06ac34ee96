// Serialize the hast trees the HTML emitters build: the bytes hast-util-to-html gives (as rehype-stringify configures it), in one pass that also drops the characters HTML does not allow.
import type {Element, Nodes, Parents, Properties} from 'hast'
import {toHtml} from 'hast-util-to-html'
import {htmlVoidElements} from 'html-void-elements'
import {stringify as commas} from 'comma-separated-tokens'
import {find, html} from 'property-information'
import {stringify as spaces} from 'space-separated-tokens'
import {disallowed, dropDisallowed} from './characters.js'

/** In text: `<` and `&` as hexadecimal references, as hast-util-to-html writes them. */
const textPattern = new RegExp(`[<&]|${disallowed}`, 'g')
/** In a double-quoted attribute value: `"`, `&`, `'` and `` ` ``. */
const attributePattern = new RegExp(`["&'\`]|${disallowed}`, 'g')
/** In an attribute name (never met in newsgraph's trees, handled all the same). */
const namePattern = /[\0\t\n\f\r "&'/<=>`]/g

const voids = new Set(htmlVoidElements)

function reference(character: string): string {
  const code = character.charCodeAt(0)
  // Note: what is not escaped is dropped (the disallowed characters); NUL is both, and dropped.
  return code < 0x20 || code >= 0xd800 ? '' : `&#x${code.toString(16).toUpperCase()};`
}

function escapeText(value: string): string {
  return value.replace(textPattern, reference)
}

/** An attribute's serialized name and how its value is read, by property name. */
const attributes = new Map<string, {name: string; info: ReturnType<typeof find>}>()

function attributeOf(key: string): {name: string; info: ReturnType<typeof find>} {
  let found = attributes.get(key)
  if (!found) {
    const info = find(html, key)
    found = {name: info.attribute.replace(namePattern, reference), info}
    attributes.set(key, found)
  }
  return found
}

function serializeAttributes(properties: Properties): string {
  let result = ''
  for (const key in properties) {
    let value = properties[key]
    if (value === null || value === undefined) continue
    const {name, info} = attributeOf(key)
    if (typeof value === 'string') value = dropDisallowed(value)
    else if (Array.isArray(value)) value = value.map((item) => (typeof item === 'string' ? dropDisallowed(item) : item))
    if (info.overloadedBoolean && (value === info.attribute || value === '')) value = true
    else if ((info.boolean || info.overloadedBoolean) && (typeof value !== 'string' || value === info.attribute || value === '')) value = Boolean(value)
    if (value === false || (typeof value === 'number' && Number.isNaN(value))) continue
    const serialized = value === true ? name : `${name}="${(Array.isArray(value) ? (info.commaSeparated ? commas(value) : spaces(value)) : String(value)).replace(attributePattern, reference)}"`
    result += ` ${serialized}`
  }
  return result
}

function serializeElement(node: Element): string {
  // Note: SVG and templates have rules of their own; newsgraph's trees hold none, so they go to hast-util-to-html whole.
  if (node.tagName === 'svg' || node.tagName === 'template') return toHtml(cleaned(node), {allowDangerousHtml: true})
  const content = serializeChildren(node)
  const open = `<${node.tagName}${serializeAttributes(node.properties)}>`
  return voids.has(node.tagName.toLowerCase()) && content === '' ? open : `${open}${content}</${node.tagName}>`
}

function serializeChildren(parent: Parents): string {
  const verbatim = parent.type === 'element' && (parent.tagName === 'script' || parent.tagName === 'style')
  let result = ''
  for (const child of parent.children) result += serializeNode(child as Nodes, verbatim)
  return result
}

function serializeNode(node: Nodes | {type: 'raw'; value: string}, verbatim = false): string {
  switch (node.type) {
    case 'root':
      return serializeChildren(node)
    case 'element':
      return serializeElement(node)
    case 'text':
      return verbatim ? dropDisallowed(node.value) : escapeText(node.value)
    case 'raw':
      return node.value
    case 'doctype':
      return '<!doctype html>'
    default:
      return toHtml(cleaned(node), {allowDangerousHtml: true})
  }
}

/** A copy of `node` with the disallowed characters dropped from its texts and attribute values (for hast-util-to-html). */
function cleaned<T extends Nodes>(node: T): T {
  const copy = structuredClone(node)
  const visit = (item: Nodes): void => {
    if (item.type === 'text' || item.type === 'comment') item.value = dropDisallowed(item.value)
    if (item.type === 'element') {
      for (const [key, value] of Object.entries(item.properties)) {
        if (typeof value === 'string') item.properties[key] = dropDisallowed(value)
        else if (Array.isArray(value)) item.properties[key] = value.map((entry) => (typeof entry === 'string' ? dropDisallowed(entry) : entry))
      }
      if (item.content) visit(item.content)
    }
    if ('children' in item) for (const child of item.children) visit(child as Nodes)
  }
  visit(copy)
  return copy
}

/**
 * Serialize a hast tree as hast-util-to-html does with `allowDangerousHtml`
 * (raw nodes as is: only the ones newsgraph makes itself, an article body
 * serialized with `stringifyContent` and JSON-LD scripts; remark-rehype
 * drops the raw HTML of sources before that), with the
 * characters HTML does not allow dropped from texts and attribute values.
 * Note: a string is built in one walk; hast-util-to-html looks each property
 * up, escapes through a general encoder and joins every level of the tree
 * again, which made it the largest cost of a build.
 */
export function serializeHtml(tree: Nodes): string {
  return serializeNode(tree)
}
