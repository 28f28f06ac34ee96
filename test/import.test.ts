// Import of scraped article text: removals, guesses and their notes, on texts written for these tests and on the seed scrape.
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import fc from 'fast-check'
import type {Root} from 'mdast'
import {toString} from 'mdast-util-to-string'
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {describe, expect, it} from 'vitest'
import {parse as parseYaml} from 'yaml'
import {escapeMarkdown, importText, normalizeTypography, type ImportNote} from '../pipeline/import.js'
import {validateFrontmatterValue} from '../pipeline/schemas.js'
import {toArticleText} from '../pipeline/text.js'
import {shared} from './helpers.js'

/** The draft split into its frontmatter value, its Markdown tree and the plain text of its body blocks. */
function parseDraft(markdown: string): {frontmatter: Record<string, unknown>; tree: Root; blocks: string[]} {
  const tree = unified().use(remarkParse).use(remarkGfm).use(remarkFrontmatter, ['yaml']).parse(markdown)
  const [head, ...body] = tree.children
  expect(head?.type).toBe('yaml')
  const frontmatter = parseYaml(head?.type === 'yaml' ? head.value : '') as Record<string, unknown>
  return {frontmatter, tree, blocks: body.map((node) => toString(node))}
}

/** The input text that a note points at, from its line and column to the end of that line. */
function pointedAt(text: string, note: ImportNote): string {
  return (text.split(/\r\n|\n|\r/)[note.line - 1] ?? '').slice(note.column - 1)
}

function rules(notes: ImportNote[]): string[] {
  return notes.map((note) => note.ruleId)
}

const valid = {url: 'URL: https://news.example/2021/08/03/harbour-pilots', date: 'Published Aug. 3, 2021 9:15 a.m. EDT'}

describe('repeated paragraphs', () => {
  it('keeps one copy of a paragraph repeated with other quotes, dashes, ellipses and spaces, the typographic one', () => {
    const text = [
      'Harbour pilots end strike after pay deal',
      '',
      'The harbour pilots\' union -- which had kept ships waiting for nine days -- said "enough is enough" and signed... the deal on Friday.',
      '',
      'The harbour pilots’ union — which had kept ships waiting for nine days — said “enough is enough” and signed… the deal on Friday.',
      '',
      'The harbour pilots’ union – which had kept ships   waiting for nine days – said “enough is enough” and signed... the deal on Friday.',
      '',
      'Ships began moving again before dawn.'
    ].join('\n')
    const {markdown, notes} = importText(text, {})
    const {blocks} = parseDraft(markdown)
    expect(blocks).toEqual([
      'The harbour pilots’ union — which had kept ships waiting for nine days — said “enough is enough” and signed… the deal on Friday.',
      'Ships began moving again before dawn.'
    ])
    const removed = notes.filter((note) => note.ruleId === 'import-duplicate-paragraph')
    expect(removed.map((note) => [note.line, note.column])).toEqual([[3, 1], [7, 1]])
    expect(removed[0]!.reason).toContain('line 5')
  })

  it('compares paragraphs up to typography only', () => {
    expect(normalizeTypography('It\'s "fine" -- really...  yes')).toBe(normalizeTypography('It’s “fine” — really… yes'))
    expect(normalizeTypography('It’s fine')).not.toBe(normalizeTypography('It’s Fine'))
  })
})

