// The sources given to the per-article stage's workers: reading waits while the pool has enough of them waiting (an archive's texts are hundreds of megabytes).
import {dirname, join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {build, sourcesAhead} from '../pipeline/build.js'
import {Feed} from '../pipeline/feed.js'
import {article, readTree, sourceTree} from './helpers.js'

/** The most items seen waiting in a feed, after each push. */
const seen = {most: 0}

// Note: every feed of this file, watched.
const push = Feed.prototype.push
Feed.prototype.push = function (this: Feed<unknown>, item: unknown) {
  push.call(this, item)
  seen.most = Math.max(seen.most, this.waiting)
}

describe('the feed of a worker pool', () => {
  it('lets a giver wait for room, and lets it go when the taker is gone', async () => {
    const feed = new Feed<number>()
    feed.push(1)
    feed.push(2)
    let roomy = false
    const room = feed.room(2).then(() => (roomy = true))
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(roomy).toBe(false)
    const taking = feed[Symbol.asyncIterator]()
    expect((await taking.next()).value).toBe(1)
    await room
    expect(feed.waiting).toBe(1)
    await feed.room(2)
    feed.push(3)
    let released = false
    const stuck = feed.room(1).then(() => (released = true))
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(released).toBe(false)
    feed.abandon()
    await stuck
    // Note: abandoned, it has room whatever waits.
    await feed.room(0)
    expect(feed.waiting).toBe(2)
  })

  it('holds at most a few sources per worker while the workers process the first ones', async () => {
    const files: Record<string, string> = {'site.yaml': 'title: T\nbaseUrl: https://example.org/news/\n'}
    for (let index = 0; index < 16; index++) files[`articles/a${String(index).padStart(2, '0')}.md`] = article({omit: ['title'], frontmatter: `title: Story ${index}`, body: `Kenya criticized Uganda on Monday, officials in Nairobi said ${index} times.\n`})
    const source = await sourceTree(files)
    const dir = dirname(source)
    const one = await build({source, out: join(dir, 'one'), cwd: dir, jobs: 0})
    seen.most = 0
    const two = await build({source, out: join(dir, 'two'), cwd: dir, jobs: 2})
    expect(two).toMatchObject({written: true, errors: 0, articles: 16, processed: 16})
    // Note: the workers take seconds to load the knowledge; meanwhile, unbounded, all 16 sources were read and waited in the feed. Bounded, the feed is full (two per worker) and no more.
    expect(seen.most).toBe(sourcesAhead * 2)
    expect(await readTree(join(dir, 'two'))).toEqual(await readTree(join(dir, 'one')))
    expect(one.written).toBe(true)
  })
})
