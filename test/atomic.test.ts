// Atomic and concurrent writes: a build killed midway, or two at once, leave dist/ as one whole version.
import {spawn, type ChildProcess} from 'node:child_process'
import {existsSync} from 'node:fs'
import {mkdir, readFile, readdir, writeFile} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'
import {describe, expect, it, vi} from 'vitest'
import {besidePath, isBeside, lockPath, readBeside, replaceFile, takenPath} from '../pipeline/beside.js'
import {build} from '../pipeline/build.js'
import {removeDetached} from '../pipeline/remove.js'
import {recoverOutputs, writeStagedFile} from '../pipeline/write.js'
import {article, readTree, root, sourceTree, temporaryDirectory} from './helpers.js'

/** The processes started here to remove a last version (`remove-process.js`), with how they were started. */
const removers: Array<{child: ChildProcess; args: readonly string[]; detached: boolean | undefined; exited: Promise<number | null>}> = []
vi.mock('node:child_process', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:child_process')>()
  const spy = ((...args: Parameters<typeof actual.spawn>) => {
    const child = actual.spawn(...args)
    const [, argv, options] = args as unknown as [string, string[], {detached?: boolean} | undefined]
    if (argv?.some((arg) => arg.endsWith('remove-process.js'))) {
      removers.push({child, args: argv, detached: options?.detached, exited: new Promise((resolve) => child.once('exit', resolve))})
    }
    return child
  }) as typeof actual.spawn
  return {...actual, spawn: spy, default: {...actual, spawn: spy}}
})

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
    // Note: the CLI's last run left its old version to a process of its own, done shortly after.
    const leftovers = (await besideOnceRemoved(out)).filter((name) => name.startsWith('.dist-'))
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
    const leftovers = (await besideOnceRemoved(out)).filter((name) => name.startsWith('.dist'))
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

