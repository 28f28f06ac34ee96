// `make bench`: how newsgraph scales with the size of the archive, measured honestly.
//
//   npx vite-node bench/run.ts -- [--articles 1000,10000] [--jobs 1,2] [--out bench-results.json]
//                                 [--seed 1] [--rebuilds 3] [--smoke] [--profile] [--keep]
//                                 [--node-option=--max-old-space-size=16384 …]
//
// For each size it generates a corpus (bench/generate.ts) into a temporary
// folder and measures, in one run:
//   - baseline: bare remark-parse (+ frontmatter) of every file, files read first;
//   - full build: the compiled CLI (`node bin/newsgraph.js build --quiet`) in a
//     child process, once per --jobs value (each with a fresh, empty cache):
//     wall time, ms/article, articles/s, peak RSS;
//   - no-op rebuild (same sources, same out, the cache of the last full
//     build: the fast path) and rebuild after one changed title (one article
//     processed, the others from the cache, then link, emit, check, write):
//     the first article in slug order (every row of the files that grow with
//     the corpus moves), then the last (the newest, as dated names sort: the
//     head of those files is copied from the last build), each --rebuilds
//     times (alternating: first, last, first, …; each changes the title
//     again), reported as the run of median wall time with every sample (a
//     single rebuild of 10,000 articles moves by seconds from run to run);
//   - the same rebuilds in one `newsgraph build --watch` process, started
//     after them: its first build (a no-op that reads every article into
//     its memory), then each change in turn, timed from the change written
//     to the build told (the other articles from its memory, the changed one
//     processed on its main thread with the processor it keeps), and its
//     peak RSS;
// and, once per run, the fixed costs of a build: starting the CLI (node and
// its imports), loading the knowledge (createKnowledge, as test/helpers.ts
// does), and building a one-article corpus. `--profile` adds a CPU profile
// (`node --cpu-prof`) of one more full build of the largest corpus with
// `--jobs 1`, of every thread (the main thread, the per-article stage's
// worker, the emit worker), and summarizes where their time goes. Results
// go to stdout and, as JSON, to --out (rewritten after each size). A build that fails (say, out of memory) is
// recorded as such, its rebuilds are skipped, and the run exits 1 at the end.
// The build runs from `out/` (compiled by `make`); a stale `out/` is reported.
import {spawn, spawnSync} from 'node:child_process'
import {existsSync, readdirSync, statSync} from 'node:fs'
import {mkdir, mkdtemp, readFile, readdir, rm, writeFile} from 'node:fs/promises'
import {cpus, loadavg, tmpdir, totalmem} from 'node:os'
import {basename, dirname, extname, join, relative, resolve} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {parseArgs} from 'node:util'
import remarkFrontmatter from 'remark-frontmatter'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {generateCorpus} from './generate.js'
import {readBeside} from '../pipeline/beside.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const cli = join(root, 'bin', 'newsgraph.js')

// ---------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------

const usage = 'Usage: npx vite-node bench/run.ts -- [--articles 1000,10000] [--jobs 1,2] [--out bench-results.json] [--seed 1] [--rebuilds 3] [--smoke] [--profile] [--keep] [--node-option=OPTION …]'
let options
try {
  options = parseArgs({
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    options: {
      articles: {type: 'string'},
      /** Worker counts to measure the full build with; the rebuilds use the last one. */
      jobs: {type: 'string', default: '1,2'},
      out: {type: 'string', default: 'bench-results.json'},
      seed: {type: 'string', default: '1'},
      /** How many times each rebuild after one changed title is measured (the median is reported); 1 with --smoke unless given. */
      rebuilds: {type: 'string'},
      smoke: {type: 'boolean', default: false},
      profile: {type: 'boolean', default: false},
      keep: {type: 'boolean', default: false},
      /** Options of the node that runs each build, e.g. `--node-option=--max-old-space-size=16384`. */
      'node-option': {type: 'string', multiple: true, default: []},
      help: {type: 'boolean', short: 'h', default: false}
    }
  }).values
} catch (error) {
  console.error(`bench: ${(error as Error).message}\n${usage}`)
  process.exit(2)
}
if (options.help) {
  console.log(usage)
  process.exit(0)
}
const sizes = (options.articles ?? (options.smoke ? '20' : '1000')).split(',').map((item) => Number(item.trim()))
const seed = Number(options.seed)
if (sizes.some((size) => !Number.isInteger(size) || size < 1) || !Number.isInteger(seed)) {
  console.error(`bench: expected --articles as positive integers separated by commas and an integer --seed\n${usage}`)
  process.exit(2)
}
const jobsList = options.jobs.split(',').map((item) => Number(item.trim()))
if (jobsList.some((jobs) => !Number.isInteger(jobs) || jobs < 0)) {
  console.error(`bench: expected --jobs as whole numbers separated by commas (0: the main thread alone)\n${usage}`)
  process.exit(2)
}
const rebuildRuns = Number(options.rebuilds ?? (options.smoke ? '1' : '3'))
if (!Number.isInteger(rebuildRuns) || rebuildRuns < 1) {
  console.error(`bench: expected --rebuilds as a positive integer\n${usage}`)
  process.exit(2)
}
const resultsPath = resolve(process.cwd(), options.out)
const buildNodeOptions = options['node-option']
/** Repetitions of the cheap fixed-cost measurements (median reported). */
const repeats = options.smoke ? 1 : 3

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

const log = (line: string) => process.stdout.write(`${line}\n`)
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

/** Whether `out/` is older than a source of `pipeline/` (then the CLI does not run the current code). */
function outStale(): boolean {
  const walk = (dir: string): string[] => readdirSync(dir, {withFileTypes: true}).flatMap((entry) => (entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)]))
  return walk(join(root, 'pipeline'))
    .filter((path) => path.endsWith('.ts'))
    .some((path) => {
      const compiled = join(root, 'out', relative(root, path)).replace(/\.ts$/, '.js')
      return !existsSync(compiled) || statSync(compiled).mtimeMs < statSync(path).mtimeMs
    })
}

