// The events of a summary as columns: what the site's index reads of every event, without an object for each.
import {endianness} from 'node:os'
import type {EventBrief, EventStatus, NewsEvent, SummaryEvent} from './types.js'

/**
 * Numbers per event in `SummaryEvents.data`: the places in its strings of
 * its id, code, start and end dates, status, then 1 when negated, the places
 * of its actors, location and source (-1 when it has none), where its
 * evidence text starts and ends in the summary's, and how many participants
 * it has besides its actors and location (in `parts`, two numbers each).
 */
const stride = 13
const field = {id: 0, code: 1, startDate: 2, endDate: 3, status: 4, negated: 5, actor1: 6, actor2: 7, location: 8, sourceId: 9, evidenceStart: 10, evidenceEnd: 11, participants: 12} as const
/** The fields that point into the strings always, and those that may be -1. */
const required = [field.id, field.code, field.startDate, field.endDate, field.status]
const optional = [field.actor1, field.actor2, field.location, field.sourceId]

/** The participants of every event without any: frozen, since it is shared. */
const noParticipants = Object.freeze([]) as unknown as SummaryEvent['participants']

/**
 * What an event of a summary is once let go (`SummaryEvents.release`): the
 * others keep their places (the numbers of the site's events, the count).
 */
export const releasedEvent: SummaryEvent = Object.freeze({id: '', code: '', participants: noParticipants, status: 'occurred', negated: false, startDate: '', endDate: '', evidenceText: ''})

/** The events of a summary as they are serialized (`SummaryEvents.toJSON`): its strings, and its numbers and participants in base64 (32-bit integers, little-endian). */
export interface SummaryEventsJson {
  strings: string[]
  data: string
  parts: string
  evidence: string
}

/** How a summary holds the strings it repeats (`summary.ts`): each once for all the summaries of a build. */
export type Hold = (value: string) => string

/**
 * The events of an article's summary: as many as the article reports, each
 * a row of numbers pointing into one list of strings, their evidence texts
 * one string. `at` makes an event's object, for the few a page or feed
 * shows; the site's index reads the rest by field. Note: at 10,000 bench
 * articles a rebuild read 585,000 events, and `JSON.parse` of their objects,
 * with the garbage they left, was most of the time it took to read the
 * summaries (`bench/HISTORY.md`).
 */
export class SummaryEvents {
  readonly length: number
  /** The first participant of each event in `parts` (pairs), and the end of the last. */
  private starts: Int32Array
  /** Once let go of (`release`): the events kept, made, by index; the others are `releasedEvent`. */
  private kept: Map<number, SummaryEvent> | undefined

  constructor(
    private strings: string[],
    private data: Int32Array,
    private parts: Int32Array,
    private evidence: string
  ) {
    this.length = data.length / stride
    this.starts = new Int32Array(this.length + 1)
    for (let index = 0; index < this.length; index++) this.starts[index + 1] = this.starts[index]! + data[index * stride + field.participants]!
  }

  /** The columns of `events`, whose evidence is in `text`; the strings through `hold`. */
  static of(events: NewsEvent[], text: string, hold: Hold = (value) => value): SummaryEvents {
    const strings: string[] = []
    const places = new Map<string, number>()
    const place = (value: string | undefined) => {
      if (value === undefined) return -1
      let found = places.get(value)
      if (found === undefined) {
        found = strings.length
        strings.push(hold(value))
        places.set(value, found)
      }
      return found
    }
    const data = new Int32Array(events.length * stride)
    const parts: number[] = []
    const texts: string[] = []
    let length = 0
    for (const [index, event] of events.entries()) {
      const first = event.evidence[0]!
      const evidence = text.slice(first.start, first.end)
      const row = [place(event.id), place(event.code), place(event.startDate), place(event.endDate), place(event.status), event.negated ? 1 : 0, place(event.actor1), place(event.actor2), place(event.location), place(event.sourceId), length, length + evidence.length, event.participants.length]
      data.set(row, index * stride)
      for (const {entityId, role} of event.participants) parts.push(place(entityId), place(role))
      texts.push(evidence)
      length += evidence.length
    }
    // Note: joined, a string of its own: not a slice of the article's whole text, which it would keep alive.
    return new SummaryEvents(strings, data, Int32Array.from(parts), texts.join(''))
  }

