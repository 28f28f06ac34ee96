// The outputs of the articles on a worker pool (emit-worker.ts), handed back in article order, each piece checked.
import {checkEmission, type OutputProblem} from './check.js'
import type {ArticleEmitContext} from './emit/article.js'
import type {Text} from './chunks.js'
import type {Emission, TablePath} from './emit/index.js'
import type {RecordSource} from './summary.js'
import {runInPool} from './workers.js'

/** What each emit worker is started with: the site-wide facts the articles' outputs draw on, and the project context for the checks. */
export interface EmitInit {
  context: ArticleEmitContext
  projectContext: {url: string; document: unknown}
  /** The staging directory the workers write the articles' own files into. */
  staging: string
}

/** An article whose outputs to write: where its whole record is, its source path, and whether it is the first of the site (it opens the graph's list of nodes). */
export interface EmitTask {
  id: number
  first: boolean
  record: RecordSource
  path: string
}

/**
 * One output of an article as a worker hands it back: the problems its check
 * found, and what it appends to a file of the site (its text, the table and
 * number of its rows); no text for a whole file, which the worker wrote.
 */
export interface Piece {
  path: string
  /** What it appends, as a text (whole or in chunks) or as bytes. */
  text?: Text | Uint8Array
  append?: boolean
  /** The length of an appended piece of the last build already in place: in the head of its file, copied from there (`Staging.copyHead`). */
  copied?: number
  /** Where an appended piece of the last build is in its file there: copied from that range (`Staging.appendRange`). */
  range?: {start: number; length: number}
  table?: TablePath
  count: number
  problems: OutputProblem[]
}

/** An emission checked: where its text goes, and the problems found (not the values it was checked by). */
export async function checkedPiece(emission: Emission, contexts: Map<string, unknown>): Promise<Piece> {
  const {path, text, append, rows} = emission
  return {path, text, append, table: rows?.table, count: rows?.records.length ?? 0, problems: await checkEmission(emission, contexts)}
}

export interface EmitReply {
  id: number
  pieces: Piece[]
  /** The worker's slab (`BytePool`) the bytes appended are views of: given back once they are written (`EmitRelease`). */
  slab?: number
}

/** A slab of an `EmitReply` given back to its worker once its bytes are written, to encode into again (`BytePool`). */
export interface EmitRelease {
  release: number
}

/**
 * Write and check the outputs of the articles of `tasks` (in slug order) on
 * `size` threads; `onArticle` gets each article's pieces in the order of
 * `tasks`, one article at a time (the files they append to grow in that
 * order), and calls `written` once for each piece, when it is staged (or
 * will not be): once every piece of an article is, the slab its bytes are
 * views of goes back to its worker. A worker that fails stops the pool, not the build: the
 * caller writes the articles not handed over.
 */
export async function emitInPool(size: number, init: EmitInit, tasks: Array<Omit<EmitTask, 'id'>>, onArticle: (pieces: Piece[], written: () => void) => Promise<void>): Promise<void> {
  const waiting = new Map<number, {pieces: Piece[]; written: () => void}>()
  let handed = 0
  let chain = Promise.resolve()
  let writeFailure: {error: unknown} | undefined
  try {
    await runInPool<Omit<EmitTask, 'id'>, EmitReply>('emit-worker.js', size, init, tasks, async ({id, pieces, slab}, answer) => {
      let left = pieces.length
      const written = () => {
        if (--left === 0 && slab !== undefined) answer({release: slab} satisfies EmitRelease)
      }
      waiting.set(id, {pieces, written})
      // Note: replies come in any order; the ones next in line go out, in order, one after the other.
      chain = chain.then(async () => {
        while (waiting.has(handed)) {
          const next = waiting.get(handed)!
          waiting.delete(handed)
          await onArticle(next.pieces, next.written)
          handed++
        }
      }).catch((error: unknown) => {
        writeFailure ??= {error}
        throw error
      })
      await chain
    }, 3)
  } catch {
    // Note: a pool that fails (a worker that cannot start or dies) is not fatal: the caller writes what is left; a write that fails is.
    await chain.catch(() => undefined)
    if (writeFailure) throw writeFailure.error
  }
}
