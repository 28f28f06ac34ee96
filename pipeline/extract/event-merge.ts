// Merging of the events stage: candidates that report one real-world event become one record with every piece of evidence.
import type {EventStatus, NewsEvent} from '../types.js'

/** A candidate event before merging. */
export interface Found extends Omit<NewsEvent, 'id'> {
  noun: boolean
  definite: boolean
  /** The trigger's lexicon entry ("exercise/noun") and its own code, before variants. */
  lemma: string
  base: string
  /** A repetition by a pro-verb ("which it did in 1879"): never the same event as its sentence's others. */
  separate?: boolean
  /** A reply's code when negative (the trigger's `negative`). */
  negative?: string
}

/** Merge candidates that report one real-world event; number them. */
export function mergeEvents(found: Found[]): NewsEvent[] {
  const events: Found[] = []
  const byRoot = new Map<string, Found[]>()
  const byLemma = new Map<string, Found[]>()
  const list = (map: Map<string, Found[]>, key: string) => map.get(key) ?? map.set(key, []).get(key)!
  for (const candidate of found) {
    // Note: only events of the candidate's root or trigger word can be the same; look among the latest 50 of each.
    const sameRoot = list(byRoot, candidate.code.slice(0, 2))
    const sameLemma = list(byLemma, candidate.lemma)
    let target: Found | undefined
    for (const pool of [sameRoot, sameLemma]) {
      for (let index = pool.length - 1; index >= Math.max(0, pool.length - 50) && !target; index--) {
        if (sameEvent(pool[index]!, candidate)) target = pool[index]
      }
    }
    if (!target) {
      if (candidate.actor1 || candidate.actor2 || candidate.startDate || candidate.location) {
        events.push(candidate)
        sameRoot.push(candidate)
        sameLemma.push(candidate)
      }
      continue
    }
    // A variant names the event more precisely than its trigger's own code ("joint exercise": 062, not 150).
    if (target.code === target.base && candidate.code !== candidate.base && target.lemma === candidate.lemma) target.code = candidate.code
    target.evidence.push(...candidate.evidence.filter((item) => !target.evidence.some((known) => known.triggerStart === item.triggerStart)))
    target.actor1 ??= candidate.actor1
    target.actor2 ??= candidate.actor2
    target.location ??= candidate.location
    takeDate(target, candidate)
    for (const participant of candidate.participants) {
      if (participant.entityId !== target.actor1 && participant.entityId !== target.actor2 && !target.participants.some((item) => item.entityId === participant.entityId)) target.participants.push(participant)
    }
    if (candidate.actor1 && candidate.actor1 !== target.actor1 && !target.participants.some((item) => item.entityId === candidate.actor1)) target.participants.push({entityId: candidate.actor1, role: 'actor1'})
    target.confidence = Math.max(target.confidence, candidate.confidence)
  }
  return events.map(({noun: _noun, definite: _definite, lemma: _lemma, base: _base, separate: _separate, negative: _negative, ...event}, index) => ({id: `e${index + 1}`, ...event}))
}

/**
 * Whether two candidates report one event: the same root code and status
 * class, and dates that agree where both are given; then either one sentence
 * (a verb and its noun: "is to travel …, the first visit by …"), a definite
 * noun without an actor ("The exercise") referring back, or the same actors.
 */
function sameEvent(a: Found, b: Found): boolean {
  // Note: one trigger word names one event whatever its variant ("the joint exercise … The exercise").
  if ((a.code.slice(0, 2) !== b.code.slice(0, 2) && a.lemma !== b.lemma) || a.negated !== b.negated) return false
  const sameSentence = a.evidence.some((item) => b.evidence.some((other) => other.sentence === item.sentence))
  // Note: two verbs of one sentence are one event only with the same actors ("has added officers …, and guards have been added" are two).
  const twoClauses = !a.noun && !b.noun && (a.actor1 !== b.actor1 || a.actor2 !== b.actor2)
  if (sameSentence) return !a.separate && !b.separate && !twoClauses && a.code.slice(0, 2) === b.code.slice(0, 2)
  // Two specific codes of one root are two events ("insisted on talks": 106; "pressuring": 105), unless one trigger names both.
  if (a.code !== b.code && a.lemma !== b.lemma && specific(a.code) && specific(b.code)) return false
  const factual = (status: EventStatus) => status === 'occurred' || status === 'ongoing'
  if (factual(a.status) !== factual(b.status)) return false
  if (a.startDate && b.startDate && a.startDate !== b.startDate && !(a.precision === 'range' || b.precision === 'range')) return false
  if (!b.actor1 && b.definite) return true
  if (!a.actor1 || !b.actor1) return false
  if (a.actor1 !== b.actor1 && !a.participants.some((item) => item.entityId === b.actor1)) return false
  return !a.actor2 || !b.actor2 || a.actor2 === b.actor2
}

/**
 * Verbs of one sentence with one actor share its date: "visited the troops on
 * Tuesday and offered anti-drone systems" dates the offer too.
 */
export function shareDates(events: Found[]): void {
  for (const event of events) {
    if (event.startDate || event.noun || !event.actor1) continue
    const dated = events.find((other) => other !== event && !other.noun && other.actor1 === event.actor1 && other.startDate && other.status === event.status)
    if (dated) takeDate(event, dated)
  }
}

/** Whether a code is more than its root's general code ("105", not "100" or "10"). */
function specific(code: string): boolean {
  return code.length > 2 && !/^\d\d0$/.test(code)
}

/** Give `target` the dates of `source` (start, end, precision) when it has none and `source` has some. */
export function takeDate(target: Found, source: Pick<Found, 'startDate' | 'endDate' | 'precision'>): void {
  if (target.startDate || !source.startDate) return
  target.startDate = source.startDate
  target.endDate = source.endDate
  target.precision = source.precision
}
