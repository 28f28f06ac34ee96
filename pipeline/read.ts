// Read stage: find and read the source files (the only reader of the file system).
import {readdirSync} from 'node:fs'
import {readFile, stat} from 'node:fs/promises'
import {join, sep} from 'node:path'
import {VFile} from 'vfile'
import {hashBytes, type SourceStamp} from './manifest.js'

/**
 * List the Markdown files under `dir`, recursively, in code-point order of
 * their paths: not a hidden file, nor anything in a hidden folder or in
 * `node_modules` (an editor's `.git`, a theme's packages), which are not
 * read. Note: synchronous, a folder at a time, each path made once: Node's
 * recursive `readdirSync` read those folders too, and each path was made
 * with `join`, then `relative` (the 10,000 sources of the bench, in 26
 * folders: 42–47 ms instead of 181–198 ms, the same list, ad hoc).
 */
export async function listArticles(dir: string): Promise<string[]> {
  const found: string[] = []
  const visit = (folder: string, top: boolean) => {
    for (const entry of readdirSync(folder, {withFileTypes: true})) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue
      // Note: `dir` as given (`.`, a trailing separator) joined once, the paths below it then as `join` would make them.
      const path = top ? join(folder, entry.name) : `${folder}${sep}${entry.name}`
      if (entry.isDirectory()) visit(path, false)
      else if (entry.isFile() && /\.(?:md|markdown)$/i.test(entry.name)) found.push(path)
    }
  }
  visit(dir, true)
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
