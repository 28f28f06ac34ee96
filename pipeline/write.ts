// Write stage: every output staged beside the output directory, then swapped in at once (the reused files are linked on a thread of their own, hard-links.ts).
import {constants} from 'node:fs'
import {copyFile, mkdir, open, readFile, readdir, rename, rm, stat, truncate, writeFile, type FileHandle} from 'node:fs/promises'
import {dirname, isAbsolute, join, relative, resolve} from 'node:path'
import {besidePath, besideTag, lockPath, readBeside, replaceFile} from './beside.js'
import {textBytes, type Text} from './chunks.js'
import {openLinker, type LinkPair} from './hard-links.js'
import {isWithin} from './paths.js'
import {removeDetached, removeTree} from './remove.js'

/** Outputs being written beside the output directory, until `commit` swaps them in (or `discard` drops them). */
export interface Staging {
  /** The staging directory, for whole files written by another thread (`writeStagedFile`). */
  dir: string
  /**
   * Write a whole file, or with `append` add to the one being written (a
   * file that grows with the corpus); `written` is called once `contents`
   * are written (not when the write fails or is discarded): bytes can then
   * be used again.
   */
  write(path: string, contents: string | Uint8Array, append?: boolean, written?: () => void): Promise<void>
  /**
   * Append to `path` the `length` bytes of the file at `from` (an output of
   * the last build that grows with the corpus) that begin at `start`: copied
   * from file to file when the batch is written, never held here; ranges
   * that follow each other in `from` are copied as one.
   */
  appendRange(path: string, from: string, start: number, length: number): Promise<void>
  /** Write what was appended to `path` and is still gathered: the file is complete (a page written in pieces), not to be held until the commit. */
  end(path: string): Promise<void>
  /**
   * Stage the file at `from` (an output of the last build) as `path`: a hard
   * link, else a copy, made with others a batch at a time on a thread of
   * their own (`openLinker`). A path reused is not written too.
   */
  reuse(path: string, from: string): Promise<void>
  /**
   * Stage the first `length` bytes of the file at `from` (an output of the
   * last build that grows with the corpus) as `path`, copied in the kernel;
   * what is appended to `path` then follows them.
   */
  copyHead(path: string, from: string, length: number): Promise<void>
  /**
   * Swap the staged outputs in place of `out`, atomically, under the lock;
   * `swapped` runs after the swap, still under the lock. `reusedFrom` is the
   * identity of `out` (`directoryIdentity`) that staged files were reused
   * from: when another build has swapped its outputs in since (not when
   * `out` is gone), the commit fails with `OutReplacedError`, before any
   * swap; so does one whose links or copies failed because of that.
   */
  commit(swapped?: () => Promise<void>, reusedFrom?: string): Promise<void>
  /** Remove what is staged and not committed; safe to call after `commit`. */
  discard(): Promise<void>
}

/** How much a staging directory has in flight at most: writes, and bytes (an archive's entity pages and feeds are up to megabytes each). */
export interface StagingLimits {
  inFlight: number
  bytesInFlight: number
}

export const stagingLimits: StagingLimits = {inFlight: 64, bytesInFlight: 8 << 20}

/** How the last build's outputs are removed once swapped out: by this process, which waits (`'wait'`), or by one of their own that outlives it (`'detach'`, `removeDetached`). */
export type Removal = 'wait' | 'detach'

/** A byte range of a file of the last build, appended to a staged file as it is (`Staging.appendRange`). */
interface ByteRange {
  from: string
  /** The file, opened when its first range was given. */
  source: Promise<FileHandle>
  start: number
  length: number
}

/** How much of a byte range is copied at once (`Staging.appendRange`). */
const copyChunk = 4 << 20

/** How many files reused from the last build are linked at once (`Staging.reuse`). */
const linkBatchSize = 4096

