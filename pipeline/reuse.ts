// Reuse on a rebuild: an article whose outputs have the same key as in the last build into the same, intact `out` gets them from there, not rendered again.
import {open, type FileHandle} from 'node:fs/promises'
import {join} from 'node:path'
import type {Piece} from './emit-pool.js'
import {textBytes, type Text} from './chunks.js'
import type {TablePath} from './emit/index.js'
import type {Staging} from './write.js'

/**
 * Where an article's outputs are in a build's `out`: its key
 * (`outputKeyMaker`), its own files, and the byte range and row count of
 * what it appended to each file of the site (graph nodes, CSV rows).
 */
export interface ArticleOutputs {
  key: string
  files: string[]
  appends: Array<{path: string; start: number; length: number; table?: TablePath; count: number}>
}

/** Reads the last build's files (each opened once): the heads of those that grow with the corpus, to compare them. */
export interface OutputReader {
  /** The `length` bytes of a file of the last build from `start`; throws when it ends before. */
  read(path: string, start: number, length: number): Promise<Uint8Array>
  /** The size of a file of the last build. */
  size(path: string): Promise<number>
  close(): Promise<void>
}

/** A reader of the files of `out` (the last build's). */
export function openReader(out: string): OutputReader {
  const files = new Map<string, Promise<FileHandle>>()
  const opened = (path: string) => {
    let file = files.get(path)
    if (!file) {
      file = open(join(out, path), 'r')
      files.set(path, file)
    }
    return file
  }
  return {
    async read(path, start, length) {
      const buffer = Buffer.allocUnsafe(length)
      const {bytesRead} = await (await opened(path)).read(buffer, 0, length, start)
      if (bytesRead < length) throw new Error(`Cannot read back ${length} bytes of \`${path}\` at ${start}: the last build's output changed`)
      return buffer
    },
    async size(path) {
      return (await (await opened(path)).stat()).size
    },
    async close() {
      // Note: a file that could not be opened has nothing to close.
      await Promise.all([...files.values()].map((handle) => handle.then((opened) => opened.close(), () => undefined).catch(() => undefined)))
      files.clear()
    }
  }
}

/**
 * Put an article's outputs of the last build into `staging`: its own files
 * linked from `out` (copied where links are not possible), and the pieces it
 * appended as their byte ranges in the files of `out`, to be copied from
 * there in order (`Staging.appendRange`); but those in the head of a file
 * `copied` from the last build, which are in place already.
 */
export async function reuseArticle(staging: Staging, out: string, outputs: ArticleOutputs, copied: (path: string) => boolean = () => false): Promise<Piece[]> {
  for (const path of outputs.files) await staging.reuse(path, join(out, path))
  // Note: checked when they were written; the same bytes now.
  return outputs.appends.map(({path, start, length, table, count}) =>
    copied(path) ? {path, copied: length, append: true, table, count, problems: []} : {path, range: {start, length}, append: true, table, count, problems: []}
  )
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
export async function sameHeads(heads: Array<{path: string; text: Text}>, previous: Array<ArticleOutputs | undefined>, reader: OutputReader): Promise<Map<string, SameHead>> {
  const same = new Map<string, SameHead>()
  for (const {path, text} of heads) {
    const bytes = textBytes(text)
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
