// The one ajv instance: every schema in schemas/ compiled once, in strict mode.
import {Ajv, type ErrorObject, type ValidateFunction} from 'ajv'
import addFormatsModule from 'ajv-formats'
import {fullFormats} from 'ajv-formats/dist/formats.js'
import articleDocument from '../schemas/article.jsonld.schema.json' with {type: 'json'}
import articleRecord from '../schemas/article-record.schema.json' with {type: 'json'}
import cameo from '../schemas/cameo.schema.json' with {type: 'json'}
import eventsLexicon from '../schemas/events-lexicon.schema.json' with {type: 'json'}
import conventionsSchema from '../schemas/conventions.schema.json' with {type: 'json'}
import eventRecord from '../schemas/event-record.schema.json' with {type: 'json'}
import evidenceRecord from '../schemas/evidence-record.schema.json' with {type: 'json'}
import participantRecord from '../schemas/participant-record.schema.json' with {type: 'json'}
import entityRecord from '../schemas/entity-record.schema.json' with {type: 'json'}
import mentionRecord from '../schemas/mention-record.schema.json' with {type: 'json'}
import frontmatterSchema from '../schemas/frontmatter.schema.json' with {type: 'json'}
import graphDocument from '../schemas/graph.jsonld.schema.json' with {type: 'json'}
import lexicon from '../schemas/lexicon.schema.json' with {type: 'json'}
import registry from '../schemas/registry.schema.json' with {type: 'json'}
import nodes from '../schemas/nodes.schema.json' with {type: 'json'}
import site from '../schemas/site.schema.json' with {type: 'json'}
import {remembered} from './remember.js'
import type {Frontmatter} from './types.js'

/** An entry of `source/entities.yaml`. */
export interface RegistryEntry {
  id: string
  type: 'Person' | 'Organization' | 'Country' | 'City' | 'Place' | 'Event' | 'Thing'
  name: string
  aliases?: string[]
  demonyms?: string[]
  wikidata?: string
  wikipedia?: string
  description?: string
  country?: string
  startDate?: string
  endDate?: string
}

/** An entry of `source/cameo.yaml`. */
export interface CameoEntry {
  code: string
  label: string
  root: string
  quadClass: 1 | 2 | 3 | 4
  goldstein: number
}

/** A trigger of `source/lexicons/events.yaml`. */
export interface TriggerEntry {
  lemma: string
  pos: 'verb' | 'noun'
  code: string
  actor1: 'subject' | 'by' | 'possessive' | 'none'
  actor2: 'object' | 'to' | 'with' | 'against' | 'on' | 'for' | 'from' | 'of' | 'none'
  forms?: string[]
  variants?: Array<{after?: string; near?: string; partners?: true; code: string}>
  /** Words of which one must head or modify the object. */
  objects?: string[]
  /** The code when the trigger's that-clause is negated. */
  negative?: string
}

/** The content of `source/lexicons/events.yaml`. */
export interface EventsLexiconData {
  triggers: TriggerEntry[]
  hypothetical: string[]
  scheduled: string[]
  announcing: string[]
  negation: string[]
  reported: string[]
  intent: Record<string, string>
  appeal: Record<string, string>
  demand: Record<string, string>
  refusal: Record<string, string>
  threat: Record<string, string>
  rejection: Record<string, string>
  partnering: string[]
  attributing: string[]
}

/** The content of `source/lexicons/names.yaml`. */
export interface NameLexiconData {
  titles: string[]
  courtesyTitles: string[]
  organizationHeads: string[]
  placeHeads: string[]
  eventHeads: string[]
  thingHeads: string[]
  connectors: string[]
  locativeCues: string[]
}

const addFormats = addFormatsModule.default

/** Every schema that newsgraph owns, keyed by file name. */
export const schemas = {
  'article-record.schema.json': articleRecord,
  'article.jsonld.schema.json': articleDocument,
  'cameo.schema.json': cameo,
  'conventions.schema.json': conventionsSchema,
  'entity-record.schema.json': entityRecord,
  'events-lexicon.schema.json': eventsLexicon,
  'event-record.schema.json': eventRecord,
  'evidence-record.schema.json': evidenceRecord,
  'participant-record.schema.json': participantRecord,
  'mention-record.schema.json': mentionRecord,
  'frontmatter.schema.json': frontmatterSchema,
  'graph.jsonld.schema.json': graphDocument,
  'lexicon.schema.json': lexicon,
  'nodes.schema.json': nodes,
  'registry.schema.json': registry,
  'site.schema.json': site
} as const

