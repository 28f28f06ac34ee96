// Event evaluation: scores extracted events against the seed article's hand annotation.
import type {NewsEvent} from '../../pipeline/types.js'
import {score, type Score} from './entities.js'

/** One event of test/fixtures/seed/events.gold.json. */
export interface GoldEvent {
  id: string
  cameo: string
  actor1: string | null
  actor2: string | null
  start_date: string
  end_date: string
  date_precision: string
  status: string
  source: string | null
  evidence: Array<{start: number; end: number; trigger_start: number; trigger_end: number}>
}

/** Scores of the event evaluation. */
export interface EventScores {
  /** Same sentence, same CAMEO root, same actor1 (when the annotation names one). */
  strict: Score
  /** Same sentence and same actor1, whatever the code. */
  detection: Score
  /** Of the strict matches: the share with the annotated start date, status and source. */
  dates: number
  status: number
  source: number
  matches: Array<{gold: string; predicted: string}>
  missed: string[]
  spurious: string[]
}

/**
 * Match predicted events to annotated ones, one to one: a prediction matches
 * when one of its evidence sentences overlaps one of the annotation's (its
 * trigger within 120 characters of the annotated one), its actor1 is the
 * annotated one (or the annotation names none) and, for the strict score, its
 * CAMEO root is the annotated root; of several, the nearest trigger wins.
 * Negated predictions are not scored: the annotations leave such events out.
 */
export function evaluateEvents(all: NewsEvent[], gold: GoldEvent[]): EventScores {
  // Note: the annotations leave out what did not happen ("failed to agree", "did not say"); the extractor flags it `negated`.
  const predicted = all.filter((event) => !event.negated)
  const overlaps = (event: NewsEvent, target: GoldEvent) =>
    event.evidence.some((item) => target.evidence.some((other) => item.start < other.end && other.start < item.end && triggerNear(item, other)))
  const actorAgrees = (event: NewsEvent, target: GoldEvent) => target.actor1 === null || event.actor1 === target.actor1 || event.participants.some((item) => item.entityId === target.actor1)
  const run = (strict: boolean) => {
    const used = new Set<string>()
    const matches: Array<{gold: GoldEvent; predicted: NewsEvent}> = []
    for (const event of predicted) {
      const candidates = gold.filter((item) => !used.has(item.id) && overlaps(event, item) && actorAgrees(event, item) && (!strict || item.cameo.slice(0, 2) === event.code.slice(0, 2)))
      // Note: of several annotated events in the sentence, the one whose trigger is nearest.
      const target = candidates.sort((a, b) => distance(event, a) - distance(event, b))[0]
      if (!target) continue
      used.add(target.id)
      matches.push({gold: target, predicted: event})
    }
    return matches
  }
  const strict = run(true)
  const detection = run(false)
  const share = (test: (match: {gold: GoldEvent; predicted: NewsEvent}) => boolean) => (strict.length === 0 ? 0 : strict.filter(test).length / strict.length)
  return {
    strict: score(strict.length, predicted.length - strict.length, gold.length - strict.length),
    detection: score(detection.length, predicted.length - detection.length, gold.length - detection.length),
    dates: share(({gold: target, predicted: event}) => target.start_date === event.startDate),
    status: share(({gold: target, predicted: event}) => target.status === event.status),
    source: share(({gold: target, predicted: event}) => (target.source ?? undefined) === event.sourceId),
    matches: strict.map(({gold: target, predicted: event}) => ({gold: target.id, predicted: `${event.id} ${event.code} ${event.trigger}`})),
    missed: gold.filter((item) => !strict.some((match) => match.gold === item)).map((item) => `${item.id} (${item.cameo})`),
    spurious: predicted.filter((event) => !strict.some((match) => match.predicted === event)).map((event) => `${event.id} ${event.code} ${event.trigger} ${event.actor1 ?? '-'}→${event.actor2 ?? '-'}`)
  }
}

function distance(event: NewsEvent, target: GoldEvent): number {
  return Math.min(...event.evidence.flatMap((item) => target.evidence.map((other) => Math.abs(item.triggerStart - other.trigger_start))))
}

/** Whether a predicted trigger lies in the clause of the annotated one: within 120 characters. */
function triggerNear(item: {triggerStart: number}, other: {trigger_start: number}): boolean {
  return Math.abs(item.triggerStart - other.trigger_start) <= 120
}
