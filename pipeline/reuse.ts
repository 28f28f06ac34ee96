// Reuse on a rebuild: an article whose outputs have the same key as in the last build into the same, intact `out` gets them from there, not rendered again.
import {open} from 'node:fs/promises'
import {join} from 'node:path'
import type {TablePath} from './emit/index.js'
import type {Staging} from './write.js'

/**
 * Where an article's outputs are in a build's `out`: its key
 * (`articleOutputKey`), its own files, and the byte range and row count of
 * what it appended to each file of the site (graph nodes, CSV rows).
 */
export interface ArticleOutputs {
  key: string
  files: string[]
  appends: Array<{path: string; start: number; length: number; table?: TablePath; count: number}>
}

/** An appended piece of output read back from the last build, as the writer takes it. */
export interface ReusedPiece {
  path: string
  text: string
  append: true
  table?: TablePath
  count: number
}

/**
 * Put an article's outputs of the last build into `staging`: its own files
 * linked from `out` (copied where links are not possible), the pieces it
 * appended read back from the files of `out`, to be appended again in order.
 */
export async function reuseArticle(staging: Staging, out: string, outputs: ArticleOutputs): Promise<ReusedPiece[]> {
  for (const path of outputs.files) await staging.reuse(path, join(out, path))
  const pieces: ReusedPiece[] = []
  for (const {path, start, length, table, count} of outputs.appends) {
    const handle = await open(join(out, path), 'r')
    try {
      const buffer = Buffer.alloc(length)
      const {bytesRead} = await handle.read(buffer, 0, length, start)
      if (bytesRead !== length) throw new Error(`Cannot read back ${length} bytes of \`${path}\` at ${start}: the last build's output changed`)
      pieces.push({path, text: buffer.toString('utf8'), append: true, table, count})
    } finally {
      await handle.close()
    }
  }
  return pieces
}