/** How peak RSS is measured: GNU time, or a preloaded module reporting `process.resourceUsage().maxRSS`. */
const rssMethod: 'gnu-time' | 'resource-usage' = spawnSync('/usr/bin/time', ['-v', 'true'], {encoding: 'utf8'}).stderr?.includes('Maximum resident set size') ? 'gnu-time' : 'resource-usage'
const rssReporter = `data:text/javascript,process.on("exit",()=>process.stderr.write("\\nbench-maxrss-kb "+process.resourceUsage().maxRSS+"\\n"))`

interface Run {
  code: number | null
  signal: NodeJS.Signals | null
  wallMs: number
  maxRssMB: number | undefined
  stderr: string
  stdout: string
}

/** The command and arguments that run `node <nodeOptions> <args>` with its peak RSS reported (`rssMethod`). */
function nodeCommand(args: string[], nodeOptions: string[]): [string, string[]] {
  return rssMethod === 'gnu-time' ? ['/usr/bin/time', ['-v', process.execPath, ...nodeOptions, ...args]] : [process.execPath, ['--import', rssReporter, ...nodeOptions, ...args]]
}

/** The peak RSS in MB that a process run by `nodeCommand` reported on its standard error, if it did. */
function maxRssOf(stderr: string): number | undefined {
  const kb = rssMethod === 'gnu-time' ? /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1] : /bench-maxrss-kb (\d+)/.exec(stderr)?.[1]
  return kb === undefined ? undefined : Number(kb) / 1024
}

/** The parts of a build as its `--timings` line gives them (in `text`), if it is there. */
function timingsOf(text: string): BuildMeasure['timings'] | undefined {
  const timed = /newsgraph: timings: start (\d+) ms, setup (\d+) ms, articles (\d+) ms \(processing (\d+) ms\), merge (\d+) ms, report (\d+) ms/.exec(text)
  return timed ? {start: Number(timed[1]), setup: Number(timed[2]), articles: Number(timed[3]), processing: Number(timed[4]), merge: Number(timed[5]), report: Number(timed[6])} : undefined
}

