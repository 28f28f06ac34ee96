// Tokens and sentences of the article text, with exact offsets.
import type {Words} from '../knowledge/words.js'
import {isCapitalized, nameKey} from '../knowledge/normalize.js'
import type {ArticleText, Sentence} from '../types.js'

/** A word of the text. `start`/`end` cover the word without a possessive `’s`. */
export interface Token {
  /** The word as written, without a possessive ending. */
  text: string
  key: string
  start: number
  end: number
  /** Whether `’s` followed (and is not part of `end`). */
  possessive: boolean
  capitalized: boolean
  /** Index of the token in its sentence. */
  index: number
  /** Characters between the previous token and this one (punctuation, spaces). */
  before: string
}

const wordPattern = /[\p{L}\p{N}]+(?:[.'’‐-][\p{L}\p{N}]+)*/gu

/** Split the article text into sentences: block by block, at . ! ? … not ending an abbreviation. */
export function splitSentences(text: ArticleText, words: Words): Sentence[] {
  const sentences: Sentence[] = []
  for (const block of text.blocks) {
    const value = text.value.slice(block.start, block.end)
    let start = 0
    for (const match of value.matchAll(/[.!?…]+["'”’)\]]*(?=\s|$)/g)) {
      const end = match.index + match[0].length
      const rest = value.slice(end)
      if (!/^\s*$/.test(rest) && !/^\s+["“‘'(\[]?[\p{Lu}\p{N}]/u.test(rest)) continue
      if (match[0] === '.' && !isSentenceEnd(value.slice(start, match.index), rest, words)) continue
      pushSentence(sentences, value, block.start, start, end, block.paragraph)
      start = end
    }
    pushSentence(sentences, value, block.start, start, value.length, block.paragraph)
  }
  return sentences
}

function pushSentence(sentences: Sentence[], value: string, offset: number, start: number, end: number, paragraph: number): void {
  const piece = value.slice(start, end)
  const lead = piece.length - piece.trimStart().length
  const trimmed = piece.trim()
  if (trimmed === '') return
  sentences.push({start: offset + start + lead, end: offset + start + lead + trimmed.length, paragraph})
}

function isSentenceEnd(before: string, rest: string, words: Words): boolean {
  const last = /(\S+)$/.exec(before)?.[1] ?? ''
  const word = last.replace(/^["“‘'(\[]+/, '')
  // "U.S." or "Sept." ends a sentence only before a word that usually starts one.
  const abbreviation = /^(?:\p{L}\.)+\p{L}$/u.test(word) || /^\p{L}$/u.test(word) || words.abbreviations.has(nameKey(word)) || words.calendarAbbreviations.has(nameKey(word))
  if (!abbreviation) return true
  const next = /^\s+["“‘'(\[]?([\p{L}]+)/u.exec(rest)?.[1]
  return next !== undefined && words.functionWords.has(nameKey(next)) && /^(?:\p{L}\.)+\p{L}$/u.test(word)
}

/** Tokenize one sentence of the text; `abbreviation` tells which words keep a following period. */
export function tokenize(value: string, sentence: Sentence, abbreviation: (word: string) => boolean): Token[] {
  const tokens: Token[] = []
  const text = value.slice(sentence.start, sentence.end)
  let previousEnd = 0
  for (const match of text.matchAll(wordPattern)) {
    let word = match[0]
    let end = match.index + word.length
    // Keep the period of an initialism ("U.S.") or a single initial ("W.").
    if (text[end] === '.' && (/^(?:\p{L}\.)+\p{L}$/u.test(word) || /^\p{Lu}$/u.test(word) || abbreviation(word))) {
      word += '.'
      end += 1
    }
    let possessive = false
    const possessiveMatch = /['’]s$/i.exec(word)
    if (possessiveMatch && word.length > 2) {
      possessive = true
      word = word.slice(0, -2)
    }
    const start = sentence.start + match.index
    tokens.push({
      text: word,
      key: nameKey(word),
      start,
      end: start + word.length,
      possessive,
      capitalized: isCapitalized(word),
      index: tokens.length,
      before: text.slice(previousEnd, match.index)
    })
    previousEnd = end
  }
  return tokens
}
