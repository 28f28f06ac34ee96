// Read stage: find and read the source files (the only reader of the file system).
import {readFile, stat} from 'node:fs/promises'
import {VFile} from 'vfile'
import {hashBytes, type SourceStamp} from './manifest.js'
import {walkFiles} from './walk.js'

/**
 * List the Markdown files under `dir`, recursively, in code-point order of
 * their paths: not a hidden file, nor anything in a hidden folder or in
 * `node_modules` (an editor's `.git`, a theme's packages), which are not
 * read (`walkFiles`).
 */
export async function listArticles(dir: string): Promise<string[]> {
  const found: string[] = []
  walkFiles(
    dir,
    (path) => {
      if (/\.(?:md|markdown)$/i.test(path)) found.push(path)
    },
    (name) => name.startsWith('.') || name === 'node_modules'
  )
  return found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
}

/** Read a UTF-8 file into a VFile, without a byte order mark. */
export async function readSource(path: string): Promise<VFile> {
  let value = await readFile(path, 'utf8')
  if (value.charCodeAt(0) === 0xfeff) value = value.slice(1)
  return new VFile({path, value})
}

/**
 * Read an article's source for a build: its text, without a byte order
 * mark, and its stamp (size, mtime, hash of its bytes) for the manifest.
 */
export async function readArticleSource(path: string): Promise<{stamp: SourceStamp; value: string}> {
  // Note: stat before reading: a file changed meanwhile has a newer mtime than recorded, and is hashed again next time.
  const {mtimeMs} = await stat(path)
  const bytes = await readFile(path)
  let value = bytes.toString('utf8')
  if (value.charCodeAt(0) === 0xfeff) value = value.slice(1)
  return {stamp: {path, size: bytes.length, mtimeMs, hash: hashBytes(bytes)}, value}
}

/** Read a file if it exists. */
export async function readOptional(path: string): Promise<VFile | undefined> {
  try {
    return await readSource(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}
