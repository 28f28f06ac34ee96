// Batches: pieces of text joined a batch at a time, for the writers of long outputs made piece by piece (the report, the manifest, texts in chunks).

/**
 * `pieces` joined into batches of at most `limit` by `weight` (characters,
 * unless told; a piece larger than that is a batch of its own, and there is
 * none for no pieces): each is written while the next is made, so that
 * neither the whole text nor all its pieces are held at once.
 */
export function* batches(pieces: Iterable<string>, limit: number, weight: (piece: string) => number = (piece) => piece.length): Generator<string> {
  let batch: string[] = []
  let size = 0
  for (const piece of pieces) {
    const own = weight(piece)
    if (batch.length > 0 && size + own > limit) {
      yield batch.join('')
      batch = []
      size = 0
    }
    batch.push(piece)
    size += own
  }
  if (batch.length > 0) yield batch.join('')
}
