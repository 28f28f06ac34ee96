// The stamps of an output directory's files (path, size, mtime): what the no-op fast path compares with the last build's (`manifest.ts`).
import {lstatSync} from 'node:fs'
import {walkFiles} from './walk.js'

/**
 * Every file under `out` with its size and mtime, in code-point order of
 * the paths; throws where `out` cannot be read. Note: on a worker thread
 * (`stampOutputsApart`), what a no-op waits for last.
 */
export function stampOutputs(out: string): Array<[string, number, number]> {
  const stamps: Array<[string, number, number]> = []
  walkFiles(out, (path, relative) => {
    const info = lstatSync(path)
    stamps.push([relative, info.size, info.mtimeMs])
  })
  return stamps.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
}