// Note: `strictTuples` is off because the article document is an open tuple (the article, then any nodes).
const ajv = new Ajv({strict: true, strictTuples: false, allErrors: true, allowUnionTypes: true, verbose: true})
addFormats(ajv)
// Note: RFC 3339 date-times only ("T", seconds, an offset with a colon); ajv-formats would also take
// "2020-02-03 10:00:00+0100", "+01" or a leap second, which no consumer downstream can rely on.
ajv.addFormat('date-time', {type: 'string', validate: (value: string) => isDateTime(value)})
// A date, or a date-time with an offset: for sources, whose time is seldom known.
ajv.addFormat('newsgraph-date', {
  type: 'string',
  validate: (value: string) => /^\d{4}-\d\d-\d\d$/.test(value) ? isCalendarDate(value) : isDateTime(value)
})
// Note: each value tested once (at most 1,024 kept: as many as 4,096 saved no more): the IRIs of the entities an article
// refers to recur in each of its nodes and documents (the RFC 3986 pattern of ajv-formats was 3% of an emit worker's time).
ajv.addFormat('uri', {type: 'string', validate: remembered(fullFormats.uri as (value: string) => boolean, 1 << 10)})
for (const schema of Object.values(schemas)) ajv.addSchema(schema)

/**
 * The validator of the schema `ref` (an `$id`, maybe with a fragment),
 * compiled when it is first called: a thread compiles only the schemas it
 * uses (a stage worker the frontmatter's, an emit worker the outputs'),
 * where compiling all 16 at import took each 0.4 s. Its `errors` are those
 * of its last call.
 */
function lazy<T>(ref: string): ValidateFunction<T> {
  let compiled: ValidateFunction<T> | undefined
  const validate = ((data: unknown, context?: Parameters<ValidateFunction<T>>[1]) => {
    if (!compiled) {
      compiled = ajv.getSchema<T>(ref)
      if (!compiled) throw new Error(`Schema ${ref} is missing`)
    }
    const valid = compiled(data, context)
    validate.errors = compiled.errors
    return valid
  }) as ValidateFunction<T>
  validate.errors = null
  return validate
}

function compile<T>(name: keyof typeof schemas): ValidateFunction<T> {
  return lazy<T>(schemas[name].$id)
}

/** Validator of article frontmatter. */
export const validateFrontmatterValue = compile<Frontmatter>('frontmatter.schema.json')
/** Validator of `source/site.yaml`. */
export const validateSiteValue = compile<unknown>('site.schema.json')
/** Validator of `source/entities.yaml`. */
export const validateRegistryValue = compile<RegistryEntry[]>('registry.schema.json')
/** Validator of `source/lexicons/names.yaml`. */
export const validateLexiconValue = compile<NameLexiconData>('lexicon.schema.json')
/** Validator of `source/conventions.yaml`. */
export const validateConventionsValue = compile<{rename: Record<string, string>; ignore: string[]; assumeTimezone: string}>('conventions.schema.json')
/** Validator of `source/cameo.yaml`. */
export const validateCameoValue = compile<CameoEntry[]>('cameo.schema.json')
/** Validator of `source/lexicons/events.yaml`. */
export const validateEventsLexiconValue = compile<EventsLexiconData>('events-lexicon.schema.json')
/** Validator of one row of `articles.csv`. */
export const validateArticleRecord = compile<unknown>('article-record.schema.json')
/** Validator of one row of `entities.csv`. */
export const validateEntityRecord = compile<unknown>('entity-record.schema.json')
/** Validator of one row of `mentions.csv`. */
export const validateMentionRecord = compile<unknown>('mention-record.schema.json')
/** Validator of one row of `events.csv`. */
export const validateEventRecord = compile<unknown>('event-record.schema.json')
/** Validator of one row of `event_participants.csv`. */
export const validateParticipantRecord = compile<unknown>('participant-record.schema.json')
/** Validator of one row of `event_evidence.csv`. */
export const validateEvidenceRecord = compile<unknown>('evidence-record.schema.json')
/** Validator of `articles/<slug>.jsonld`. */
export const validateArticleDocument = compile<unknown>('article.jsonld.schema.json')
/** Validator of `graph.jsonld`. */
export const validateGraphDocument = compile<unknown>('graph.jsonld.schema.json')

/** Whether `value` is an RFC 3339 date-time with an offset (what `format: date-time` accepts). */
export function isDateTime(value: string): boolean {
  const match = /^(\d{4}-\d\d-\d\d)T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/.exec(value)
  return match !== null && isCalendarDate(match[1]!)
}

function isCalendarDate(value: string): boolean {
  const [year, month, day] = value.split('-').map(Number) as [number, number, number]
  const date = new Date(Date.UTC(year, month - 1, day))
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

/** A one-line summary of ajv errors, for internal (output) validation failures. */
export function summarizeErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''}`.trim()).join('; ')
}

/** Validator of one node of `graph.jsonld` (any node newsgraph emits). */
export const validateGraphNode = lazy<unknown>(`${schemas['nodes.schema.json'].$id}#/definitions/node`)
