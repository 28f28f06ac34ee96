// The report kept beside the last build's manifest: the lines a build told without `--quiet` printed, printed again as they are by the no-op after it.
import {open, rename, rm, type FileHandle} from 'node:fs/promises'
import type {VFile} from 'vfile'
import {besidePath, besideTag} from './beside.js'
import {manifestPath, removeLeftovers} from './manifest.js'
import {writeReport} from './message.js'
import {readExactly, writeAll} from './write.js'

/** Version of the kept report's format. */
const keptReportFormat = 1

/** The first line of a kept report: of which manifest (its file's identity, `fileIdentity`) and for which working directory (the paths are relative to it) its lines are. */
interface KeptReportHead {
  format: typeof keptReportFormat
  manifest: string
  cwd: string
}

/** A kept report found to be that of a manifest and working directory, open: its lines are the bytes from `start` to `end`. */
export interface KeptReport {
  handle: FileHandle
  start: number
  end: number
}

/** How much of a kept report is read to find its first line (a longer one is not one). */
const headLimit = 64 << 10

/** How much of a kept report is read, then printed, at a time. */
const printChunk = 1 << 20

/** Where the report of the last build into `out` is kept: beside its manifest. */
export function keptReportPath(cacheDir: string, out: string): string {
  return manifestPath(cacheDir, out).replace(/\.json$/, '.report')
}

/**
 * The report kept beside the manifest of the last build into `out`, open,
 * when it is that of the manifest whose file is `manifest` (its identity)
 * and of the working directory `cwd`; else (none, another, damaged)
 * `undefined`.
 */
export async function openKeptReport(cacheDir: string, out: string, manifest: string, cwd: string): Promise<KeptReport | undefined> {
  let handle: FileHandle
  try {
    handle = await open(keptReportPath(cacheDir, out), 'r')
  } catch {
    return undefined
  }
  try {
    const {size} = await handle.stat()
    const head = await readExactly(handle, Math.min(size, headLimit), 0)
    const newline = head.indexOf(0x0a)
    const value = newline === -1 ? undefined : (JSON.parse(head.subarray(0, newline).toString('utf8')) as Partial<KeptReportHead> | null)
    if (value?.format === keptReportFormat && value.manifest === manifest && value.cwd === cwd) return {handle, start: newline + 1, end: size}
  } catch {
    // Note: damaged: as none.
  }
  await handle.close().catch(() => undefined)
  return undefined
}

/** Print the lines of `report` with `write`, a chunk at a time, each once the last is written; then close it. */
export async function printKeptReport(report: KeptReport, write: (bytes: Uint8Array) => void | Promise<void>): Promise<void> {
  try {
    for (let position = report.start; position < report.end; position += printChunk) await write(await readExactly(report.handle, Math.min(printChunk, report.end - position), position))
  } finally {
    await report.handle.close().catch(() => undefined)
  }
}

/** Close `report` unprinted. */
export async function closeKeptReport(report: KeptReport | undefined): Promise<void> {
  await report?.handle.close().catch(() => undefined)
}

/**
 * Print the report of `files` (`writeReport`, infos included, paths relative
 * to `cwd`) with `write`, and keep it beside the manifest of the build into
 * `out` whose file is `manifest`, for the no-op after it. Best effort: a
 * report that cannot be kept (the disk full) is printed all the same.
 */
export async function printAndKeepReport(cacheDir: string, out: string, manifest: string, cwd: string, files: VFile[], write: (text: string) => void | Promise<void>): Promise<void> {
  const path = keptReportPath(cacheDir, out)
  const staging = besidePath(path, 'tmp', process.pid, besideTag())
  const head: KeptReportHead = {format: keptReportFormat, manifest, cwd}
  const opened = await removeLeftovers(path)
    .then(() => open(staging, 'w'))
    .catch(() => undefined)
  /** The file the report is kept in while it is printed; none once it could not be written (then it is not kept). */
  let file = opened
  /** Keep `text`: a failure stops the keeping, not the printing. */
  const keep = async (text: string) => {
    if (file) await writeAll(file, [Buffer.from(text)]).catch(() => void (file = undefined))
  }
  let kept = false
  try {
    await keep(`${JSON.stringify(head)}\n`)
    await writeReport(
      files,
      async (text) => {
        await keep(text)
        await write(text)
      },
      {cwd}
    )
    kept = file !== undefined
  } finally {
    // Note: put in place only whole (printed and written to the end, then closed); else, or when printing failed, removed.
    if (opened) kept = await opened.close().then(() => kept, () => false)
    if (!kept || !(await rename(staging, path).then(() => true, () => false))) await rm(staging, {force: true}).catch(() => undefined)
  }
}
