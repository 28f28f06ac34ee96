// The worker pool: the per-article stage on N threads, results handed back in the order asked, whatever the scheduling.
import {existsSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {Worker} from 'node:worker_threads'
import type {Site} from './config.js'
import type {Conventions} from './conventions.js'
import {packagePath} from './paths.js'

/** What each worker is started with. */
export interface WorkerInit {
  source: string
  site: Site
  conventions: Conventions
}

/** An article to process. */
export interface WorkerTask {
  id: number
  path: string
  value: string
}

/** A processed article: its serialized result. */
export interface WorkerReply {
  id: number
  text: string
}

/** The compiled worker module: beside this one when it runs compiled, else (tests run the TypeScript) in out/. */
function workerModule(): string {
  const here = fileURLToPath(import.meta.url)
  const compiled = here.endsWith('.js') ? join(dirname(here), 'worker.js') : packagePath('out', 'pipeline', 'worker.js')
  if (!existsSync(compiled)) throw new Error(`Cannot find the worker module ${compiled}: compile newsgraph first (make)`)
  return compiled
}

/**
 * Process `tasks` on `size` worker threads; `onResult` is called as each
 * ends (in any order), and the returned texts are in the order of `tasks`.
 */
export async function processInPool(size: number, init: WorkerInit, tasks: Array<Omit<WorkerTask, 'id'>>, onResult: (index: number, text: string) => void | Promise<void>): Promise<void> {
  const module = workerModule()
  let next = 0
  const workers: Worker[] = []
  try {
    await Promise.all(
      Array.from({length: Math.min(size, tasks.length)}, () =>
        new Promise<void>((resolve, reject) => {
          const worker = new Worker(module, {workerData: init})
          workers.push(worker)
          const give = () => {
            if (next >= tasks.length) return resolve()
            const id = next++
            worker.postMessage({id, ...tasks[id]!} satisfies WorkerTask)
          }
          worker.on('message', (message: WorkerReply | {ready: true}) => {
            if ('ready' in message) return give()
            Promise.resolve(onResult(message.id, message.text)).then(give, reject)
          })
          worker.on('error', reject)
          worker.on('exit', (code) => {
            if (code !== 0) reject(new Error(`A worker stopped with exit code ${code}`))
          })
        })
      )
    )
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()))
  }
}
