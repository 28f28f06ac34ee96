// A worker pool that fails (a worker that cannot start, dies, or runs out of its heap) is not fatal: what it left is processed on the main thread. A pool is started for a single article to process.
import {readFile, writeFile} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import {describe, expect, it, vi} from 'vitest'
import {build} from '../pipeline/build.js'
import {Feed} from '../pipeline/feed.js'
import {loadConventions, loadSite} from '../pipeline/load.js'
import type * as workers from '../pipeline/workers.js'
import {VFile} from 'vfile'
import {article, readTree, sourceTree} from './helpers.js'

const failAfter = {count: Infinity}
/** The size of each pool started, how many articles it was given, and how many were waiting in its feed when it started. */
const pools: Array<{size: number; given: number; waiting: number | undefined}> = []
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
      const started = {size, given: 0, waiting: tasks instanceof Feed ? tasks.waiting : undefined}
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

  it('hands each record over as a view of its worker\'s shared slab, given back and reused only once taken in', async () => {
    const source = await archive()
    const {site, conventions, actual} = await pool(source)
    const tasks = [0, 1, 2, 3, 4].map((index) => ({path: join(source, 'articles', `a${index}.md`), value: article({omit: ['title'], frontmatter: `title: Story ${index}`})}))
    const pathOf = (record: Uint8Array) => JSON.parse(Buffer.from(record).toString('utf8')).path as string
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    let first: Uint8Array | undefined
    /** How many slabs the records came in: each is marked, at its end, the first time it is seen. */
    let slabs = 0
    const run = actual.processInPool(1, {source, site, conventions, summaries: false}, tasks, async (id, record) => {
      // Shared, not moved: this thread sees the worker's slab, past the record's bytes too.
      expect(record.buffer).toBeInstanceOf(SharedArrayBuffer)
      const slab = new Uint8Array(record.buffer)
      expect(slab.byteLength).toBeGreaterThan(record.byteLength)
      if (slab[slab.byteLength - 1] === 0) slab[slab.byteLength - 1] = ++slabs
      if (id === 0) {
        // The first record is held (as while it is being stored): its slab is the worker's to reuse only once this resolves.
        first = record
        await held
      }
      if (id === 4) release()
    })
    await run
    // The held record was not written over while the other four went through slabs given back after each.
    expect(pathOf(first!)).toBe(tasks[0]!.path)
    // Two articles are sent ahead to a worker: besides the held one's, at most two slabs, given back and reused.
    expect(slabs).toBeGreaterThanOrEqual(2)
    expect(slabs).toBeLessThanOrEqual(3)
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
  /** A build into `out` with a cache and `--jobs 2`, and the pools it started. */
  const rebuild = async (source: string, out: string) => {
    pools.length = 0
    const dir = dirname(source)
    const result = await build({source, out: join(dir, out), cwd: dir, jobs: 2, cache: join(dir, 'cache')})
    return {result, pools: [...pools]}
  }
  const change = (source: string, index: number, title: string) => writeFile(join(source, 'articles', `a${index}.md`), article({omit: ['title'], frontmatter: `title: ${title}`, body: 'Kenya criticized Uganda on Monday.\n'}))

  it.each([
    [5, [{size: 1, given: 1, waiting: 0}]],
    [6, []]
  ])('is started, before the sources are read, for a single article to process when the build has at least poolForOneFrom articles (%i), else the main thread processes it: the dist/ of --jobs 0', async (from, started) => {
    const source = await archive()
    const dir = dirname(source)
    failAfter.count = Infinity
    poolForOne.from = from
    try {
      expect((await rebuild(source, 'out')).result).toMatchObject({written: true, processed: 5})
      // Note: one article changed; the others come from the cache. On the main thread, its knowledge (about 140 MB at 10,000 bench articles) stays for the rest of the build.
      await change(source, 3, 'Story 3, again')
      const two = await rebuild(source, 'out')
      expect(two.result).toMatchObject({written: true, errors: 0, articles: 5, processed: 1, cached: 4})
      // Note: the manifest of the last build into out/ foretells the article to process: the pool starts before it is read (none waiting).
      expect(two.pools).toEqual(started)
    } finally {
      poolForOne.from = Infinity
    }
    const three = await build({source, out: join(dir, 'three'), cwd: dir, jobs: 0})
    expect(await readTree(join(dir, 'out'))).toEqual(await readTree(join(dir, 'three')))
    expect(three.written).toBe(true)
  })

  it('is started before the sources are read for the articles that changed since the last build, and ends when the cache holds them all', async () => {
    const source = await archive()
    failAfter.count = Infinity
    const originals = await Promise.all([1, 4].map((index) => readFile(join(source, 'articles', `a${index}.md`), 'utf8')))
    expect((await rebuild(source, 'out')).result).toMatchObject({written: true, processed: 5})
    await change(source, 1, 'Story 1, again')
    await change(source, 4, 'Story 4, again')
    const two = await rebuild(source, 'out')
    expect(two.result).toMatchObject({written: true, errors: 0, processed: 2, cached: 3})
    expect(two.pools).toEqual([{size: 2, given: 2, waiting: 0}])
    // Back as they were: changed since the last build, but in the cache. The pool, started for them, is given nothing and ends.
    await Promise.all([1, 4].map((index, place) => writeFile(join(source, 'articles', `a${index}.md`), originals[place]!)))
    const three = await rebuild(source, 'out')
    expect(three.result).toMatchObject({written: true, errors: 0, processed: 0, cached: 5})
    expect(three.pools).toEqual([{size: 2, given: 0, waiting: 0}])
    // Into another output directory (no manifest): found while reading, as before.
    await change(source, 2, 'Story 2, again')
    const four = await rebuild(source, 'elsewhere')
    expect(four.result).toMatchObject({written: true, errors: 0, processed: 1, cached: 4})
    expect(four.pools).toEqual([])
  })
})
