// The content-hash cache of the per-article stage: one entry per article result, keyed by everything it depends on.
import {readFile} from 'node:fs'
import {writeFile} from 'node:fs/promises'
import {homedir} from 'node:os'
import {isAbsolute, join} from 'node:path'
import {replaceFile} from './beside.js'
import {parseResult, type ArticleResult} from './record.js'

/**
 * Where the cache lives by default: `$XDG_CACHE_HOME/newsgraph`, else
 * `~/.cache/newsgraph`, like Go's build cache. Note: not `node_modules/.cache`,
 * which may be read-only, shared between worktrees (a symlink) or wiped by
 * `npm ci`; entries are keyed by content and path, so one cache serves every
 * project and output directory.
 */
export function defaultCacheDir(env: Record<string, string | undefined>): string {
  const xdg = env['XDG_CACHE_HOME']
  return xdg && isAbsolute(xdg) ? join(xdg, 'newsgraph') : join(homedir(), '.cache', 'newsgraph')
}

/** The per-article cache under `dir`. */
export interface ArticleCache {
  dir: string
  /** The result stored under `key`; `undefined` when missing, unreadable or corrupt (it is then rebuilt, never fatal). */
  get(key: string): Promise<ArticleResult | undefined>
  /** Store a serialized result (text, or its UTF-8 bytes); a failure to write only loses the entry. Resolves to whether it was stored. */
  set(key: string, serialized: string | Uint8Array): Promise<boolean>
  /** The file of the entry under `key` (which holds its serialized result once stored). */
  file(key: string): string
  /** The file of the summary stored beside the entry under `key`. */
  summaryFile(key: string): string
  /** The text of the summary stored beside the entry under `key` (`serializeSummary`); `undefined` when there is none or it cannot be read. */
  readSummary(key: string): Promise<string | undefined>
  /** Store the summary of the entry under `key`; resolves to whether it was stored. */
  writeSummary(key: string, serialized: string): Promise<boolean>
}

/**
 * The text of a cache entry (a summary, a record), read with the callback
 * API: `fs/promises`' `readFile` reads in more steps, and took about a
 * fifth more CPU for each of thousands of summaries of 30 KB (Node 20).
 */
export function readText(path: string): Promise<string> {
  return new Promise((resolve, reject) => readFile(path, 'utf8', (error, text) => (error ? reject(error) : resolve(text))))
}

/** Open the cache in `dir` (created on first write). */
export function openCache(dir: string): ArticleCache {
  const entry = (key: string) => join(dir, 'articles', key.slice(0, 2), `${key}.json`)
  const summary = (key: string) => join(dir, 'articles', key.slice(0, 2), `${key}.summary.json`)
  // Note: written beside and renamed, so that a reader (another build sharing the cache) never sees half an entry.
  const store = (path: string, serialized: string | Uint8Array) =>
    replaceFile(path, (staging) => writeFile(staging, serialized, 'utf8')).then(
      () => true,
      () => false
    )
  return {
    dir,
    async get(key) {
      let text: string
      try {
        text = await readText(entry(key))
      } catch {
        return undefined
      }
      return parseResult(text)
    },
    set: async (key, serialized) => store(entry(key), serialized),
    file: entry,
    summaryFile: summary,
    async readSummary(key) {
      return readText(summary(key)).catch(() => undefined)
    },
    writeSummary: async (key, serialized) => store(summary(key), serialized)
  }
}
