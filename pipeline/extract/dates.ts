// Time expressions: find dates, ranges and durations in news text and normalize them against the writer's date.
//
// chrono-node finds most expressions and reads the calendar fields written in
// them ("June 6, 2005", "Aug. 27-29"). Everything that depends on the
// reference date (the year of "Sept. 1", the day of "on Monday", "last
// month", "the past two weeks") is computed here, on calendar dates with UTC
// arithmetic only, so that results never depend on the machine's time zone or
// clock. The rules chrono lacks (bare years, decades, "for decades", "the
// coming weeks", "earlier this year", "between X and Y", the tense of the
// clause) are added below.
import * as chrono from 'chrono-node'

/** How precise a normalized expression is: one day, month or year, or a span between two dates. */
export type DatePrecision = 'day' | 'month' | 'year' | 'range'

/** A time expression of a text, with its normalized dates. */
export interface TimeExpression {
  /** Offset of the expression in `text` (UTF-16 code units). */
  start: number
  end: number
  /** `text.slice(start, end)`. */
  text: string
  /** ISO 8601 calendar date: YYYY-MM-DD, YYYY-MM or YYYY; '' when unknown ("for decades", "two years later"). */
  startDate: string
  /** Same forms; equals `startDate` for a single day, month or year; '' when open or unknown. */
  endDate: string
  /** 'range' when `startDate !== endDate` or an end is open or unknown. */
  precision: DatePrecision
  kind: 'date' | 'range' | 'duration'
}

/** Options of `findDates`. */
export interface DateOptions {
  /** Whether the clause is about the future (then "on Monday", "Saturday" look forward); guessed from the text when undefined. */
  future?: boolean
}

/** A calendar date (no time, no time zone). */
interface Day {
  year: number
  month: number
  day: number
}

type Unit = 'second' | 'minute' | 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year' | 'decade' | 'century'
type Tense = 'future' | 'past' | undefined
/** The tense of the clause around `start..end`; `leanForward` when any sign of the future should settle it ("this Saturday"). */
type TenseAt = (start: number, end: number, leanForward?: boolean) => Tense
type Value = Pick<TimeExpression, 'startDate' | 'endDate' | 'precision' | 'kind'>

/** A found expression before overlaps are resolved; `rank` breaks ties between equally long spans. */
interface Candidate extends Value {
  start: number
  end: number
  rank: number
}

const weekdays = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday']
const numberWords: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18,
  nineteen: 19, twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
  hundred: 100, couple: 2, half: 0.5
}
const units: Record<string, Unit> = {
  second: 'second', minute: 'minute', hour: 'hour', day: 'day', week: 'week', fortnight: 'week', month: 'month',
  quarter: 'quarter', year: 'year', decade: 'decade', century: 'century', centurie: 'century'
}
const numberPattern =
  '(?:\\d+(?:\\.\\d+)?|(?:a\\s+)?(?:few|couple(?:\\s+of)?)|several|many|some|half\\s+an?|an?|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[-\\s](?:one|two|three|four|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|(?:a|one)\\s+hundred)'
const unitPattern = '(?:seconds?|minutes?|hours?|days?|weeks?|fortnights?|months?|quarters?|years?|decades?|centur(?:y|ies))'
const monthPattern = 'jan(?:uary|\\.)?|feb(?:ruary|\\.)?|mar(?:ch|\\.)?|apr(?:il|\\.)?|may|june?|july?|aug(?:ust|\\.)?|sep(?:t(?:ember|\\.)?|\\.)?|oct(?:ober|\\.)?|nov(?:ember|\\.)?|dec(?:ember|\\.)?'
const weekdayPattern = '(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?'
const modifierBefore = new RegExp(
  `(?:\\b(?:the\\s+)?(?:very\\s+)?(?:beginning|start|end|middle|first\\s+half|second\\s+half|first\\s+part|latter\\s+part|rest|remainder)\\s+of\\s+(?:the\\s+)?|\\b(?:early|mid|late|earlier|later)(?:\\s+|-)(?:in\\s+)?|\\b(?:the\\s+)?(?:spring|summer|autumn|fall|winter)(?:\\s+of)?\\s+)$`,
  'i'
)
const leadingPreposition = /^(?:on|at|in|during|for|by|since|until|till|of|over|within|through|throughout)\s+/i

/**
 * Find and normalize the time expressions of `text`, relative to `reference` (YYYY-MM-DD, the date of whoever wrote the text).
 *
 * Conventions: spans leave out a leading preposition ("on Monday" gives
 * "Monday", "for decades" gives "decades") but keep "from … to" and "between
 * … and" of a range and modifiers such as "earlier", "mid-" or "the end of",
 * which do not change the value ("earlier this year" is the year). Weeks run
 * Monday to Sunday: "this week", "next week" and "last week" are ranges of
 * days (kind 'date'), like "the 1990s". A weekday, a lone month and "in N
 * years" look back unless the clause is about the future (`options.future`,
 * else guessed from its verbs). Windows up to or from now ("the last six
 * months", "the coming weeks", "for decades") are durations with the
 * reference as one end; other counted durations ("five years", "two years
 * later") have both dates ''. Throws when `reference` is not a calendar date.
 */
export function findDates(text: string, reference: string, options: DateOptions = {}): TimeExpression[] {
  const today = parseReference(reference)
  const tenseAt: TenseAt = (start, end, leanForward) =>
    options.future === undefined ? guessTense(text, start, end, leanForward) : options.future ? 'future' : 'past'
  const candidates: Candidate[] = []
  // Note: chrono runs line by line so that it never joins a heading to the dateline below it.
  for (const line of text.matchAll(/[^\n]+/g)) {
    candidates.push(...chronoCandidates(text, line.index, line[0], today, tenseAt))
    candidates.push(...ruleCandidates(text, line.index, line[0], today, tenseAt))
  }
  const joined = joinRanges(text, joinMonthYear(text, removeOverlaps(candidates))).map((candidate) => extendModifier(text, candidate))
  const kept = addSameDay(text, joined, today)
  return kept.map(({start, end, startDate, endDate, precision, kind}) => ({start, end, text: text.slice(start, end), startDate, endDate, precision, kind}))
}

