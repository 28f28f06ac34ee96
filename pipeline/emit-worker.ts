// A worker thread of the emit pool: given the site-wide facts once, writes and checks the outputs of each article it is sent (its own files straight into the staging directory).
import {parentPort, workerData} from 'node:worker_threads'
import {checkContexts} from './check.js'
import {BytePool, type Text} from './chunks.js'
import {articleEmissions} from './emit/article.js'
import {checkedPiece, type EmitInit, type EmitRelease, type EmitReply, type EmitTask, type Piece} from './emit-pool.js'
import {readRecord} from './summary.js'
import {writeStagedFile} from './write.js'

const init = workerData as EmitInit
const contexts = checkContexts(init.projectContext)
/** The slabs the main thread writes what is appended from, and gives back once it has. */
const pool = new BytePool()
/** The folders made in the staging directory (`writeStagedFile`). */
const folders = new Map<string, Promise<unknown>>()

parentPort!.on('message', async (message: EmitTask | EmitRelease) => {
  if ('release' in message) return pool.give(message.release)
  const task = message
  const pieces: Piece[] = []
  const appended: Array<{index: number; text: Text}> = []
  const writes: Array<Promise<void>> = []
  // Note: a record that cannot be read back throws, which stops the worker; the main thread reports it when it comes to that article.
  const article = await readRecord(task.record, task.path)
  for (const emission of articleEmissions(init.context, article, task.first)) {
    const piece = await checkedPiece(emission, contexts)
    // Note: an article's own files are written here; what it appends to the site's files goes back, to be appended in order.
    if (piece.append) {
      if (piece.text !== undefined && !(piece.text instanceof Uint8Array)) appended.push({index: pieces.length, text: piece.text})
      pieces.push(piece)
    } else {
      writes.push(writeStagedFile(init.staging, piece.path, emission.text, folders))
      pieces.push({path: piece.path, count: 0, problems: piece.problems})
    }
  }
  await Promise.all(writes)
  if (appended.length === 0) return parentPort!.postMessage({id: task.id, pieces} satisfies EmitReply)
  // Note: what the article appends, as bytes in one slab of the pool, which the main thread writes from (nothing is copied): held
  // there until written, outside its heap, then given back (`EmitRelease`).
  const {slab, bytes} = pool.encode(appended.map(({text}) => text))
  for (const [at, {index}] of appended.entries()) pieces[index] = {...pieces[index]!, text: bytes[at]}
  parentPort!.postMessage({id: task.id, pieces, slab} satisfies EmitReply)
})
parentPort!.postMessage({ready: true})
