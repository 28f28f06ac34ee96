// The knowledge of the data packages (countries, cities, regions, English words), made from them: what `loadBase` keeps.
import type {Base} from './base.js'
import {loadCities, loadCountries, loadRegions} from './countries.js'
import {loadWords} from './words.js'

/** Make the data-package knowledge from the packages themselves (about a second: compromise's lexicon, 140,000 cities). */
export function computeBase(): Base {
  const words = loadWords()
  const countries = loadCountries()
  const {cities, capitals} = loadCities(countries, words)
  const regions = loadRegions(new Set([...countries, ...cities].map((entity) => entity.id)), words)
  return {countries, cities, regions, capitals, words}
}
