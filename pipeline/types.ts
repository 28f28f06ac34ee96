// Typed records shared by the stages, and their registration on `file.data`.
import type {Document, LineCounter} from 'yaml'
import type {SummaryEvents} from './summary-events.js'

/** A person as declared in frontmatter (`author`). */
export interface PersonMeta {
  name: string
  url?: string
  sameAs?: string[]
  bio?: string
}

/** An organization as declared in frontmatter (`publisher`). */
export interface OrganizationMeta {
  name: string
  url?: string
  logo?: string
}

/** A quoted source declared in frontmatter (`sources[]`). */
export interface SourceMeta {
  id: string
  type: 'NewsArticle' | 'Article' | 'BlogPosting' | 'Report' | 'WebPage' | 'CreativeWork'
  name: string
  url?: string
  author?: string
  publisher?: string
  datePublished?: string
  dateline?: string
  via?: string
}

/** Article metadata after validation against `schemas/frontmatter.schema.json`. */
export interface Frontmatter {
  title: string
  slug?: string
  url: string
  datePublished: string
  dateModified?: string
  description: string
  language: string
  section?: string
  keywords?: string[]
  author?: PersonMeta | PersonMeta[]
  publisher: OrganizationMeta
  sources?: SourceMeta[]
}

/** The parsed YAML of a frontmatter block, with what is needed to point into it. */
export interface FrontmatterSource {
  document: Document
  lineCounter: LineCounter
  /** Offset in the file where the YAML text starts (after the `---` line). */
  offset: number
}

/**
 * One block of the article text: a paragraph, heading, list item or table
 * cell, with its character range in `ArticleText.value`.
 */
export interface TextBlock {
  start: number
  end: number
  /** 0-based index of this block among all blocks of the article. */
  paragraph: number
  /** Index of the quotation this block belongs to, if any. */
  quotation?: number
  /** Offset in the source file of the block's first character. */
  sourceOffset: number
}

/** A run of the article text and where it comes from in the source file. */
export interface TextSegment {
  start: number
  end: number
  sourceStart: number
  /** Whether each character maps one to one (false for escapes, references, code). */
  exact: boolean
}

/**
 * The documented text of an article: the body's prose blocks joined by a
 * blank line ("\n\n"), without markup, footnote references, footnote
 * definitions, HTML or code. Later stages give their offsets into `value`.
 */
export interface ArticleText {
  value: string
  blocks: TextBlock[]
  /** Source mapping, in text order. */
  segments: TextSegment[]
  /** Links, with their range in `value`. */
  links: TextLink[]
}

/** A Markdown link in the article text. */
export interface TextLink {
  start: number
  end: number
  url: string
}

/** A blockquote and the source it is attributed to. */
export interface Quotation {
  index: number
  /** Id of the declared source, or `undefined` when unattributed. */
  sourceId: string | undefined
  text: string
  /** Range in `ArticleText.value`. */
  start: number
  end: number
  /** Offset in the source file where the blockquote starts. */
  sourceOffset: number
}

/** Kinds of entity newsgraph publishes. */
export type EntityType = 'Person' | 'Organization' | 'Country' | 'City' | 'Place' | 'Event' | 'Thing'

/** An entity newsgraph knows before reading any article: from the registry or a data package. */
export interface KnownEntity {
  id: string
  type: EntityType
  name: string
  aliases: string[]
  demonyms: string[]
  wikidata?: string
  wikipedia?: string
  /** GeoNames id, for cities. */
  geonames?: number
  description?: string
  /** ISO 3166-1 alpha-3 code of the entity's country (for a country, its own). */
  country?: string
  /** For an event: when it began and ended (ISO 8601 date of any precision). */
  startDate?: string
  endDate?: string
  /** Where the entity comes from. */
  origin: 'registry' | 'countries' | 'cities' | 'regions'
  /** Breaks ties between entities of one origin sharing a name (higher wins). */
  weight?: number
}

/** How a mention was resolved to its entity. */
export type MentionMethod = 'registry' | 'gazetteer' | 'inferred' | 'coreference' | 'link'

/** How a mention names its entity. */
export type MentionKind = 'name' | 'short' | 'demonym' | 'metonym' | 'contextual'

/** One mention of an entity in the article text. */
export interface Mention {
  entityId: string
  /** The surface form: `text.value.slice(start, end)`. */
  text: string
  start: number
  end: number
  /** 0-based index of the sentence in the article. */
  sentence: number
  /** 0-based index of the block (`TextBlock.paragraph`). */
  paragraph: number
  /** Id of the quoted source, when the mention is inside a quotation. */
  sourceId?: string
  method: MentionMethod
  kind: MentionKind
  confidence: number
  /** Title or role given with the name ("President", "chief of Japan’s Defense Agency"). */
  role?: string
}

/** An entity as one article knows it: a known entity, or one inferred from the text. */
export interface ArticleEntity {
  id: string
  type: EntityType
  name: string
  aliases: string[]
  wikidata?: string
  wikipedia?: string
  geonames?: number
  description?: string
  country?: string
  /** Whether the entity comes from the registry, a data package or a link (else inferred from the text). */
  linked: boolean
  /** Confidence of the entity itself (highest of its mentions). */
  confidence: number
}

/** Where an event stands. */
export type EventStatus = 'occurred' | 'ongoing' | 'scheduled' | 'announced' | 'hypothetical'

