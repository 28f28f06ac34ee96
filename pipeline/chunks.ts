// Texts in chunks: an output as large as an article's page, JSON-LD or record is made and written in pieces, never as one string.
import {batches} from './batches.js'

/**
 * The text of an output: whole, or as chunks that joined are the text.
 *
 * Note: V8 puts a string of more than 128 KB (64K characters beyond
 * Latin-1) in memory mapped for it alone, unmapped once it is collected.
 * Where a new page of memory is dear (on the bench machine, 15–36 µs to
 * fault one in: about 1.4 ms for a string of 140 KB), making an article's
 * page or JSON-LD whole, then its bytes, cost more than drawing it. Chunks
 * of up to `chunkLength` characters stay in V8's heap, whose pages it reuses.
 */
export type Text = string | readonly string[]

/** The most characters `chunksOf` joins into a chunk: 64 KB of two-byte characters, half of V8's limit. */
export const chunkLength = 32_768

/** The text whole. */
export function joinText(text: Text): string {
  return typeof text === 'string' ? text : text.join('')
}

/** The UTF-8 bytes of a text, each chunk encoded on its own. */
export function textBytes(text: Text): Buffer {
  if (typeof text === 'string') return Buffer.from(text, 'utf8')
  return text.length === 1 ? Buffer.from(text[0]!, 'utf8') : Buffer.concat(text.map((chunk) => Buffer.from(chunk, 'utf8')))
}

/** `pieces` gathered into the chunks of a text (`batches` of at most `chunkLength` characters; a longer piece is a chunk of its own). */
export function chunksOf(pieces: Iterable<string>): string[] {
  return [...batches(pieces, chunkLength)]
}

/** The least a slab of a `BytePool` holds: an article's rows and graph nodes are about 150 KB. */
const slabBytes = 256 << 10

/** The largest slab a `BytePool` keeps once given back: a larger one (an article of hundreds of thousands of words) is let go. */
const largestKept = 4 << 20

/**
 * Memory shared with the main thread (slabs of `SharedArrayBuffer`) that a
 * worker encodes texts into, for the main thread to write them from there;
 * it gives each slab back once those bytes are written (`give`), to be
 * encoded into again.
 *
 * Note: a buffer moved to another thread is memory outside that thread's
 * heap, let go when the thread collects its garbage. The main thread, which
 * writes the bytes the emit workers give it and allocates little else,
 * collected its whole heap (the archive's summaries, hundreds of megabytes)
 * every 1.3 s while they rendered 10,000 articles; moved back to the worker
 * once written, the buffers still counted (its memory outside the heap grew
 * by 25 MB/s between collections). A slab is shared, not moved: both threads
 * see the worker's memory (the main thread's whole-heap collections fell from
 * 63 in a merge to 19 in a whole build).
 */
export class BytePool {
  private readonly slabs: Array<SharedArrayBuffer | undefined> = []
  private readonly free: number[] = []

  /** The UTF-8 bytes of each text, as views of one slab: a free one large enough, else a new one; `slab` is its number, for `give`. */
  encode(texts: readonly Text[]): {slab: number; bytes: Uint8Array[]} {
    const pieces = texts.map((text) => (typeof text === 'string' ? [text] : text))
    const size = pieces.reduce((total, chunks) => chunks.reduce((sum, chunk) => sum + Buffer.byteLength(chunk, 'utf8'), total), 0)
    const slab = this.take(size)
    const memory = this.slabs[slab]!
    const whole = Buffer.from(memory)
    let offset = 0
    const bytes = pieces.map((chunks) => {
      const start = offset
      for (const chunk of chunks) offset += whole.write(chunk, offset, 'utf8')
      return new Uint8Array(memory, start, offset - start)
    })
    return {slab, bytes}
  }

  /** Slab `slab`, whose bytes were written: encoded into again by a later `encode` (a very large one is let go). */
  give(slab: number): void {
    const memory = this.slabs[slab]
    if (memory === undefined || this.free.includes(slab)) return
    if (memory.byteLength > largestKept) this.slabs[slab] = undefined
    else this.free.push(slab)
  }

  private take(size: number): number {
    // Note: the smallest free slab that holds `size`, so that a large one stays for a large article.
    const fits = this.free.filter((slab) => this.slabs[slab]!.byteLength >= size)
    if (fits.length > 0) {
      const smallest = fits.reduce((best, slab) => (this.slabs[slab]!.byteLength < this.slabs[best]!.byteLength ? slab : best))
      this.free.splice(this.free.indexOf(smallest), 1)
      return smallest
    }
    const memory = new SharedArrayBuffer(Math.max(slabBytes, Math.ceil(size / slabBytes) * slabBytes))
    const empty = this.slabs.indexOf(undefined)
    if (empty >= 0) {
      this.slabs[empty] = memory
      return empty
    }
    this.slabs.push(memory)
    return this.slabs.length - 1
  }
}