describe('teasers, trailing teasers and captions', () => {
  it('removes a truncated teaser that a later paragraph continues', () => {
    const text = [
      'Council closes the old bridge to lorries',
      '',
      'The council voted on Tuesday to close the old bridge to lorries, citing cracks that inspectors ...',
      '',
      'The council voted on Tuesday to close the old bridge to lorries, citing cracks that inspectors found in two of its piers last month.',
      '',
      'Cars and bicycles may still cross…'
    ].join('\n')
    const {markdown, notes} = importText(text, {})
    const {blocks} = parseDraft(markdown)
    expect(blocks).toEqual([
      'The council voted on Tuesday to close the old bridge to lorries, citing cracks that inspectors found in two of its piers last month.',
      'Cars and bicycles may still cross…'
    ])
    const teaser = notes.find((note) => note.ruleId === 'import-teaser')
    expect(teaser).toMatchObject({line: 3, column: 1})
    expect(teaser!.reason).toContain('line 5')
  })

  it('cuts the trailing "More from …" block with its doubled captions, and guesses the publisher from it', () => {
    const text = [
      'Orchard growers expect a late harvest',
      '',
      'A cold spring has pushed the apple harvest back by two weeks, growers in the valley said.',
      '',
      'More from The Valley Courier',
      '',
      'A tractor pulls a trailer of pears past a row of trees.',
      'A tractor pulls a trailer of pears past a row of trees.',
      '',
      'Why Pear Prices Keep Rising',
      '',
      'Growers say the costs of labour have doubled.',
      '',
      'Volunteers sort donated coats in a church hall.',
      'Volunteers sort donated coats in a church hall.',
      '',
      'A Winter Coat Drive Breaks Its Record'
    ].join('\n')
    const {markdown, notes} = importText(text, {})
    const {frontmatter, blocks} = parseDraft(markdown)
    expect(blocks).toEqual(['A cold spring has pushed the apple harvest back by two weeks, growers in the valley said.'])
    expect(markdown).not.toMatch(/More from|tractor|Coat Drive/)
    expect(notes.find((note) => note.ruleId === 'import-trailing-teasers')).toMatchObject({line: 5, column: 1})
    expect(notes.find((note) => note.ruleId === 'import-trailing-teasers')!.reason).toContain('lines 5–17')
    expect(frontmatter['publisher']).toEqual({name: 'The Valley Courier'})
    expect(notes.find((note) => note.ruleId === 'import-publisher')).toMatchObject({line: 5, column: 1})
  })

  it('cuts a tail that starts at "Related" or "Read more" too, but never a long paragraph after it', () => {
    const body = 'The ferry timetable changes on Monday, the operator said.'
    for (const label of ['Related', 'Read more', 'Recommended', 'Related stories:']) {
      const {markdown} = importText(`Ferry timetable changes\n\n${body}\n\n${label}\n\nAnother Headline Entirely\n`, {})
      expect(parseDraft(markdown).blocks).toEqual([body])
    }
    const long = `${'The operator also said that the winter timetable would stay as it is, '.repeat(10)}and that fares would not rise.`
    const {markdown, notes} = importText(`Ferry timetable changes\n\n${body}\n\nRelated\n\n${long}\n`, {})
    expect(parseDraft(markdown).blocks).toEqual([body, 'Related', long])
    expect(rules(notes)).toContain('import-tail-kept')
  })

  it('keeps the article after a "Read more" link under a teaser at the top', () => {
    const paragraphs = [
      'The museum will open a new wing for textiles in May, its director said on Thursday.',
      'The wing will show rugs, banners and costumes that have not been on display for decades.',
      'Entry to the new wing will be free for the first month.'
    ]
    const text = ['New wing for textiles', '', 'The museum will open a new wing for textiles in May, its director ...', '', 'Read more', '', ...paragraphs.flatMap((paragraph) => [paragraph, ''])].join('\n')
    const {markdown, notes} = importText(text, {})
    expect(parseDraft(markdown).blocks).toEqual(['Read more', ...paragraphs])
    expect(notes.find((note) => note.ruleId === 'import-tail-kept')).toMatchObject({line: 5, column: 1})
    expect(notes.find((note) => note.ruleId === 'import-teaser')).toMatchObject({line: 3, column: 1})
  })

  it('removes an image caption written twice in a row inside the article', () => {
    const text = [
      'Library reopens after flood',
      '',
      'The town library reopened on Saturday after six months of repairs.',
      '',
      'Readers queue outside the library on Saturday morning.',
      'Readers queue outside the library on Saturday morning.',
      '',
      'The children’s section has moved upstairs.'
    ].join('\n')
    const {markdown, notes} = importText(text, {})
    expect(parseDraft(markdown).blocks).toEqual([
      'The town library reopened on Saturday after six months of repairs.',
      'The children’s section has moved upstairs.'
    ])
    expect(notes.find((note) => note.ruleId === 'import-caption')).toMatchObject({line: 5, column: 1})
  })
})

