// Events stage: who did what to whom, when and where, from trigger words, the entities and the dates of each sentence.
import type {VFile} from 'vfile'
import type {EventLexicon, Trigger} from '../knowledge/events.js'
import type {Knowledge} from '../knowledge/index.js'
import type {ArticleEntity, ArticleText, EventEvidence, EventStatus, Mention, NewsEvent, Sentence} from '../types.js'
import {clauseStart, complementOf, inObjectOf, isNounPosition, isPassive, objectPhrase, phraseHas, proVerbsOf} from './clauses.js'
import {assignDates} from './event-dates.js'
import {eventStatus, isNegated} from './event-status.js'
import {mergeEvents, shareDates, takeDate, type Found} from './event-merge.js'
import {findDates, type TimeExpression} from './dates.js'
import {joined} from './names.js'
import {tokenize, type Token} from './tokens.js'

/** What the event stage needs besides the text. */
export interface EventInput {
  text: ArticleText
  sentences: Sentence[]
  mentions: Mention[]
  entities: ArticleEntity[]
  /** Date of the article (YYYY-MM-DD, in its own time zone). */
  reference: string
  /** For each quotation index: its source id and that source's date (YYYY-MM-DD), if known. */
  quotations: Array<{sourceId: string | undefined; date: string | undefined}>
}

/** Options of the `events` plugin. */
export interface EventOptions {
  knowledge: Knowledge
  lexicon: EventLexicon
}



const auxiliary = /^(?:will|would|shall|should|can|could|may|might|must|is|are|was|were|be|been|being|to|has|have|had|do|does|did|also|reportedly|allegedly|both|then|not|never|quietly|directly|later|already|still|now)$/
const adjacentWords = /^\s*(?:(?:will|would|shall|should|can|could|may|might|must|is|are|was|were|be|been|being|to|has|have|had|do|does|did|also|reportedly|allegedly|both|then|not|never|quietly|directly|later|already|still|now|today|yesterday)\s+)*$/i
const actorTypes = new Set(['Person', 'Organization', 'Country'])
/** What joins coordinated names: "Chile and Peru", "Chile and the Philippines". */
const coordinated = /^\s*(?:,|and|, and|or)\s*(?:the\s+)?$/i
const placeTypes = new Set(['City', 'Place', 'Country'])
/** Words that open a clause with its own subject. */
const subordinators = /^(?:after|before|when|while|as|since|because|until|once|although|though|if|unless)$/

/** Remark plugin: extract events into `file.data.events` (after `entities`). */
export function events(options: EventOptions) {
  return function (_: unknown, file: VFile): void {
    const {text, sentences, mentions, entities: articleEntities, frontmatter} = file.data
    if (!text || !sentences || !mentions || !articleEntities || !frontmatter) return
    const sources = new Map((frontmatter.sources ?? []).map((source) => [source.id, source]))
    const quotations = (file.data.quotations ?? []).map((quotation) => ({
      sourceId: quotation.sourceId,
      date: quotation.sourceId ? sources.get(quotation.sourceId)?.datePublished?.slice(0, 10) : undefined
    }))
    file.data.events = extractEvents(
      {text, sentences, mentions, entities: articleEntities, reference: frontmatter.datePublished.slice(0, 10), quotations},
      options.knowledge,
      options.lexicon
    )
  }
}

/**
 * Find the events of a text. For each trigger of the lexicon: actor1 and
 * actor2 from the roles it names (the clause's subject, its object, a
 * preposition), coordinated subjects as participants, the nearest date
 * normalized against the reference date of whoever asserts the sentence (a
 * quoted source's own date inside its quotation), a status from the cues of
 * the clause, and the sentence as evidence. Mentions of one real-world event
 * merge into one event with several pieces of evidence.
 */
export function extractEvents(input: EventInput, knowledge: Knowledge, lexicon: EventLexicon): NewsEvent[] {
  const reader = new EventReader(input, knowledge, lexicon)
  input.sentences.forEach((sentence, index) => reader.read(sentence, index))
  return reader.merged()
}

class EventReader {
  private readonly found: Found[] = []
  private readonly entities: Map<string, ArticleEntity>
  /** Mentions by sentence index. */
  private readonly bySentence = new Map<number, Mention[]>()
  private readonly countryByIso: Map<string, string>
  /** Subjects of the latest trigger, for pronouns ("they would conduct …"). */
  private lastSubjects: Mention[] = []

  constructor(
    private readonly input: EventInput,
    private readonly knowledge: Knowledge,
    private readonly lexicon: EventLexicon
  ) {
    this.entities = new Map(input.entities.map((entity) => [entity.id, entity]))
    for (const mention of input.mentions) {
      const list = this.bySentence.get(mention.sentence)
      if (list) list.push(mention)
      else this.bySentence.set(mention.sentence, [mention])
    }
    this.countryByIso = new Map()
    for (const entity of knowledge.entities.values()) if (entity.type === 'Country' && entity.country && !this.countryByIso.has(entity.country)) this.countryByIso.set(entity.country, entity.id)
  }

