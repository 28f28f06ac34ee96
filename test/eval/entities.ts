// Entity evaluation: scores extraction against MEANTIME's named mentions and the seed's hand annotation.
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import nlp from 'compromise'
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {extractEntities} from '../../pipeline/extract/entities.js'
import type {Knowledge} from '../../pipeline/knowledge/index.js'
import {toArticleText, toSourceOffset} from '../../pipeline/text.js'
import type {EntityType} from '../../pipeline/types.js'

/** Precision, recall and F1 of one class. */
export interface Score {
  truePositives: number
  falsePositives: number
  falseNegatives: number
  precision: number
  recall: number
  f1: number
}

/** A span with a class, in source-file offsets. */
export interface Span {
  start: number
  end: number
  label: string
}

const meantimeTypes: Record<EntityType, string | undefined> = {
  Person: 'PER',
  Organization: 'ORG',
  Country: 'LOC',
  City: 'LOC',
  Place: 'LOC',
  Event: undefined,
  Thing: undefined
}

/** Make a score from counts. */
export function score(truePositives: number, falsePositives: number, falseNegatives: number): Score {
  const precision = truePositives + falsePositives === 0 ? 0 : truePositives / (truePositives + falsePositives)
  const recall = truePositives + falseNegatives === 0 ? 0 : truePositives / (truePositives + falseNegatives)
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall)
  return {truePositives, falsePositives, falseNegatives, precision, recall, f1}
}

/**
 * Match predictions to gold spans one to one: a prediction matches a gold
 * span of the same label when they overlap (`overlap`) or have the same
 * offsets (`exact`). Predictions overlapping an `ignore` span of their label
 * (gold mentions that are not scored) are neither right nor wrong.
 */
export function matchSpans(gold: Span[], predicted: Span[], mode: 'overlap' | 'exact', ignore: Span[] = []): Map<string, {tp: number; fp: number; fn: number}> {
  const counts = new Map<string, {tp: number; fp: number; fn: number}>()
  const count = (label: string) => counts.get(label) ?? counts.set(label, {tp: 0, fp: 0, fn: 0}).get(label)!
  const used = new Set<Span>()
  const same = (a: Span, b: Span) => (mode === 'exact' ? a.start === b.start && a.end === b.end : a.start < b.end && b.start < a.end)
  for (const prediction of predicted) {
    const match = gold.find((span) => !used.has(span) && span.label === prediction.label && same(span, prediction))
    if (match) {
      used.add(match)
      count(prediction.label).tp++
    } else if (!ignore.some((span) => span.label === prediction.label && prediction.start < span.end && span.start < prediction.end)) {
      count(prediction.label).fp++
    }
  }
  for (const span of gold) if (!used.has(span)) count(span.label).fn++
  return counts
}

/** Per-label and micro-averaged scores of matched counts. */
export function scores(counts: Map<string, {tp: number; fp: number; fn: number}>): Record<string, Score> {
  const result: Record<string, Score> = {}
  let tp = 0
  let fp = 0
  let fn = 0
  for (const [label, value] of [...counts].sort(([a], [b]) => (a < b ? -1 : 1))) {
    result[label] = score(value.tp, value.fp, value.fn)
    tp += value.tp
    fp += value.fp
    fn += value.fn
  }
  result['all'] = score(tp, fp, fn)
  return result
}

interface MeantimeRecord {
  file: string
  entities: Array<{text: string; start: number; end: number; syntactic_type: string; type: string | null}>
  events?: Array<{end: number}>
  timex?: Array<{end: number}>
}

/**
 * MEANTIME annotates only the start of each article (title, dateline and the
 * first sentences): the annotated region ends with the line of the last
 * annotation of any layer. Predictions after it are not scored.
 */
export function annotatedEnd(record: MeantimeRecord, source: string): number {
  const last = Math.max(0, ...[...record.entities, ...(record.events ?? []), ...(record.timex ?? [])].map((item) => item.end))
  const lineEnd = source.indexOf('\n', last)
  return lineEnd === -1 ? source.length : lineEnd
}

const markdown = unified().use(remarkParse).use(remarkGfm).use(remarkFrontmatter, ['yaml'])

/**
 * Spans newsgraph finds in a Markdown file, in file offsets, labelled
 * PER/ORG/LOC. Nested mentions ("Japanese" in "Japanese Coast Guard") are left
 * out: MEANTIME annotates the outermost name only.
 */
export function newsgraphSpans(source: string, knowledge: Knowledge): Span[] {
  const text = toArticleText(markdown.parse(source))
  const {mentions, entities} = extractEntities(text, knowledge)
  const types = new Map(entities.map((entity) => [entity.id, entity.type]))
  const outer = mentions.filter((mention) => !mentions.some((other) => other !== mention && other.start <= mention.start && mention.end <= other.end && other.end - other.start > mention.end - mention.start))
  return outer.flatMap((mention) => {
    const label = meantimeTypes[types.get(mention.entityId)!]
    if (!label) return []
    return [{start: toSourceOffset(text, mention.start), end: toSourceOffset(text, mention.end - 1) + 1, label}]
  })
}

