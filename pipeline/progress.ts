// Progress of long builds on a terminal: one line, rewritten in place; nothing in CI, pipes or with --quiet.
/**
 * Where a build stands: reading the articles (processed or from the cache),
 * then writing the pages (each article's outputs, then the entity pages).
 */
export type Progress = {phase?: 'processing'; done: number; total: number; cached: number} | {phase: 'writing'; done: number; total: number}

/** Whether to show progress: only on a terminal, outside CI, without `--quiet`. */
export function showProgress(stream: {isTTY?: boolean}, env: Record<string, string | undefined>, quiet: boolean): boolean {
  return stream.isTTY === true && !quiet && (env['CI'] === undefined || env['CI'] === '' || env['CI'] === 'false')
}

/** The progress line: `processing 1234/10000 articles (56 cached)`, then `writing 2345/14000 pages (articles and entities)`. */
export function formatProgress(progress: Progress): string {
  if (progress.phase === 'writing') return `writing ${progress.done}/${progress.total} pages (articles and entities)`
  return `processing ${progress.done}/${progress.total} articles (${progress.cached} cached)`
}

/** A display on `stream` that rewrites one line (`\r`, cleared to the end), at most ten times a second; `end` clears it. */
export function createProgressDisplay(stream: {write(text: string): unknown}): {update(progress: Progress): void; end(): void} {
  let last = 0
  let shown = false
  return {
    update(progress) {
      const now = Date.now()
      if (now - last < 100 && progress.done !== progress.total) return
      last = now
      shown = true
      stream.write(`\r${formatProgress(progress)}\u001b[K`)
    },
    end() {
      if (shown) stream.write('\r\u001b[K')
      shown = false
    }
  }
}
