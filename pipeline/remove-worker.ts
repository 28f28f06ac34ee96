// Worker thread of removeTree: removes the directory it is given, then says so.
import {parentPort, workerData} from 'node:worker_threads'
import {removeTreeSync} from './remove.js'

removeTreeSync(workerData as string)
parentPort!.postMessage(null)
