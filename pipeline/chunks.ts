// Texts in chunks: an output as large as an article's page, JSON-LD or record is made and written in pieces, never as one string.

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

/** The length, in characters, past which `Chunks` starts a new chunk: 64 KB of two-byte characters at most, half of V8's limit. */
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

/**
 * Gathers strings into chunks of about `chunkLength` characters: small
 * strings are joined, a string longer than that is a chunk of its own.
 */
export class Chunks {
  readonly #chunks: string[] = []
  #current = ''

  add(value: string): this {
    if (value.length >= chunkLength) {
      this.#flush()
      this.#chunks.push(value)
    } else {
      if (this.#current.length + value.length > chunkLength) this.#flush()
      this.#current += value
    }
    return this
  }

  addAll(values: Iterable<string>): this {
    for (const value of values) this.add(value)
    return this
  }

  /** The chunks gathered, in order (none when all was empty); call it once, when all is added. */
  done(): string[] {
    this.#flush()
    return this.#chunks
  }

  #flush(): void {
    if (this.#current !== '') this.#chunks.push(this.#current)
    this.#current = ''
  }
}
