// CSV emitter: RFC 4180, UTF-8, formula-safe datasets of the records.
import {stringify} from 'csv-stringify/sync'
import type {Article} from '../types.js'

/** One row of `data/articles.csv`. */
export interface ArticleRecord {
  id: string
  url: string
  headline: string
  description: string
  date_published: string
  date_modified: string
  author: string
  publisher: string
  language: string
  word_count: number
  source_count: number
}

/** Columns of `data/articles.csv`, in order. */
export const articleColumns = [
  'id',
  'url',
  'headline',
  'description',
  'date_published',
  'date_modified',
  'author',
  'publisher',
  'language',
  'word_count',
  'source_count'
] as const satisfies ReadonlyArray<keyof ArticleRecord>

/** Separator of several values in one cell (authors, aliases). */
export const listSeparator = '|'

/** The `articles.csv` record of an article. */
export function articleRecord(article: Article): ArticleRecord {
  const {meta} = article
  return {
    id: article.slug,
    url: meta.url,
    headline: meta.title,
    description: meta.description,
    date_published: meta.datePublished,
    date_modified: meta.dateModified ?? meta.datePublished,
    author: article.authors.map((person) => person.name).join(listSeparator),
    publisher: meta.publisher.name,
    language: meta.language,
    word_count: article.wordCount,
    source_count: article.sources.length
  }
}

const csvOptions = {
  record_delimiter: '\r\n',
  // Note: with a custom record delimiter csv-stringify would leave a lone LF or CR unquoted.
  quote_record_delimiter: true,
  escape_formulas: true,
  cast: {boolean: (value: boolean) => (value ? 'true' : 'false')}
}

/**
 * Serialize records as CSV: a header row, CRLF line breaks, quotes where
 * needed, and text cells starting with `=`, `+`, `-`, `@`, tab or CR
 * prefixed with `'` so spreadsheets do not run them (numbers stay numbers).
 */
export function emitCsv<T extends object>(records: T[], columns: ReadonlyArray<keyof T & string>): string {
  return csvHeader(columns) + csvRows(records, columns)
}

/** The header row of a CSV (`emitCsv` is the header, then the rows of every batch). */
export function csvHeader(columns: ReadonlyArray<string>): string {
  return stringify([], {...csvOptions, header: true, columns: [...columns]})
}

/**
 * Rows of a CSV without its header, for a table written batch by batch.
 * Note: given as arrays of cells in the order of `columns`; given objects
 * and the columns, csv-stringify reads each cell through a property path
 * parsed again for every cell (a sixth of its time in a build).
 */
export function csvRows<T extends object>(records: T[], columns: ReadonlyArray<keyof T & string>): string {
  return records.length === 0 ? '' : stringify(records.map((record) => columns.map((column) => record[column])), {...csvOptions, header: false})
}
