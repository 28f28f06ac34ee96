// Coreference: short forms ("Adebisi", "Mr. Kim", "the Times", "WHO") resolve to a name mentioned earlier.
import type {Knowledge} from '../knowledge/index.js'
import {isAcronym, isCapitalized, nameKey} from '../knowledge/normalize.js'
import type {EntityType} from '../types.js'

/** What an article has named so far, for resolving short forms. */
export class Coreference {
  private readonly byWord = new Map<string, string>()
  private readonly byInitials = new Map<string, string>()

  constructor(private readonly knowledge: Knowledge) {}

  /** Remember an entity named in full, so later short forms can refer to it. */
  remember(id: string, type: EntityType, name: string): void {
    // Note: places are not referred to by a short form: their names and aliases are not read.
    const person = type === 'Person'
    if (!person && type !== 'Organization' && type !== 'Thing' && type !== 'Event') return
    const words = nameKey(name).split(' ').filter((word) => word.length > 1 && !this.knowledge.words.functionWords.has(word))
    if (words.length < 2) return
    if (person) {
      for (const word of words) this.byWord.set(word, id)
      return
    }
    this.byWord.set(words.at(-1)!, id)
    const initials = name
      .split(/[\s-]+/)
      .filter(isCapitalized)
      .map((word) => word[0])
      .join('')
    if (initials.length >= 2) this.byInitials.set(initials, id)
  }

  /** Remember an acronym given in parentheses after a name. */
  rememberAcronym(acronym: string, id: string): void {
    this.byInitials.set(acronym.replace(/\./g, ''), id)
  }

  /** The entity a one-word short form refers to: the latest one with that word in its name. */
  resolve(word: string): string | undefined {
    if (isAcronym(word)) return this.byInitials.get(word.replace(/\./g, ''))
    return this.byWord.get(nameKey(word))
  }
}
