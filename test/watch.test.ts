// Watch: builds in one process share a memory (the articles read, the main thread's processor), and `--watch` builds again on each change.
import {spawn} from 'node:child_process'
import {renameSync, writeFileSync} from 'node:fs'
import {mkdir, readFile, readdir, rm, writeFile} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'
import {describe, expect, it, vi} from 'vitest'
import {build, type BuildResult} from '../pipeline/build.js'
import {growHeapsLess, heapGrowingFlag, watchHeapGrowingPercent} from '../pipeline/heap.js'
import {pageEventLimit} from '../pipeline/emit/html-items.js'
import {createBuildMemory} from '../pipeline/memory.js'
import {releasedEvent} from '../pipeline/summary-events.js'
import {buildOwn, settleMs, watchBuild} from '../pipeline/watch.js'
import {article, readTree, root, sourceTree} from './helpers.js'

// Note: V8's flags are the process's: a watch here would set them for the tests' own thread, which is told instead.
vi.mock('../pipeline/heap.js', async (importOriginal) => ({...(await importOriginal<typeof import('../pipeline/heap.js')>()), growHeapsLess: vi.fn()}))

/** Articles with entities and events, in two folders. */
function archive(count: number): Record<string, string> {
  const files: Record<string, string> = {'site.yaml': 'title: Test\nbaseUrl: https://example.org/news/\n'}
  for (let index = 0; index < count; index++) {
    files[`articles/${index % 2 ? 'a' : 'b'}/story-${index}.md`] = article({
      omit: ['title'],
      frontmatter: `title: Story ${index}`,
      body: `Kenya criticized Uganda on Monday, officials in Nairobi said. Prime Minister Ana Duarte of Peru will visit Chile in March ${2000 + index}.\n`
    })
  }
  return files
}

async function setUp(count: number) {
  const source = await sourceTree(archive(count))
  const dir = dirname(source)
  return {source, dir, cache: join(dir, 'cache'), out: join(dir, 'dist')}
}

/** Give the article `story-<index>` a new title (and so new outputs). */
async function retitle(source: string, index: number, title: string): Promise<void> {
  const path = join(source, 'articles', index % 2 ? 'a' : 'b', `story-${index}.md`)
  await writeFile(path, (await readFile(path, 'utf8')).replace(/^title: .*$/m, `title: ${title}`))
}

/** The dist/ of a build from scratch (no cache, no memory) of `source`. */
async function fromScratch(source: string, dir: string): Promise<Map<string, string>> {
  const out = join(dir, `scratch-${Math.random().toString(36).slice(2)}`)
  expect((await build({source, out, cwd: dir})).written).toBe(true)
  return readTree(out)
}

/** Overwrite every file of the cache's articles (records and summaries): a build that reads one cannot use it. Resolves to how many. */
async function spoilCache(cache: string): Promise<number> {
  let spoiled = 0
  const dir = join(cache, 'articles')
  for (const sub of await readdir(dir)) {
    for (const name of await readdir(join(dir, sub))) {
      await writeFile(join(dir, sub, name), 'not a record')
      spoiled++
    }
  }
  return spoiled
}

