// Time expressions, on sentences written for these tests, and their normalization on MEANTIME.
import {execFile} from 'node:child_process'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {promisify} from 'node:util'
import {afterEach, describe, expect, it, vi} from 'vitest'
import {findDates, type DateOptions} from '../pipeline/extract/dates.js'
import {evaluateMeantimeDates} from './eval/dates.js'
import {root, shared, temporaryDirectory} from './helpers.js'

/** The expressions of `text` as `text → start..end precision kind`. */
function dates(text: string, reference = '2003-08-18', options?: DateOptions): string[] {
  return findDates(text, reference, options).map((item) => `${item.text} → ${item.startDate}..${item.endDate} ${item.precision} ${item.kind}`)
}

describe('days told from the day of writing', () => {
  it('reads today and yesterday as days around the reference', () => {
    expect(dates('The ceasefire held until today, officials said.')).toEqual(['today → 2003-08-18..2003-08-18 day date'])
    expect(dates('Rebels shelled the port yesterday.')).toEqual(['yesterday → 2003-08-17..2003-08-17 day date'])
    expect(dates('The ferry leaves tomorrow.')).toEqual(['tomorrow → 2003-08-19..2003-08-19 day date'])
  })

  it('looks forward for a weekday in a plan and back in a report', () => {
    expect(dates('This Saturday the envoys will travel to Seoul.')).toEqual(['This Saturday → 2003-08-23..2003-08-23 day date'])
    expect(dates('The minister resigned on Monday.', '2003-08-20')).toEqual(['Monday → 2003-08-18..2003-08-18 day date'])
    expect(dates('The ministers will meet on Monday.', '2003-08-20')).toEqual(['Monday → 2003-08-25..2003-08-25 day date'])
    expect(dates('The council voted on Wednesday.', '2003-08-20')).toEqual(['Wednesday → 2003-08-20..2003-08-20 day date'])
  })

  it('reads "this Saturday" forward when the sentence tells of any plan', () => {
    expect(dates('This Saturday, at a border post that was built long ago, guards are to hold drills.', '2003-08-20')).toEqual(['This Saturday → 2003-08-23..2003-08-23 day date'])
    expect(dates('The minister resigned this Monday.', '2003-08-20')).toEqual(['this Monday → 2003-08-18..2003-08-18 day date'])
  })

  it('lets the caller say the clause is about the future', () => {
    expect(dates('Talks on Monday', '2003-08-20', {future: true})).toEqual(['Monday → 2003-08-25..2003-08-25 day date'])
    expect(dates('Talks on Monday', '2003-08-20', {future: false})).toEqual(['Monday → 2003-08-18..2003-08-18 day date'])
  })

  it('takes the nearest past or next weekday after "last" and "next"', () => {
    expect(dates('The rally was last Friday and the count is next Tuesday.')).toEqual([
      'last Friday → 2003-08-15..2003-08-15 day date',
      'next Tuesday → 2003-08-19..2003-08-19 day date'
    ])
  })

  it('does not read a named day such as "Black Monday" as a weekday', () => {
    expect(dates('Traders still remember Black Monday.')).toEqual([])
  })

  it('gives a month and day the year that puts it nearest the reference', () => {
    expect(dates('The court will rule on Sept. 1.')).toEqual(['Sept. 1 → 2003-09-01..2003-09-01 day date'])
    expect(dates('Ballots were counted Aug. 27 and Aug. 29.')).toEqual(['Aug. 27 → 2003-08-27..2003-08-27 day date', 'Aug. 29 → 2003-08-29..2003-08-29 day date'])
    expect(dates('Fighting broke out on Dec. 30.', '2004-01-05')).toEqual(['Dec. 30 → 2003-12-30..2003-12-30 day date'])
    expect(dates('The vote is set for Jan. 12.', '2003-12-20')).toEqual(['Jan. 12 → 2004-01-12..2004-01-12 day date'])
  })

  it('reads a lone month as the last one in a report and the next one in a plan', () => {
    expect(dates('The plant closed in March.')).toEqual(['March → 2003-03..2003-03 month date'])
    expect(dates('The plant will reopen in March.')).toEqual(['March → 2004-03..2004-03 month date'])
    expect(dates('Dealers will learn their fate after October of next year.')).toEqual(['October of next year → 2004-10..2004-10 month date'])
  })

  it('keeps the year that is written', () => {
    expect(dates('The law takes effect in March 2004.')).toEqual(['March 2004 → 2004-03..2004-03 month date'])
    expect(dates('The treaty was signed on June 6, 2005.')).toEqual(['June 6, 2005 → 2005-06-06..2005-06-06 day date'])
    expect(dates('She was born in 1950 in Ohio.')).toEqual(['1950 → 1950..1950 year date'])
    expect(dates('Output has not been this low since \u201982.')).toEqual(['\u201982 → 1982..1982 year date'])
  })

  it('reads calendar years, months and weeks around the reference', () => {
    expect(dates('Profits doubled last year.')).toEqual(['last year → 2002..2002 year date'])
    expect(dates('They met last month and will meet again next month.')).toEqual(['last month → 2003-07..2003-07 month date', 'next month → 2003-09..2003-09 month date'])
    expect(dates('The envoy is in Tokyo this week.')).toEqual(['this week → 2003-08-18..2003-08-24 range date'])
    expect(dates('Talks resume next week.')).toEqual(['next week → 2003-08-25..2003-08-31 range date'])
    expect(dates('The envoy arrived this week.', '2003-08-24')).toEqual(['this week → 2003-08-18..2003-08-24 range date'])
  })

  it('reads "earlier this year", "mid-2002" and "the end of May" at the precision of the year or month', () => {
    expect(dates('Earlier this year the mayor resigned.')).toEqual(['Earlier this year → 2003..2003 year date'])
    expect(dates('Prices rose in mid-2002, again late last year and at the end of May.')).toEqual([
      'mid-2002 → 2002..2002 year date',
      'late last year → 2002..2002 year date',
      'the end of May → 2003-05..2003-05 month date'
    ])
  })

  it('reads "the day" as the day last named', () => {
    expect(dates('On Friday, the index fell 3% to end the day at 900 points.')).toEqual(['Friday → 2003-08-15..2003-08-15 day date', 'the day → 2003-08-15..2003-08-15 day date'])
    expect(dates('Shares fell on the day of the vote.')).toEqual([])
    expect(dates('At the end of the day, voters decide.')).toEqual([])
  })
})

