// Event knowledge: the CAMEO code table (source/cameo.yaml) and the trigger lexicon (source/lexicons/events.yaml).
import nlp from 'compromise'
import type {VFile} from 'vfile'
import {report} from '../message.js'
import {validateCameoValue, validateEventsLexiconValue, type CameoEntry, type TriggerEntry} from '../schemas.js'
import {offsetOf} from '../validate.js'
import {parseYamlFile} from '../yaml-data.js'
import {nameKey} from './normalize.js'

/** The CAMEO table, by code. */
export type CameoTable = Map<string, CameoEntry>

/** A trigger as matched in text: one entry of the lexicon, reached by one of its forms. */
export interface Trigger extends TriggerEntry {
  /** Number of words of the form (1 or 2). */
  words: number
}

/** The trigger lexicon, compiled for matching. */
export interface EventLexicon {
  /** Key of a form's first word → triggers with that first word (two-word forms carry their second word). */
  forms: Map<string, Array<{second?: string; trigger: Trigger}>>
  hypothetical: Set<string>
  scheduled: Set<string>
  announcing: Set<string>
  negation: Set<string>
  reported: Set<string>
  /** Root of an announced event → its "express intent" code. */
  intent: Map<string, string>
  /** Root of an event asked for → the appeal code. */
  appeal: Map<string, string>
  /** Root of an event demanded → the demand code. */
  demand: Map<string, string>
  /** Code or root of an event threatened → the threat code. */
  threat: Map<string, string>
  /** Root of an event refused → the rejection code. */
  refusal: Map<string, string>
  /** Code of an appeal → the code of rejecting it. */
  rejection: Map<string, string>
  /** Lemmas of statements that may only attribute what their sentence says. */
  attributing: Set<string>
  /** Words that introduce an event's partners. */
  partnering: Set<string>
  /** First words of verb triggers in the present simple ("accuses", "calls"). */
  present: Set<string>
  /** The object words of each trigger that has some. */
  objects: Map<Trigger, Set<string>>
}

/** Parse `cameo.yaml`: messages go on `file`. */
export function parseCameo(file: VFile): CameoTable | undefined {
  const parsed = parseYamlFile(file, validateCameoValue, 'cameo')
  if (!parsed) return undefined
  const table: CameoTable = new Map()
  parsed.value.forEach((entry, index) => {
    if (table.has(entry.code)) report(file, `Unexpected second entry for code \`${entry.code}\`, expected each code once`, 'cameo-duplicate', {offset: offsetOf(parsed.source, [index, 'code'], false)})
    else table.set(entry.code, entry)
  })
  return table
}

/** Parse `lexicons/events.yaml`, checking every code against the CAMEO table: messages go on `file`. */
export function parseEventLexicon(file: VFile, cameo: CameoTable): EventLexicon | undefined {
  const parsed = parseYamlFile(file, validateEventsLexiconValue, 'lexicon')
  if (!parsed) return undefined
  let valid = true
  parsed.value.triggers.forEach((trigger, index) => {
    const codes = [trigger.code, ...(trigger.variants ?? []).map((variant) => variant.code), ...(trigger.negative ? [trigger.negative] : [])]
    for (const code of codes) {
      if (cameo.has(code)) continue
      valid = false
      report(file, `Unexpected CAMEO code \`${code}\` for \`${trigger.lemma}\`, expected a code of cameo.yaml`, 'lexicon-cameo-unknown', {offset: offsetOf(parsed.source, [index, 'code'], false)})
    }
  })
  const {intent, appeal, demand, refusal, rejection, threat} = parsed.value
  for (const [field, map] of [['intent', intent], ['appeal', appeal], ['demand', demand], ['refusal', refusal], ['rejection', rejection], ['threat', threat]] as const) {
    for (const [key, code] of Object.entries(map)) {
      // Note: every key is a code too: a root ("04") or a full code ("026").
      for (const [value, where] of [[key, true], [code, false]] as const) {
        if (cameo.has(value)) continue
        valid = false
        report(file, `Unexpected CAMEO code \`${value}\` in \`${field}\`, expected a code of cameo.yaml`, 'lexicon-cameo-unknown', {offset: offsetOf(parsed.source, [field, key], where)})
      }
    }
  }
  if (!valid) return undefined
  const set = (words: string[]) => new Set(words.map(nameKey))
  const lexicon: EventLexicon = {
    forms: new Map(),
    hypothetical: set(parsed.value.hypothetical),
    scheduled: set(parsed.value.scheduled),
    announcing: set(parsed.value.announcing),
    negation: set(parsed.value.negation),
    reported: set(parsed.value.reported),
    intent: new Map(Object.entries(parsed.value.intent)),
    appeal: new Map(Object.entries(appeal)),
    demand: new Map(Object.entries(demand)),
    refusal: new Map(Object.entries(refusal)),
    threat: new Map(Object.entries(threat)),
    rejection: new Map(Object.entries(rejection)),
    partnering: set(parsed.value.partnering),
    attributing: set(parsed.value.attributing),
    objects: new Map(),
    present: new Set()
  }
  for (const entry of parsed.value.triggers) {
    const trigger: Trigger = {...entry, words: entry.lemma.split(' ').length}
    if (entry.objects) lexicon.objects.set(trigger, set(entry.objects))
    const {forms, present} = inflect(entry)
    if (present !== undefined) lexicon.present.add(nameKey(present).split(' ')[0]!)
    for (const form of forms) {
      const [first, second] = nameKey(form).split(' ') as [string, string | undefined]
      const list = lexicon.forms.get(first) ?? lexicon.forms.set(first, []).get(first)!
      if (!list.some((item) => item.trigger === trigger && item.second === second)) list.push(second === undefined ? {trigger} : {second, trigger})
    }
  }
  return lexicon
}

