// The no-op fast path: a manifest of the last successful build's inputs and outputs, to skip a build that would change nothing.
import {createHash} from 'node:crypto'
import {existsSync, lstatSync, readFileSync, readdirSync, statSync} from 'node:fs'
import {mkdir, open, rename, rm, stat, type FileHandle} from 'node:fs/promises'
import {dirname, join, relative, resolve, sep} from 'node:path'
import type {MessageData} from './record.js'
import type {ArticleOutputs} from './reuse.js'
import {batches} from './batches.js'
import {besidePath, besideTag} from './beside.js'
import {writeAll} from './write.js'
import {asciiJson} from './json.js'
import {answerApart} from './workers.js'

/** Version of the manifest format. */
const manifestFormat = 3

/** A source file as the manifest records it: size and mtime (checked first), and the hash of its bytes (checked when they differ). */
export interface SourceStamp {
  path: string
  size: number
  mtimeMs: number
  hash: string
}

/** What a successful build read and wrote, and what it reported. */
export interface Manifest {
  format: typeof manifestFormat
  /** Hash of the stage inputs (knowledge, schemas, pipeline version) and the options. */
  key: string
  articles: SourceStamp[]
  /** Every output file: path relative to `out`, size, mtime. */
  outputs: Array<[string, number, number]>
  /** Where each article's outputs are in `out`, by slug, for the next build to reuse. */
  articleOutputs: Record<string, ArticleOutputs>
  /** The key of each entity's files in `out` (`entityPagesKey`), by entity id, for the next build to reuse. */
  entityOutputs: Record<string, string>
  /** The counts and messages of that build, reported again by a no-op build. */
  summary: {articles: number; warnings: number; infos: number}
  files: Array<{path: string; messages: MessageData[]}>
}

/** SHA-256 of a file's bytes. */
export function hashBytes(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex')
}

function manifestPath(cacheDir: string, out: string): string {
  return join(cacheDir, 'builds', `${createHash('sha256').update(resolve(out)).digest('hex')}.json`)
}

/** Whether a manifest of a build into `out` is kept (it may still be corrupt, or of other inputs). */
export function hasManifest(cacheDir: string, out: string): boolean {
  return existsSync(manifestPath(cacheDir, out))
}

/** The manifest of the last successful build into `out`, if any (a corrupt one counts as none). */
export async function readManifest(cacheDir: string, out: string): Promise<Manifest | undefined> {
  return (await readManifestFile(cacheDir, out))?.manifest
}

/** `readManifest`, with the identity of the file it was read from (`fileIdentity`). */
async function readManifestFile(cacheDir: string, out: string): Promise<{manifest: Manifest; identity: string} | undefined> {
  try {
    const handle = await open(manifestPath(cacheDir, out), 'r')
    try {
      const identity = fileIdentity(await handle.stat())
      // Note: ASCII (`asciiJson`), so decoded byte for byte: as UTF-8, the 50 MB of 10,000 bench articles took 0.26 s to decode instead of 0.18.
      const manifest = JSON.parse((await handle.readFile()).toString('latin1')) as Manifest
      const valid = manifest.format === manifestFormat && Array.isArray(manifest.articles) && Array.isArray(manifest.outputs) && Array.isArray(manifest.files) && typeof manifest.articleOutputs === 'object' && manifest.articleOutputs !== null && typeof manifest.entityOutputs === 'object' && manifest.entityOutputs !== null
      return valid ? {manifest, identity} : undefined
    } finally {
      await handle.close()
    }
  } catch {
    return undefined
  }
}

/** Which file a manifest is, as written: its device, inode, size and mtime (a manifest saved since, by any build, is another file). */
function fileIdentity({dev, ino, size, mtimeMs}: {dev: number; ino: number; size: number; mtimeMs: number}): string {
  return `${dev}:${ino}:${size}:${mtimeMs}`
}

/** A manifest but its messages, as a build saved or read it into `out` with the cache at `cache`, and which file it was (`fileIdentity`). */
export interface KeptManifest {
  cache: string
  out: string
  identity: string
  manifest: Omit<Manifest, 'files'>
}

/**
 * The manifest of the last successful build into `out`: `kept` (what a
 * long-lived process kept of the last one, `BuildMemory.manifest`) while its
 * file is still the one it was, else read, with its messages (`files`),
 * which only a no-op build reports (`keptFiles` reads those of one kept).
 * Note: read and parsed, the manifest of 10,000 bench articles (50 MB of
 * JSON, 40 of them messages) took a `--watch` rebuild about 0.7 s, and as
 * much again in garbage collection.
 */
