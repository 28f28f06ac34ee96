// Atomic and concurrent writes: a build killed midway, or two at once, leave dist/ as one whole version.
import {spawn} from 'node:child_process'
import {readdir, writeFile} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {build} from '../pipeline/build.js'
import {recoverOutputs} from '../pipeline/write.js'
import {article, readTree, root, sourceTree} from './helpers.js'

const cli = join(root, 'bin', 'newsgraph.js')

/** A source tree of `count` articles whose titles carry `mark`. */
async function corpus(mark: string, count = 25): Promise<string> {
  const files: Record<string, string> = {'site.yaml': 'title: T\nbaseUrl: https://example.org/news/\n'}
  for (let index = 0; index < count; index++) {
    const body = `Kenya criticized Uganda on Monday, officials in Nairobi said. ${'Chile and Peru met in Lima to discuss trade. '.repeat(40)}\n`
    files[`articles/a${index}.md`] = article({omit: ['title'], frontmatter: `title: ${mark} article ${index}`, body})
  }
  return sourceTree(files)
}

/** Run the CLI; resolves with its exit code (or the signal that ended it). */
function run(args: string[], killAfter?: number): Promise<number | string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], {stdio: 'ignore'})
    if (killAfter !== undefined) setTimeout(() => child.kill('SIGKILL'), killAfter)
    child.on('exit', (code, signal) => resolve(signal ?? code ?? -1))
  })
}

async function treeOrMissing(dir: string): Promise<Map<string, string> | undefined> {
  try {
    return await readTree(dir)
  } catch {
    return undefined
  }
}

describe('a build killed midway', () => {
  it('leaves dist/ as the old or the new version, never a mix, whenever SIGKILL strikes', async () => {
    const oldSource = await corpus('Old')
    const newSource = await corpus('New')
    const out = join(dirname(oldSource), 'dist')
    const expectedNew = join(dirname(newSource), 'expected')
    expect((await build({source: oldSource, out, cwd: dirname(out)})).written).toBe(true)
    expect((await build({source: newSource, out: expectedNew, cwd: dirname(expectedNew)})).written).toBe(true)
    const oldTree = await readTree(out)
    const newTree = await readTree(expectedNew)
    expect(newTree).not.toEqual(oldTree)
    const outcomes = new Set<string>()
    for (const delay of [150, 500, 900, 1300, 1700, 2200, 2800, 3500, 5000, undefined]) {
      const before = (await treeOrMissing(out)) ?? oldTree
      // Note: without the cache, so that every round takes as long as the first.
      const ended = await run(['build', '--quiet', '--no-cache', '--source', newSource, '--out', out], delay)
      let after = await treeOrMissing(out)
      if (!after) {
        // Killed between the two renames: the old version waits beside dist/, and comes back.
        await recoverOutputs(out)
        after = await treeOrMissing(out)
      }
      expect(after, `killed after ${delay} ms (${String(ended)})`).toBeDefined()
      const version = equal(after!, newTree) ? 'new' : equal(after!, before) ? 'old' : 'mix'
      expect(version, `killed after ${delay} ms (${String(ended)})`).not.toBe('mix')
      outcomes.add(`${version}:${String(ended)}`)
      await recoverOutputs(out)
      if (version === 'new') {
        // Start the next round from the old version again.
        expect((await build({source: oldSource, out, cwd: dirname(out)})).written).toBe(true)
      }
    }
    // The delays span the build: some kills struck before the swap (old); the last run, not killed, gives the new version.
    expect([...outcomes].some((outcome) => outcome.startsWith('old:SIGKILL')), [...outcomes].join(', ')).toBe(true)
    expect(outcomes.has('new:0'), [...outcomes].join(', ')).toBe(true)
    const leftovers = (await readdir(dirname(out))).filter((name) => name.startsWith('.dist-'))
    expect(leftovers).toEqual([])
  }, 240_000)
})

describe('two builds at once', () => {
  it('each swap in whole: dist/ ends as one of the two versions, with no leftovers', async () => {
    const first = await corpus('First', 15)
    const second = await corpus('Second', 15)
    const out = join(dirname(first), 'dist')
    const expected = await Promise.all(
      [first, second].map(async (source, index) => {
        const dir = join(dirname(first), `expected-${index}`)
        expect((await build({source, out: dir, cwd: dirname(dir)})).written).toBe(true)
        return readTree(dir)
      })
    )
    for (let round = 0; round < 3; round++) {
      const codes = await Promise.all([first, second].map((source) => run(['build', '--quiet', '--source', source, '--out', out])))
      expect(codes).toEqual([0, 0])
      const tree = await readTree(out)
      expect(equal(tree, expected[0]!) || equal(tree, expected[1]!)).toBe(true)
    }
    const leftovers = (await readdir(dirname(out))).filter((name) => name.startsWith('.dist'))
    expect(leftovers).toEqual([])
  }, 240_000)
})

function equal(a: Map<string, string>, b: Map<string, string>): boolean {
  if (a.size !== b.size) return false
  for (const [path, contents] of a) if (b.get(path) !== contents) return false
  return true
}

describe('an output directory that cannot be written', () => {
  it('is an error message with its reason, not a crash; nothing is written', async () => {
    const source = await corpus('Unwritable', 2)
    const dir = dirname(source)
    // Note: a path through a regular file (root ignores permissions, a full disk cannot be made here): the same system error path.
    const file = join(dir, 'not-a-directory')
    await writeFile(file, 'x')
    const result = await build({source, out: join(file, 'dist'), cwd: dir})
    expect(result).toMatchObject({written: false, errors: 1})
    const messages = result.files.flatMap((item) => item.messages)
    expect(messages.map((message) => [message.ruleId, message.fatal])).toEqual([['out-unwritable', true]])
    expect(messages[0]!.reason).toMatch(/^Cannot write the site to `.*not-a-directory\/dist`: ENOTDIR/)
    expect((await readdir(dir)).filter((name) => name.startsWith('.'))).toEqual([])
  })
})
