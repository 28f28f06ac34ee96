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

/** How much of a file the reader reads at once: the pieces of consecutive articles follow each other, and are served from it. */
const windowSize = 1 << 20

/**
 * A reader of the files of `out` (the last build's). Byte ranges are read a
 * window at a time (a megabyte, or the range if larger): the pieces of the
 * articles reused one after another are consecutive in each file, so most
 * are a slice of the window already read, not a read of their own.
 */
export function openReader(out: string): OutputReader {
  // Note: the window being read is noted at once, so that the reads started meanwhile (the next articles', read ahead) wait for it instead of reading their own.
  const files = new Map<string, {handle: Promise<FileHandle>; start: number; end: number; window: Promise<Buffer>}>()
  return {
    async read(path, start, length) {
      let file = files.get(path)
      if (!file) {
        file = {handle: open(join(out, path), 'r'), start: 0, end: 0, window: Promise.resolve(Buffer.alloc(0))}
        files.set(path, file)
      }
      if (start < file.start || start + length > file.end) {
        const size = Math.max(length, windowSize)
        const {handle} = file
        file.start = start
        file.end = start + size
        file.window = (async () => {
          const buffer = Buffer.allocUnsafe(size)
          const {bytesRead} = await (await handle).read(buffer, 0, size, start)
          return buffer.subarray(0, bytesRead)
        })()
      }
      const from = file.start
      const window = await file.window
      if (start + length > from + window.length) throw new Error(`Cannot read back ${length} bytes of \`${path}\` at ${start}: the last build's output changed`)
      return window.subarray(start - from, start - from + length)
    },
    async close() {
      await Promise.all([...files.values()].map(async ({handle}) => (await handle).close().catch(() => undefined)))
      files.clear()
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
