// A feed: items given one at a time until it is closed, taken in order by whoever iterates it (the tasks of a worker pool found while the sources are still being read).

/** Items given with `push` until `close`; iterating it yields them in order, waiting for the next one while the feed is open. */
export class Feed<T> implements AsyncIterable<T> {
  private readonly items: T[] = []
  private taken = 0
  private closed = false
  private abandoned = false
  private wake: (() => void) | undefined
  /** Givers waiting for room (`room`), each with the number of items it waits to be under. */
  private readonly givers: Array<{limit: number; resolve: () => void}> = []

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

  /** How many items were given and are not taken yet. */
  get waiting(): number {
    return this.items.length - this.taken
  }

  /**
   * Resolves once fewer than `limit` items wait to be taken, so that a giver
   * holds no more than that (each a source's text) ahead of the taker; at
   * once when the feed is `abandon`ed.
   */
  async room(limit: number): Promise<void> {
    if (this.abandoned || this.waiting < limit) return
    await new Promise<void>((resolve) => this.givers.push({limit, resolve}))
  }

  /** Nothing will take items any more (the taker failed): waiting for room ends, now and from now on. */
  abandon(): void {
    this.abandoned = true
    for (const giver of this.givers.splice(0)) giver.resolve()
  }

  /** Iterate once: each item is yielded once, and let go of when taken. */
  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for (;;) {
      if (this.taken < this.items.length) {
        const item = this.items[this.taken]!
        // Note: the feed does not keep what was taken (a task holds the text of its source).
        this.items[this.taken++] = undefined as T
        this.release()
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

  /** Wake the givers for which there is room now. */
  private release(): void {
    while (this.givers.length > 0 && this.waiting < this.givers[0]!.limit) this.givers.shift()!.resolve()
  }
}