describe('a build with a memory', () => {
  it('takes the unchanged articles from the last build in the process, reading neither their sources nor the cache, and gives the dist/ of a build from scratch', async () => {
    const {source, dir, cache, out} = await setUp(5)
    const memory = createBuildMemory()
    const first = await build({source, out, cwd: dir, cache, memory})
    expect(first).toMatchObject({written: true, processed: 5, cached: 0, remembered: 0})
    expect([...memory.articles.values()].map(({path}) => path.slice(source.length + 1)).sort()).toEqual(['articles/a/story-1.md', 'articles/a/story-3.md', 'articles/b/story-0.md', 'articles/b/story-2.md', 'articles/b/story-4.md'])
    // Every entry of the cache made unreadable: without the memory, each article would be processed again.
    expect(await spoilCache(cache)).toBe(10)
    await retitle(source, 1, 'Story one, revised')
    const second = await build({source, out, cwd: dir, cache, memory})
    expect(second).toMatchObject({written: true, processed: 1, cached: 4, remembered: 4, reused: 4})
    expect(await readTree(out)).toEqual(await fromScratch(source, dir))
    // The same build with a fresh memory reads the cache, and so processes them all.
    await retitle(source, 1, 'Story one')
    await spoilCache(cache)
    expect(await build({source, out, cwd: dir, cache, memory: createBuildMemory()})).toMatchObject({processed: 5, remembered: 0})
  })

  it('keeps the processor of the main thread for the inputs it was made of, and lets it and the articles go when those change', async () => {
    const {source, dir, cache, out} = await setUp(3)
    const memory = createBuildMemory()
    await build({source, out, cwd: dir, cache, memory})
    const made = memory.processor?.made
    expect(made).toBeDefined()
    await retitle(source, 0, 'Story zero')
    expect(await build({source, out, cwd: dir, cache, memory})).toMatchObject({processed: 1, remembered: 2})
    expect(memory.processor?.made).toBe(made)
    // The registry is an input of every article: a new processor, and no article taken from the memory.
    await writeFile(join(source, 'entities.yaml'), '- id: ana-duarte\n  type: Person\n  name: Ana Duarte\n')
    const changed = await build({source, out, cwd: dir, cache, memory})
    expect(changed).toMatchObject({written: true, processed: 3, remembered: 0})
    expect(memory.processor?.made).not.toBe(made)
    expect(await readTree(out)).toEqual(await fromScratch(source, dir))
  })

  it('keeps the keys of the articles\u2019 outputs for the next build, which makes them again where what an article draws on changed', async () => {
    const {source, dir, cache, out} = await setUp(4)
    const memory = createBuildMemory()
    await build({source, out, cwd: dir, cache, memory})
    const kept = memory.outputKeys!
    expect(kept.articles.size).toBe(4)
    // The keys it keeps are the ones the next build uses: spoiled, no unchanged article's outputs are the same as the last build's.
    for (const [recordKey, entry] of kept.articles) kept.articles.set(recordKey, {...entry, key: `spoiled ${recordKey}`})
    await retitle(source, 1, 'Story one, revised')
    expect(await build({source, out, cwd: dir, cache, memory})).toMatchObject({written: true, processed: 1, remembered: 3, reused: 0})
    expect(await readTree(out)).toEqual(await fromScratch(source, dir))
    // Every article names Ada Reporter as its author; one now gives her URL, which her merged node (drawn on by all four) takes.
    const path = join(source, 'articles', 'a', 'story-3.md')
    await writeFile(path, (await readFile(path, 'utf8')).replace('  name: Ada Reporter', '  name: Ada Reporter\n  url: https://example.org/staff/ada'))
    expect(await build({source, out, cwd: dir, cache, memory})).toMatchObject({written: true, processed: 1, remembered: 3, reused: 0})
    const scratch = await fromScratch(source, dir)
    expect(scratch.get('articles/story-0/index.html')).toContain('https://example.org/staff/ada')
    expect(await readTree(out)).toEqual(scratch)
  })

  it('keeps the last build\u2019s manifest but its messages, used while its file is the one saved, and reads the file once another build saved one', async () => {
    const {source, dir, cache, out} = await setUp(4)
    const memory = createBuildMemory()
    await build({source, out, cwd: dir, cache, memory})
    const kept = memory.manifest!
    expect(kept.manifest.articles).toHaveLength(4)
    expect(Object.keys(kept.reuse!.articleOutputs)).toHaveLength(4)
    expect('files' in kept.manifest).toBe(false)
    // The manifest it keeps is the one the next build uses: spoiled, no article's outputs are found to reuse (the file would give three).
    memory.manifest = {...kept, reuse: {...kept.reuse!, articleOutputs: {}}}
    await retitle(source, 1, 'Story one, revised')
    expect(await build({source, out, cwd: dir, cache, memory})).toMatchObject({written: true, processed: 1, remembered: 3, reused: 0})
    expect(await readTree(out)).toEqual(await fromScratch(source, dir))
    // Spoiled again, then another build into the same out (another process, say) saves a manifest of its own: that file is read.
    memory.manifest = {...memory.manifest!, reuse: {...memory.manifest!.reuse!, articleOutputs: {}}}
    await retitle(source, 2, 'Story two, revised')
    const other = await build({source, out, cwd: dir, cache})
    expect(other).toMatchObject({written: true, processed: 1, reused: 3})
    await retitle(source, 3, 'Story three, revised')
    expect(await build({source, out, cwd: dir, cache, memory})).toMatchObject({written: true, processed: 1, remembered: 2, reused: 3})
    expect(await readTree(out)).toEqual(await fromScratch(source, dir))
    // A no-op reads the messages of the manifest it keeps from its file: the counts of the build that saved it.
    const last = await build({source, out, cwd: dir, cache})
    expect(last.upToDate).toBe(true)
    expect(await build({source, out, cwd: dir, cache, memory})).toMatchObject({upToDate: true, cached: 0, warnings: last.warnings, infos: last.infos})
    expect(last.infos).toBeGreaterThan(0)
  })

  it('keeps, after a no-op, the manifest without where the outputs are, which the next build reads from its file', async () => {
    const {source, dir, cache, out} = await setUp(3)
    await build({source, out, cwd: dir, cache})
    const memory = createBuildMemory()
    expect(await build({source, out, cwd: dir, cache, memory})).toMatchObject({upToDate: true})
    // A no-op does not read where the last build's outputs are.
    expect(memory.manifest?.reuse).toBeUndefined()
    await retitle(source, 1, 'Story one, revised')
    expect(await build({source, out, cwd: dir, cache, memory})).toMatchObject({written: true, processed: 1, remembered: 2, reused: 2})
    expect(Object.keys(memory.manifest!.reuse!.articleOutputs)).toHaveLength(3)
    expect(await readTree(out)).toEqual(await fromScratch(source, dir))
  })

  it('processes one changed article in this thread, with the processor it keeps, even with workers', async () => {
    const {source, dir, cache, out} = await setUp(3)
    const memory = createBuildMemory()
    // Three articles on two workers: the main thread makes no processor.
    await build({source, out, cwd: dir, cache, memory, jobs: 2})
    expect(memory.processor).toBeUndefined()
    await retitle(source, 2, 'Story two')
    expect(await build({source, out, cwd: dir, cache, memory, jobs: 2})).toMatchObject({processed: 1, remembered: 2})
    expect(memory.processor).toBeDefined()
    expect(await readTree(out)).toEqual(await fromScratch(source, dir))
  })

  it('keeps every event of its summaries, where the site\u2019s steps let go of those no page or feed shows', async () => {
    // More events of the same two countries than a page (100) or a feed shows: the site lets go of the oldest.
    const files: Record<string, string> = {'site.yaml': 'title: Test\nbaseUrl: https://example.org/news/\n'}
    for (let index = 0; index < 3; index++) {
      const sentences = Array.from({length: 56}, (_, day) => `Kenya criticized Uganda on ${(day % 28) + 1} ${day < 28 ? 'March' : 'April'} ${2000 + index}.`)
      files[`articles/story-${index}.md`] = article({omit: ['title'], frontmatter: `title: Story ${index}`, body: `${sentences.join(' ')}\n`})
    }
    const source = await sourceTree(files)
    const dir = dirname(source)
    const cache = join(dir, 'cache')
    const out = join(dir, 'dist')
    const memory = createBuildMemory()
    await build({source, out, cwd: dir, cache, memory})
    const events = [...memory.articles.values()].flatMap(({summary}) => summary.events.all())
    expect(events.length).toBeGreaterThan(pageEventLimit + 10)
    expect(events.filter((event) => event === releasedEvent)).toEqual([])
    const path = join(source, 'articles', 'story-1.md')
    await writeFile(path, (await readFile(path, 'utf8')).replace('title: Story 1', 'title: Story one'))
    expect(await build({source, out, cwd: dir, cache, memory})).toMatchObject({written: true, processed: 1, remembered: 2})
    expect(await readTree(out)).toEqual(await fromScratch(source, dir))
  })

  it('forgets its articles when a record they point at is gone from the cache, so that the next build reads the cache anew', async () => {
    const {source, dir, cache, out} = await setUp(3)
    const memory = createBuildMemory()
    await build({source, out, cwd: dir, cache, memory})
    const [gone] = [...memory.articles.values()].filter(({path}) => path.endsWith('story-2.md'))
    await rm(gone!.record.file)
    // An output changed by hand: no output of the last build is reused, every record is read back.
    await writeFile(join(out, 'feed.xml'), 'changed by hand')
    await retitle(source, 0, 'Story zero')
    const failed = await build({source, out, cwd: dir, cache, memory})
    expect(failed).toMatchObject({written: false, remembered: 2})
    expect(failed.files.flatMap((file) => file.messages.map((message) => message.ruleId))).toContain('record-unreadable')
    expect(memory.articles.size).toBe(0)
    // The cache misses the record: its article is processed again.
    expect(await build({source, out, cwd: dir, cache, memory})).toMatchObject({written: true, processed: 1, remembered: 0})
    expect(await readTree(out)).toEqual(await fromScratch(source, dir))
  })

  it('reads the articles into an empty memory when nothing changed, and tells a no-op', async () => {
    const {source, dir, cache, out} = await setUp(3)
    await build({source, out, cwd: dir, cache})
    const before = await readTree(out)
    // Without a memory, the fast path: nothing read.
    expect(await build({source, out, cwd: dir, cache})).toMatchObject({upToDate: true, cached: 0})
    const memory = createBuildMemory()
    const noop = await build({source, out, cwd: dir, cache, memory})
    expect(noop).toMatchObject({written: false, upToDate: true, articles: 3, cached: 3, processed: 0})
    expect(memory.articles.size).toBe(3)
    expect(await readTree(out)).toEqual(before)
    // A second no-op with that memory is the fast path: nothing read.
    expect(await build({source, out, cwd: dir, cache, memory})).toMatchObject({upToDate: true, cached: 0})
    await spoilCache(cache)
    await retitle(source, 0, 'Story zero')
    expect(await build({source, out, cwd: dir, cache, memory})).toMatchObject({written: true, processed: 1, remembered: 2})
    expect(await readTree(out)).toEqual(await fromScratch(source, dir))
  })
})

