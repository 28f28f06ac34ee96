// Check stage: every emitted document and record against its JSON Schema, and JSON-LD in safe mode, as the outputs stream by.
import type {Emission, Emitted, TablePath} from './emit/index.js'
import {expandSafe} from './jsonld-check.js'
import {
  summarizeErrors,
  validateArticleDocument,
  validateArticleRecord,
  validateEntityRecord,
  validateEventRecord,
  validateEvidenceRecord,
  validateGraphDocument,
  validateGraphNode,
  validateMentionRecord,
  validateParticipantRecord
} from './schemas.js'

/** A problem found in an output: a defect of newsgraph, never of the sources. */
export interface OutputProblem {
  path: string
  reason: string
  ruleId: 'output-invalid' | 'jsonld-unsafe'
  /** For a CSV row checked by `checkEmission`: its number in the batch (from 1), which `rowNumbering` makes the row of the table. */
  row?: number
}

const rowValidators = {
  'data/articles.csv': validateArticleRecord,
  'data/entities.csv': validateEntityRecord,
  'data/mentions.csv': validateMentionRecord,
  'data/events.csv': validateEventRecord,
  'data/event_participants.csv': validateParticipantRecord,
  'data/event_evidence.csv': validateEvidenceRecord
} as const satisfies Record<TablePath, unknown>

/**
 * Check one emission on its own: a document against its schema and expanded
 * in safe mode (`contexts` serves the project context from memory), CSV rows
 * against their record schema (numbered within the batch), graph nodes
 * against the node schema. Note: every node of `graph.jsonld` is also a node
 * of an article document or `cameo.jsonld`, expanded there, so it is not
 * expanded twice. Pure, so it runs on any thread.
 */
export async function checkEmission(emission: Emission, contexts: Map<string, unknown>): Promise<OutputProblem[]> {
  const problems: OutputProblem[] = []
  const {path, document, rows, nodes} = emission
  if (document) {
    const validate = path.startsWith('articles/') ? validateArticleDocument : validateGraphDocument
    if (!validate(document)) problems.push(invalid(path, summarizeErrors(validate.errors)))
    try {
      await expandSafe(document, contexts)
    } catch (error) {
      problems.push({path, reason: `JSON-LD expansion in safe mode failed: ${(error as Error).message}`, ruleId: 'jsonld-unsafe'})
    }
  }
  if (rows) {
    const validate = rowValidators[rows.table]
    for (const [index, record] of rows.records.entries()) {
      if (!validate(record)) problems.push({...invalid(rows.table, summarizeErrors(validate.errors)), row: index + 1})
    }
  }
  for (const node of nodes ?? []) {
    if (!validateGraphNode(node)) problems.push(invalid(`${path} node ${node['@id']}`, summarizeErrors(validateGraphNode.errors)))
  }
  return problems
}

/**
 * Number the rows of the problems of batch after batch as rows of their
 * table (`data/events.csv row 12`): call it with every batch checked, in the
 * order the rows are written, and how many rows it had.
 */
export function rowNumbering(): (problems: OutputProblem[], table: TablePath | undefined, count: number) => OutputProblem[] {
  const counts = new Map<TablePath, number>()
  return (problems, table, count) => {
    if (!table) return problems
    const offset = counts.get(table) ?? 0
    counts.set(table, offset + count)
    return problems.map(({row, ...problem}) => (row === undefined ? problem : {...problem, path: `${problem.path} row ${offset + row}`}))
  }
}

/** The project context's URL and document, served from memory to the checks. */
export function checkContexts(projectContext: {url: string; document: unknown}): Map<string, unknown> {
  return new Map<string, unknown>([[projectContext.url, projectContext.document]])
}

/** A checker of emissions, one at a time, in the order they are written: `checkEmission` with the rows numbered across batches. */
export function createChecker(projectContext: {url: string; document: unknown}): (emission: Emission) => Promise<OutputProblem[]> {
  const contexts = checkContexts(projectContext)
  const number = rowNumbering()
  return async (emission) => number(await checkEmission(emission, contexts), emission.rows?.table, emission.rows?.records.length ?? 0)
}

/** Check outputs collected whole by `emitSite`; returns the problems found (none on a sound build). */
export async function checkOutputs(emitted: Emitted): Promise<OutputProblem[]> {
  const url = Array.isArray(emitted.graph['@context']) ? emitted.graph['@context'][1] : undefined
  const check = createChecker({url: url ?? '', document: emitted.context})
  const problems: OutputProblem[] = []
  for (const [path, document] of emitted.documents) problems.push(...(await check({path, text: '', document})))
  const tables: Array<[TablePath, object[]]> = [
    ['data/articles.csv', emitted.records],
    ['data/entities.csv', emitted.entityRecords],
    ['data/mentions.csv', emitted.mentionRecords],
    ['data/events.csv', emitted.eventRecords],
    ['data/event_participants.csv', emitted.participantRecords],
    ['data/event_evidence.csv', emitted.evidenceRecords]
  ]
  for (const [table, records] of tables) problems.push(...(await check({path: table, text: '', rows: {table, records}})))
  return problems
}

function invalid(path: string, detail: string): OutputProblem {
  return {path, reason: `Output does not match its JSON Schema: ${detail}`, ruleId: 'output-invalid'}
}
