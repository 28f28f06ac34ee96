// The no-op fast path: a manifest of the last successful build's inputs and outputs, to skip a build that would change nothing.
import {createHash} from 'node:crypto'
import {existsSync, lstatSync, readFileSync, readdirSync, statSync, type Stats} from 'node:fs'
import {mkdir, open, readdir, rename, rm, type FileHandle} from 'node:fs/promises'
import {dirname, join, relative, resolve, sep} from 'node:path'
import type {MessageData} from './record.js'
import type {ArticleOutputs} from './reuse.js'
import {batches} from './batches.js'
import {besidePath, besideTag, readBeside} from './beside.js'
import {alive, writeAll} from './write.js'
import {asciiJson} from './json.js'
import {answerApart} from './workers.js'

/** Version of the manifest format. */
const manifestFormat = 4

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
  const read = await lastManifest(cacheDir, out, undefined, () => true)
  return read?.files ? {...read.kept.manifest, files: read.files} : undefined
}

/** How much of a manifest's file is read at once, from its end, to find where its messages end. */
const tailChunk = 4 << 20

/**
 * The manifest of the file of `handle` (`info`, its stat) but its messages:
 * its last line, read from the end; throws when it is not one of this
 * format. Note: the file is two lines (`manifestJson`), the messages first:
 * at 10,000 bench articles, the rest is the last 17 of its 50 MB, which a
 * build reads and parses alone (0.43–0.64 s instead of 1.14–1.38 s for the
 * whole, ad hoc).
 */
async function readRest(handle: FileHandle, info: Stats, cacheDir: string, out: string): Promise<KeptManifest> {
  const parts: Buffer[] = []
  let filesEnd = -1
  for (let position = info.size; position > 0 && filesEnd === -1; ) {
    const length = Math.min(tailChunk, position)
    position -= length
    const chunk = await readExactly(handle, length, position)
    // Note: JSON escapes every line break, so the last one ends the messages.
    const at = chunk.lastIndexOf(0x0a)
    if (at !== -1) filesEnd = position + at
    parts.unshift(at === -1 ? chunk : chunk.subarray(at + 1))
  }
  if (filesEnd === -1) throw new Error('Unexpected manifest without messages')
  // Note: ASCII (`asciiJson`), so decoded byte for byte: as UTF-8, the 50 MB of 10,000 bench articles took 0.26 s to decode instead of 0.18.
  const manifest = JSON.parse(Buffer.concat(parts).toString('latin1')) as KeptManifest['manifest']
  const valid = manifest.format === manifestFormat && Array.isArray(manifest.articles) && Array.isArray(manifest.outputs) && typeof manifest.articleOutputs === 'object' && manifest.articleOutputs !== null && typeof manifest.entityOutputs === 'object' && manifest.entityOutputs !== null
  if (!valid) throw new Error('Unexpected manifest of another format')
  return {cache: cacheDir, out, identity: fileIdentity(info), filesEnd, manifest}
}

/** The messages of a manifest (its first line, `filesEnd` bytes) read through `handle`; `undefined` when they are damaged. */
async function readFiles(handle: FileHandle, filesEnd: number): Promise<Manifest['files'] | undefined> {
  try {
    const files = JSON.parse((await readExactly(handle, filesEnd, 0)).toString('latin1')) as unknown
    return Array.isArray(files) ? (files as Manifest['files']) : undefined
  } catch {
    return undefined
  }
}

/** `length` bytes of the file of `handle` from `position`; throws when it ends before. */
async function readExactly(handle: FileHandle, length: number, position: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length)
  for (let done = 0; done < length; ) {
    const {bytesRead} = await handle.read(buffer, done, length - done, position + done)
    if (bytesRead === 0) throw new Error('Unexpected end of the manifest')
    done += bytesRead
  }
  return buffer
}

/** Which file a manifest is, as written: its device, inode, size and mtime (a manifest saved since, by any build, is another file). */
function fileIdentity({dev, ino, size, mtimeMs}: {dev: number; ino: number; size: number; mtimeMs: number}): string {
  return `${dev}:${ino}:${size}:${mtimeMs}`
}

/** A manifest but its messages, as a build saved or read it into `out` with the cache at `cache`, which file it was (`fileIdentity`), and where in it its messages end. */
export interface KeptManifest {
  cache: string
  out: string
  identity: string
  /** The offset of the line break after the messages (`manifestJson`). */
  filesEnd: number
  manifest: Omit<Manifest, 'files'>
}

