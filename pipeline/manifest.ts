// The no-op fast path: a manifest of the last successful build's inputs and outputs, to skip a build that would change nothing.
import {createHash} from 'node:crypto'
import {existsSync, readFileSync, statSync, type Stats} from 'node:fs'
import {mkdir, open, readdir, rename, rm, type FileHandle} from 'node:fs/promises'
import {dirname, join, resolve} from 'node:path'
import {messageCount, type MessageData, type MessagesData} from './record.js'
import type {ArticleOutputs} from './reuse.js'
import {batches} from './batches.js'
import {besidePath, besideTag, readBeside} from './beside.js'
import {alive, readExactly, writeAll} from './write.js'
import {asciiJson} from './json.js'
import {stampOutputs} from './stamps.js'
import {answerApart} from './workers.js'

/** Version of the manifest format. */
const manifestFormat = 5

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

/** What a no-op build checks: the manifest but its messages and where the last build's outputs are. */
export type ManifestCheck = Omit<Manifest, 'files' | 'articleOutputs' | 'entityOutputs'>

/** Where the outputs of each article and entity of the last build are: what a build that goes on reuses. */
export type ManifestReuse = Pick<Manifest, 'articleOutputs' | 'entityOutputs'>

/** A file with its messages as a manifest gives them back; a file whose messages are all infos, when they were not asked for, as their number. */
export type RecordedFile = Manifest['files'][number] | {path: string; infos: number}

