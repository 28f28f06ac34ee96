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
 * A checker of emissions, one at a time: documents against their schema and
 * expanded in safe mode (the project context served from memory), CSV rows
 * against their record schema (numbered across batches), graph nodes against
 * the node schema. Note: every node of `graph.jsonld` is also a node of an
 * article document or `cameo.jsonld`, expanded there, so it is not expanded twice.
 */
export function createChecker(projectContext: {url: string; document: unknown}): (emission: Emission) => Promise<OutputProblem[]> {
  const contexts = new Map<string, unknown>([[projectContext.url, projectContext.document]])
  const rowCounts = new Map<TablePath, number>()
  return async (emission) => {
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
      let row = rowCounts.get(rows.table) ?? 0
      for (const record of rows.records) {
        row++
        if (!validate(record)) problems.push(invalid(`${rows.table} row ${row}`, summarizeErrors(validate.errors)))
      }
      rowCounts.set(rows.table, row)
    }
    for (const node of nodes ?? []) {
      if (!validateGraphNode(node)) problems.push(invalid(`${path} node ${node['@id']}`, summarizeErrors(validateGraphNode.errors)))
    }
    return problems
  }
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
