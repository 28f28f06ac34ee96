// Removing a directory tree (the last build's outputs after a swap) on a thread of its own, or by a process of its own that outlives the build.
import {spawn, type ChildProcess} from 'node:child_process'
import {existsSync, readdirSync, rmSync, rmdirSync, unlinkSync} from 'node:fs'
import {rm} from 'node:fs/promises'
import {join} from 'node:path'
import {answerApart, workerModule} from './workers.js'

/**
 * Remove `dir` and everything under it, one system call after the other:
 * every file (a symbolic link is removed, not followed), then every folder,
 * the deepest first. Nothing to do when `dir` does not exist. Where that
 * fails (an entry added meanwhile), `rmSync` finishes the job.
 */
export function removeTreeSync(dir: string): void {
  try {
    const folders = [dir]
    for (const entry of readdirSync(dir, {recursive: true, withFileTypes: true})) {
      const path = join(entry.parentPath, entry.name)
      if (entry.isDirectory()) folders.push(path)
      else unlinkSync(path)
    }
    // Note: a folder's path is longer than its parent's, so the longest first empties each before its parent.
    for (const folder of folders.sort((a, b) => b.length - a.length)) rmdirSync(folder)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !existsSync(dir)) return
    rmSync(dir, {recursive: true, force: true})
  }
}

/**
 * Remove `dir` and everything under it (`removeTreeSync`) on a worker
 * thread: its tens of thousands of system calls do not take the threads of
 * libuv's pool from this thread's file operations (the manifest written
 * meanwhile waited behind them), nor this thread's time. Where a worker
 * cannot run, `rm` does it here.
 */
export async function removeTree(dir: string): Promise<void> {
  await answerApart('remove-worker.js', dir, () => rm(dir, {recursive: true, force: true}))
}

/**
 * Hand `dir` (the last build's outputs, swapped out) to a process of its
 * own that removes it after this one has ended (`remove-process.ts`):
 * resolves once that process has taken it (renamed it under its own id,
 * `takenPath` in `beside.ts`), so that this build need not wait for the
 * removal. Where such a process cannot start or take it, `removeTree`
 * removes it here.
 * Note: tens of thousands of files and folders (37,600 and 13,800 at
 * 10,000 bench articles) took 4.6 s to remove, and a rebuild after one
 * change waited 3.3 s of it at its end.
 */
export async function removeDetached(dir: string): Promise<void> {
  let module: string
  try {
    module = workerModule('remove-process.js')
  } catch {
    return removeTree(dir)
  }
  const taken = await new Promise<boolean>((resolve) => {
    let child: ChildProcess
    try {
      child = spawn(process.execPath, [module, dir], {detached: true, stdio: ['ignore', 'ignore', 'ignore', 'ipc']})
    } catch {
      resolve(false)
      return
    }
    // Note: a process that has not taken it in time is stopped: if it took it meanwhile, the next build removes what it left.
    const late = setTimeout(() => {
      child.kill('SIGKILL')
      resolve(false)
    }, takeTimeoutMs)
    const answered = (yes: boolean) => {
      clearTimeout(late)
      resolve(yes)
    }
    child.once('error', () => answered(false))
    child.once('exit', () => answered(false))
    child.once('message', (answer: {taken?: string}) => {
      if (answer.taken === undefined) return answered(false)
      // Note: neither the process nor its channel keeps this one alive: it goes on after this one ends.
      if (child.connected) child.disconnect()
      child.unref()
      answered(true)
    })
  })
  if (!taken) await removeTree(dir)
}

/** How long a process of its own has to take the last build's outputs (`removeDetached`): it starts node and makes one rename. */
const takeTimeoutMs = 30_000
