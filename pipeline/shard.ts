// Shards: a stable split of the articles across machines (`build --shard i/n`), and the records each shard hands to `merge`.
import {createHash} from 'node:crypto'
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {parseResult, type ArticleResult} from './record.js'

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

/** The outputs of a shard: its manifest and its results, one JSON line each, in path order. */
export function emitShard(shard: Shard, inputs: string, results: string[]): Map<string, string> {
  const manifest: ShardManifest = {format: 1, shard: shard.index, count: shard.count, inputs, articles: results.length}
  return new Map([
    [shardFiles.manifest, `${JSON.stringify(manifest, null, 2)}\n`],
    [shardFiles.records, results.map((text) => `${text}\n`).join('')]
  ])
}

/** Read a shard directory; throws with a reason when it is not one. */
export async function readShard(dir: string): Promise<{manifest: ShardManifest; results: ArticleResult[]}> {
  const manifest = JSON.parse(await readFile(join(dir, shardFiles.manifest), 'utf8')) as ShardManifest
  if (manifest.format !== 1 || !Number.isInteger(manifest.shard) || !Number.isInteger(manifest.count)) throw new Error('its shard.json is not one newsgraph wrote')
  const lines = (await readFile(join(dir, shardFiles.records), 'utf8')).split('\n').filter((line) => line !== '')
  const results = lines.map((line, index) => {
    const result = parseResult(line)
    if (!result) throw new Error(`line ${index + 1} of its records.jsonl is not an article record`)
    return result
  })
  if (results.length !== manifest.articles) throw new Error(`it holds ${results.length} records, its shard.json says ${manifest.articles}`)
  return {manifest, results}
}
