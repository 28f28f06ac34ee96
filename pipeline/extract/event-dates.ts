// Dates of the events stage: which trigger of a sentence each of its time expressions dates.
import type {TimeExpression} from './dates.js'
import type {Token} from './tokens.js'

/**
 * Give each date to the trigger nearest to it; a date that opens the sentence
 * ("This Saturday, …") skips triggers inside a relative clause, and a date in
 * a relative clause after a trigger is not that trigger's. Returns the date of
 * each trigger (if any).
 */
export function assignDates(triggers: Array<{token: Token; subordinate: boolean}>, dates: TimeExpression[], value: string): Array<TimeExpression | undefined> {
  const result: Array<TimeExpression | undefined> = triggers.map(() => undefined)
  for (const date of dates) {
    let best = -1
    let distance = Number.POSITIVE_INFINITY
    const fronted = triggers.every(({token}) => token.start > date.end)
    triggers.forEach(({token: trigger, subordinate}, position) => {
      if (fronted && subordinate && triggers.some((item) => !item.subordinate)) return
      // A relative clause between the trigger and a later date dates something else ("…, which it did in 1879").
      if (date.start >= trigger.end && /\b(?:which|who|whom)\b/i.test(value.slice(trigger.end, date.start))) return
      const gap = date.start >= trigger.end ? date.start - trigger.end : trigger.start - date.end
      if (gap < distance) {
        best = position
        distance = gap
      }
    })
    if (best !== -1 && !result[best]) result[best] = date
  }
  return result
}
