// Published schemas: the JSON Schemas of schemas/ as dist/schemas/, identified under the site's base URL.
import type {Site} from '../config.js'
import {schemas} from '../schemas.js'
import {compare, serializeJson} from './jsonld.js'

/** The base the schemas are written under in schemas/; their `$id`s start with it. */
export const authoredSchemaBase = 'https://newsgraph.example/schemas/'

/**
 * Every schema as `schemas/<file>` → JSON text, sorted by file name, with
 * each `$id` and absolute `$ref` moved from `authoredSchemaBase` to
 * `<baseUrl>schemas/`, so the published schemas name and resolve each other
 * where they are published (relative `$ref`s follow their `$id`).
 */
export function publishSchemas(site: Pick<Site, 'baseUrl'>, from: Readonly<Record<string, unknown>> = schemas): Map<string, string> {
  const base = `${site.baseUrl}schemas/`
  const published = new Map<string, string>()
  for (const file of Object.keys(from).sort(compare)) published.set(`schemas/${file}`, serializeJson(rebase(from[file], base)))
  return published
}

/** A copy of a schema with its `$id`s and `$ref`s under `base`; other keys and their order are kept. */
function rebase(value: unknown, base: string): unknown {
  if (Array.isArray(value)) return value.map((item) => rebase(item, base))
  if (value === null || typeof value !== 'object') return value
  const copy: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    const moved = (key === '$id' || key === '$ref') && typeof item === 'string' && item.startsWith(authoredSchemaBase)
    // Note: a property named `$id` or `$ref` (under `properties`) has a schema, an object, as its value: only keyword values, strings, move.
    copy[key] = moved ? `${base}${item.slice(authoredSchemaBase.length)}` : rebase(item, base)
  }
  return copy
}
