// Worker thread of outputsIntact: whether the output directory it is given holds exactly the files recorded.
import {parentPort, workerData} from 'node:worker_threads'
import {sameStamps, stampOutputs, type Manifest} from './manifest.js'

const {out, recorded} = workerData as {out: string; recorded: Manifest['outputs']}
parentPort!.postMessage(sameStamps(await stampOutputs(out), recorded))
