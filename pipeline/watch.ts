// Watch: build, then build again whenever something in the source directory changes, keeping what one build read for the next (memory.ts).
import {basename, dirname, relative, resolve, sep} from 'node:path'
import {isBeside} from './beside.js'
import {build, type BuildOptions, type BuildResult} from './build.js'
import {growHeapsLess} from './heap.js'
import {createBuildMemory, type BuildMemory} from './memory.js'
import {isWithin} from './paths.js'
import {watchTree, type TreeWatcher} from './watch-tree.js'

/**
 * How long the source directory must be quiet before a build starts, in ms:
 * an editor saving a file (written, renamed, its backup removed), or `git
 * checkout`, makes several changes in a row, built once.
 */
export const settleMs = 100

/** What `watchBuild` is told: each build's result, and what stops it. */
export interface WatchHandlers {
  /** Called after each build with its result (and its time since it began, in ms); the next build waits for it. */
  onBuild: (result: BuildResult, ms: number) => void | Promise<void>
  /** Called when a build throws (the next change builds again). */
  onBuildError: (error: Error) => void | Promise<void>
}

/** A watch in progress: `idle` resolves once no build runs or waits to run; `close` stops watching and resolves after the build in progress, if any. */
export interface Watch {
  memory: BuildMemory
  /** How many builds ran (ended, or threw). */
  builds(): number
  /** Whether a build runs now. */
  building(): boolean
  idle(): Promise<void>
  close(): Promise<void>
  /** Rejected when the source directory can no longer be watched (removed, say); resolved by `close`. */
  closed: Promise<void>
}

/**
 * Whether an absolute path is one a build with `options` writes: in its
 * cache, in `out` or beside it (`beside.ts`: its staging, its last version,
 * its lock).
 */
export function buildOwn(options: Pick<BuildOptions, 'out' | 'cache' | 'cwd'>): (path: string) => boolean {
  const cwd = options.cwd ?? '.'
  const out = resolve(cwd, options.out)
  const cache = options.cache === undefined ? undefined : resolve(cwd, options.cache)
  return (path) => {
    if (cache !== undefined && isWithin(cache, path)) return true
    if (!isWithin(dirname(out), path) || path === dirname(out)) return false
    const first = relative(dirname(out), path).split(sep)[0]!
    return first === basename(out) || isBeside(out, first)
  }
}

/**
 * Build (`build`) once, then again whenever a file in `options.source`
 * changes (articles, `site.yaml`, the registry and lexicons), the changes
 * that come within `settleMs` of each other together; one build at a time.
 * The builds share a memory (`BuildMemory`): with a cache, a rebuild neither
 * reads the unchanged articles again nor loads the knowledge again to
 * process one. Changes in `options.out` or beside it (its staging, its last
 * version, its lock) or in `options.cache`, when they are inside the source
 * directory, are not the sources'.
 */
export function watchBuild(options: Omit<BuildOptions, 'memory' | 'shard'>, handlers: WatchHandlers): Watch {
  const memory = createBuildMemory()
  const source = resolve(options.cwd ?? '.', options.source)
  const own = buildOwn(options)
  let running: Promise<void> | undefined
  let timer: NodeJS.Timeout | undefined
  let pending = false
  let stopped = false
  let count = 0
  const waiters: Array<() => void> = []
  const settle = () => {
    if (running || timer || pending) return
    for (const resolveIdle of waiters.splice(0)) resolveIdle()
  }
  const run = () => {
    timer = undefined
    if (running || stopped) return settle()
    pending = false
    const started = performance.now()
    running = build({...options, memory})
      .then((result) => handlers.onBuild(result, Math.round(performance.now() - started)), (error: Error) => handlers.onBuildError(error))
      .finally(() => {
        count++
        running = undefined
        // Note: the rebuilds that follow hold the articles read and draw the whole site on this thread: V8 grows its heap less for them.
        if (count === 1) growHeapsLess()
        // Note: the processor of a changed article made while nothing changes (its knowledge takes a second or two to load).
        if (!pending) memory.prepare?.()
        // Note: a change made while a build ran is built next.
        if (pending && !stopped) schedule()
        else settle()
      })
  }
  const schedule = () => {
    pending = true
    if (timer) clearTimeout(timer)
    timer = setTimeout(run, settleMs)
  }
  let watcher: TreeWatcher
  let fail: (error: Error) => void = () => undefined
  let end: () => void = () => undefined
  const closed = new Promise<void>((resolveClosed, rejectClosed) => {
    end = resolveClosed
    fail = rejectClosed
  })
  // Note: what stops the watch is told by `closed` to whoever awaits it, not as a rejection no one handled before they do.
  closed.catch(() => undefined)
  // Note: watched before the first build, so that a change made while it runs is built after it.
  try {
    watcher = watchTree(
      source,
      own,
      () => {
        if (!stopped) schedule()
      },
      (error) => {
        stopped = true
        fail(error)
      }
    )
  } catch (error) {
    fail(error as Error)
    return {memory, builds: () => count, building: () => false, idle: () => Promise.resolve(), close: () => Promise.resolve(), closed}
  }
  pending = true
  run()
  return {
    memory,
    builds: () => count,
    building: () => running !== undefined,
    idle: () => (running || timer || pending ? new Promise((resolveIdle) => waiters.push(resolveIdle)) : Promise.resolve()),
    async close() {
      stopped = true
      if (timer) clearTimeout(timer)
      timer = undefined
      pending = false
      watcher.close()
      await running
      settle()
      end()
    },
    closed
  }
}
