// The curated registry (source/entities.yaml) and the name lexicon (source/lexicons/names.yaml).
import type {VFile} from 'vfile'
import {note, report} from '../message.js'
import {validateLexiconValue, validateRegistryValue, type NameLexiconData} from '../schemas.js'
import type {KnownEntity} from '../types.js'
import {offsetOf} from '../validate.js'
import {parseYamlFile} from '../yaml-data.js'
import {nameKey} from './normalize.js'

/** The name lexicon, as sets of `nameKey`s (titles as token sequences). */
export interface NameLexicon {
  titles: Set<string>
  courtesyTitles: Set<string>
  organizationHeads: Set<string>
  placeHeads: Set<string>
  eventHeads: Set<string>
  thingHeads: Set<string>
  connectors: Set<string>
  locativeCues: Set<string>
}

/** Parse `entities.yaml`: messages go on `file`; returns the entries as known entities. */
export function parseRegistry(file: VFile): KnownEntity[] | undefined {
  const parsed = parseYamlFile(file, validateRegistryValue, 'registry')
  if (!parsed) return undefined
  const first = new Map<string, number>()
  const aliasOwner = new Map<string, string>()
  const entities: KnownEntity[] = []
  parsed.value.forEach((entry, index) => {
    const previous = first.get(entry.id)
    if (previous !== undefined) {
      const cause = note(file, `Entity \`${entry.id}\` is first defined here`, offsetOf(parsed.source, [previous, 'id'], false))
      report(file, `Unexpected second entry with id \`${entry.id}\`, expected each id once`, 'registry-duplicate', {offset: offsetOf(parsed.source, [index, 'id'], false), cause})
      return
    }
    first.set(entry.id, index)
    const names = [entry.name, ...(entry.aliases ?? [])]
    names.forEach((name, nameIndex) => {
      const key = nameKey(name)
      const owner = aliasOwner.get(key)
      if (owner !== undefined && owner !== entry.id) {
        const path = nameIndex === 0 ? [index, 'name'] : [index, 'aliases', nameIndex - 1]
        report(file, `Name \`${name}\` is also a name of \`${owner}\`; the first entry wins`, 'registry-name-shared', {offset: offsetOf(parsed.source, path, false), fatal: false})
      } else aliasOwner.set(key, entry.id)
    })
    const entity: KnownEntity = {id: entry.id, type: entry.type, name: entry.name, aliases: entry.aliases ?? [], demonyms: entry.demonyms ?? [], origin: 'registry'}
    if (entry.wikidata) entity.wikidata = entry.wikidata
    if (entry.wikipedia) entity.wikipedia = entry.wikipedia
    if (entry.description) entity.description = entry.description
    if (entry.country) entity.country = entry.country
    if (entry.startDate) entity.startDate = entry.startDate
    if (entry.endDate) entity.endDate = entry.endDate
    entities.push(entity)
  })
  return entities
}

/** Parse `lexicons/names.yaml`: messages go on `file`. */
export function parseLexicon(file: VFile): NameLexicon | undefined {
  const parsed = parseYamlFile(file, validateLexiconValue, 'lexicon')
  return parsed ? toNameLexicon(parsed.value) : undefined
}

/** Turn lexicon data into lookup sets. */
export function toNameLexicon(data: NameLexiconData): NameLexicon {
  const set = (words: string[]) => new Set(words.map(nameKey))
  return {
    titles: set([...data.titles, ...data.courtesyTitles]),
    courtesyTitles: set(data.courtesyTitles),
    organizationHeads: set(data.organizationHeads),
    placeHeads: set(data.placeHeads),
    eventHeads: set(data.eventHeads),
    thingHeads: set(data.thingHeads),
    connectors: set(data.connectors),
    locativeCues: set(data.locativeCues)
  }
}
