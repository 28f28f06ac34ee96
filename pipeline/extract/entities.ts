// Entities stage: find every named entity in the article text and resolve each mention to one entity.
import type {VFile} from 'vfile'
import {nameId} from '../ids.js'
import {report} from '../message.js'
import {toSourceOffset} from '../text.js'
import type {Knowledge} from '../knowledge/index.js'
import {isAcronym, nameKey} from '../knowledge/normalize.js'
import type {ArticleEntity, ArticleText, EntityType, Frontmatter, KnownEntity, Mention, MentionKind, MentionMethod, Sentence} from '../types.js'
import {Coreference} from './coreference.js'
import {findChunks, guessType, headType, joined, type NameChunk} from './names.js'
import {splitSentences, tokenize, type Token} from './tokens.js'

/** Confidence of each way of finding a mention. */
export const confidences = {link: 1, registry: 0.95, country: 0.9, declared: 0.9, city: 0.85, coreference: 0.75, inferred: 0.7} as const

/** What the entity stage finds in one text. */
export interface Extracted {
  sentences: Sentence[]
  mentions: Mention[]
  entities: ArticleEntity[]
}

/** Options of `extractEntities`. */
export interface ExtractOptions {
  /** Quoted source id of each quotation index (for `Mention.sourceId`). */
  quotationSources?: Array<string | undefined>
  /** People and organizations the article's frontmatter names (author, publisher, sources'): their names in the text are them. */
  declared?: DeclaredName[]
}

/** A person or organization named in frontmatter, with its entity id. */
export interface DeclaredName {
  name: string
  id: string
  type: 'Person' | 'Organization'
}

/**
 * The people and organizations of the frontmatter, resolved through the
 * registry ("New York Times" → the-new-york-times), else by their name's slug.
 */
export function declaredNames(meta: Frontmatter, knowledge: Knowledge): DeclaredName[] {
  const authors = meta.author === undefined ? [] : Array.isArray(meta.author) ? meta.author : [meta.author]
  const people = [...authors.map((person) => person.name), ...(meta.sources ?? []).flatMap((source) => (source.author ? [source.author] : []))]
  const organizations = [meta.publisher.name, ...(meta.sources ?? []).flatMap((source) => (source.publisher ? [source.publisher] : []))]
  const names: DeclaredName[] = []
  for (const [list, type] of [[people, 'Person'], [organizations, 'Organization']] as const) {
    for (const name of list) {
      const entry = knowledge.gazetteer.index.get(nameKey(name))
      const entity = entry?.kind === 'name' ? knowledge.entities.get(entry.entityId) : undefined
      if (!names.some((item) => item.name === name)) names.push({name, id: entity?.type === type ? entity.id : nameId(name), type})
    }
  }
  return names
}

interface Inferred {
  id: string
  type: EntityType
  name: string
  confidence: number
}

interface Candidate {
  start: number
  end: number
  entityId: string
  method: MentionMethod
  kind: MentionKind
  confidence: number
  sentence: number
  role?: string
}

/** Remark plugin: extract entities from `file.data.text` (see `extractEntities`). */
export function entities(options: {knowledge: Knowledge}) {
  return function (_: unknown, file: VFile): void {
    const text = file.data.text
    if (!text) return
    const declared = file.data.frontmatter ? declaredNames(file.data.frontmatter, options.knowledge) : []
    const extracted = extractEntities(text, options.knowledge, {quotationSources: (file.data.quotations ?? []).map((quotation) => quotation.sourceId), declared})
    file.data.sentences = extracted.sentences
    file.data.mentions = extracted.mentions
    file.data.entities = extracted.entities
    suggest(file, text, extracted)
  }
}

/** Report each entity found in no registry, at its first mention, as a suggestion for the registry. */
function suggest(file: VFile, text: ArticleText, extracted: Extracted): void {
  for (const entity of extracted.entities) {
    if (entity.linked) continue
    const first = extracted.mentions.find((mention) => mention.entityId === entity.id)!
    report(file, `Unknown ${entity.type.toLowerCase()} \`${entity.name}\` (confidence ${entity.confidence}): add it to entities.yaml as \`${entity.id}\` to link it`, 'entity-suggestion', {
      offset: toSourceOffset(text, first.start),
      fatal: null
    })
  }
}

