// Answers of a function of strings, kept for the values asked again.

/**
 * `compute` with its answers kept: a value asked again is answered from
 * them. At most `limit` are kept; then they are forgotten, and kept again.
 * Note: each is kept under the value itself (a copy took longer than the
 * answer saved); one sliced from a larger text (a source's frontmatter)
 * keeps that text alive while it is kept, which `limit` bounds.
 */
export function remembered<T>(compute: (value: string) => T, limit: number): (value: string) => T {
  const known = new Map<string, T>()
  return (value) => {
    const kept = known.get(value)
    if (kept !== undefined || known.has(value)) return kept!
    const answer = compute(value)
    if (known.size >= limit) known.clear()
    known.set(value, answer)
    return answer
  }
}
