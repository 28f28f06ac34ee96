// Event emitters: events, participants and evidence records; Event nodes, the CAMEO code set and the project context.
import type {Site} from '../config.js'
import {articleId, articlePageUrl, entityNodeId, sourceNodeId} from '../ids.js'
import type {CameoTable} from '../knowledge/events.js'
import type {SiteEntity} from '../link.js'
import type {CameoEntry} from '../schemas.js'
import type {Article, ArticleSummary, EventBrief, EventFacts, NewsEvent} from '../types.js'
import type {JsonLdNode} from './jsonld.js'

/** One row of `data/events.csv`. */
export interface EventRecord {
  id: string
  article_id: string
  cameo_code: string
  cameo_label: string
  cameo_root: string
  quad_class: number
  goldstein: number
  actor1_id: string
  actor1_name: string
  actor1_country: string
  actor2_id: string
  actor2_name: string
  actor2_country: string
  location_id: string
  location_name: string
  start_date: string
  end_date: string
  date_precision: string
  status: string
  negated: boolean
  source_id: string
  trigger: string
  evidence: string
  evidence_start: number
  evidence_end: number
  evidence_count: number
  confidence: number
}

/** Columns of `data/events.csv`, in order. */
export const eventColumns = [
  'id',
  'article_id',
  'cameo_code',
  'cameo_label',
  'cameo_root',
  'quad_class',
  'goldstein',
  'actor1_id',
  'actor1_name',
  'actor1_country',
  'actor2_id',
  'actor2_name',
  'actor2_country',
  'location_id',
  'location_name',
  'start_date',
  'end_date',
  'date_precision',
  'status',
  'negated',
  'source_id',
  'trigger',
  'evidence',
  'evidence_start',
  'evidence_end',
  'evidence_count',
  'confidence'
] as const satisfies ReadonlyArray<keyof EventRecord>

/** One row of `data/event_participants.csv`. */
export interface ParticipantRecord {
  event_id: string
  entity_id: string
  role: string
}

/** Columns of `data/event_participants.csv`. */
export const participantColumns = ['event_id', 'entity_id', 'role'] as const satisfies ReadonlyArray<keyof ParticipantRecord>

/** One row of `data/event_evidence.csv`: one sentence reporting an event. */
export interface EvidenceRecord {
  event_id: string
  sentence: number
  start: number
  end: number
  trigger_start: number
  trigger_end: number
  actor1_start: number | ''
  actor1_end: number | ''
  actor2_start: number | ''
  actor2_end: number | ''
  text: string
}

/** Columns of `data/event_evidence.csv`. */
export const evidenceColumns = [
  'event_id',
  'sentence',
  'start',
  'end',
  'trigger_start',
  'trigger_end',
  'actor1_start',
  'actor1_end',
  'actor2_start',
  'actor2_end',
  'text'
] as const satisfies ReadonlyArray<keyof EvidenceRecord>

/** The id of an event across the site: `<article slug>-<e1>`. */
export function eventId(article: Pick<Article, 'slug'>, event: Pick<NewsEvent, 'id'>): string {
  return `${article.slug}-${event.id}`
}

/** @id of an event node. */
export function eventNodeId(base: string, article: Pick<Article, 'slug'>, event: NewsEvent): string {
  return `${articlePageUrl(base, article.slug)}#event-${event.id.slice(1)}`
}

/** @id of a CAMEO code in the published code set. */
export function cameoNodeId(base: string, code: string): string {
  return `${base}cameo.jsonld#code-${code}`
}

/** @id of the CAMEO code set. */
export function cameoSetId(base: string): string {
  return `${base}cameo.jsonld#codes`
}

/** URL of the project context, published as `context.jsonld`. */
export function contextUrl(base: string): string {
  return `${base}context.jsonld`
}

