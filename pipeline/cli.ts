// Command-line interface: `newsgraph build [options]`, `newsgraph merge PART… [options]`, `newsgraph import FILE`.
import {once} from 'node:events'
import {availableParallelism} from 'node:os'
import {relative} from 'node:path'
import {parseArgs} from 'node:util'
import {build, type BuildOptions, type BuildResult} from './build.js'
import {merge} from './merge.js'
import {defaultCacheDir} from './cache.js'
import {printAndKeepReport, printKeptReport} from './kept-report.js'
import {writeReport} from './message.js'
import {createProgressDisplay, showProgress} from './progress.js'
import {parseShard} from './shard.js'

/** Usage text printed by `--help`. */
export const usage = `Usage: newsgraph build [options]
       newsgraph merge PART... [options]
       newsgraph import FILE [--out FILE]

build   Build Markdown articles into JSON-LD, CSV, RSS and HTML.
merge   Build the site from the records of every shard (build --shard i/n).
import  Turn raw scraped article text into a Markdown draft with frontmatter
        (to standard output, or to --out FILE), noting what it removed or guessed.

Options of build (and merge, but for --cache, --no-cache, --shard, --watch):
  --source DIR     directory of the articles and site.yaml (default: source)
  --out DIR        output directory, replaced whole on success (default: dist;
                   with --shard, where the shard's records go)
  --base-url URL   absolute base URL of the site (default: baseUrl in DIR/site.yaml)
  --strict         treat warnings as errors
  --quiet          print errors and warnings only, not infos (suggestions),
                   and no progress
  --cache DIR      cache of per-article results and of the last build
                   (default: $XDG_CACHE_HOME/newsgraph or ~/.cache/newsgraph)
  --no-cache       neither read nor write the cache
  --jobs N         worker threads for the articles (default: the number of
                   cores; 0 processes them in the main thread)
  --shard I/N      process only shard I of N of the articles and write their
                   records to --out, for newsgraph merge
  --timings        print how long the parts of the build took
  --watch          build, then build again whenever a file in DIR changes,
                   until interrupted (Ctrl-C); a rebuild reads only the
                   articles that changed (not with --shard)
  -h, --help       show this help
  -v, --version    show the version

Exit codes: 0 built, up to date (or imported; with --watch, stopped), 1 the
sources have errors (nothing written), the file to import cannot be read or
(--watch) DIR cannot be watched, 2 wrong usage.`

