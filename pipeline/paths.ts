// Where newsgraph's own files are, whether it runs from pipeline/ (tests) or out/pipeline/ (CLI).
import {existsSync} from 'node:fs'
import {dirname, isAbsolute, join, relative, sep} from 'node:path'
import {fileURLToPath} from 'node:url'

/** The directory holding newsgraph's package.json. */
export const packageRoot = findRoot(dirname(fileURLToPath(import.meta.url)))

/** Path of a file shipped with newsgraph, relative to its package root. */
export function packagePath(...parts: string[]): string {
  return join(packageRoot, ...parts)
}

/** Whether `path` is the directory `dir` or inside it (both absolute). */
export function isWithin(dir: string, path: string): boolean {
  const rel = relative(dir, path)
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel))
}

function findRoot(dir: string): string {
  let current = dir
  while (!existsSync(join(current, 'package.json'))) {
    const parent = dirname(current)
    if (parent === current) throw new Error(`Cannot find newsgraph's package.json above ${dir}`)
    current = parent
  }
  return current
}
