// Time-expression evaluation: how often findDates gives MEANTIME's normalized value for its calendar dates.
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import * as chrono from 'chrono-node'
import {findDates} from '../../pipeline/extract/dates.js'

interface MeantimeTimex {
  text: string
  start: number
  end: number
  type: string
  value: string
}

/** One gold date we did not normalize as MEANTIME does. */
export interface DateMiss {
  file: string
  text: string
  gold: string
  /** Our `startDate` for the expression overlapping the gold one ('' when there is none), with its text. */
  ours: string
}

/** Result of the MEANTIME date evaluation. */
export interface DateResult {
  total: number
  exact: number
  share: number
  misses: DateMiss[]
}

/**
 * Score findDates on MEANTIME: gold = time expressions of type DATE whose
 * value is a calendar date (YYYY, YYYY-MM or YYYY-MM-DD; not weeks, seasons,
 * decades or PAST_REF). An expression is exact when our expression overlapping
 * it has that value as its start date. The reference of each article is its
 * dateline (line 2 of the body, under the title).
 */
export async function evaluateMeantimeDates(dir: string): Promise<DateResult> {
  const lines = (await readFile(join(dir, 'gold.jsonl'), 'utf8')).split('\n').filter((line) => line.trim() !== '')
  let total = 0
  let exact = 0
  const misses: DateMiss[] = []
  for (const line of lines) {
    const record = JSON.parse(line) as {file: string; timex?: MeantimeTimex[]}
    const gold = (record.timex ?? []).filter((timex) => timex.type === 'DATE' && /^\d{4}(?:-\d{2}(?:-\d{2})?)?$/.test(timex.value))
    if (gold.length === 0) continue
    const source = await readFile(join(dir, record.file), 'utf8')
    const reference = datelineOf(source)
    if (!reference) throw new Error(`No dateline in ${record.file}`)
    const ours = findDates(source, reference)
    for (const timex of gold) {
      total++
      const found = ours.find((expression) => expression.start < timex.end && timex.start < expression.end)
      // Note: where MEANTIME marks the parts of "from 2009 to 2011" or "October of next year" apart, the last part is our end date cut to its precision.
      const value = found && timex.start > found.start && timex.end === found.end ? found.endDate.slice(0, timex.value.length) : found?.startDate
      if (value === timex.value) exact++
      else misses.push({file: record.file, text: timex.text, gold: timex.value, ours: found ? `${found.startDate} (${found.text})` : ''})
    }
  }
  return {total, exact, share: total === 0 ? 0 : exact / total, misses}
}

/** The dateline of a MEANTIME article as YYYY-MM-DD: the first non-empty line after the `# Title` heading. */
export function datelineOf(source: string): string | undefined {
  const body = source.replace(/^---\n[\s\S]*?\n---\n/, '')
  const lines = body.split('\n').filter((line) => line.trim() !== '')
  const heading = lines.findIndex((line) => line.startsWith('# '))
  const dateline = lines[heading + 1]
  if (heading === -1 || dateline === undefined) return undefined
  const result = chrono.strict.parse(dateline, {instant: new Date(Date.UTC(2000, 0, 1, 12)), timezone: 0})[0]
  if (!result || !result.start.isCertain('year') || !result.start.isCertain('month') || !result.start.isCertain('day')) return undefined
  const pad = (value: number | null, width: number) => String(value).padStart(width, '0')
  return `${pad(result.start.get('year'), 4)}-${pad(result.start.get('month'), 2)}-${pad(result.start.get('day'), 2)}`
}