/** Run the CLI with `args`; returns the exit code. Output goes to stdout/stderr. */
export async function main(args: string[]): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        source: {type: 'string', default: 'source'},
        out: {type: 'string'},
        'base-url': {type: 'string'},
        strict: {type: 'boolean', default: false},
        quiet: {type: 'boolean', default: false},
        cache: {type: 'string'},
        'no-cache': {type: 'boolean', default: false},
        jobs: {type: 'string'},
        shard: {type: 'string'},
        timings: {type: 'boolean', default: false},
        watch: {type: 'boolean', default: false},
        help: {type: 'boolean', short: 'h', default: false},
        version: {type: 'boolean', short: 'v', default: false}
      }
    })
  } catch (error) {
    return wrongUsage((error as Error).message)
  }
  const {values, positionals} = parsed
  if (values.help) {
    process.stdout.write(`${usage}\n`)
    return 0
  }
  if (values.version) {
    process.stdout.write(`${await version()}\n`)
    return 0
  }
  if (positionals[0] === 'import' && positionals.length === 2) return importCommand(positionals[1]!, values.out)
  const command = positionals[0]
  if (!(command === 'build' && positionals.length === 1) && !(command === 'merge' && positionals.length > 1)) {
    return wrongUsage(`expected the command \`build\`, \`merge PART...\` or \`import FILE\`${positionals.length > 0 ? `, not \`${positionals.join(' ')}\`` : ''}`)
  }
  if (values.cache !== undefined && values['no-cache']) return wrongUsage('expected `--cache DIR` or `--no-cache`, not both')
  let jobs = availableParallelism()
  if (values.jobs !== undefined) {
    if (!/^\d+$/.test(values.jobs) || Number(values.jobs) > 256) return wrongUsage(`expected \`--jobs\` to be a whole number from 0 to 256, not \`${values.jobs}\``)
    jobs = Number(values.jobs)
  }
  const shard = values.shard === undefined ? undefined : parseShard(values.shard)
  if (values.shard !== undefined && !shard) return wrongUsage(`expected \`--shard I/N\` with 1 ≤ I ≤ N, such as \`--shard 2/4\`, not \`${values.shard}\``)
  if (command === 'merge' && (values.cache !== undefined || values['no-cache'] || shard || values.watch)) return wrongUsage('`--cache`, `--no-cache`, `--shard` and `--watch` are options of `build`, not of `merge`')
  if (values.watch && shard) return wrongUsage('expected `--watch` or `--shard I/N`, not both: a shard is built once, for `newsgraph merge`')

  const started = performance.now()
  const out = values.out ?? 'dist'
  const baseUrl = values['base-url'] === undefined ? {} : {baseUrl: values['base-url']}
  const display = showProgress(process.stderr, process.env, values.quiet) ? createProgressDisplay(process.stderr) : undefined
  // Note: the last outputs, once swapped out, are removed by a process of their own: the command ends without waiting for it.
  const removal = 'detach'
  const what = shard ? `shard ${shard.index}/${shard.count} records` : ''
  const told = {quiet: values.quiet, timings: values.timings, out, what}
  if (command === 'merge') {
    const result = await merge({parts: positionals.slice(1), source: values.source, out, strict: values.strict, jobs, removal, ...baseUrl})
    return tell(result, {...told, start: started, ms: Math.round(performance.now() - started)})
  }
  const cache = values['no-cache'] ? {} : {cache: values.cache ?? defaultCacheDir(process.env)}
  const options = {source: values.source, out, strict: values.strict, jobs, quiet: values.quiet, removal, ...baseUrl, ...cache, ...(display ? {onProgress: display.update} : {})} as const
  if (values.watch) {
    return watchCommand(options, (result, ms, first) => {
      display?.end()
      return tell(result, {...told, start: first ? started : 0, ms: first ? Math.round(performance.now() - started) : ms})
    })
  }
  // Note: a build's report is kept beside its manifest in the cache (not a shard's, which has none), and printed again by the no-op after it.
  const keep = shard || values.quiet || !cache.cache ? undefined : cache.cache
  const result = await build({...options, ...(shard ? {shard} : {}), ...(keep === undefined ? {} : {keptReport: true})})
  display?.end()
  return tell(result, {...told, start: started, ms: Math.round(performance.now() - started), ...(keep === undefined ? {} : {keep})})
}

/** How a build is told: its messages, its summary line, with `--timings` its parts; `start`, when the build's process began (0 for a rebuild of `--watch`); `ms`, its time since. Resolves to the exit code it calls for. */
async function tell(result: BuildResult, {quiet, timings, out, what, start, ms, keep}: {quiet: boolean; timings: boolean; out: string; what: string; start: number; ms: number; keep?: string}): Promise<number> {
  // Note: a batch of lines at a time; written to a pipe (asynchronously, on POSIX), each once the pipe has taken the last.
  const write = (text: string | Uint8Array) => (process.stderr.write(text) ? undefined : once(process.stderr, 'drain').then(() => undefined))
  const cwd = process.cwd()
  // Note: a no-op prints the report kept since the last build as it is; a build told without `--quiet` keeps its own, for the no-op after it.
  if (result.keptReport) await printKeptReport(result.keptReport, write)
  else if (keep !== undefined && !quiet && result.manifest !== undefined) await printAndKeepReport(keep, out, result.manifest, cwd, result.files, write)
  else await writeReport(result.files, write, {quiet, cwd})
  const suggestions = result.infos > 0 ? `, ${plural(result.infos, 'suggestion')}` : ''
  const cached = result.cached > 0 ? `, ${result.cached} from the cache` : ''
  const copied = result.copiedBytes > 0 ? ` (${formatBytes(result.copiedBytes)} of the site's data copied)` : ''
  const reused = `${result.reused > 0 ? `, outputs of ${result.reused} reused${copied}` : ''}${result.reusedEntities > 0 ? `, pages of ${plural(result.reusedEntities, 'entity', 'entities')} reused` : ''}`
  const summary = `${plural(result.articles, 'article')}, ${plural(result.errors, 'error')}, ${plural(result.warnings, 'warning')}${suggestions}${cached}${reused} in ${ms} ms`
  const line = result.upToDate
    ? `newsgraph: up to date: ${summary}; nothing changed since the last build, ${out}/ left as it is\n`
    : result.written
      ? `newsgraph: built ${what ? `${what}: ` : ''}${summary} → ${out}/\n`
      : `newsgraph: failed: ${summary}; ${out}/ left unchanged\n`
  process.stderr.write(line)
  if (timings) process.stderr.write(`${timingsLine(start, result, ms)}\n`)
  return result.written || result.upToDate ? 0 : 1
}