/** Read `YYYY-MM-DD` as a calendar date. */
function parseReference(reference: string): Day {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(reference)
  const day = match ? {year: Number(match[1]), month: Number(match[2]), day: Number(match[3])} : undefined
  if (!day || !isValidDay(day)) throw new Error(`Unexpected reference date \`${reference}\`, expected YYYY-MM-DD`)
  return day
}

// Calendar arithmetic. Note: only UTC fields of Date are used, so the host time zone never matters.

function toDate(day: Day): Date {
  const date = new Date(0)
  date.setUTCFullYear(day.year, day.month - 1, day.day)
  return date
}

function fromDate(date: Date): Day {
  return {year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate()}
}

function isValidDay(day: Day): boolean {
  const back = fromDate(toDate(day))
  return back.year === day.year && back.month === day.month && back.day === day.day
}

function addDays(day: Day, count: number): Day {
  const date = toDate(day)
  date.setUTCDate(date.getUTCDate() + count)
  return fromDate(date)
}

/** Add months, keeping the day of month where it exists ("March 31" minus one month is "February 28"). */
function addMonths(day: Day, count: number): Day {
  const index = day.year * 12 + (day.month - 1) + count
  const year = Math.floor(index / 12)
  const month = index - year * 12 + 1
  const last = fromDate(toDate({year, month: month + 1, day: 0})).day
  return {year, month, day: Math.min(day.day, last)}
}

function addUnits(day: Day, unit: Unit, count: number): Day {
  switch (unit) {
    case 'second':
    case 'minute':
      return day
    case 'hour':
      return addDays(day, Math.trunc(count / 24))
    case 'day':
      return addDays(day, Math.round(count))
    case 'week':
      return addDays(day, Math.round(count * 7))
    case 'month':
      return addMonths(day, Math.round(count))
    case 'quarter':
      return addMonths(day, Math.round(count * 3))
    case 'year':
      return addMonths(day, Math.round(count * 12))
    case 'decade':
      return addMonths(day, Math.round(count * 120))
    case 'century':
      return addMonths(day, Math.round(count * 1200))
  }
}

function weekdayOf(day: Day): number {
  return toDate(day).getUTCDay()
}

function dayDistance(a: Day, b: Day): number {
  return Math.round((toDate(a).getTime() - toDate(b).getTime()) / 86_400_000)
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0')
}

/** Format a date at a precision: 2003-08-18, 2003-08 or 2003. */
function iso(day: Day, precision: 'day' | 'month' | 'year'): string {
  const year = pad(day.year, 4)
  if (precision === 'year') return year
  if (precision === 'month') return `${year}-${pad(day.month, 2)}`
  return `${year}-${pad(day.month, 2)}-${pad(day.day, 2)}`
}

function single(day: Day, precision: 'day' | 'month' | 'year'): Value {
  const value = iso(day, precision)
  return {startDate: value, endDate: value, precision, kind: 'date'}
}

function span(startDate: string, endDate: string, kind: Value['kind']): Value {
  const precision = startDate !== '' && startDate === endDate ? precisionOf(startDate) : 'range'
  return {startDate, endDate, precision, kind}
}

function precisionOf(value: string): DatePrecision {
  return value.length === 4 ? 'year' : value.length === 7 ? 'month' : 'day'
}

/** The precision a count of `unit` is told in: "two years ago" is a year, "a week ago" a day. */
function unitPrecision(unit: Unit): 'day' | 'month' | 'year' {
  return unit === 'year' || unit === 'decade' || unit === 'century' ? 'year' : unit === 'month' || unit === 'quarter' ? 'month' : 'day'
}

/** The calendar unit ("this week", "last month") around `day`, moved by `offset` units. */
function calendarUnit(today: Day, unit: Unit, offset: number): Value | undefined {
  switch (unit) {
    case 'day':
      return single(addDays(today, offset), 'day')
    case 'week': {
      // Note: weeks run Monday to Sunday (ISO 8601).
      const monday = addDays(today, -((weekdayOf(today) + 6) % 7) + offset * 7)
      return span(iso(monday, 'day'), iso(addDays(monday, 6), 'day'), 'date')
    }
    case 'month':
      return single(addMonths(today, offset), 'month')
    case 'quarter': {
      const first = addMonths({year: today.year, month: today.month - ((today.month - 1) % 3), day: 1}, offset * 3)
      return span(iso(first, 'month'), iso(addMonths(first, 2), 'month'), 'date')
    }
    case 'year':
      return single({year: today.year + offset, month: 1, day: 1}, 'year')
    case 'decade': {
      const first = Math.floor(today.year / 10) * 10 + offset * 10
      return span(pad(first, 4), pad(first + 9, 4), 'date')
    }
    default:
      return undefined
  }
}

/** Read a count: "six" → 6, "27" → 27, "a" → 1; undefined for vague counts ("several", "a few"). */
function parseCount(value: string): number | undefined {
  let words = value.toLowerCase().trim().split(/[\s-]+/)
  if (words.length === 1 && /^\d+(?:\.\d+)?$/.test(words[0]!)) return Number(words[0])
  if (words.some((word) => word === 'few' || word === 'several' || word === 'many' || word === 'some')) return undefined
  if (words[0] === 'half') return 0.5
  // "A couple of", "a hundred": the article only stands for one when nothing follows.
  if (words.length > 1 && (words[0] === 'a' || words[0] === 'an')) words = words.slice(1)
  let total = 0
  for (const word of words) {
    if (word === 'of') continue
    const number = numberWords[word]
    if (number === undefined) return undefined
    total = number === 100 ? (total || 1) * 100 : total + number
  }
  return total || undefined
}

