// Gazetteer: every name, alias and demonym of the known entities, keyed for token matching.
import type {KnownEntity} from '../types.js'
import {isAcronym, nameKey} from './normalize.js'

/** One way a known entity can be named. */
export interface GazetteerEntry {
  entityId: string
  kind: 'name' | 'demonym'
  /** Whether the form is an acronym, which must then be written in capitals. */
  acronym: boolean
  /** Registry 3, countries 2, cities 1, regions 0.5 (plus a tenth of the weight): who wins when two entities share a form. */
  priority: number
}

const priorities = {registry: 3, countries: 2, cities: 1, regions: 0.5} as const

/** Token-sequence index of names. */
export class Gazetteer {
  /** `nameKey` of a form → its best entry. */
  readonly index = new Map<string, GazetteerEntry>()
  /** First word of every form, to skip hopeless positions quickly. */
  readonly firstWords = new Set<string>()
  /** Most words in one form. */
  maxWords = 1

  constructor(entities: Iterable<KnownEntity>) {
    for (const entity of entities) {
      const priority = priorities[entity.origin] + (entity.weight ?? 0) / 10
      for (const name of [entity.name, ...entity.aliases]) this.add(name, {entityId: entity.id, kind: 'name', acronym: isAcronym(name), priority})
      for (const demonym of entity.demonyms) {
        for (const form of [demonym, ...plural(demonym)]) this.add(form, {entityId: entity.id, kind: 'demonym', acronym: false, priority})
      }
    }
  }

  private add(form: string, entry: GazetteerEntry): void {
    const key = nameKey(form)
    if (key === '') return
    const existing = this.index.get(key)
    // Note: names beat demonyms, then priority, then the first id in code-point order.
    if (existing && !better(entry, existing)) return
    this.index.set(key, entry)
    const words = key.split(' ')
    this.firstWords.add(words[0]!)
    this.maxWords = Math.max(this.maxWords, words.length)
  }
}

function better(entry: GazetteerEntry, existing: GazetteerEntry): boolean {
  if (entry.kind !== existing.kind) return entry.kind === 'name'
  if (entry.priority !== existing.priority) return entry.priority > existing.priority
  return entry.entityId < existing.entityId
}

function plural(demonym: string): string[] {
  return /(?:s|sh|ch|x|z|ese|i)$/i.test(demonym) ? [] : [`${demonym}s`]
}
