// Entity emitters: records of entities and mentions, and their schema.org nodes.
import {entityNodeId} from '../ids.js'
import type {SiteEntity} from '../link.js'
import type {Article, ArticleFacts, EntityType} from '../types.js'
import type {JsonLdNode} from './jsonld.js'
import {listSeparator} from './csv.js'

/** One row of `data/entities.csv`. */
export interface EntityRecord {
  id: string
  type: EntityType
  name: string
  wikidata: string
  aliases: string
  description: string
  country: string
  linked: boolean
  article_count: number
  mention_count: number
}

/** Columns of `data/entities.csv`, in order. */
export const entityColumns = ['id', 'type', 'name', 'wikidata', 'aliases', 'description', 'country', 'linked', 'article_count', 'mention_count'] as const satisfies ReadonlyArray<keyof EntityRecord>

/** One row of `data/mentions.csv`. */
export interface MentionRecord {
  article_id: string
  entity_id: string
  text: string
  start: number
  end: number
  sentence: number
  paragraph: number
  quoted_source: string
  method: string
  kind: string
  confidence: number
  role: string
}

/** Columns of `data/mentions.csv`, in order. */
export const mentionColumns = [
  'article_id',
  'entity_id',
  'text',
  'start',
  'end',
  'sentence',
  'paragraph',
  'quoted_source',
  'method',
  'kind',
  'confidence',
  'role'
] as const satisfies ReadonlyArray<keyof MentionRecord>

/** The `entities.csv` record of an entity. */
export function entityRecord(entity: SiteEntity): EntityRecord {
  const aliases = [...new Set([...entity.aliases, ...entity.forms])].filter((alias) => alias !== entity.name && !alias.includes(listSeparator))
  return {
    id: entity.id,
    type: entity.type,
    name: entity.name,
    wikidata: entity.wikidata ?? '',
    aliases: aliases.join(listSeparator),
    description: entity.description ?? '',
    country: entity.country ?? '',
    linked: entity.linked,
    article_count: entity.articleCount,
    mention_count: entity.mentionCount
  }
}

/** The `mentions.csv` records of an article, in text order. */
export function mentionRecords(article: Article): MentionRecord[] {
  return article.mentions.map((mention) => ({
    article_id: article.slug,
    entity_id: mention.entityId,
    text: mention.text,
    start: mention.start,
    end: mention.end,
    sentence: mention.sentence,
    paragraph: mention.paragraph,
    quoted_source: mention.sourceId ?? '',
    method: mention.method,
    kind: mention.kind,
    confidence: mention.confidence,
    role: mention.role ?? ''
  }))
}

/** The schema.org node of an entity, with `sameAs` links to Wikidata, Wikipedia and GeoNames. */
export function entityNode(base: string, entity: SiteEntity): JsonLdNode {
  const node: JsonLdNode = {'@id': entityNodeId(base, entity.id), '@type': entity.type, name: entity.name}
  const sameAs = [
    entity.wikidata ? `https://www.wikidata.org/wiki/${entity.wikidata}` : undefined,
    entity.wikipedia,
    entity.geonames === undefined ? undefined : `https://sws.geonames.org/${entity.geonames}/`
  ].filter((value): value is string => value !== undefined)
  if (sameAs.length > 0) node['sameAs'] = sameAs
  if (entity.description) node['description'] = entity.description
  return node
}

/** `about` and `mentions` of an article node: entity references, the main subjects first. */
export function articleSubjects(base: string, article: ArticleFacts): {about: Array<{'@id': string}>; mentions: Array<{'@id': string}>} {
  const about = new Set(article.about)
  const ids = article.entities.map((entity) => entity.id)
  return {
    about: ids.filter((id) => about.has(id)).map((id) => ({'@id': entityNodeId(base, id)})),
    mentions: ids.filter((id) => !about.has(id)).map((id) => ({'@id': entityNodeId(base, id)}))
  }
}
