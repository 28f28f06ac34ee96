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

/** The UTF-8 bytes of a text in memory of their own, to be moved to another thread: a small Buffer is cut from Node's shared pool, which cannot be moved. */
export function movableBytes(text: Text): Uint8Array {
  const bytes = textBytes(text)
  return bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.byteLength ? bytes : new Uint8Array(bytes)
}

/** `pieces` gathered into the chunks of a text (`batches` of at most `chunkLength` characters; a longer piece is a chunk of its own). */
export function chunksOf(pieces: Iterable<string>): string[] {
  return [...batches(pieces, chunkLength)]
}
