// Clause helpers of the events stage: where a clause starts, a verb's object phrase, pro-verbs ("which they did").
import type {Knowledge} from '../knowledge/index.js'
import type {Token} from './tokens.js'

const be = /^(?:is|are|was|were|be|been|being)$/
const demonstratives = /^(?:these|those|such|this|that)$/
const pronouns = /^(?:they|it|he|she|we|i|you)$/
const proVerbs = /^(?:did|does|do|had|has|have)$/

/** Index of the first token of the clause holding `token`: after the last comma, semicolon, colon, dash or parenthesis before it. */
export function clauseStart(tokens: Token[], token: Token): number {
  let start = token.index
  while (start > 0 && !/[,;:—–(]/.test(tokens[start]!.before)) start--
  return start
}

/** Whether a verb form is passive: a past participle after a form of "be" within three words ("was attacked", "end up being used"). */
export function isPassive(tokens: Token[], token: Token): boolean {
  return /(?:ed|en|wn)$/.test(token.key) && tokens.slice(Math.max(0, token.index - 3), token.index).some((item) => be.test(item.key))
}

/**
 * The words of a verb's object phrase: up to five words after it, to the first
 * punctuation or preposition (a passive's are the words of its clause before
 * it: "these weapons will end up being used"). A demonstrative phrase ("these
 * weapons") adds the words before the same noun earlier in the sentence
 * ("nuclear or chemical weapons").
 */
export function objectPhrase(tokens: Token[], token: Token, prepositions: Set<string>): string[] {
  let phrase: Token[]
  if (isPassive(tokens, token)) {
    phrase = tokens.slice(Math.max(clauseStart(tokens, token), token.index - 6), token.index)
  } else {
    phrase = []
    // "offered to supply anti-drone systems": the object of the verb after "to".
    // Note: the verb after "to" is part of it ("declined to comment", "offered to supply drones").
    const start = tokens[token.index + 1]?.key === 'to' ? token.index + 2 : token.index + 1
    for (const item of tokens.slice(start, start + 7)) {
      // Note: "of" stays inside the phrase ("a state of emergency"), and so does a thousands separator ("5,000 soldiers").
      const separator = item.before === ',' && /^\d+$/.test(item.text) && /^\d+$/.test(tokens[item.index - 1]?.text ?? '')
      if ((/[,;:—–()]/.test(item.before) && !separator) || (prepositions.has(item.key) && item.key !== 'of')) break
      phrase.push(item)
    }
  }
  const words = phrase.map((item) => item.key)
  // Note: the last one, so that a complementizer ("and that these weapons") is passed over.
  const demonstrative = phrase.findLastIndex((item) => demonstratives.test(item.key))
  const noun = demonstrative === -1 ? undefined : phrase[demonstrative + 1]
  if (noun) {
    const antecedent = tokens.findLast((item) => item.index < noun.index - 1 && item.key === noun.key)
    if (antecedent) words.push(...tokens.slice(Math.max(0, antecedent.index - 3), antecedent.index).map((item) => item.key))
  }
  return words
}

/** Whether one of `words` is in the phrase: as written or as the phrase word's singular ("officers" for "officer"). */
export function phraseHas(phrase: string[], words: Set<string>): boolean {
  return phrase.some((word) => words.has(word) || (word.endsWith('s') && words.has(word.slice(0, -1))))
}

/**
 * Pro-verbs that repeat an earlier event of the sentence: "which they did once
 * before", "as it had in 1879". Returns the pro-verb token and its subject (a
 * pronoun token or the token after "which"/"as"), for each.
 */
export function proVerbsOf(tokens: Token[]): Array<{token: Token; subject: Token}> {
  const found: Array<{token: Token; subject: Token}> = []
  for (const token of tokens) {
    if (!proVerbs.test(token.key)) continue
    const subject = tokens[token.index - 1]
    const opener = tokens[token.index - 2]
    const next = tokens[token.index + 1]
    if (!subject || !opener || !/^(?:which|as)$/.test(opener.key)) continue
    // Note: an auxiliary before a verb ("which they did not attack", "as it had said") is no pro-verb.
    if (next && !/[,;:.—–()]/.test(next.before) && !/^(?:once|before|so|then|too|again|in|on|at|during|until|twice|earlier|later|last|this|that|decades|years)$/.test(next.key)) continue
    if (pronouns.test(subject.key) || subject.capitalized) found.push({token, subject})
  }
  return found
}

/**
 * Whether `event` is the complement of `head` ("insistence was on direct
 * talks", "demanded that talks …"): within five words, after on, for, to or
 * that, or (`direct`) as its object ("ruled out bilateral talks").
 */
export function complementOf(tokens: Token[], head: Token, event: Token, direct = false): boolean {
  if (event.index <= head.index || event.index - head.index > 5) return false
  const between = tokens.slice(head.index + 1, event.index + 1)
  if (between.some((token) => /[,;:—–()]/.test(token.before))) return false
  return direct ? event.index - head.index <= 4 : between.some((token) => /^(?:on|for|to|that)$/.test(token.key))
}

/** Whether the word at `index` is used as a noun: after a determiner, a possessive, an adjective-like modifier or a number. */
export function isNounPosition(tokens: Token[], index: number, knowledge: Knowledge): boolean {
  const previous = tokens[index - 1]
  if (!previous) return false
  if (previous.possessive || /^(?:a|an|the|this|that|these|those|its|their|his|her|our|mutual|joint|first|new|further|military|naval|maritime|planned|possible|no)$/.test(previous.key)) return true
  if (/\d/.test(previous.text)) return true
  if (/^(?:to|will|would|could|should|may|might|must|not|did|does|do)$/.test(previous.key)) return false
  return knowledge.words.common.has(previous.key) && /(?:al|ic|ive|ary|ory|ed)$/.test(previous.key)
}

/** Whether `noun` lies in the object of the verb `verb`: within six words after it, in its clause ("promised 50 million dollars in aid"). */
export function inObjectOf(tokens: Token[], verb: Token, noun: Token): boolean {
  if (noun.index <= verb.index || noun.index - verb.index > 6) return false
  return !tokens.slice(verb.index + 1, noun.index + 1).some((token) => /[,;:—–()]/.test(token.before) && !/^\d+$/.test(token.text))
}