/** The summary line of a build (`newsgraph: built …` or `up to date: …`) in `text`: 2 articles, 3 errors, 4 warnings, 5 from the cache, 6 outputs reused, 7 data copied, 8 ms. */
const summaryPattern = /newsgraph: (built|up to date:) (\d+) articles?, (\d+) errors?, (\d+) warnings?(?:, \d+ suggestions?)?(?:, (\d+) from the cache)?(?:, outputs of (\d+) reused(?: \(([\d.]+ [kMG]?B) of the site's data copied\))?)?(?:, pages of \d+ entit(?:y|ies) reused)? in (\d+) ms/

/** Run `node <args>` in a child process; wall time measured here, peak RSS as `rssMethod` says. */
function runNode(args: string[], nodeOptions: string[] = []): Promise<Run> {
  const [command, argv] = nodeCommand(args, nodeOptions)
  return new Promise((resolvePromise, reject) => {
    const started = performance.now()
    const child = spawn(command, argv, {cwd: root, stdio: ['ignore', 'pipe', 'pipe']})
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk))
    child.on('error', reject)
    child.on('close', (code, signal) => {
      const wallMs = performance.now() - started
      const stderr = Buffer.concat(err).toString('utf8')
      resolvePromise({code, signal, wallMs, maxRssMB: maxRssOf(stderr), stderr, stdout: Buffer.concat(out).toString('utf8')})
    })
  })
}

interface BuildMeasure {
  /** Worker threads (`--jobs`). */
  jobs: number
  /** Whether the build took the no-op fast path; articles taken from the cache, and those whose outputs were reused from the last build. */
  upToDate: boolean
  cached: number
  reused: number
  /** How much of the site's data (`graph.jsonld`, the CSVs) was copied from the last build, as the CLI says it (`1.42 GB`), if any. */
  copied?: string
  wallMs: number
  /** The time the CLI reports for `build()` itself (after node started and imported the pipeline). */
  buildMs: number
  /** What `--timings` prints, in ms: node and newsgraph loaded (`start`), then the parts of the build (`BuildTimings`) and its report. */
  timings: {start: number; setup: number; articles: number; processing: number; merge: number; report: number}
  /**
   * How long after the CLI ended the last build's outputs, swapped out, were
   * still being removed by the process of their own it left (`removeDetached`);
   * 0 when there were none. The next measurement starts after.
   */
  removedAfterMs: number
  msPerArticle: number
  articlesPerSecond: number
  maxRssMB: number | undefined
  articles: number
  errors: number
  warnings: number
}

/** A build that did not build every article: it failed, or the process died (out of memory). */
interface BuildFailure {
  failed: true
  wallMs: number
  maxRssMB: number | undefined
  exitCode: number | null
  signal: NodeJS.Signals | null
  /** The end of its standard error. */
  stderrTail: string
}

/** `newsgraph build --quiet --source <source> --out <out> --jobs <jobs> --cache <cache>` in a child process; a failure unless it built (or found up to date) `expected` articles. */
async function tryBuild(source: string, out: string, expected: number, build: {jobs: number; cache: string}, nodeOptions: string[] = []): Promise<BuildMeasure | BuildFailure> {
  const run = await runNode([cli, 'build', '--quiet', '--timings', '--source', source, '--out', out, '--jobs', String(build.jobs), '--cache', build.cache], [...buildNodeOptions, ...nodeOptions])
  const removedAfterMs = round(await removalDone(out))
  const summary = summaryPattern.exec(run.stderr)
  const timings = timingsOf(run.stderr)
  if (run.code !== 0 || !summary || !timings || Number(summary[2]) !== expected) {
    // Note: the lines that say what happened (a fatal V8 error, newsgraph's summary, the signal), not a native stack.
    const lines = run.stderr.split('\n').filter((line) => !/^\t|^\s*$/.test(line))
    const telling = lines.filter((line) => /FATAL|out of memory|newsgraph:|: error: |terminated by signal/i.test(line))
    const stderrTail = (telling.length > 0 ? telling.slice(-8) : lines.slice(-8)).join('\n')
    return {failed: true, wallMs: round(run.wallMs), maxRssMB: run.maxRssMB === undefined ? undefined : round(run.maxRssMB), exitCode: run.code, signal: run.signal, stderrTail}
  }
  return {
    jobs: build.jobs,
    upToDate: summary[1] !== 'built',
    cached: Number(summary[5] ?? 0),
    reused: Number(summary[6] ?? 0),
    ...(summary[7] ? {copied: summary[7]} : {}),
    wallMs: round(run.wallMs),
    buildMs: Number(summary[8]),
    timings,
    removedAfterMs,
    msPerArticle: round(run.wallMs / expected, 2),
    articlesPerSecond: round((expected / run.wallMs) * 1000, 2),
    maxRssMB: run.maxRssMB === undefined ? undefined : round(run.maxRssMB),
    articles: Number(summary[2]),
    errors: Number(summary[3]),
    warnings: Number(summary[4])
  }
}

/** A rebuild of `--watch`, from the change written to the line that says it is watching again. */
interface WatchMeasure {
  which: string
  /** From the change written to the build told (the settling time of `watch.ts` and the file system's notice included), in ms. */
  wallMs: number
  /** The time the CLI reports for the build, and its parts by `--timings`. */
  buildMs: number
  timings: BuildMeasure['timings']
  processed: number
  cached: number
  reused: number
  removedAfterMs: number
}

/**
 * `newsgraph build --watch` on `source`, after the last build into `out`:
 * its first build (a no-op, which reads the articles into its memory), then
 * `changes` (each a function that changes a source and says which), each
 * built in turn; then SIGINT. Peak RSS is that of the whole process.
 */
async function measureWatch(source: string, out: string, expected: number, build: {jobs: number; cache: string}, changes: Array<() => Promise<string>>) {
  const [command, argv] = nodeCommand([cli, 'build', '--watch', '--quiet', '--timings', '--source', source, '--out', out, '--jobs', String(build.jobs), '--cache', build.cache], buildNodeOptions)
  const started = performance.now()
  // Note: a process group of its own, signalled whole: GNU time ignores SIGINT while it waits for the build.
  const child = spawn(command, argv, {cwd: root, stdio: ['ignore', 'ignore', 'pipe'], detached: true})
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name)
    } catch {
      // Note: the group has ended.
    }
  }
  let stderr = ''
  let told = 0
  let wake: (() => void) | undefined
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8')
    told = stderr.split('\n').filter((line) => line.startsWith('newsgraph: watching ')).length
    wake?.()
  })
  const exited = new Promise<number | null>((resolvePromise) => child.on('close', resolvePromise))
  /** The build told as the `count`th, once it is (its summary and timings lines). */
  const builtAs = async (count: number) => {
    while (told < count) {
      if (child.exitCode !== null) throw new Error(`newsgraph build --watch ended (exit ${child.exitCode}):\n${stderr.slice(-2000)}`)
      await new Promise<void>((resolvePromise) => {
        wake = resolvePromise
        setTimeout(resolvePromise, 200)
      })
    }
    const block = stderr.split(/^newsgraph: watching .*$/m)[count - 1]!
    const summary = summaryPattern.exec(block)
    const timings = timingsOf(block)
    if (!summary || !timings || Number(summary[2]) !== expected) throw new Error(`newsgraph build --watch did not build ${expected} articles:\n${block.slice(-2000)}`)
    return {summary, timings}
  }
  try {
    const first = await builtAs(1)
    const firstMs = round(performance.now() - started)
    const firstBuild = {wallMs: firstMs, upToDate: first.summary[1] !== 'built', cached: Number(first.summary[5] ?? 0), timings: first.timings, removedAfterMs: round(await removalDone(out))}
    const rebuilds: WatchMeasure[] = []
    for (const [index, change] of changes.entries()) {
      const changedAt = performance.now()
      const which = await change()
      const {summary, timings} = await builtAs(index + 2)
      const wallMs = round(performance.now() - changedAt)
      rebuilds.push({which, wallMs, buildMs: Number(summary[8]), timings, processed: expected - Number(summary[5] ?? 0), cached: Number(summary[5] ?? 0), reused: Number(summary[6] ?? 0), removedAfterMs: round(await removalDone(out))})
    }
    signal('SIGINT')
    const code = await exited
    if (code !== 0) throw new Error(`newsgraph build --watch exited ${code} on SIGINT:\n${stderr.slice(-2000)}`)
    const maxRssMB = maxRssOf(stderr)
    return {firstBuild, rebuilds, maxRssMB: maxRssMB === undefined ? undefined : round(maxRssMB)}
  } finally {
    if (child.exitCode === null) signal('SIGKILL')
  }
}

/** Wait until no process removes a last version of `out` beside it (`.<out>-gone-…`, left by the CLI); resolves with how long that took, in ms. */
async function removalDone(out: string): Promise<number> {
  const started = performance.now()
  while ((await readdir(dirname(out))).some((name) => readBeside(out, name)?.kind === 'gone')) await new Promise((resolve) => setTimeout(resolve, 20))
  return performance.now() - started
}

/** Like `tryBuild`, but a failure throws. */
async function measureBuild(source: string, out: string, expected: number, build: {jobs: number; cache: string}, nodeOptions: string[] = []): Promise<BuildMeasure> {
  const result = await tryBuild(source, out, expected, build, nodeOptions)
  if ('failed' in result) throw new Error(`The build of ${expected} articles did not succeed (exit ${result.exitCode}${result.signal ? `, signal ${result.signal}` : ''}):\n${result.stderrTail}`)
  return result
}

