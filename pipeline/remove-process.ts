// A process of its own that removes the last build's outputs once they are swapped out, and outlives the build (`removeDetached`).
import {renameSync} from 'node:fs'
import {removeTreeSync, takenName} from './remove.js'

const [dir] = process.argv.slice(2) as [string]
const taken = takenName(dir, process.pid)
try {
  // Note: renamed first, under this process's id: a build that finds it meanwhile leaves it to this one (`recoverOutputs`).
  renameSync(dir, taken)
} catch (error) {
  process.send!({error: (error as Error).message}, () => process.disconnect())
  process.exitCode = 1
}
if (process.exitCode !== 1) {
  process.send!({taken}, () => {
    process.disconnect()
    removeTreeSync(taken)
  })
}
