// Batches: pieces of text joined a batch at a time, for the writers of long outputs made piece by piece (the report, the manifest).

/**
 * `pieces` joined into batches of at least `limit` by `weight` (characters,
 * unless told; the last batch may be smaller, and there is none for no
 * pieces): each is written while the next is made, so that neither the
 * whole text nor all its pieces are held at once.
 */
export function* batches(pieces: Iterable<string>, limit: number, weight: (piece: string) => number = (piece) => piece.length): Generator<string> {
  let batch: string[] = []
  let size = 0
  for (const piece of pieces) {
    batch.push(piece)
    size += weight(piece)
    if (size < limit) continue
    yield batch.join('')
    batch = []
    size = 0
  }
  if (batch.length > 0) yield batch.join('')
}