/**
 * Stage the outputs of a build file by file as they are produced, so none
 * needs to be held whole, to replace `out` whole: everything is written to a
 * sibling temporary directory first, which then takes the place of `out` by
 * two renames (`commit`), under a lock file so that concurrent builds swap
 * one at a time. Nothing reaches `out` before `commit`: a build that fails,
 * or is killed, before the swap leaves `out` as it was; one killed between
 * the two renames leaves the old version beside it, which the next build
 * (`recoverOutputs`) puts back. The old version is removed as `removal` says.
 */
export async function openStaging(out: string, limits: StagingLimits = stagingLimits, removal: Removal = 'wait'): Promise<Staging> {
  const target = resolve(out)
  const tag = besideTag()
  const staging = besidePath(target, 'tmp', process.pid, tag)
  const previous = besidePath(target, 'old', process.pid, tag)
  await mkdir(staging, {recursive: true})
  const folders = new Map<string, Promise<unknown>>([[staging, Promise.resolve()]])
  // Note: writes are not awaited one by one, so that the next output is rendered while the kernel writes this one;
  // writes to one file stay in order (appends), and at most `inFlight` run at once, holding at most `bytesInFlight`
  // (an archive's entity pages and feeds are up to megabytes each: 64 of them were held at once, in the heap and as buffers).
  const {inFlight, bytesInFlight} = limits
  let held = 0
  const pending = new Set<Promise<void>>()
  /** Puts waiting for one of the `inFlight` writes to finish (a race over every pending write would leave a reaction on each, per put). */
  const waiting: Array<() => void> = []
  const full = () => pending.size >= inFlight || (held > bytesInFlight && pending.size > 1)
  const lastWrite = new Map<string, Promise<void>>()
  // Note: appends are gathered per file and written a batch at a time (a CSV grows by a few rows per article).
  // Note: `size` counts the bytes held (ranges are read when written, a chunk at a time).
  const appends = new Map<string, {parts: Array<Uint8Array | ByteRange>; size: number; written: Array<() => void>}>()
  const batchSize = 1 << 20
  // Note: bytes given with `written` are memory lent by another thread (an emit worker's slab, one per article, held until each of
  // its pieces is written): a file that grows by a few bytes per article (`articles.csv`) would hold thousands of articles' slabs
  // until its batch reaches `batchSize`.
  const lentBatch = 32
  let failure: unknown
  // Note: the files reused from the last build are linked a batch at a time, on a thread of their own.
  const linker = openLinker()
  let links: LinkPair[] = []
  const flushLinks = () => {
    if (links.length === 0) return
    const batch = links
    links = []
    const task: Promise<void> = linker
      .link(batch)
      .catch((error: unknown) => {
        failure ??= error
      })
      .finally(() => {
        pending.delete(task)
        while (waiting.length > 0 && !full()) waiting.shift()!()
      })
    pending.add(task)
  }
  const flush = async (path: string) => {
    const batch = appends.get(path)
    if (!batch) return
    appends.delete(path)
    // Note: written as the parts they are (a writev of the bytes between two ranges), not copied into one buffer first: a
    // build of 10,000 articles appends 1.5 GB. A range holds a buffer of its length while it is copied, at most `copyChunk`.
    const copied = batch.parts.reduce((most, part) => (part instanceof Uint8Array ? most : Math.max(most, Math.min(part.length, copyChunk))), 0)
    await put(path, batch.size + copied, async (file) => {
      await appendParts(file, batch.parts)
      for (const written of batch.written) written()
    })
  }
  const gathered = (path: string) => {
    if (failure !== undefined) throw failure
    let batch = appends.get(path)
    if (!batch) {
      batch = {parts: [], size: 0, written: []}
      appends.set(path, batch)
    }
    return batch
  }
  // Note: each file ranges are copied from is opened when its first range is given, and read through that handle: a build
  // that swaps its own outputs in meanwhile (under the lock) moves the file, which the handle still reads.
  const sources = new Map<string, Promise<FileHandle>>()
  const closeSources = async () => {
    await Promise.all([...sources.values()].map((source) => source.then((handle) => handle.close()).catch(() => undefined)))
    sources.clear()
  }
  const settle = async () => {
    for (const path of [...appends.keys()]) await flush(path)
    flushLinks()
    await Promise.all(pending)
    await linker.close()
    await closeSources()
    if (failure !== undefined) throw failure
  }
  /** Run `write` on the staged file of `path` once its folder exists and the writes to it before are done; `size` counts towards `bytesInFlight`. */
  const put = async (path: string, size: number, write: (file: string) => Promise<void>) => {
    const file = resolveInside(staging, path)
    const made = folderMade(folders, dirname(file))
    const previous = lastWrite.get(file)
    held += size
    const task: Promise<void> = Promise.all([made, previous])
      .then(() => write(file))
      .catch((error: unknown) => {
        failure ??= error
      })
      .finally(() => {
        pending.delete(task)
        held -= size
        if (lastWrite.get(file) === task) lastWrite.delete(file)
        // Note: every put that can go on now, not one per write finished: a put's own write is pending while it waits, so
        // with puts from several callers at once (articles read ahead, site files) more could wait than writes were left to finish.
        while (waiting.length > 0 && !full()) waiting.shift()!()
      })
    pending.add(task)
    lastWrite.set(file, task)
    // Note: one write at least is always in flight, however large.
    while (full()) await new Promise<void>((resolve) => waiting.push(resolve))
  }
  /** Stage a whole file: it replaces what was appended to `path` before. */
  const whole = async (path: string, size: number, write: (file: string) => Promise<void>) => {
    if (failure !== undefined) throw failure
    appends.delete(path)
    return put(path, size, write)
  }
  return {
    dir: staging,
    async write(path, contents, append = false, written) {
      // Note: as bytes, so that the text is garbage at once, not held (and promoted) while the write waits and runs, or until its batch is.
      const bytes = typeof contents === 'string' ? Buffer.from(contents, 'utf8') : contents
      if (!append) {
        return whole(path, bytes.byteLength, async (file) => {
          await writeFile(file, bytes)
          written?.()
        })
      }
      const batch = gathered(path)
      batch.parts.push(bytes)
      batch.size += bytes.length
      if (written) batch.written.push(written)
      if (batch.size >= batchSize || batch.written.length >= lentBatch) await flush(path)
    },
    async appendRange(path, from, start, length) {
      const {parts} = gathered(path)
      const opening = !sources.has(from)
      if (opening) sources.set(from, open(from, 'r'))
      const source = sources.get(from)!
      // Note: in its place at once, before any wait, as `write` puts its bytes: what is appended meanwhile goes after it.
      const last = parts.at(-1)
      if (last !== undefined && !(last instanceof Uint8Array) && last.source === source && last.start + last.length === start) last.length += length
      else parts.push({from, source, start, length})
      // Note: opened before this returns; a file that cannot be opened fails the copy of its first range, where the failure is kept.
      if (opening) await source.catch(() => undefined)
    },
    async end(path) {
      if (failure !== undefined) throw failure
      await flush(path)
    },
    async reuse(path, from) {
      // Note: the old output directory is removed after the swap; the link keeps the file. Nothing writes into a file in place.
      if (failure !== undefined) throw failure
      links.push([resolveInside(staging, path), from])
      if (links.length >= linkBatchSize) flushLinks()
    },
    async copyHead(path, from, length) {
      // Note: a copy of its own (a clone where the file system can), cut to the head, then appended to.
      return whole(path, 0, (file) => copyHeadOf(from, file, length))
    },
    async commit(swapped, reusedFrom) {
      /** Whether `out` is now another directory than the one files were reused from (not when it is gone: nothing else is there). */
      const replaced = async () => {
        if (reusedFrom === undefined) return false
        const now = await directoryIdentity(target)
        return now !== undefined && now !== reusedFrom
      }
      try {
        await settle()
      } catch (error) {
        // Note: a link or copy that failed because another build swapped its outputs in meanwhile is reported as that.
        if (await replaced()) throw new OutReplacedError(out)
        throw error
      }
      await withLock(lockPath(target), async () => {
        await recoverOutputs(out)
        if (await replaced()) throw new OutReplacedError(out)
        const hadPrevious = await rename(target, previous).then(
          () => true,
          (error: NodeJS.ErrnoException) => {
            if (error.code === 'ENOENT') return false
            throw error
          }
        )
        await rename(staging, target)
        // Note: the last build's files are removed on a thread of their own while `swapped` runs (the manifest stamps the new ones and is written),
        // or by a process of their own that goes on after this one ends.
        const removed = hadPrevious ? (removal === 'detach' ? removeDetached(previous) : removeTree(previous)) : undefined
        // Note: handled at once, so that a removal failing while `swapped` runs is not an unhandled rejection (it is awaited, and thrown, below).
        removed?.catch(() => undefined)
        try {
          await swapped?.()
        } finally {
          await removed
        }
      })
    },
    async discard() {
      appends.clear()
      links = []
      await Promise.all(pending)
      await linker.close()
      await closeSources()
      await rm(staging, {recursive: true, force: true})
    }
  }
}

