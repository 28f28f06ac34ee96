// Import: scraped article text → a source Markdown draft with frontmatter, and a note for everything removed or guessed.
import {stringify} from 'yaml'
import {findDates} from './extract/dates.js'

/** Something `importText` removed from the input or guessed, at its place in the input (1-based line and column, UTF-16 code units). */
export interface ImportNote {
  line: number
  column: number
  reason: string
  ruleId: string
}

/** Options of `importText`. */
export interface ImportOptions {
  /** Name (or path) of the input file: the title when the text has no headline line, the date when it starts with `YYYY-MM-DD-`. */
  fileName?: string
}

/** The draft article and the notes on it, in input order. */
export interface ImportResult {
  markdown: string
  notes: ImportNote[]
}

/** A non-blank line of the input: its trimmed text and where that text starts. */
interface Line {
  text: string
  line: number
  column: number
}

/** A paragraph of the input: lines between blank lines. */
interface Block {
  lines: Line[]
  removed: boolean
}

interface Person {
  name: string
  bio?: string
  sameAs?: string[]
}

/** A publication date found in the text. */
interface FoundDate {
  value: string
  /** What the date was read from, for the note. */
  text: string
  line: Line
  assumedZone: boolean
  updated: boolean
}

const nameToken = String.raw`\p{Lu}[\p{L}\p{M}'’-]*\.?`
const particle = String.raw`(?:de|da|del|della|di|du|van|von|der|den|la|le|bin|ibn|al|el|dos|das)`
const personName = String.raw`${nameToken}(?:\s+(?:${particle}\s+)*${nameToken}){1,4}`
const personList = String.raw`${personName}(?:(?:\s*,\s*${personName})*,?\s+and\s+${personName})?`
const namedByline = new RegExp(String.raw`^By\s+(${personList})(?:\s*(?:,|\||·|•|—|–|-)\s*(.*))?$`, 'u')
const emptyByline = /^By\s*(?:[,|·•—–-]\s*(.*))?$/u
const bioLine = new RegExp(String.raw`^(${personName})\s+(?:is|was)\s+(\p{Ll}.*)$`, 'u')
const handle = /\s*(?:(?:Twitter|X)\s*:|Follow (?:him|her|them) on (?:Twitter|X)(?: at)?:?)\s*@([A-Za-z0-9_]{1,15})\s*\.?$/i
const urlLine = /^(?:(?:(?:canonical|original)\s+)?url|source|link|permalink|originally published (?:at|on))\s*:?\s*(https?:\/\/\S+)$/i
const bareUrl = /^(https?:\/\/\S+)$/i
const tailLabel =
  /^(?:more (?:from|on|in|by) (.{1,60})|related(?: (?:articles?|stories|posts|content|coverage|reading|topics))?|read (?:more|next|also)|recommended(?: (?:for you|reading|stories|articles))?|you (?:may|might) also (?:like|enjoy)|most (?:popular|read|viewed)|further reading|trending(?: now)?|latest (?:news|stories)|up next)\s*:?$/i