/**
 * Find the entities of a text: names from the registry and the data packages
 * (longest match first), names pinned by a Wikidata or Wikipedia link,
 * unknown capitalised names (typed by titles, given names and head words),
 * short forms resolved to earlier full names, capitals standing for their
 * governments, and "the North"/"the South" where one such country is named.
 */
export function extractEntities(text: ArticleText, knowledge: Knowledge, options: ExtractOptions = {}): Extracted {
  const sentences = splitSentences(text, knowledge.words)
  const reader = new Reader(text, knowledge, options.declared ?? [])
  sentences.forEach((sentence, index) => reader.read(tokenize(text.value, sentence, (word) => isAbbreviation(word, knowledge)), index))
  reader.resolveDirections()
  const blocks = text.blocks
  const mentions = reader.candidates
    .sort((a, b) => a.start - b.start || b.end - a.end || (a.entityId < b.entityId ? -1 : 1))
    .map((candidate): Mention => {
      const sentence = sentences[candidate.sentence]!
      const block = blocks[sentence.paragraph]
      const mention: Mention = {
        entityId: candidate.entityId,
        text: text.value.slice(candidate.start, candidate.end),
        start: candidate.start,
        end: candidate.end,
        sentence: candidate.sentence,
        paragraph: sentence.paragraph,
        method: candidate.method,
        kind: candidate.kind,
        confidence: candidate.confidence
      }
      const sourceId = block?.quotation === undefined ? undefined : options.quotationSources?.[block.quotation]
      if (sourceId) mention.sourceId = sourceId
      if (candidate.role) mention.role = candidate.role
      return mention
    })
  return {sentences, mentions, entities: reader.entitiesOf(mentions)}
}

/** Whether a word is written with a period that does not end the sentence ("Mr.", "Gen.", "Sept."). */
function isAbbreviation(word: string, knowledge: Knowledge): boolean {
  const key = nameKey(word)
  return knowledge.words.abbreviations.has(key) || knowledge.words.calendarAbbreviations.has(key) || knowledge.lexicon.titles.has(key)
}