/** A build's parts as `--timings` gives them, in ms. */
const parts = ({timings}: Pick<BuildMeasure, 'timings'>) =>
  `start ${timings.start}, setup ${timings.setup}, articles ${timings.articles} (processing ${timings.processing}), merge ${timings.merge}, report ${timings.report}`

const failure = (result: BuildFailure) =>
  `FAILED after ${result.wallMs} ms (exit ${result.exitCode}${result.signal ? `, signal ${result.signal}` : ''}, peak RSS ${result.maxRssMB} MB): ${result.stderrTail.split('\n').slice(0, 3).join(' / ')}`

/**
 * The sample of median wall time (the lower of the two middle ones for an
 * even count), with every sample's wall time and peak RSS: one rebuild of a
 * large archive moves by seconds from run to run.
 */
function medianRun(samples: BuildMeasure[]): BuildMeasure & {samples: Array<{wallMs: number; maxRssMB: number | undefined; removedAfterMs: number}>} {
  const sorted = [...samples].sort((a, b) => a.wallMs - b.wallMs)
  return {...sorted[Math.floor((sorted.length - 1) / 2)]!, samples: samples.map(({wallMs, maxRssMB, removedAfterMs}) => ({wallMs, maxRssMB, removedAfterMs}))}
}

/** Write `files` (relative path → contents) under `dir`. */
async function writeCorpus(dir: string, files: Map<string, string>): Promise<void> {
  const folders = new Set([...files.keys()].map((path) => dirname(join(dir, path))))
  for (const folder of folders) await mkdir(folder, {recursive: true})
  for (const [path, contents] of files) await writeFile(join(dir, path), contents)
}

/** Every Markdown file under `dir`, sorted. */
async function markdownFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, {recursive: true, withFileTypes: true})
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort()
}

/** Bare remark-parse with frontmatter of every file: the files are read first, only parsing is timed. */
async function measureBaseline(source: string): Promise<{totalMs: number; msPerArticle: number; words: number; bytes: number}> {
  const texts: string[] = []
  for (const path of await markdownFiles(source)) texts.push(await readFile(path, 'utf8'))
  const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml'])
  let nodes = 0
  const started = performance.now()
  for (const text of texts) nodes += processor.parse(text).children.length
  const totalMs = performance.now() - started
  if (nodes === 0) throw new Error('The baseline parsed nothing')
  const words = texts.reduce((sum, text) => sum + (text.replace(/^---\n[\s\S]*?\n---\n/, '').match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu)?.length ?? 0), 0)
  const bytes = texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0)
  return {totalMs: round(totalMs), msPerArticle: round(totalMs / texts.length, 3), words, bytes}
}

/** The cost of loading the knowledge in a fresh node: importing the modules, then parsing source/ and `createKnowledge` (as test/helpers.ts `sourceKnowledge()`). */
async function measureKnowledge(): Promise<{importMs: number; loadMs: number}> {
  const module = (path: string) => JSON.stringify(pathToFileURL(join(root, 'out', 'pipeline', path)).href)
  const file = (...path: string[]) => JSON.stringify(join(root, 'source', ...path))
  const script = `
const t0 = performance.now()
const {createKnowledge} = await import(${module('knowledge/index.js')})
const {loadBase} = await import(${module('knowledge/base.js')})
const {parseCameo, parseEventLexicon} = await import(${module('knowledge/events.js')})
const {parseLexicon, parseRegistry} = await import(${module('knowledge/registry.js')})
const {readSource} = await import(${module('read.js')})
const t1 = performance.now()
const registry = parseRegistry(await readSource(${file('entities.yaml')}))
const lexicon = parseLexicon(await readSource(${file('lexicons', 'names.yaml')}))
const cameo = parseCameo(await readSource(${file('cameo.yaml')}))
const events = parseEventLexicon(await readSource(${file('lexicons', 'events.yaml')}), cameo)
const knowledge = createKnowledge(registry, lexicon, cameo, events, await loadBase())
const t2 = performance.now()
if (!knowledge.entities.size) throw new Error('no knowledge')
process.stdout.write(JSON.stringify({importMs: t1 - t0, loadMs: t2 - t1}))`
  const run = await runNode(['--input-type=module', '-e', script])
  if (run.code !== 0) throw new Error(`Loading the knowledge failed:\n${run.stderr}`)
  return JSON.parse(run.stdout) as {importMs: number; loadMs: number}
}

// ---------------------------------------------------------------------------
// CPU profile summary
// ---------------------------------------------------------------------------

interface ProfileNode {
  id: number
  callFrame: {functionName: string; url: string; lineNumber: number; columnNumber: number}
  children?: number[]
}

interface CpuProfile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
  startTime: number
  endTime: number
}