const notPublisher = /^(?:this|these|our|the author|author|opinion|news|world|politics|business|sports?|culture|the web|around the web|partners?|our partners)\b/i
const boilerplate = /^(?:advertisement|skip advertisement|story continues (?:below|after) (?:this )?advertisement|continue reading(?: the main story| below)?)$/i
const abbreviations = new Set(['mr', 'mrs', 'ms', 'dr', 'prof', 'sen', 'rep', 'gov', 'gen', 'col', 'lt', 'sgt', 'capt', 'adm', 'maj', 'rev', 'st', 'mt', 'jr', 'sr', 'no', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec', 'vs', 'etc', 'approx', 'inc', 'corp', 'co', 'ltd'])
const zones: Record<string, string> = {
  UTC: '+00:00', GMT: '+00:00', Z: '+00:00', EST: '-05:00', EDT: '-04:00', CST: '-06:00', CDT: '-05:00', MST: '-07:00', MDT: '-06:00',
  PST: '-08:00', PDT: '-07:00', BST: '+01:00', CET: '+01:00', CEST: '+02:00', JST: '+09:00', KST: '+09:00', AEST: '+10:00', AEDT: '+11:00'
}
const assumedZone = '+00:00'
const descriptionLength = 300
const longParagraph = 600

/**
 * Turn raw scraped article text into a source Markdown draft with YAML frontmatter.
 *
 * Removes what a scrape adds (repeated paragraphs, truncated teasers, the
 * "More from …" tail, doubled image captions, bylines and bios, URL and date
 * lines) and guesses the frontmatter (title, url, datePublished, description,
 * language, author, publisher). Every removal and guess is a note pointing into
 * `text`. Quotations are not guessed: paragraphs after a line ending in `:` get
 * a note. The draft may lack required fields (then a note says which): the
 * editor completes it before building.
 */
export function importText(text: string, options: ImportOptions = {}): ImportResult {
  const notes: ImportNote[] = []
  const blocks = splitHeader(splitBlocks(text))
  const note = (at: Line | undefined, ruleId: string, reason: string) => notes.push({line: at?.line ?? 1, column: at?.column ?? 1, reason, ruleId})

  const url = takeUrl(blocks, note)
  const title = takeTitle(blocks, options.fileName, note)
  const publisher = cutTail(blocks, note)
  removeBoilerplate(blocks, note)
  removeCaptions(blocks, note)
  removeDuplicates(blocks, note)
  removeTeasers(blocks, note)
  const byline = takeByline(blocks, note)
  const date = takeDate(blocks, byline.date, options.fileName, note)
  noteQuotations(blocks, note)

  const body = kept(blocks)
  const description = describe(body[0], note)
  const frontmatter: Record<string, unknown> = {title}
  if (url) frontmatter['url'] = url
  if (date) frontmatter['datePublished'] = date
  if (description) frontmatter['description'] = description
  frontmatter['language'] = 'en'
  note(undefined, 'import-language', 'Language guessed as `en`: change `language` if the article is in another language')
  if (byline.authors.length > 0) frontmatter['author'] = byline.authors.length === 1 ? byline.authors[0] : byline.authors
  if (publisher) frontmatter['publisher'] = {name: publisher}

  const missing: string[] = []
  if (!url) {
    missing.push('url')
    note(undefined, 'import-url-missing', 'No URL found: add the canonical `url` of the article (absolute http(s)) before building')
  }
  if (!date) {
    missing.push('datePublished')
    note(undefined, 'import-date-missing', 'No publication date found: add `datePublished`, an ISO 8601 date-time with a time-zone offset (`2020-02-03T10:00:00+01:00`), before building')
  }
  if (!description) {
    missing.push('description')
    note(undefined, 'import-description-missing', 'No body paragraph to describe the article: add a `description` before building')
  }
  if (byline.authors.length === 0) note(undefined, 'import-author-missing', 'No author found: add `author` (a `name`, and a `bio` or `sameAs` if known)')
  if (!publisher) {
    missing.push('publisher')
    note(undefined, 'import-publisher-missing', 'No publisher found: add `publisher` (its `name`, and its `url`) before building')
  }
  if (body.length === 0) note(undefined, 'import-body-empty', 'Nothing of the text is left for the body: check the notes above')

  const header = [
    '# Draft written by `newsgraph import`: check every field against the original.',
    ...(missing.length > 0 ? [`# To add before building: ${missing.join(', ')}.`] : [])
  ]
  const yaml = stringify(frontmatter, {defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN', lineWidth: 0})
  const markdownBody = body.map((block) => block.lines.map((line) => escapeMarkdown(line.text)).join('\n')).join('\n\n')
  const markdown = `---\n${header.join('\n')}\n${yaml}---\n${markdownBody ? `\n${markdownBody}\n` : ''}`
  notes.sort((a, b) => a.line - b.line || a.column - b.column)
  return {markdown, notes}
}

/** Compare text up to typography: curly and straight quotes, dashes, ellipses and white space. */
export function normalizeTypography(value: string): string {
  return value
    .replace(/[‘’‚‛′`´]/g, "'")
    .replace(/[“”„‟″«»]/g, '"')
    .normalize('NFKC')
    .replace(/\.\s?\.\s?\./g, '...')
    .replace(/\s*(?:[—–―‒]|-{2,3})\s*|\s+-\s+/g, '—')
    .replace(/\s+/g, ' ')
    .trim()
}

/** Escape plain text so that Markdown (CommonMark and GFM) reads it back as the same text. */
export function escapeMarkdown(value: string): string {
  return value
    .replace(/[\\`*[~|]/g, '\\$&')
    .replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, '\\_')
    .replace(/<(?=[A-Za-z/!?])/g, '\\<')
    .replace(/&(?=#\d+;|#x[0-9a-f]+;|[a-z][a-z0-9]*;)/gi, '\\&')
    .replace(/^>|^(?:#{1,6}|[-+=])(?=\s|$|[-=]*\s*$)/, (marker) => `\\${marker}`)
    .replace(/^(\d{1,9})([.)])(?=\s|$)/, '$1\\$2')
}

function splitBlocks(text: string): Block[] {
  const blocks: Block[] = []
  let current: Line[] = []
  text.split(/\r\n|\n|\r/).forEach((raw, index) => {
    const start = raw.search(/\S/)
    if (start < 0) {
      if (current.length > 0) blocks.push({lines: current, removed: false})
      current = []
      return
    }
    current.push({text: raw.trim(), line: index + 1, column: start + 1})
  })
  if (current.length > 0) blocks.push({lines: current, removed: false})
  return blocks
}

/** Give each line of the first blocks its own block when one of them is a URL, date or byline ("Title" newline "By …" newline "date"). */
function splitHeader(blocks: Block[]): Block[] {
  return blocks.flatMap((block, index) =>
    index < 5 && block.lines.length > 1 && block.lines.some((line) => isMetadataLine(line.text) || urlLine.test(line.text) || bareUrl.test(line.text))
      ? block.lines.map((line) => ({lines: [line], removed: false}))
      : [block]
  )
}

type Note = (at: Line | undefined, ruleId: string, reason: string) => void

function kept(blocks: Block[]): Block[] {
  return blocks.filter((block) => !block.removed)
}

function textOf(block: Block): string {
  return block.lines.map((line) => line.text).join(' ')
}

/** The text of a one-line block, else undefined. */
function single(block: Block): string | undefined {
  return block.lines.length === 1 ? block.lines[0]!.text : undefined
}

function first(block: Block): Line {
  return block.lines[0]!
}

function words(value: string): number {
  return value.match(/[\p{L}\p{N}]+/gu)?.length ?? 0
}

function shorten(value: string, length = 60): string {
  return value.length <= length ? value : `${value.slice(0, length - 1).trimEnd()}…`
}

function isHttpUrl(value: string): boolean {
  try {
    return /^https?:\/\/[^\s]+$/.test(value) && ['http:', 'https:'].includes(new URL(value).protocol)
  } catch {
    return false
  }
}

/** A line that is only the article's URL ("URL: https://…", or a bare URL near the top). */
function takeUrl(blocks: Block[], note: Note): string | undefined {
  let found: string | undefined
  for (const [index, block] of blocks.entries()) {
    const value = single(block)
    const match = value === undefined ? null : (urlLine.exec(value) ?? (index < 5 ? bareUrl.exec(value) : null))
    if (!match || !isHttpUrl(match[1]!)) continue
    block.removed = true
    note(first(block), 'import-url', found ? `Removed another URL line; \`url\` is the first one` : `URL taken from this line and removed from the body`)
    found ??= match[1]!
  }
  return found
}

/** The first line when it is a headline, else a title made from the file name; repeats of it leave the body. */
function takeTitle(blocks: Block[], fileName: string | undefined, note: Note): string {
  // Note: a date line or a byline above the headline is not a title.
  const block = kept(blocks).find((item) => !isMetadataLine(textOf(item)))
  const line = block ? single(block) : undefined
  if (block && line !== undefined && isHeadline(line)) {
    block.removed = true
    note(first(block), 'import-title', `Title taken from the first line \`${shorten(line)}\``)
    const key = normalizeTypography(line)
    for (const other of kept(blocks)) {
      if (normalizeTypography(textOf(other)) !== key) continue
      other.removed = true
      note(first(other), 'import-title-repeated', `Removed a repeat of the title (line ${first(block).line})`)
    }
    return line
  }
  const named = fileName === undefined ? undefined : titleFromFileName(fileName)
  if (named) {
    note(undefined, 'import-title', `The first line is not a headline: title made from the file name, \`${named}\`; write the real headline`)
    return named
  }
  note(undefined, 'import-title', 'The first line is not a headline and there is no file name: title `Untitled`; write the real headline')
  return 'Untitled'
}

/** A short line of at most 25 words, with letters, not ending like a sentence or a truncation. */
function isHeadline(value: string): boolean {
  return value.length <= 150 && words(value) <= 25 && /\p{L}/u.test(value) && !/[.,;:…]$/.test(value)
}

/** Whether a line is a byline or a date line, which a title is not. */
function isMetadataLine(value: string): boolean {
  const date = value.length <= 120 ? readDate(value) : undefined
  return isByline(value) || (date !== undefined && isDateLine(value, date.spans))
}

function isByline(value: string): boolean {
  const named = namedByline.exec(value)
  return emptyByline.test(value) || (named !== null && isBylineRest(named[2] ?? ''))
}

function titleFromFileName(fileName: string): string | undefined {
  const base = (fileName.split(/[\\/]/).pop() ?? '').replace(/\.[A-Za-z0-9]{1,5}$/, '').replace(/^\d{4}-\d\d-\d\d(?:[-_ ]|$)/, '')
  const title = base.replace(/[-_\s]+/g, ' ').trim()
  return title ? title[0]!.toUpperCase() + title.slice(1) : undefined
}

/**
 * Remove the block of teasers and captions that starts at "More from …", "Related", "Read more" … and runs to the end;
 * the publisher of "More from X". Note: a label followed by a long paragraph, or by more text than precedes it with
 * few headlines (lines without final punctuation) among it, is not the tail (a "Read more" link under a teaser at
 * the top): it is kept.
 */
function cutTail(blocks: Block[], note: Note): string | undefined {
  const open = kept(blocks)
  for (let index = 1; index < open.length; index++) {
    const label = single(open[index]!)
    const match = label === undefined ? null : tailLabel.exec(label)
    if (!match || label === undefined) continue
    const tail = open.slice(index + 1)
    const start = first(open[index]!)
    const length = (items: Block[]) => items.reduce((sum, block) => sum + textOf(block).length, 0)
    const headlines = tail.filter((block) => block.lines.some((line) => isHeadline(line.text) && words(line.text) <= 15)).length
    if (tail.some((block) => textOf(block).length > longParagraph) || (length(tail) > length(open.slice(0, index)) && headlines * 3 < tail.length)) {
      note(start, 'import-tail-kept', `\`${shorten(label)}\` may start teasers for other articles, but what follows looks like the article: kept; remove what is not the article`)
      continue
    }
    for (const block of open.slice(index)) block.removed = true
    const end = open.at(-1)!.lines.at(-1)!.line
    note(start, 'import-trailing-teasers', `Removed lines ${start.line}–${end}, from \`${shorten(label)}\` to the end: teasers and captions of other articles`)
    const name = match[1]?.trim().replace(/[.:]$/, '')
    if (name && /^\p{Lu}/u.test(name) && !notPublisher.test(name)) {
      note(start, 'import-publisher', `Publisher guessed as \`${name}\` from \`${shorten(label)}\`: check it and add its \`url\``)
      return name
    }
    return undefined
  }
  return undefined
}

function removeBoilerplate(blocks: Block[], note: Note): void {
  for (const block of kept(blocks)) {
    const value = single(block)
    if (value === undefined || !boilerplate.test(value)) continue
    block.removed = true
    note(first(block), 'import-boilerplate', `Removed the page's \`${value}\` line`)
  }
}

/** Remove image captions written twice in a row (alternative text and caption): the image is not in the text. */
function removeCaptions(blocks: Block[], note: Note): void {
  for (const block of kept(blocks)) {
    const lines: Line[] = []
    for (let index = 0; index < block.lines.length; index++) {
      const line = block.lines[index]!
      const next = block.lines[index + 1]
      if (next && words(line.text) >= 3 && normalizeTypography(line.text) === normalizeTypography(next.text)) {
        note(line, 'import-caption', `Removed an image caption written twice in a row (\`${shorten(line.text)}\`): the image is not in the text`)
        index++
        continue
      }
      lines.push(line)
    }
    block.lines = lines
    if (lines.length === 0) block.removed = true
  }
}

/** Keep one copy of paragraphs that differ only in quotes, dashes, ellipses and white space: the most typographic one. */
function removeDuplicates(blocks: Block[], note: Note): void {
  const groups = new Map<string, Block[]>()
  for (const block of kept(blocks)) {
    const text = textOf(block)
    if (words(text) < 4) continue
    const key = normalizeTypography(text)
    groups.set(key, [...(groups.get(key) ?? []), block])
  }
  for (const group of groups.values()) {
    if (group.length < 2) continue
    const best = group.reduce((top, block) => (typography(textOf(block)) > typography(textOf(top)) ? block : top))
    for (const block of group) {
      if (block === best) continue
      block.removed = true
      note(first(block), 'import-duplicate-paragraph', `Removed a repeated paragraph (\`${shorten(textOf(block))}\`); kept the copy at line ${first(best).line}`)
    }
  }
}

function typography(value: string): number {
  return value.match(/[‘’“”—–…]/g)?.length ?? 0
}

/** Remove a paragraph cut short with "..." or "…" when another paragraph starts with its text. */
function removeTeasers(blocks: Block[], note: Note): void {
  const open = kept(blocks)
  for (const block of open) {
    const key = normalizeTypography(textOf(block))
    if (!key.endsWith('...')) continue
    const prefix = key.slice(0, -3).trimEnd()
    if (prefix.length < 20) continue
    const full = open.find((other) => other !== block && !other.removed && normalizeTypography(textOf(other)).startsWith(prefix) && normalizeTypography(textOf(other)).length > key.length)
    if (!full) continue
    block.removed = true
    note(first(block), 'import-teaser', `Removed a truncated teaser (\`${shorten(textOf(block))}\`) of the paragraph at line ${first(full).line}`)
  }
}

/** Bylines leave the body: "By Name", "By Name and Name, title", "By Name | date", or "By , a …" whose name a bio line gives. */
function takeByline(blocks: Block[], note: Note): {authors: Person[]; date?: {text: string; line: Line}} {
  let authors: Person[] = []
  let date: {text: string; line: Line} | undefined
  let nameless: {block: Block; rest: string} | undefined
  let byline: Block | undefined
  const open = kept(blocks)
  for (const [index, block] of open.entries()) {
    const value = single(block)
    if (value === undefined || value.length > 300) continue
    const empty = emptyByline.exec(value)
    const named = empty ? null : namedByline.exec(value)
    if (!empty && !(named && index < 8 && isBylineRest(named[2] ?? ''))) continue
    block.removed = true
    if (byline) {
      note(first(block), 'import-byline', `Removed another byline (\`${shorten(value)}\`)`)
      continue
    }
    byline = block
    if (empty) {
      const rest = (empty[1] ?? '').trim()
      if (rest && hasYearDate(rest)) date = {text: rest, line: first(block)}
      nameless = {block, rest: date ? '' : rest}
      continue
    }
    authors = splitNames(named![1]!).map((name) => ({name}))
    const rest = (named![2] ?? '').trim()
    if (rest && hasYearDate(rest)) date = {text: rest, line: first(block)}
    note(first(block), 'import-byline', `Author${authors.length > 1 ? 's' : ''} taken from the byline \`${shorten(value)}\``)
  }
  // Note: a bio may be wrapped on several lines; its text is read whole.
  const bios = kept(blocks).filter((block) => textOf(block).length <= longParagraph && bioLine.test(textOf(block)))
  const last = kept(blocks).at(-1)
  if (nameless) {
    const rest = normalizeTypography(nameless.rest).slice(0, 40)
    // Note: a byline with a description names its author in the bio line that repeats it; else only the last paragraph or one with a handle is a bio.
    const bio =
      (rest.length >= 10 ? bios.find((block) => normalizeTypography(bioLine.exec(textOf(block))![2]!).startsWith(rest)) : bios.find((block) => block === last)) ??
      bios.find((block) => handle.test(textOf(block)))
    const at = first(nameless.block)
    if (!bio) {
      note(at, 'import-byline-empty', `Removed a byline without a name (\`${shorten(single(nameless.block)!)}\`) and found no bio line that names the author`)
      return {authors, date}
    }
    const person = readBio(bio)
    authors = [person]
    note(at, 'import-byline-recovered', `Byline without a name (\`${shorten(single(nameless.block)!)}\`): author \`${person.name}\` recovered from the bio at line ${first(bio).line}`)
    note(first(bio), 'import-author-bio', 'Moved the author’s bio line to `author.bio`')
    return {authors, date}
  }
  if (authors.length === 1) {
    const key = normalizeTypography(authors[0]!.name)
    const bio = bios.find((block) => normalizeTypography(bioLine.exec(textOf(block))![1]!) === key)
    if (bio) {
      authors = [readBio(bio)]
      note(first(bio), 'import-author-bio', 'Moved the author’s bio line to `author.bio`')
    }
    return {authors, date}
  }
  if (authors.length === 0) {
    // No byline: the last paragraph is the author's bio only when it gives a social handle.
    const bio = last && bios.includes(last) && handle.test(textOf(last)) ? last : undefined
    if (bio) {
      authors = [readBio(bio)]
      note(first(bio), 'import-author-guessed', `No byline: author \`${authors[0]!.name}\` guessed from the bio line at the end; check it`)
    }
  }
  return {authors, date}
}

/** What may follow the names of a byline: nothing, a date, or a short title ("Staff Writer"). */
function isBylineRest(rest: string): boolean {
  return rest === '' || hasYearDate(rest) || (words(rest) <= 8 && !/[.!?]$/.test(rest))
}

function splitNames(value: string): string[] {
  return value.split(/\s*,\s*and\s+|\s*,\s*|\s+and\s+/).map((name) => name.trim()).filter(Boolean)
}

/** "Name Surname is a … Twitter: @handle" → the person, the bio without the handle. */
function readBio(block: Block): Person {
  block.removed = true
  const value = textOf(block)
  const name = bioLine.exec(value)![1]!
  const found = handle.exec(value)
  const bio = found ? value.slice(0, found.index).trim() : value
  // Note: keys in the README's order (name, url, sameAs, bio).
  return found ? {name, sameAs: [`https://${/^\s*X\s*:/i.test(found[0]) ? 'x.com' : 'twitter.com'}/${found[1]!}`], bio} : {name, bio}
}

function hasYearDate(value: string): boolean {
  return readDate(value) !== undefined
}

/** A calendar date with a written year in `value`, with its time and zone when given. */
function readDate(value: string): {date: string; time?: string; zone?: string; spans: Array<[number, number]>} | undefined {
  const iso = /\b(\d{4}-\d\d-\d\d)(?:[T ](\d\d:\d\d(?::\d\d)?)(?:\.\d+)?\s*(Z|[+-]\d\d:?\d\d)?)?\b/.exec(value)
  if (iso && isCalendarDay(iso[1]!)) {
    const zone = iso[3] === undefined ? undefined : iso[3] === 'Z' ? '+00:00' : iso[3].replace(/^([+-]\d\d)(\d\d)$/, '$1:$2')
    const time = iso[2] === undefined ? undefined : iso[2].length === 5 ? `${iso[2]}:00` : iso[2]
    return {date: iso[1]!, time, zone, spans: [[iso.index, iso.index + iso[0].length]]}
  }
  const found = findDates(value, '2000-01-01').find((item) => item.kind === 'date' && item.precision === 'day' && /\b\d{4}\b/.test(item.text) && /^\d{4}-\d\d-\d\d$/.test(item.startDate))
  if (!found) return undefined
  const spans: Array<[number, number]> = [[found.start, found.end]]
  const clock = readTime(value)
  if (clock) spans.push(clock.span)
  return {date: found.startDate, time: clock?.time, zone: clock?.zone, spans}
}

function isCalendarDay(value: string): boolean {
  const [year, month, day] = value.split('-').map(Number) as [number, number, number]
  const date = new Date(Date.UTC(year, month - 1, day))
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

/** "9:15 a.m. EDT", "14:05 BST", "10:00 UTC+2" → hh:mm:ss and the offset when known. */
function readTime(value: string): {time: string; zone?: string; span: [number, number]} | undefined {
  const match =
    /\b(1[0-2]|0?[1-9])(?::([0-5]\d))?\s*([ap])\.?\s?m\b\.?|\b([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?\b/i.exec(value)
  if (!match) return undefined
  let hours = Number(match[1] ?? match[4])
  if (match[3]) hours = (hours % 12) + (match[3].toLowerCase() === 'p' ? 12 : 0)
  const time = `${String(hours).padStart(2, '0')}:${match[2] ?? match[5] ?? '00'}:${match[6] ?? '00'}`
  const end = match.index + match[0].length
  const after = /^\s*\(?\s*(?:(UTC|GMT|Z|[ECMP][SD]T|BST|CEST|CET|JST|KST|AEST|AEDT)\b\s*([+-]\d{1,2}(?::?\d\d)?)?|([+-]\d\d:?\d\d))\s*\)?/.exec(value.slice(end))
  let zone: string | undefined
  if (after) {
    const offset = after[2] ?? after[3]
    zone = offset ? formatOffset(offset) : zones[after[1]!]
  }
  return {time, zone, span: [match.index, end + (after?.[0].length ?? 0)]}
}

function formatOffset(value: string): string {
  const [, sign, hours, minutes] = /^([+-])(\d\d?):?(\d\d)?$/.exec(value)!
  return `${sign}${hours!.padStart(2, '0')}:${minutes ?? '00'}`
}

/** The publication date: a date line near the top, the byline's date, a dateline ("CITY, date —"), or the file name's date. */
function takeDate(blocks: Block[], bylineDate: {text: string; line: Line} | undefined, fileName: string | undefined, note: Note): string | undefined {
  const candidates: FoundDate[] = []
  kept(blocks).slice(0, 6).forEach((block) => {
    const value = single(block)
    if (value === undefined || value.length > 120) return
    const found = readDate(value)
    if (!found || !isDateLine(value, found.spans)) return
    block.removed = true
    candidates.push(toFound(found, value, first(block)))
    note(first(block), 'import-date-line', `Removed the date line \`${shorten(value)}\``)
  })
  if (bylineDate) {
    const found = readDate(bylineDate.text)
    if (found) candidates.push(toFound(found, bylineDate.text, bylineDate.line))
  }
  const opening = kept(blocks)[0]
  const dateline = opening ? /^(.{6,80}?)\s*(?:—|–|--)\s+\S/.exec(first(opening).text) : null
  if (dateline && /^\p{Lu}{2,}/u.test(dateline[1]!)) {
    const found = readDate(dateline[1]!)
    if (found) candidates.push(toFound(found, dateline[1]!, first(opening!)))
  }
  const chosen = candidates.find((item) => !item.updated) ?? candidates[0]
  if (chosen) {
    const kind = chosen.updated ? 'the update date ' : ''
    note(chosen.line, 'import-date', `Publication date taken from ${kind}\`${shorten(chosen.text)}\`: \`${chosen.value}\`${/^\d+\/\d+\/\d+$/.test(chosen.text.trim()) ? ' (a numeric date is read month first)' : ''}`)
    if (chosen.assumedZone) note(chosen.line, 'import-date-timezone', `No time zone in \`${shorten(chosen.text)}\`: ${assumedZone} (UTC) assumed; set the publisher’s offset`)
    return chosen.value
  }
  const named = fileName === undefined ? null : /^(\d{4}-\d\d-\d\d)(?:[-_ .]|$)/.exec(fileName.split(/[\\/]/).pop() ?? '')
  if (named && isCalendarDay(named[1]!)) {
    const value = `${named[1]}T00:00:00${assumedZone}`
    note(undefined, 'import-date-from-file-name', `Publication date taken from the file name: \`${value}\` (midnight, ${assumedZone} assumed); check the time and offset`)
    return value
  }
  return undefined
}

function toFound(found: NonNullable<ReturnType<typeof readDate>>, text: string, line: Line): FoundDate {
  const zone = found.zone
  return {
    value: `${found.date}T${found.time ?? '00:00:00'}${zone ?? assumedZone}`,
    text,
    line,
    assumedZone: zone === undefined,
    updated: /^\s*(?:last\s+)?(?:updated|modified)\b/i.test(text)
  }
}

/** Whether a line is only a date: words such as "Published", "Updated on" and separators aside. */
function isDateLine(value: string, spans: Array<[number, number]>): boolean {
  let rest = ''
  for (let index = 0; index < value.length; index++) {
    if (!spans.some(([start, end]) => index >= start && index < end)) rest += value[index]
  }
  return /^[\s,.|·•:—–()-]*$/.test(rest.replace(/\b(?:first|last|originally|published|posted|updated|modified|date|on|at)\b/gi, ''))
}

/** Suggest a blockquote for each paragraph that follows one ending in `:`, without changing it. */
function noteQuotations(blocks: Block[], note: Note): void {
  const open = kept(blocks)
  open.forEach((block, index) => {
    const next = open[index + 1]
    if (!next || !/:$/.test(textOf(block))) return
    note(first(next), 'import-quotation-suspected', 'Paragraph after a line ending in `:`: if it is quoted material, make it a blockquote (`> `) ending with a `[^source]` reference, and declare the source under `sources`')
  })
}

/** The first sentence or two of the first paragraph, at most 300 characters. */
function describe(block: Block | undefined, note: Note): string | undefined {
  if (!block) return undefined
  const parts = sentences(textOf(block))
  let value = parts[0] ?? ''
  if (parts[1] && `${value} ${parts[1]}`.length <= descriptionLength) value = `${value} ${parts[1]}`
  if (value.length > descriptionLength) {
    const cut = value.slice(0, descriptionLength - 1)
    value = `${cut.slice(0, Math.max(cut.lastIndexOf(' '), 1)).replace(/[\s,;:—–-]+$/, '')}…`
  }
  if (!value) return undefined
  note(first(block), 'import-description', 'Description written from the first sentences of the body: make it a summary of the article')
  return value
}

function sentences(value: string): string[] {
  const result: string[] = []
  let start = 0
  for (const match of value.matchAll(/[.!?…]+["'’”)\]]*(?=\s+["'‘“([]?[\p{Lu}\p{N}])/gu)) {
    const end = match.index + match[0].length
    const word = /(\S+)$/.exec(value.slice(start, end))?.[1] ?? ''
    if (isAbbreviation(word)) continue
    result.push(value.slice(start, end).trim())
    start = end
  }
  const rest = value.slice(start).trim()
  if (rest) result.push(rest)
  return result
}

function isAbbreviation(word: string): boolean {
  if (!word.endsWith('.')) return false
  const stem = word.slice(0, -1).replace(/^["'‘“(]+/, '')
  return /^\p{Lu}$/u.test(stem) || /^(?:\p{L}\.)+\p{L}$/u.test(stem) || abbreviations.has(stem.toLowerCase())
}
