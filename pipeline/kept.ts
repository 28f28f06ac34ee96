// Values a build keeps in the cache for the next (what it made of its knowledge), in V8's serialization: written beside and renamed, never half read.
import {readFileSync, writeFileSync} from 'node:fs'
import {deserialize, serialize} from 'node:v8'
import {replaceFileSync} from './beside.js'
import {hashParts} from './inputs.js'

/**
 * The key of a value kept (`keepValue`) that `parts` (a format, versions,
 * contents) make: with V8's version, whose serialization it is in (an older
 * V8 cannot read a newer one's; a file that cannot be read is made again).
 */
export function keptKey(parts: string[]): string {
  return hashParts([...parts, `v8 ${process.versions.v8}`])
}

/** The value kept at `file` (`keepValue`); `undefined` when there is none or it cannot be read. */
export function readKept<T>(file: string): T | undefined {
  try {
    return deserialize(readFileSync(file)) as T
  } catch {
    return undefined
  }
}

/**
 * Keep `value` at `file` in V8's serialization (maps, sets, and objects
 * that are items of several: the event lexicon's triggers), written beside
 * it, then renamed over it (another process may read it meanwhile). A value
 * that cannot be serialized, or a failure to write, only loses it.
 */
export function keepValue(file: string, value: unknown): void {
  let bytes: Buffer
  try {
    bytes = serialize(value)
  } catch {
    return
  }
  try {
    replaceFileSync(file, (staging) => writeFileSync(staging, bytes))
  } catch {
    // Note: only the value is lost.
  }
}
