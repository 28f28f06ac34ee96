// Shards: a stable split of the articles across machines (`build --shard i/n`), and the records each shard hands to `merge`.
import {createHash} from 'node:crypto'
import {createReadStream} from 'node:fs'
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {joinText} from './chunks.js'
import {parsedMessages, parseResult, recordFormat, serializeResult, type ArticleResult, type MessagesData} from './record.js'
import type {RecordRange} from './spill.js'
import {recordText, type RecordSource} from './summary.js'
import {openStaging, stagingLimits, type Removal} from './write.js'

/** Shard `index` (1-based) of `count`. */
export interface Shard {
  index: number
  count: number
}

/** Read `i/n` (1 ≤ i ≤ n); `undefined` when it is not that. */
export function parseShard(value: string): Shard | undefined {
  const match = /^(\d+)\/(\d+)$/.exec(value)
  if (!match) return undefined
  const [index, count] = [Number(match[1]), Number(match[2])]
  return index >= 1 && count >= 1 && index <= count && Number.isSafeInteger(count) ? {index, count} : undefined
}

/** The shard an article belongs to, by the hash of its path relative to the source directory: stable across machines and runs. */
export function shardOf(relativePath: string, count: number): number {
  const hash = createHash('sha256').update(relativePath.split('\\').join('/')).digest()
  return (hash.readUInt32BE(0) % count) + 1
}

/** File names of a shard's output directory. */
export const shardFiles = {manifest: 'shard.json', records: 'records.jsonl'} as const

/** What a shard says of itself in `shard.json`. */
export interface ShardManifest {
  format: 1
  shard: number
  count: number
  /** Hash of the stage inputs (knowledge, schemas, pipeline version, base URL): all shards and the merge must agree. */
  inputs: string
  articles: number
}

/** What a shard hands on of an article: its messages, and where its whole record is (none when it has errors). */
export interface ShardItem {
  path: string
  messages: MessagesData
  record?: RecordSource
}

/**
 * Write a shard's outputs into `out`, replacing it whole (`openStaging`):
 * its manifest, and its results as lines of `records.jsonl`, in path order.
 * Note: a record kept in a file (the cache, the spill) is read and appended
 * one at a time, never all held at once: whole, the records of 10,000
 * bench articles were 749 MB, more than a string can hold.
 */
export async function writeShard(out: string, shard: Shard, inputs: string, items: ShardItem[], removal: Removal = 'wait'): Promise<void> {
  const manifest: ShardManifest = {format: 1, shard: shard.index, count: shard.count, inputs, articles: items.length}
  const staging = await openStaging(out, stagingLimits, removal)
  try {
    await staging.write(shardFiles.manifest, `${JSON.stringify(manifest, null, 2)}\n`)
    // Note: begun empty, so that a shard without articles has its file too.
    await staging.write(shardFiles.records, '')
    for (const {path, messages, record} of items) {
      // Note: a record in a file is the serialized result of its article, messages and all: one line (JSON escapes line breaks).
      const line = record && !('article' in record) ? await recordText(record, path) : joinText(serializeResult({format: recordFormat, path, ...(record ? {article: record.article} : {}), messages: parsedMessages(messages)}))
      await staging.write(shardFiles.records, `${line}\n`, true)
    }
    await staging.commit()
  } finally {
    await staging.discard()
  }
}

/** One result of a shard, and where its line is in `records.jsonl` (read back from there when the site is written). */
export interface ShardResult {
  result: ArticleResult
  range: RecordRange
}

/** Read the manifest of a shard directory; throws with a reason when it is not one. */
export async function readShardManifest(dir: string): Promise<ShardManifest> {
  const manifest = JSON.parse(await readFile(join(dir, shardFiles.manifest), 'utf8')) as ShardManifest
  if (manifest === null || typeof manifest !== 'object' || manifest.format !== 1 || !Number.isInteger(manifest.shard) || !Number.isInteger(manifest.count) || !Number.isInteger(manifest.articles)) throw new Error('its shard.json is not one newsgraph wrote')
  return manifest
}

/**
 * Read the results of a shard directory whose manifest is `manifest`, one
 * at a time (`onResult`), in the order of its `records.jsonl`; throws with a
 * reason when they are not its results (then those given are to be
 * dropped). Note: read a chunk at a time, never whole: a shard's records
 * can be more than a string holds.
 */
export async function readShardResults(dir: string, manifest: ShardManifest, onResult: (read: ShardResult) => void): Promise<void> {
  const file = join(dir, shardFiles.records)
  let count = 0
  for await (const {text, start, length} of readLines(file)) {
    if (text === '') continue
    const result = parseResult(text)
    if (!result) throw new Error(`line ${count + 1} of its records.jsonl is not an article record`)
    count++
    onResult({result, range: {file, start, length}})
  }
  if (count !== manifest.articles) throw new Error(`it holds ${count} records, its shard.json says ${manifest.articles}`)
}

/** The lines of a file (without their line feed), each with its place in bytes, read a chunk at a time. */
async function* readLines(file: string): AsyncGenerator<{text: string; start: number; length: number}> {
  /** The bytes of the line begun and not ended yet, and where it begins. */
  let parts: Buffer[] = []
  let start = 0
  let offset = 0
  for await (const chunk of createReadStream(file, {highWaterMark: 1 << 20}) as AsyncIterable<Buffer>) {
    let from = 0
    for (let end = chunk.indexOf(10); end !== -1; end = chunk.indexOf(10, from)) {
      parts.push(chunk.subarray(from, end))
      const bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts)
      yield {text: bytes.toString('utf8'), start, length: bytes.byteLength}
      parts = []
      from = end + 1
      start = offset + from
    }
    if (from < chunk.byteLength) parts.push(chunk.subarray(from))
    offset += chunk.byteLength
  }
  const rest = parts.length === 1 ? parts[0]! : Buffer.concat(parts)
  if (rest.byteLength > 0) yield {text: rest.toString('utf8'), start, length: rest.byteLength}
}
