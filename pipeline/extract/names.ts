// Names no registry knows: capitalised runs of words, with titles split off and a type guessed.
import type {Knowledge} from '../knowledge/index.js'
import {isAcronym} from '../knowledge/normalize.js'
import type {EntityType} from '../types.js'
import type {Token} from './tokens.js'

/** A capitalised run of words, after titles and sentence-initial words are removed. */
export interface NameChunk {
  tokens: Token[]
  /** The title found before the name, if any ("President"). */
  title?: string
  /** Whether a title and a name follow it ("Orbital Dynamics" in "Orbital Dynamics CEO Priya Raman"). */
  employer?: boolean
}

/** A guess at what an unknown name is. */
export interface NameGuess {
  type: EntityType
  confidence: number
}

/** Whether two neighbouring tokens are joined by white space only (no comma, no quote). */
export function joined(next: Token): boolean {
  return /^[ \u00a0]+$/.test(next.before)
}

/**
 * Find the capitalised runs of a sentence among tokens not yet `taken`,
 * allowing lowercase connectors inside ("Bank of America"); a possessive
 * ends a run.
 */
export function findChunks(tokens: Token[], taken: boolean[], knowledge: Knowledge): NameChunk[] {
  const {connectors} = knowledge.lexicon
  const chunks: NameChunk[] = []
  let current: Token[] = []
  const flush = () => {
    if (current.length > 0) chunks.push(...cleanChunk(current, tokens, knowledge))
    current = []
  }
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!
    if (taken[index]) {
      flush()
      continue
    }
    const continues = current.length > 0 && joined(token) && !current.at(-1)!.possessive
    if (token.capitalized && /\p{L}/u.test(token.text)) {
      if (!continues) flush()
      current.push(token)
    } else if (continues && connectors.has(token.key) && tokens[index + 1]?.capitalized && !taken[index + 1] && joined(tokens[index + 1]!)) {
      current.push(token)
    } else flush()
  }
  flush()
  return chunks
}

/** Drop what is not part of a name: sentence-initial common words, determiners, dates; split off a title. */
function cleanChunk(run: Token[], sentence: Token[], knowledge: Knowledge): NameChunk[] {
  const {words} = knowledge
  const pieces: Token[][] = [[]]
  for (const token of run) {
    if (words.calendar.has(token.key) || token.text === 'I') pieces.push([])
    else pieces.at(-1)!.push(token)
  }
  const chunks: NameChunk[] = []
  for (const piece of pieces) {
    const tokens = trim(piece, sentence, knowledge)
    if (tokens.length === 0) continue
    // "Apple Computer CEO Steve Jobs": an employer, a title, a person.
    const leading = titleAt(tokens, 0, knowledge)
    const inner = hasHead(tokens.at(-1)!, knowledge) ? -1 : tokens.findIndex((_, index) => index > Math.max(0, leading - 1) && index < tokens.length - 1 && titleAt(tokens, index, knowledge) > 0)
    const parts = inner > 0 ? [trim(tokens.slice(0, inner), sentence, knowledge), tokens.slice(inner)] : [tokens]
    parts.forEach((part, index) => {
      if (part.length === 0) return
      const {title, rest} = hasHead(part.at(-1)!, knowledge) ? {title: undefined, rest: part} : splitTitle(part, knowledge)
      if (rest.length === 0) return
      const chunk: NameChunk = {tokens: rest}
      if (title) chunk.title = title
      if (index === 0 && parts.length > 1) chunk.employer = true
      chunks.push(chunk)
    })
  }
  return chunks
}

/** Drop leading determiners and sentence-initial function or lone dictionary words, and trailing connectors. */
function trim(piece: Token[], sentence: Token[], knowledge: Knowledge): Token[] {
  const {words, lexicon} = knowledge
  let tokens = piece
  while (tokens.length > 0) {
    const first = tokens[0]!
    const initial = isSentenceInitial(first, sentence)
    const determiner = /^(?:the|a|an)$/.test(first.key)
    const functionWord = words.functionWords.has(first.key) && !lexicon.titles.has(first.key)
    // A lone sentence-initial dictionary word ("Surrounded", "Actually") is no name.
    const commonWord = tokens.length === 1 && words.common.has(first.key) && !words.firstNames.has(first.key)
    if (determiner || (initial && (functionWord || commonWord))) tokens = tokens.slice(1)
    else break
  }
  while (tokens.length > 0 && lexicon.connectors.has(tokens.at(-1)!.key)) tokens = tokens.slice(0, -1)
  return tokens
}

