// A process of its own that removes the last build's outputs once they are swapped out, and outlives the build (`removeDetached`).
import {renameSync} from 'node:fs'
import {takenPath} from './beside.js'
import {removeTreeSync} from './remove.js'

const [dir] = process.argv.slice(2) as [string]
let taken: string | undefined
try {
  // Note: renamed first, under this process's id: a build that finds it meanwhile leaves it to this one (`recoverOutputs`).
  taken = takenPath(dir, process.pid)
  renameSync(dir, taken)
} catch (error) {
  taken = undefined
  process.exitCode = 1
  process.send!({error: (error as Error).message}, () => process.disconnect())
}
if (taken !== undefined) {
  const removing = taken
  process.send!({taken}, () => {
    process.disconnect()
    removeTreeSync(removing)
  })
}