/**
 * The manifest of the last successful build into `out`: `kept` (what a
 * long-lived process kept of the last one, `BuildMemory.manifest`) while its
 * file is still the one it was, else read from the file (`readRest`); with
 * its messages (`files`, undefined when they are damaged) when `withFiles`,
 * given the rest, asks for them (a no-op build, which reports them), read
 * from that same file, whatever another build saves meanwhile. Note: read
 * and parsed whole, the manifest of 10,000 bench articles (50 MB of JSON,
 * 33 of them messages) took a `--watch` rebuild about 0.7 s, and as much
 * again in garbage collection.
 */
export async function lastManifest(cacheDir: string, out: string, kept: KeptManifest | undefined, withFiles: (manifest: KeptManifest['manifest']) => boolean): Promise<{kept: KeptManifest; files?: Manifest['files']} | undefined> {
  let handle: FileHandle
  try {
    handle = await open(manifestPath(cacheDir, out), 'r')
  } catch {
    return undefined
  }
  try {
    const info = await handle.stat().catch(() => undefined)
    if (!info) return undefined
    const same = kept !== undefined && kept.cache === cacheDir && kept.out === out && fileIdentity(info) === kept.identity
    const found = same ? kept : await readRest(handle, info, cacheDir, out).catch(() => undefined)
    if (!found) return undefined
    // Note: the caller's question is asked outside a catch: a failure there is its own, not a corrupt manifest.
    return withFiles(found.manifest) ? {kept: found, files: await readFiles(handle, found.filesEnd)} : {kept: found}
  } finally {
    await handle.close().catch(() => undefined)
  }
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
 * where each article's outputs are (33 and 10 of the 50 MB of JSON at 10,000
 * bench articles, about 1 s of this thread) goes on while the staged files
 * settle (copies: about 3 s of waiting after a change to an early
 * article), not after the swap.
 */
export function draftManifest(cacheDir: string, out: string, manifest: Omit<ManifestToSave, 'outputs'>): ManifestDraft {
  const path = manifestPath(cacheDir, out)
  const staging = besidePath(path, 'tmp', process.pid, besideTag())
  let opened: FileHandle | undefined
  let filesEnd = 0
  const {files, ...rest} = manifest
  const begun = (async () => {
    await mkdir(dirname(path), {recursive: true})
    await removeLeftovers(path)
    opened = await open(staging, 'w')
    for (const batch of batches(filesLine(files), manifestBatch)) {
      const bytes = Buffer.from(batch, 'latin1')
      await writeAll(opened, [bytes])
      filesEnd += bytes.byteLength
    }
    // Note: the line break.
    filesEnd -= 1
    await writeAll(opened, [Buffer.from(restHead(rest), 'latin1')])
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
        return {cache: cacheDir, out, identity, filesEnd, manifest: {format: manifestFormat, ...rest, outputs}}
      } catch {
        await drop()
        return undefined
      }
    },
    drop
  }
}

/**
 * Remove what builds killed while writing the manifest at `path` left
 * beside it (`besidePath`, of a process no longer running): a draft is
 * there while the staged files settle, seconds at 10,000 articles.
 */
async function removeLeftovers(path: string): Promise<void> {
  const folder = dirname(path)
  const names = await readdir(folder).catch(() => [] as string[])
  await Promise.all(
    names.map(async (name) => {
      const beside = readBeside(path, name)
      if (beside?.kind === 'tmp' && !alive(beside.pid)) await rm(join(folder, name), {force: true}).catch(() => undefined)
    })
  )
}

/**
 * The JSON of a manifest (`asciiJson`), in pieces (each file with its
 * messages is one), on two lines: its files (an array), then the rest (an
 * object), its outputs last (`lastManifest` reads the rest alone).
 */
export function* manifestJson(manifest: ManifestToSave): Generator<string> {
  const {files, outputs, ...rest} = manifest
  yield* filesLine(files)
  yield restHead(rest)
  yield manifestTail(outputs)
}

/** The first line of a manifest's JSON (`manifestJson`): its files and their messages, in pieces, and the line break. */
function* filesLine(files: ManifestToSave['files']): Generator<string> {
  yield '['
  let first = true
  for (const file of files) {
    yield `${first ? '' : ','}${asciiJson(file)}`
    first = false
  }
  yield ']\n'
}

/** The second line of a manifest's JSON (`manifestJson`) up to its outputs. */
function restHead(rest: Omit<ManifestToSave, 'files' | 'outputs'>): string {
  const members = asciiJson(rest).slice(1, -1)
  return `{"format":${manifestFormat}${members === '' ? '' : `,${members}`},"outputs":`
}

/** The end of the JSON of a manifest (`restHead`): its outputs. */
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
