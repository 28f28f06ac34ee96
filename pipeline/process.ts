// The per-article processor: parse → frontmatter → validate → quotations → text.
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import type {VFile} from 'vfile'
import {frontmatter} from './frontmatter.js'
import {slugify} from './ids.js'
import {hasErrors, report} from './message.js'
import {quotations} from './quotations.js'
import {articleText, countWords} from './text.js'
import type {Article} from './types.js'
import {validateFrontmatter} from './validate.js'

/**
 * The unified processor for one article. Each stage reads and writes typed
 * `file.data`; later issues plug entity and event extraction in after `articleText`.
 */
export const articleProcessor = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(remarkFrontmatter, ['yaml'])
  .use(frontmatter)
  .use(validateFrontmatter)
  .use(quotations)
  .use(articleText)
  .freeze()

/** Run the processor on a file; returns the article, or `undefined` when the file has errors. */
export async function processArticle(file: VFile): Promise<Article | undefined> {
  const tree = articleProcessor.parse(file)
  await articleProcessor.run(tree, file)
  const meta = file.data.frontmatter
  const text = file.data.text
  if (!meta || !text || hasErrors(file)) return undefined
  const slug = meta.slug ?? slugFromPath(file)
  if (slug === undefined) return undefined
  return {
    slug,
    path: file.path,
    meta,
    authors: Array.isArray(meta.author) ? meta.author : [meta.author],
    sources: meta.sources ?? [],
    text,
    quotations: file.data.quotations ?? [],
    wordCount: countWords(text.value)
  }
}

function slugFromPath(file: VFile): string | undefined {
  const slug = slugify(file.stem ?? '')
  if (slug === '') {
    report(file, `Unexpected file name \`${file.basename ?? ''}\` without letters or digits, expected a name to make the slug from, or a \`slug\` field`, 'slug-unsafe')
    return undefined
  }
  return slug
}