/** The names beside `out` once no process removes a last version there any more (`.dist-gone-…`), waiting up to 20 s for them. */
async function besideOnceRemoved(out: string): Promise<string[]> {
  const beside = async () => (await readdir(dirname(out))).filter((name) => name.startsWith('.'))
  for (let waited = 0; waited < 20_000 && (await beside()).some((name) => name.includes('-gone-')); waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return beside()
}

describe('a file written beside, then renamed (`replaceFile`)', () => {
  it('replaces the file whole, and leaves nothing beside it when the writing fails', async () => {
    const dir = await temporaryDirectory()
    const file = join(dir, 'sub', 'entry.json')
    await replaceFile(file, (staging) => writeFile(staging, 'one'))
    expect(await readFile(file, 'utf8')).toBe('one')
    await expect(
      replaceFile(file, async (staging) => {
        await writeFile(staging, 'half')
        throw new Error('disk full')
      })
    ).rejects.toThrow('disk full')
    expect(await readFile(file, 'utf8')).toBe('one')
    expect(await readdir(join(dir, 'sub'))).toEqual(['entry.json'])
  })
})

describe('a file staged by another thread (`writeStagedFile`)', () => {
  it('makes each folder once for the writes that share `folders`, and writes every file whole', async () => {
    const dir = await temporaryDirectory()
    const folders = new Map<string, Promise<unknown>>()
    await Promise.all([
      writeStagedFile(dir, 'articles/a.jsonld', '{}\n', folders),
      writeStagedFile(dir, 'articles/a/index.html', ['<p>a', '</p>\n'], folders),
      writeStagedFile(dir, 'articles/a/embed.html', 'embed\n', folders),
      writeStagedFile(dir, 'articles/b.jsonld', '[]\n', folders)
    ])
    expect([...folders.keys()].sort()).toEqual([join(dir, 'articles'), join(dir, 'articles', 'a')])
    expect(Object.fromEntries(await readTree(dir))).toEqual({'articles/a.jsonld': '{}\n', 'articles/a/index.html': '<p>a</p>\n', 'articles/a/embed.html': 'embed\n', 'articles/b.jsonld': '[]\n'})
    await expect(writeStagedFile(dir, '../outside.txt', 'no', folders)).rejects.toThrow('outside the output directory')
  })
})

describe('the names beside the output directory', () => {
  it('are made and read in one place (`beside.ts`), for an output directory whose name holds dashes too', async () => {
    const dir = await temporaryDirectory()
    const out = join(dir, 'my-dist')
    expect(besidePath(out, 'old', 12, 'ab01')).toBe(join(dir, '.my-dist-old-12-ab01'))
    expect(readBeside(out, '.my-dist-old-12-ab01')).toEqual({kind: 'old', pid: 12, tag: 'ab01'})
    expect(readBeside(out, '.my-dist-gone-7-ff')).toEqual({kind: 'gone', pid: 7, tag: 'ff'})
    // Another directory's names: those of `my` (a prefix of this one's), a lock, a name not made by a build.
    for (const name of ['.my-old-12-ab01', '.my-dist.lock', '.my-dist-old-12', '.my-dist-new-12-ab01', '.my-dist-old-x-ab01']) expect(readBeside(out, name)).toBeUndefined()
    expect(readBeside(join(dir, 'my'), '.my-dist-old-12-ab01')).toBeUndefined()
    expect(takenPath(join(dir, '.my-dist-old-12-ab01'), 34)).toBe(join(dir, '.my-dist-gone-34-ab01'))
    expect(() => takenPath(join(dir, 'my-dist'), 34)).toThrow(/Not the last build's outputs/)
    expect(() => takenPath(join(dir, '.my-dist-tmp-12-ab01'), 34)).toThrow(/Not the last build's outputs/)
    // Its lock is beside it too (what `--watch` does not take for a change to the sources), another's is not.
    expect(lockPath(out)).toBe(join(dir, '.my-dist.lock'))
    expect(['.my-dist.lock', '.my-dist-tmp-3-0f', '.my-dist-gone-3-0f', '.my.lock', '.my-dist-new-3-0f', 'my-dist'].map((name) => isBeside(out, name))).toEqual([true, true, true, false, false, false])
    // Recovering `my` leaves the last version of `my-dist` alone; recovering `my-dist` puts it back.
    const dead = (1 << 22) + 1
    const old = besidePath(out, 'old', dead, '0a0b')
    await mkdir(old, {recursive: true})
    await writeFile(join(old, 'index.html'), 'old')
    await recoverOutputs(join(dir, 'my'))
    expect(existsSync(old)).toBe(true)
    await recoverOutputs(out)
    expect(existsSync(old)).toBe(false)
    expect(existsSync(join(out, 'index.html'))).toBe(true)
  })
})

describe('the last version, once swapped out', () => {
  it('is taken by a process of its own (`removeDetached`), which goes on removing it after the call returns', async () => {
    const dir = await temporaryDirectory()
    const old = join(dir, '.dist-old-123-abcdef01')
    for (let folder = 0; folder < 20; folder++) {
      await mkdir(join(old, `f${folder}`), {recursive: true})
      for (let file = 0; file < 50; file++) await writeFile(join(old, `f${folder}`, `${file}.html`), 'x')
    }
    const before = removers.length
    await removeDetached(old)
    expect(removers.length).toBe(before + 1)
    const {child, args, detached, exited} = removers.at(-1)!
    expect(detached).toBe(true)
    expect(args.at(-1)).toBe(old)
    // Taken when the call returns: renamed under the remover's own process id, so that no build removes or restores it meanwhile.
    expect(existsSync(old)).toBe(false)
    const taken = join(dir, `.dist-gone-${child.pid}-abcdef01`)
    const beside = await readdir(dir)
    expect(beside.every((name) => name === basename(taken))).toBe(true)
    expect(await exited).toBe(0)
    expect(await readdir(dir)).toEqual([])
  })

  it('is removed here when no process of its own can take it', async () => {
    const dir = await temporaryDirectory()
    // Note: not named as a last version is: the remover refuses it, and ends.
    const other = join(dir, 'not-a-last-version')
    await mkdir(join(other, 'a'), {recursive: true})
    await writeFile(join(other, 'a', 'b.html'), 'x')
    const before = removers.length
    await removeDetached(other)
    expect(removers.length).toBe(before + 1)
    expect(await removers.at(-1)!.exited).not.toBe(0)
    expect(existsSync(other)).toBe(false)
  })

  it('is left to the process removing it by the next build, removed once that has ended, and never put back', async () => {
    const dir = await temporaryDirectory()
    const out = join(dir, 'dist')
    // Note: this process is alive; a process id of 2^22 + 1 is above Linux's largest.
    const alive = join(dir, `.dist-gone-${process.pid}-0a0b0c0d`)
    const dead = join(dir, `.dist-gone-${(1 << 22) + 1}-0e0f0a0b`)
    for (const gone of [alive, dead]) {
      await mkdir(join(gone, 'articles'), {recursive: true})
      await writeFile(join(gone, 'index.html'), 'old')
    }
    // No dist/: an old version (`.dist-old-…`) would be put back; a version being removed is not.
    await recoverOutputs(out)
    expect(existsSync(out)).toBe(false)
    expect(existsSync(dead)).toBe(false)
    expect(existsSync(alive)).toBe(true)
  })

  it('is removed after the command ends: a build with `removal: \'detach\'` leaves dist/ whole, and nothing beside it once the remover is done', async () => {
    const first = await corpus('First', 3)
    const second = await corpus('Second', 3)
    const out = join(dirname(first), 'dist')
    const expected = join(dirname(second), 'expected')
    expect((await build({source: second, out: expected, cwd: dirname(expected)})).written).toBe(true)
    const before = removers.length
    expect((await build({source: first, out, cwd: dirname(out), removal: 'detach'})).written).toBe(true)
    // Nothing to remove the first time: no process started.
    expect(removers.length).toBe(before)
    expect((await build({source: first, out, cwd: dirname(out), removal: 'detach'})).written).toBe(true)
    expect((await build({source: second, out, cwd: dirname(out), removal: 'detach'})).written).toBe(true)
    expect(removers.length).toBe(before + 2)
    expect(await readTree(out)).toEqual(await readTree(expected))
    await Promise.all(removers.slice(before).map(({exited}) => exited))
    expect(await besideOnceRemoved(out)).toEqual([])
  })
})