/** Dictionary words a text capitalises at least twice mid-sentence and never writes in lowercase. */
function properWords(value: string, knowledge: Knowledge): Set<string> {
  const capitalized = new Map<string, number>()
  const lower = new Set<string>()
  for (const match of value.matchAll(/\p{L}+/gu)) {
    const word = match[0]
    const key = word.toLowerCase()
    if (!knowledge.words.common.has(key)) continue
    if (/^\p{Ll}/u.test(word)) lower.add(key)
    else if (!/[.!?:;"“‘(\n]\s*$|^\s*$/.test(value.slice(Math.max(0, match.index - 3), match.index))) capitalized.set(key, (capitalized.get(key) ?? 0) + 1)
  }
  return new Set([...capitalized].filter(([key, count]) => count >= 2 && !lower.has(key)).map(([key]) => key))
}

/** Reads sentences in order, keeping what the article has named so far. */
class Reader {
  readonly candidates: Candidate[] = []
  private readonly inferred = new Map<string, Inferred>()
  private readonly pinned = new Map<string, {start: number; end: number; entityId: string}>()
  private readonly pinnedNames = new Map<string, string>()
  /** First words of pinned names, which the gazetteer's index may not hold. */
  private readonly pinnedFirst = new Set<string>()
  /** Ids of the people and organizations the frontmatter declares. */
  private readonly declared = new Set<string>()
  private readonly linked = new Map<string, {wikidata: string | undefined; wikipedia: string | undefined}>()
  private readonly coreference: Coreference
  /** Inferred entities with evidence of being a person ("Mr. Adebisi", a title, an appositive role). */
  private readonly personCues = new Set<string>()
  /** Dictionary words this article writes only with a capital, mid-sentence, at least twice ("Apple"). */
  private readonly proper: Set<string>
  private readonly directions: Array<{start: number; end: number; sentence: number; direction: 'north' | 'south'}> = []

  constructor(
    private readonly text: ArticleText,
    private readonly knowledge: Knowledge,
    declared: DeclaredName[]
  ) {
    this.coreference = new Coreference(knowledge)
    this.proper = properWords(text.value, knowledge)
    for (const link of text.links) this.pin(link.start, link.end, link.url)
    for (const item of declared) {
      const key = nameKey(item.name)
      if (key === '' || this.pinnedNames.has(key)) continue
      this.pinnedNames.set(key, item.id)
      this.pinnedFirst.add(key.split(' ')[0]!)
      this.declared.add(item.id)
      if (!knowledge.entities.has(item.id) && !this.inferred.has(item.id)) this.inferred.set(item.id, {id: item.id, type: item.type, name: item.name, confidence: confidences.declared})
      this.coreference.remember(item.id, item.type, item.name)
    }
  }

  /** Read one sentence. */
  read(tokens: Token[], sentence: number): void {
    const taken = new Array<boolean>(tokens.length).fill(false)
    const found: Array<Candidate & {first: number; last: number}> = []
    this.matchKnown(tokens, taken, sentence, found)
    this.findDirections(tokens, taken, sentence)
    this.matchUnknown(tokens, taken, sentence, found)
    for (const candidate of found) {
      this.candidates.push(candidate)
    }
    this.readRoles(tokens, found)
  }

  /** Names from links, the registry and the data packages: longest first. */
  private matchKnown(tokens: Token[], taken: boolean[], sentence: number, found: Array<Candidate & {first: number; last: number}>): void {
    const {gazetteer, entities} = this.knowledge
    for (let index = 0; index < tokens.length; index++) {
      const token = tokens[index]!
      const pin = this.pinnedAt(token)
      if (pin) {
        let last = index
        while (last + 1 < tokens.length && tokens[last + 1]!.end <= pin.end) last++
        this.take(taken, index, last)
        found.push({start: pin.start, end: pin.end, entityId: pin.entityId, method: 'link', kind: 'name', confidence: confidences.link, sentence, first: index, last})
        const entity = entities.get(pin.entityId)
        this.coreference.remember(pin.entityId, entity?.type ?? this.inferred.get(pin.entityId)?.type ?? 'Thing', this.text.value.slice(pin.start, pin.end))
        index = last
        continue
      }
      const firstWord = token.key.split(' ')[0]!
      if (!gazetteer.firstWords.has(firstWord) && !this.pinnedFirst.has(firstWord)) continue
      if (!token.capitalized && !this.pinnedFirst.has(firstWord)) continue
      const match = this.longestMatch(tokens, index)
      if (!match) continue
      const entity = entities.get(match.entityId)
      if (!entity) {
        // A name pinned by a link earlier in the article, or declared in its frontmatter, to an entity no registry knows.
        this.take(taken, index, match.last)
        const declared = this.declared.has(match.entityId)
        found.push({start: token.start, end: tokens[match.last]!.end, entityId: match.entityId, method: declared ? 'inferred' : 'link', kind: 'name', confidence: declared ? confidences.declared : confidences.link, sentence, first: index, last: match.last})
        index = match.last
        continue
      }
      if (!this.accept(tokens, index, match.last, entity)) continue
      // "US$ 40 billion": a currency, not the country.
      if (this.text.value[tokens[match.last]!.end] === '$') continue
      this.take(taken, index, match.last)
      const start = token.start
      const end = tokens[match.last]!.end
      const method: MentionMethod = match.pinned ? 'link' : entity.origin === 'registry' ? 'registry' : 'gazetteer'
      const confidence = match.pinned ? confidences.link : entity.origin === 'registry' ? confidences.registry : entity.type === 'City' ? confidences.city : confidences.country
      const candidate: Candidate & {first: number; last: number} = {start, end, entityId: entity.id, method, kind: match.kind, confidence, sentence, first: index, last: match.last}
      this.senseOfCapital(candidate, tokens, found)
      found.push(candidate)
      this.coreference.remember(entity.id, entity.type, entity.name)
      for (const alias of entity.aliases) this.coreference.remember(entity.id, entity.type, alias)
      this.nestedCountry(tokens, index, match.last, entity, sentence, found)
      this.namedAfterCountry(tokens, index, candidate, found, taken)
      index = match.last
    }
  }

  /** The longest known name starting at `index`. */
  private longestMatch(tokens: Token[], index: number): {entityId: string; kind: 'name' | 'demonym'; last: number; pinned: boolean} | undefined {
    const {gazetteer} = this.knowledge
    const keys: string[] = []
    let best: {entityId: string; kind: 'name' | 'demonym'; last: number; pinned: boolean} | undefined
    for (let last = index; last < tokens.length && last - index < gazetteer.maxWords; last++) {
      const token = tokens[last]!
      if (last > index && !joined(token)) break
      keys.push(token.key)
      const key = keys.join(' ')
      const pinned = this.pinnedNames.get(key)
      if (pinned) {
        best = {entityId: pinned, kind: 'name', last, pinned: true}
        continue
      }
      const entry = gazetteer.index.get(key)
      if (!entry) continue
      const written = tokens.slice(index, last + 1).map((item) => item.text).join('')
      // An acronym must be written in capitals, and a word in capitals ("GAO") is no ordinary name ("Gao").
      if (entry.acronym !== isAcronym(written) && (entry.acronym || written.replace(/\./g, '').length > 1)) continue
      best = {entityId: entry.entityId, kind: entry.kind, last, pinned: false}
    }
    return best
  }

  /** Reject a city that is only part of a longer name ("Jackson Pollock"), or a sentence-initial common word ("Split"). */
  private accept(tokens: Token[], first: number, last: number, entity: KnownEntity): boolean {
    if ((entity.type !== 'City' && entity.origin !== 'regions') || entity.origin === 'registry') return true
    const next = tokens[last + 1]
    if (next && next.capitalized && joined(next) && !tokens[last]!.possessive) return false
    const previous = tokens[first - 1]
    // Note: a capitalized function word opening the sentence ("In Nairobi, …") is no part of a name.
    if (previous && previous.capitalized && joined(tokens[first]!) && !previous.possessive && !this.knowledge.lexicon.titles.has(previous.key) && !this.knowledge.words.functionWords.has(previous.key)) return false
    if (!(first === 0 && last === first && this.knowledge.words.common.has(tokens[first]!.key))) return true
    // Note: a capital that opens a sentence as the subject of a verb (an event trigger or an auxiliary) is the capital ("Lima accuses …", "Paris said").
    const verb = next !== undefined && !next.capitalized && (/^(?:will|would|can|could|has|had|is|was|told|says|said)$/.test(next.key) || (this.knowledge.events.forms.get(next.key) ?? []).some((item) => item.trigger.pos === 'verb'))
    return this.knowledge.capitals.has(entity.id) && verb
  }

  /** "Air France", "Garuda Indonesia": a capitalised word right before a country's name makes an organization named after it. */
  private namedAfterCountry(tokens: Token[], index: number, country: Candidate & {last: number}, found: Array<Candidate & {first: number; last: number}>, taken: boolean[]): void {
    const previous = tokens[index - 1]
    if (!previous || taken[index - 1] || country.kind !== 'name' || this.typeOf(country.entityId) !== 'Country' || !joined(tokens[index]!)) return
    const {words, lexicon} = this.knowledge
    if (!previous.capitalized || previous.possessive || lexicon.titles.has(previous.key) || words.functionWords.has(previous.key) || lexicon.connectors.has(previous.key)) return
    if (words.firstNames.has(previous.key) && !this.proper.has(previous.key)) return
    if (/^(?:north|south|east|west|northern|southern|eastern|western|central|new|upper|lower|greater|inner|outer)$/.test(previous.key)) return
    if (previous.index === 0 && words.common.has(previous.key) && !this.proper.has(previous.key)) return
    const name = this.text.value.slice(previous.start, country.end)
    const id = nameId(name)
    if (!this.knowledge.entities.has(id) && !this.inferred.has(id)) this.inferred.set(id, {id, type: 'Organization', name, confidence: 0.5})
    taken[index - 1] = true
    found.push({start: previous.start, end: country.end, entityId: id, method: 'inferred', kind: 'name', confidence: 0.5, sentence: country.sentence, first: index - 1, last: country.last})
  }

  /** "Kenyan Coast Guard" also mentions Kenya; "Kenya’s Defense Ministry" too. */
  private nestedCountry(tokens: Token[], first: number, last: number, entity: KnownEntity, sentence: number, found: Candidate[]): void {
    if (entity.type === 'Country' || last === first) return
    const {gazetteer, entities} = this.knowledge
    let keys = ''
    for (let index = first; index < last; index++) {
      keys = keys === '' ? tokens[index]!.key : `${keys} ${tokens[index]!.key}`
      const entry = gazetteer.index.get(keys)
      const country = entry ? entities.get(entry.entityId) : undefined
      if (entry && country?.type === 'Country') {
        found.push({start: tokens[first]!.start, end: tokens[index]!.end, entityId: country.id, method: 'gazetteer', kind: entry.kind, confidence: confidences.country, sentence})
        return
      }
    }
  }

  /**
   * A capital stands for its government ("pressure on Tehran", "attacking
   * Moscow") unless a locative word or a coordinated place comes before it
   * ("talks in Nairobi", "to Paris and Berlin").
   */
  private senseOfCapital(candidate: Candidate & {first: number}, tokens: Token[], found: Array<Candidate & {last: number}>): void {
    const country = this.knowledge.capitals.get(candidate.entityId)
    if (!country || candidate.kind !== 'name') return
    const {locativeCues} = this.knowledge.lexicon
    const previous = tokens[candidate.first - 1]
    if (previous && locativeCues.has(previous.key)) return
    if (previous && /^(?:and|or)$/.test(previous.key)) {
      const before = found.find((item) => item.last === candidate.first - 2)
      if (before && this.knowledge.entities.get(before.entityId)?.type === 'City') return
    }
    candidate.entityId = country
    candidate.kind = 'metonym'
    candidate.method = 'inferred'
    candidate.confidence = confidences.inferred
  }

  /** Names no registry knows, and short forms of earlier names. */
  private matchUnknown(tokens: Token[], taken: boolean[], sentence: number, found: Array<Candidate & {first: number; last: number}>): void {
    for (const chunk of findChunks(tokens, taken, this.knowledge)) {
      const first = chunk.tokens[0]!
      const last = chunk.tokens.at(-1)!
      const candidate = this.resolveChunk(chunk, tokens, found)
      if (!candidate) continue
      found.push({...candidate, sentence, first: first.index, last: last.index})
      this.take(taken, first.index, last.index)
    }
  }

  private resolveChunk(chunk: NameChunk, tokens: Token[], found: Array<Candidate & {first: number; last: number}>): Omit<Candidate, 'sentence'> | undefined {
    const first = chunk.tokens[0]!
    const last = chunk.tokens.at(-1)!
    const courtesy = chunk.title !== undefined && this.knowledge.lexicon.courtesyTitles.has(nameKey(chunk.title))
    const role = chunk.title && !courtesy ? {role: chunk.title} : {}
    const previous = found.find((item) => item.last === first.index - 1)
    if (chunk.tokens.length === 1) {
      // "European Union (EU)": an acronym in parentheses names what precedes it.
      if (previous && isAcronym(first.text) && /^\s*\(\s*$/.test(first.before)) {
        this.coreference.rememberAcronym(first.text, previous.entityId)
        return {start: first.start, end: first.end, entityId: previous.entityId, method: 'coreference', kind: 'short', confidence: confidences.coreference}
      }
      const id = this.coreference.resolve(first.text)
      if (id) {
        if (chunk.title) this.personCues.add(id)
        return {start: first.start, end: first.end, entityId: id, method: 'coreference', kind: 'short', confidence: confidences.coreference, ...role}
      }
    }
    // An organization, place or event named after a country or city keeps it: "Kenyan Coast Guard", "Qatar Airways", "Russia’s Defense Ministry".
    const place = previous && (joined(first) || tokens[previous.last]!.possessive) && previous.kind !== 'metonym' ? this.typeOf(previous.entityId) : undefined
    const afterPlace = place === 'Country' || place === 'City'
    let guess = guessType(chunk, this.knowledge, this.proper)
    if (afterPlace && (!guess || guess.confidence < 0.6)) {
      const head = headType(last, this.knowledge)
      if (head) guess = {type: head, confidence: 0.6}
    }
    if (!guess) return undefined
    // "Boeing 747", "Airbus A380": a model number makes a product.
    const next = tokens[last.index + 1]
    if (chunk.tokens.some((token) => /\d/.test(token.text)) || (next && joined(next) && /^\d/.test(next.text) && guess.confidence < 0.75)) guess = {type: 'Thing', confidence: 0.4}
    const start = afterPlace && guess.type !== 'Person' ? previous!.start : first.start
    const name = this.text.value.slice(start, last.end)
    // Note: an unknown name whose slug is a known entity's id ("GAO", not the region Gao) gets an id of its own.
    const id = this.knowledge.entities.has(nameId(name)) ? `${nameId(name)}-${guess.type.toLowerCase()}` : nameId(name)
    const inferred = this.inferred.get(id)
    if (!this.knowledge.entities.has(id) && (!inferred || guess.confidence > inferred.confidence)) {
      this.inferred.set(id, {id, type: guess.type, name: inferred?.name ?? name, confidence: guess.confidence})
    }
    // A lowercase title or role right before the name is evidence of a person too ("ministry spokesman Amani Njoroge").
    const before = tokens[first.index - 1]
    const roleBefore = before !== undefined && !before.capitalized && joined(first) && (this.knowledge.lexicon.titles.has(before.key) || this.knowledge.words.roles.has(before.key))
    if (chunk.title || roleBefore) this.personCues.add(id)
    this.coreference.remember(id, this.typeOf(id) ?? guess.type, name)
    return {start, end: last.end, entityId: id, method: 'inferred', kind: 'name', confidence: guess.confidence, ...role}
  }

  /** "the North", "the south": remembered until the article's countries are known. */
  private findDirections(tokens: Token[], taken: boolean[], sentence: number): void {
    tokens.forEach((token, index) => {
      if (taken[index] || (token.key !== 'north' && token.key !== 'south')) return
      const previous = tokens[index - 1]
      const next = tokens[index + 1]
      if (previous?.key !== 'the' || !joined(token)) return
      if (next && joined(next) && (next.key === 'of' || (next.capitalized && (this.knowledge.gazetteer.firstWords.has(next.key) || !this.knowledge.words.common.has(next.key))))) return
      this.directions.push({start: token.start, end: token.end, sentence, direction: token.key})
      taken[index] = true
    })
  }

  /** Resolve "the North"/"the South" to the one country of that name the article mentions. */
  resolveDirections(): void {
    const named = new Set(this.candidates.filter((candidate) => candidate.kind === 'name' || candidate.kind === 'demonym').map((candidate) => candidate.entityId))
    for (const direction of this.directions) {
      const prefix = direction.direction === 'north' ? 'north ' : 'south '
      const countries = [...named].filter((id) => {
        const entity = this.knowledge.entities.get(id)
        return entity?.type === 'Country' && nameKey(entity.name).startsWith(prefix)
      })
      if (countries.length !== 1) continue
      this.candidates.push({start: direction.start, end: direction.end, entityId: countries[0]!, method: 'inferred', kind: 'contextual', confidence: confidences.inferred, sentence: direction.sentence})
    }
  }

  /** "Tomasz Wolny, chief of Poland’s Border Guard," gives Wolny the role "chief of Poland’s Border Guard". */
  private readRoles(tokens: Token[], found: Array<Candidate & {first: number; last: number}>): void {
    for (const candidate of found) {
      if (candidate.role || candidate.kind === 'demonym') continue
      const type = this.typeOf(candidate.entityId)
      const maybePerson = type === 'Organization' && (this.inferred.get(candidate.entityId)?.confidence ?? 1) <= 0.4
      if (type !== 'Person' && !maybePerson) continue
      const next = tokens[candidate.last + 1]
      if (!next || !/^\s*,\s*$/.test(next.before)) continue
      const phrase: Token[] = []
      for (let index = candidate.last + 1; index < tokens.length && phrase.length < 8; index++) {
        const token = tokens[index]!
        if (index > candidate.last + 1 && !/^(?:[’']s)?[\s’'-]*$/.test(token.before)) break
        phrase.push(token)
      }
      if (phrase.some((token) => this.knowledge.words.roles.has(token.key) || this.knowledge.lexicon.titles.has(token.key))) {
        candidate.role = this.text.value.slice(phrase[0]!.start, phrase.at(-1)!.end + (phrase.at(-1)!.possessive ? 2 : 0))
        this.personCues.add(candidate.entityId)
      }
    }
  }

  private typeOf(id: string): EntityType | undefined {
    return this.knowledge.entities.get(id)?.type ?? this.inferred.get(id)?.type
  }

  private take(taken: boolean[], first: number, last: number): void {
    for (let index = first; index <= last; index++) taken[index] = true
  }

  private pinnedAt(token: Token): {start: number; end: number; entityId: string} | undefined {
    return this.pinned.get(`${token.start}`)
  }

  /** A link to Wikidata or Wikipedia pins its text to that entity. */
  private pin(start: number, end: number, url: string): void {
    const wikidata = /^https?:\/\/(?:www\.)?wikidata\.org\/(?:wiki|entity)\/(Q[1-9]\d*)\/?$/.exec(url)?.[1]
    const wikipedia = /^https:\/\/[a-z-]+\.wikipedia\.org\/wiki\/[^\s?#]+$/.test(url) ? url : undefined
    if (!wikidata && !wikipedia) return
    const name = this.text.value.slice(start, end).trim()
    const known = [...this.knowledge.entities.values()].find((entity) => (wikidata && entity.wikidata === wikidata) || (wikipedia && entity.wikipedia === wikipedia))
    let entityId = known?.id
    if (!entityId) {
      entityId = nameId(name)
      const inferred: Inferred & {wikidata?: string; wikipedia?: string} = {id: entityId, type: 'Thing', name, confidence: confidences.link}
      this.inferred.set(entityId, inferred)
      this.linked.set(entityId, {wikidata, wikipedia})
    }
    this.pinned.set(`${start}`, {start, end, entityId})
    this.pinnedNames.set(nameKey(name), entityId)
  }

  /** The entities of the mentions: known ones as the registry and packages describe them, others as inferred. */
  entitiesOf(mentions: Mention[]): ArticleEntity[] {
    const byId = new Map<string, ArticleEntity>()
    for (const mention of mentions) {
      const existing = byId.get(mention.entityId)
      if (existing) {
        existing.confidence = Math.max(existing.confidence, mention.confidence)
        continue
      }
      const known = this.knowledge.entities.get(mention.entityId)
      let entity: ArticleEntity
      if (known) {
        entity = {id: known.id, type: known.type, name: known.name, aliases: known.aliases, linked: true, confidence: mention.confidence}
        if (known.wikidata) entity.wikidata = known.wikidata
        if (known.wikipedia) entity.wikipedia = known.wikipedia
        if (known.geonames !== undefined) entity.geonames = known.geonames
        if (known.description) entity.description = known.description
        if (known.country) entity.country = known.country
      } else {
        const inferred = this.inferred.get(mention.entityId)!
        const link = this.linked.get(mention.entityId)
        const person = inferred.type === 'Organization' && inferred.confidence <= 0.4 && this.personCues.has(inferred.id)
        entity = {id: inferred.id, type: person ? 'Person' : inferred.type, name: inferred.name, aliases: [], linked: link !== undefined, confidence: mention.confidence}
        if (link?.wikidata) entity.wikidata = link.wikidata
        if (link?.wikipedia) entity.wikipedia = link.wikipedia
      }
      byId.set(entity.id, entity)
    }
    return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  }
}
