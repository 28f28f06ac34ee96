// The stamps of an output directory's files (path, size, mtime): what the no-op fast path compares with the last build's (`manifest.ts`).
import {lstatSync, readdirSync} from 'node:fs'
import {sep} from 'node:path'

/**
 * Every file under `out` with its size and mtime, in code-point order of
 * the paths; throws where `out` cannot be read. Note: a folder at a time,
 * each path made once, joined by hand: Node's recursive `readdirSync` took
 * 0.78–0.89 s for the 37,561 files in 13,770 folders of 10,000 bench
 * articles, this 0.57–0.60 s (cold processes, ad hoc); on a worker thread
 * (`stampOutputsApart`), it is what a no-op waits for last.
 */
export function stampOutputs(out: string): Array<[string, number, number]> {
  const stamps: Array<[string, number, number]> = []
  const visit = (folder: string, relative: string) => {
    for (const entry of readdirSync(folder, {withFileTypes: true})) {
      const path = `${folder}${sep}${entry.name}`
      if (entry.isDirectory()) visit(path, `${relative}${entry.name}${sep}`)
      else if (entry.isFile()) {
        const info = lstatSync(path)
        stamps.push([`${relative}${entry.name}`, info.size, info.mtimeMs])
      }
    }
  }
  visit(out, '')
  return stamps.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
}