describe('bylines and bios', () => {
  const text = [
    'Tides of change in the estuary',
    '',
    'By , a senior fellow at the Institute for Coastal Studies and host of a podcast about rivers.',
    '',
    'Salt water now reaches eleven kilometres further up the estuary than it did in 1990.',
    '',
    'Farmers along the banks have started to plant crops that tolerate salt.',
    '',
    'Amara Okonjo-Reyes is a senior fellow at the Institute for Coastal Studies and host of a podcast about rivers. Twitter: @amara_reyes'
  ].join('\n')

  it('recovers the author of a byline without a name from the bio line, with the Twitter handle as sameAs', () => {
    const {markdown, notes} = importText(text, {})
    const {frontmatter, blocks} = parseDraft(markdown)
    expect(frontmatter['author']).toEqual({
      name: 'Amara Okonjo-Reyes',
      bio: 'Amara Okonjo-Reyes is a senior fellow at the Institute for Coastal Studies and host of a podcast about rivers.',
      sameAs: ['https://twitter.com/amara_reyes']
    })
    expect(blocks).toEqual([
      'Salt water now reaches eleven kilometres further up the estuary than it did in 1990.',
      'Farmers along the banks have started to plant crops that tolerate salt.'
    ])
    expect(notes.find((note) => note.ruleId === 'import-byline-recovered')).toMatchObject({line: 3, column: 1})
    expect(notes.find((note) => note.ruleId === 'import-byline-recovered')!.reason).toContain('line 9')
    expect(notes.find((note) => note.ruleId === 'import-author-bio')).toMatchObject({line: 9, column: 1})
  })

  it('reads named bylines, with several authors and a date', () => {
    const {markdown, notes} = importText('Road works on the ring road\n\nBy Lena Marsh, Tomas Berg and Ida Kovac | June 1, 2018\n\nThe ring road will close at night for a month.\n', {})
    const {frontmatter, blocks} = parseDraft(markdown)
    expect(frontmatter['author']).toEqual([{name: 'Lena Marsh'}, {name: 'Tomas Berg'}, {name: 'Ida Kovac'}])
    expect(frontmatter['datePublished']).toBe('2018-06-01T00:00:00+00:00')
    expect(blocks).toEqual(['The ring road will close at night for a month.'])
    expect(rules(notes)).toEqual(expect.arrayContaining(['import-byline', 'import-date', 'import-date-timezone']))
  })

  it('moves the bio of a named author to the frontmatter, also when it is wrapped, with an X handle', () => {
    const text = 'Bridge tolls end\n\nBy Tomas Berg\n\nThe bridge tolls end on Sunday.\n\nTomas Berg is a reporter who covers\ntransport for the paper. X: @tberg\n'
    const {markdown, notes} = importText(text, {})
    const {frontmatter, blocks} = parseDraft(markdown)
    expect(frontmatter['author']).toEqual({name: 'Tomas Berg', sameAs: ['https://x.com/tberg'], bio: 'Tomas Berg is a reporter who covers transport for the paper.'})
    expect(markdown.indexOf('sameAs')).toBeLessThan(markdown.indexOf('bio:'))
    expect(blocks).toEqual(['The bridge tolls end on Sunday.'])
    expect(notes.find((note) => note.ruleId === 'import-author-bio')).toMatchObject({line: 7, column: 1})
  })

  it('does not take a paragraph that merely starts like a bio for the author of a byline without a name', () => {
    const {markdown, notes} = importText('Talks resume\n\nBy , a correspondent covering the region.\n\nThe talks resumed on Monday.\n\nNorth Island is a place of many harbours.\n', {})
    const {frontmatter, blocks} = parseDraft(markdown)
    expect(frontmatter['author']).toBeUndefined()
    expect(blocks).toEqual(['The talks resumed on Monday.', 'North Island is a place of many harbours.'])
    expect(notes.find((note) => note.ruleId === 'import-byline-empty')).toMatchObject({line: 3, column: 1})
  })

  it('does not take a sentence starting with "By" for a byline', () => {
    const {markdown} = importText('Talks collapse\n\nBy Christmas Eve, the talks had collapsed.\n', {})
    expect(parseDraft(markdown).frontmatter['author']).toBeUndefined()
    expect(parseDraft(markdown).blocks).toEqual(['By Christmas Eve, the talks had collapsed.'])
  })
})

