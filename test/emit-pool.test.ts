// The emit pool hands each article's pieces over in order, and gives the slab of its bytes back to the worker once they are written.
import {describe, expect, it, vi} from 'vitest'
import {emitInPool, type EmitReply, type Piece} from '../pipeline/emit-pool.js'
import type * as workers from '../pipeline/workers.js'

/** The replies the fake pool gives (in this order), and what was posted back to the worker each came from. */
const replies: EmitReply[] = []
const answers: Array<{id: number; message: unknown}> = []

// Note: a pool without threads: each reply is given to `onReply` as the workers' replies are, with an `answer` that records what it posts.
vi.mock('../pipeline/workers.js', async (importOriginal) => {
  const actual = await importOriginal<typeof workers>()
  return {
    ...actual,
    runInPool: async (...[, , , , onReply]: Parameters<typeof actual.runInPool<object, EmitReply>>) => {
      for (const reply of replies) await onReply(reply, (message) => answers.push({id: reply.id, message}))
    }
  }
})

function reply(id: number, texts: string[]): EmitReply {
  const buffer = new SharedArrayBuffer(64)
  let offset = 0
  const pieces: Piece[] = texts.map((text, index) => {
    const bytes = new Uint8Array(buffer, offset, Buffer.from(text).copy(new Uint8Array(buffer, offset)))
    offset += bytes.length
    return {path: `file-${index}`, text: bytes, append: true, count: 1, problems: []}
  })
  // A whole file the worker wrote itself: no text.
  pieces.push({path: `page-${id}.html`, count: 0, problems: []})
  return {id, pieces, slab: 10 + id}
}

describe('emitInPool', () => {
  it('hands the articles over in order, and gives a slab back to its worker once each of its pieces is written', async () => {
    replies.splice(0, Infinity, reply(1, ['b1', 'b2']), reply(0, ['a1', 'a2', 'a3']))
    answers.length = 0
    const handed: string[][] = []
    const pending: Array<() => void> = []
    await emitInPool(2, {} as never, [{first: true, record: {} as never, path: 'a.md'}, {first: false, record: {} as never, path: 'b.md'}], async (pieces, written) => {
      handed.push(pieces.map(({text}) => (text instanceof Uint8Array ? Buffer.from(text).toString() : '')))
      for (const piece of pieces) pending.push(written)
    })
    expect(handed).toEqual([['a1', 'a2', 'a3', ''], ['b1', 'b2', '']])
    // Nothing goes back until every piece of the article is staged (its bytes, and the page its worker wrote); then the slab's
    // number, to the worker it came from.
    expect(answers).toEqual([])
    for (const written of pending.splice(0, 3)) written()
    expect(answers).toEqual([])
    pending.shift()!()
    expect(answers).toEqual([{id: 0, message: {release: 10}}])
    for (const written of pending.splice(0)) written()
    expect(answers.map(({id}) => id)).toEqual([0, 1])
  })
})
