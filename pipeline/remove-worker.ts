// Worker thread of removeTree: removes the directory it is given.
import {workerData} from 'node:worker_threads'
import {removeTreeSync} from './remove.js'

removeTreeSync(workerData as string)