/** SHA-256 of a file's bytes. */
export function hashBytes(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** Where the manifest of the last build into `out` is kept. */
export function manifestPath(cacheDir: string, out: string): string {
  return join(cacheDir, 'builds', `${createHash('sha256').update(resolve(out)).digest('hex')}.json`)
}

/** Whether a manifest of a build into `out` is kept (it may still be corrupt, or of other inputs). */
export function hasManifest(cacheDir: string, out: string): boolean {
  return existsSync(manifestPath(cacheDir, out))
}

/** What `read` makes of the file of the manifest of the last build into `out` (`undefined` when there is none), closed after. */
async function fromManifestFile<T>(cacheDir: string, out: string, read: (handle: FileHandle) => Promise<T | undefined>): Promise<T | undefined> {
  let handle: FileHandle
  try {
    handle = await open(manifestPath(cacheDir, out), 'r')
  } catch {
    return undefined
  }
  try {
    return await read(handle)
  } finally {
    await handle.close().catch(() => undefined)
  }
}

/** The manifest of the last successful build into `out`, if any (a corrupt one counts as none): all of it, read from one file. */
export async function readManifest(cacheDir: string, out: string): Promise<Manifest | undefined> {
  return fromManifestFile(cacheDir, out, async (handle) => {
    const found = await handle.stat().then((info) => readRest(handle, info, cacheDir, out)).catch(() => undefined)
    if (!found) return undefined
    const files = await readFiles(handle, found.lines, true)
    const reuse = await readReuse(handle, found.lines)
    return files && reuse ? {...found.manifest, ...reuse, files: files as Manifest['files']} : undefined
  })
}

/** How much of a manifest's file is read at once, from its end, to find where its last line starts. */
const tailChunk = 4 << 20

/**
 * What a no-op checks of the manifest of the file of `handle` (`info`, its
 * stat), and where its other lines start: its last line, read from the end;
 * throws when it is not one of this format. Note: the file is four lines
 * (`manifestJson`), this one last: at 10,000 bench articles, 6.4 of its 50
 * MB, which a no-op reads alone but for the files with messages (with
 * `--quiet`, those of a file of infos alone are counted: `readFiles`).
 */
async function readRest(handle: FileHandle, info: Stats, cacheDir: string, out: string): Promise<KeptManifest> {
  const parts: Buffer[] = []
  let restStart = -1
  for (let position = info.size; position > 0 && restStart === -1; ) {
    const length = Math.min(tailChunk, position)
    position -= length
    const chunk = await readExactly(handle, length, position)
    // Note: JSON escapes every line break, so the last one ends the line before.
    const at = chunk.lastIndexOf(0x0a)
    if (at !== -1) restStart = position + at + 1
    parts.unshift(at === -1 ? chunk : chunk.subarray(at + 1))
  }
  if (restStart === -1) throw new Error('Unexpected manifest of one line')
  // Note: ASCII (`asciiJson`), so decoded byte for byte: as UTF-8, the 50 MB of 10,000 bench articles took 0.26 s to decode instead of 0.18.
  const {lines, ...manifest} = JSON.parse(Buffer.concat(parts).toString('latin1')) as ManifestCheck & {lines?: {files?: unknown; reuse?: unknown}}
  const files = lines?.files
  const reuse = lines?.reuse
  const valid = manifest.format === manifestFormat && Array.isArray(manifest.articles) && Array.isArray(manifest.outputs) && Number.isSafeInteger(files) && Number.isSafeInteger(reuse) && (files as number) > 0 && (files as number) < (reuse as number) && (reuse as number) < restStart
  if (!valid) throw new Error('Unexpected manifest of another format')
  return {cache: cacheDir, out, identity: fileIdentity(info), lines: {files: files as number, reuse: reuse as number, rest: restStart}, manifest}
}

/**
 * The files with messages of a manifest (`lines`, where its lines start),
 * read through `handle`: with `infos`, each with its messages; else a file
 * whose messages are all infos as their number, the line of their messages
 * not read (at 10,000 bench articles, 33 of the manifest's 50 MB, all
 * suggestions, which `--quiet` counts: a third of a no-op). `undefined`
 * when they are damaged.
 */
async function readFiles(handle: FileHandle, lines: KeptManifest['lines'], infos: boolean): Promise<RecordedFile[] | undefined> {
  try {
    const files = JSON.parse((await readExactly(handle, lines.reuse - 1 - lines.files, lines.files)).toString('latin1')) as unknown
    if (!Array.isArray(files)) return undefined
    if (!infos) return files as RecordedFile[]
    const messages = JSON.parse((await readExactly(handle, lines.files - 1, 0)).toString('latin1')) as unknown
    if (!Array.isArray(messages)) return undefined
    let next = 0
    const whole = (files as RecordedFile[]).map((file) => ('infos' in file ? (messages[next++] as RecordedFile | undefined) : file))
    return next === messages.length && whole.every((file) => file !== undefined) ? (whole as RecordedFile[]) : undefined
  } catch {
    return undefined
  }
}

/** Where the outputs of the articles and entities of a manifest are (`lines`, where its lines start), read through `handle`; `undefined` when damaged. */
async function readReuse(handle: FileHandle, lines: KeptManifest['lines']): Promise<ManifestReuse | undefined> {
  try {
    const reuse = JSON.parse((await readExactly(handle, lines.rest - 1 - lines.reuse, lines.reuse)).toString('latin1')) as Partial<ManifestReuse> | null
    const valid = typeof reuse?.articleOutputs === 'object' && reuse.articleOutputs !== null && typeof reuse.entityOutputs === 'object' && reuse.entityOutputs !== null
    return valid ? (reuse as ManifestReuse) : undefined
  } catch {
    return undefined
  }
}

/** Which file a manifest is, as written: its device, inode, size and mtime (a manifest saved since, by any build, is another file). */
function fileIdentity({dev, ino, size, mtimeMs}: {dev: number; ino: number; size: number; mtimeMs: number}): string {
  return `${dev}:${ino}:${size}:${mtimeMs}`
}

/**
 * What a no-op checks of a manifest, as a build saved or read it into `out`
 * with the cache at `cache`: which file it was (`fileIdentity`), where its
 * lines start, and, once read, where the last build's outputs are.
 */
export interface KeptManifest {
  cache: string
  out: string
  identity: string
  /** Where its lines start (`manifestJson`): the files with messages, where the outputs are, the rest; the infos' messages start the file. */
  lines: {files: number; reuse: number; rest: number}
  manifest: ManifestCheck
  /** Where the outputs of the last build are, once read (a no-op does not read them). */
  reuse?: ManifestReuse
}

/**
 * The manifest of the last successful build into `out`: `kept` (what a
 * long-lived process kept of the last one, `BuildMemory.manifest`) while its
 * file is still the one it was, else read from the file (`readRest`); with
 * its files with messages (`files`: with `infos`, each with its messages,
 * else a file of infos alone as their number; `infos` may ask, once the rest
 * is read, whether to read them) when `withFiles`, given the
 * rest, asks for them (a no-op build, which reports them); else, or when
 * they are damaged, with where the last build's outputs are (`reuse`, for a
 * build that goes on); read from that same file, whatever another build
 * saves meanwhile. Note: read and parsed whole, the manifest of 10,000 bench
 * articles (50 MB of JSON, 33 of them suggestions) took a `--watch` rebuild
 * about 0.7 s, and as much again in garbage collection.
 */
export async function lastManifest(
  cacheDir: string,
  out: string,
  kept: KeptManifest | undefined,
  withFiles: (manifest: ManifestCheck) => boolean,
  infos: boolean | ((found: KeptManifest) => Promise<boolean>) = true
): Promise<{kept: KeptManifest; files?: RecordedFile[]} | undefined> {
  return fromManifestFile(cacheDir, out, async (handle) => {
    const info = await handle.stat().catch(() => undefined)
    if (!info) return undefined
    const same = kept !== undefined && kept.cache === cacheDir && kept.out === out && fileIdentity(info) === kept.identity
    const found = same ? kept : await readRest(handle, info, cacheDir, out).catch(() => undefined)
    if (!found) return undefined
    // Note: the caller's question is asked outside a catch: a failure there is its own, not a corrupt manifest.
    if (withFiles(found.manifest)) {
      const files = await readFiles(handle, found.lines, typeof infos === 'boolean' ? infos : await infos(found))
      if (files) return {kept: found, files}
    }
    if (found.reuse) return {kept: found}
    const reuse = await readReuse(handle, found.lines)
    return {kept: reuse ? {...found, reuse} : found}
  })
}

/** A manifest to save: its files and their messages may be given one at a time, as they are serialized. */
export type ManifestToSave = Omit<Manifest, 'format' | 'files'> & {files: Iterable<{path: string; messages: MessagesData}>}

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
  const lines = {files: 0, reuse: 0, rest: 0}
  const {files, articleOutputs, entityOutputs, ...check} = manifest
  const begun = (async () => {
    await mkdir(dirname(path), {recursive: true})
    await removeLeftovers(path)
    opened = await open(staging, 'w')
    for (const batch of batches(manifestHead(manifest, lines), manifestBatch)) await writeAll(opened, [Buffer.from(batch, 'latin1')])
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
        return {cache: cacheDir, out, identity, lines, manifest: {format: manifestFormat, ...check, outputs}, reuse: {articleOutputs, entityOutputs}}
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
export async function removeLeftovers(path: string): Promise<void> {
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
 * messages is one), on four lines, each read on its own (`lastManifest`):
 * 1. the files whose messages are all infos, with their messages (an array);
 * 2. every file with messages, in order, those of the first line as the
 *    number of their infos (`{"path", "infos"}`), the others with theirs;
 * 3. where the outputs of each article and entity are (an object);
 * 4. the rest, which a no-op checks (an object), with where the second and
 *    third lines start (`lines`), its outputs last.
 */
export function* manifestJson(manifest: ManifestToSave): Generator<string> {
  const {outputs, ...head} = manifest
  yield* manifestHead(head, {files: 0, reuse: 0, rest: 0})
  yield manifestTail(outputs)
}

/** The JSON of a manifest (`manifestJson`) up to its outputs; `lines` is given where the lines after the first start, as they are made. */
function* manifestHead(manifest: Omit<ManifestToSave, 'outputs'>, lines: KeptManifest['lines']): Generator<string> {
  const {files, articleOutputs, entityOutputs, ...check} = manifest
  /**
   * The entries of the second line: the JSON of each file with messages, or the number of the infos of one of the first line. Note:
   * held until the first line is written; a file with other messages than infos is rare (one at 10,000 bench articles).
   */
  const listed: string[] = []
  // Note: ASCII, so a piece's length is its number of bytes.
  let length = 0
  const counted = (piece: string) => {
    length += piece.length
    return piece
  }
  yield counted('[')
  for (const {path, messages} of files) {
    // Note: infos kept as their JSON are that JSON here, as `asciiJson` of the parsed ones would be.
    const json = Array.isArray(messages) ? asciiJson({path, messages}) : `{"path":${asciiJson(path)},"messages":${messages.json}}`
    const count = messageCount(messages)
    const infos = count > 0 && (!Array.isArray(messages) || messages.every((message) => message.fatal === null))
    if (infos) yield counted(`${length === 1 ? '' : ','}${json}`)
    listed.push(infos ? asciiJson({path, infos: count}) : json)
  }
  yield counted(']\n')
  lines.files = length
  yield counted('[')
  for (const [index, entry] of listed.entries()) yield counted(`${index === 0 ? '' : ','}${entry}`)
  yield counted(']\n')
  lines.reuse = length
  yield counted(`${asciiJson({articleOutputs, entityOutputs})}\n`)
  lines.rest = length
  const members = asciiJson(check).slice(1, -1)
  yield `{"format":${manifestFormat}${members === '' ? '' : `,${members}`},"lines":${asciiJson({files: lines.files, reuse: lines.reuse})},"outputs":`
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

/**
 * The stamps of the files of `out` (`stampOutputs`), made on a worker
 * thread (here, where a worker cannot start); `undefined` where `out`
 * cannot be read (gone, not a directory). Note: apart, so that this thread
 * hashes the inputs, lists the sources and reads the manifest meanwhile: at
 * 10,000 bench articles, the stamps of 37,561 files in 13,770 folders came
 * last, once this thread had done the rest of a no-op.
 */
export function stampOutputsApart(out: string): Promise<Manifest['outputs'] | undefined> {
  const here = async () => {
    try {
      return stampOutputs(out)
    } catch {
      return undefined
    }
  }
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
