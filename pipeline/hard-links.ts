// The last build's files staged again as hard links, a batch at a time, on a thread of their own.
import {copyFileSync, linkSync, mkdirSync} from 'node:fs'
import {dirname} from 'node:path'
import {Worker} from 'node:worker_threads'
import {workerModule} from './workers.js'

/** A file to stage (`file`, in the staging directory) and the file of the last build it is (`from`). */
export type LinkPair = [file: string, from: string]

/**
 * Make each `file` the file at its `from`: a hard link, else a copy (a file
 * system without links); its folder made first, unless `made` has it. One
 * system call after the other: for the worker thread.
 */
export function linkBatchSync(pairs: LinkPair[], made: Set<string>): void {
  for (const [file, from] of pairs) {
    const folder = dirname(file)
    if (!made.has(folder)) {
      mkdirSync(folder, {recursive: true})
      made.add(folder)
    }
    try {
      linkSync(from, file)
    } catch {
      copyFileSync(from, file)
    }
  }
}

/** Makes batches of links (`linkBatchSync`), in the order given; `close` ends its thread. */
export interface Linker {
  link(pairs: LinkPair[]): Promise<void>
  close(): Promise<void>
}

/**
 * A linker on a worker thread (`hard-link-worker.ts`), started with the
 * first batch; here (`linkBatchSync`), where a worker cannot start. Note:
 * each file system call made here from this thread costs it the call's
 * submission to libuv's pool and its completion: a rebuild of 10,000 bench
 * articles links 37,600 files in 13,800 folders, which took 2 to 8 s of this
 * thread (CPU profiles of rebuilds after a change to the newest and to the
 * first article).
 */
export function openLinker(): Linker {
  let worker: Worker | undefined
  let here = false
  const waiting = new Map<number, {resolve: () => void; reject: (error: Error) => void}>()
  let next = 0
  /** Why the worker stopped before it was closed: the batches given after fail with it too. */
  let stopped: Error | undefined
  const failAll = (error: Error) => {
    stopped ??= error
    for (const {reject} of waiting.values()) reject(error)
    waiting.clear()
  }
  const start = () => {
    try {
      worker = new Worker(workerModule('hard-link-worker.js'))
    } catch {
      here = true
      return
    }
    worker.on('message', ({id, error}: {id: number; error?: {message: string; code?: string}}) => {
      const batch = waiting.get(id)
      waiting.delete(id)
      if (error) batch?.reject(Object.assign(new Error(error.message), error.code === undefined ? {} : {code: error.code}))
      else batch?.resolve()
    })
    worker.on('error', failAll)
    worker.on('exit', (code) => failAll(new Error(`Cannot stage the last build's files: the worker exited with code ${code}`)))
  }
  const made = new Set<string>()
  return {
    async link(pairs) {
      if (stopped) throw stopped
      if (!worker && !here) start()
      if (!worker) return linkBatchSync(pairs, made)
      const id = next++
      const linker = worker
      return new Promise<void>((resolve, reject) => {
        waiting.set(id, {resolve, reject})
        linker.postMessage({id, pairs})
      })
    },
    async close() {
      const ending = worker
      worker = undefined
      here = true
      ending?.removeAllListeners('exit')
      await ending?.terminate()
    }
  }
}