/** What a frame's code is: a package, a newsgraph module, node, V8. */
function categoryOf(frame: ProfileNode['callFrame']): string {
  const {url, functionName} = frame
  if (functionName === '(garbage collector)') return 'GC'
  if (functionName === '(idle)') return 'idle (waiting for I/O)'
  if (functionName === '(program)') return 'V8/native (program)'
  if (functionName === '(root)') return 'root'
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1]
  if (pkg) {
    if (pkg === 'compromise') return 'NLP (compromise)'
    if (pkg === 'chrono-node') return 'date parsing (chrono-node)'
    if (pkg === 'jsonld' || pkg === 'rdf-canonize' || pkg.startsWith('@digitalbazaar/')) return 'JSON-LD (jsonld.js)'
    if (pkg === 'ajv' || pkg === 'ajv-formats' || pkg === 'fast-uri' || pkg === 'fast-deep-equal') return 'JSON Schema (ajv)'
    if (/^(micromark|mdast-util-|remark-|unified|vfile|unist-|decode-named|character-entities|trough|bail|devlop|parse-entities|markdown-table|longest-streak|zwitch|ccount|escape-string-regexp)/.test(pkg)) return 'Markdown parse (micromark/mdast/unified)'
    if (pkg === 'yaml') return 'YAML'
    if (pkg.startsWith('csv-')) return 'CSV'
    if (/^(hast|rehype|xast|property-information|html-|space-separated|comma-separated|stringify-entities|web-namespaces|hastscript)/.test(pkg)) return 'HTML/XML (hast/xast)'
    return `package ${pkg}`
  }
  if (url.includes('/out/pipeline/')) {
    const module = url.slice(url.indexOf('/out/pipeline/') + '/out/pipeline/'.length).replace(/\.js$/, '')
    if (module === 'extract/dates') return 'date parsing (newsgraph rules)'
    return `newsgraph ${module}`
  }
  if (url.startsWith('node:')) return 'node internals (fs, streams, modules)'
  if (url === '' && /^validate/.test(functionName)) return 'JSON Schema (ajv generated code)'
  if (url === '' && /^(open|openFileHandle|close|read|readFileUtf8|readFileHandle|write|writeString|writeBuffer|writeBuffers|writeFileUtf8|rename|mkdir|rmdir|rm|unlink|lstat|stat|fstat|readdir|fsync|fdatasync|realpath|access|existsSync|internalModuleStat)$/.test(functionName)) return 'file system (native fs bindings)'
  if (url === '') return 'V8 builtins / generated code'
  return 'other'
}

/** What a thread of the build was, from its profile: the main thread (thread id 0 in node's file name) or the worker whose module it ran. */
function threadRole(file: string, profile: CpuProfile): string {
  if (/\.\d+\.0\.\d+\.cpuprofile$/.test(file)) return 'main thread'
  const ran = (module: string) => profile.nodes.some((node) => node.callFrame.url.endsWith(`/out/pipeline/${module}`))
  return ran('emit-worker.js') ? 'emit worker' : ran('worker.js') ? 'stage worker' : 'worker'
}

/**
 * Where the threads of a build spent their time, together: top self-time
 * functions, self time by category, and time by the nearest newsgraph module
 * on the stack, each a share of the time the threads were busy (not idle);
 * and each thread's busy and idle time.
 */
function summarizeProfiles(threads: Array<{role: string; profile: CpuProfile}>) {
  const functions = new Map<string, {name: string; where: string; category: string; us: number}>()
  const categories = new Map<string, number>()
  const modules = new Map<string, number>()
  const add = (map: Map<string, number>, key: string, us: number) => map.set(key, (map.get(key) ?? 0) + us)
  const where = (frame: ProfileNode['callFrame']) => {
    const path = frame.url.startsWith('file://') ? relative(root, fileURLToPath(frame.url)) : frame.url
    return path ? `${path}:${frame.lineNumber + 1}` : ''
  }
  const perThread = threads.map(({role, profile}) => {
    const byId = new Map(profile.nodes.map((node) => [node.id, node]))
    const parent = new Map<number, number>()
    for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
    const self = new Map<number, number>()
    profile.samples.forEach((id, index) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)))
    const ownModules = new Map<string, number>()
    let busyUs = 0
    let idleUs = 0
    for (const [id, us] of self) {
      const node = byId.get(id)!
      const category = categoryOf(node.callFrame)
      if (category === 'idle (waiting for I/O)') {
        idleUs += us
        continue
      }
      busyUs += us
      const key = `${node.callFrame.functionName}|${node.callFrame.url}|${node.callFrame.lineNumber}`
      const entry = functions.get(key) ?? {name: node.callFrame.functionName || '(anonymous)', where: where(node.callFrame), category, us: 0}
      entry.us += us
      functions.set(key, entry)
      add(categories, category, us)
      // The nearest newsgraph frame on the stack, else the category of the frame itself.
      // Note: a schema's validation (ajv's generated code) is under `newsgraph schemas`, whose validators call it (compiled when first called).
      let owner = category
      for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
        const frame = byId.get(current)!.callFrame
        if (frame.url.includes('/out/pipeline/')) {
          owner = `newsgraph ${frame.url.slice(frame.url.indexOf('/out/pipeline/') + '/out/pipeline/'.length).replace(/\.js$/, '')}`
          break
        }
      }
      add(modules, owner, us)
      add(ownModules, owner, us)
    }
    return {role, busyUs, idleUs, ownModules}
  })
  const totalUs = perThread.reduce((sum, thread) => sum + thread.busyUs, 0)
  const share = (us: number, of = totalUs) => ({ms: round(us / 1000), percent: round((us / of) * 100)})
  const ranked = (map: Map<string, number>, limit: number, of = totalUs) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, us]) => ({name, ...share(us, of)}))
  return {
    busyMs: round(totalUs / 1000),
    threads: perThread.map(({role, busyUs, idleUs, ownModules}) => ({role, busyMs: round(busyUs / 1000), idleMs: round(idleUs / 1000), byNewsgraphModule: ranked(ownModules, 8, busyUs)})),
    topSelf: [...functions.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, 20)
      .map(({name, where, category, us}) => ({function: name, where, category, ...share(us)})),
    selfByCategory: ranked(categories, 25),
    byNewsgraphModule: ranked(modules, 25)
  }
}

// ---------------------------------------------------------------------------
// Run
// ---------------------------------------------------------------------------

if (!existsSync(join(root, 'out', 'pipeline', 'build.js'))) {
  console.error('bench: out/pipeline/build.js is missing: run `make` (or `npx tsc -p tsconfig.json`) first')
  process.exit(2)
}
const stale = outStale()
if (stale) log('bench: WARNING: out/ is older than pipeline/: the CLI runs stale code; run `make` first')