export async function lastManifest(cacheDir: string, out: string, kept?: KeptManifest): Promise<{kept: KeptManifest; files?: Manifest['files']} | undefined> {
  if (kept && kept.cache === cacheDir && kept.out === out && (await stat(manifestPath(cacheDir, out)).then(fileIdentity, () => undefined)) === kept.identity) return {kept}
  const read = await readManifestFile(cacheDir, out)
  if (!read) return undefined
  const {files, ...manifest} = read.manifest
  return {kept: {cache: cacheDir, out, identity: read.identity, manifest}, files}
}

/** The messages of a manifest kept (`lastManifest`), read from its file while it is still the one it was. */
export async function keptFiles(kept: KeptManifest): Promise<Manifest['files'] | undefined> {
  const read = await readManifestFile(kept.cache, kept.out)
  return read?.identity === kept.identity ? read.manifest.files : undefined
}

/** A manifest to save: its files and their messages may be given one at a time, as they are serialized. */
export type ManifestToSave = Omit<Manifest, 'format' | 'files'> & {files: Iterable<Manifest['files'][number]>}

/** How much of the manifest's JSON is gathered before it is written. */
const manifestBatch = 1 << 20

/**
 * A manifest being saved (`draftManifest`): all but the stamps of the
 * outputs is written first, beside where it goes; `finish` writes those,
 * once the outputs are swapped in and stamped, and puts it in place; `drop`
 * removes what was written (nothing was swapped in).
 */
export interface ManifestDraft {
  /** Returns what a long-lived process keeps of it for the next build (`lastManifest`); nothing when it could not be written. */
  finish(outputs: Manifest['outputs']): Promise<KeptManifest | undefined>
  drop(): Promise<void>
}

/**
 * Begin to save the manifest of a successful build into `out`, but for the
 * stamps of its outputs (`finish`): written at once beside the manifest's
 * file, a piece at a time (`manifestJson`; whole, the manifest of 10,000
 * bench articles was a string of 50 MB, and as many bytes again to write).
 * Best effort: a manifest that cannot be written only costs the next no-op
 * build. Note: begun before the swap, so that serializing the messages and
 * where each article's outputs are (40 and 3 of the 50 MB of JSON at 10,000
 * bench articles, about 1 s of this thread) goes on while the staged files
 * settle (copies: about 3 s of waiting after a change to an early
 * article), not after the swap.
 */
export function draftManifest(cacheDir: string, out: string, manifest: Omit<ManifestToSave, 'outputs'>): ManifestDraft {
  const path = manifestPath(cacheDir, out)
  const staging = besidePath(path, 'tmp', process.pid, besideTag())
  let opened: FileHandle | undefined
  const begun = (async () => {
    await mkdir(dirname(path), {recursive: true})
    opened = await open(staging, 'w')
    for (const batch of batches(manifestHead(manifest), manifestBatch)) await writeAll(opened, [Buffer.from(batch, 'latin1')])
    return opened
  })()
  // Note: a failure is met by `finish` or `drop`, whichever comes.
  begun.catch(() => undefined)
  let done = false
  const drop = async () => {
    done = true
    await begun.catch(() => undefined)
    await opened?.close().catch(() => undefined)
    await rm(staging, {force: true}).catch(() => undefined)
  }
  return {
    async finish(outputs) {
      if (done) throw new Error('Unexpected manifest finished twice, or after it was dropped')
      done = true
      try {
        const handle = await begun
        let identity: string
        try {
          await writeAll(handle, [Buffer.from(manifestTail(outputs), 'latin1')])
          identity = fileIdentity(await handle.stat())
        } finally {
          await handle.close()
        }
        await rename(staging, path)
        const {files: _files, ...rest} = manifest
        return {cache: cacheDir, out, identity, manifest: {format: manifestFormat, ...rest, outputs}}
      } catch {
        await drop()
        return undefined
      }
    },
    drop
  }
}

/** The JSON of a manifest (`asciiJson` of it, its files first and its outputs last), in pieces: each file with its messages is one. */
export function* manifestJson(manifest: ManifestToSave): Generator<string> {
  const {outputs, ...rest} = manifest
  yield* manifestHead(rest)
  yield manifestTail(outputs)
}