  /** Read back from `toJSON`'s value, the strings through `hold`; `undefined` when it is not one (corrupt, cut short, of another format). */
  static fromJSON(value: unknown, hold: Hold = (text) => text): SummaryEvents | undefined {
    if (value === null || typeof value !== 'object') return undefined
    const {strings, data, parts, evidence} = value as Partial<SummaryEventsJson>
    if (!Array.isArray(strings) || !strings.every((item) => typeof item === 'string') || typeof data !== 'string' || typeof parts !== 'string' || typeof evidence !== 'string') return undefined
    const numbers = fromBase64(data)
    const pairs = fromBase64(parts)
    if (numbers === undefined || pairs === undefined || numbers.length % stride !== 0 || pairs.length % 2 !== 0) return undefined
    const count = strings.length
    const inStrings = (place: number, optional: boolean) => (optional && place === -1) || (place >= 0 && place < count)
    let participants = 0
    for (let start = 0; start < numbers.length; start += stride) {
      for (const at of required) if (!inStrings(numbers[start + at]!, false)) return undefined
      for (const at of optional) if (!inStrings(numbers[start + at]!, true)) return undefined
      const from = numbers[start + field.evidenceStart]!
      const to = numbers[start + field.evidenceEnd]!
      if ((numbers[start + field.negated]! & ~1) !== 0 || from < 0 || to < from || to > evidence.length || numbers[start + field.participants]! < 0) return undefined
      participants += numbers[start + field.participants]!
    }
    if (participants * 2 !== pairs.length || !pairs.every((place) => inStrings(place, false))) return undefined
    return new SummaryEvents(strings.map(hold), numbers, pairs, evidence)
  }

  toJSON(): SummaryEventsJson {
    // Note: the evidence of events let go of is gone; serialized, they would not read back as they were.
    if (this.kept) throw new Error('Unexpected serialization of summary events let go of')
    return {strings: this.strings, data: toBase64(this.data), parts: toBase64(this.parts), evidence: this.evidence}
  }

  /** Its id, code and start date, read from the columns (not once let go of, `release`). */
  id(index: number): string {
    return this.string(index, field.id)!
  }

  code(index: number): string {
    return this.string(index, field.code)!
  }

  startDate(index: number): string {
    return this.string(index, field.startDate)!
  }

  /** Visit each entity of the event with how it takes part, in order: actor 1, actor 2, the other participants (host …), the location. */
  eachRole(index: number, visit: (id: string, role: string) => void): void {
    this.columns()
    const actor1 = this.string(index, field.actor1)
    const actor2 = this.string(index, field.actor2)
    if (actor1) visit(actor1, 'actor 1')
    if (actor2) visit(actor2, 'actor 2')
    for (let pair = this.starts[index]!; pair < this.starts[index + 1]!; pair++) {
      const role = this.strings[this.parts[pair * 2 + 1]!]!
      visit(this.strings[this.parts[pair * 2]!]!, role === 'actor1' ? 'actor 1' : role === 'actor2' ? 'actor 2' : role)
    }
    const location = this.string(index, field.location)
    if (location) visit(location, 'location')
  }

  /** The event at `index`, made anew (as a summary held it before its events were columns); `releasedEvent` once it was let go of. */
  at(index: number): SummaryEvent {
    if (index < 0 || index >= this.length) throw new RangeError(`Unexpected event ${index + 1} of ${this.length}`)
    if (this.kept) return this.kept.get(index) ?? releasedEvent
    const row = index * stride
    const evidenceText = this.evidence.slice(this.data[row + field.evidenceStart], this.data[row + field.evidenceEnd])
    const start = this.starts[index]!
    const end = this.starts[index + 1]!
    const participants = start === end ? noParticipants : Array.from({length: end - start}, (_, offset) => ({entityId: this.strings[this.parts[(start + offset) * 2]!]!, role: this.strings[this.parts[(start + offset) * 2 + 1]!]!}))
    const event: SummaryEvent = {
      id: this.id(index),
      code: this.code(index),
      participants,
      startDate: this.startDate(index),
      endDate: this.string(index, field.endDate)!,
      status: this.string(index, field.status) as EventStatus,
      negated: this.data[index * stride + field.negated] === 1,
      evidenceText
    }
    // Note: absent rather than undefined, as read back from JSON (which drops undefined).
    const actor1 = this.string(index, field.actor1)
    const actor2 = this.string(index, field.actor2)
    const location = this.string(index, field.location)
    const sourceId = this.string(index, field.sourceId)
    if (actor1 !== undefined) event.actor1 = actor1
    if (actor2 !== undefined) event.actor2 = actor2
    if (location !== undefined) event.location = location
    if (sourceId !== undefined) event.sourceId = sourceId
    return event
  }

  /** Every event, made (`at`). */
  all(): SummaryEvent[] {
    return Array.from({length: this.length}, (_, index) => this.at(index))
  }

