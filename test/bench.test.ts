// `make bench`: the generated corpus is deterministic and builds, and the benchmark runs.
import {execFile} from 'node:child_process'
import {readFile, rm} from 'node:fs/promises'
import {join} from 'node:path'
import {promisify} from 'node:util'
import {describe, expect, it} from 'vitest'
import {generateCorpus} from '../bench/generate.js'
import {buildTree, messagesOf, root, temporaryDirectory} from './helpers.js'

const run = promisify(execFile)

describe('bench corpus', () => {
  it('is deterministic: the same seed gives the same files, another seed others', () => {
    const first = generateCorpus(10, 1)
    expect([...generateCorpus(10, 1)]).toEqual([...first])
    const other = generateCorpus(10, 2)
    expect([...other]).not.toEqual([...first])
    expect(first.get('site.yaml')).toContain('baseUrl: https://')
    expect([...first.keys()].filter((path) => path.endsWith('.md'))).toHaveLength(10)
  })

  it('has articles of about 1,000 words with quotations, sources and dates', () => {
    for (const [path, text] of generateCorpus(10, 3)) {
      if (!path.endsWith('.md')) continue
      const body = text.replace(/^---\n[\s\S]*?\n---\n/, '')
      const words = body.match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu)?.length ?? 0
      expect(words, path).toBeGreaterThan(800)
      expect(words, path).toBeLessThan(1300)
      expect(text).toMatch(/^datePublished: "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:Z|[+-]\d\d:\d\d)"$/m)
      expect(body).toMatch(/^> .* \[\^[a-z-]+\]$/m)
      expect(body).toMatch(/^\[\^[a-z-]+\]: /m)
    }
  })

  it('builds with 0 errors', async () => {
    const files = Object.fromEntries(generateCorpus(10, 4))
    const {result, source} = await buildTree(files)
    const problems = messagesOf(result, source).filter((message) => /: (error|warning): /.test(message))
    expect(result.errors, problems.join('\n')).toBe(0)
    expect(result.articles).toBe(10)
    expect(result.written).toBe(true)
  })
})

describe('bench/run.ts --smoke', () => {
  it('exits 0 and writes its results as JSON', {timeout: 300_000}, async () => {
    const dir = await temporaryDirectory('newsgraph-bench-test-')
    const out = join(dir, 'results.json')
    const {stdout} = await run(process.execPath, [join(root, 'node_modules', 'vite-node', 'vite-node.mjs'), 'bench/run.ts', '--', '--smoke', '--profile', '--rebuilds', '2', '--out', out], {cwd: root, maxBuffer: 16 * 2 ** 20})
    expect(stdout).toContain('| articles |')
    const results = JSON.parse(await readFile(out, 'utf8'))
    // The profile covers every thread of the build, each kept as a file: the main thread's alone is mostly idle, waiting for the workers.
    expect(results.profile.threads.map((thread: {role: string}) => thread.role).sort()).toEqual(['emit worker', 'main thread', 'stage worker'])
    for (const thread of results.profile.threads) {
      expect(thread.busyMs, thread.role).toBeGreaterThan(0)
      expect(JSON.parse(await readFile(thread.file, 'utf8')).samples.length, thread.role).toBeGreaterThan(0)
    }
    const modules = results.profile.byNewsgraphModule.map((entry: {name: string}) => entry.name)
    // The Markdown parse (in the stage worker) and the validation of the outputs (in the emit worker): the validators of schemas.ts, which
    // compile a schema when first called, call ajv's code for the checks of check.ts.
    expect(modules).toContain('newsgraph gfm')
    expect(modules).toContain('newsgraph schemas')
    expect(results.profile.busyMs).toBeCloseTo(results.profile.threads.reduce((sum: number, thread: {busyMs: number}) => sum + thread.busyMs, 0), -1)
    await rm(dir, {recursive: true, force: true})
    expect(results).toMatchObject({
      measuredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      machine: {cpus: expect.any(Number), node: process.version},
      seed: 1,
      fixed: {startupMs: expect.any(Number), knowledge: {importMs: expect.any(Number), loadMs: expect.any(Number)}, oneArticleBuild: {wallMs: expect.any(Number)}}
    })
    expect(results.runs).toHaveLength(1)
    const [smoke] = results.runs
    expect(smoke).toMatchObject({articles: 20, baseline: {msPerArticle: expect.any(Number)}, ratio: expect.any(Number)})
    for (const key of ['full', 'noopRebuild', 'changedRebuild', 'changedLastRebuild']) {
      expect(smoke[key]).toMatchObject({articles: 20, errors: 0, wallMs: expect.any(Number), msPerArticle: expect.any(Number), articlesPerSecond: expect.any(Number)})
    }
    expect(smoke.full.maxRssMB).toBeGreaterThan(0)
    // Each build's parts, as its --timings line gives them: the no-op is its setup alone; a rebuild processes the article changed.
    const parts = {start: expect.any(Number), setup: expect.any(Number), articles: expect.any(Number), processing: expect.any(Number), merge: expect.any(Number), report: expect.any(Number)}
    for (const key of ['full', 'noopRebuild', 'changedRebuild', 'changedLastRebuild']) expect(smoke[key].timings).toEqual(parts)
    expect(smoke.noopRebuild.timings).toMatchObject({articles: 0, processing: 0, merge: 0})
    expect(smoke.changedRebuild.timings.processing).toBeGreaterThan(0)
    expect(smoke.changedRebuild.timings.merge).toBeGreaterThan(0)
    // One title changed (of the first article, then of the last): that article is processed again, the others come from the cache with their outputs.
    expect(smoke.changedRebuild).toMatchObject({cached: 19, reused: 19})
    expect(smoke.changedLastRebuild).toMatchObject({cached: 19, reused: 19, copied: expect.stringMatching(/^[\d.]+ [kMG]?B$/)})
    // The first changed: every row after its own moves, nothing is copied.
    expect(smoke.changedRebuild.copied).toBeUndefined()
    // Each rebuild measured twice (--rebuilds 2), alternating: the faster of the two is reported (the lower median), with both samples.
    for (const key of ['changedRebuild', 'changedLastRebuild']) {
      const walls = smoke[key].samples.map((sample: {wallMs: number}) => sample.wallMs)
      expect(walls).toHaveLength(2)
      expect(smoke[key].wallMs).toBe(Math.min(...walls))
      // The CLI left its last outputs to a process of their own: the next measurement waited for it, and says how long.
      for (const sample of smoke[key].samples) expect(sample.removedAfterMs).toBeGreaterThanOrEqual(0)
    }
    expect(stdout).toContain('rebuild after one changed title, the last (newest) article (2 of 2): ')
    // The same changes, twice each, made to one `--watch` process: its first build reads the articles into its memory
    // (a no-op), and each rebuild processes the article changed, the others from that memory, in a build of its own.
    expect(smoke.watch.firstBuild).toMatchObject({upToDate: true, cached: 20, timings: parts})
    for (const key of ['changedRebuild', 'changedLastRebuild']) {
      expect(smoke.watch[key]).toMatchObject({processed: 1, cached: 19, reused: 19, timings: {...parts, start: 0}})
      expect(smoke.watch[key].samples).toHaveLength(2)
      expect(smoke.watch[key].wallMs).toBe(Math.min(...smoke.watch[key].samples))
      expect(smoke.watch[key].timings.processing).toBeGreaterThan(0)
    }
    expect(smoke.watch.maxRssMB).toBeGreaterThan(0)
    expect(stdout).toMatch(/--watch: rebuild after one changed title, the last \(newest\) article: [\d.]+ ms from the change/)
  })
})