/** Wait until `condition` holds (checked every 20 ms), for at most `ms`. */
async function until(condition: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('Timed out')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('watchBuild', () => {
  it('builds, then again after a change, the changes close together once, and stops when closed', async () => {
    const {source, dir, cache, out} = await setUp(3)
    const results: BuildResult[] = []
    const watch = watchBuild({source, out, cwd: dir, cache}, {onBuild: (result) => void results.push(result), onBuildError: (error) => expect.fail(error.message)})
    await until(() => results.length === 1)
    expect(results[0]).toMatchObject({written: true, processed: 3})
    await retitle(source, 0, 'Story zero')
    await until(() => results.length === 2)
    expect(results[1]).toMatchObject({written: true, processed: 1, remembered: 2})
    expect(await readTree(out)).toEqual(await fromScratch(source, dir))
    // Two files changed within the settling time: one build of both.
    await retitle(source, 1, 'Story one')
    await retitle(source, 2, 'Story two')
    await until(() => results.length === 3)
    await new Promise((resolve) => setTimeout(resolve, settleMs * 3))
    await watch.idle()
    expect(results.length).toBe(3)
    expect(results[2]).toMatchObject({written: true, processed: 2, remembered: 1})
    // An article added and one removed.
    await writeFile(join(source, 'articles', 'a', 'story-9.md'), archive(10)['articles/a/story-9.md']!)
    await rm(join(source, 'articles', 'b', 'story-0.md'))
    await until(() => results.length === 4 && results[3]!.articles === 3)
    await watch.idle()
    expect(results.at(-1)).toMatchObject({written: true, articles: 3})
    expect(await readTree(out)).toEqual(await fromScratch(source, dir))
    await watch.close()
    await expect(watch.closed).resolves.toBeUndefined()
    const builds = watch.builds()
    await retitle(source, 1, 'Story one, after')
    await new Promise((resolve) => setTimeout(resolve, settleMs * 3))
    expect(watch.builds()).toBe(builds)
  })

  it('builds again on each save of a file replaced by another (written beside, then renamed over it), and of an article in a folder made since', async () => {
    const {source, dir, cache, out} = await setUp(2)
    const results: BuildResult[] = []
    const watch = watchBuild({source, out, cwd: dir, cache}, {onBuild: (result) => void results.push(result), onBuildError: (error) => expect.fail(error.message)})
    await until(() => results.length === 1)
    /**
     * Save as editors that keep the old file until the new one is whole do, and `sed -i`, in another process: at once,
     * before this one hears of the file beside (Node 20's recursive watcher then reported the first such save of a file only).
     */
    const save = async (path: string, title: string) => {
      const text = (await readFile(path, 'utf8')).replace(/^title: .*$/m, `title: ${title}`)
      writeFileSync(`${path}.swp`, text)
      renameSync(`${path}.swp`, path)
    }
    const story = join(source, 'articles', 'b', 'story-0.md')
    /** Save, then wait for the build (or builds: the file beside is a change too) that follows. */
    const built = async (path: string, title: string) => {
      const builds = results.length
      await save(path, title)
      await until(() => results.length > builds)
      await watch.idle()
      expect(results.slice(builds).map(({processed}) => processed)).toContain(1)
      expect(await readFile(join(out, 'articles', basename(path, '.md'), 'index.html'), 'utf8')).toContain(title)
    }
    for (const title of ['Story zero', 'Story zero, again', 'Story zero, once more']) await built(story, title)
    // A folder made since the watch began, then an article saved in it twice.
    const added = join(source, 'articles', 'c', 'new', 'story-7.md')
    await mkdir(dirname(added), {recursive: true})
    await writeFile(added, archive(8)['articles/a/story-7.md']!)
    await until(() => results.at(-1)!.articles === 3)
    await watch.idle()
    await built(added, 'Story seven')
    await built(added, 'Story seven, again')
    expect(await readTree(out)).toEqual(await fromScratch(source, dir))
    await watch.close()
  })

  it('lets V8 grow its heaps less once its first build is done, not before, and once', async () => {
    const {source, dir, cache, out} = await setUp(2)
    const grown = vi.mocked(growHeapsLess)
    grown.mockClear()
    const results: BuildResult[] = []
    const before: number[] = []
    const watch = watchBuild({source, out, cwd: dir, cache}, {onBuild: (result) => void (before.push(grown.mock.calls.length), results.push(result)), onBuildError: (error) => expect.fail(error.message)})
    await until(() => results.length === 1 && grown.mock.calls.length === 1)
    await retitle(source, 0, 'Story zero')
    await until(() => results.length === 2)
    await watch.idle()
    await watch.close()
    expect(before).toEqual([0, 1])
    expect(grown).toHaveBeenCalledTimes(1)
  })

  it('makes the main thread\u2019s processor while it waits for a change, when the articles were processed on workers', async () => {
    const {source, dir, cache, out} = await setUp(3)
    const results: BuildResult[] = []
    const watch = watchBuild({source, out, cwd: dir, cache, jobs: 2}, {onBuild: (result) => void results.push(result), onBuildError: (error) => expect.fail(error.message)})
    await until(() => results.length === 1)
    expect(results[0]).toMatchObject({written: true, processed: 3})
    await until(() => watch.memory.processor !== undefined)
    const made = watch.memory.processor!.made
    await made
    await retitle(source, 0, 'Story zero')
    await until(() => results.length === 2)
    expect(results[1]).toMatchObject({written: true, processed: 1, remembered: 2})
    expect(watch.memory.processor!.made).toBe(made)
    await watch.close()
  })

  it('tells a build that fails, and builds again once the error is mended', async () => {
    const {source, dir, cache, out} = await setUp(2)
    const results: BuildResult[] = []
    const watch = watchBuild({source, out, cwd: dir, cache}, {onBuild: (result) => void results.push(result), onBuildError: (error) => expect.fail(error.message)})
    await until(() => results.length === 1)
    const before = await readTree(out)
    const path = join(source, 'articles', 'b', 'story-0.md')
    const text = await readFile(path, 'utf8')
    await writeFile(path, text.replace(/^title: .*$/m, 'title: [unclosed'))
    await until(() => results.length === 2)
    expect(results[1]).toMatchObject({written: false})
    expect(results[1]!.errors).toBeGreaterThan(0)
    expect(await readTree(out)).toEqual(before)
    await writeFile(path, text.replace(/^title: .*$/m, 'title: Mended'))
    await until(() => results.length === 3)
    expect(results[2]).toMatchObject({written: true, processed: 1, remembered: 1})
    await watch.close()
  })

  it('takes for the build\u2019s own what it writes inside the source directory: its output, what it stages and locks beside it, its cache', () => {
    const own = buildOwn({out: 'source/site', cache: 'source/.cache', cwd: '/work'})
    const owned = ['/work/source/site', '/work/source/site/index.html', '/work/source/.site-tmp-12-ab01/feed.xml', '/work/source/.site-old-12-ab01', '/work/source/.site.lock', '/work/source/.cache/builds/x.json']
    const sources = ['/work/source', '/work/source/site.yaml', '/work/source/articles/a.md', '/work/source/sites/a.md', '/work/source/.sites.lock', '/work/source/.site-new-12-ab01', '/work/other/site/index.html']
    expect(owned.filter(own)).toEqual(owned)
    expect(sources.filter(own)).toEqual([])
  })

  it('lets the build in progress end when closed, and builds no more', async () => {
    const {source, dir, cache, out} = await setUp(2)
    const results: BuildResult[] = []
    const watch = watchBuild({source, out, cwd: dir, cache}, {onBuild: (result) => void results.push(result), onBuildError: (error) => expect.fail(error.message)})
    expect(watch.building()).toBe(true)
    await retitle(source, 0, 'Story zero')
    await watch.close()
    expect(watch.building()).toBe(false)
    expect(results).toHaveLength(1)
    expect(results[0]!.written).toBe(true)
    expect((await readTree(out)).size).toBeGreaterThan(0)
    await new Promise((resolve) => setTimeout(resolve, settleMs * 3))
    expect(watch.builds()).toBe(1)
  })

  it('rejects `closed` when the source directory cannot be watched', async () => {
    const {dir} = await setUp(1)
    const watch = watchBuild({source: join(dir, 'missing'), out: join(dir, 'dist'), cwd: dir}, {onBuild: () => undefined, onBuildError: () => undefined})
    await expect(watch.closed).rejects.toThrow(/ENOENT/)
  })

  it('rejects `closed` when the source directory is removed while watched', async () => {
    const {source, dir, out} = await setUp(1)
    const results: BuildResult[] = []
    const watch = watchBuild({source, out, cwd: dir}, {onBuild: (result) => void results.push(result), onBuildError: (error) => expect.fail(error.message)})
    await until(() => results.length === 1)
    await rm(source, {recursive: true})
    await expect(watch.closed).rejects.toThrow(/ENOENT/)
    await watch.close()
  })
})

describe('heapGrowingFlag', () => {
  it('is V8\u2019s heap growing percent for a long-lived process, unless node was started with one, spelled either way', () => {
    const flag = `--heap-growing-percent=${watchHeapGrowingPercent}`
    expect(heapGrowingFlag([])).toBe(flag)
    expect(heapGrowingFlag(['--max-old-space-size=4096', '--heap-growing-percentage=1', '--no-heap-growing-percent-x'])).toBe(flag)
    expect(heapGrowingFlag(['--heap-growing-percent=0'])).toBeUndefined()
    expect(heapGrowingFlag(['--max-old-space-size=4096', '--heap_growing_percent', '20'])).toBeUndefined()
  })
})

describe('newsgraph build --watch', () => {
  it('tells each build as a build does, the rebuilds without a start, and exits 0 on SIGINT', async () => {
    const {source, dir, cache, out} = await setUp(2)
    const child = spawn(process.execPath, [join(root, 'bin', 'newsgraph.js'), 'build', '--watch', '--timings', '--quiet', '--source', source, '--out', out, '--cache', cache], {cwd: dir, env: {...process.env, CI: ''}})
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
    const watching = () => stderr.split('\n').filter((line) => line.startsWith('newsgraph: watching ')).length
    await until(() => watching() === 1)
    await retitle(source, 1, 'Story one')
    await until(() => watching() === 2)
    child.kill('SIGINT')
    expect(await exited).toBe(0)
    const lines = stderr.trimEnd().split('\n')
    expect(lines).toEqual([
      expect.stringMatching(/^newsgraph: built 2 articles, 0 errors, 0 warnings, 2 suggestions in \d+ ms → /),
      expect.stringMatching(/^newsgraph: timings: start [1-9]\d* ms, setup \d+ ms/),
      `newsgraph: watching ${source}/ for changes (Ctrl-C to stop)`,
      expect.stringMatching(/^newsgraph: built 2 articles, 0 errors, 0 warnings, 2 suggestions, 1 from the cache, outputs of 1 reused \([^)]+\) in \d+ ms → /),
      expect.stringMatching(/^newsgraph: timings: start 0 ms, setup \d+ ms, articles \d+ ms \(processing [1-9]\d* ms\)/),
      `newsgraph: watching ${source}/ for changes (Ctrl-C to stop)`,
      'newsgraph: stopped watching'
    ])
  })

  it.each([
    [['build', '--watch', '--shard', '1/2'], /^newsgraph: expected `--watch` or `--shard I\/N`, not both/],
    [['merge', 'part', '--watch'], /^newsgraph: `--cache`, `--no-cache`, `--shard` and `--watch` are options of `build`/]
  ])('exits 2 on %j', async (args, message) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'newsgraph.js'), ...args], {cwd: root})
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
    expect(await new Promise((resolve) => child.on('close', resolve))).toBe(2)
    expect(stderr.split('\n')[0]).toMatch(message)
  })

  it('exits 1 when the source directory cannot be watched', async () => {
    const {dir} = await setUp(1)
    const child = spawn(process.execPath, [join(root, 'bin', 'newsgraph.js'), 'build', '--watch', '--source', join(dir, 'missing'), '--out', join(dir, 'dist'), '--no-cache'], {cwd: dir})
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
    expect(await new Promise((resolve) => child.on('close', resolve))).toBe(1)
    expect(stderr).toMatch(/^newsgraph: cannot watch `.*missing`: .*ENOENT/m)
  })
})
