// Write stage: put every output in place at once (the only writer of the file system).
import {randomBytes} from 'node:crypto'
import {mkdir, rename, rm, writeFile} from 'node:fs/promises'
import {basename, dirname, isAbsolute, join, relative, resolve} from 'node:path'

/** Outputs of a build: paths relative to the output directory → contents. */
export type Outputs = Map<string, string>

/**
 * Write `outputs` into `out`, replacing it whole: everything is written to a
 * sibling temporary directory first, which then takes the place of `out`. A
 * build that fails before this point leaves `out` as it was.
 */
export async function writeOutputs(out: string, outputs: Outputs): Promise<void> {
  const target = resolve(out)
  const parent = dirname(target)
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`
  const staging = join(parent, `.${basename(target)}-tmp-${tag}`)
  const previous = join(parent, `.${basename(target)}-old-${tag}`)
  await mkdir(parent, {recursive: true})
  try {
    for (const [path, contents] of [...outputs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const file = resolveInside(staging, path)
      await mkdir(dirname(file), {recursive: true})
      await writeFile(file, contents, 'utf8')
    }
    const hadPrevious = await rename(target, previous).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return false
        throw error
      }
    )
    await rename(staging, target)
    if (hadPrevious) await rm(previous, {recursive: true, force: true})
  } finally {
    await rm(staging, {recursive: true, force: true})
  }
}

/** Resolve `path` inside `root`, refusing anything that would land outside it. */
export function resolveInside(root: string, path: string): string {
  const file = resolve(root, path)
  const rel = relative(root, file)
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) throw new Error(`Refusing to write \`${path}\` outside the output directory`)
  return file
}

/** Why `out` cannot be the output directory (it holds the sources or the working directory), if so. */
export function unsafeOutDir(out: string, source: string, cwd: string): string | undefined {
  const target = resolve(out)
  for (const [name, dir] of [['the source directory', resolve(source)], ['the working directory', resolve(cwd)]] as const) {
    const rel = relative(target, dir)
    if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) return `it contains ${name}`
  }
  if (dirname(target) === target) return 'it is the file system root'
  return undefined
}

/** Write one text file, through a temporary file renamed into place (used by `newsgraph import`). */
export async function writeText(path: string, contents: string): Promise<void> {
  const target = resolve(path)
  const staging = join(dirname(target), `.${basename(target)}-tmp-${process.pid}-${randomBytes(4).toString('hex')}`)
  await mkdir(dirname(target), {recursive: true})
  try {
    await writeFile(staging, contents, 'utf8')
    await rename(staging, target)
  } finally {
    await rm(staging, {force: true})
  }
}
