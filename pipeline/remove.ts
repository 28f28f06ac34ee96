// Removing a directory tree (the last build's outputs after a swap) on a thread of its own.
import {existsSync, readdirSync, rmSync, rmdirSync, unlinkSync} from 'node:fs'
import {rm} from 'node:fs/promises'
import {join} from 'node:path'
import {answerApart} from './workers.js'

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
