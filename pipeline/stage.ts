// The per-article stage as a pure function of its inputs: source text in, serialized result out (in-process or in a worker).
import {VFile} from 'vfile'
import {textBytes} from './chunks.js'
import type {Knowledge} from './knowledge/index.js'
import {report} from './message.js'
import {processArticle, type ArticleProcessor} from './process.js'
import {serializeResult, toResult, type ArticleResult} from './record.js'
import type {Article} from './types.js'

/** Process one article's text into its serialized result, as bytes; never throws: a defect becomes an `internal-error` message on the article. */
export async function processSource(path: string, value: string, processor: ArticleProcessor, knowledge: Knowledge): Promise<Uint8Array> {
  return textBytes(serializeResult(await stageResult(path, value, processor, knowledge)))
}

/** Process one article's text into its result (what `processSource` serializes). */
export async function stageResult(path: string, value: string, processor: ArticleProcessor, knowledge: Knowledge): Promise<ArticleResult> {
  const file = new VFile({path, value})
  let article: Article | undefined
  try {
    article = await processArticle(file, processor, knowledge)
  } catch (error) {
    // Note: a defect must not crash the build or hide the other articles' messages.
    report(file, `Internal error while reading this article: ${(error as Error).message}; please report it`, 'internal-error')
    article = undefined
  }
  return toResult(file, article)
}
