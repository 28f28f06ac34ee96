// Link stage: cross-article checks once every article is processed.
import type {VFile} from 'vfile'
import {note, report} from './message.js'
import type {Article} from './types.js'
import {offsetOf} from './validate.js'

/**
 * Check what only all articles together show: two articles with one slug.
 * Reports on the files and removes the later duplicates from `articles`.
 * Note: entity linking across articles (issue 3) plugs in here.
 */
export function linkArticles(articles: Article[], files: VFile[]): void {
  const byPath = new Map(files.map((file) => [file.path, file]))
  const first = new Map<string, Article>()
  for (let index = 0; index < articles.length; index++) {
    const article = articles[index]!
    const previous = first.get(article.slug)
    if (!previous) {
      first.set(article.slug, article)
      continue
    }
    const file = byPath.get(article.path)!
    const previousFile = byPath.get(previous.path)!
    const cause = note(previousFile, `Slug \`${article.slug}\` is first used here`, slugOffset(previousFile, previous))
    report(file, `Unexpected second article with slug \`${article.slug}\`, expected each slug once: rename the file or set \`slug\``, 'slug-duplicate', {
      offset: slugOffset(file, article),
      cause
    })
    articles.splice(index, 1)
    index--
  }
}

function slugOffset(file: VFile, article: Article): number {
  const source = file.data.frontmatterSource
  if (!source || article.meta.slug === undefined) return 0
  return offsetOf(source, ['slug'], false)
}
