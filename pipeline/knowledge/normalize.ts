// Keys for matching names: case, diacritics, apostrophes, hyphens and periods do not matter.
import {remembered} from '../remember.js'

/** Values up to this length are remembered: V8 copies them when sliced, so none keeps a larger text alive. */
const shortLength = 12

/** Keys of short values (words repeat: every token of every article is looked up), at most 65,536 kept (a few megabytes). */
const shortKey = remembered((value) => normalizeName(value), 1 << 16)

/** Normalize a word or name for lookup: "Kim Jong-il" and "Kim Jong Il" give one key. */
export function nameKey(value: string): string {
  return value.length > shortLength ? normalizeName(value) : shortKey(value)
}

function normalizeName(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/'s\b/g, '')
    .replace(/[-‐‑–]/g, ' ')
    .replace(/\./g, '')
    .replace(/\s+/g, ' ')
    .trim()
}

/** Whether a word starts with an uppercase letter (or is a digit-led token like "20th"). */
export function isCapitalized(word: string): boolean {
  return /^\p{Lu}/u.test(word)
}

/** Whether a word is an acronym: two or more capitals, maybe with periods ("UN", "U.S."). */
export function isAcronym(word: string): boolean {
  return /^(?:\p{Lu}\.?){2,}$/u.test(word) && /\p{Lu}.*\p{Lu}/u.test(word)
}
