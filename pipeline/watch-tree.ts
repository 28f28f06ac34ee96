// A directory tree watched for changes: `fs.watch` on each of its directories.
import {readdirSync, statSync, watch, type Dirent, type FSWatcher} from 'node:fs'
import {join} from 'node:path'
import {isWithin} from './paths.js'

/** A tree being watched: `close` stops every watcher. */
export interface TreeWatcher {
  close(): void
}

/**
 * Watch `root` and every directory below it that `skip` does not name:
 * `onChange` gets the path of each entry added, changed or removed, `onError`
 * what stops the watch (`root` removed or no longer watchable). Throws when
 * `root` cannot be watched. A directory added is watched, with those it
 * holds; one removed is let go.
 *
 * Note: a watcher per directory, not `fs.watch(root, {recursive: true})`:
 * on Linux, Node 20's recursive watcher reported nothing more of a file
 * once the file had been replaced (written beside it, then renamed over it:
 * `sed -i`, an editor's safe save, `git checkout`), so a second save of an
 * article was not built. The watch of a directory reports every change to
 * its entries, whatever file an entry is. chokidar, which watches each file
 * as well, took 110 MB and 1.7 s to start on the 10,000 articles of the
 * bench.
 */
export function watchTree(root: string, skip: (path: string) => boolean, onChange: (path: string) => void, onError: (error: Error) => void): TreeWatcher {
  const watchers = new Map<string, FSWatcher>()
  let closed = false
  const stop = (error: Error) => {
    if (closed) return
    close()
    onError(error)
  }
  const letGo = (dir: string) => {
    for (const [watched, watcher] of watchers) {
      if (!isWithin(dir, watched)) continue
      watcher.close()
      watchers.delete(watched)
    }
  }
  const add = (dir: string) => {
    if (closed || watchers.has(dir) || skip(dir)) return
    let watcher: FSWatcher
    try {
      watcher = watch(dir, (event, name) => changed(name === null ? dir : join(dir, String(name)), event))
    } catch (error) {
      // Note: a directory below the root that is gone again, or cannot be read, is only not watched.
      if (dir === root) throw error
      return
    }
    watcher.on('error', (error) => (dir === root ? stop(error) : letGo(dir)))
    watchers.set(dir, watcher)
    let entries: Dirent[] = []
    try {
      entries = readdirSync(dir, {withFileTypes: true})
    } catch {
      // Note: gone again, or not readable: its watcher tells what becomes of it.
    }
    for (const entry of entries) if (entry.isDirectory()) add(join(dir, entry.name))
  }
  const changed = (path: string, event: string) => {
    if (closed || skip(path)) return
    // Note: an entry written in place ('change') is there, and no directory: only one added or gone ('rename') is looked at (a `git checkout` of 10,000 articles is as many events).
    if (event !== 'rename') return onChange(path)
    const info = statSync(path, {throwIfNoEntry: false})
    if (info?.isDirectory()) add(path)
    else if (!info) {
      letGo(path)
      // Note: only where something is gone can the root be (its watcher tells of an entry, or of itself, that is no more).
      if (!statSync(root, {throwIfNoEntry: false})?.isDirectory()) return stop(Object.assign(new Error(`ENOENT: the watched directory is gone, watch '${root}'`), {code: 'ENOENT'}))
    }
    onChange(path)
  }
  const close = () => {
    closed = true
    for (const watcher of watchers.values()) watcher.close()
    watchers.clear()
  }
  add(root)
  return {close}
}
