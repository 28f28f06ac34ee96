// Worker thread of stampOutputsApart: the stamps of the files of the output directory it is given, or undefined where it cannot be read.
import {parentPort, workerData} from 'node:worker_threads'
import {stampOutputs} from './stamps.js'

const {out} = workerData as {out: string}
let stamps: ReturnType<typeof stampOutputs> | undefined
try {
  stamps = stampOutputs(out)
} catch {
  stamps = undefined
}
parentPort!.postMessage(stamps)
