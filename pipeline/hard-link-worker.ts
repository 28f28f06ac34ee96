// Worker thread of openLinker: makes each batch of links it is sent, in order, and says when it is done or why it failed.
import {parentPort} from 'node:worker_threads'
import {linkBatchSync, type LinkPair} from './hard-links.js'

const made = new Set<string>()
parentPort!.on('message', ({id, pairs}: {id: number; pairs: LinkPair[]}) => {
  try {
    linkBatchSync(pairs, made)
    parentPort!.postMessage({id})
  } catch (error) {
    const {message, code} = error as NodeJS.ErrnoException
    parentPort!.postMessage({id, error: {message, code}})
  }
})
