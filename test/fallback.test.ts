// A worker pool that fails (a worker that cannot start, dies, or runs out of its heap) is not fatal: what it left is processed on the main thread. A pool is started for a single article to process.
import {writeFile} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import {describe, expect, it, vi} from 'vitest'
import {build} from '../pipeline/build.js'
import {Feed} from '../pipeline/feed.js'
import {loadConventions, loadSite} from '../pipeline/load.js'
import type * as workers from '../pipeline/workers.js'
import {VFile} from 'vfile'
import {article, readTree, sourceTree} from './helpers.js'

const failAfter = {count: Infinity}
/** The size of each pool started, and how many articles it was given. */
const pools: Array<{size: number; given: number}> = []
/** How many articles a build must have for a single one to process to go to a pool (`poolForOneFrom`). */
const poolForOne = {from: Infinity}

// Note: the real pool, stopped (as a worker that dies) after `failAfter.count` articles.
vi.mock('../pipeline/workers.js', async (importOriginal) => {
  const actual = await importOriginal<typeof workers>()
  return {
    ...actual,
    get poolForOneFrom() {
      return poolForOne.from
    },
    processInPool: async (...[size, init, tasks, onResult]: Parameters<typeof actual.processInPool>) => {
      let more = false
      const started = {size, given: 0}
      pools.push(started)
      async function* limited() {
        for await (const task of tasks) {
          if (started.given === failAfter.count) {
            more = true
            return
          }
          started.given++
          yield task
        }
      }
      await actual.processInPool(size, init, limited(), onResult)
      if (more) throw new Error('A worker stopped with exit code 1')
    }
  }
})

async function archive(): Promise<string> {
  const files: Record<string, string> = {'site.yaml': 'title: T\nbaseUrl: https://example.org/news/\n'}
  for (let index = 0; index < 5; index++) {
    files[`articles/a${index}.md`] = article({omit: ['title'], frontmatter: `title: Story ${index}`, body: `Kenya criticized Uganda on Monday, officials in Nairobi said ${index} times.\n`})
  }
  return sourceTree(files)
}

/** What a pool of the per-article stage is started with for `source`, and the real pool module (not the mock). */
async function pool(source: string) {
  const site = (await loadSite(source, undefined, [], new VFile({path: source})))!
  const conventions = (await loadConventions(source, []))!
  return {site, conventions, actual: await vi.importActual<typeof workers>('../pipeline/workers.js')}
}

describe('a worker pool that fails', () => {
  it.each([0, 2])('after %i articles leaves the rest to the main thread: the dist/ of --jobs 0', async (count) => {
    const source = await archive()
    const dir = dirname(source)
    failAfter.count = Infinity
    const one = await build({source, out: join(dir, 'one'), cwd: dir, jobs: 0})
    failAfter.count = count
    const two = await build({source, out: join(dir, 'two'), cwd: dir, jobs: 2})
    expect(two).toMatchObject({written: true, errors: 0, articles: 5})
    expect(await readTree(join(dir, 'two'))).toEqual(await readTree(join(dir, 'one')))
    expect(one.written).toBe(true)
  })

  it('ends, when it fails, only once the replies being taken in are: the caller then knows what is left', async () => {
    const source = await archive()
    const {site, conventions, actual} = await pool(source)
    const task = (index: number) => ({path: join(source, 'articles', `a${index}.md`), value: article()})
    // Note: the third task cannot be sent (a function is not cloneable): the pool fails when a worker asks for it, after the second reply, while the first is still being taken in.
    const tasks = [task(0), task(1), {...task(2), broken: () => undefined}]
    let first = true
    let takenIn = false
    const run = actual.runInPool('worker.js', 2, {source, site, conventions, summaries: false}, tasks, async () => {
      if (!first) return
      first = false
      await new Promise((resolve) => setTimeout(resolve, 1500))
      takenIn = true
    })
    await expect(run).rejects.toThrow(/cloned/)
    expect(takenIn).toBe(true)
  })

  it('is given its articles as they are found: a feed, still open when the pool starts', async () => {
    const source = await archive()
    const {site, conventions, actual} = await pool(source)
    const feed = new Feed<{path: string; value: string}>()
    const task = (index: number) => ({path: join(source, 'articles', `a${index}.md`), value: article({omit: ['title'], frontmatter: `title: Story ${index}`})})
    feed.push(task(0))
    const replies: Array<[number, string]> = []
    const run = actual.processInPool(2, {source, site, conventions, summaries: true}, feed, (id, record, summary) => {
      replies.push([id, JSON.parse(Buffer.from(record).toString('utf8')).path])
      expect(JSON.parse(summary!.split('\n')[0]!).summary.meta.title).toBe(`Story ${id}`)
    })
    // Note: the threads load the knowledge meanwhile; the rest is given later.
    await new Promise((resolve) => setTimeout(resolve, 50))
    for (const index of [1, 2, 3]) feed.push(task(index))
    feed.close()
    await run
    expect(replies.sort(([a], [b]) => a - b)).toEqual([0, 1, 2, 3].map((index) => [index, task(index).path]))
  })

  it('includes taking in a reply that fails at once: the pool rejects, it does not hang', async () => {
    const source = await archive()
    const {site, conventions, actual} = await pool(source)
    const tasks = [{path: join(source, 'articles', 'a0.md'), value: article()}]
    const run = actual.processInPool(1, {source, site, conventions, summaries: false}, tasks, () => {
      throw new Error('cannot take it in')
    })
    await expect(run).rejects.toThrow('cannot take it in')
  })

  it('includes a worker that runs out of its heap', async () => {
    const source = await archive()
    const {site, conventions, actual} = await pool(source)
    // Note: the knowledge alone takes about 100 MB; a worker held to 16 MB stops as it loads it.
    const run = actual.runInPool('worker.js', 1, {source, site, conventions}, [{path: join(source, 'articles', 'a0.md'), value: article()}], () => undefined, 1, {maxOldGenerationSizeMb: 16})
    await expect(run).rejects.toThrow(/memory/)
    expect(actual.stageHeapMb).toBeGreaterThanOrEqual(200)
  })
})

describe('the worker pool of the per-article stage', () => {
  it.each([
    [5, [{size: 1, given: 1}]],
    [6, []]
  ])('is started for a single article to process when the build has at least poolForOneFrom articles (%i), else the main thread processes it: the dist/ of --jobs 0', async (from, started) => {
    const source = await archive()
    const dir = dirname(source)
    failAfter.count = Infinity
    poolForOne.from = Infinity
    const one = await build({source, out: join(dir, 'one'), cwd: dir, jobs: 0, cache: join(dir, 'cache')})
    // Note: one article changed; the others come from the cache. On the main thread, its knowledge (about 140 MB at 10,000 bench articles) stays for the rest of the build.
    await writeFile(join(source, 'articles', 'a3.md'), article({omit: ['title'], frontmatter: 'title: Story 3, again', body: 'Kenya criticized Uganda on Monday.\n'}))
    pools.length = 0
    poolForOne.from = from
    const two = await build({source, out: join(dir, 'two'), cwd: dir, jobs: 2, cache: join(dir, 'cache')})
    poolForOne.from = Infinity
    expect(two).toMatchObject({written: true, errors: 0, articles: 5, processed: 1, cached: 4})
    expect(pools).toEqual(started)
    const three = await build({source, out: join(dir, 'three'), cwd: dir, jobs: 0})
    expect(await readTree(join(dir, 'two'))).toEqual(await readTree(join(dir, 'three')))
    expect([one.written, three.written]).toEqual([true, true])
  })
})