describe('ranges', () => {
  it('reads a range of days with the month written once', () => {
    expect(dates('The summit runs from Aug. 27 to 29 in Beijing.')).toEqual(['from Aug. 27 to 29 → 2003-08-27..2003-08-29 range range'])
    expect(dates('The summit ran Aug. 27-29.')).toEqual(['Aug. 27-29 → 2003-08-27..2003-08-29 range range'])
  })

  it('joins "between" and "and" into one range', () => {
    expect(dates('Voting took place between March 3 and March 5.')).toEqual(['between March 3 and March 5 → 2003-03-03..2003-03-05 range range'])
  })

  it('reads ranges of years and decades', () => {
    expect(dates('He led the party from 1998 to 2001 and in the 1990s.')).toEqual(['from 1998 to 2001 → 1998..2001 range range', 'the 1990s → 1990..1999 range date'])
  })
})

describe('durations', () => {
  it('places "the last six months" and "the past two weeks" before the reference', () => {
    expect(dates('Exports fell in the last six months.')).toEqual(['the last six months → 2003-02-18..2003-08-18 range duration'])
    expect(dates('Three ministers resigned in the past two weeks.')).toEqual(['the past two weeks → 2003-08-04..2003-08-18 range duration'])
  })

  it('leaves the start of "for decades" open and ends it at the reference', () => {
    expect(dates('The two villages have quarrelled for decades.')).toEqual(['decades → ..2003-08-18 range duration'])
    expect(dates('Exports will grow in the coming weeks.')).toEqual(['the coming weeks → 2003-08-18.. range duration'])
  })

  it('does not place a counted duration in time', () => {
    expect(dates('He spent five years in exile.')).toEqual(['five years → .. range duration'])
    expect(dates('Two years later, the mine closed.')).toEqual(['Two years later → .. range duration'])
  })

  it('reads "the first visit in five years" as the last five years, never as a future date', () => {
    expect(dates('It was the first visit by a foreign minister in five years.')).toEqual(['five years → 1998-08-18..2003-08-18 range duration'])
    expect(dates('It will be the first visit by a foreign minister in five years.')).toEqual(['five years → 1998-08-18..2003-08-18 range duration'])
  })

  it('reads "in two years" in a plan as the year it points to', () => {
    expect(dates('The company will open a plant in two years.')).toEqual(['two years → 2005..2005 year date'])
  })
})