/** Spans compromise alone finds (people, organizations, places), for comparison. */
export function compromiseSpans(source: string): Span[] {
  const text = toArticleText(markdown.parse(source))
  const document = nlp(text.value)
  const spans: Span[] = []
  for (const [label, view] of [['PER', document.people()], ['ORG', document.organizations()], ['LOC', document.places()]] as const) {
    for (const item of view.json({offset: true}) as Array<{offset: {start: number; length: number}; text: string}>) {
      const trimmed = item.text.replace(/[\s.,;:!?'"’”)]+$/u, '')
      if (trimmed === '') continue
      const start = item.offset.start
      spans.push({start: toSourceOffset(text, start), end: toSourceOffset(text, start + trimmed.length - 1) + 1, label})
    }
  }
  return spans
}

/** Result of the MEANTIME evaluation. */
export interface MeantimeResult {
  documents: number
  goldMentions: number
  newsgraph: {overlap: Record<string, Score>; exact: Record<string, Score>}
  compromise: {overlap: Record<string, Score>; exact: Record<string, Score>}
  msPerDocument: number
}

/**
 * Score on MEANTIME: gold = mentions of type PER, ORG or LOC whose syntactic
 * type is NAM or PRE.NAM (proper names); other gold mentions of those types
 * are ignored (a prediction on them is not counted wrong).
 */
export async function evaluateMeantime(dir: string, knowledge: Knowledge): Promise<MeantimeResult> {
  const lines = (await readFile(join(dir, 'gold.jsonl'), 'utf8')).split('\n').filter((line) => line.trim() !== '')
  const records = lines.map((line) => JSON.parse(line) as MeantimeRecord)
  const totals = {newsgraph: {overlap: new Map(), exact: new Map()}, compromise: {overlap: new Map(), exact: new Map()}} as Record<
    'newsgraph' | 'compromise',
    Record<'overlap' | 'exact', Map<string, {tp: number; fp: number; fn: number}>>
  >
  let goldMentions = 0
  let elapsed = 0
  for (const record of records) {
    const source = await readFile(join(dir, record.file), 'utf8')
    const scored = (entity: MeantimeRecord['entities'][number]) => entity.type === 'PER' || entity.type === 'ORG' || entity.type === 'LOC'
    const gold = record.entities.filter((entity) => scored(entity) && (entity.syntactic_type === 'NAM' || entity.syntactic_type === 'PRE.NAM')).map(toSpan)
    const ignore = record.entities.filter(scored).map(toSpan)
    goldMentions += gold.length
    const started = performance.now()
    const end = annotatedEnd(record, source)
    const ours = newsgraphSpans(source, knowledge).filter((span) => span.start < end)
    elapsed += performance.now() - started
    const theirs = compromiseSpans(source).filter((span) => span.start < end)
    for (const [system, spans] of [['newsgraph', ours], ['compromise', theirs]] as const) {
      for (const mode of ['overlap', 'exact'] as const) add(totals[system][mode], matchSpans(gold, spans, mode, ignore))
    }
  }
  const summarize = (system: 'newsgraph' | 'compromise') => ({overlap: scores(totals[system].overlap), exact: scores(totals[system].exact)})
  return {documents: records.length, goldMentions, newsgraph: summarize('newsgraph'), compromise: summarize('compromise'), msPerDocument: elapsed / records.length}
}

function toSpan(entity: {start: number; end: number; type: string | null}): Span {
  return {start: entity.start, end: entity.end, label: entity.type ?? ''}
}

function add(total: Map<string, {tp: number; fp: number; fn: number}>, counts: Map<string, {tp: number; fp: number; fn: number}>): void {
  for (const [label, value] of counts) {
    const current = total.get(label) ?? {tp: 0, fp: 0, fn: 0}
    total.set(label, {tp: current.tp + value.tp, fp: current.fp + value.fp, fn: current.fn + value.fn})
  }
}

/** The hand annotation of the seed article (test/fixtures/seed/entities.gold.json). */
export interface SeedGold {
  entities: Array<{id: string; type: EntityType; name: string}>
  mentions: Array<{start: number; end: number; text: string; entity: string; kind: string}>
}

/** Result of the seed evaluation: mentions (overlap, same entity) and the entity list. */
export interface SeedResult {
  mentions: Record<string, Score>
  entities: Score
  missing: string[]
  spurious: string[]
}

/** Score the seed article's mentions and entities against the hand annotation (offsets in the article text). */
export function evaluateSeed(text: Parameters<typeof extractEntities>[0], knowledge: Knowledge, gold: SeedGold): SeedResult {
  const {mentions, entities} = extractEntities(text, knowledge)
  const types = new Map(gold.entities.map((entity) => [entity.id, entity.type]))
  const predictedTypes = new Map(entities.map((entity) => [entity.id, entity.type]))
  const goldSpans = gold.mentions.map((mention) => ({start: mention.start, end: mention.end, label: `${types.get(mention.entity)}:${mention.entity}`}))
  const predicted = mentions.map((mention) => ({start: mention.start, end: mention.end, label: `${predictedTypes.get(mention.entityId)}:${mention.entityId}`}))
  const byEntity = matchSpans(goldSpans, predicted, 'overlap')
  const byType = new Map<string, {tp: number; fp: number; fn: number}>()
  for (const [label, value] of byEntity) {
    const type = label.split(':')[0]!
    const current = byType.get(type) ?? {tp: 0, fp: 0, fn: 0}
    byType.set(type, {tp: current.tp + value.tp, fp: current.fp + value.fp, fn: current.fn + value.fn})
  }
  const goldIds = new Set(gold.entities.map((entity) => entity.id))
  const predictedIds = new Set(entities.map((entity) => entity.id))
  const found = [...predictedIds].filter((id) => goldIds.has(id) && types.get(id) === predictedTypes.get(id))
  return {
    mentions: scores(byType),
    entities: score(found.length, predictedIds.size - found.length, goldIds.size - found.length),
    missing: [...goldIds].filter((id) => !found.includes(id)).sort(),
    spurious: [...predictedIds].filter((id) => !found.includes(id)).sort()
  }
}