const work = await mkdtemp(join(tmpdir(), 'newsgraph-bench-'))
const measuredAt = new Date().toISOString()
const machine = {
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
  totalMemoryMB: Math.round(totalmem() / 2 ** 20),
  platform: process.platform,
  arch: process.arch,
  node: process.version,
  /** 1-minute load average before and after the run: other work on the machine skews wall times. */
  loadAverage: {start: round(loadavg()[0] ?? 0, 2), end: 0}
}
log(`newsgraph bench, ${measuredAt}: ${machine.cpus} × ${machine.cpuModel}, ${machine.totalMemoryMB} MB, node ${machine.node}, load average ${machine.loadAverage.start}; peak RSS by ${rssMethod}; work in ${work}`)

try {
  // Fixed costs, paid by every build whatever its size.
  const startupTimes: number[] = []
  for (let i = 0; i < repeats; i++) {
    const run = await runNode([cli, '--version'])
    if (run.code !== 0) throw new Error(`newsgraph --version failed:\n${run.stderr}`)
    startupTimes.push(run.wallMs)
  }
  const startup = median(startupTimes)
  const knowledgeRuns: Array<{importMs: number; loadMs: number}> = []
  for (let i = 0; i < repeats; i++) knowledgeRuns.push(await measureKnowledge())
  const knowledge = {importMs: round(median(knowledgeRuns.map((run) => run.importMs))), loadMs: round(median(knowledgeRuns.map((run) => run.loadMs)))}
  const one = join(work, 'one')
  await writeCorpus(join(one, 'source'), generateCorpus(1, seed))
  const oneArticle = await measureBuild(join(one, 'source'), join(one, 'dist'), 1, {jobs: 1, cache: join(one, 'cache')})
  const fixed = {
    startupMs: round(startup),
    startupNote: 'wall time of `node bin/newsgraph.js --version`: node start and the import of the whole pipeline (median)',
    knowledge: {...knowledge, note: 'a fresh node: importMs imports the knowledge modules, loadMs parses source/ entities, lexicons, cameo and runs createKnowledge (median)'},
    oneArticleBuild: {wallMs: oneArticle.wallMs, buildMs: oneArticle.buildMs, maxRssMB: oneArticle.maxRssMB}
  }
  log(`fixed costs: CLI start ${fixed.startupMs} ms; knowledge import ${knowledge.importMs} ms + load ${knowledge.loadMs} ms; one-article build ${oneArticle.wallMs} ms wall (${oneArticle.buildMs} ms in build()), peak RSS ${oneArticle.maxRssMB} MB`)

  const runs: Array<Record<string, unknown> & {articles: number}> = []
  const results = {measuredAt, machine, seed, rssMethod, buildNodeOptions, outStale: stale, fixed, runs, profile: undefined as unknown}
  /** Results are written after each size, so that a long or failing run keeps what it measured. */
  const save = async () => {
    machine.loadAverage.end = round(loadavg()[0] ?? 0, 2)
    await writeFile(resultsPath, `${JSON.stringify(results, null, 2)}\n`)
  }
  for (const size of sizes) {
    const dir = join(work, String(size))
    const source = join(dir, 'source')
    let started = performance.now()
    const corpus = generateCorpus(size, seed)
    const generateMs = round(performance.now() - started)
    started = performance.now()
    await writeCorpus(source, corpus)
    const writeMs = round(performance.now() - started)
    const articlePaths = [...corpus.keys()].filter((path) => path.endsWith('.md')).sort()
    const [firstPath, lastPath] = [articlePaths[0], articlePaths.at(-1)]
    corpus.clear()
    log(`\n${size} articles: generated in ${generateMs} ms, written in ${writeMs} ms`)

    const baseline = await measureBaseline(source)
    log(`  baseline remark-parse: ${baseline.totalMs} ms (${baseline.msPerArticle} ms/article, ${Math.round(baseline.words / size)} words/article)`)
    const run: Record<string, unknown> & {articles: number} = {
      articles: size,
      wordsPerArticle: Math.round(baseline.words / size),
      bytes: baseline.bytes,
      generateMs,
      baseline: {totalMs: baseline.totalMs, msPerArticle: baseline.msPerArticle}
    }
    runs.push(run)
    // One full build per --jobs value, each into its own output directory with a fresh cache.
    const fulls: Array<BuildMeasure | BuildFailure> = []
    for (const jobs of jobsList) {
      const measure = await tryBuild(source, join(dir, `dist-${jobs}`), size, {jobs, cache: join(dir, `cache-${jobs}`)})
      fulls.push(measure)
      log(`  full build, --jobs ${jobs}: ${'failed' in measure ? failure(measure) : `${measure.wallMs} ms wall (${parts(measure)}), ${measure.msPerArticle} ms/article (${round(measure.msPerArticle / baseline.msPerArticle, 1)}× baseline), ${measure.articlesPerSecond} articles/s, peak RSS ${measure.maxRssMB} MB`}`)
      if (jobs !== jobsList[jobsList.length - 1]) await rm(join(dir, `dist-${jobs}`), {recursive: true, force: true})
    }
    run['fullByJobs'] = fulls
    const full = fulls[fulls.length - 1]!
    const lastJobs = jobsList[jobsList.length - 1]!
    const build = {jobs: lastJobs, cache: join(dir, `cache-${lastJobs}`)}
    const out = join(dir, `dist-${lastJobs}`)
    run['full'] = full
    if ('failed' in full) {
      // Note: the rebuilds would fail the same way; they are not run.
      run['note'] = 'The full build failed; the rebuilds were not run.'
      await save()
      await rm(dir, {recursive: true, force: true})
      continue
    }
    const one = fulls.find((measure, index) => jobsList[index] === 1 && !('failed' in measure)) as BuildMeasure | undefined
    const two = fulls.find((measure, index) => jobsList[index] === 2 && !('failed' in measure)) as BuildMeasure | undefined
    Object.assign(run, {
      ratio: round(full.msPerArticle / baseline.msPerArticle, 1),
      ratioOneJob: one ? round(one.msPerArticle / baseline.msPerArticle, 1) : undefined,
      /** Speed-up of 2 workers over 1 (wall time of --jobs 1 ÷ wall time of --jobs 2). */
      speedupTwoJobs: one && two ? round(one.wallMs / two.wallMs, 2) : undefined,
      /** Per-article cost once the fixed cost (a one-article build) is taken out. */
      marginalMsPerArticle: size > 1 ? round((full.wallMs - oneArticle.wallMs) / (size - 1), 2) : undefined,
      marginalRatio: size > 1 ? round((full.wallMs - oneArticle.wallMs) / (size - 1) / baseline.msPerArticle, 1) : undefined
    })
    await save()
    const noop = await tryBuild(source, out, size, build)
    run['noopRebuild'] = noop
    log(`  no-op rebuild: ${'failed' in noop ? failure(noop) : `${noop.wallMs} ms wall${noop.upToDate ? ' (up to date)' : ' (NOT up to date)'} (${parts(noop)}), peak RSS ${noop.maxRssMB} MB`}`)
    const rebuilds = [
      {key: 'changedRebuild', path: firstPath!, which: 'the first article', samples: [] as BuildMeasure[]},
      {key: 'changedLastRebuild', path: lastPath!, which: 'the last (newest) article', samples: [] as BuildMeasure[]}
    ]
    // Note: alternating, so that both see the machine as it goes; each run changes its title again.
    rebuilding: for (let round = 1; round <= rebuildRuns; round++) {
      for (const rebuild of rebuilds) {
        const changedPath = join(source, rebuild.path)
        const text = await readFile(changedPath, 'utf8')
        await writeFile(changedPath, text.replace(/^title: "(.*)"$/m, 'title: "$1 (updated)"'))
        const changed = await tryBuild(source, out, size, build)
        const counted = rebuildRuns > 1 ? ` (${round} of ${rebuildRuns})` : ''
        log(`  rebuild after one changed title, ${rebuild.which}${counted}: ${'failed' in changed ? failure(changed) : `${changed.wallMs} ms wall (${parts(changed)}), ${changed.cached} articles from the cache, outputs of ${changed.reused} reused${changed.copied ? ` (${changed.copied} of the site's data copied)` : ''}, peak RSS ${changed.maxRssMB} MB; its last outputs removed ${changed.removedAfterMs} ms after it ended`}`)
        if ('failed' in changed) {
          run[rebuild.key] = changed
          await save()
          break rebuilding
        }
        rebuild.samples.push(changed)
        run[rebuild.key] = medianRun(rebuild.samples)
        await save()
      }
    }
    // The same rebuilds in one long-lived process (`--watch`), which keeps the articles it read and its processor between builds.
    if (!('failed' in full) && rebuilds.every((rebuild) => rebuild.samples.length === rebuildRuns)) {
      const changes = Array.from({length: rebuildRuns}, () => rebuilds.map((rebuild) => async () => {
        const changedPath = join(source, rebuild.path)
        const text = await readFile(changedPath, 'utf8')
        await writeFile(changedPath, text.replace(/^title: "(.*)"$/m, 'title: "$1 (watched)"'))
        return rebuild.which
      })).flat()
      try {
        const watched = await measureWatch(source, out, size, build, changes)
        const byWhich = (which: string) => watched.rebuilds.filter((rebuild) => rebuild.which === which)
        const medianOf = (samples: WatchMeasure[]) => ({...[...samples].sort((a, b) => a.wallMs - b.wallMs)[Math.floor((samples.length - 1) / 2)]!, samples: samples.map(({wallMs}) => wallMs)})
        run['watch'] = {firstBuild: watched.firstBuild, changedRebuild: medianOf(byWhich(rebuilds[0]!.which)), changedLastRebuild: medianOf(byWhich(rebuilds[1]!.which)), maxRssMB: watched.maxRssMB}
        log(`  --watch: first build ${watched.firstBuild.wallMs} ms wall${watched.firstBuild.upToDate ? ' (up to date, the articles read into its memory)' : ''} (setup ${watched.firstBuild.timings.setup}, articles ${watched.firstBuild.timings.articles})`)
        for (const rebuild of watched.rebuilds) log(`  --watch: rebuild after one changed title, ${rebuild.which}: ${rebuild.wallMs} ms from the change (${parts(rebuild)}), ${rebuild.processed} processed, ${rebuild.cached} from the cache, outputs of ${rebuild.reused} reused`)
        log(`  --watch: peak RSS ${watched.maxRssMB} MB`)
      } catch (error) {
        run['watch'] = {failed: true, message: (error as Error).message.slice(0, 2000)}
        log(`  --watch: FAILED: ${(error as Error).message.split('\n').slice(0, 3).join(' / ')}`)
      }
      await save()
    }
    // Note: the outputs of a large corpus take gigabytes; only the sources are kept (for the profile).
    await rm(out, {recursive: true, force: true})
  }

  const profiled = [...runs].reverse().find((run) => run['full'] && !('failed' in (run['full'] as object)))
  if (options.profile && profiled) {
    const size = profiled.articles
    const dir = join(work, 'profile')
    await mkdir(dir)
    log(`\nCPU profile of a full build of ${size} articles…`)
    const measure = await measureBuild(join(work, String(size), 'source'), join(dir, 'dist'), size, {jobs: 1, cache: join(dir, 'cache')}, ['--cpu-prof', '--cpu-prof-dir', dir])
    // Note: node writes a profile per thread: the main thread's, and each worker's (the per-article stage, each article's outputs).
    const names = (await readdir(dir)).filter((file) => file.endsWith('.cpuprofile')).sort()
    if (names.length === 0) throw new Error('node --cpu-prof wrote no profile')
    const threads: Array<{role: string; profile: CpuProfile; file: string}> = []
    const stem = join(dirname(resultsPath), basename(resultsPath, extname(resultsPath)))
    for (const name of names) {
      const text = await readFile(join(dir, name), 'utf8')
      const profile = JSON.parse(text) as CpuProfile
      const role = threadRole(name, profile)
      const file = `${stem}.${role.replace(' ', '-')}-${threads.filter((thread) => thread.role === role).length + 1}.cpuprofile`
      await writeFile(file, text)
      threads.push({role, profile, file})
    }
    const summary = summarizeProfiles(threads)
    results.profile = {articles: size, wallMs: measure.wallMs, jobs: 1, ...summary, threads: summary.threads.map((thread, index) => ({...thread, file: threads[index]!.file}))}
  }
  await save()
  type ProfileSummary = ReturnType<typeof summarizeProfiles>
  const profile = results.profile as (Omit<ProfileSummary, 'threads'> & {wallMs: number; threads: Array<ProfileSummary['threads'][number] & {file: string}>}) | undefined

  // The table.
  const header = ['articles', 'jobs', 'words/art', 'baseline ms/art', 'full wall ms', 'full ms/art', 'ratio', 'articles/s', 'peak RSS MB', '2 jobs speed-up', 'no-op ms', 'changed ms', 'changed last ms', 'watch changed ms', 'watch last ms']
  const cell = (value: unknown) => (value === undefined ? '' : String(value))
  const wall = (measure: unknown) => (!measure ? '' : 'failed' in (measure as object) ? 'failed' : cell((measure as BuildMeasure).wallMs))
  const rows = runs.flatMap((run) => {
    const baseline = run['baseline'] as {msPerArticle: number}
    const fulls = (run['fullByJobs'] as Array<BuildMeasure | BuildFailure> | undefined) ?? []
    return fulls.map((full, index) => {
      const ok = !('failed' in full)
      const last = index === fulls.length - 1
      return [
        run.articles,
        jobsList[index],
        run['wordsPerArticle'],
        baseline.msPerArticle,
        ok ? full.wallMs : `failed after ${full.wallMs}`,
        ok ? full.msPerArticle : '',
        ok ? `${round(full.msPerArticle / baseline.msPerArticle, 1)}×` : '',
        ok ? full.articlesPerSecond : '',
        full.maxRssMB ?? '?',
        last && run['speedupTwoJobs'] !== undefined ? `${run['speedupTwoJobs']}×` : '',
        last ? wall(run['noopRebuild']) : '',
        last ? wall(run['changedRebuild']) : '',
        last ? wall(run['changedLastRebuild']) : '',
        last ? wall((run['watch'] as Record<string, unknown> | undefined)?.['changedRebuild']) : '',
        last ? wall((run['watch'] as Record<string, unknown> | undefined)?.['changedLastRebuild']) : ''
      ].map(cell)
    })
  })
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)))
  const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padStart(widths[column]!)).join(' | ')} |`
  log(`\n${line(header)}\n|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|\n${rows.map(line).join('\n')}`)
  log(`fixed cost per build: CLI start ${fixed.startupMs} ms, knowledge load ${knowledge.loadMs} ms (+ ${knowledge.importMs} ms imports), one-article build ${oneArticle.wallMs} ms`)
  log('ratio = full ms/article ÷ baseline ms/article; speed-up = wall time with --jobs 1 ÷ with --jobs 2')
  log(`no-op: same sources and output, the no-op fast path; changed: one title changed (of the first article in slug order, then of the last), the other articles from the cache, then link, emit, check and write${rebuildRuns > 1 ? `; the median of ${rebuildRuns} such rebuilds each, alternating` : ''}`)
  log('watch: the same changes made to a running `newsgraph build --watch` (the other articles from its memory), timed from the change written to the build told')
  if (profile) {
    log(`\nCPU profile of every thread (--jobs 1, ${profile.wallMs} ms wall; ${profile.busyMs} ms busy in all, the shares below are of that):`)
    for (const thread of profile.threads) log(`  ${thread.role}: ${thread.busyMs} ms busy, ${thread.idleMs} ms idle; ${thread.byNewsgraphModule.slice(0, 5).map((entry) => `${entry.name.replace(/^newsgraph /, '')} ${entry.percent}%`).join(', ')}`)
    log('top self time:')
    for (const entry of profile.topSelf.slice(0, 12)) log(`  ${String(entry.percent).padStart(5)}%  ${String(entry.ms).padStart(9)} ms  ${entry.function}  ${entry.where}  [${entry.category}]`)
    log('self time by category:')
    for (const entry of profile.selfByCategory.slice(0, 14)) log(`  ${String(entry.percent).padStart(5)}%  ${String(entry.ms).padStart(9)} ms  ${entry.name}`)
    log('time by nearest newsgraph module on the stack:')
    for (const entry of profile.byNewsgraphModule.slice(0, 14)) log(`  ${String(entry.percent).padStart(5)}%  ${String(entry.ms).padStart(9)} ms  ${entry.name}`)
    log(`profiles: ${profile.threads.map((thread) => thread.file).join(', ')}`)
  }
  log(`\nresults: ${resultsPath}`)
  const failures = runs.flatMap((run) => ['full', 'noopRebuild', 'changedRebuild', 'changedLastRebuild', 'watch'].filter((key) => run[key] && 'failed' in (run[key] as object)).map((key) => `${key} of ${run.articles}`))
  if (failures.length > 0) {
    log(`bench: builds failed: ${failures.join(', ')} (see ${resultsPath})`)
    process.exitCode = 1
  }
} finally {
  if (!options.keep) await rm(work, {recursive: true, force: true})
  else log(`kept ${work}`)
}