/** The forms of a trigger: a verb's conjugations or a noun's plural (from compromise), and its own `forms`; and a verb's present simple ("accuses"). */
export function inflect(entry: TriggerEntry): {forms: string[]; present?: string} {
  const words = entry.lemma.split(' ')
  // Note: a verb inflects its first word ("call on" → "called on"), a noun its last ("terrorist attack" → "terrorist attacks").
  const headIndex = entry.pos === 'verb' ? 0 : words.length - 1
  const head = words[headIndex]!
  const before = words.slice(0, headIndex).map((word) => `${word} `).join('')
  const tail = words.slice(headIndex + 1).map((word) => ` ${word}`).join('')
  const heads = new Set([head])
  let present: string | undefined
  if (entry.pos === 'verb') {
    // Note: what `nlp(head).tag('Infinitive').verbs().conjugate()` gives, without tagging a document (a few milliseconds a verb; 142 verbs took most of a worker's start).
    const conjugated = conjugateInfinitive(nlp.tokenize(head).text('normal'))
    for (const key of ['Infinitive', 'PastTense', 'PresentTense', 'Gerund', 'Participle'] as const) if (conjugated[key]) heads.add(conjugated[key]!)
    if (conjugated.PresentTense && conjugated.PresentTense !== head) present = `${before}${conjugated.PresentTense}${tail}`
  } else {
    // Note: a noun is tagged in a document: whether it has a plural depends on its tags (uncountable, proper, acronym).
    const document = nlp(head)
    document.tag('Singular')
    const plural = pluralOfWord(document) ?? document.nouns().toPlural().text()
    if (plural) heads.add(plural)
  }
  const forms = [...[...heads].map((form) => `${before}${form}${tail}`), ...(entry.forms ?? [])]
  return present === undefined ? {forms} : {forms, present}
}

/** Tags of a noun that has no plural, as compromise's `toPlural` skips them. */
const withoutPlural = ['Uncountable', 'ProperNoun', 'Place', 'Pronoun', 'Acronym']

/**
 * The plural `nouns().toPlural()` gives a document of one tagged singular
 * noun, by compromise's rules and exceptions (`methods.two.transform.noun.toPlural`)
 * without parsing its match patterns (a few milliseconds a noun); undefined
 * for anything else (several terms, a possessive), left to `toPlural`.
 */
function pluralOfWord(document: ReturnType<typeof nlp>): string | undefined {
  const {docs} = document as unknown as {docs: Array<Array<{text: string; tags: Set<string>}>>}
  const term = docs.length === 1 && docs[0]!.length === 1 ? docs[0]![0]! : undefined
  if (!term || term.tags.has('Possessive')) return undefined
  if (withoutPlural.some((tag) => term.tags.has(tag))) return term.text
  const {methods, model} = compromiseWorld()
  return methods.two.transform.noun.toPlural(term.text, model)
}

/** The conjugations of an infinitive by compromise's own rules and exceptions (`methods.two.transform.verb.conjugate`). */
function conjugateInfinitive(infinitive: string): Partial<Record<'Infinitive' | 'PastTense' | 'PresentTense' | 'Gerund' | 'Participle', string>> {
  const {methods, model} = compromiseWorld()
  return methods.two.transform.verb.conjugate(infinitive, model)
}

/** The part of compromise's world (its methods and model, which its types leave out) that `inflect` uses. */
function compromiseWorld() {
  return nlp.world() as unknown as {
    methods: {two: {transform: {verb: {conjugate: (word: string, model: unknown) => Record<string, string>}; noun: {toPlural: (word: string, model: unknown) => string}}}}
    model: unknown
  }
}
