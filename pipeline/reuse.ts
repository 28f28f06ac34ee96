// Reuse on a rebuild: an article whose outputs have the same key as in the last build into the same, intact `out` gets them from there, not rendered again.
import {open, type FileHandle} from 'node:fs/promises'
import {join} from 'node:path'
import type {Piece} from './emit-pool.js'
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

/** Reads byte ranges of the last build's files, each file opened once; the bytes are appended as they are, never decoded. */
export interface OutputReader {
  read(path: string, start: number, length: number): Promise<Uint8Array>
  close(): Promise<void>
}

/** A reader of the files of `out` (the last build's). */
export function openReader(out: string): OutputReader {
  const handles = new Map<string, Promise<FileHandle>>()
  return {
    async read(path, start, length) {
      let handle = handles.get(path)
      if (!handle) {
        handle = open(join(out, path), 'r')
        handles.set(path, handle)
      }
      const buffer = Buffer.alloc(length)
      const {bytesRead} = await (await handle).read(buffer, 0, length, start)
      if (bytesRead !== length) throw new Error(`Cannot read back ${length} bytes of \`${path}\` at ${start}: the last build's output changed`)
      return buffer
    },
    async close() {
      await Promise.all([...handles.values()].map(async (handle) => (await handle).close().catch(() => undefined)))
      handles.clear()
    }
  }
}

/**
 * Put an article's outputs of the last build into `staging`: its own files
 * linked from `out` (copied where links are not possible), the pieces it
 * appended read back from the files of `out`, to be appended again in order.
 */
export async function reuseArticle(staging: Staging, out: string, reader: OutputReader, outputs: ArticleOutputs): Promise<Piece[]> {
  for (const path of outputs.files) await staging.reuse(path, join(out, path))
  const pieces: Piece[] = []
  // Note: checked when they were written; the same bytes now.
  for (const {path, start, length, table, count} of outputs.appends) pieces.push({path, text: await reader.read(path, start, length), append: true, table, count, problems: []})
  return pieces
}