/** The identity of a directory (its device and inode), which a swap of another in its place changes; `undefined` when there is none. */
export async function directoryIdentity(dir: string): Promise<string | undefined> {
  try {
    const {dev, ino} = await stat(dir, {bigint: true})
    return `${dev}:${ino}`
  } catch {
    return undefined
  }
}

/** A commit refused: the output directory that staged files were reused from was replaced by another build's. */
export class OutReplacedError extends Error {
  constructor(out: string) {
    super(`Another build swapped its outputs into \`${out}\` while this one reused the last build's files from there; nothing is written: build again`)
    this.name = 'OutReplacedError'
  }
}

/** Copy the first `length` bytes of `from` to `file`; throws when `from` is shorter (truncating would pad the copy with zeros). */
async function copyHeadOf(from: string, file: string, length: number): Promise<void> {
  await copyFile(from, file, constants.COPYFILE_FICLONE)
  const {size} = await stat(file)
  if (size < length) throw new Error(`Cannot copy ${length} bytes of \`${from}\`: it has ${size}; the last build's output changed`)
  await truncate(file, length)
}

/** Append `parts` to `file`, in order: the bytes between two ranges in one write, each range copied from its file. */
async function appendParts(file: string, parts: Array<Uint8Array | ByteRange>): Promise<void> {
  const handle = await open(file, 'a')
  try {
    let bytes: Uint8Array[] = []
    for (const part of parts) {
      if (part instanceof Uint8Array) {
        bytes.push(part)
        continue
      }
      await writeAll(handle, bytes)
      bytes = []
      await copyRange(part, handle)
    }
    await writeAll(handle, bytes)
  } finally {
    await handle.close()
  }
}

