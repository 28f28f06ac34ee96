// The names of what a build keeps beside its output directory (its staging directory, the last version swapped out, and that version once a process removing it has taken it), and beside a file it writes whole then renames (cache entries, manifests, kept values, imported drafts).
import {randomBytes} from 'node:crypto'
import {basename, dirname, join} from 'node:path'

/**
 * What a directory beside `out` is: `tmp`, a build's staging directory;
 * `old`, the last version of `out`, swapped out; `gone`, that version taken
 * by a process that removes it (`removeDetached`), never put back.
 */
export type BesideKind = 'tmp' | 'old' | 'gone'

/** A directory beside `out`, read from its name: its kind, the process it belongs to, and the tag of the build that made it. */
export interface Beside {
  kind: BesideKind
  pid: number
  tag: string
}

const besidePattern = /^(tmp|old|gone)-(\d+)-([0-9a-f]+)$/

/** A tag for one build's names beside `out`: random, so that two builds of one process do not meet. */
export function besideTag(): string {
  return randomBytes(4).toString('hex')
}

/** The path of a `kind` of directory (or file) beside `target`, of process `pid`: `.<name>-<kind>-<pid>-<tag>`. */
export function besidePath(target: string, kind: BesideKind, pid: number, tag: string): string {
  return join(dirname(target), `.${basename(target)}-${kind}-${pid}-${tag}`)
}

/** What the entry `name` of the folder holding `target` is beside it, if it is one of those names. */
export function readBeside(target: string, name: string): Beside | undefined {
  const prefix = `.${basename(target)}-`
  if (!name.startsWith(prefix)) return undefined
  const match = besidePattern.exec(name.slice(prefix.length))
  return match ? {kind: match[1] as BesideKind, pid: Number(match[2]), tag: match[3]!} : undefined
}

/**
 * The path of the last version of an output directory (`.<out>-old-…`, at
 * `path`) once process `pid` has taken it to remove it: `.<out>-gone-<pid>-<tag>`.
 * Throws on any other path.
 */
export function takenPath(path: string, pid: number): string {
  const name = basename(path)
  // Note: the name of `out` itself may hold dashes; the last three parts of the name are read.
  const match = /^\.(.*)-old-\d+-([0-9a-f]+)$/.exec(name)
  if (!match) throw new Error(`Not the last build's outputs: \`${path}\``)
  return besidePath(join(dirname(path), match[1]!), 'gone', pid, match[2]!)
}