/** Number of tokens of the title starting at `index` (0 when none). */
function titleAt(tokens: Token[], index: number, knowledge: Knowledge): number {
  for (let length = Math.min(3, tokens.length - index - 1); length >= 1; length--) {
    const key = tokens
      .slice(index, index + length)
      .map((token) => token.key)
      .join(' ')
    if (knowledge.lexicon.titles.has(key)) return length
  }
  return 0
}

/** Whether a word ends organization, place, event or thing names. */
export function hasHead(token: Token, knowledge: Knowledge): boolean {
  return headType(token, knowledge) !== undefined
}

/** Whether a token starts its sentence (or follows an opening quote or colon there). */
export function isSentenceInitial(token: Token, sentence: Token[]): boolean {
  if (token.index === 0) return true
  const previous = sentence[token.index - 1]
  return previous !== undefined && /[:“"‘(]\s*$/.test(token.before) && !previous.capitalized
}

/** Split leading titles ("President", "Prime Minister", "Mr.") off a run of words. */
export function splitTitle(tokens: Token[], knowledge: Knowledge): {title?: string; rest: Token[]} {
  const end = titleAt(tokens, 0, knowledge)
  if (end === 0) return {rest: tokens}
  // Note: repeated titles ("Gen. Sec.") are rare; one level is enough.
  return {title: tokens.slice(0, end).map((token) => token.text).join(' '), rest: tokens.slice(end)}
}

/**
 * Guess the type of an unknown name: a title makes a person; a head word
 * ("Agency", "Sea", "War", "Treaty") its class; compromise's list of
 * organizations; a given name a person. Other unknown names are taken for
 * organizations with a low confidence (the entity stage upgrades them to
 * people on evidence such as "Mr. Adebisi" or an appositive role).
 * `proper` holds dictionary words this article only ever capitalises.
 */
export function guessType(chunk: NameChunk, knowledge: Knowledge, proper: Set<string>): NameGuess | undefined {
  const {words} = knowledge
  const tokens = chunk.tokens
  const key = tokens.map((token) => token.key).join(' ')
  if (chunk.title) return {type: 'Person', confidence: 0.75}
  const head = headType(tokens.at(-1)!, knowledge)
  if (head && (tokens.length > 1 || !isAcronym(tokens[0]!.text))) return {type: head, confidence: 0.6}
  if (words.organizations.has(key)) return {type: 'Organization', confidence: 0.7}
  if (chunk.employer) return {type: 'Organization', confidence: 0.5}
  const dictionary = (token: Token) => (words.common.has(token.key) || words.functionWords.has(token.key)) && !proper.has(token.key)
  if (tokens.length === 1) {
    const token = tokens[0]!
    if (isAcronym(token.text)) return words.nonNames.has(token.key) || words.common.has(token.key) ? undefined : {type: 'Organization', confidence: 0.4}
    if (words.firstNames.has(token.key) || words.lastNames.has(token.key) || dictionary(token)) return undefined
    return {type: 'Organization', confidence: 0.4}
  }
  if (tokens.length <= 4 && words.firstNames.has(tokens[0]!.key) && !proper.has(tokens[0]!.key)) return {type: 'Person', confidence: 0.6}
  // Capitalised dictionary words ("North Attacking") are no reliable name.
  if (tokens.every(dictionary)) return undefined
  return {type: 'Organization', confidence: 0.4}
}

/** The type a head word gives a name ("Agency" → Organization), if any. */
export function headType(token: Token, knowledge: Knowledge): EntityType | undefined {
  const {organizationHeads, placeHeads, eventHeads, thingHeads} = knowledge.lexicon
  if (organizationHeads.has(token.key)) return 'Organization'
  if (placeHeads.has(token.key)) return 'Place'
  if (eventHeads.has(token.key)) return 'Event'
  if (thingHeads.has(token.key)) return 'Thing'
  return undefined
}