function parseUnit(value: string): Unit | undefined {
  return units[value.toLowerCase().replace(/ies$/, 'y').replace(/s$/, '')]
}

// Tense of the clause around an expression.

// Note: lower case only, so that "May" and "Will" as names are not taken for verbs.
const futureMarker =
  /\b(?:will|shall|won['’]t|going to|(?:is|are|am|be|been|was|were)\s+(?:due|set|scheduled|expected|slated|planned|poised|about|to)\b|(?:plans?|intends?|wants?|hopes?|aims?|seeks?|expects?|needs?|promises?|vows?|threatens?)\s+to|would|should|must|might|may|upcoming|coming|next|tomorrow)\b|['’]ll\b/g
const pastMarker = /\b(?:was|were|had|did|said|told|ago|yesterday|last|earlier|previously|[a-z]{2,}(?<!ee)(?:ed|ied))\b/g
// "Expected to", "has agreed": a participle that tells nothing of the time.
const neutralParticiple = /^(?:expected|scheduled|planned|slated|poised|supposed|prepared|intended|designed|destined|determined|set|due)$/

/**
 * Guess whether the clause around `start..end` is about the future: the tense
 * marker nearest to the expression in its sentence decides ("said on Monday
 * it will vote on Friday"); "until Friday" looks forward unless the clause is
 * plainly past ("was closed until Friday"); without any marker, the past (news
 * reports what happened). With `leanForward`, any future marker in the
 * sentence decides ("This Saturday, in the strip that was …, troops are to
 * drill").
 */
function guessTense(text: string, start: number, end: number, leanForward = false): Tense {
  const {from, to} = sentenceAround(text, start, end)
  const before = text.slice(from, start)
  const after = text.slice(end, to)
  const markers: Array<{distance: number; tense: 'future' | 'past'; strong: boolean}> = []
  for (const [pattern, tense] of [[futureMarker, 'future'], [pastMarker, 'past']] as const) {
    for (const [side, value] of [['before', before], ['after', after]] as const) {
      for (const match of value.matchAll(pattern)) {
        const word = match[0]
        if (tense === 'past' && /ed$/.test(word) && !/^(?:need|feed|speed|seed|bed|red|shed|wed)$/.test(word)) {
          const rest = value.slice(match.index + word.length)
          const lead = value.slice(0, match.index)
          if (neutralParticiple.test(word) && /^\s+to\b/.test(rest)) continue
          if (/\b(?:has|have|having|is|are|be|been|being|remains?|stays?)\s+(?:\w+\s+)?$/.test(lead)) continue
        }
        // Note: a marker after the expression counts a little less than one before it.
        const distance = side === 'before' ? value.length - (match.index + word.length) : match.index + 10
        markers.push({distance, tense, strong: /^(?:was|were|had|did|said|told)$/.test(word)})
      }
    }
  }
  if (/\b(?:until|till|through)\s+(?:the\s+)?$/i.test(before) && !markers.some((marker) => marker.strong)) return 'future'
  if (leanForward && markers.some((marker) => marker.tense === 'future')) return 'future'
  markers.sort((a, b) => a.distance - b.distance)
  return markers[0]?.tense
}

const abbreviation = /\b(?:\p{L}|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Mr|Mrs|Ms|Dr|St|Gen|Gov|Sen|Rep|Lt|Col|Capt|Sgt|Prof|Jr|Sr|Inc|Corp|Co|No|vs)$/u

/** The sentence containing `start..end`: between sentence ends (". " before a capital) that do not follow an abbreviation. */
function sentenceAround(text: string, start: number, end: number): {from: number; to: number} {
  const boundary = /[.!?;](?=["'”’)]*\s+["'“‘(]?[\p{Lu}\d])|\n/gu
  let from = 0
  let to = text.length
  for (const match of text.matchAll(boundary)) {
    if (match[0] === '.' && abbreviation.test(text.slice(Math.max(0, match.index - 6), match.index))) continue
    if (match.index < start) from = match.index + 1
    else if (match.index >= end) {
      to = match.index
      break
    }
  }
  return {from, to}
}

// chrono's expressions.

function chronoCandidates(text: string, offset: number, line: string, today: Day, tenseAt: TenseAt): Candidate[] {
  // Note: chrono reads the reference at noon UTC with a UTC offset, so its
  // own relative results would be right too; they are recomputed here anyway
  // to apply the tense of the clause.
  const instant = {instant: new Date(Date.UTC(today.year, today.month - 1, today.day, 12)), timezone: 0}
  const candidates: Candidate[] = []
  for (let result of chrono.casual.parse(line, instant)) {
    let start = offset + result.index
    let end = start + result.text.length
    // Trim what chrono takes beyond the expression: words after a dash used as punctuation, a trailing comma or "of", a leading preposition.
    const dash = /\s+(?:--|—)\s+/.exec(result.text)
    if (dash) {
      const head = chrono.casual.parse(result.text.slice(0, dash.index), instant)[0]
      if (!head) continue
      start = offset + result.index + head.index
      end = start + head.text.length
      result = head
    }
    const trailing = /(?:[\s,;:–—-]+|\s+of)+$/i.exec(text.slice(start, end))
    if (trailing) end -= trailing[0].length
    let preposition = ''
    const leading = leadingPreposition.exec(text.slice(start, end))
    if (leading) {
      preposition = leading[0].trim().toLowerCase()
      start += leading[0].length
    }
    // chrono turns "end of May" into May 31; read "May" alone and keep "end of" as a modifier (see extendModifier).
    const part = /^(?:the\s+)?(?:very\s+)?(?:end|beginning|start|middle)\s+of\s+/i.exec(text.slice(start, end))
    if (part) {
      const inner = chrono.casual.parse(text.slice(start + part[0].length, end), instant)[0]
      if (!inner || inner.index !== 0) continue
      result = inner
      start += part[0].length
      end = start + inner.text.length
    }
    if (end <= start) continue
    const value = classify(text, start, end, preposition, result, today, tenseAt)
    if (!value) continue
    let from = start
    // Windows like "last six months" read better with their article ("the last six months").
    if (/^(?:last|past|next|coming|previous|following|same)\b/i.test(text.slice(start, end)) && /\bthe\s+$/i.test(text.slice(0, start))) {
      from = start - /\bthe\s+$/i.exec(text.slice(0, start))![0].length
    }
    candidates.push({start: from, end, rank: 1, ...value})
  }
  return candidates
}

// What `classify` reads in a chrono expression (lowercased, one space between words), built once.
const countPart = `(${numberPattern})\\s+(${unitPattern})`
const agoExpression = new RegExp(`^(?:about |around |nearly |almost |some |just |over |more than |less than )?${countPart} ago$`)
const countedFromOther = new RegExp(`^(?:the )?(?:${numberPattern}|the)\\s+${unitPattern}\\s+(?:later|earlier|after|before|afterwards?|beforehand|on)$`)
const countedWindow = new RegExp(`^(?:the )?(last|past|previous|next|coming|following)\\s+${countPart}$`)
const unitWindow = new RegExp(`^(?:the )?(last|past|previous|next|coming|following)\\s+()(${unitPattern})$`)
const countedExpression = new RegExp(`^(?:just |only |about |around |nearly |almost |more than |less than |over )?${countPart}$`)
const calendarExpression = new RegExp(`^(?:the )?(?:(?:very )?(?:end|beginning|start|middle) of (?:the )?)?(this|current|last|past|previous|next|coming|the)?\\s*(${unitPattern})$`)
const weekdayExpression = new RegExp(`(?:^|\\s)(?:(this|last|next|past|previous|coming) )?(${weekdayPattern})\\b`)
const monthName = new RegExp(`\\b(?:${monthPattern})`, 'i')
// Note: `matchAll` reads a copy of a global pattern, so one can be shared.
const dateNames = new RegExp(`\\b(?:${monthPattern}|${weekdayPattern})(?=$|[^\\p{L}])`, 'giu')

/** Normalize one chrono expression, or reject it (a bare time, a lower-case "march", "Sun"). */
function classify(
  text: string,
  start: number,
  end: number,
  preposition: string,
  result: chrono.ParsedResult,
  today: Day,
  tenseAt: TenseAt
): Value | undefined {
  const written = text.slice(start, end)
  const core = written.toLowerCase().replace(/\s+/g, ' ')
  const tense = (leanForward?: boolean) => tenseAt(start, end, leanForward)
  if (/^(?:the )?(?:now|right now)$/.test(core) || !/^[\p{L}\p{N}]/u.test(core)) return undefined
  // "Each Monday", "every year": a repetition, not a date.
  if (/\b(?:each|every|per)\s+$/i.test(text.slice(Math.max(0, start - 8), start))) return undefined

  // Dates told from the day of writing.
  if (/\b(?:today|tonight|this (?:morning|afternoon|evening))\b/.test(core)) return single(today, 'day')
  if (/\b(?:yesterday|last night)\b/.test(core)) return single(addDays(today, -1), 'day')
  if (/\btomorrow\b/.test(core)) return single(addDays(today, 1), 'day')

  let match = agoExpression.exec(core)
  if (match) return ago(today, match[1]!, match[2]!)
  // "Two years later", "a day before": counted from another event than the writing.
  if (countedFromOther.test(core)) return span('', '', 'duration')

  match = countedWindow.exec(core) ?? unitWindow.exec(core)
  if (match && (match[2] !== '' || /s$/.test(match[3]!))) return window(today, match[1]!, match[2]!, parseUnit(match[3]!)!)

  match = countedExpression.exec(core)
  // "A second time" is an ordinal, not a duration.
  if (match && /^an? second$/.test(core) && /^\s+\p{L}/u.test(text.slice(end))) return undefined
  // "A 20 year low", "a four day rally": a count before a singular unit describes the noun after it.
  if (match && !/s$/.test(match[2]!) && (parseCount(match[1]!) ?? 2) > 1) return undefined
  if (match) return countedDuration(text, start, today, preposition, parseCount(match[1]!), parseUnit(match[2]!)!, tense)

  match = calendarExpression.exec(core)
  if (match) {
    const unit = parseUnit(match[2]!)!
    const modifier = match[1] ?? 'this'
    if (/s$/.test(match[2]!) && !/ies$/.test(match[2]!)) return undefined
    // "The past year", "the next year": twelve months back or ahead, not a calendar year.
    if (modifier === 'past' || (/^(?:last|next|coming)$/.test(modifier) && /\bthe\s+$/i.test(text.slice(Math.max(0, start - 5), start)))) return window(today, modifier, 'one', unit)
    if (modifier === 'the' && !/ of /.test(core)) return undefined
    // Note: the writer's "the day"/"the month" only counts after "end of" and the like ("the end of the month").
    if (modifier === 'this' && unit === 'day' && !/ of /.test(core)) return undefined
    const offset = modifier === 'last' || modifier === 'previous' ? -1 : modifier === 'next' || modifier === 'coming' ? 1 : 0
    return calendarUnit(today, unit, offset)
  }

  match = /^(?:(this|last|next|past|previous|coming|the) )?weekend$/.exec(core)
  if (match) return weekend(today, match[1], tense(match[1] === 'this'))

  const tags = result.tags()
  if ([...tags].some((tag) => tag.startsWith('result/relativeDate') || tag.startsWith('casualReference/'))) {
    if (!result.start.isCertain('weekday')) return undefined
  }
  if (!wordsAreDates(text, start, end)) return undefined

  if (result.end && (result.start.isCertain('day') || result.start.isCertain('month'))) {
    const first = absolute(result.start, today, tense, text, start)
    if (!first) return undefined
    const last = absolute(result.end, today, tense, text, start, first)
    if (!last) return undefined
    return span(first.startDate, last.endDate, 'range')
  }
  const weekdayWord = weekdayExpression.exec(core)
  if (result.start.isCertain('weekday') && !result.start.isCertain('day')) {
    // "Black Monday", "Good Friday" name a day of their own.
    if (!weekdayWord || /\b(?:Black|Good|Super|Bloody|Cyber|Ash|Holy|Easter|Palm|Shrove|Maundy|Whit|Blue|Giving)\s+$/.test(text.slice(Math.max(0, start - 12), start))) return undefined
    const first = weekday(today, result.start.get('weekday')!, weekdayWord[1], tense(weekdayWord[1] === 'this'))
    if (result.end?.isCertain('weekday')) {
      const gap = (result.end.get('weekday')! - weekdayOf(first) + 7) % 7
      return span(iso(first, 'day'), iso(addDays(first, gap), 'day'), 'range')
    }
    return single(first, 'day')
  }
  return absolute(result.start, today, tense, text, start)
}

/** "Two years ago" is a year, "three weeks ago" a day; "several months ago" is a date not known. */
function ago(today: Day, amount: string, unitWord: string): Value {
  const count = parseCount(amount)
  const unit = parseUnit(unitWord)!
  return count === undefined ? span('', '', 'date') : single(addUnits(today, unit, -count), unitPrecision(unit))
}

/** A window of time ending or starting now: "the last six months", "the next few years", "the past two weeks". */
function window(today: Day, direction: string, amount: string, unit: Unit): Value {
  const count = amount === '' ? undefined : parseCount(amount)
  const back = direction === 'last' || direction === 'past' || direction === 'previous'
  if (count === undefined) return back ? span('', iso(today, 'day'), 'duration') : span(iso(today, 'day'), '', 'duration')
  const other = iso(addUnits(today, unit, back ? -count : count), 'day')
  return back ? span(other, iso(today, 'day'), 'duration') : span(iso(today, 'day'), other, 'duration')
}

// "The first visit in five years", "the highest level in a decade".
const superlative = /\b(?:first|last|only|best|worst|most|least|highest|lowest|biggest|largest|smallest|longest|shortest|strongest|weakest|greatest|fastest|slowest|sharpest|steepest|deepest|\w+iest)\b/i

/**
 * A counted duration: "five years", "for 33 years", "in two years". Only "in
 * N units" in a clause about the future is a date ("will open in two years");
 * "the first visit in five years" looks back over the last five years; other
 * durations are not placed in time.
 */
function countedDuration(text: string, start: number, today: Day, preposition: string, amount: number | undefined, unit: Unit, tense: () => Tense): Value {
  if ((preposition === 'in' || preposition === 'within') && amount !== undefined) {
    const clause = text.slice(sentenceAround(text, start, start).from, start)
    if (superlative.test(clause) && preposition === 'in') return span(iso(addUnits(today, unit, -amount), 'day'), iso(today, 'day'), 'duration')
    if (tense() === 'future') {
      if (preposition === 'within') return span(iso(today, 'day'), iso(addUnits(today, unit, amount), 'day'), 'duration')
      return single(addUnits(today, unit, amount), unitPrecision(unit))
    }
  }
  return span('', '', 'duration')
}

/** The day of a weekday name: back in a clause about the past, forward in one about the future. */
function weekday(today: Day, target: number, modifier: string | undefined, tense: Tense): Day {
  const forward = (target - weekdayOf(today) + 7) % 7
  const backward = (weekdayOf(today) - target + 7) % 7
  switch (modifier) {
    case 'last':
    case 'past':
    case 'previous':
      return addDays(today, -(backward || 7))
    case 'next':
    case 'coming':
      return addDays(today, forward || 7)
    case 'this':
      return tense === 'past' ? addDays(today, -backward) : addDays(today, forward)
    default:
      // Note: news style names the day of writing too ("was set to land on Monday", written on a Monday).
      return tense === 'future' ? addDays(today, forward) : addDays(today, -backward)
  }
}

/** Saturday and Sunday of the weekend meant: the last one in a report, the coming one in a plan. */
function weekend(today: Day, modifier: string | undefined, tense: Tense): Value {
  const day = weekdayOf(today)
  // The weekend that is going on or last ended; on Saturday and Sunday, the current one.
  const current = addDays(today, -((day + 1) % 7))
  let saturday: Day
  if (modifier === 'last' || modifier === 'past' || modifier === 'previous') saturday = day === 0 || day === 6 ? addDays(current, -7) : current
  else if (modifier === 'next' || modifier === 'coming') saturday = addDays(current, 7)
  else if (day === 0 || day === 6 || tense !== 'future') saturday = current
  else saturday = addDays(current, 7)
  return span(iso(saturday, 'day'), iso(addDays(saturday, 1), 'day'), 'date')
}

/**
 * A date from the fields written in it: a missing year is the one that puts
 * a month and day nearest the reference; a lone month is the last one in a
 * report and the next one in a plan. `after` is the start of a range whose
 * end this is.
 */
function absolute(components: chrono.ParsedComponents, today: Day, tense: () => Tense, text: string, start: number, after?: Value): Value | undefined {
  const year = components.isCertain('year') ? components.get('year') : null
  const month = components.isCertain('month') ? components.get('month') : null
  const day = components.isCertain('day') ? components.get('day') : null
  if (after) {
    // The end of a range takes the missing fields from its start ("Aug. 27-29").
    const first = after.startDate.split('-').map(Number)
    const endMonth = month ?? first[1]
    if (endMonth === undefined || day === null) return undefined
    let candidate = {year: year ?? first[0]!, month: endMonth, day}
    if (!isValidDay(candidate)) return undefined
    if (year === null && after.startDate.length === 10 && iso(candidate, 'day') < after.startDate) candidate = {...candidate, year: candidate.year + 1}
    return single(candidate, 'day')
  }
  if (month === null) return undefined
  if (day === null && year === null) return loneMonth(month, today, tense, text, start)
  if (day !== null) {
    if (year !== null) {
      const value = {year, month, day}
      return isValidDay(value) ? single(value, 'day') : undefined
    }
    const options = [today.year - 1, today.year, today.year + 1].map((candidate) => ({year: candidate, month, day})).filter(isValidDay)
    if (options.length === 0) return undefined
    options.sort((a, b) => Math.abs(dayDistance(a, today)) - Math.abs(dayDistance(b, today)))
    return single(options[0]!, 'day')
  }
  return single({year: year!, month, day: 1}, 'month')
}

/** A month without day or year: the last one in a report, the next one in a plan. */
function loneMonth(month: number, today: Day, tense: () => Tense, text: string, start: number): Value | undefined {
  // It needs a word that makes it a date ("in March", "early May", not "May said").
  const name = monthName.exec(text.slice(start))
  const before = text.slice(Math.max(0, start - 40), start + (name?.index ?? 0))
  if (!/(?:\b(?:in|of|since|until|till|by|from|to|through|between|and|or|before|after|during|early|mid|late|last|next|this|throughout|the|its|their|his|her|our)\s+|\bmid-|['’]s\s+)$/i.test(before)) return undefined
  const future = tense() === 'future'
  const yearOf = future ? (month >= today.month ? today.year : today.year + 1) : month <= today.month ? today.year : today.year - 1
  return single({year: yearOf, month, day: 1}, 'month')
}

/**
 * Whether the month and weekday names chrono read are written as dates:
 * capitalized ("march" is a verb), and abbreviations only with a period or
 * a day ("Sun" is a newspaper, "Sept. 1" a date).
 */
function wordsAreDates(text: string, start: number, end: number): boolean {
  const written = text.slice(start, end)
  for (const match of written.matchAll(dateNames)) {
    const word = match[0]
    if (!/^\p{Lu}/u.test(word)) return false
    const after = written.slice(match.index + word.length)
    const full = /^(?:january|february|march|april|may|june|july|august|september|october|november|december)$/i.test(word) || weekdays.includes(word.toLowerCase())
    if (!full && !word.endsWith('.') && !/^\s*\d/.test(after)) return false
  }
  return true
}

// Rules chrono lacks.

// Words before a number that make it a year. After a strong one ("in", "since") any year from 1000 on is taken;
// after a weak one ("the", "of") or none, only 1900 to 2099, and not before a count's noun ("2000 troops").
const yearContext = /(?:\b(?:in|since|until|till|from|before|after|during|circa|c\.|year|early|late|mid|fiscal|spring|summer|autumn|fall|winter)\s+|\bmid-)$/i
const weakYearContext = /(?:\b(?:by|of|to|through|between|and|or|the|around|as|for)\s+|[(‘'’]\s*)$/i
const quantityBefore = /\b(?:about|approximately|nearly|almost|some|over|than|another|additional|total|up|only|just|roughly|estimated)\s+$/i
const countedAfter = /^\s*(?:people|persons|troops|soldiers|workers|employees|staff|men|women|children|jobs|units|copies|cars|vehicles|homes|houses|km|kilometres|kilometers|miles|metres|meters|feet|tonnes|tons|dollars|euros|pounds|yen|points|votes|seats|members|residents|cases|deaths)\b/i

/**
 * The matches of the global `pattern` in `text`; none, without running it,
 * when `text` lacks `needed`, which every match of it contains (a scan for a
 * few letters instead of trying a costly pattern at every position).
 */
function matches(text: string, needed: RegExp, pattern: RegExp): Iterable<RegExpExecArray> {
  return needed.test(text) ? text.matchAll(pattern) : []
}

/** "A hundred years ago" and the like. */
const agoPattern = new RegExp(`(?<![\\p{L}\\p{N}-])(${numberPattern})\\s+(${unitPattern})\\s+ago\\b`, 'giu')
/** A count of units: "five years", "26 years" (not "a year": see `ruleCandidates`). */
const countedPattern = new RegExp(`(?<![\\p{L}\\p{N}-])((?:\\d+(?:\\.\\d+)?|${numberPattern.replace('|an?|', '|')})\\s+${unitPattern})(?![\\p{L}\\p{N}]|[-‐]|\\s+(?:old|of age)\\b)`, 'giu')
/** What every unit of `unitPattern` begins with. */
const unitWord = /second|minute|hour|day|week|fortnight|month|quarter|year|decade|centur/iu

function ruleCandidates(text: string, offset: number, line: string, today: Day, tenseAt: TenseAt): Candidate[] {
  const candidates: Candidate[] = []
  const add = (start: number, end: number, value: Value) => candidates.push({start: offset + start, end: offset + end, rank: 0, ...value})

  // Decades: "the 1990s", "the '80s".
  for (const match of matches(line, /0s/iu, /(?:\bthe\s+)?(?:\b(1\d|20)(\d)0|(?<![\p{L}\p{N}])['’](\d)0)s\b/giu)) {
    const first = match[1] ? Number(`${match[1]}${match[2]}0`) : 1900 + Number(match[3]) * 10
    add(match.index, match.index + match[0].length, span(pad(first, 4), pad(first + 9, 4), 'date'))
  }

  // Years with an apostrophe: "since '82"; the century that puts them nearest the reference's past.
  for (const match of matches(line, /['’]\s?\d/, /(?<![\p{L}\p{N}])['’]\s?(\d{2})(?![\p{L}\p{N}%]|[.,]\d)/gu)) {
    const short = Number(match[1])
    const year = Math.floor(today.year / 100) * 100 + short > today.year + 10 ? Math.floor(today.year / 100) * 100 - 100 + short : Math.floor(today.year / 100) * 100 + short
    if (!yearContext.test(line.slice(Math.max(0, match.index - 20), match.index))) continue
    add(match.index, match.index + match[0].length, single({year, month: 1, day: 1}, 'year'))
  }

  // Year ranges: "1990-95", "from 1990 to 1995", "between 1990 and 1995".
  for (const match of line.matchAll(/\b(?:(from|between)\s+)?(1\d{3}|20\d{2})\s*(?:[-–—]|\s(?:to|until|till|through|and)\s)\s*(1\d{3}|20\d{2}|\d{2})\b(?![-–—/.,]?\d)/gi)) {
    const first = Number(match[2])
    let last = Number(match[3])
    if (match[3]!.length === 2) last = Math.floor(first / 100) * 100 + last
    if (last <= first || last - first > 100) continue
    if (/\band\s/i.test(match[0]) && match[1]?.toLowerCase() !== 'between') continue
    add(match.index, match.index + match[0].length, span(pad(first, 4), pad(last, 4), 'range'))
  }

  // Bare years: "in 1879", "2007 was", "mid-2011"; never a count ("2000 troops") or part of a number.
  for (const match of line.matchAll(/(?<![\p{L}\p{N}$€£¥#.,/:])(?<!(?<!\bmid)-)(1\d{3}|20\d{2})(?![\p{L}\p{N}%°]|[.,:/]\d|-\d)/gu)) {
    const year = Number(match[1])
    const before = line.slice(Math.max(0, match.index - 20), match.index)
    const after = line.slice(match.index + 4)
    const strong = yearContext.test(before)
    if (year < 1900 && !strong) continue
    if (countedAfter.test(after) || (!strong && quantityBefore.test(before))) continue
    // "2000 troops": a count before a plural noun, unless the noun is a verb ("2007 was", "2009 marks").
    if (!strong && !weakYearContext.test(before) && /^\s+[a-z]+s\b/.test(after) && !/^\s+(?:was|has|is|as|its|sees|saw|marks|brings|begins|ends|looks|promises|remains)\b/.test(after)) continue
    add(match.index, match.index + 4, single({year, month: 1, day: 1}, 'year'))
  }

  // Vague spans up to now or from now: "for decades", "in recent years", "in the coming weeks".
  for (const match of line.matchAll(/\b(?:for|over|in)\s+((?:many\s+|several\s+)?(?:decades|years|months|weeks|centuries))\b(?![-‐]|\s+(?:ago|later|earlier|before|after|old|of)\b)/gi)) {
    const start = match.index + match[0].length - match[1]!.length
    const end = match.index + match[0].length
    const future = tenseAt(offset + start, offset + end) === 'future'
    add(start, end, future ? span(iso(today, 'day'), '', 'duration') : span('', iso(today, 'day'), 'duration'))
  }
  for (const match of matches(line, /recent|coming/i, /\b(?:the\s+)?(recent|coming)\s+(?:few\s+)?(days|weeks|months|years|decades)\b/gi)) {
    const end = match.index + match[0].length
    const back = match[1]!.toLowerCase() === 'recent'
    add(match.index, end, back ? span('', iso(today, 'day'), 'duration') : span(iso(today, 'day'), '', 'duration'))
  }
  // "The past decade", "the last century": chrono has no decades.
  for (const match of matches(line, /decade|century/i, /\b(?:the\s+)?(past|last|previous|next|coming)\s+(decade|century)\b/gi)) {
    const back = !/^(?:next|coming)$/i.test(match[1]!)
    const unit = parseUnit(match[2]!)!
    const other = iso(addUnits(today, unit, back ? -1 : 1), 'day')
    add(match.index, match.index + match[0].length, back ? span(other, iso(today, 'day'), 'duration') : span(iso(today, 'day'), other, 'duration'))
  }
  // "The end of the year": the reference's year, month or week.
  for (const match of line.matchAll(/\bthe\s+(?:very\s+)?(?:beginning|start|end|middle|first\s+half|second\s+half|rest|remainder)\s+of\s+the\s+(year|month|week)\b/gi)) {
    const value = calendarUnit(today, parseUnit(match[1]!)!, 0)
    if (value) add(match.index, match.index + match[0].length, value)
  }
  // "A hundred years ago" and the like, where chrono does not see them.
  for (const match of matches(line, /ago/iu, agoPattern)) {
    add(match.index, match.index + match[0].length, ago(today, match[1]!, match[2]!))
  }
  // Counted durations chrono leaves alone: "served five years", "26 years"; not "10-day" or "five-year".
  for (const match of matches(line, unitWord, countedPattern)) {
    const amount = parseCount(match[1]!.split(/\s+/).slice(0, -1).join(' '))
    if (amount === undefined || (amount > 1 && !/s$/i.test(match[1]!))) continue
    add(match.index, match.index + match[0].length, span('', '', 'duration'))
  }
  return candidates
}

// Putting the expressions together.

/** Keep the longest of overlapping expressions (chrono's on a tie), in text order. */
function removeOverlaps(candidates: Candidate[]): Candidate[] {
  const sorted = [...candidates].sort((a, b) => b.end - b.start - (a.end - a.start) || b.rank - a.rank || a.start - b.start)
  const kept: Candidate[] = []
  for (const candidate of sorted) {
    if (kept.some((other) => candidate.start < other.end && other.start < candidate.end)) continue
    kept.push(candidate)
  }
  return kept.sort((a, b) => a.start - b.start)
}

/** Join a month or day without a year to a year after it: "October of next year", "May 5 last year". */
function joinMonthYear(text: string, candidates: Candidate[]): Candidate[] {
  const result: Candidate[] = []
  for (let index = 0; index < candidates.length; index++) {
    const first = candidates[index]!
    const second = candidates[index + 1]
    const datePart = /^\d{4}-(\d{2}(?:-\d{2})?)$/.exec(first.startDate)
    if (
      datePart &&
      first.kind === 'date' &&
      first.startDate === first.endDate &&
      !/\d{4}|['’]\d{2}/.test(text.slice(first.start, first.end)) &&
      second?.precision === 'year' &&
      /^\s+(?:of\s+)?$/.test(text.slice(first.end, second.start))
    ) {
      const value = `${second.startDate}-${datePart[1]}`
      const [year, month, day] = value.split('-').map(Number)
      if (day === undefined || isValidDay({year: year!, month: month!, day})) {
        result.push({...first, end: second.end, ...span(value, value, 'date')})
        index++
        continue
      }
    }
    result.push(first)
  }
  return result
}

/** Join "between March 3 and March 5" and "from 2001 to May 2003" into ranges; take "from" into a chrono range. */
function joinRanges(text: string, candidates: Candidate[]): Candidate[] {
  const result: Candidate[] = []
  for (let index = 0; index < candidates.length; index++) {
    const first = candidates[index]!
    const second = candidates[index + 1]
    const lead = /\b(between|from)\s+$/i.exec(text.slice(Math.max(0, first.start - 10), first.start))
    if (first.kind === 'date' && second?.kind === 'date' && lead && first.startDate !== '' && second.endDate !== '') {
      const middle = text.slice(first.end, second.start)
      const joiner = lead[1]!.toLowerCase() === 'between' ? /^\s+and\s+$/i : /^\s*(?:to|until|till|through|[-–—])\s*$/i
      if (joiner.test(middle) && first.startDate <= second.endDate) {
        result.push({...first, start: first.start - lead[0].length, end: second.end, ...span(first.startDate, second.endDate, 'range')})
        index++
        continue
      }
    }
    if (first.kind === 'range' && lead?.[1]!.toLowerCase() === 'from' && /\sto\s|[-–—]/.test(text.slice(first.start, first.end))) {
      result.push({...first, start: first.start - lead[0].length})
      continue
    }
    result.push(first)
  }
  return result
}

/** Take a modifier into the expression without changing its value: "earlier this year", "mid-2011", "the end of May". */
function extendModifier(text: string, candidate: Candidate): Candidate {
  if (candidate.kind !== 'date' || candidate.startDate === '') return candidate
  const match = modifierBefore.exec(text.slice(Math.max(0, candidate.start - 40), candidate.start))
  if (!match || /\n/.test(match[0])) return candidate
  return {...candidate, start: candidate.start - match[0].length}
}

// "The end of the day", "late in the day", "closed the day", "for the day", "that day"; not "at the end of the day"
// (an idiom), "half the day" or "back in the day", which name no day.
const sameDay = new RegExp(
  [
    '\\b(?:the\\s+)?(?:very\\s+)?(?:start|beginning|close|rest|remainder|course)\\s+of\\s+the\\s+day',
    '(?<!\\bat\\s+(?:the\\s+)?)\\b(?:the\\s+)?(?:very\\s+)?end\\s+of\\s+the\\s+day',
    '\\b(?:earlier|later|late|early)\\s+in\\s+the\\s+day',
    '(?<=\\b(?:for|over|throughout|during|(?:start|end|finish|clos|open)(?:s|ed|ing|e)?|beg[ai]n)\\s+)the\\s+day',
    '\\b(?:the\\s+same|that(?:\\s+same)?)\\s+day'
  ]
    .map((pattern) => `(?:${pattern})`)
    .join('|') + '\\b(?![-‐]|\\s+(?:of|after|before|when|that|which|following|in\\s+which|on\\s+which|the|an?|he|she|it|they|we|its|his|her|their|one)\\b)',
  'gi'
)

/**
 * "The day", "that day", "late in the day": the day last named before (the
 * day a report is about), else the day of writing. Not "the day of the vote"
 * or "the day before", which name another day.
 */
function addSameDay(text: string, expressions: Candidate[], today: Day): Candidate[] {
  const added: Candidate[] = []
  for (const match of matches(text, /\sday\b/i, sameDay)) {
    const start = match.index
    const end = start + match[0].length
    if (/\b(?:one|every|each|all|any|per|a|to)\s+$/i.test(text.slice(Math.max(0, start - 10), start))) continue
    if (expressions.some((other) => start < other.end && other.start < end)) continue
    const previous = expressions.filter((other) => other.end <= start && other.kind === 'date' && other.startDate.length === 10 && other.startDate === other.endDate).at(-1)
    added.push({start, end, rank: 0, ...(previous ? span(previous.startDate, previous.startDate, 'date') : single(today, 'day'))})
  }
  return [...expressions, ...added].sort((a, b) => a.start - b.start)
}
