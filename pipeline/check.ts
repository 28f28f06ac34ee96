// Check stage: every emitted document and record against its JSON Schema, and JSON-LD in safe mode.
import type {Emitted} from './emit/index.js'
import {expandSafe} from './jsonld-check.js'
import {
  summarizeErrors,
  validateArticleDocument,
  validateArticleRecord,
  validateEntityRecord,
  validateEventRecord,
  validateEvidenceRecord,
  validateGraphDocument,
  validateMentionRecord,
  validateParticipantRecord
} from './schemas.js'

/** A problem found in an output: a defect of newsgraph, never of the sources. */
export interface OutputProblem {
  path: string
  reason: string
  ruleId: 'output-invalid' | 'jsonld-unsafe'
}

/** Check the emitted outputs; returns the problems found (none on a sound build). */
export async function checkOutputs(emitted: Emitted): Promise<OutputProblem[]> {
  const problems: OutputProblem[] = []
  for (const [path, document] of emitted.documents) {
    const validate = path.startsWith('articles/') ? validateArticleDocument : validateGraphDocument
    if (!validate(document)) problems.push(invalid(path, summarizeErrors(validate.errors)))
  }
  const tables = [
    ['data/articles.csv', emitted.records, validateArticleRecord],
    ['data/entities.csv', emitted.entityRecords, validateEntityRecord],
    ['data/mentions.csv', emitted.mentionRecords, validateMentionRecord],
    ['data/events.csv', emitted.eventRecords, validateEventRecord],
    ['data/event_participants.csv', emitted.participantRecords, validateParticipantRecord],
    ['data/event_evidence.csv', emitted.evidenceRecords, validateEvidenceRecord]
  ] as const
  for (const [path, records, validate] of tables) {
    records.forEach((record: unknown, index: number) => {
      if (!validate(record)) problems.push(invalid(`${path} row ${index + 1}`, summarizeErrors(validate.errors)))
    })
  }
  const contexts = new Map<string, unknown>()
  for (const document of emitted.documents.values()) {
    const url = Array.isArray(document['@context']) ? document['@context'][1] : undefined
    if (url) contexts.set(url, emitted.context)
  }
  for (const [path, document] of emitted.documents) {
    try {
      await expandSafe(document, contexts)
    } catch (error) {
      problems.push({path, reason: `JSON-LD expansion in safe mode failed: ${(error as Error).message}`, ruleId: 'jsonld-unsafe'})
    }
  }
  return problems
}

function invalid(path: string, detail: string): OutputProblem {
  return {path, reason: `Output does not match its JSON Schema: ${detail}`, ruleId: 'output-invalid'}
}
