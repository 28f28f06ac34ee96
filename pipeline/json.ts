// JSON the pipeline writes for itself to read back (cache entries, shard records, the manifest): ASCII only.

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
