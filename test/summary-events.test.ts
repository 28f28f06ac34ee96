import {describe, expect, it} from 'vitest'
import {eachEventRole, eachRole, releasedEvent, SummaryEvents} from '../pipeline/summary-events.js'
import type {NewsEvent} from '../pipeline/types.js'

const text = 'Kenya criticized Uganda on Monday. Kenya and Uganda met in Nairobi, S\u00e3o Paulo \u{1F5DE} said.'

/** Two events of `text`: the second with participants, a location and a source, the first with none of them. */
function newsEvents(): NewsEvent[] {
  const evidence = (start: number, end: number) => ({sentence: 0, start, end, triggerStart: start, triggerEnd: start + 1})
  return [
    {id: 'e1', code: '111', trigger: 'criticized', actor1: 'kenya', actor2: 'uganda', participants: [], startDate: '2003-03-03', endDate: '2003-03-03', precision: 'day', status: 'occurred', negated: false, evidence: [evidence(0, 34)], confidence: 0.9},
    {
      id: 'e2',
      code: '040',
      trigger: 'met',
      actor1: 'kenya',
      participants: [
        {entityId: 'uganda', role: 'actor1'},
        {entityId: 'sao-paulo-mayor-of-a-long-name', role: 'host'}
      ],
      location: 'nairobi',
      startDate: '',
      endDate: '',
      precision: '',
      status: 'announced',
      negated: true,
      sourceId: 'reuters',
      evidence: [evidence(35, text.length), evidence(0, 5)],
      confidence: 0.5
    }
  ]
}

describe('the events of a summary as columns', () => {
  it('give back each event as the site shows it, its optional fields absent rather than undefined, read back the same from their JSON', () => {
    const events = SummaryEvents.of(newsEvents(), text)
    // What the site shows of an event: all but its trigger, date precision, evidence ranges and confidence, with its first evidence's text.
    const expected = newsEvents().map(({trigger: _trigger, precision: _precision, evidence, confidence: _confidence, ...brief}) => ({...brief, evidenceText: text.slice(evidence[0]!.start, evidence[0]!.end)}))
    expect(expected[1]).toMatchObject({evidenceText: text.slice(35), location: 'nairobi', sourceId: 'reuters', negated: true})
    expect(expected[0]).not.toHaveProperty('location')
    expect(events.length).toBe(2)
    expect(events.all()).toStrictEqual(expected)
    expect([events.id(1), events.code(1), events.startDate(0)]).toEqual(['e2', '040', '2003-03-03'])
    const read = SummaryEvents.fromJSON(JSON.parse(JSON.stringify(events)))!
    expect(read.all()).toStrictEqual(expected)
    // Events without participants share one list, which nothing can change.
    expect(Object.isFrozen(read.at(0).participants)).toBe(true)
    expect(SummaryEvents.of([], text).all()).toEqual([])
    expect(() => events.at(2)).toThrow(RangeError)
  })

  it('visit the entities of an event in the order the site lists its roles, as they do for an event made', () => {
    const events = SummaryEvents.of(newsEvents(), text)
    for (let index = 0; index < events.length; index++) {
      const fromColumns: string[] = []
      const fromObject: string[] = []
      events.eachRole(index, (id, role) => fromColumns.push(`${id} as ${role}`))
      eachRole(events.at(index), (id, role) => fromObject.push(`${id} as ${role}`))
      expect(fromColumns).toEqual(fromObject)
    }
    const visited: string[] = []
    events.eachRole(1, (id, role) => visited.push(`${id} as ${role}`))
    expect(visited).toEqual(['kenya as actor 1', 'uganda as actor 1', 'sao-paulo-mayor-of-a-long-name as host', 'nairobi as location'])
    // A whole record's events and a summary's are visited alike.
    const ofRecord: string[] = []
    const ofSummary: string[] = []
    eachEventRole(newsEvents(), (id) => ofRecord.push(id))
    eachEventRole(events, (id) => ofSummary.push(id))
    expect(ofSummary).toEqual(ofRecord)
  })

  it('hold each string they repeat as they are told (a build shares them across its summaries)', () => {
    const table = new Map<string, string>()
    const hold = (value: string) => {
      if (!table.has(value)) table.set(value, value)
      return table.get(value)!
    }
    SummaryEvents.of(newsEvents(), text, hold)
    expect([...table.keys()].sort()).toEqual(['', '040', '111', '2003-03-03', 'actor1', 'announced', 'e1', 'e2', 'host', 'kenya', 'nairobi', 'occurred', 'reuters', 'sao-paulo-mayor-of-a-long-name', 'uganda'])
  })

  it('refuse JSON that is not theirs: each number in range, the evidence within its text, the participants all there', () => {
    const json = JSON.parse(JSON.stringify(SummaryEvents.of(newsEvents(), text))) as {strings: string[]; data: string; parts: string; evidence: string}
    expect(SummaryEvents.fromJSON(json)).toBeDefined()
    const numbers = (base64: string) => [...new Int32Array(new Uint8Array(Buffer.from(base64, 'base64')).buffer)]
    const base64 = (values: number[]) => Buffer.from(new Int32Array(values).buffer).toString('base64')
    const data = numbers(json.data)
    const withData = (change: (values: number[]) => void) => {
      const values = [...data]
      change(values)
      return {...json, data: base64(values)}
    }
    for (const bad of [
      null,
      [],
      {...json, strings: [...json.strings, 1]},
      {...json, evidence: json.evidence.slice(0, 10)},
      {...json, data: json.data.slice(0, 8)},
      {...json, parts: base64(numbers(json.parts).slice(0, 2))},
      {...json, parts: base64([...numbers(json.parts), 0, 0])},
      withData((values) => (values[1] = json.strings.length)),
      withData((values) => (values[6] = -2)),
      withData((values) => (values[5] = 2)),
      withData((values) => (values[10] = 40))
    ]) {
      expect(SummaryEvents.fromJSON(bad), JSON.stringify(bad)).toBeUndefined()
    }
  })

  it('let go of the events no page shows, each kept the same object from then on, in their copies only when told there', () => {
    const events = SummaryEvents.of(newsEvents(), text)
    const copy = events.copy()
    expect(events.release((index) => index === 1)).toBe(1)
    expect(events.at(0)).toBe(releasedEvent)
    expect(events.at(1)).toBe(events.at(1))
    expect(events.at(1).evidenceText).toBe(text.slice(35))
    expect(events.length).toBe(2)
    // Let go again, only the events still kept count.
    expect(events.release(() => false)).toBe(1)
    expect(events.at(1)).toBe(releasedEvent)
    // The copy made before keeps every event; what is let go of cannot be serialized as if it were whole.
    expect(copy.all()).toStrictEqual(SummaryEvents.of(newsEvents(), text).all())
    expect(() => JSON.stringify(events)).toThrow(/let go/)
    // Nor are the columns read once they are let go of: the site's index has read them.
    expect(() => events.id(1)).toThrow(/let go/)
    expect(() => events.eachRole(1, () => undefined)).toThrow(/let go/)
    expect(() => events.copy()).toThrow(/let go/)
  })
})
