// Files a build keeps in the cache for the next (snapshots of what it made from its inputs): written beside and renamed, never half read.
import {randomBytes} from 'node:crypto'
import {mkdirSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {dirname} from 'node:path'

/** Keep `contents` at `file`: written beside it, then renamed over it (another process may read it meanwhile); a failure only loses it. */
export function keepFile(file: string, contents: string | Uint8Array): void {
  const staging = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`
  try {
    mkdirSync(dirname(file), {recursive: true})
    writeFileSync(staging, contents)
    renameSync(staging, file)
  } catch {
    rmSync(staging, {force: true})
  }
}
