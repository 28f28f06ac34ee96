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
}

/**
 * Write and check the outputs of the articles of `tasks` (in slug order) on
 * `size` threads; `onArticle` gets each article's pieces in the order of
 * `tasks`, one article at a time (the files they append to grow in that
 * order). A worker that fails stops the pool, not the build: the caller
 * writes the articles not handed over.
 */
export async function emitInPool(size: number, init: EmitInit, tasks: Array<Omit<EmitTask, 'id'>>, onArticle: (pieces: Piece[]) => Promise<void>): Promise<void> {
  const waiting = new Map<number, Piece[]>()
  let handed = 0
  let chain = Promise.resolve()
  let writeFailure: {error: unknown} | undefined
  try {
    await runInPool<Omit<EmitTask, 'id'>, EmitReply>('emit-worker.js', size, init, tasks, async (reply) => {
      waiting.set(reply.id, reply.pieces)
      // Note: replies come in any order; the ones next in line go out, in order, one after the other.
      chain = chain.then(async () => {
        while (waiting.has(handed)) {
          const pieces = waiting.get(handed)!
          waiting.delete(handed)
          await onArticle(pieces)
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
