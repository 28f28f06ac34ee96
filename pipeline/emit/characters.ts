// The characters XML 1.0 and HTML leave out of a document: one definition for the pages and the feeds.

/**
 * C0 controls but tab, line feed and carriage return, lone surrogates,
 * U+FFFE and U+FFFF (a source may hold them, and parsers disagree on what to
 * do with them), as a regular-expression source to combine with others.
 * Note: without the `u` flag, for speed; surrogates are paired by hand.
 */
export const disallowed = '[\\0-\\x08\\x0B\\x0C\\x0E-\\x1F\\uFFFE\\uFFFF]|[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]'

const dropPattern = new RegExp(disallowed, 'g')

/** Remove the characters XML 1.0 and HTML do not allow in a document. */
export function dropDisallowed(value: string): string {
  return value.replace(dropPattern, '')
}
