// A worker thread of the pool: loads the knowledge once, then runs the per-article stage on the articles it is sent.
import {parentPort, workerData} from 'node:worker_threads'
import type {VFile} from 'vfile'
import {BytePool} from './chunks.js'
import {baseSnapshot, loadBase} from './knowledge/base.js'
import {createKnowledge} from './knowledge/index.js'
import {loadKnowledgeFiles} from './load.js'
import {createArticleProcessor} from './process.js'
import {serializeResult} from './record.js'
import {stageResult} from './stage.js'
import {summarizeResult} from './summary.js'
import type {WorkerInit, WorkerRelease, WorkerReply, WorkerTask} from './workers.js'

const init = workerData as WorkerInit
// Note: the main thread reports the knowledge files' messages; a worker only needs their values.
const parsed = await loadKnowledgeFiles(init.source, [] as VFile[], init.snapshot)
if (!parsed) throw new Error('The knowledge files are invalid')
const knowledge = createKnowledge(parsed.registry, parsed.lexicon, parsed.cameo, parsed.events, await loadBase(baseSnapshot(init.snapshot)))
const processor = createArticleProcessor(knowledge, {conventions: init.conventions, site: init.site})

/** The slabs the main thread takes each record in from, and gives back once it has. */
const pool = new BytePool()

parentPort!.on('message', async (message: WorkerTask | WorkerRelease) => {
  if ('release' in message) return pool.give(message.release)
  const task = message
  const result = await stageResult(task.path, task.value, processor, knowledge)
  const {slab, bytes} = pool.encode([serializeResult(result)])
  const record = bytes[0]!
  // Note: summarized here, not on the main thread, which then reads the summary (a fifth of the record) instead of the record.
  const summary = init.summaries ? summarizeResult(result, record.byteLength) : undefined
  parentPort!.postMessage({id: task.id, record, slab, ...(summary === undefined ? {} : {summary})} satisfies WorkerReply)
})
parentPort!.postMessage({ready: true})