  read(sentence: Sentence, index: number): void {
    const {text} = this.input
    const tokens = tokenize(text.value, sentence, (word) => this.knowledge.words.abbreviations.has(word.toLowerCase().replace(/\.$/, '')))
    this.tokenAt = new Map(tokens.map((token) => [token.start, token]))
    const inSentence = outer(this.bySentence.get(index) ?? [])
    const block = text.blocks[sentence.paragraph]
    const quotation = block?.quotation === undefined ? undefined : this.input.quotations[block.quotation]
    const reference = quotation?.date ?? this.input.reference
    const triggers = this.triggers(tokens, inSentence)
    if (triggers.length === 0) return
    const proVerbs = proVerbsOf(tokens).filter(({token}) => triggers.some((item) => item.tokens[0]!.index < token.index))
    const dates = [...this.datesOf(block, reference).filter((date) => date.start >= sentence.start && date.end <= sentence.end), ...this.namedEventDates(tokens, inSentence)].sort((a, b) => a.start - b.start)
    const anchors = [...triggers.map((item) => item.tokens[0]!), ...proVerbs.map((item) => item.token)]
    const assigned = assignDates(anchors.map((token) => ({token, subordinate: this.subordinate(tokens, token)})), dates, text.value)
    this.triggerIndices = new Set(anchors.map((token) => token.index))
    const events: Array<{event: Found; first: Token}> = []
    for (const [position, {trigger, tokens: triggerTokens}] of triggers.entries()) {
      const event = this.event(trigger, triggerTokens, tokens, inSentence, sentence, index, assigned[position], reference)
      if (!event) continue
      if (quotation?.sourceId) event.sourceId = quotation.sourceId
      this.answer(event, reference)
      events.push({event, first: triggerTokens[0]!})
    }
    proVerbs.forEach((proVerb, position) => {
      const repeated = this.repeat(proVerb, events, inSentence, assigned[triggers.length + position])
      if (repeated) events.push({event: repeated, first: proVerb.token})
    })
    const kept = this.fold(events, tokens)
    shareDates(kept)
    this.found.push(...kept.filter((event) => !this.attribution(event, kept, tokens)))
  }

