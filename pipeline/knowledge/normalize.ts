// Keys for matching names: case, diacritics, apostrophes, hyphens and periods do not matter.

/** Keys of short values already normalized: words repeat (every token of every article is looked up). */
const shortKeys = new Map<string, string>()
/** Values up to this length are remembered: V8 copies them when sliced, so none keeps a larger text alive. */
const shortLength = 12
/** At most this many are remembered (a few megabytes); then they are forgotten and remembered again. */
const shortKeysLimit = 1 << 16

/** Normalize a word or name for lookup: "Kim Jong-il" and "Kim Jong Il" give one key. */
export function nameKey(value: string): string {
  if (value.length > shortLength) return normalizeName(value)
  let key = shortKeys.get(value)
  if (key === undefined) {
    key = normalizeName(value)
    if (shortKeys.size >= shortKeysLimit) shortKeys.clear()
    shortKeys.set(value, key)
  }
  return key
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