/** One sentence that reports an event, with the offsets of its trigger and actors. */
export interface EventEvidence {
  sentence: number
  start: number
  end: number
  triggerStart: number
  triggerEnd: number
  actor1Start?: number
  actor1End?: number
  actor2Start?: number
  actor2End?: number
}

/** An event an article reports: who did what to whom, when and where, with its evidence. */
export interface NewsEvent {
  /** `e1`, `e2` … in the order of first evidence. */
  id: string
  code: string
  trigger: string
  actor1?: string
  actor2?: string
  participants: Array<{entityId: string; role: string}>
  location?: string
  startDate: string
  endDate: string
  precision: 'day' | 'month' | 'year' | 'range' | ''
  status: EventStatus
  negated: boolean
  /** The quoted source asserting it; the article itself when undefined. */
  sourceId?: string
  evidence: EventEvidence[]
  confidence: number
}

/** A sentence of the article text. */
export interface Sentence {
  start: number
  end: number
  paragraph: number
}

/** Everything the per-article stages produce, consumed by cross-article stages. */
export interface Article {
  slug: string
  path: string
  /**
   * The body as serialized HTML (`renderArticleBody`), rendered while the
   * Markdown tree is at hand: an article is a compact, JSON-serializable
   * record that outlives its tree (cached, sent by workers, merged from shards).
   */
  body: string
  /** Offset in the file of the frontmatter's `slug` value (0 without one), where `slug-duplicate` points. */
  slugOffset: number
  meta: Frontmatter
  authors: PersonMeta[]
  sources: SourceMeta[]
  text: ArticleText
  quotations: Quotation[]
  wordCount: number
  sentences: Sentence[]
  mentions: Mention[]
  entities: ArticleEntity[]
  /** Ids of the entities the article is mainly about. */
  about: string[]
  /** Events the article reports. */
  events: NewsEvent[]
  /** Entity id of each person or organization named in the frontmatter, by name. */
  nameIds: Record<string, string>
  /** The people and organizations the frontmatter names, with their types. */
  declared: Array<{name: string; id: string; type: 'Person' | 'Organization'}>
}

/** What an event's whole record and its summary share: all but its evidence. */
export type EventFacts = Omit<NewsEvent, 'evidence'>

/**
 * What an article's whole record and its summary share: everything but its
 * text, body, sentences, quotations and single mentions, and its events
 * without their evidence. The site-wide outputs (pages of entities, feeds,
 * the model of the site) draw on this and on the summary's counts only.
 */
export type ArticleFacts = Omit<Article, 'body' | 'text' | 'sentences' | 'quotations' | 'mentions' | 'events'> & {events: readonly EventBrief[] | SummaryEvents}

/**
 * What the site's pages and feeds show of an event, besides its first
 * evidence: not its trigger, date precision, evidence ranges or confidence,
 * which only its article's own outputs (drawn from the whole record) show.
 */
export type EventBrief = Pick<EventFacts, 'id' | 'code' | 'actor1' | 'actor2' | 'participants' | 'location' | 'startDate' | 'endDate' | 'status' | 'negated' | 'sourceId'>

/**
 * An event as the site's pages and feeds show it: what they show of it, and
 * the text of its first evidence. Note: a summary holds its events as
 * columns (`SummaryEvents`), and makes this of one when asked (`at`): an
 * archive has hundreds of thousands, its pages and feeds show a few.
 */
export interface SummaryEvent extends EventBrief {
  /** The text of its first evidence sentence, as the site's pages and feeds show it. */
  evidenceText: string
}

/**
 * An article as the site-wide steps hold it (`summarizeArticle`): a few
 * kilobytes instead of the whole record, so that an archive of thousands
 * fits in memory; each article's own outputs are drawn from its whole record,
 * read back when they are written.
 */
export interface ArticleSummary extends ArticleFacts {
  events: SummaryEvents
  /** Mentions per entity id. */
  mentionCounts: MentionCounts
  /** The surface forms of the mentions by name, by entity id: each pair once, in text order. */
  nameForms: Array<[string, string]>
}

/**
 * How many times an article mentions each entity: `counts[i]` times the
 * entity `ids[i]`, in the order first mentioned. Note: two lists, since an
 * archive holds one per article (as a dictionary, 1.7 KB an article).
 */
export interface MentionCounts {
  ids: string[]
  counts: number[]
}

declare module 'vfile' {
  interface DataMap {
    /** Raw YAML of the frontmatter, set by `frontmatter`. */
    frontmatterSource: FrontmatterSource
    /** Parsed (not yet validated) frontmatter value, set by `frontmatter`. */
    frontmatterValue: unknown
    /** Fields read from another key (`datePublished` ← `date`), set by `conventions`. */
    frontmatterRenames: Record<string, string>
    /** Validated frontmatter, set by `validateFrontmatter`. */
    frontmatter: Frontmatter
    /** The article's documented text, set by `articleText`. */
    text: ArticleText
    /** The article's quotations, set by `quotations`. */
    quotations: Quotation[]
    /** Sentences of the article text, set by `extractEntities`. */
    sentences: Sentence[]
    /** Entity mentions, set by `extractEntities`. */
    mentions: Mention[]
    /** Entities of the article, set by `extractEntities`. */
    entities: ArticleEntity[]
    /** Events of the article, set by `extractEvents`. */
    events: NewsEvent[]
  }
}