/** Append the bytes of `range` to `to`, a chunk at a time; throws when its file ends before the range does. */
async function copyRange({from, source, start, length}: ByteRange, to: FileHandle): Promise<void> {
  const handle = await source
  const buffer = Buffer.allocUnsafe(Math.min(length, copyChunk))
  for (let done = 0; done < length; ) {
    const {bytesRead} = await handle.read(buffer, 0, Math.min(buffer.length, length - done), start + done)
    if (bytesRead === 0) throw new Error(`Cannot copy ${length} bytes of \`${from}\` from ${start}: it ends at ${start + done}; the last build's output changed`)
    await writeAll(to, [buffer.subarray(0, bytesRead)])
    done += bytesRead
  }
}

/** `length` bytes of the file of `handle` from `position`; throws when it ends before. */
export async function readExactly(handle: Pick<FileHandle, 'read'>, length: number, position: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length)
  for (let done = 0; done < length; ) {
    const {bytesRead} = await handle.read(buffer, done, length - done, position + done)
    if (bytesRead === 0) throw new Error(`Unexpected end of the file at byte ${position + done}, expected ${length} bytes from byte ${position}`)
    done += bytesRead
  }
  return buffer
}

/**
 * Write every byte of `parts` with `handle`, in order: a `writev` that
 * writes only some of them (the disk full, a file size limit) resolves
 * without an error, which the next one, for the rest, then raises.
 */