/** The records of an article's events. */
export function eventRecords(article: Article, entities: Map<string, SiteEntity>, cameo: CameoTable): {events: EventRecord[]; participants: ParticipantRecord[]; evidence: EvidenceRecord[]} {
  const text = article.text.value
  const events: EventRecord[] = []
  const participants: ParticipantRecord[] = []
  const evidence: EvidenceRecord[] = []
  for (const event of article.events) {
    const first = event.evidence[0]!
    const id = eventId(article, event)
    events.push(eventRecord(article.slug, event, {start: first.start, end: first.end, text: text.slice(first.start, first.end), count: event.evidence.length}, entities, cameo))
    if (event.actor1) participants.push({event_id: id, entity_id: event.actor1, role: 'actor1'})
    if (event.actor2) participants.push({event_id: id, entity_id: event.actor2, role: 'actor2'})
    for (const participant of event.participants) participants.push({event_id: id, entity_id: participant.entityId, role: participant.role})
    if (event.location) participants.push({event_id: id, entity_id: event.location, role: 'location'})
    for (const item of event.evidence) {
      evidence.push({
        event_id: id,
        sentence: item.sentence,
        start: item.start,
        end: item.end,
        trigger_start: item.triggerStart,
        trigger_end: item.triggerEnd,
        actor1_start: item.actor1Start ?? '',
        actor1_end: item.actor1End ?? '',
        actor2_start: item.actor2Start ?? '',
        actor2_end: item.actor2End ?? '',
        text: text.slice(item.start, item.end)
      })
    }
  }
  return {events, participants, evidence}
}

/**
 * What the site's pages and feeds show of an event: its row of
 * `data/events.csv` but for the columns its summary does not keep (those
 * only its article's own outputs show).
 */
export type EventBriefRecord = Omit<EventRecord, 'trigger' | 'date_precision' | 'evidence_start' | 'evidence_end' | 'evidence_count' | 'confidence'>

/** What the site shows of the event at `index` of an article's summary (for the site's pages and feeds). */
export function summaryEventRecord(article: ArticleSummary, index: number, entities: Map<string, SiteEntity>, cameo: CameoTable): EventBriefRecord {
  const event = article.events.at(index)
  return briefRecord(article.slug, event, event.evidenceText, entities, cameo)
}

/** The record of one event of the article `slug`, with its first evidence and the number of its evidence sentences. */
function eventRecord(slug: string, event: EventFacts, first: {start: number; end: number; text: string; count: number}, entities: Map<string, SiteEntity>, cameo: CameoTable): EventRecord {
  // Note: the brief record's columns, then these, assigned: spread into a literal (`{...brief, …}`), a record of 27 columns
  // took V8 (Node 20) about 20 µs to make instead of 1, and the event records of 1,000 bench articles took an emit worker 0.57 s
  // instead of 0.03 (profiled).
  const record = briefRecord(slug, event, first.text, entities, cameo) as EventRecord
  record.date_precision = event.precision
  record.trigger = event.trigger
  record.evidence_start = first.start
  record.evidence_end = first.end
  record.evidence_count = first.count
  record.confidence = event.confidence
  return record
}

/** The columns of an event's record that its summary has, with the text of its first evidence. */
function briefRecord(slug: string, event: EventBrief, evidence: string, entities: Map<string, SiteEntity>, cameo: CameoTable): EventBriefRecord {
  const code = cameo.get(event.code)!
  const actor = (entityId: string | undefined) => {
    const entity = entityId ? entities.get(entityId) : undefined
    return {id: entity?.id ?? '', name: entity?.name ?? '', country: entity?.country ?? ''}
  }
  const actor1 = actor(event.actor1)
  const actor2 = actor(event.actor2)
  const location = actor(event.location)
  return {
    id: eventId({slug}, event),
    article_id: slug,
    cameo_code: code.code,
    cameo_label: code.label,
    cameo_root: code.root,
    quad_class: code.quadClass,
    goldstein: code.goldstein,
    actor1_id: actor1.id,
    actor1_name: actor1.name,
    actor1_country: actor1.country,
    actor2_id: actor2.id,
    actor2_name: actor2.name,
    actor2_country: actor2.country,
    location_id: location.id,
    location_name: location.name,
    start_date: event.startDate,
    end_date: event.endDate,
    status: event.status,
    negated: event.negated,
    source_id: event.sourceId ?? '',
    evidence
  }
}

/** schema.org `eventStatus` values for the statuses schema.org has a term for. */
const schemaStatus: Partial<Record<NewsEvent['status'], string>> = {scheduled: 'https://schema.org/EventScheduled'}

