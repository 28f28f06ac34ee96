// Summaries: what the site-wide steps keep of each article, and where its whole record is read back from when its own outputs are written.
import {readFile} from 'node:fs/promises'
import {parseResult} from './record.js'
import type {Article, ArticleEntity, ArticleSummary} from './types.js'

/**
 * Entities as the articles describe them, by their JSON: the summaries of
 * articles that describe an entity alike share one object (a country named
 * in thousands of articles, with its aliases, is then held once).
 */
export type SharedEntities = Map<string, ArticleEntity>

/** The summary of an article: its facts, its mentions counted, and the text its events' first evidence quotes; its entities from `shared` when given. */
export function summarizeArticle(article: Article, shared?: SharedEntities): ArticleSummary {
  const {body, text, sentences, quotations, mentions, ...facts} = article
  // Note: without a prototype, so that an entity id such as `constructor` counts from zero.
  const mentionCounts: Record<string, number> = Object.create(null) as Record<string, number>
  const nameForms: Array<[string, string]> = []
  const seen = new Set<string>()
  for (const mention of mentions) {
    mentionCounts[mention.entityId] = (mentionCounts[mention.entityId] ?? 0) + 1
    // Note: a NUL cannot be in an entity id, so the pair's key is unambiguous.
    const key = `${mention.entityId}\u0000${mention.text}`
    if (mention.kind === 'name' && !seen.has(key)) {
      seen.add(key)
      nameForms.push([mention.entityId, mention.text])
    }
  }
  // Note: copied, so that the summary does not keep the article's whole text alive (a slice may point into it).
  const firstEvidence = facts.events.map((event) => copy(text.value.slice(event.evidence[0]!.start, event.evidence[0]!.end)))
  const entities = shared ? facts.entities.map((entity) => share(shared, entity)) : facts.entities
  return {...facts, entities, mentionCounts, nameForms, firstEvidence}
}

function share(shared: SharedEntities, entity: ArticleEntity): ArticleEntity {
  const key = JSON.stringify(entity)
  const known = shared.get(key)
  if (known) return known
  shared.set(key, entity)
  return entity
}

/** Where an article's whole record is while the site is written: in memory, or in a file holding its serialized result (a cache entry). */
export type RecordSource = {article: Article} | {file: string}

/** The whole record of an article; throws with the reason when its file is gone or is not that article's result. */
export async function readRecord(source: RecordSource, path: string): Promise<Article> {
  if ('article' in source) return source.article
  let text: string
  try {
    text = await readFile(source.file, 'utf8')
  } catch (error) {
    throw new Error(`Cannot read the record of \`${path}\` back from the cache (${(error as Error).message}); was the cache removed during the build?`)
  }
  const article = parseResult(text)?.article
  if (!article || article.path !== path) throw new Error(`Cannot read the record of \`${path}\` back from the cache: \`${source.file}\` no longer holds it`)
  return article
}

/** A string with storage of its own (not a slice of a larger one, which would keep that alive). */
function copy(value: string): string {
  return value.length === 0 ? '' : (' ' + value).slice(1)
}