describe('frontmatter', () => {
  it('writes YAML frontmatter and Markdown that parse, and frontmatter that validates when the text has a date', () => {
    const text = [
      'Harbour pilots end nine-day strike',
      valid.url,
      valid.date,
      'By Lena Marsh',
      '',
      'Harbour pilots returned to work on Tuesday after the port authority agreed to raise their pay by 6 percent. Ships that had waited at anchor for nine days began to move before dawn.',
      '',
      'The union said: "We are glad it is over."',
      '',
      'More from The Harbour Gazette',
      '',
      'Fishing Fleet Ties Up Early'
    ].join('\n')
    const {markdown, notes} = importText(text, {fileName: 'pilots.txt'})
    const {frontmatter, blocks} = parseDraft(markdown)
    expect(frontmatter).toEqual({
      title: 'Harbour pilots end nine-day strike',
      url: 'https://news.example/2021/08/03/harbour-pilots',
      datePublished: '2021-08-03T09:15:00-04:00',
      description: 'Harbour pilots returned to work on Tuesday after the port authority agreed to raise their pay by 6 percent. Ships that had waited at anchor for nine days began to move before dawn.',
      language: 'en',
      author: {name: 'Lena Marsh'},
      publisher: {name: 'The Harbour Gazette'}
    })
    expect(validateFrontmatterValue(frontmatter), JSON.stringify(validateFrontmatterValue.errors)).toBe(true)
    expect(blocks).toEqual([
      'Harbour pilots returned to work on Tuesday after the port authority agreed to raise their pay by 6 percent. Ships that had waited at anchor for nine days began to move before dawn.',
      'The union said: "We are glad it is over."'
    ])
    expect(markdown).not.toContain('To add before building')
    expect(rules(notes)).not.toContain('import-date-missing')
    expect(markdown).toMatch(/^---\n# Draft written by `newsgraph import`/)
  })

  it('omits datePublished when the text has no date, and says the editor must add it', () => {
    const {markdown, notes} = importText('Orchard growers expect a late harvest\n\nA cold spring has pushed the harvest back by two weeks.\n', {})
    const {frontmatter} = parseDraft(markdown)
    expect(frontmatter['datePublished']).toBeUndefined()
    expect(Object.keys(frontmatter).every((key) => ['title', 'url', 'datePublished', 'description', 'language', 'author', 'publisher'].includes(key))).toBe(true)
    expect(notes.find((note) => note.ruleId === 'import-date-missing')?.reason).toMatch(/add `datePublished`.*before building/)
    expect(rules(notes)).toEqual(expect.arrayContaining(['import-url-missing', 'import-publisher-missing', 'import-author-missing', 'import-language']))
    expect(markdown).toContain('# To add before building: url, datePublished, publisher.')
    expect(validateFrontmatterValue(frontmatter)).toBe(false)
  })

  it('reads date lines, datelines and file names, and notes an assumed time zone', () => {
    const first = importText('Grain prices rise\n\nWednesday, March 4, 2020\n\nGrain prices rose for a third week.\n', {})
    expect(parseDraft(first.markdown).frontmatter['datePublished']).toBe('2020-03-04T00:00:00+00:00')
    expect(parseDraft(first.markdown).blocks).toEqual(['Grain prices rose for a third week.'])
    expect(first.notes.find((note) => note.ruleId === 'import-date-timezone')).toMatchObject({line: 3, column: 1})

    const iso = importText('Grain prices rise\n\nUpdated 2020-03-05T08:00:00Z\nPosted 2020-03-04T18:30:00+01:00\n\nGrain prices rose for a third week.\n', {})
    expect(parseDraft(iso.markdown).frontmatter['datePublished']).toBe('2020-03-04T18:30:00+01:00')

    const dateline = importText('Mine reopens\n\nKIPUSHI, Feb. 9, 2017 — The zinc mine reopened after twenty years.\n', {})
    expect(parseDraft(dateline.markdown).frontmatter['datePublished']).toBe('2017-02-09T00:00:00+00:00')
    expect(parseDraft(dateline.markdown).blocks).toEqual(['KIPUSHI, Feb. 9, 2017 — The zinc mine reopened after twenty years.'])

    const named = importText('River levels fell again this week after a dry month.\n', {fileName: 'drafts/2021-03-04-river-levels-fall.txt'})
    expect(parseDraft(named.markdown).frontmatter).toMatchObject({title: 'River levels fall', datePublished: '2021-03-04T00:00:00+00:00'})
    expect(parseDraft(named.markdown).blocks).toEqual(['River levels fell again this week after a dry month.'])
    expect(rules(named.notes)).toEqual(expect.arrayContaining(['import-title', 'import-date-from-file-name']))
  })

  it('writes a description of one or two sentences of at most 300 characters', () => {
    const short = importText('Budget passed\n\nMr. Ortiz said the budget passed. It had been delayed twice. A third sentence follows.\n', {})
    expect(parseDraft(short.markdown).frontmatter['description']).toBe('Mr. Ortiz said the budget passed. It had been delayed twice.')
    const long = importText(`Budget passed\n\n${'The budget, which '.padEnd(400, 'x ')}passed.\n`, {})
    const description = parseDraft(long.markdown).frontmatter['description'] as string
    expect(description.length).toBeLessThanOrEqual(300)
    expect(description.endsWith('…')).toBe(true)
  })
})

describe('degenerate input', () => {
  it('writes a draft with frontmatter for an empty text, and says what is missing', () => {
    for (const text of ['', '\n \n\t\n']) {
      const {markdown, notes} = importText(text, {})
      expect(parseDraft(markdown)).toMatchObject({frontmatter: {title: 'Untitled', language: 'en'}, blocks: []})
      expect(rules(notes)).toEqual(expect.arrayContaining(['import-title', 'import-body-empty', 'import-description-missing', 'import-date-missing']))
    }
  })
})

describe('quotations', () => {
  it('leaves a paragraph after a line ending in ":" as it is, with a note suggesting a sourced blockquote', () => {
    const text = 'Ministry warns of drought\n\nAccording to the ministry:\n\nReservoirs are at a third of their usual level for the season.\n'
    const {markdown, notes} = importText(text, {})
    const {tree, blocks} = parseDraft(markdown)
    expect(tree.children.map((node) => node.type)).toEqual(['yaml', 'paragraph', 'paragraph'])
    expect(blocks).toEqual(['According to the ministry:', 'Reservoirs are at a third of their usual level for the season.'])
    const quotation = notes.find((note) => note.ruleId === 'import-quotation-suspected')
    expect(quotation).toMatchObject({line: 5, column: 1})
    expect(quotation!.reason).toMatch(/blockquote.*\[\^source\]/)
  })
})

describe('positions and Markdown', () => {
  it('points each note at its line and column in the input, with CRLF line ends and indented lines', () => {
    const text = [
      '\uFEFFWater rates to rise',
      '',
      '   The water company will raise its rates by 4 percent from April, it said on Monday...',
      '',
      '  The water company will raise its rates by 4 percent from April, it said on Monday, blaming the cost of energy.',
      '\t',
      '    The water company will raise its rates by 4 percent from April, it said on Monday, blaming the cost of energy.',
      '',
      ' Read more',
      '',
      'Another Story'
    ].join('\r\n')
    const {notes} = importText(text, {})
    const expected: Record<string, [number, number, string]> = {
      'import-title': [1, 2, 'Water rates to rise'],
      'import-teaser': [3, 4, 'The water company'],
      'import-duplicate-paragraph': [7, 5, 'The water company'],
      'import-trailing-teasers': [9, 2, 'Read more']
    }
    for (const [ruleId, [line, column, start]] of Object.entries(expected)) {
      const note = notes.find((item) => item.ruleId === ruleId)
      expect(note, ruleId).toMatchObject({line, column})
      expect(pointedAt(text, note!).startsWith(start), ruleId).toBe(true)
    }
    expect(notes.map((note) => [note.line, note.column])).toEqual([...notes].sort((a, b) => a.line - b.line || a.column - b.column).map((note) => [note.line, note.column]))
  })

  it('escapes Markdown syntax so that the body reads back as the scraped text', () => {
    const text = ['Odd characters', '', '# not a heading', '', '1. not a list', '', '> not a quote', '', 'A *star*, an _underscore_, a [link](x) and <b>tags</b> &amp; a | pipe'].join('\n')
    const {markdown} = importText(text, {})
    const {tree, blocks} = parseDraft(markdown)
    expect(tree.children.map((node) => node.type)).toEqual(['yaml', 'paragraph', 'paragraph', 'paragraph', 'paragraph'])
    expect(blocks).toEqual(['# not a heading', '1. not a list', '> not a quote', 'A *star*, an _underscore_, a [link](x) and <b>tags</b> &amp; a | pipe'])
  })

  it('escapes any line so that its documented text is the line itself (property)', () => {
    // Note: no letters that start autolink literals (www., http:, e-mail), which GFM links without changing the text anyway.
    const alphabet = fc.constantFrom(...'ab AZ09.,:;!?()[]{}<>/\\*_`~|#=+-&^"\'’—…%$@!'.split(''))
    fc.assert(
      fc.property(fc.array(alphabet, {minLength: 1, maxLength: 40}), (characters) => {
        const line = characters.join('').trim().replace(/\s+/g, ' ')
        fc.pre(line !== '' && !line.includes('@'))
        const tree = unified().use(remarkParse).use(remarkGfm).parse(escapeMarkdown(line))
        expect(toArticleText(tree).value).toBe(line)
      }),
      {seed: 20260611, numRuns: 1000}
    )
  })
})

describe('the seed scrape', () => {
  it('gives one copy of the opening paragraph, no trailing teasers, and the author of the bio line', async () => {
    const text = await readFile(join(shared, 'seed', '000_9ae6365e75815674.txt'), 'utf8')
    const {markdown, notes} = importText(text, {fileName: '000_9ae6365e75815674.txt'})
    const {frontmatter, blocks} = parseDraft(markdown)
    // The opening paragraph: the first body block; no other block repeats or truncates it.
    const opening = normalizeTypography(blocks[0]!)
    expect(opening.length).toBeGreaterThan(200)
    const keys = blocks.map((block) => normalizeTypography(block))
    expect(keys.filter((key) => key === opening)).toHaveLength(1)
    expect(keys.filter((key) => opening.startsWith(key.replace(/\.\.\.$/, '').trim()))).toHaveLength(1)
    expect(new Set(keys).size).toBe(keys.length)
    // The input has the opening paragraph more than once; the draft has it once.
    expect(normalizeTypography(text).split(opening).length - 1).toBeGreaterThan(1)
    expect(normalizeTypography(markdown).split(opening).length - 1).toBe(1)
    // No trailing teasers.
    expect(blocks.some((block) => /^(?:More from|Related|Read more|Recommended)\b/i.test(block))).toBe(false)
    const tail = notes.find((note) => note.ruleId === 'import-trailing-teasers')!
    expect(pointedAt(text, tail)).toMatch(/^More from /)
    // The author is the name of the bio line (the input line with a Twitter handle), which is not in the body.
    const bio = text.split('\n').find((line) => /Twitter:\s*@\w+\s*$/.test(line))!
    const name = bio.slice(0, bio.indexOf(' is '))
    expect(frontmatter['author']).toMatchObject({name, sameAs: [`https://twitter.com/${/@(\w+)/.exec(bio)![1]}`]})
    expect(blocks.some((block) => block.includes(bio.trim()) || block.startsWith(`${name} is `))).toBe(false)
    expect(blocks.some((block) => /^By\s*,/.test(block))).toBe(false)
    expect(rules(notes)).toEqual(expect.arrayContaining(['import-title', 'import-teaser', 'import-duplicate-paragraph', 'import-byline-recovered', 'import-date-missing']))
  })
})
