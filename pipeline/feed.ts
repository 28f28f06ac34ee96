// A feed: items given one at a time until it is closed, taken in order by whoever iterates it (the tasks of a worker pool found while the sources are still being read).

/** Items given with `push` until `close`; iterating it yields them in order, waiting for the next one while the feed is open. */
export class Feed<T> implements AsyncIterable<T> {
  private readonly items: T[] = []
  private taken = 0
  private closed = false
  private wake: (() => void) | undefined

  /** Give the next item. */
  push(item: T): void {
    if (this.closed) throw new Error('Cannot push to a closed feed')
    this.items.push(item)
    this.wake?.()
  }

  /** No more items: iterating ends once those given are taken. */
  close(): void {
    this.closed = true
    this.wake?.()
  }

  /** Iterate once: each item is yielded once, and let go of when taken. */
  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for (;;) {
      if (this.taken < this.items.length) {
        const item = this.items[this.taken]!
        // Note: the feed does not keep what was taken (a task holds the text of its source).
        this.items[this.taken++] = undefined as T
        yield item
        continue
      }
      if (this.closed) return
      await new Promise<void>((resolve) => {
        this.wake = resolve
      })
      this.wake = undefined
    }
  }
}
