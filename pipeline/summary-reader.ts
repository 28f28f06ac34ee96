// Cached summaries read ahead on a thread of their own: each summary's text and the size of the record beside it, in the order asked.
import {readFileSync, statSync} from 'node:fs'
import {Worker} from 'node:worker_threads'
import {workerModule} from './workers.js'

/** A summary to read (`summary`) and the record whose size to tell (`record`). */
export interface SummaryRequest {
  summary: string
  record: string
}

/** What was read of a request: the summary's text and the record's size, each `undefined` when it could not be read. */
export interface SummaryRead {
  text: string | undefined
  recordSize: number | undefined
}

/** Reads the requests it was opened with; `get` gives one's result (each once); `close` ends its thread. */
export interface SummaryReader {
  get(index: number): Promise<SummaryRead>
  close(): Promise<void>
}

/** How many requests the worker answers at once, and how many such batches may wait to be taken. */
const batchSize = 32
const batchesAhead = 8

/** One request read here, one system call after the other (the worker's side). */
export function readRequest({summary, record}: SummaryRequest): {bytes: Uint8Array | undefined; recordSize: number | undefined} {
  let bytes: Uint8Array | undefined
  try {
    bytes = readFileSync(summary)
    // Note: a small file's bytes may be a slice of Node's shared pool, which cannot be handed to another thread: copied.
    if (bytes.byteOffset !== 0 || bytes.buffer.byteLength !== bytes.byteLength) bytes = new Uint8Array(bytes)
  } catch {
    bytes = undefined
  }
  let recordSize: number | undefined
  try {
    recordSize = statSync(record, {throwIfNoEntry: false})?.size
  } catch {
    recordSize = undefined
  }
  return {bytes, recordSize}
}

/**
 * A reader of `requests` on a worker thread (`summary-reader-worker.ts`),
 * which reads them in order, a batch at a time, at most `batchesAhead`
 * batches ahead of those taken (each is to be taken once); or
 * `undefined` where a worker cannot start (the caller reads them itself).
 * Note: read here with `fs`'s callbacks, each summary and stat of its
 * record took this thread five trips through libuv's pool (open, stat, read,
 * close, stat), about 1.3 s of a rebuild of 10,000 bench articles; the
 * worker sends the bytes, which this thread decodes.
 */
export function openSummaryReader(requests: SummaryRequest[]): SummaryReader | undefined {
  let worker: Worker
  try {
    worker = new Worker(workerModule('summary-reader-worker.js'), {workerData: {requests, batchSize, batchesAhead}})
  } catch {
    return undefined
  }
  const results = new Map<number, SummaryRead>()
  const waiting = new Map<number, {resolve: (read: SummaryRead) => void; reject: (error: Error) => void}>()
  let failure: Error | undefined
  /** Results taken since the worker was last told it may read another batch. */
  let taken = 0
  const fail = (error: Error) => {
    failure ??= error
    for (const {reject} of waiting.values()) reject(failure)
    waiting.clear()
  }
  /** How many results came: the worker stops once it sent them all. */
  let received = 0
  worker.on('message', ({first, reads}: {first: number; reads: Array<{bytes: Uint8Array | undefined; recordSize: number | undefined}>}) => {
    received += reads.length
    for (const [offset, {bytes, recordSize}] of reads.entries()) {
      const read = {text: bytes === undefined ? undefined : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'), recordSize}
      const index = first + offset
      const asked = waiting.get(index)
      if (asked) {
        waiting.delete(index)
        asked.resolve(read)
      } else results.set(index, read)
    }
  })
  worker.on('error', fail)
  worker.on('exit', () => {
    if (received < requests.length) fail(new Error('Cannot read the cached summaries: their reader stopped'))
  })
  return {
    get(index) {
      const read = results.get(index)
      if (++taken === batchSize) {
        taken = 0
        worker.postMessage('more')
      }
      if (read) {
        results.delete(index)
        return Promise.resolve(read)
      }
      if (failure) return Promise.reject(failure)
      return new Promise((resolve, reject) => waiting.set(index, {resolve, reject}))
    },
    async close() {
      worker.removeAllListeners('exit')
      await worker.terminate()
    }
  }
}