describe('what is not a date', () => {
  it('leaves counts, measures and adjectives alone', () => {
    expect(dates('The 10-day exercise used 20- millimeter shells and 26 officers.')).toEqual([])
    expect(dates('About 2000 troops were sent, and the 1500 refugees may stay.')).toEqual([])
    expect(dates('A four day rally lifted the index to a 20 year high.')).toEqual([])
  })

  it('leaves repetitions alone', () => {
    expect(dates('The committee meets each Monday and every March.')).toEqual([])
  })

  it('leaves names and verbs that look like months or weekdays alone', () => {
    expect(dates('Protesters march on the capital, The Sun said.')).toEqual([])
    expect(dates('May said the talks had failed.')).toEqual([])
  })

  it('gives exact offsets and never overlapping expressions', () => {
    const text = 'Officials said on Tuesday, Aug. 19, that talks held from Aug. 27 to 29 and in the last six months of 2003 had failed for decades.'
    const found = findDates(text, '2003-08-20')
    for (const item of found) expect(text.slice(item.start, item.end)).toBe(item.text)
    for (let index = 1; index < found.length; index++) expect(found[index]!.start).toBeGreaterThanOrEqual(found[index - 1]!.end)
    expect(found.map((item) => item.text)).toEqual(['Tuesday, Aug. 19', 'from Aug. 27 to 29', 'the last six months', '2003', 'decades'])
  })

  it('reads expressions in any case and across a line break (each rule skips a line without the letters its matches need)', () => {
    expect(dates('Prices rose in the 1990S; he left TWO YEARS AGO and served Five Years.', '2021-03-10')).toEqual([
      'the 1990S → 1990..1999 range date',
      'TWO YEARS AGO → 2019..2019 year date',
      'Five Years → .. range duration'
    ])
    expect(dates("He has served since '82. Talks ended that\nday.", '2021-03-10')).toEqual(["'82 → 1982..1982 year date", 'that\nday → 2021-03-10..2021-03-10 day date'])
  })

  it('rejects a reference that is not a calendar date', () => {
    expect(() => findDates('today', '2003-02-30')).toThrow(/reference date/)
  })
})

describe('independence from the machine', () => {
  const sentences = [
    'The ministers will meet on Monday, officials said yesterday.',
    'Fighting broke out on Dec. 31 and ended this week.',
    'Exports fell in the last six months and earlier this year.',
    'The summit ran from Aug. 27 to 29; talks resume next week.',
    'Sales rose last month, and the board meets next Saturday.'
  ]
  const references = ['2003-08-18', '2004-01-01', '2003-12-31', '2004-02-29', '2003-03-30']

  afterEach(() => {
    vi.useRealTimers()
  })

  it('gives the same results whatever the clock says', () => {
    const expected = references.map((reference) => sentences.map((sentence) => findDates(sentence, reference)))
    vi.useFakeTimers()
    vi.setSystemTime(new Date('1999-12-31T23:59:00Z'))
    expect(references.map((reference) => sentences.map((sentence) => findDates(sentence, reference)))).toEqual(expected)
  })

  it('gives the same results in every time zone', async () => {
    const dir = await temporaryDirectory()
    const script = join(dir, 'dates.ts')
    const module = join(root, 'pipeline', 'extract', 'dates.ts')
    await writeFile(
      script,
      `import {findDates} from ${JSON.stringify(module)}\n` +
        `console.log(JSON.stringify(${JSON.stringify(references)}.map((reference) => ${JSON.stringify(sentences)}.map((sentence) => findDates(sentence, reference)))))\n`
    )
    const run = promisify(execFile)
    const expected = references.map((reference) => sentences.map((sentence) => findDates(sentence, reference)))
    for (const zone of ['Pacific/Kiritimati', 'Pacific/Pago_Pago', 'America/St_Johns', 'UTC']) {
      const {stdout} = await run(process.execPath, [join(root, 'node_modules', 'vite-node', 'vite-node.mjs'), script], {cwd: root, env: {...process.env, TZ: zone}})
      expect(JSON.parse(stdout), zone).toEqual(expected)
    }
  })
})

describe('MEANTIME', () => {
  it('normalizes at least 93% of the calendar dates as MEANTIME does', async () => {
    const result = await evaluateMeantimeDates(join(shared, 'corpora', 'meantime'))
    expect(result.total).toBeGreaterThan(300)
    expect(result.share).toBeGreaterThanOrEqual(0.93)
  })
})
