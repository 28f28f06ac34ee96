// Records kept on disk while a build runs, where no cache holds them: appended to one file beside the output directory, each read back by its byte range.
import {mkdir, open, rm, type FileHandle} from 'node:fs/promises'
import {dirname, resolve} from 'node:path'
import {besidePath, besideTag} from './beside.js'
import {readExactly} from './write.js'

/** Where a record is in a file: `length` bytes from `start`. */
export interface RecordRange {
  file: string
  start: number
  length: number
}

/**
 * The records of one build that no cache holds (`--no-cache`, a cache that
 * cannot be written, a shard): `add` appends one and tells where it is
 * (rejects when it cannot: the caller keeps the record in memory);
 * `remove` deletes the file once the build is done with them.
 */
export interface RecordSpill {
  add(bytes: Uint8Array): Promise<RecordRange>
  remove(): Promise<void>
}

/**
 * A spill for a build into `out`: a file beside it
 * (`.<out>-tmp-<pid>-<tag>`), made on the first record, so that a build
 * killed meanwhile leaves it to the next build's recovery (`recoverOutputs`),
 * like its staging directory. Note: beside `out`, not in the system's
 * temporary directory, which may be memory (tmpfs), where a spill is meant
 * to take none.
 */
export function openSpill(out: string): RecordSpill {
  const file = besidePath(resolve(out), 'tmp', process.pid, besideTag())
  let handle: Promise<FileHandle> | undefined
  /** Bytes given so far: each record's place is taken when it is given, so records written at once do not overlap. */
  let size = 0
  return {
    async add(bytes) {
      // Note: the folder of `out` is made if need be, as the staging directory makes it (`--out parts/1`, `parts` not made yet).
      handle ??= mkdir(dirname(file), {recursive: true}).then(() => open(file, 'wx'))
      const start = size
      size += bytes.byteLength
      const opened = await handle
      let written = 0
      while (written < bytes.byteLength) written += (await opened.write(bytes, written, bytes.byteLength - written, start + written)).bytesWritten
      return {file, start, length: bytes.byteLength}
    },
    async remove() {
      // Note: never throws, as a build must not fail for it: a spill that could not be made (the folder of `out` is a file) is not
      // there to remove, and one that cannot be removed is left to the next build's recovery.
      const opened = await handle?.catch(() => undefined)
      handle = undefined
      if (!opened) return
      await opened.close().catch(() => undefined)
      await rm(file, {force: true}).catch(() => undefined)
    }
  }
}

/** The text of the `length` bytes of `file` from `start`; throws when the file is gone or shorter. */
export async function readRange({file, start, length}: RecordRange): Promise<string> {
  const handle = await open(file, 'r')
  try {
    return (await readExactly(handle, length, start)).toString('utf8')
  } finally {
    await handle.close()
  }
}
