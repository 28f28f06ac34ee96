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
  const {words, lexicon} = knowledge
  const pieces: Token[][] = [[]]
  for (const token of run) {
    if (words.calendar.has(token.key) || token.text === 'I') pieces.push([])
    else pieces.at(-1)!.push(token)
  }
  const chunks: NameChunk[] = []
  for (let tokens of pieces) {
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
    if (tokens.length === 0) continue
    const {title, rest} = hasHead(tokens.at(-1)!, knowledge) ? {title: undefined, rest: tokens} : splitTitle(tokens, knowledge)
    if (rest.length === 0) continue
    const chunk: NameChunk = {tokens: rest}
    if (title) chunk.title = title
    chunks.push(chunk)
  }
  return chunks
}

/** Whether a word ends organization, place, event or thing names. */
export function hasHead(token: Token, knowledge: Knowledge): boolean {
  const {organizationHeads, placeHeads, eventHeads, thingHeads} = knowledge.lexicon
  return [organizationHeads, placeHeads, eventHeads, thingHeads].some((heads) => heads.has(token.key))
}

/** Whether a token starts its sentence (or follows an opening quote or colon there). */
export function isSentenceInitial(token: Token, sentence: Token[]): boolean {
  if (token.index === 0) return true
  const previous = sentence[token.index - 1]
  return previous !== undefined && /[:“"‘(]\s*$/.test(token.before) && !previous.capitalized
}

/** Split leading titles ("President", "Prime Minister", "Mr.") off a run of words. */
export function splitTitle(tokens: Token[], knowledge: Knowledge): {title?: string; rest: Token[]} {
  const {titles} = knowledge.lexicon
  let end = 0
  for (let length = Math.min(3, tokens.length - 1); length >= 1 && end === 0; length--) {
    const key = tokens
      .slice(0, length)
      .map((token) => token.key)
      .join(' ')
    if (titles.has(key)) end = length
  }
  if (end === 0) return {rest: tokens}
  // Note: repeated titles ("Gen. Sec.") are rare; one level is enough.
  return {title: tokens.slice(0, end).map((token) => token.text).join(' '), rest: tokens.slice(end)}
}

/** Guess the type of an unknown name from its last word, a title or a given name. */
export function guessType(chunk: NameChunk, knowledge: Knowledge): NameGuess | undefined {
  const {words, lexicon} = knowledge
  const tokens = chunk.tokens
  const last = tokens.at(-1)!.key
  if (chunk.title) return {type: 'Person', confidence: 0.75}
  if (tokens.length > 1 || isAcronym(tokens[0]!.text) === false) {
    if (lexicon.organizationHeads.has(last)) return {type: 'Organization', confidence: 0.6}
    if (lexicon.placeHeads.has(last)) return {type: 'Place', confidence: 0.6}
    if (lexicon.eventHeads.has(last)) return {type: 'Event', confidence: 0.6}
    if (lexicon.thingHeads.has(last)) return {type: 'Thing', confidence: 0.6}
  }
  if (tokens.length === 1) {
    const token = tokens[0]!
    if (isAcronym(token.text) && token.text.replace(/\./g, '').length <= 6) return {type: 'Organization', confidence: 0.4}
    if (words.common.has(token.key) || words.firstNames.has(token.key)) return undefined
    return {type: 'Thing', confidence: 0.3}
  }
  if (tokens.length <= 4 && words.firstNames.has(tokens[0]!.key)) return {type: 'Person', confidence: 0.6}
  // Capitalised dictionary words ("North Attacking", "Foreign Policy Debate") are no reliable name.
  if (tokens.every((token) => words.common.has(token.key) || words.functionWords.has(token.key))) return undefined
  if (tokens.length <= 3 && tokens.every((token) => !words.common.has(token.key) && !words.functionWords.has(token.key))) return {type: 'Person', confidence: 0.5}
  return {type: 'Thing', confidence: 0.3}
}
