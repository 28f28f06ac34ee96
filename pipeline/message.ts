// Report helpers: every problem is a vfile message with a place and a permanent ruleId.
import {relative} from 'node:path'
import type {VFile} from 'vfile'
import {location} from 'vfile-location'
import {VFileMessage} from 'vfile-message'
import {batches} from './batches.js'

/** Prefix of the `source` field of every newsgraph message. */
export const messageSource = 'newsgraph'

/** Options for `report`. */
export interface ReportOptions {
  /** Offset in the file, or a start/end pair of offsets. */
  offset?: number | [number, number]
  /** Severity: errors (`true`) make the build fail, warnings (`false`) do only under `--strict`, infos (`null`) never. */
  fatal?: boolean | null
  /** Another message that explains this one ("first defined here"). */
  cause?: VFileMessage
}

/** Add a message at an offset of `file` (or at the start of the file). */
export function report(file: VFile, reason: string, ruleId: string, options: ReportOptions = {}): VFileMessage {
  const place = toPlace(file, options.offset)
  const message = file.message(oneLine(reason), {
    ruleId,
    source: messageSource,
    ...(place ? {place} : {}),
    ...(options.cause ? {cause: options.cause} : {})
  })
  message.fatal = options.fatal === undefined ? true : options.fatal === null ? undefined : options.fatal
  return message
}

/** A reason on one line, without control characters: they are shown as `\uXXXX` (a source may hold any). */
export function oneLine(reason: string): string {
  return reason.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** Make a note (a message not added to the file), to use as the `cause` of another. */
export function note(file: VFile, reason: string, offset?: number | [number, number]): VFileMessage {
  const message = new VFileMessage(oneLine(reason), {place: toPlace(file, offset), source: messageSource})
  message.file = file.path
  return message
}

/** Turn offsets into a vfile place (point or position). */
export function toPlace(file: VFile, offset: number | [number, number] | undefined) {
  if (offset === undefined) return {line: 1, column: 1}
  const loc = location(file)
  if (typeof offset === 'number') return loc.toPoint(offset) ?? {line: 1, column: 1}
  const start = loc.toPoint(offset[0])
  const end = loc.toPoint(offset[1])
  if (!start) return {line: 1, column: 1}
  return end ? {start, end} : start
}

/** Whether any message of `file` is an error. */
export function hasErrors(file: VFile): boolean {
  return file.messages.some((message) => message.fatal === true)
}

/** Lines of a report written at once (`writeReport`). */
export const reportBatch = 1000

/**
 * Write the messages of `files` (but infos when `quiet`), one formatted line
 * each (`formatMessage`), to `write`, a batch of lines at a time, each once
 * the last is written (`write` may return a promise of that): an
 * archive's report is hundreds of thousands of lines (137,000 entity
 * suggestions at 10,000 bench articles), which made whole, then joined, took
 * 170 MB more than the messages themselves.
 */
export async function writeReport(files: VFile[], write: (text: string) => void | Promise<void>, options: {quiet?: boolean; cwd?: string} = {}): Promise<void> {
  function* lines(): Generator<string> {
    for (const file of files) {
      for (const message of file.messages) if (!options.quiet || message.fatal === true || message.fatal === false) yield `${formatMessage(message, options.cwd)}\n`
    }
  }
  for (const batch of batches(lines(), reportBatch, () => 1)) await write(batch)
}

/** Format a message like a compiler: `path:line:col: severity: reason  ruleId`, paths relative to `cwd`. */
export function formatMessage(message: VFileMessage, cwd?: string): string {
  const severity = message.fatal === true ? 'error' : message.fatal === false ? 'warning' : 'info'
  let text = `${where(message, cwd)}: ${severity}: ${message.reason}  ${message.ruleId ?? 'unknown'}`
  const cause = message.cause
  if (cause instanceof VFileMessage) text += `\n  ${where(cause, cwd, message.file)}: note: ${cause.reason}`
  return text
}

function where(message: VFileMessage, cwd: string | undefined, fallback?: string): string {
  let path = message.file || fallback || '<input>'
  if (cwd) path = relative(cwd, path) || '.'
  return `${path}:${message.line ?? 1}:${message.column ?? 1}`
}