  /**
   * Let go of every event but those `keep` tells: each of the others is
   * `releasedEvent` from then on (`HtmlContext.releaseUnshownEvents`), and
   * each kept is made once, the same object whenever asked for. Returns how
   * many were let go of.
   */
  release(keep: (index: number) => boolean): number {
    const kept = new Map<number, SummaryEvent>()
    let released = 0
    for (let index = 0; index < this.length; index++) {
      if (this.kept && !this.kept.has(index)) continue
      if (!keep(index)) {
        released++
        continue
      }
      const event = this.at(index)
      // Note: copied, so that the texts of the events let go of are not kept alive by a slice of them.
      kept.set(index, this.kept ? event : {...event, evidenceText: copy(event.evidenceText)})
    }
    this.kept = kept
    // Note: the columns too, which the site's index has read: 13 numbers an event, about 30 MB at 10,000 bench articles (estimated).
    this.evidence = ''
    this.strings = []
    this.data = noNumbers
    this.parts = noNumbers
    this.starts = noNumbers
    return released
  }

  /** The same events, which this one's `release` does not touch, nor theirs this one. */
  copy(): SummaryEvents {
    this.columns()
    return new SummaryEvents(this.strings, this.data, this.parts, this.evidence)
  }

  /** Throws once the columns were let go of (`release`). */
  private columns(): void {
    if (this.kept) throw new Error('Unexpected read of summary events let go of (`releaseUnshownEvents`)')
  }

  private string(index: number, at: number): string | undefined {
    this.columns()
    const place = this.data[index * stride + at]!
    return place === -1 ? undefined : this.strings[place]
  }
}

/** Visit each entity of an event with how it takes part, in order: actor 1, actor 2, the other participants (host …), the location. */
export function eachRole(event: EventBrief, visit: (id: string, role: string) => void): void {
  if (event.actor1) visit(event.actor1, 'actor 1')
  if (event.actor2) visit(event.actor2, 'actor 2')
  for (const {entityId, role} of event.participants) visit(entityId, role === 'actor1' ? 'actor 1' : role === 'actor2' ? 'actor 2' : role)
  if (event.location) visit(event.location, 'location')
}

/** `eachRole` for every event of `events`: a summary's, or a whole record's. */
export function eachEventRole(events: SummaryEvents | readonly EventBrief[], visit: (id: string, role: string) => void): void {
  if (events instanceof SummaryEvents) for (let index = 0; index < events.length; index++) events.eachRole(index, visit)
  else for (const event of events) eachRole(event, visit)
}

const noNumbers = new Int32Array(0)

const bigEndian = endianness() === 'BE'

/** 32-bit integers as base64, little-endian whatever the machine. */
function toBase64(numbers: Int32Array): string {
  const bytes = Buffer.from(numbers.buffer, numbers.byteOffset, numbers.byteLength)
  return (bigEndian ? Buffer.from(bytes).swap32() : bytes).toString('base64')
}

/**
 * Where `fromBase64` decodes into: a block of memory of its own (aligned for
 * the views), filled from `slabUsed` on. Note: a block lives while any view
 * of it does; small, so that the summaries a long-lived process (`--watch`)
 * reads again over time pin little of those it no longer holds (a block
 * holds about 20 bench summaries).
 */
let slab: Buffer | undefined
let slabUsed = 0
const slabSize = 64 << 10

/**
 * `toBase64` read back; `undefined` when it is not whole 32-bit integers.
 * Note: decoded into a slab shared by the summaries of the process, each a
 * view of its part: a buffer of its own for each (made by `Buffer.from`, then
 * copied to be aligned) took 0.5 s of reading the 9,999 summaries of a
 * rebuild of 10,000 bench articles.
 */
function fromBase64(text: string): Int32Array | undefined {
  const most = Math.ceil(text.length / 4) * 3
  if (slab === undefined || slabUsed + most > slab.length) {
    slab = Buffer.allocUnsafeSlow(Math.max(slabSize, most))
    slabUsed = 0
  }
  const written = slab.write(text, slabUsed, 'base64')
  if (written % 4 !== 0) return undefined
  const bytes = slab.subarray(slabUsed, slabUsed + written)
  slabUsed += written
  if (bigEndian) bytes.swap32()
  return new Int32Array(bytes.buffer, bytes.byteOffset, written / 4)
}

/** A string with storage of its own (not a slice of a larger one, which would keep that alive). */
export function copy(value: string): string {
  return value.length === 0 ? '' : (' ' + value).slice(1)
}