/** The Event node of an event. */
export function eventNode(base: string, article: Article, event: NewsEvent, entities: Map<string, SiteEntity>, cameo: CameoTable): JsonLdNode {
  const code = cameo.get(event.code)!
  const ref = (id: string) => ({'@id': entityNodeId(base, id)})
  const name = [event.actor1 ? entities.get(event.actor1)?.name : undefined, code.label.toLowerCase(), event.actor2 ? entities.get(event.actor2)?.name : undefined].filter(Boolean).join(' — ')
  const node: JsonLdNode = {'@id': eventNodeId(base, article, event), '@type': 'Event', name: capitalize(name)}
  if (event.startDate) node['startDate'] = event.startDate
  if (event.endDate && event.endDate !== event.startDate) node['endDate'] = event.endDate
  const status = schemaStatus[event.status]
  if (status) node['eventStatus'] = {'@id': status}
  if (event.location) node['location'] = ref(event.location)
  node['subjectOf'] = {'@id': articleId(base, article.slug)}
  node['cameoCode'] = cameoNodeId(base, event.code)
  if (event.actor1) node['actor1'] = entityNodeId(base, event.actor1)
  if (event.actor2) node['actor2'] = entityNodeId(base, event.actor2)
  const others = event.participants.map((participant) => entityNodeId(base, participant.entityId))
  if (others.length > 0) node['participant'] = [...new Set(others)]
  node['status'] = event.status
  node['negated'] = event.negated
  if (event.precision) node['datePrecision'] = event.precision
  node['assertedBy'] = event.sourceId ? sourceNodeId(base, article.slug, event.sourceId) : articleId(base, article.slug)
  node['confidence'] = event.confidence
  node['evidence'] = event.evidence.map((item) => article.text.value.slice(item.start, item.end))
  return node
}

/** The CategoryCode node of a CAMEO code. */
export function cameoNode(base: string, entry: CameoEntry): JsonLdNode {
  return {
    '@id': cameoNodeId(base, entry.code),
    '@type': 'CategoryCode',
    codeValue: entry.code,
    name: entry.label,
    inCodeSet: cameoSetId(base),
    cameoRoot: entry.root,
    quadClass: entry.quadClass,
    goldstein: entry.goldstein
  }
}

/** The CAMEO code set node (without its codes, which refer to it). */
export function cameoSetNode(base: string): JsonLdNode {
  return {
    '@id': cameoSetId(base),
    '@type': 'CategoryCodeSet',
    name: 'CAMEO event codes',
    description: 'Conflict and Mediation Event Observations (CAMEO 1.1b3) codes, with Goldstein scores and QuadClass as GDELT uses them; labels are newsgraph’s own.'
  }
}

/**
 * The project context: schema.org lacks terms for CAMEO actors, the code's
 * scores, an event's status and evidence, so they live in the project
 * namespace `<base>ns#` and are declared here, never left to `@vocab`.
 */
export function projectContext(site: Site): {'@context': Record<string, unknown>} {
  const ns = `${site.baseUrl}ns#`
  const id = (term: string) => ({'@id': `ng:${term}`, '@type': '@id'})
  return {
    '@context': {
      ng: ns,
      xsd: 'http://www.w3.org/2001/XMLSchema#',
      actor1: id('actor1'),
      actor2: id('actor2'),
      participant: id('participant'),
      assertedBy: id('assertedBy'),
      cameoCode: id('cameoCode'),
      cameoRoot: {'@id': 'ng:cameoRoot'},
      quadClass: {'@id': 'ng:quadClass', '@type': 'xsd:integer'},
      // Note: no xsd:decimal for fractions: JSON-LD writes a JSON number as a double ("6.0E-1"), which xsd:decimal forbids.
      goldstein: {'@id': 'ng:goldstein'},
      status: {'@id': 'ng:status'},
      negated: {'@id': 'ng:negated', '@type': 'xsd:boolean'},
      datePrecision: {'@id': 'ng:datePrecision'},
      confidence: {'@id': 'ng:confidence'},
      evidence: {'@id': 'ng:evidence', '@container': '@list'}
    }
  }
}

function capitalize(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1)
}
