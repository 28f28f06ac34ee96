// Worker thread of stampOutputsApart: the stamps of the files of the output directory it is given, or undefined where it cannot be read.
import {parentPort, workerData} from 'node:worker_threads'
import {stampOutputs} from './manifest.js'

const {out} = workerData as {out: string}
parentPort!.postMessage(await stampOutputs(out).catch(() => undefined))
