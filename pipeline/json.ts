// JSON the pipeline writes for itself to read back (cache entries, shard records, the manifest): ASCII only.
import {chunksOf} from './chunks.js'

/** Runs of UTF-16 code units beyond ASCII: each unit (each half of a surrogate pair) is escaped on its own, as JSON allows. */
const beyondAscii = /[\u0080-\uffff]+/g

/**
 * `JSON.stringify(value)` with every character beyond ASCII escaped
 * (`\u2019`): `JSON.parse` gives the same value back. Note: a text of
 * UTF-8 bytes with one character beyond ASCII (a curly apostrophe) is
 * decoded into a string of two bytes per character, which `JSON.parse`
 * reads more slowly; ASCII bytes are decoded into one byte per character.
 * Read back, a summary of a bench article took 0.20 ms instead of 0.27, a
 * record 0.63 ms instead of 1.06 (Node 20).
 * Note: the runs are found with `exec` and the text joined here: `replace`
 * with a function took 0.9 ms for the 32 such characters of a bench
 * article's record (74 KB), the loop 0.1 ms (Node 20).
 */
export function asciiJson(value: unknown): string {
  const json = JSON.stringify(value)
  beyondAscii.lastIndex = 0
  let run = beyondAscii.exec(json)
  if (run === null) return json
  let ascii = ''
  let end = 0
  while (run !== null) {
    ascii += json.slice(end, run.index)
    const units = run[0]
    for (let index = 0; index < units.length; index++) ascii += `\\u${units.charCodeAt(index).toString(16).padStart(4, '0')}`
    end = run.index + units.length
    run = beyondAscii.exec(json)
  }
  return ascii + json.slice(end)
}

/**
 * `asciiJson(value)` in chunks (`Text`): the first `depth` levels of objects
 * and arrays are written here, what is below them by `asciiJson`, a part at
 * a time. Note: `JSON.stringify` of a whole record (75 KB at a bench
 * article, with a character beyond Latin-1) is a string of two bytes per
 * character, and so is what is joined from its slices: one string of its
 * own memory, beyond V8's heap (see `Text`), for each article.
 */
export function asciiJsonChunks(value: unknown, depth = 3): string[] {
  return chunksOf(jsonPieces(value, depth))
}

/** The pieces of `asciiJsonChunks`: what the first `depth` levels write themselves, and each value below them whole. */
function* jsonPieces(value: unknown, depth: number): Generator<string> {
  if (depth === 0 || value === null || typeof value !== 'object' || !plain(value)) {
    yield asciiJson(value) ?? 'null'
    return
  }
  if (Array.isArray(value)) {
    yield '['
    for (let index = 0; index < value.length; index++) {
      if (index > 0) yield ','
      // Note: as `JSON.stringify` writes them in an array, `undefined`, functions and symbols are `null`.
      yield* jsonPieces(value[index], depth - 1)
    }
    yield ']'
    return
  }
  yield '{'
  let first = true
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key]
    // Note: as `JSON.stringify` leaves them out of an object.
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue
    yield `${first ? '' : ','}${asciiJson(key)}:`
    first = false
    yield* jsonPieces(item, depth - 1)
  }
  yield '}'
}

/** Whether `JSON.stringify` writes a value as its own enumerable properties or items: an array, or an object of no class of its own and no `toJSON`. */
function plain(value: object): boolean {
  if (typeof (value as {toJSON?: unknown}).toJSON === 'function') return false
  if (Array.isArray(value)) return true
  const prototype = Object.getPrototypeOf(value) as unknown
  return prototype === Object.prototype || prototype === null
}
