// Worker pools: the per-article stage (worker.ts) and the outputs of each article (emit-worker.ts) on N threads; every reply is tied to its task, whatever the scheduling.
import {existsSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {Worker, type ResourceLimits} from 'node:worker_threads'
import type {Site} from './config.js'
import type {Conventions} from './conventions.js'
import type {KnowledgeSnapshot} from './load.js'
import {packagePath} from './paths.js'

/** What each worker of the per-article stage is started with. */
export interface WorkerInit {
  source: string
  site: Site
  conventions: Conventions
  /** Whether to summarize each result too (`summarizeResult`): for a build (its main thread then reads the summary, not the record), not for a shard. */
  summaries: boolean
  /** Where what is made of the knowledge is kept (`loadKnowledgeFiles`, `loadBase`), for a build with a cache. */
  snapshot?: KnowledgeSnapshot
}

/** An article to process. */
export interface WorkerTask {
  id: number
  path: string
  value: string
}

/**
 * A processed article: its serialized result as UTF-8 bytes, a view of the
 * worker's slab `slab` (`BytePool`: shared with the main thread, not copied:
 * as a string of a few hundred kilobytes it would go to the main thread's
 * heap as garbage, collected seldom; nor moved, which counts against the
 * main thread's heap as memory outside it), and its cached summary when
 * asked for (and it has an article).
 */
export interface WorkerReply {
  id: number
  record: Uint8Array
  slab: number
  summary?: string
}

/** A slab of a `WorkerReply` given back to its worker once the record is taken in, to encode into again. */
export interface WorkerRelease {
  release: number
}

/** A compiled worker module: beside this one when it runs compiled, else (tests run the TypeScript) in out/. */
export function workerModule(name: string): string {
  const here = fileURLToPath(import.meta.url)
  const compiled = here.endsWith('.js') ? join(dirname(here), name) : packagePath('out', 'pipeline', name)
  if (!existsSync(compiled)) throw new Error(`Cannot find the worker module ${compiled}: compile newsgraph first (make)`)
  return compiled
}

/**
 * The one answer of a worker thread on the compiled module `name`, started
 * with `data` (it posts one message, then ends); `here()` where a worker
 * cannot start. Rejects when the worker fails or ends without answering.
 */
export function answerApart<T>(name: string, data: unknown, here: () => Promise<T>): Promise<T> {
  let worker: Worker
  try {
    worker = new Worker(workerModule(name), {workerData: data})
  } catch {
    return here()
  }
  return new Promise<T>((resolve, reject) => {
    worker.once('message', resolve)
    worker.once('error', reject)
    worker.once('exit', (code) => reject(new Error(`The worker thread ${name} ended with code ${code} without an answer`)))
  })
}

/**
 * The old generation of a per-article stage worker, in megabytes: the
 * knowledge takes about 100; an article of a few thousand words a few more.
 * Unbounded, V8 let each worker's heap grow to 250–450 MB of garbage on a
 * long build. A worker that runs out of it (an article of hundreds of
 * thousands of words) stops the pool, and the articles left are processed
 * on the main thread, whose heap is not bounded.
 */
export const stageHeapMb = 256

/**
 * The young generation of every worker, in megabytes: what
 * `--max-semi-space-size=32` gives a thread (V8's default is smaller), so
 * that more of an article's garbage dies there instead of being promoted
 * and collected with the old generation. A build of 1,000 bench articles with `--jobs 2`
 * took 30.9 s instead of 34.0 s (three runs each), at the same peak RSS.
 */
export const workerYoungMb = 96

/**
 * Run `tasks` on `size` threads of `module` (started with `init`, and with
 * `limits` on their heaps), at most `inFlight` tasks per thread at a time
 * (more than one keeps a thread busy while this one is); `onReply` is called
 * as each ends, in any order, and the next task goes out once it returns;
 * its `answer` posts a message to the thread the reply came from (nothing,
 * once the pool has ended).
 * A task's id is its place in `tasks`, which may be a feed still being
 * given tasks (the threads start, and wait, before the first). Rejects when
 * a worker fails (or runs out of its heap), once the replies being taken in
 * are.
 */
export async function runInPool<Task extends object, Reply extends {id: number}>(
  name: string,
  size: number,
  init: unknown,
  tasks: Iterable<Task> | AsyncIterable<Task>,
  onReply: (reply: Reply, answer: (message: unknown) => void) => void | Promise<void>,
  inFlight = 1,
  limits?: ResourceLimits
): Promise<void> {
  const module = workerModule(name)
  // Note: the ids are given as the tasks are taken, by one iterator shared by every thread.
  const numbered = (async function* () {
    let id = 0
    for await (const task of tasks) yield {id: id++, ...task}
  })()
  const workers: Worker[] = []
  /** Replies being taken in: the pool ends only once they are, even when it fails meanwhile (the caller then knows what is left). */
  const taking = new Set<Promise<unknown>>()
  try {
    await Promise.all(
      Array.from({length: Array.isArray(tasks) ? Math.min(size, tasks.length) : size}, () =>
        new Promise<void>((resolve, reject) => {
          const worker = new Worker(module, {workerData: init, resourceLimits: {maxYoungGenerationSizeMb: workerYoungMb, ...limits}})
          workers.push(worker)
          let running = 0
          let ended = false
          const give = async () => {
            while (!ended && running < inFlight) {
              // Note: the place is taken before waiting for a task, so that a reply meanwhile does not ask for one more.
              running++
              const next = await numbered.next()
              if (next.done) {
                ended = true
                running--
              } else worker.postMessage(next.value)
            }
            if (ended && running === 0) resolve()
          }
          worker.on('message', (message: Reply | {ready: true}) => {
            if ('ready' in message) return void give().catch(reject)
            running--
            // Note: a reply that fails, even at once, rejects the pool (it would otherwise throw out of this listener, and the pool never end).
            const taken = Promise.resolve().then(() => onReply(message, (answer) => worker.postMessage(answer)))
            taking.add(taken)
            taken
              .finally(() => taking.delete(taken))
              .then(give)
              .catch(reject)
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
    await Promise.allSettled(taking)
    // Note: not awaited: a thread may still be waiting for the feed's next task, which ends when the feed is closed.
    void numbered.return(undefined).catch(() => undefined)
  }
}

/**
 * How many articles a build must have for a single one to process (a
 * rebuild after one change) to go to a worker rather than the main thread.
 * Processed there, its knowledge stays in that thread's heap for the rest
 * of the build: about 140 MB, when the summaries and site files of 10,000
 * bench articles take 450 MB more (a rebuild after one changed title
 * peaked at 718-719 MB instead of 766-780, 0.7-1.1 s slower). A worker
 * starts from nothing (imports, knowledge): a one-article build took
 * 5.6-6.1 s instead of 3.7-4.0 s, and a rebuild of 1,000 after one change
 * 1.5 s more. Measured again at c82a872 (`bench/HISTORY.md`), the worker is
 * the faster too: after one change at 10,000, 18.6-25.2 s against
 * 20.1-26.6 s on the main thread.
 */
export const poolForOneFrom = 2000

/**
 * Articles sent ahead to each per-article stage worker: with one, a worker
 * waited while this thread took in its result (cached it, summarized it)
 * before it was given the next. With two, 1,000 bench articles with
 * `--jobs 2` took 34.7 s instead of 37.1 s (four alternating runs each),
 * 20 MB more at peak.
 */
export const stageAhead = 2

/**
 * Process `tasks` (a list, or a feed still being given them) on `size`
 * threads of the per-article stage; `onResult` is called as each ends (in
 * any order) with its index in `tasks`. The record's bytes are the worker's:
 * they are given back once `onResult` has resolved, and must not be kept.
 */
export async function processInPool(size: number, init: WorkerInit, tasks: Iterable<Omit<WorkerTask, 'id'>> | AsyncIterable<Omit<WorkerTask, 'id'>>, onResult: (index: number, record: Uint8Array, summary: string | undefined) => void | Promise<void>): Promise<void> {
  await runInPool<Omit<WorkerTask, 'id'>, WorkerReply>(
    'worker.js',
    size,
    init,
    tasks,
    async (reply, answer) => {
      await onResult(reply.id, reply.record, reply.summary)
      answer({release: reply.slab} satisfies WorkerRelease)
    },
    stageAhead,
    {maxOldGenerationSizeMb: stageHeapMb}
  )
}
