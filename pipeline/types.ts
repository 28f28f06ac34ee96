// Typed records shared by the stages, and their registration on `file.data`.
import type {Document, LineCounter} from 'yaml'

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
  author: PersonMeta | PersonMeta[]
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

/** Everything the per-article stages produce, consumed by cross-article stages. */
export interface Article {
  slug: string
  path: string
  meta: Frontmatter
  authors: PersonMeta[]
  sources: SourceMeta[]
  text: ArticleText
  quotations: Quotation[]
  wordCount: number
}

declare module 'vfile' {
  interface DataMap {
    /** Raw YAML of the frontmatter, set by `frontmatter`. */
    frontmatterSource: FrontmatterSource
    /** Parsed (not yet validated) frontmatter value, set by `frontmatter`. */
    frontmatterValue: unknown
    /** Validated frontmatter, set by `validateFrontmatter`. */
    frontmatter: Frontmatter
    /** The article's documented text, set by `articleText`. */
    text: ArticleText
    /** The article's quotations, set by `quotations`. */
    quotations: Quotation[]
  }
}
