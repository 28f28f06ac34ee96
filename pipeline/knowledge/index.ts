// Knowledge: every entity newsgraph knows before reading an article, indexed for matching.
import type {KnownEntity} from '../types.js'
import type {Base} from './base.js'
import type {CameoTable, EventLexicon} from './events.js'
import {Gazetteer} from './gazetteer.js'
import type {NameLexicon} from './registry.js'
import type {Words} from './words.js'

/** What the entity stage reads articles with. */
export interface Knowledge {
  entities: Map<string, KnownEntity>
  gazetteer: Gazetteer
  /** City id → id of the country whose capital it is. */
  capitals: Map<string, string>
  words: Words
  lexicon: NameLexicon
  /** The CAMEO code table. */
  cameo: CameoTable
  /** The event trigger lexicon. */
  events: EventLexicon
}

/**
 * Combine the data packages (`base`, `loadBase`) with the registry: a registry entry whose id is
 * a country's or a city's adds to it (aliases, demonyms) and overrides its
 * Wikidata id, description and type; other entries are new entities.
 */
export function createKnowledge(registry: KnownEntity[], lexicon: NameLexicon, cameo: CameoTable, events: EventLexicon, base: Base): Knowledge {
  const {countries, cities, regions, capitals, words} = base
  const entities = new Map<string, KnownEntity>()
  for (const entity of [...countries, ...cities, ...regions]) entities.set(entity.id, entity)
  for (const entry of registry) {
    const known = entities.get(entry.id)
    if (!known) {
      entities.set(entry.id, entry)
      continue
    }
    const merged: KnownEntity = {
      ...known,
      ...entry,
      origin: known.origin,
      aliases: [...new Set([...known.aliases, ...(entry.name === known.name ? [] : [entry.name]), ...entry.aliases])],
      demonyms: [...new Set([...known.demonyms, ...entry.demonyms])]
    }
    if (known.geonames !== undefined) merged.geonames = known.geonames
    if (!entry.country && known.country) merged.country = known.country
    entities.set(entry.id, merged)
  }
  return {entities, gazetteer: new Gazetteer(entities.values()), capitals, words, lexicon, cameo, events}
}