/**
 * `newsgraph build --watch`: build, then again on each change, each build
 * told as one without `--watch` is, until SIGINT or SIGTERM (then 0), or
 * until the source directory cannot be watched (then 1).
 */
async function watchCommand(options: Omit<BuildOptions, 'memory' | 'shard'>, told: (result: BuildResult, ms: number, first: boolean) => Promise<unknown>): Promise<number> {
  const {watchBuild} = await import('./watch.js')
  let first = true
  const watching = `newsgraph: watching ${options.source}/ for changes (Ctrl-C to stop)\n`
  const watch = watchBuild(options, {
    async onBuild(result, ms) {
      await told(result, ms, first)
      first = false
      process.stderr.write(watching)
    },
    onBuildError(error) {
      first = false
      process.stderr.write(`newsgraph: the build stopped: ${error.message}\n${watching}`)
    }
  })
  // Note: the build in progress ends first (a second signal, with the handler gone, ends the process at once; `--out` is left as it was).
  const stop = () => {
    if (watch.building()) process.stderr.write('newsgraph: stopping once the build in progress ends (Ctrl-C again to stop at once)\n')
    void watch.close()
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  try {
    await watch.closed
    process.stderr.write('newsgraph: stopped watching\n')
    return 0
  } catch (error) {
    await watch.close()
    process.stderr.write(`newsgraph: cannot watch \`${options.source}\`: ${(error as Error).message}\n`)
    return 1
  } finally {
    process.off('SIGINT', stop)
    process.off('SIGTERM', stop)
  }
}

/**
 * The line of `--timings`: the start (node and newsgraph loaded, since the
 * process began: `started`), the parts of the build (`BuildTimings`), and
 * the report of its messages, in ms; with `ms`, the time since the start.
 */
export function timingsLine(started: number, {timings}: Pick<BuildResult, 'timings'>, ms: number): string {
  const {setup, articles, processing, merge} = timings
  const report = Math.max(0, ms - setup - articles - merge)
  return `newsgraph: timings: start ${Math.round(started)} ms, setup ${setup} ms, articles ${articles} ms (processing ${processing} ms), merge ${merge} ms, report ${report} ms`
}

/** Bytes as the summary gives them: `930 B`, `12.3 kB`, `4.1 MB`, `1.42 GB` (powers of 1,000). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`
  const [unit, size] = bytes < 1e6 ? ['kB', bytes / 1e3] : bytes < 1e9 ? ['MB', bytes / 1e6] : ['GB', bytes / 1e9]
  return `${size < 10 ? size.toFixed(2) : size.toFixed(1)} ${unit}`
}

function wrongUsage(reason: string): number {
  process.stderr.write(`newsgraph: ${reason}\n\n${usage}\n`)
  return 2
}

/** `newsgraph import FILE [--out FILE]`: write a draft and print what was removed or guessed. */
async function importCommand(path: string, out: string | undefined): Promise<number> {
  const [{readSource}, {importText}, {writeText}] = await Promise.all([import('./read.js'), import('./import.js'), import('./write.js')])
  let text: string
  try {
    text = String(await readSource(path))
  } catch (error) {
    process.stderr.write(`newsgraph: cannot read \`${path}\`: ${(error as Error).message}\n`)
    return 1
  }
  const {markdown, notes} = importText(text, {fileName: path})
  const where = relative(process.cwd(), path) || path
  for (const item of notes) process.stderr.write(`${where}:${item.line}:${item.column}: info: ${item.reason}  ${item.ruleId}\n`)
  if (out) await writeText(out, markdown)
  else process.stdout.write(markdown)
  process.stderr.write(`newsgraph: imported ${where}${out ? ` → ${out}` : ''}: ${plural(notes.length, 'note')}; review the draft before building\n`)
  return 0
}

function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`
}

async function version(): Promise<string> {
  const {readFile} = await import('node:fs/promises')
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {version: string}
  return pkg.version
}
