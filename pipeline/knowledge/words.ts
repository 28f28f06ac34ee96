// General English word knowledge from packages: compromise's lexicon and a list of English words.
import {createRequire} from 'node:module'
import nlp from 'compromise'
import {nameKey} from './normalize.js'

const require = createRequire(import.meta.url)

/** Word classes newsgraph reads names with. All keys are `nameKey`s. */
export interface Words {
  /** Given names (compromise: FirstName, MaleName, FemaleName). */
  firstNames: Set<string>
  /** Family names (compromise: LastName). */
  lastNames: Set<string>
  /** Month and weekday names, and their abbreviations. */
  calendar: Set<string>
  /** Abbreviations of month and weekday names ("sept", "mon"): they keep their period. */
  calendarAbbreviations: Set<string>
  /** Determiners, pronouns, prepositions, conjunctions, adverbs and other function words. */
  functionWords: Set<string>
  /** Role nouns ("president", "leader", "chief"), from compromise's Actor class. */
  roles: Set<string>
  /** Abbreviations that end in a period without ending a sentence ("Mr", "Sept", "Corp"). */
  abbreviations: Set<string>
  /** Every English word in lowercase (an-array-of-english-words). */
  common: Set<string>
  /** Prepositions (compromise: Preposition). */
  prepositions: Set<string>
  /** Personal pronouns (compromise: Pronoun). */
  pronouns: Set<string>
  /** Organizations compromise knows by name ("boeing", "general motors"). */
  organizations: Set<string>
  /** Words compromise knows as something other than a name ("tv", "ceo", "usd"): not an organization's acronym. */
  nonNames: Set<string>
}

const functionTags = new Set(['Determiner', 'Pronoun', 'Preposition', 'Conjunction', 'Adverb', 'QuestionWord', 'Modal', 'Copula', 'Negative', 'Possessive', 'Reflexive', 'Expression'])
const nameTags = new Set(['FirstName', 'MaleName', 'FemaleName', 'LastName', 'Person', 'ProperNoun', 'Organization', 'Country', 'City', 'Place', 'Region', 'SportsTeam'])
const calendarAbbreviations = ['jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec', 'mon', 'tue', 'tues', 'wed', 'thu', 'thur', 'thurs', 'fri', 'sat', 'sun']

/** Load the word classes (about 100 ms, once per build). */
export function loadWords(): Words {
  const model = nlp.model() as unknown as {one: {lexicon: Record<string, string | string[]>; abbreviations?: Record<string, unknown>}}
  const words: Words = {
    firstNames: new Set(),
    lastNames: new Set(),
    calendar: new Set(calendarAbbreviations),
    calendarAbbreviations: new Set(calendarAbbreviations),
    functionWords: new Set(),
    roles: new Set(),
    abbreviations: new Set(Object.keys(model.one.abbreviations ?? {}).map(nameKey)),
    common: new Set(require('an-array-of-english-words') as string[]),
    organizations: new Set(),
    nonNames: new Set(),
    prepositions: new Set(),
    pronouns: new Set()
  }
  for (const [word, tag] of Object.entries(model.one.lexicon)) {
    const key = nameKey(word)
    for (const name of Array.isArray(tag) ? tag : [tag]) {
      if (name === 'FirstName' || name === 'MaleName' || name === 'FemaleName') words.firstNames.add(key)
      else if (name === 'LastName') words.lastNames.add(key)
      else if (name === 'Month' || name === 'WeekDay') words.calendar.add(key)
      else if (name === 'Actor') words.roles.add(key)
      else if (functionTags.has(name)) words.functionWords.add(key)
      else if (name === 'Abbreviation' || name === 'Honorific') words.abbreviations.add(key)
      if (name === 'Preposition') words.prepositions.add(key)
      if (name === 'Pronoun') words.pronouns.add(key)
      if (name === 'Organization') words.organizations.add(key)
      else if (!nameTags.has(name)) words.nonNames.add(key)
    }
  }
  return words
}
