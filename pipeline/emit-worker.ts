// A worker thread of the emit pool: given the site-wide facts once, writes and checks the outputs of each article it is sent (its own files straight into the staging directory).
import {parentPort, workerData} from 'node:worker_threads'
import {checkContexts} from './check.js'
import {movableBytes} from './chunks.js'
import {articleEmissions} from './emit/article.js'
import {checkedPiece, type EmitInit, type EmitReply, type EmitTask, type Piece} from './emit-pool.js'
import {readRecord} from './summary.js'
import {writeStagedFile} from './write.js'

const init = workerData as EmitInit
const contexts = checkContexts(init.projectContext)

parentPort!.on('message', async (task: EmitTask) => {
  const pieces: Piece[] = []
  const writes: Array<Promise<void>> = []
  // Note: a record that cannot be read back throws, which stops the worker; the main thread reports it when it comes to that article.
  const article = await readRecord(task.record, task.path)
  for (const emission of articleEmissions(init.context, article, task.first)) {
    const piece = await checkedPiece(emission, contexts)
    // Note: an article's own files are written here; what it appends to the site's files goes back, to be appended in order.
    // Note: as bytes of their own, moved to the main thread (not copied): held there until written, outside its heap.
    if (piece.append) pieces.push({...piece, text: piece.text === undefined || piece.text instanceof Uint8Array ? piece.text : movableBytes(piece.text)})
    else {
      writes.push(writeStagedFile(init.staging, piece.path, emission.text))
      pieces.push({path: piece.path, count: 0, problems: piece.problems})
    }
  }
  await Promise.all(writes)
  parentPort!.postMessage({id: task.id, pieces} satisfies EmitReply, pieces.flatMap(({text}) => (text instanceof Uint8Array ? [text.buffer as ArrayBuffer] : [])))
})
parentPort!.postMessage({ready: true})
