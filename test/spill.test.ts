// Records kept out of memory: a build's spill beside its output directory, and a shard's records.jsonl written and read a record at a time.
import {existsSync} from 'node:fs'
import {readFile, readdir, stat, writeFile} from 'node:fs/promises'
import {basename, join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {recordFormat, serializeResult, type ArticleResult} from '../pipeline/record.js'
import {readShardManifest, readShardResults, shardFiles, writeShard, type ShardResult} from '../pipeline/shard.js'
import {openSpill, readRange} from '../pipeline/spill.js'
import type {Article} from '../pipeline/types.js'
import {temporaryDirectory} from './helpers.js'

/** A result that `parseResult` reads back (its article is a stub: only what the check of a record looks at). */
// Note: in the order of a record's fields (`toResult`), so that a line serialized from it is one the stage writes.
const result = (path: string, body = 'Text.'): ArticleResult => ({format: recordFormat, path, article: {slug: basename(path, '.md'), path, body} as unknown as Article, messages: [{reason: `About ${path}`, ruleId: 'r', source: 'newsgraph', fatal: false, place: {line: 1, column: 1}}]})

const line = (value: ArticleResult) => serializeResult(value).join('')

describe('the spill of a build', () => {
  it('is a file beside out/, made on the first record, whose records are read back by their ranges, byte for byte, and removed at the end', async () => {
    const dir = await temporaryDirectory()
    const out = join(dir, 'dist')
    const spill = openSpill(out)
    expect(await readdir(dir)).toEqual([])
    const records = ['{"a":1}', 'é — 中文 😀', 'x'.repeat(70_000)].map((text) => Buffer.from(text, 'utf8'))
    // Given at once: each takes its place when given, and none overlaps another.
    const ranges = await Promise.all(records.map((bytes) => spill.add(bytes)))
    expect(ranges.map(({start, length}) => [start, length])).toEqual([
      [0, records[0]!.length],
      [records[0]!.length, records[1]!.length],
      [records[0]!.length + records[1]!.length, records[2]!.length]
    ])
    const [name, ...others] = await readdir(dir)
    expect(others).toEqual([])
    expect(name).toMatch(new RegExp(`^\\.dist-tmp-${process.pid}-[0-9a-f]+$`))
    expect(ranges.every((range) => range.file === join(dir, name!))).toBe(true)
    for (const [index, range] of ranges.entries()) expect(await readRange(range)).toBe(records[index]!.toString('utf8'))
    await expect(readRange({...ranges[2]!, length: ranges[2]!.length + 1})).rejects.toThrow(/Unexpected end of the file at byte/)
    await spill.remove()
    expect(await readdir(dir)).toEqual([])
    await expect(readRange(ranges[0]!)).rejects.toThrow(/ENOENT/)
  })

  it('makes nothing when given nothing', async () => {
    const dir = await temporaryDirectory()
    await openSpill(join(dir, 'dist')).remove()
    expect(await readdir(dir)).toEqual([])
  })

  it('refuses records where it cannot be made (the folder of out/ is a file), and is removed all the same', async () => {
    const dir = await temporaryDirectory()
    await writeFile(join(dir, 'file'), 'x')
    const spill = openSpill(join(dir, 'file', 'dist'))
    await expect(spill.add(Buffer.from('record'))).rejects.toThrow(/ENOTDIR|EEXIST/)
    await expect(spill.add(Buffer.from('record'))).rejects.toThrow()
    await spill.remove()
    expect(await readdir(dir)).toEqual(['file'])
  })

  it('makes the folder of out/ when it is not made yet (`--out parts/1`)', async () => {
    const dir = await temporaryDirectory()
    const spill = openSpill(join(dir, 'parts', '1'))
    const range = await spill.add(Buffer.from('record'))
    expect(range.file.startsWith(join(dir, 'parts', '.1-tmp-'))).toBe(true)
    expect(await readRange(range)).toBe('record')
    await spill.remove()
    expect(await readdir(join(dir, 'parts'))).toEqual([])
  })
})

describe('the records of a shard', () => {
  it('are written a line each from wherever each is kept (a file, a range, memory, none), and read back with the range of each line', async () => {
    const dir = await temporaryDirectory()
    const results = [result('a.md'), result('b.md'), result('c.md'), {format: recordFormat, path: 'd.md', messages: []} satisfies ArticleResult]
    const file = join(dir, 'entry.json')
    await writeFile(file, line(results[0]!))
    const spill = openSpill(join(dir, 'spill'))
    const range = await spill.add(Buffer.from(line(results[1]!)))
    const out = join(dir, 'part')
    await writeShard(out, {index: 2, count: 3}, 'inputs', [
      {path: 'a.md', messages: results[0]!.messages, record: {file}},
      {path: 'b.md', messages: results[1]!.messages, record: range},
      {path: 'c.md', messages: results[2]!.messages, record: {article: results[2]!.article!}},
      {path: 'd.md', messages: []}
    ])
    await spill.remove()
    const manifest = await readShardManifest(out)
    expect(manifest).toEqual({format: 1, shard: 2, count: 3, inputs: 'inputs', articles: 4})
    const read: ShardResult[] = []
    await readShardResults(out, manifest, (one) => read.push(one))
    expect(read.map(({result}) => result)).toEqual(results)
    const text = await readFile(join(out, shardFiles.records), 'utf8')
    expect(text.split('\n')).toEqual([...results.map(line), ''])
    for (const {range} of read) expect(await readRange(range)).toBe(text.slice(range.start, range.start + range.length))
  })

  it('are read a chunk at a time: lines longer than a chunk, a last line without its line feed, empty lines', async () => {
    const dir = await temporaryDirectory()
    // Note: a line of 3 MB spans the reader's chunks of 1 MiB.
    const results = [result('long.md', 'word '.repeat(600_000)), result('short.md'), result('last.md', 'é 😀')]
    const text = `${line(results[0]!)}\n\n${line(results[1]!)}\n${line(results[2]!)}`
    await writeFile(join(dir, shardFiles.records), text)
    const read: ShardResult[] = []
    await readShardResults(dir, {format: 1, shard: 1, count: 1, inputs: '', articles: 3}, (one) => read.push(one))
    expect(read.map(({result}) => result)).toEqual(results)
    const bytes = Buffer.from(text, 'utf8')
    for (const [index, {range}] of read.entries()) {
      expect(bytes.subarray(range.start, range.start + range.length).toString('utf8')).toBe(line(results[index]!))
      expect(await readRange(range)).toBe(line(results[index]!))
    }
  })

  it('are refused when a line is not a record, or when there are more or fewer than the manifest says', async () => {
    const dir = await temporaryDirectory()
    await writeFile(join(dir, shardFiles.records), `${line(result('a.md'))}\nnot json\n`)
    await expect(readShardResults(dir, {format: 1, shard: 1, count: 1, inputs: '', articles: 2}, () => undefined)).rejects.toThrow('line 2 of its records.jsonl is not an article record')
    await writeFile(join(dir, shardFiles.records), `${line(result('a.md'))}\n`)
    await expect(readShardResults(dir, {format: 1, shard: 1, count: 1, inputs: '', articles: 2}, () => undefined)).rejects.toThrow('it holds 1 records, its shard.json says 2')
    expect(existsSync(join(dir, shardFiles.manifest))).toBe(false)
    await expect(readShardManifest(dir)).rejects.toThrow(/ENOENT/)
    await writeFile(join(dir, shardFiles.manifest), '{"format": 1, "shard": 1, "count": 1}')
    await expect(readShardManifest(dir)).rejects.toThrow('its shard.json is not one newsgraph wrote')
    expect((await stat(join(dir, shardFiles.records))).size).toBeGreaterThan(0)
  })
})