export async function writeAll(handle: Pick<FileHandle, 'writev'>, parts: Uint8Array[]): Promise<void> {
  let rest = parts.filter((part) => part.byteLength > 0)
  while (rest.length > 0) {
    let {bytesWritten} = await handle.writev(rest)
    if (bytesWritten === 0) throw new Error('Cannot write: no bytes were written')
    let index = 0
    while (index < rest.length && bytesWritten >= rest[index]!.byteLength) bytesWritten -= rest[index++]!.byteLength
    rest = rest.slice(index)
    if (bytesWritten > 0) rest[0] = rest[0]!.subarray(bytesWritten)
  }
}

/**
 * Write a whole file into a staging directory (`Staging.dir`) from any
 * thread: the folders it needs are made first, each once for all the writes
 * that share `folders` (an emit worker's: an article's page and snippet
 * share one folder, every article's JSON-LD another).
 */
export async function writeStagedFile(dir: string, path: string, contents: Text, folders: Map<string, Promise<unknown>>): Promise<void> {
  const file = resolveInside(dir, path)
  await folderMade(folders, dirname(file))
  await writeFile(file, textBytes(contents))
}

/** `folder` made (with its parents), once for all the writes that share `folders`: the making begun first, or begun now. */
function folderMade(folders: Map<string, Promise<unknown>>, folder: string): Promise<unknown> {
  let made = folders.get(folder)
  if (made === undefined) {
    made = mkdir(folder, {recursive: true})
    folders.set(folder, made)
  }
  return made
}

/**
 * Repair what a build killed mid-swap left: when `out` is missing and an old
 * version waits beside it, put it back; remove the temporary directories of
 * builds that are no longer running, and the outputs that a process
 * removing them (`removeDetached`) left when it ended (never put back).
 */
export async function recoverOutputs(out: string): Promise<void> {
  const target = resolve(out)
  const parent = dirname(target)
  let entries: string[]
  try {
    entries = await readdir(parent)
  } catch {
    return
  }
  const leftovers = entries.flatMap((name) => {
    const beside = readBeside(target, name)
    return beside ? [{name, ...beside}] : []
  })
  const exists = await stat(target).then(
    () => true,
    () => false
  )
  for (const {name, kind, pid} of leftovers.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (alive(pid)) continue
    const path = join(parent, name)
    if (kind === 'old' && !exists) await rename(path, target)
    else await rm(path, {recursive: true, force: true})
  }
}

/** Run `task` holding a lock file; a lock left by a dead process is taken over. */
async function withLock(lock: string, task: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + 120_000
  for (;;) {
    try {
      await writeFile(lock, String(process.pid), {flag: 'wx'})
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const holder = Number(await readFile(lock, 'utf8').catch(() => ''))
      if (!alive(holder)) await rm(lock, {force: true})
      else if (Date.now() > deadline) throw new Error(`Timed out waiting for the lock ${lock} held by process ${holder}`)
      else await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
  try {
    await task()
  } finally {
    await rm(lock, {force: true})
  }
}

/** Whether a process runs (a pid of 0 or NaN does not). */
export function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
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
    if (isWithin(target, dir)) return `it contains ${name}`
  }
  if (dirname(target) === target) return 'it is the file system root'
  return undefined
}

/** Write one text file, through a temporary file renamed into place (used by `newsgraph import`). */
export async function writeText(path: string, contents: string): Promise<void> {
  await replaceFile(resolve(path), (staging) => writeFile(staging, contents, 'utf8'))
}
