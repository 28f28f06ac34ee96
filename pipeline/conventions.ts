// Conventions stage: read Jekyll, Hugo and Eleventy frontmatter as newsgraph's own, with defaults from the site.
import type {Root} from 'mdast'
import {toString} from 'mdast-util-to-string'
import type {VFile} from 'vfile'
import type {Site} from './config.js'
import {findDates} from './extract/dates.js'
import {articlePageUrl, slugify} from './ids.js'
import {report} from './message.js'
import {schemas, validateConventionsValue} from './schemas.js'
import type {FrontmatterSource} from './types.js'
import {offsetOf} from './validate.js'
import {parseYamlFile} from './yaml-data.js'

/** The conventions of `source/conventions.yaml`. */
export interface Conventions {
  rename: Map<string, string>
  ignore: Set<string>
  assumeTimezone: string
}

/** Options of the `conventions` plugin. */
export interface ConventionOptions {
  conventions: Conventions
  site: Site
}

const ownKeys = new Set(Object.keys(schemas['frontmatter.schema.json'].properties))

/** Parse `conventions.yaml`: messages go on `file`. */
export function parseConventions(file: VFile): Conventions | undefined {
  const parsed = parseYamlFile(file, validateConventionsValue, 'conventions')
  if (!parsed) return undefined
  return {rename: new Map(Object.entries(parsed.value.rename)), ignore: new Set(parsed.value.ignore), assumeTimezone: parsed.value.assumeTimezone}
}

/**
 * Remark plugin: map foreign frontmatter keys onto newsgraph's fields
 * (`date` → `datePublished`, `authors` → `author`, `tags` → `keywords` …),
 * drop keys about layout, and, for such foreign articles only, fill what they
 * lack from the article and the site (title from the first heading, date from
 * a dateline, canonical URL, publisher, language, description). newsgraph's
 * own articles are left to strict validation.
 */
export function conventions(options: ConventionOptions) {
  return function (tree: Root, file: VFile): void {
    const value = file.data.frontmatterValue
    const source = file.data.frontmatterSource
    if (!source || !value || typeof value !== 'object' || Array.isArray(value)) return
    const record = value as Record<string, unknown>
    const foreign = mapKeys(record, file, source, options.conventions)
    if (foreign) {
      // Note: generators leave fields empty ("description:"); an empty value is a missing one.
      for (const key of Object.keys(record)) if (record[key] === null || record[key] === '') delete record[key]
      // Note: in an article written for another generator an unknown key is most likely its own; ours would be a typo.
      for (const key of Object.keys(record)) {
        if (ownKeys.has(key)) continue
        delete record[key]
        report(file, `Ignored unknown \`${key.length > 40 ? `${key.slice(0, 40)}…` : key}\`: newsgraph has no such field`, 'frontmatter-ignored', {offset: offsetOf(source, [key], true), fatal: false})
      }
      fillDefaults(record, file, tree, options)
    }
    if (record['author'] === undefined) {
      report(file, 'Unexpected article without `author`, expected the author’s name for the byline and JSON-LD', 'author-missing', {offset: source.offset, fatal: false})
    }
  }
}

function mapKeys(record: Record<string, unknown>, file: VFile, source: FrontmatterSource, conventions: Conventions): boolean {
  let foreign = false
  for (const key of Object.keys(record)) {
    if (ownKeys.has(key)) continue
    const target = conventions.rename.get(key)
    if (target) {
      foreign = true
      const raw = record[key]
      delete record[key]
      if (record[target] === undefined) {
        record[target] = convert(target, raw, file, offsetOf(source, [key], false), conventions)
        ;(file.data.frontmatterRenames ??= {})[target] = key
      }
    } else if (conventions.ignore.has(key)) {
      foreign = true
      delete record[key]
      report(file, `Ignored \`${key}\`: it is about layout or the site, not the article`, 'frontmatter-ignored', {offset: offsetOf(source, [key], true), fatal: null})
    }
  }
  return foreign
}

/** Convert a foreign value to the shape of newsgraph's field; leave anything else to validation. */
function convert(target: string, raw: unknown, file: VFile, offset: number, conventions: Conventions): unknown {
  switch (target) {
    case 'datePublished':
    case 'dateModified':
      return typeof raw === 'string' || raw instanceof Date ? withTimezone(String(raw instanceof Date ? raw.toISOString() : raw), file, offset, conventions) : raw
    case 'author': {
      const list = Array.isArray(raw) ? raw : [raw]
      const people = list.map((item) => (typeof item === 'string' || typeof item === 'number' ? {name: String(item)} : item))
      return Array.isArray(raw) ? people : people[0]
    }
    case 'keywords': {
      const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : [raw]
      return [...new Set(list.filter((item) => typeof item === 'string' || typeof item === 'number').map((item) => String(item).trim()).filter(Boolean))]
    }
    case 'section':
      return Array.isArray(raw) ? (raw.find((item) => typeof item === 'string') ?? raw[0]) : raw
    case 'language':
      return typeof raw === 'string' ? raw.replace('_', '-') : raw
    case 'slug': {
      if (typeof raw !== 'string') return raw
      const segment = raw.split('/').filter(Boolean).at(-1) ?? ''
      return slugify(segment.replace(/\.[a-z]+$/i, ''))
    }
    default:
      return typeof raw === 'string' ? raw.trim() : raw
  }
}

