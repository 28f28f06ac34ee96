// Link stage: cross-article checks once every article is processed.
import {readFileSync} from 'node:fs'
import type {VFile} from 'vfile'
import {note, report} from './message.js'
import type {Article, ArticleEntity, ArticleSummary} from './types.js'

/**
 * Check what only all articles together show: two articles with one slug.
 * Reports on the files and removes the later duplicates from `articles`.
 */
export function linkArticles<T extends Pick<Article, 'slug' | 'path' | 'slugOffset'>>(articles: T[], files: VFile[]): void {
  const byPath = new Map(files.map((file) => [file.path, file]))
  const first = new Map<string, T>()
  for (let index = 0; index < articles.length; index++) {
    const article = articles[index]!
    const previous = first.get(article.slug)
    if (!previous) {
      first.set(article.slug, article)
      continue
    }
    const file = withValue(byPath.get(article.path)!)
    const previousFile = withValue(byPath.get(previous.path)!)
    const cause = note(previousFile, `Slug \`${article.slug}\` is first used here`, previous.slugOffset)
    report(file, `Unexpected second article with slug \`${article.slug}\`, expected each slug once: rename the file or set \`slug\``, 'slug-duplicate', {
      offset: article.slugOffset,
      cause
    })
    articles.splice(index, 1)
    index--
  }
}

/**
 * A file with its text, to place a message by offset: a build does not keep
 * the text of every source once it is read (an archive's would fill memory),
 * so it is read again here; a source gone since is placed at its start.
 */
function withValue(file: VFile): VFile {
  if (file.value === undefined) {
    try {
      // Note: offsets count from after a byte order mark, as the stage read it.
      file.value = readFileSync(file.path, 'utf8').replace(/^\uFEFF/, '')
    } catch {
      // Note: a merge may run where the sources of its shards are not.
    }
  }
  return file
}

/** An entity across the whole site, with what every article says of it. */
export interface SiteEntity extends ArticleEntity {
  articleCount: number
  mentionCount: number
  /** Surface forms seen in the articles, other than the name. */
  forms: string[]
}

/**
 * One record per entity across all articles: known entities as the registry
 * describes them; an inferred entity takes the type of its most confident
 * description (then the first by article slug).
 */
export function linkEntities(articles: ArticleSummary[]): SiteEntity[] {
  const byId = new Map<string, SiteEntity>()
  for (const article of [...articles].sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0))) {
    for (const entity of article.entities) {
      const existing = byId.get(entity.id)
      if (!existing) byId.set(entity.id, {...entity, aliases: [...entity.aliases], articleCount: 0, mentionCount: 0, forms: []})
      else if (entity.confidence > existing.confidence) byId.set(entity.id, {...existing, ...entity, aliases: existing.aliases, confidence: entity.confidence})
      byId.get(entity.id)!.articleCount++
    }
    const {ids, counts} = article.mentionCounts
    for (const [index, id] of ids.entries()) byId.get(id)!.mentionCount += counts[index]!
    for (const [id, form] of article.nameForms) {
      const entity = byId.get(id)!
      if (form !== entity.name && !entity.forms.includes(form)) entity.forms.push(form)
    }
  }
  // Note: a name some article's frontmatter declares a person or organization is one, whatever another article's text suggested.
  for (const article of articles) {
    for (const declared of article.declared) {
      const entity = byId.get(declared.id)
      if (entity && !entity.linked && entity.type !== declared.type) Object.assign(entity, {type: declared.type, confidence: Math.max(entity.confidence, 0.9)})
    }
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}
