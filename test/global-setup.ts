import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

/**
 * One temporary folder per test run, removed when the run ends: every folder
 * the tests make (`temporaryDirectory`) is made inside it, so a run leaves
 * nothing behind in the system's temporary folder.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const base = await mkdtemp(join(tmpdir(), 'newsgraph-tests-'))
  process.env.NEWSGRAPH_TEST_TMP = base
  return async () => {
    await rm(base, {recursive: true, force: true})
  }
}