  /**
   * Whether a statement only attributes what its sentence says ("…, the coast
   * ministry said."; "rejected the accusation and said the border was calm"): an attributing trigger of the lexicon that ends its sentence
   * after a comma, or shares its sentence with another event.
   */
  private attribution(event: Found, events: Found[], tokens: Token[]): boolean {
    if (!this.lexicon.attributing.has(event.lemma.split('/')[0]!)) return false
    if (events.some((other) => other !== event && !this.lexicon.attributing.has(other.lemma.split('/')[0]!))) return true
    const trigger = this.tokenAt.get(event.evidence[0]!.triggerStart)
    if (!trigger) return false
    const after = tokens.slice(trigger.index + 1)
    return clauseStart(tokens, trigger) > 0 && after.length <= 2 && !after.some((token) => /[,;:—–(]/.test(token.before))
  }

  /**
   * Named events of the registry with dates, as time expressions: "in the
   * Gulf War", "during the Cold War" date what happened in them.
   */
  private namedEventDates(tokens: Token[], mentions: Mention[]): TimeExpression[] {
    const found: TimeExpression[] = []
    for (const mention of mentions) {
      const known = this.knowledge.entities.get(mention.entityId)
      if (known?.type !== 'Event' || !known.startDate) continue
      let index = (this.tokenAt.get(mention.start)?.index ?? 0) - 1
      if (tokens[index]?.key === 'the') index--
      const preposition = tokens[index]
      if (!preposition || !/^(?:in|during|throughout)$/.test(preposition.key)) continue
      const startDate = known.startDate
      const endDate = known.endDate ?? ''
      const precision = startDate !== endDate ? 'range' : startDate.length === 4 ? 'year' : startDate.length === 7 ? 'month' : 'day'
      found.push({start: preposition.start, end: mention.end, text: this.input.text.value.slice(preposition.start, mention.end), startDate, endDate, precision, kind: 'range'})
    }
    return found
  }

  /** Tokens of the current sentence by their start offset (mentions and evidence start where a token does). */
  private tokenAt = new Map<number, Token>()

  /** Token indices of the current sentence's triggers and pro-verbs. */
  private triggerIndices = new Set<number>()

  /**
   * A reply to an earlier appeal or proposal of the last two sentences made to its actor
   * is addressed to whoever appealed, and a negative reply rejects what was
   * asked ("asked Peru to renegotiate … Peru replied that the timing
   * was not right": 125). An undated reply to an appeal dated by a
   * year or month that holds the reference date falls in that period too
   * (after the appeal, before the report).
   */
  private answer(event: Found, reference: string): void {
    const negative = event.negative
    if (negative === undefined || !event.actor1) return
    const sentence = event.evidence[0]!.sentence
    const appeal = this.found.findLast((item) => /^0[23]/.test(item.code) && item.actor2 === event.actor1 && item.evidence.some((evidence) => sentence - evidence.sentence <= 2))
    if (!appeal) return
    if (!event.actor2 && appeal.actor1) event.actor2 = appeal.actor1
    if (event.code === negative) event.code = this.lexicon.rejection.get(appeal.code) ?? event.code
    const period = appeal.precision === 'year' || appeal.precision === 'month'
    if (period && appeal.startDate <= reference && reference.slice(0, appeal.endDate.length) <= appeal.endDate) takeDate(event, appeal)
  }

  /**
   * A pro-verb repeats the event before it in the sentence with its own
   * subject, date and status ("more afraid of the North attacking the south,
   * which it did once before in 1879": an attack that occurred in 1879).
   */
  private repeat(
    proVerb: {token: Token; subject: Token},
    events: Array<{event: Found; first: Token}>,
    mentions: Mention[],
    date: TimeExpression | undefined
  ): Found | undefined {
    const antecedent = events.findLast(({first}) => first.index < proVerb.token.index)?.event
    if (!antecedent) return undefined
    const named = mentions.find((mention) => mention.start === proVerb.subject.start && this.isActor(mention))
    const actor1 = named?.entityId ?? (/^(?:they|it|he|she)$/.test(proVerb.subject.key) ? antecedent.actor1 : undefined)
    if (!actor1) return undefined
    const {token} = proVerb
    const evidence: EventEvidence = {...antecedent.evidence[0]!, triggerStart: token.start, triggerEnd: token.end}
    delete evidence.actor1Start
    delete evidence.actor1End
    if (named) Object.assign(evidence, {actor1Start: named.start, actor1End: named.end})
    // Note: the pro-verb's own tense, not the cues of the clause it repeats ("afraid of X attacking, which it did").
    const status: EventStatus = /^(?:does|do)$/.test(token.key) ? 'ongoing' : 'occurred'
    return {
      ...antecedent,
      actor1,
      participants: antecedent.participants.filter((item) => item.entityId !== actor1),
      trigger: token.text,
      startDate: date?.startDate ?? '',
      endDate: date?.endDate ?? '',
      precision: date && (date.startDate || date.endDate) ? date.precision : '',
      status,
      evidence: [evidence],
      confidence: Math.round(Math.max(0.1, antecedent.confidence - 0.1) * 100) / 100,
      separate: true
    }
  }

  /**
   * Fold what one sentence says twice: an announcement whose that-clause
   * holds an event is that event ("announced that they would conduct
   * visits"), and so is a passive announcement of an event noun ("the talks
   * were announced"); an event asked for ("asked X to renegotiate") is the
   * request, coded by what is asked (an appeal to negotiate: 026); an
   * event noun a verb acts on is part of that verb's event.
   */
  private fold(events: Array<{event: Found; first: Token}>, tokens: Token[]): Found[] {
    const kept: Found[] = []
    events.forEach(({event, first}, position) => {
      const later = events.slice(position + 1)
      const that = tokens.findIndex((token) => token.index > first.index && token.key === 'that')
      if (this.lexicon.announcing.has(first.key) && that !== -1 && later.some((item) => item.first.index > that)) {
        const embedded = later.find((item) => item.first.index > that)!.event
        if (!embedded.actor1 && event.actor1) embedded.actor1 = event.actor1
        takeDate(embedded, event)
        return
      }
      // "When the talks were announced": the announced noun is the event, announced.
      const announcedNoun = events.slice(0, position).findLast((item) => item.event.noun && kept.includes(item.event))
      if (this.lexicon.announcing.has(first.key) && announcedNoun && /^(?:is|are|was|were|been)$/.test(tokens[first.index - 1]?.key ?? '')) {
        announcedNoun.event.status = 'announced'
        announcedNoun.event.code = this.lexicon.intent.get(announcedNoun.event.code.slice(0, 2)) ?? announcedNoun.event.code
        takeDate(announcedNoun.event, event)
        return
      }
      // An event insisted on or demanded ("the Chilean insistence was on direct talks") is the demand, coded by what is demanded.
      // So is an event refused or ruled out ("ruled out bilateral talks": 125, `refusal`).
      const demand = events.slice(0, position).findLast((item) => /^1[02]/.test(item.event.code) && kept.includes(item.event))
      const map = demand?.event.code.startsWith('10') ? this.lexicon.demand : this.lexicon.refusal
      if (demand && complementOf(tokens, demand.first, first, demand.event.code.startsWith('12')) && map.has(event.code.slice(0, 2))) {
        demand.event.code = map.get(event.code.slice(0, 2))!
        if (!demand.event.actor2 && event.actor2 && event.actor2 !== demand.event.actor1) demand.event.actor2 = event.actor2
        takeDate(demand.event, event)
        return
      }
      // A threat of an event is coded by what is threatened ("threatened to recall its ambassador": 1313).
      const threat = events.slice(0, position).findLast((item) => item.event.code.startsWith('13') && kept.includes(item.event))
      const threatened = [event.code, event.code.slice(0, 3), event.code.slice(0, 2)].find((key) => this.lexicon.threat.has(key))
      if (threat && threatened && tokens[first.index - 1]?.key === 'to' && first.index - threat.first.index <= 3) {
        threat.event.code = this.lexicon.threat.get(threatened)!
        if (!threat.event.actor2 && event.actor2 && event.actor2 !== threat.event.actor1) threat.event.actor2 = event.actor2
        return
      }
      const request = events.slice(0, position).find((item) => item.event.code.slice(0, 2) === '02' && kept.includes(item.event))
      if (request && tokens[first.index - 1]?.key === 'to') {
        // Asking one party to meet or negotiate with the asker ("asked Peru to renegotiate their border treaty") proposes talks: an intent (036).
        const proposal = event.code.startsWith('04') && this.reciprocal(tokens, request, event, first)
        request.event.code = (proposal ? this.lexicon.intent : this.lexicon.appeal).get(event.code.slice(0, 2)) ?? request.event.code
        // Note: a date between the two is the request's ("asked X earlier this year to renegotiate").
        takeDate(request.event, event)
        return
      }
      // An indefinite event noun in a verb's object is what the verb acts on ("promised 50 million dollars in aid", "imposed freezes and travel bans").
      const governing = events.slice(0, position).findLast((item) => !item.event.noun && kept.includes(item.event))
      if (event.noun && !event.definite && governing && inObjectOf(tokens, governing.first, first)) return
      kept.push(event)
    })
    return kept
  }

  /**
   * Whether what is asked is to be done with the asker: the asked party is
   * one entity and the complement says so ("their treaty", "each other",
   * "bilateral", "with us"), or names the asker after "with".
   */
  private reciprocal(tokens: Token[], request: {event: Found; first: Token}, asked: Found, first: Token): boolean {
    if (!request.event.actor2 || (asked.actor2 && asked.actor2 !== request.event.actor1)) return false
    if (asked.actor2 === request.event.actor1) return true
    // Note: "urged Israel and the Palestinians to resume their talks" asks two others to meet each other.
    const objectEnd = request.event.evidence[0]?.actor2End
    const objectGroup = objectEnd !== undefined && /^\s*(?:,|and|or)\s/.test(this.input.text.value.slice(objectEnd, objectEnd + 6))
    const clause = tokens.slice(first.index + 1, first.index + 6)
    return !objectGroup && clause.some((token, index) => /^(?:their|bilateral|mutual|us|them)$/.test(token.key) || (token.key === 'each' && clause[index + 1]?.key === 'other'))
  }

  private readonly blockDates = new Map<number, TimeExpression[]>()

  /**
   * The time expressions of a block, normalized once for the whole block (the
   * dates module reads tense and "that day" across sentences). A bare
   * duration ("the first visit in five years") dates nothing; "for decades"
   * or "the last six months" does.
   */
  private datesOf(block: ArticleText['blocks'][number] | undefined, reference: string): TimeExpression[] {
    if (!block) return []
    let dates = this.blockDates.get(block.paragraph)
    if (!dates) {
      const value = this.input.text.value.slice(block.start, block.end)
      dates = findDates(value, reference)
        .filter((date) => date.kind !== 'duration' || (date.startDate !== '' && date.endDate !== '') || /^(?:for |decades|years|centuries)/i.test(this.input.text.value.slice(block.start + date.start - 4, block.start + date.end)))
        .map((date) => ({...date, start: date.start + block.start, end: date.end + block.start}))
      this.blockDates.set(block.paragraph, dates)
    }
    return dates
  }

  /** Trigger words of a sentence, one- or two-word forms, longest first (not inside a name). */
  private triggers(tokens: Token[], mentions: Mention[]): Array<{trigger: Trigger; tokens: Token[]}> {
    const result: Array<{trigger: Trigger; tokens: Token[]}> = []
    for (let index = 0; index < tokens.length; index++) {
      const token = tokens[index]!
      const candidates = this.lexicon.forms.get(token.key)
      if (!candidates || mentions.some((mention) => mention.start <= token.start && token.end <= mention.end)) continue
      const next = tokens[index + 1]
      // Note: a trigger with `objects` counts only with one of them in its object phrase ("added 40 police officers").
      const fits = (item: {trigger: Trigger}) => !item.trigger.objects || phraseHas(objectPhrase(tokens, token, this.knowledge.words.prepositions), this.lexicon.objects.get(item.trigger)!)
      const two = candidates.filter((item) => item.second !== undefined && next?.key === item.second && joined(next) && fits(item))
      const one = candidates.filter((item) => item.second === undefined && fits(item))
      // Note: a trigger whose objects fit is more precise than the same word without ("rejected the accusation": 016, not 120).
      const pool = [...(two.length > 0 ? two : one)].sort((a, b) => Number(!a.trigger.objects) - Number(!b.trigger.objects))
      const noun = isNounPosition(tokens, index, this.knowledge)
      const chosen = pool.find((item) => (item.trigger.pos === 'noun') === noun) ?? (new Set(pool.map((item) => item.trigger.pos)).size === 1 ? pool[0] : undefined)
      if (!chosen) continue
      result.push({trigger: chosen.trigger, tokens: two.length > 0 ? [token, next!] : [token]})
      if (two.length > 0) index++
    }
    return result
  }

  private event(
    trigger: Trigger,
    triggerTokens: Token[],
    tokens: Token[],
    mentions: Mention[],
    sentence: Sentence,
    index: number,
    date: TimeExpression | undefined,
    reference: string
  ): Found | undefined {
    const first = triggerTokens[0]!
    const last = triggerTokens.at(-1)!
    const noun = trigger.pos === 'noun'
    const actors = mentions.filter((mention) => this.isActor(mention))
    let confidence = noun ? 0.7 : 0.8

    // "As X said, …": the clause attributes what follows to its source; it reports no event of its own.
    if (trigger.code.startsWith('01') && tokens[clauseStart(tokens, first)]?.key === 'as') return undefined
    // Passive voice ("was attacked by X"): the subject undergoes the event, "by" names who acts.
    const passive = !noun && isPassive(tokens, first)
    let passiveObject: Mention | undefined
    // Actor 1: the subject (with coordinated subjects), "by X", or "X’s".
    let subjects = trigger.actor1 === 'none' ? [] : this.subjects(actors, tokens, first)
    if (passive) {
      // Note: the passive's subject is the name right before its auxiliaries; "these weapons will be used" names none.
      passiveObject = actors.findLast((mention) => mention.end <= first.start && adjacentWords.test(this.input.text.value.slice(mention.end, first.start)))
      // Note: "by" after another participle names that one's agent ("added to offices in seaports frequented by …").
      const byToken = tokens.find((token) => token.index > last.index && token.key === 'by')
      const other = byToken && tokens.slice(last.index + 1, byToken.index).some((token) => /ed$/.test(token.key) && !this.knowledge.words.prepositions.has(token.key))
      const by = other ? undefined : this.afterWord(actors, tokens, last, 'by')
      subjects = by ? [by] : []
    }
    // A noun's own modifier names who acts: "Soviet military support", "Russia’s involvement".
    // So does a name that modifies it after a determiner ("the U.N. demand").
    const compound = (mention: Mention) => /^\s+$/.test(this.input.text.value.slice(mention.end, first.start)) && /^(?:the|a|an)$/.test(tokens[(this.tokenAt.get(mention.start)?.index ?? 0) - 1]?.key ?? '')
    const modifier = noun
      ? mentions.find((mention) => (mention.kind === 'demonym' || this.possessiveAt(tokens, mention) || compound(mention)) && mention.end <= first.start && first.index - (tokens.find((item) => item.start >= mention.end)?.index ?? first.index) <= 2)
      : undefined
    if (modifier && this.isActorOrCountry(modifier)) subjects = [modifier]
    // A definite event noun that another trigger acts on refers back to an event ("denounced the sanctions"): the clause's subject is not its actor.
    else if (noun && /^(?:the|these|those|this|that)$/.test(tokens[first.index - 1]?.key ?? '') && [1, 2, 3].some((gap) => this.triggerIndices.has(first.index - gap))) subjects = []
    else if (trigger.actor1 === 'by' || (noun && subjects.length === 0)) {
      const by = this.afterWord(actors, tokens, last, 'by')
      if (by) subjects = [by]
    }
    if (subjects.length === 0 && trigger.actor1 !== 'none' && !passive && !this.subordinate(tokens, first)) {
      // Note: no subject names an actor ("Chilean troops are to hold drills"): take the nearest country named
      // before, unless a preposition makes it a target or beneficiary ("support for Cuba").
      const fallback = mentions.findLast((mention) => {
        if (mention.end > first.start || this.entities.get(mention.entityId)?.type !== 'Country') return false
        const token = this.tokenAt.get(mention.start)
        return !/^(?:for|against|to|with|from|by|on|toward|towards)$/.test(token ? (tokens[token.index - 1]?.key ?? '') : '')
      })
      if (fallback) {
        subjects = [fallback]
        confidence -= 0.1
      }
    }
    if (subjects.length > 0 && (trigger.actor1 === 'subject' || noun)) this.lastSubjects = subjects

    // Actor 2: the object or the mention after a preposition.
    let object: Mention | undefined
    let code = trigger.code
    // Note: a passive without a named subject keeps the trigger's preposition ("will be used against X").
    if (passive) object = passiveObject ?? (trigger.actor2 !== 'object' && trigger.actor2 !== 'none' ? this.afterWord(actors, tokens, last, trigger.actor2) : undefined)
    else if (trigger.actor2 === 'object') object = this.objectAfter(actors.concat(mentions.filter((mention) => mention.kind === 'contextual')), tokens, last)
    else if (trigger.actor2 !== 'none') object = this.afterWord(actors, tokens, last, trigger.actor2)
    if (object && subjects.some((mention) => mention.entityId === object!.entityId)) object = undefined
    // Partners named after "with", "involving", … ("an exercise that will involve Peru and Ecuador").
    const partners = noun ? this.partners(actors, tokens, last).filter((mention) => mention.entityId !== object?.entityId && !subjects.some((item) => item.entityId === mention.entityId)) : []
    for (const variant of trigger.variants ?? []) {
      const after = object ? tokens.find((token) => token.start >= object!.end) : undefined
      const near = tokens.slice(Math.max(0, first.index - 2), last.index + 3).some((token) => token.key === variant.near)
      if ((variant.after !== undefined && variant.after === after?.key) || (variant.near !== undefined && near) || (variant.partners && partners.length > 0)) {
        code = variant.code
        break
      }
    }

    // A place as actor 2 of a visit is where it happens; its country is the actor.
    let location: string | undefined
    const participants: Array<{entityId: string; role: string}> = []
    if (object && (this.entities.get(object.entityId)?.type === 'City' || this.entities.get(object.entityId)?.type === 'Place')) {
      location = object.entityId
      const country = this.entities.get(object.entityId)?.country
      object = undefined
      const countryId = country ? this.countryByIso.get(country) : undefined
      if (countryId) participants.push({entityId: countryId, role: 'host'})
    }
    if (!location) location = this.locationAfter(mentions, tokens, last)

    const [actor1, ...others] = subjects.filter((mention, position, all) => all.findIndex((item) => item.entityId === mention.entityId) === position)
    const mutual = tokens.some((token) => token.index < first.index + 3 && token.index >= first.index - 2 && /^(?:mutual|joint|each)$/.test(token.key))
    let actor2Mention = object
    if (!actor2Mention && mutual && others.length > 0) actor2Mention = others.shift()
    for (const other of others) participants.push({entityId: other.entityId, role: 'actor1'})
    for (const partner of partners) if (!participants.some((item) => item.entityId === partner.entityId)) participants.push({entityId: partner.entityId, role: 'partner'})
    const hostIndex = participants.findIndex((item) => item.role === 'host')
    if (!actor2Mention && hostIndex !== -1) {
      const host = participants.splice(hostIndex, 1)[0]!
      if (host.entityId !== actor1?.entityId) participants.unshift({entityId: host.entityId, role: 'actor2'})
    }

    const actor2Id = actor2Mention?.entityId ?? participants.find((item) => item.role === 'actor2')?.entityId
    // A verb in the present simple ("Lima accuses …") tells what goes on.
    const present = !noun && this.lexicon.present.has(first.key)
    const status = eventStatus(this.lexicon, tokens, first, noun, date, reference, present)
    // A negative that-clause makes a reply a rejection ("replied that the timing was not right").
    if (trigger.negative && this.negativeClause(tokens, last)) code = trigger.negative
    // An announced cooperation or attack is an intent ("announced they would conduct mutual visits": 036).
    if (status === 'announced') code = this.lexicon.intent.get(code.slice(0, 2)) ?? code
    const negated = isNegated(this.lexicon, tokens, first)
    if (tokens.slice(0, first.index).some((token) => this.lexicon.reported.has(token.key))) confidence -= 0.2
    if (!actor1) confidence -= 0.2
    const definite = noun && /^(?:the|this|these|that|those)$/.test(tokens[first.index - 1]?.key ?? '')
    // Note: a definite noun ("The exercise …") may name an event told before; `merged` drops it if it names none.
    if (!actor1 && !actor2Id && !date && !location && !definite) return undefined

    const evidence: EventEvidence = {sentence: index, start: sentence.start, end: sentence.end, triggerStart: first.start, triggerEnd: last.end}
    if (actor1) Object.assign(evidence, {actor1Start: actor1.start, actor1End: actor1.end})
    if (actor2Mention) Object.assign(evidence, {actor2Start: actor2Mention.start, actor2End: actor2Mention.end})
    const event: Found = {
      code,
      trigger: this.input.text.value.slice(first.start, last.end),
      participants: participants.filter((item) => item.entityId !== actor2Id),
      startDate: date?.startDate ?? '',
      endDate: date?.endDate ?? '',
      // Note: a date the text leaves vague ("a few weeks ago") has no precision to give.
      precision: date && (date.startDate || date.endDate) ? date.precision : '',
      status,
      negated,
      evidence: [evidence],
      confidence: Math.round(Math.max(0.1, confidence) * 100) / 100,
      noun,
      definite,
      lemma: `${trigger.lemma}/${trigger.pos}`,
      base: trigger.code
    }
    if (trigger.negative) event.negative = trigger.negative
    if (actor1) event.actor1 = actor1.entityId
    if (actor2Id) event.actor2 = actor2Id
    if (location) event.location = location
    return event
  }

  /**
   * The partners of an event noun: the actors after the first partnering word
   * ("with", "involving", "that will involve") within fifteen words, up to the
   * next trigger, but not those that modify a word ("enemies of the North").
   */
  private partners(actors: Mention[], tokens: Token[], trigger: Token): Mention[] {
    const end = Math.min(tokens.length, trigger.index + 16)
    for (let index = trigger.index + 1; index < end; index++) {
      if (this.triggerIndices.has(index)) return []
      if (!this.lexicon.partnering.has(tokens[index]!.key)) continue
      const next = [...this.triggerIndices].filter((item) => item > index).sort((a, b) => a - b)[0]
      const limit = next === undefined ? Number.POSITIVE_INFINITY : tokens[next]!.start
      return actors.filter((mention) => {
        if (mention.start <= tokens[index]!.start || mention.end > limit) return false
        let before = (this.tokenAt.get(mention.start)?.index ?? 0) - 1
        while (before > 0 && /^(?:the|a|an)$/.test(tokens[before]!.key)) before--
        return !/^(?:of|from|by|near|in|at|on)$/.test(tokens[before]?.key ?? '')
      })
    }
    return []
  }

  /** Whether the that-clause right after a trigger is negated ("replied that the timing was not right"). */
  private negativeClause(tokens: Token[], trigger: Token): boolean {
    const that = tokens.slice(trigger.index + 1, trigger.index + 3).find((token) => token.key === 'that')
    if (!that) return false
    for (const token of tokens.slice(that.index + 1)) {
      if (token.index > that.index + 1 && /[,;:—–(]/.test(token.before)) return false
      if (this.lexicon.negation.has(token.key) || /n[’']t$/.test(token.text)) return true
    }
    return false
  }

  private possessiveAt(tokens: Token[], mention: Mention): boolean {
    return tokens.some((token) => token.end === mention.end && token.possessive)
  }

  private isActorOrCountry(mention: Mention): boolean {
    return this.isActor(mention) || this.entities.get(mention.entityId)?.type === 'Country'
  }

  private isActor(mention: Mention): boolean {
    const type = this.entities.get(mention.entityId)?.type
    return type !== undefined && actorTypes.has(type)
  }

  /**
   * The clause's subject: the first actor before the trigger that no
   * preposition introduces and that is no possessive modifier, with the
   * actors coordinated with it ("China and Japan"); a pronoun right before the
   * trigger stands for the latest subjects.
   */
  private subjects(actors: Mention[], tokens: Token[], trigger: Token): Mention[] {
    // "attacking Chile for blocking …": the object of the verb before "for" acts.
    if (/ing$/.test(trigger.key) && tokens[trigger.index - 1]?.key === 'for') {
      const object = actors.find((mention) => mention.end === tokens[trigger.index - 2]?.end)
      if (object) return [object]
    }
    const before = tokens.slice(0, trigger.index)
    const near = before.slice(-3).filter((token) => !auxiliary.test(token.key))
    if (near.length > 0 && /^(?:they|it|he|she|we)$/.test(near.at(-1)!.key)) return this.lastSubjects
    // "Amani Njoroge, who promised …": a relative pronoun stands for the name before it.
    if (near.length > 0 && /^(?:who|which)$/.test(near.at(-1)!.key)) {
      const pronoun = near.at(-1)!
      const antecedent = actors.findLast((mention) => mention.end <= pronoun.start && /^\s*,?\s*$/.test(this.input.text.value.slice(mention.end, pronoun.start)))
      if (antecedent) return [antecedent]
    }
    // "Chilean coast guard ships blocked …": a demonym with its common nouns is the subject, for its country.
    const nationals = actors.findLast((mention) => mention.kind === 'demonym' && mention.end <= trigger.start && /^(?:\s+[a-z][a-z-]*){1,4}\s+$/.test(this.input.text.value.slice(mention.end, trigger.start)))
    if (nationals && !tokens.some((token) => token.start > nationals.end && token.end <= trigger.start && (this.knowledge.words.prepositions.has(token.key) || this.triggerIndices.has(token.index)))) {
      const previous = tokens[(this.tokenAt.get(nationals.start)?.index ?? 0) - 1]
      // Note: after a preposition the phrase is no subject ("talks on Chilean exports"), after a subordinator it is ("after Chilean ships blocked").
      if (!previous || !this.knowledge.words.prepositions.has(previous.key) || subordinators.test(previous.key)) return [nationals]
    }
    // The actor right before the trigger, with only auxiliaries and adverbs between ("with the United States pressuring").
    const adjacent = actors.findLast((mention) => mention.end <= trigger.start && adjacentWords.test(this.input.text.value.slice(mention.end, trigger.start)))
    const adjacentToken = adjacent ? this.tokenAt.get(adjacent.start) : undefined
    const preposition = adjacentToken ? (tokens[adjacentToken.index - 1]?.key ?? '') : ''
    // Note: after a preposition the actor is no subject ("talks on X were announced"), except "with X doing".
    const absolute = preposition === 'with' && /ing$/.test(trigger.key)
    if (adjacent && (absolute || !this.knowledge.words.prepositions.has(preposition))) {
      const group = [adjacent]
      for (const mention of actors.filter((item) => item.end <= adjacent.start).reverse()) {
        if (coordinated.test(this.input.text.value.slice(mention.end, group[0]!.start))) group.unshift(mention)
        else break
      }
      return group
    }
    const {prepositions} = this.knowledge.words
    // Note: a subject in the trigger's own clause first ("…, and EU ministers are to discuss"), else the sentence's.
    const clause = tokens[clauseStart(tokens, trigger)]!.start
    const inClause = actors.some((mention) => mention.start >= clause && mention.end <= trigger.start && mention.kind !== 'demonym')
    const candidates = actors.filter((mention) => {
      if (mention.end > trigger.start || (inClause && mention.start < clause)) return false
      const token = this.tokenAt.get(mention.start)
      const previous = token ? tokens[token.index - 1] : undefined
      const last = tokens.filter((item) => item.start < mention.end).at(-1)
      return !(previous && prepositions.has(previous.key)) && !last?.possessive && mention.kind !== 'demonym'
    })
    const subject = candidates[0] && this.qualified(candidates[0], actors, trigger.start)
    if (!subject) return []
    const group = [subject]
    for (const mention of candidates.slice(1)) {
      const between = this.input.text.value.slice(group.at(-1)!.end, mention.start)
      if (coordinated.test(between)) group.push(mention)
      else break
    }
    return group
  }

  /**
   * The person an organization or country qualifies, when a title or role
   * joins them before offset `end` ("Kenyan Foreign Ministry spokesman Amani
   * Njoroge", "Interior Ministry spokeswoman Ana Duarte"): the person acts.
   */
  private qualified(mention: Mention, actors: Mention[], end: number): Mention {
    const {roles} = this.knowledge.words
    const {titles} = this.knowledge.lexicon
    const person = actors.find((other) => other.start > mention.end && other.end <= end && this.entities.get(other.entityId)?.type === 'Person')
    if (!person) return mention
    const between = this.input.text.value.slice(mention.end, person.start).trim()
    const words = between === '' ? [] : between.split(/\s+/)
    const joins = words.length > 0 && words.length <= 3 && words.every((word) => roles.has(word.toLowerCase()) || titles.has(word.toLowerCase()) || /^\p{Lu}[\p{L}-]*$/u.test(word))
    return joins && words.some((word) => roles.has(word.toLowerCase()) || titles.has(word.toLowerCase())) ? person : mention
  }

  /** The first actor right after the trigger (determiners and adjectives between allowed, no preposition or comma). */
  private objectAfter(actors: Mention[], tokens: Token[], trigger: Token): Mention | undefined {
    const {prepositions} = this.knowledge.words
    for (let index = trigger.index + 1; index < Math.min(tokens.length, trigger.index + 5); index++) {
      const token = tokens[index]!
      if (/[,;:]/.test(token.before)) return undefined
      const mention = actors.find((item) => item.start === token.start)
      if (mention) return mention
      if (prepositions.has(token.key)) return undefined
    }
    return undefined
  }

  /** The first actor (or place) after the word `word` that follows the trigger in its clause. */
  private afterWord(actors: Mention[], tokens: Token[], trigger: Token, word: string): Mention | undefined {
    for (let index = trigger.index + 1; index < Math.min(tokens.length, trigger.index + 10); index++) {
      const token = tokens[index]!
      if (index > trigger.index + 1 && /[,;:]/.test(token.before)) return undefined
      if (token.key !== word) continue
      // The name right after the word, determiners and modifiers between allowed ("by a Kenyan defense minister").
      const window = tokens.slice(index + 1, index + 4)
      const sentenceMentions = outer(this.input.mentions.filter((mention) => window.some((item) => item.start === mention.start)))
      const found = sentenceMentions.find((mention) => this.isActor(mention) || placeTypes.has(this.entities.get(mention.entityId)?.type ?? '') || mention.kind === 'demonym')
      // Note: "to" before a verb names no one ("offered to supply drones to Peru"): look for the next.
      // A title after a demonym or an organization names the person ("with Peruvian Foreign Minister Ana Duarte").
      if (found) return this.qualified(found, actors, tokens[Math.min(tokens.length - 1, index + 8)]!.end)
    }
    return undefined
  }

  /** A place after "in", "at", "near" or "on" following the trigger in its clause: where it happens. */
  private locationAfter(mentions: Mention[], tokens: Token[], trigger: Token): string | undefined {
    for (let index = trigger.index + 1; index < tokens.length; index++) {
      const token = tokens[index]!
      if (/[,;:]/.test(token.before)) return undefined
      if (!/^(?:in|at|near|on)$/.test(token.key)) continue
      const next = tokens[index + 1]
      const mention = next ? mentions.find((item) => item.start === next.start || item.start === tokens[index + 2]?.start) : undefined
      if (mention && mention.kind !== 'metonym' && placeTypes.has(this.entities.get(mention.entityId)?.type ?? '')) return mention.entityId
    }
    return undefined
  }

  /** Whether a trigger sits in a relative or that-clause ("an area that was … support"). */
  private subordinate(tokens: Token[], trigger: Token): boolean {
    return tokens.slice(clauseStart(tokens, trigger), trigger.index).some((token) => /^(?:that|which|who|whom|where)$/.test(token.key))
  }

  /** Merge candidates that report one real-world event; number them. */
  merged(): NewsEvent[] {
    return mergeEvents(this.found)
  }


}

/** The outermost mentions (not those nested in another). */
function outer(mentions: Mention[]): Mention[] {
  return mentions.filter((mention) => !mentions.some((other) => other !== mention && other.start <= mention.start && mention.end <= other.end && other.end - other.start > mention.end - mention.start))
}