/** The JSON of a manifest up to its outputs (`manifestJson`), in pieces. */
function* manifestHead(manifest: Omit<ManifestToSave, 'outputs'>): Generator<string> {
  const {files, ...rest} = manifest
  yield `{"format":${manifestFormat},"files":[`
  let first = true
  for (const file of files) {
    yield `${first ? '' : ','}${asciiJson(file)}`
    first = false
  }
  const members = asciiJson(rest).slice(1, -1)
  yield `]${members === '' ? '' : `,${members}`},"outputs":`
}

/** The end of the JSON of a manifest (`manifestHead`): its outputs. */
function manifestTail(outputs: Manifest['outputs']): string {
  return `${asciiJson(outputs)}}`
}

/** Whether `paths` are the sources the manifest recorded, in the same order (whatever their contents: `unchangedSources`). */
export function sameSourceList(manifest: Pick<Manifest, 'articles'>, paths: string[]): boolean {
  return paths.length === manifest.articles.length && paths.every((path, index) => manifest.articles[index]!.path === path)
}

/**
 * The sources at `paths` that are as the manifest recorded them (same size
 * and mtime, or else same bytes), with their stamps as they are now: the
 * others (new ones, or of other bytes) are the articles a build from the
 * same inputs will process, unless the cache holds them.
 */
export function unchangedSources(manifest: Pick<Manifest, 'articles'>, paths: string[]): Map<string, SourceStamp> {
  const recorded = new Map(manifest.articles.map((stamp) => [stamp.path, stamp]))
  const unchanged = new Map<string, SourceStamp>()
  for (const path of paths) {
    const stamp = recorded.get(path)
    const current = stamp && sameSource(stamp, path)
    if (current) unchanged.set(path, current)
  }
  return unchanged
}

/**
 * The stamp of the source at `path` when it is as `recorded` (same size and
 * mtime, or else same bytes), else undefined. Note: a source touched but not
 * changed gets its new mtime, so that the next build does not read and hash
 * it again.
 */
function sameSource(recorded: SourceStamp, path: string): SourceStamp | undefined {
  // Note: synchronous calls: one stat each, for tens of thousands of sources, with nothing to overlap.
  const info = statSync(path, {throwIfNoEntry: false})
  if (!info) return undefined
  if (info.size === recorded.size && info.mtimeMs === recorded.mtimeMs) return recorded
  let bytes: Buffer
  try {
    bytes = readFileSync(path)
  } catch {
    return undefined
  }
  return hashBytes(bytes) === recorded.hash ? {...recorded, size: info.size, mtimeMs: info.mtimeMs} : undefined
}

/** Every file under `out` with its size and mtime, in code-point order of the paths. */
export async function stampOutputs(out: string): Promise<Array<[string, number, number]>> {
  const entries = readdirSync(out, {recursive: true, withFileTypes: true})
  const stamps: Array<[string, number, number]> = []
  for (const entry of entries) {
    if (!entry.isFile()) continue
    // Note: `parentPath` is `out` or below it; slicing is much cheaper than `path.relative` for every file.
    const folder = entry.parentPath === out ? '' : entry.parentPath.startsWith(`${out}${sep}`) ? `${entry.parentPath.slice(out.length + 1)}${sep}` : `${relative(out, entry.parentPath)}${sep}`
    const info = lstatSync(join(entry.parentPath, entry.name))
    stamps.push([`${folder}${entry.name}`, info.size, info.mtimeMs])
  }
  return stamps.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
}

/**
 * The stamps of the files of `out` (`stampOutputs`), made on a worker
 * thread (here, where a worker cannot start); `undefined` where `out`
 * cannot be read (gone, not a directory). Note: apart, so that this thread
 * reads the last build's manifest and the sources meanwhile: at 10,000
 * bench articles, 50,000 files in 13,800 folders took 0.7 s, and reading
 * the manifest 0.6–0.9 s, one after the other in a no-op build.
 */
export function stampOutputsApart(out: string): Promise<Manifest['outputs'] | undefined> {
  const here = () => stampOutputs(out).catch(() => undefined)
  return answerApart<Manifest['outputs'] | undefined>('stamp-worker.js', {out}, here).catch(() => undefined)
}

/** Whether the stamps of the files of an output directory (`stampOutputs`) are those recorded. */
export function sameStamps(current: Manifest['outputs'], recorded: Manifest['outputs']): boolean {
  if (current.length !== recorded.length) return false
  return current.every(([path, size, mtime], index) => {
    const [recordedPath, recordedSize, recordedMtime] = recorded[index]!
    return path === recordedPath && size === recordedSize && mtime === recordedMtime
  })
}
