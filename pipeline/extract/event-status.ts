// Status of the events stage: what the words of a trigger's clause say of it (announced, hypothetical, scheduled, ongoing, occurred; negated).
import type {EventLexicon} from '../knowledge/events.js'
import type {EventStatus} from '../types.js'
import {clauseStart} from './clauses.js'
import type {TimeExpression} from './dates.js'
import type {Token} from './tokens.js'

/** The status the clause gives the trigger (`present`: a verb in the present simple). */
export function eventStatus(lexicon: EventLexicon, tokens: Token[], trigger: Token, noun: boolean, date: TimeExpression | undefined, reference: string, present = false): EventStatus {
  const window = tokens.slice(clauseStart(tokens, trigger), trigger.index)
  const keys = window.map((token) => token.key)
  const bigrams = keys.slice(1).map((key, index) => `${keys[index]} ${key}`)
  // Note: a cue used as a noun after a determiner ("denounced the plan") sets no status.
  const has = (set: Set<string>) => keys.some((key, index) => set.has(key) && !/^(?:the|a|an|this|that|its|their|his|her)$/.test(keys[index - 1] ?? '')) || bigrams.some((key) => set.has(key))
  const before = tokens.slice(0, trigger.index).map((token) => token.key)
  const thatClause = before.some((key, index) => lexicon.announcing.has(key) && before.slice(index + 1).includes('that'))
  if (thatClause && keys.some((key) => key === 'would' || key === 'will' || key === 'to')) return 'announced'
  if (noun && /^(?:scheduled|planned|set|due)$/.test(tokens[trigger.index + 1]?.key ?? '')) return 'scheduled'
  if (has(lexicon.hypothetical) || before.some((key) => /^(?:fear|fears|feared|afraid)$/.test(key))) return 'hypothetical'
  if (has(lexicon.scheduled)) return 'scheduled'
  if (date && date.startDate > reference && date.startDate.length === 10) return 'scheduled'
  if (!noun && /ing$/.test(trigger.key) && !keys.some((key) => /^(?:was|were|had)$/.test(key))) return 'ongoing'
  if (!noun && /^(?:is|are)$/.test(keys.at(-1) ?? '')) return 'ongoing'
  if (present) return 'ongoing'
  return 'occurred'
}

/** Whether a negation cue of the lexicon stands within three words before the trigger ("did not attack", "failed to agree"). */
export function isNegated(lexicon: EventLexicon, tokens: Token[], trigger: Token): boolean {
  return tokens.slice(Math.max(0, trigger.index - 3), trigger.index).some((token) => lexicon.negation.has(token.key) || /n[’']t$/.test(token.text))
}
