// Worker thread of openSummaryReader: reads the requests in order and sends them a batch at a time, while it may.
import {parentPort, workerData} from 'node:worker_threads'
import {readRequest, type SummaryRequest} from './summary-reader.js'

const {requests, batchSize, batchesAhead} = workerData as {requests: SummaryRequest[]; batchSize: number; batchesAhead: number}
let allowed = batchesAhead
let next = 0
const send = () => {
  while (allowed > 0 && next < requests.length) {
    allowed--
    const first = next
    const reads = requests.slice(first, first + batchSize).map(readRequest)
    next = first + reads.length
    // Note: the bytes are handed over, not copied.
    parentPort!.postMessage({first, reads}, reads.flatMap(({bytes}) => (bytes ? [bytes.buffer as ArrayBuffer] : [])))
  }
  if (next >= requests.length) parentPort!.close()
}
parentPort!.on('message', () => {
  allowed++
  send()
})
send()
