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
  /** The size of a file of the last build. */
  size(path: string): Promise<number>
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
  const opened = (path: string) => {
    let file = files.get(path)
    if (!file) {
      file = {handle: open(join(out, path), 'r'), start: 0, end: 0, window: Promise.resolve(Buffer.alloc(0))}
      files.set(path, file)
    }
    return file
  }
  return {
    async read(path, start, length) {
      const file = opened(path)
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
    async size(path) {
      return (await (await opened(path).handle).stat()).size
    },
    async close() {
      // Note: a file that could not be opened has nothing to close.
      await Promise.all([...files.values()].map(({handle}) => handle.then((opened) => opened.close(), () => undefined).catch(() => undefined)))
      files.clear()
    }
  }
}

/**
 * Put an article's outputs of the last build into `staging`: its own files
 * linked from `out` (copied where links are not possible), the pieces it
 * appended read back from the files of `out`, to be appended again in order;
 * but those in the head of a file `copied` from the last build, which are
 * in place already.
 */
export async function reuseArticle(staging: Staging, out: string, reader: OutputReader, outputs: ArticleOutputs, copied: (path: string) => boolean = () => false): Promise<Piece[]> {
  for (const path of outputs.files) await staging.reuse(path, join(out, path))
  const pieces: Piece[] = []
  // Note: checked when they were written; the same bytes now.
  for (const {path, start, length, table, count} of outputs.appends) {
    pieces.push(copied(path) ? {path, copied: length, append: true, table, count, problems: []} : {path, text: await reader.read(path, start, length), append: true, table, count, problems: []})
  }
  return pieces
}

/** Where the head of a file that grows with the corpus is the same as in the last build: its bytes, and the last article whose pieces are in it. */
export interface SameHead {
  /** Bytes of the file's own head (before any article's pieces). */
  head: number
  /** Bytes the same as in the last build: the head and the pieces of the articles up to `through`. */
  length: number
  /** Index (in slug order) of the last article whose pieces are in those bytes. */
  through: number
}

/**
 * The heads of the files that grow with the corpus (`graph.jsonld`, the
 * CSVs) that are the same in the last build's `out` (read with `reader`): a
 * file's own head when its bytes are, then the pieces of the articles reused
 * from the start (`previous`, by index in slug order), one after the other,
 * as long as each is where it was; only when that is at least half the file.
 * After a change to the newest article of an archive, it is all of a file
 * but its last rows and its tail.
 */
export async function sameHeads(heads: Array<{path: string; text: string}>, previous: Array<ArticleOutputs | undefined>, reader: OutputReader): Promise<Map<string, SameHead>> {
  const same = new Map<string, SameHead>()
  for (const {path, text} of heads) {
    const bytes = Buffer.from(text, 'utf8')
    let length = bytes.length
    let through = -1
    articles: for (const old of previous) {
      if (!old) break
      let end = length
      for (const append of old.appends) {
        if (append.path !== path) continue
        if (append.start !== end) break articles
        end += append.length
      }
      length = end
      through++
    }
    if (through === -1) continue
    // Note: copied whole where the file system cannot clone it, then cut: worth it when most of it is kept.
    const size = await reader.size(path).catch(() => 0)
    if (length < size / 2) continue
    const before = await reader.read(path, 0, bytes.length).catch(() => undefined)
    if (before && Buffer.compare(before, bytes) === 0) same.set(path, {head: bytes.length, length, through})
  }
  return same
}