/** "2014-03-12 10:11:00 -0400" → "2014-03-12T10:11:00-04:00"; without a zone, the assumed one, with a warning. */
function withTimezone(value: string, file: VFile, offset: number, conventions: Conventions): string {
  const match = /^(\d{4}-\d\d-\d\d)(?:[T ](\d\d?:\d\d)(:\d\d(?:\.\d+)?)?)?\s*(Z|[+-]\d\d?(?::?\d\d)?)?$/i.exec(value.trim())
  if (!match) return value
  const [, day, time, seconds, zone] = match
  const clock = `${(time ?? '00:00').padStart(5, '0')}${seconds ?? ':00'}`
  if (zone) return `${day}T${clock}${normalizeZone(zone)}`
  report(file, `Date \`${value}\` has no time zone: read as ${conventions.assumeTimezone} (\`assumeTimezone\` in conventions.yaml); add an offset to be exact`, 'date-assumed-timezone', {offset, fatal: false})
  return `${day}T${clock}${conventions.assumeTimezone}`
}

/** "Z", "-4", "-0400", "+05:30" → "Z", "-04:00", "-04:00", "+05:30". */
function normalizeZone(zone: string): string {
  if (zone.toUpperCase() === 'Z') return 'Z'
  const [, sign, hours, minutes] = /^([+-])(\d\d?):?(\d\d)?$/.exec(zone)!
  return `${sign}${hours!.padStart(2, '0')}:${minutes ?? '00'}`
}

/** Fill a foreign article's missing fields from its body and the site. */
function fillDefaults(record: Record<string, unknown>, file: VFile, tree: Root, options: ConventionOptions): void {
  const {site, conventions: known} = options
  const blocks = tree.children.filter((node) => node.type !== 'yaml')
  const heading = blocks.find((node) => node.type === 'heading')
  if (record['title'] === undefined && heading) {
    record['title'] = toString(heading)
    report(file, 'No `title`: using the first heading', 'title-from-heading', {offset: heading.position?.start.offset ?? 0, fatal: false})
  }
  const paragraphs = blocks.filter((node) => node.type === 'paragraph')
  if (record['datePublished'] === undefined) {
    // A dateline: a paragraph that is nothing but a date, near the top ("December 10, 2013").
    for (const paragraph of paragraphs.slice(0, 2)) {
      const text = toString(paragraph).trim()
      const date = findDates(text, '2000-01-01').find((item) => item.start === 0 && item.end === text.length && item.precision === 'day')
      if (!date) continue
      record['datePublished'] = `${date.startDate}T00:00:00${known.assumeTimezone}`
      report(file, `No \`datePublished\`: using the dateline \`${text}\`, at midnight ${known.assumeTimezone}`, 'date-from-dateline', {offset: paragraph.position?.start.offset ?? 0, fatal: false})
      break
    }
  }
  // Jekyll dates a post by its file name ("2014-09-25-design-studio.md") when the frontmatter does not.
  const named = /^(\d{4}-\d\d-\d\d)-/.exec(file.stem ?? '')
  if (record['datePublished'] === undefined && named) {
    record['datePublished'] = `${named[1]}T00:00:00${known.assumeTimezone}`
    report(file, `No \`datePublished\`: using the date of the file name, at midnight ${known.assumeTimezone}`, 'date-from-filename', {fatal: false})
  }
  const slug = typeof record['slug'] === 'string' ? record['slug'] : slugify(file.stem ?? '')
  const derived: string[] = []
  if (record['url'] === undefined && slug) {
    record['url'] = articlePageUrl(site.baseUrl, slug)
    derived.push('`url` (its page on this site)')
  }
  if (record['publisher'] === undefined) {
    record['publisher'] = {name: site.title, url: site.baseUrl}
    derived.push('`publisher` (the site)')
  }
  if (record['language'] === undefined) {
    record['language'] = site.language
    derived.push('`language` (the site’s)')
  }
  if (record['description'] === undefined) {
    const first = paragraphs.map((node) => toString(node).replace(/\s+/g, ' ').trim()).find((text) => text.length > 40)
    if (first) {
      record['description'] = first.length > 300 ? `${first.slice(0, 300).replace(/\s+\S*$/, '')}…` : first
      derived.push('`description` (its first paragraph)')
    }
  }
  if (derived.length > 0) report(file, `Derived ${derived.join(', ')}`, 'frontmatter-derived', {fatal: null})
}
