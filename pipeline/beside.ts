// The names of what a build keeps beside its output directory (its staging directory, the last version swapped out, and that version once a process removing it has taken it), and beside a file it writes whole then renames (cache entries, manifests, kept values, imported drafts).
import {randomBytes} from 'node:crypto'
import {mkdirSync, renameSync, rmSync} from 'node:fs'
import {mkdir, rename, rm} from 'node:fs/promises'
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

/** `.<name>-<kind>-<pid>-<tag>`; the name of the target may hold dashes, so the last three parts are read. */
const besidePattern = /^\.(.*)-(tmp|old|gone)-(\d+)-([0-9a-f]+)$/

/** The name of the target of the name `name` beside it, and what it is, if it is one of those names. */
function parseBeside(name: string): (Beside & {target: string}) | undefined {
  const match = besidePattern.exec(name)
  return match ? {target: match[1]!, kind: match[2] as BesideKind, pid: Number(match[3]), tag: match[4]!} : undefined
}

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
  const parsed = parseBeside(name)
  if (parsed?.target !== basename(target)) return undefined
  const {kind, pid, tag} = parsed
  return {kind, pid, tag}
}

/** The lock of `target` (`.<name>.lock` beside it), held by a build while it swaps its outputs in. */
export function lockPath(target: string): string {
  return join(dirname(target), `.${basename(target)}.lock`)
}

/** Whether the entry `name` of the folder holding `target` is one a build keeps beside it (`readBeside`, or its lock). */
export function isBeside(target: string, name: string): boolean {
  return readBeside(target, name) !== undefined || name === basename(lockPath(target))
}

/**
 * The path of the last version of an output directory (`.<out>-old-…`, at
 * `path`) once process `pid` has taken it to remove it: `.<out>-gone-<pid>-<tag>`.
 * Throws on any other path.
 */
export function takenPath(path: string, pid: number): string {
  const parsed = parseBeside(basename(path))
  if (parsed?.kind !== 'old') throw new Error(`Not the last build's outputs: \`${path}\``)
  return besidePath(join(dirname(path), parsed.target), 'gone', pid, parsed.tag)
}

/**
 * Write the file `path` whole (`write`, given where to write it) beside it
 * (`besidePath`, `tmp`), then rename it over `path`: a reader (another
 * build, another process) never sees half of it. What was written beside
 * is removed when anything fails, and the failure thrown.
 */
export async function replaceFile(path: string, write: (staging: string) => Promise<unknown>): Promise<void> {
  const staging = besidePath(path, 'tmp', process.pid, besideTag())
  try {
    await mkdir(dirname(path), {recursive: true})
    await write(staging)
    await rename(staging, path)
  } catch (error) {
    await rm(staging, {force: true}).catch(() => undefined)
    throw error
  }
}

/** `replaceFile`, synchronously. */
export function replaceFileSync(path: string, write: (staging: string) => void): void {
  const staging = besidePath(path, 'tmp', process.pid, besideTag())
  try {
    mkdirSync(dirname(path), {recursive: true})
    write(staging)
    renameSync(staging, path)
  } catch (error) {
    rmSync(staging, {force: true})
    throw error
  }
}
