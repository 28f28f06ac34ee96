// The per-article processor: parse → frontmatter → validate → quotations → text.
import remarkFrontmatter from 'remark-frontmatter'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import type {VFile} from 'vfile'
import {frontmatter} from './frontmatter.js'
import {gfmWhereNeeded} from './gfm.js'
import {slugify} from './ids.js'
import {hasErrors, report} from './message.js'
import {quotations} from './quotations.js'
import {articleText, countWords} from './text.js'
import {conventions, type ConventionOptions} from './conventions.js'
import {declaredNames, entities, extractEntities} from './extract/entities.js'
import {events} from './extract/events.js'
import type {Knowledge} from './knowledge/index.js'
import type {Article, Frontmatter, Mention} from './types.js'
import {offsetOf, validateFrontmatter} from './validate.js'
import {renderArticleBody} from './emit/html-body.js'

/**
 * The unified processor for one article. Each stage reads and writes typed
 * `file.data`.
 */
export function createArticleProcessor(knowledge: Knowledge, options?: ConventionOptions) {
  return unified()
    .use(remarkParse)
    .use(gfmWhereNeeded)
    .use(remarkFrontmatter, ['yaml'])
    .use(frontmatter)
    .use(options ? conventions : () => undefined, options as ConventionOptions)
    .use(validateFrontmatter)
    .use(quotations)
    .use(articleText)
    .use(entities, {knowledge})
    .use(events, {knowledge, lexicon: knowledge.events})
    .freeze()
}

/** The processor of `createArticleProcessor`. */
export type ArticleProcessor = ReturnType<typeof createArticleProcessor>

/** Run the processor on a file; returns the article, or `undefined` when the file has errors. */
export async function processArticle(file: VFile, processor: ArticleProcessor, knowledge: Knowledge): Promise<Article | undefined> {
  const tree = processor.parse(file)
  await processor.run(tree, file)
  const meta = file.data.frontmatter
  const text = file.data.text
  if (!meta || !text || hasErrors(file)) return undefined
  const slug = meta.slug ?? slugFromPath(file)
  if (slug === undefined) return undefined
  return {
    slug,
    path: file.path,
    body: renderArticleBody(tree, file.data.quotations ?? [], meta.sources ?? []),
    slugOffset: file.data.frontmatterSource && meta.slug !== undefined ? offsetOf(file.data.frontmatterSource, ['slug'], false) : 0,
    meta,
    authors: meta.author === undefined ? [] : Array.isArray(meta.author) ? meta.author : [meta.author],
    sources: meta.sources ?? [],
    text,
    quotations: file.data.quotations ?? [],
    wordCount: countWords(text.value),
    sentences: file.data.sentences ?? [],
    mentions: file.data.mentions ?? [],
    entities: file.data.entities ?? [],
    about: aboutEntities(meta.title, file.data.mentions ?? [], knowledge),
    events: file.data.events ?? [],
    nameIds: frontmatterNameIds(meta, knowledge),
    declared: declaredNames(meta, knowledge)
  }
}

/** Entity ids of the people and organizations of the frontmatter, by name. */
function frontmatterNameIds(meta: Frontmatter, knowledge: Knowledge): Record<string, string> {
  return Object.fromEntries(declaredNames(meta, knowledge).map((item) => [item.name, item.id]))
}

/**
 * What an article is about: the entities its title names (when the body
 * names them too), else the entity it mentions most.
 */
export function aboutEntities(title: string, mentions: Mention[], knowledge: Knowledge): string[] {
  const inBody = new Set(mentions.map((mention) => mention.entityId))
  const titleText = {value: title, blocks: [{start: 0, end: title.length, paragraph: 0, sourceOffset: 0}], segments: [], links: []}
  const named = [...new Set(extractEntities(titleText, knowledge).mentions.map((mention) => mention.entityId))].filter((id) => inBody.has(id))
  if (named.length > 0) return named.sort()
  const counts = new Map<string, number>()
  for (const mention of mentions) counts.set(mention.entityId, (counts.get(mention.entityId) ?? 0) + 1)
  const top = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]
  return top ? [top[0]] : []
}

function slugFromPath(file: VFile): string | undefined {
  const slug = slugify(file.stem ?? '')
  if (slug === '') {
    report(file, `Unexpected file name \`${file.basename ?? ''}\` without letters or digits, expected a name to make the slug from, or a \`slug\` field`, 'slug-unsafe')
    return undefined
  }
  return slug
}
