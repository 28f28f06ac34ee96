// Incremental builds: the content-hash cache, the no-op fast path, workers, shards and merge give the dist/ a full build gives.
import {execFile} from 'node:child_process'
import {createHash} from 'node:crypto'
import {readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {cp, link, mkdir, open, readFile, readdir, realpath, rename, rm, stat, symlink, utimes, writeFile} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import {promisify} from 'node:util'
import {describe, expect, it, vi} from 'vitest'
import {VFile} from 'vfile'
import {build} from '../pipeline/build.js'
import {merge} from '../pipeline/merge.js'
import {createChecker} from '../pipeline/check.js'
import {hashParts, hashStageInputs, readStageInputs} from '../pipeline/inputs.js'
import {formatProgress, showProgress, type Progress} from '../pipeline/progress.js'
import {parseShard, shardOf} from '../pipeline/shard.js'
import {openStaging, writeAll, type Staging} from '../pipeline/write.js'
import {removeTree, removeTreeSync} from '../pipeline/remove.js'
import {draftManifest, lastManifest, manifestJson, readManifest, type Manifest} from '../pipeline/manifest.js'
import {stampOutputs} from '../pipeline/stamps.js'
import {formatBytes} from '../pipeline/cli.js'
import {inOrder} from '../pipeline/in-order.js'
import {openReader, reuseArticle, type ArticleOutputs} from '../pipeline/reuse.js'
import {openSummaryReader} from '../pipeline/summary-reader.js'
import {createArticleProcessor, processArticle} from '../pipeline/process.js'
import {readSource} from '../pipeline/read.js'
import {mentionCount, parseSummary, readRecord, serializeSummary, summarizeArticle, summaryTables} from '../pipeline/summary.js'
import {deferredOnly, restoreDeferred, restoreMessages, resultFile, type ArticleResult, type MessageData} from '../pipeline/record.js'
import {report, writeReport} from '../pipeline/message.js'
import {keptReportPath, printAndKeepReport, printKeptReport} from '../pipeline/kept-report.js'
import {chunkLength} from '../pipeline/chunks.js'
import {asciiJson, asciiJsonChunks} from '../pipeline/json.js'
import {article, readTree, root, seedPath, sourceKnowledge, sourceTree, temporaryDirectory} from './helpers.js'

/** Whether the next removal of a tree (`removeTree`: the last build's files after a swap) fails at once. */
const removal = {fails: false}
vi.mock('../pipeline/remove.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../pipeline/remove.js')>()
  return {
    ...actual,
    removeTree: async (dir: string) => {
      if (!removal.fails) return actual.removeTree(dir)
      removal.fails = false
      throw new Error(`Cannot remove \`${dir}\``)
    }
  }
})

/** The sources a build read, in the order it read them (`readArticleSource`). */
const sourcesRead: string[] = []
vi.mock('../pipeline/read.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../pipeline/read.js')>()
  return {
    ...actual,
    readArticleSource: async (path: string) => {
      sourcesRead.push(path)
      return actual.readArticleSource(path)
    }
  }
})

/**
 * The staging calls of a build while `log` is set (each `write` or `reuse`, with its path), a path whose `reuse` fails
 * (the entities' pages written slowly meanwhile), and what happens just before the next commit (another build's swap).
 */
const staged: {log?: string[]; failOn?: string; beforeCommit?: () => Promise<void>} = {}
vi.mock('../pipeline/write.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../pipeline/write.js')>()
  return {
    ...actual,
    openStaging: async (...args: Parameters<typeof actual.openStaging>) => {
      const staging = await actual.openStaging(...args)
      const {log, beforeCommit} = staged
      if (beforeCommit) {
        staged.beforeCommit = undefined
        return {
          ...staging,
          commit: async (...commitArgs: Parameters<typeof staging.commit>) => {
            await beforeCommit()
            return staging.commit(...commitArgs)
          }
        }
      }
      if (!log) return staging
      return {
        ...staging,
        write: async (path: string, contents: string | Uint8Array, append?: boolean) => {
          log.push(`write ${path}`)
          // Note: with a failure to come, the entities' pages are slow, so that they are still being drawn when it comes.
          if (staged.failOn && path.startsWith('entities/')) await new Promise((resolve) => setTimeout(resolve, 20))
          return staging.write(path, contents, append)
        },
        reuse: async (path: string, from: string) => {
          log.push(`reuse ${path}`)
          if (path === staged.failOn) throw Object.assign(new Error(`EIO: i/o error, link '${from}'`), {code: 'EIO'})
          return staging.reuse(path, from)
        }
      }
    }
  }
})

/** How many times the site was linked (`linkArticles`). */
const linked = {count: 0}
vi.mock('../pipeline/link.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../pipeline/link.js')>()
  return {
    ...actual,
    linkArticles: (...args: Parameters<typeof actual.linkArticles>) => {
      linked.count++
      return actual.linkArticles(...args)
    }
  }
})

/** How many checks of the last build's outputs (`stamp-worker.js`) started; while `hold` is set, their answers wait for it. */
const stampChecks: {started: number; hold?: Promise<void>} = {started: 0}
/** How many worker threads started, by module (`hard-link-worker.js`, …). */
const workersStarted = new Map<string, number>()
/** Modules whose worker threads cannot start (their constructor throws, as where threads are not available). */
const workersRefused = new Set<string>()
vi.mock('node:worker_threads', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:worker_threads')>()
  class Worker extends actual.Worker {
    constructor(...args: ConstructorParameters<typeof actual.Worker>) {
      const name = String(args[0]).split(/[\\/]/).at(-1)!
      if (workersRefused.has(name)) throw new Error(`Cannot start a worker thread on ${name}`)
      super(...args)
      workersStarted.set(name, (workersStarted.get(name) ?? 0) + 1)
      if (name !== 'stamp-worker.js') return
      stampChecks.started++
      const {hold} = stampChecks
      if (!hold) return
      // Note: its message and its exit alike, in the order they come.
      const once = this.once.bind(this)
      this.once = ((event: string | symbol, listener: (...values: unknown[]) => void) => once(event, (...values: unknown[]) => void hold.then(() => listener(...values)))) as typeof this.once
    }
  }
  return {...actual, Worker}
})

const run = promisify(execFile)
const cli = join(root, 'bin', 'newsgraph.js')

/** Run the compiled CLI; resolves with its exit code and output. */
async function newsgraph(args: string[], cwd = root) {
  try {
    const {stdout, stderr} = await run(process.execPath, [cli, ...args], {cwd, env: {...process.env, CI: ''}})
    return {code: 0, stdout, stderr}
  } catch (error) {
    const failure = error as {code: number; stdout: string; stderr: string}
    return {code: failure.code, stdout: failure.stdout, stderr: failure.stderr}
  }
}

/** A small archive: articles with entities and events, in folders. */
function archive(count = 6): Record<string, string> {
  const files: Record<string, string> = {'site.yaml': 'title: Test\nbaseUrl: https://example.org/news/\n'}
  for (let index = 0; index < count; index++) {
    const body = `Kenya criticized Uganda on Monday, officials in Nairobi said. Prime Minister Ana Duarte of Peru will visit Chile in March ${2000 + index}.\n\n> Japan and China agreed to hold talks. [^wire]\n\n[^wire]: A wire report.\n`
    files[`articles/${index % 2 ? 'a' : 'b'}/story-${index}.md`] = article({
      omit: ['title'],
      frontmatter: `title: Story ${index}\nsources:\n  - id: wire\n    type: NewsArticle\n    name: A wire report\n    datePublished: "2020-02-0${(index % 9) + 1}"`,
      body
    })
  }
  return files
}

/** A source tree of `archive()` with its own cache directory and output directory. */
async function setUp(count = 6) {
  const source = await sourceTree(archive(count))
  const dir = dirname(source)
  return {source, dir, cache: join(dir, 'cache'), out: join(dir, 'dist')}
}

const fullBuild = async (source: string, out: string) => {
  const result = await build({source, out, cwd: dirname(source)})
  expect(result.written).toBe(true)
  return readTree(out)
}

describe('the per-article cache', () => {
  it('misses on a first build, then serves every article, with the same dist/', async () => {
    const {source, dir, cache, out} = await setUp()
    const first = await build({source, out, cwd: dir, cache})
    expect(first).toMatchObject({written: true, upToDate: false, processed: 6, cached: 0, errors: 0})
    const again = await build({source, out: join(dir, 'again'), cwd: dir, cache})
    expect(again).toMatchObject({written: true, processed: 0, cached: 6})
    expect(await readTree(join(dir, 'again'))).toEqual(await readTree(out))
    expect(await readTree(out)).toEqual(await fullBuild(source, join(dir, 'uncached')))
  })

  it('reports the messages of cached articles as when they were processed', async () => {
    const source = await sourceTree({'site.yaml': 'title: T\nbaseUrl: https://example.org/\n', 'articles/x.md': article({omit: ['author'], body: 'Maria Varga met Tomasz Wolny in Lima.\n'})})
    const dir = dirname(source)
    const cache = join(dir, 'cache')
    const format = (result: Awaited<ReturnType<typeof build>>) => result.files.flatMap((file) => file.messages.map(String))
    const first = await build({source, out: join(dir, 'one'), cwd: dir, cache})
    const second = await build({source, out: join(dir, 'two'), cwd: dir, cache})
    expect(second.cached).toBe(1)
    expect(format(first).some((line) => line.includes('author'))).toBe(true)
    expect(format(second)).toEqual(format(first))
    expect(second.files.flatMap((file) => file.messages.map((message) => [message.ruleId, message.fatal, message.line, message.column]))).toEqual(
      first.files.flatMap((file) => file.messages.map((message) => [message.ruleId, message.fatal, message.line, message.column]))
    )
  })

  it('holds the infos of articles read as data until the build is summed up, then puts them before the messages added since', () => {
    const info = (reason: string, line: number): MessageData => ({reason, ruleId: 'entity-suggestion', source: 'newsgraph', fatal: null, place: {line, column: 1}})
    const infos: ArticleResult = {format: 1, path: 'a.md', messages: [info('first', 3), info('second', 1)]}
    const file = resultFile(infos)
    expect(file.messages).toEqual([])
    report(file, 'added later', 'slug-duplicate')
    restoreDeferred([file])
    expect(file.messages.map((message) => [message.reason, message.ruleId, message.fatal, message.line])).toEqual([
      ['first', 'entity-suggestion', undefined, 3],
      ['second', 'entity-suggestion', undefined, 1],
      ['added later', 'slug-duplicate', true, 1]
    ])
    const atOnce = new VFile({path: 'a.md'})
    restoreMessages(atOnce, infos.messages)
    expect(file.messages.slice(0, 2).map(String)).toEqual(atOnce.messages.map(String))
    // Once only; a warning or an error among them puts them all on the file at once, where they fail a build.
    restoreDeferred([file])
    expect(file.messages).toHaveLength(3)
    const warned = resultFile({...infos, messages: [...infos.messages, {...info('a warning', 2), fatal: false}]})
    expect(warned.messages.map((message) => message.reason)).toEqual(['first', 'second', 'a warning'])
  })

  it('processes again only the article that changed, and gives the dist/ of a full build', async () => {
    const {source, dir, cache, out} = await setUp()
    await build({source, out, cwd: dir, cache})
    const path = join(source, 'articles', 'a', 'story-1.md')
    await writeFile(path, (await readFile(path, 'utf8')).replace('title: Story 1', 'title: Story one, revised').replace('Kenya criticized Uganda', 'Ghana praised Togo'))
    const rebuilt = await build({source, out, cwd: dir, cache})
    expect(rebuilt).toMatchObject({written: true, upToDate: false, processed: 1, cached: 5, reused: 5})
    expect(await readTree(out)).toEqual(await fullBuild(source, join(dir, 'full')))
  })

  it('reads only the sources changed since the last build into the same out/; the others are read when the cache lost them', async () => {
    const {source, dir, cache, out} = await setUp()
    await build({source, out, cwd: dir, cache})
    const path = join(source, 'articles', 'a', 'story-1.md')
    await writeFile(path, (await readFile(path, 'utf8')).replace('title: Story 1', 'title: Story one, revised'))
    sourcesRead.length = 0
    expect(await build({source, out, cwd: dir, cache})).toMatchObject({written: true, processed: 1, cached: 5, reused: 5})
    expect(sourcesRead).toEqual([path])
    expect(await readTree(out)).toEqual(await fullBuild(source, join(dir, 'full')))
    // Note: a source touched with the same bytes is not processed, and the manifest records its new mtime: the next build need not hash it again.
    const touched = join(source, 'articles', 'b', 'story-0.md')
    const later = new Date(Date.now() + 60_000)
    await utimes(touched, later, later)
    await writeFile(path, (await readFile(path, 'utf8')).replace('Story one, revised', 'Story one, revised again'))
    sourcesRead.length = 0
    expect(await build({source, out, cwd: dir, cache})).toMatchObject({written: true, processed: 1, cached: 5})
    expect(sourcesRead).toEqual([path])
    const stamp = (await readManifest(cache, out))!.articles.find((recorded) => recorded.path === touched)!
    expect(stamp.mtimeMs).toBe((await stat(touched)).mtimeMs)
    // Note: another output directory has no manifest of its own to tell which sources are unchanged.
    sourcesRead.length = 0
    await build({source, out: join(dir, 'other'), cwd: dir, cache})
    expect(sourcesRead).toHaveLength(6)
    await writeFile(path, (await readFile(path, 'utf8')).replace('Story one, revised again', 'Story one'))
    await rm(join(cache, 'articles'), {recursive: true})
    sourcesRead.length = 0
    expect(await build({source, out, cwd: dir, cache})).toMatchObject({written: true, processed: 6, cached: 0})
    expect(sourcesRead).toHaveLength(6)
    expect(await readTree(out)).toEqual(await fullBuild(source, join(dir, 'full-again')))
  })

  it.each([
    ['the registry', 'entities.yaml', '- id: ana-duarte\n  type: Person\n  name: Ana Duarte\n'],
    ['the name lexicon', 'lexicons/names.yaml', 'names'],
    ['the event lexicon', 'lexicons/events.yaml', 'events'],
    ['the CAMEO table', 'cameo.yaml', 'cameo'],
    ['the conventions', 'conventions.yaml', 'conventions'],
    ['the site', 'site.yaml', 'title: Test, renamed\nbaseUrl: https://example.org/news/\n']
  ])('processes every article again when %s changes', async (_, path, contents) => {
    const {source, dir, cache, out} = await setUp(3)
    await build({source, out, cwd: dir, cache})
    // Note: a copy of newsgraph's own file with a comment added: same meaning, other bytes.
    const own = contents.includes('\n') ? contents : `${await readFile(join(root, 'source', path), 'utf8')}\n# changed\n`
    await mkdir(dirname(join(source, path)), {recursive: true})
    await writeFile(join(source, path), own)
    const rebuilt = await build({source, out, cwd: dir, cache})
    expect(rebuilt).toMatchObject({written: true, processed: 3, cached: 0})
    expect(await readTree(out)).toEqual(await fullBuild(source, join(dir, 'full')))
  })

  it('is keyed by the schemas, the pipeline code and the base URL too', async () => {
    const {source, dir} = await setUp(1)
    const schemas = join(dir, 'schemas')
    const code = join(dir, 'code')
    await cp(join(root, 'schemas'), schemas, {recursive: true})
    await cp(join(root, 'pipeline'), code, {recursive: true})
    const inputs = await readStageInputs(source, undefined)
    const before = await hashStageInputs(inputs, {schemas, code})
    expect(await hashStageInputs(inputs, {schemas, code})).toBe(before)
    await writeFile(join(schemas, 'site.schema.json'), `${await readFile(join(schemas, 'site.schema.json'), 'utf8')}\n`)
    const schemasChanged = await hashStageInputs(inputs, {schemas, code})
    expect(schemasChanged).not.toBe(before)
    await writeFile(join(code, 'link.ts'), `${await readFile(join(code, 'link.ts'), 'utf8')}// a change\n`)
    const codeChanged = await hashStageInputs(inputs, {schemas, code})
    expect(codeChanged).not.toBe(schemasChanged)
    expect(await hashStageInputs(await readStageInputs(source, 'https://elsewhere.example/'), {schemas, code})).not.toBe(codeChanged)
  })

  it('hashes the parts of a key as the stream of each one\u2019s length in UTF-8 bytes, a colon and its bytes, however many and long they are', () => {
    const stream = (parts: Array<string | Buffer>) => createHash('sha256').update(Buffer.concat(parts.flatMap((part) => [Buffer.from(`${Buffer.byteLength(part)}:`), Buffer.from(part)]))).digest('hex')
    const long = 'é'.repeat(700_000)
    const lists: Array<Array<string | Buffer>> = [
      [],
      [''],
      ['ab', 'c'],
      ['a', 'bc'],
      ['K\u00f6ln', '\u{1F600}', 'lone \ud800', '\udc00 lone'],
      Array.from({length: 200_000}, (_, index) => `part ${index}`),
      ['before', long, 'between', long, Buffer.from('bytes \u00e9'), 'after'],
      [Buffer.alloc(0), long.slice(1), Buffer.from([0, 255])]
    ]
    const hashes = lists.map(hashParts)
    expect(hashes).toEqual(lists.map(stream))
    // Length-prefixed: the same characters split otherwise hash otherwise.
    expect(hashes[2]).not.toBe(hashes[3])
  })

  it('ignores a corrupt or unreadable entry and processes the article again', async () => {
    const {source, dir, cache, out} = await setUp(3)
    const first = await build({source, out, cwd: dir, cache})
    const entries = (await readdir(join(cache, 'articles'), {recursive: true, withFileTypes: true})).filter((entry) => entry.isFile() && !entry.name.endsWith('.summary.json'))
    expect(entries).toHaveLength(3)
    const [a, b, c] = entries.map((entry) => join(entry.parentPath, entry.name))
    await writeFile(a!, '{"format": 1, "path": ')
    await writeFile(b!, '')
    await writeFile(c!, JSON.stringify({format: 1, path: 'elsewhere.md', article: {slug: 3}, messages: []}))
    const again = await build({source, out: join(dir, 'again'), cwd: dir, cache})
    expect(again).toMatchObject({written: true, errors: 0, processed: 3, cached: 0})
    expect(again.errors).toBe(first.errors)
    expect(await readTree(join(dir, 'again'))).toEqual(await readTree(out))
  })
})

describe('summaries and whole records', () => {
  it('summarize an article: its facts, its mentions counted per entity, its forms by name once each, what the site shows of its events with their first evidence', async () => {
    const knowledge = await sourceKnowledge()
    const seed = (await processArticle(await readSource(seedPath), createArticleProcessor(knowledge), knowledge))!
    const summary = summarizeArticle(seed)
    for (const field of ['body', 'text', 'sentences', 'quotations', 'mentions']) expect(summary).not.toHaveProperty(field)
    expect(summary).toMatchObject({slug: seed.slug, meta: seed.meta, entities: seed.entities, about: seed.about, declared: seed.declared})
    // Strict: what only the article's own outputs show (trigger, precision, evidence ranges, confidence) is not held, and an optional field is absent, not undefined.
    expect(summary.events.all()).toStrictEqual(
      seed.events.map((event) => ({
        id: event.id,
        code: event.code,
        participants: event.participants,
        startDate: event.startDate,
        endDate: event.endDate,
        status: event.status,
        negated: event.negated,
        evidenceText: seed.text.value.slice(event.evidence[0]!.start, event.evidence[0]!.end),
        ...(event.actor1 === undefined ? {} : {actor1: event.actor1}),
        ...(event.actor2 === undefined ? {} : {actor2: event.actor2}),
        ...(event.location === undefined ? {} : {location: event.location}),
        ...(event.sourceId === undefined ? {} : {sourceId: event.sourceId})
      }))
    )
    expect(seed.events.some((event) => event.actor2 === undefined)).toBe(true)
    const counts = new Map<string, number>()
    for (const mention of seed.mentions) counts.set(mention.entityId, (counts.get(mention.entityId) ?? 0) + 1)
    // In the order first mentioned, each entity once.
    expect(summary.mentionCounts.ids).toEqual([...counts.keys()])
    expect(summary.mentionCounts.counts).toEqual([...counts.values()])
    for (const [id, count] of counts) expect(mentionCount(summary.mentionCounts, id)).toBe(count)
    expect(mentionCount(summary.mentionCounts, 'not-mentioned')).toBe(0)
    const forms = seed.mentions.filter((mention) => mention.kind === 'name').map((mention) => JSON.stringify([mention.entityId, mention.text]))
    expect(summary.nameForms.map((pair) => JSON.stringify(pair))).toEqual([...new Set(forms)])
    // An entity id that names a property of every object counts from zero.
    const odd = summarizeArticle({...seed, mentions: [{...seed.mentions[0]!, entityId: 'constructor'}, {...seed.mentions[0]!, entityId: 'constructor'}]})
    expect(mentionCount(odd.mentionCounts, 'constructor')).toBe(2)
    expect(mentionCount(summary.mentionCounts, 'constructor')).toBe(0)
    // Summaries made with one table share the entities two articles describe alike, and only those.
    const shared = summaryTables()
    const first = summarizeArticle(seed, shared)
    const copy = structuredClone(seed)
    copy.entities[1] = {...copy.entities[1]!, confidence: copy.entities[1]!.confidence / 2}
    const second = summarizeArticle(copy, shared)
    expect(second.entities[0]).toBe(first.entities[0])
    expect(second.entities[1]).not.toBe(first.entities[1])
    expect(second.entities).toEqual(copy.entities)
    // So are their name forms, the same pair each once; events without participants share one empty list, which nothing can change.
    expect(second.nameForms.length).toBeGreaterThan(0)
    for (const [index, pair] of second.nameForms.entries()) expect(pair).toBe(first.nameForms[index])
    const firstEvents = first.events.all()
    const withOthers = firstEvents.findIndex((event) => event.participants.length > 0)
    const without = firstEvents.filter((event) => event.participants.length === 0)
    expect(withOthers).toBeGreaterThanOrEqual(0)
    expect(without.length).toBeGreaterThan(1)
    expect(second.events.at(withOthers).participants).toEqual(firstEvents[withOthers]!.participants)
    expect(new Set(without.map((event) => event.participants)).size).toBe(1)
    expect(Object.isFrozen(without[0]!.participants)).toBe(true)
    // Read back from the cache with a table, a summary shares them the same way.
    const read = parseSummary(serializeSummary({format: 1, path: seed.path, recordSize: 1, messages: [], summary: summarizeArticle(seed)}), shared)!.summary
    expect(read).toEqual(first)
    for (const [index, pair] of read.nameForms.entries()) expect(pair).toBe(first.nameForms[index])
    expect(read.events.all()).toStrictEqual(firstEvents)
    expect(read.events.all().find((event) => event.participants.length === 0)!.participants).toBe(without[0]!.participants)
    // The build's table holds the strings summaries repeat (ids, codes, dates), not the text of their evidence: articles seldom repeat each other's sentences.
    expect(shared.strings.has(first.events.code(0))).toBe(true)
    for (const event of read.events.all()) expect(shared.strings.has(event.evidenceText)).toBe(false)
    // Read back into tables of its own: the strings JSON.parse shares already (at most 10 characters: codes, dates, roles) are not held again.
    const own = summaryTables()
    const again = parseSummary(serializeSummary({format: 1, path: seed.path, recordSize: 1, messages: [], summary: summarizeArticle(seed)}), own)!.summary
    expect(again).toEqual(first)
    const strings = again.events.all().flatMap((event) => [event.id, event.code, event.startDate, event.endDate, event.actor1, event.actor2, event.location].filter((value) => value !== undefined))
    expect(strings.some((value) => value.length <= 10) && strings.some((value) => value.length > 10)).toBe(true)
    for (const value of strings) expect(own.strings.has(value), value).toBe(value.length > 10)
    // Mention counts whose two lists differ in length are not a summary's.
    const text = serializeSummary({format: 1, path: seed.path, recordSize: 1, messages: [], summary: summarizeArticle(seed)})
    const cut = text.replace(/"counts":\[\d+,/, '"counts":[')
    expect(cut).not.toBe(text)
    expect(parseSummary(cut)).toBeUndefined()
  })

  it('reads the infos of a cached summary back as their JSON, counted and checked, parsed only when they are put on their file', async () => {
    const knowledge = await sourceKnowledge()
    const seed = (await processArticle(await readSource(seedPath), createArticleProcessor(knowledge), knowledge))!
    const info = (reason: string, line: number): MessageData => ({reason, ruleId: 'entity-suggestion', source: 'newsgraph', fatal: null, place: {line, column: 1}})
    const messages = [info('Unknown person `Ana S\u00e3o` \u2019', 3), info('second', 1)]
    const cached = {format: 1 as const, path: seed.path, recordSize: 7, messages, summary: summarizeArticle(seed)}
    const text = serializeSummary(cached)
    // The messages are the last line, as JSON; the first line tells how many infos they are.
    expect(text.split('\n').at(-1)).toBe(JSON.stringify(messages).replace(/[\u0080-\uffff]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`))
    const read = parseSummary(text)!
    expect(read.messages).toEqual({count: 2, json: text.split('\n').at(-1)})
    expect(read.summary).toEqual(parseSummary(serializeSummary({...cached, messages: []}))!.summary)
    // Put on their file once the build is summed up, they are the messages parsed.
    const file = resultFile({path: seed.path, messages: read.messages})
    expect(file.messages).toEqual([])
    expect(deferredOnly(file)).toBe(read.messages)
    restoreDeferred([file])
    const atOnce = new VFile({path: seed.path})
    restoreMessages(atOnce, messages)
    expect(file.messages.map(String)).toEqual(atOnce.messages.map(String))
    expect(file.messages.map((message) => message.fatal)).toEqual([undefined, undefined])
    // Serialized again, the summary is the same text.
    expect(serializeSummary(read)).toBe(text)
    // With a warning among them, they are parsed at once; without any, they are none.
    const warned = parseSummary(serializeSummary({...cached, messages: [...messages, {...info('a warning', 2), fatal: false}]}))!
    expect(warned.messages).toEqual([...messages, {...info('a warning', 2), fatal: false}])
    expect(parseSummary(serializeSummary({...cached, messages: []}))!.messages).toEqual([])
    // Infos that are not as many as told, cut short, or not all infos are not a summary's: the record is read instead.
    const lines = text.split('\n')
    const head = lines[0]!
    const damaged = [
      [head.replace('"infos":2', '"infos":3'), ...lines.slice(1)],
      [...lines.slice(0, -1), lines.at(-1)!.slice(0, -2)],
      [...lines.slice(0, -1), lines.at(-1)!.replace('"fatal":null', '"fatal":false')],
      [...lines.slice(0, -1), lines.at(-1)!.replace('"fatal":null', '"fatal":true')],
      [head.replace('"infos":2', '"infos":0'), ...lines.slice(1)],
      lines.slice(0, -1)
    ]
    for (const parts of damaged) expect(parseSummary(parts.join('\n')), parts.at(-1)).toBeUndefined()
    // JSON that passed those checks and still is not the infos told is an error when they are put on their file.
    expect(() => restoreDeferred([resultFile({path: 'a.md', messages: {count: 2, json: '[{"fatal":null},{"fatal":null}]'}})])).toThrow(/expected 2 infos/)
  })

  it('are read back from the cache when an article\u2019s outputs are written; a record gone by then is an error, and out/ is left as it was', async () => {
    for (const jobs of [0, 2]) {
      const {source, dir, cache, out} = await setUp(3)
      await build({source, out, cwd: dir, cache})
      const before = await readTree(out)
      // Two articles change, so that with two jobs their outputs are written on workers.
      for (const [folder, number] of [['a', 1], ['b', 2]] as const) {
        const path = join(source, 'articles', folder, `story-${number}.md`)
        await writeFile(path, (await readFile(path, 'utf8')).replace(`Story ${number}`, `Story number ${number}`))
      }
      let removed = false
      const result = await build({source, out, cwd: dir, cache, jobs, onProgress: (progress) => {
        // Once every article is read, before any is written: the cache goes away.
        if (progress.phase === 'processing' && progress.done === progress.total && !removed) {
          removed = true
          rmSync(join(cache, 'articles'), {recursive: true, force: true})
        }
      }})
      expect(removed).toBe(true)
      expect(result.written).toBe(false)
      const problems = result.files.flatMap((file) => file.messages).filter((message) => message.ruleId === 'record-unreadable')
      expect(problems.length, `jobs ${jobs}`).toBeGreaterThan(0)
      expect(problems[0]!.reason).toMatch(/^Cannot read the record of `.*story-\d\.md` back from the cache/)
      expect(problems[0]!.fatal).toBe(true)
      expect(await readTree(out)).toEqual(before)
    }
  })

  it('are read only from a file that still holds that article\u2019s result', async () => {
    const {source, dir, cache, out} = await setUp(2)
    await build({source, out, cwd: dir, cache})
    const [entry] = (await readdir(join(cache, 'articles'), {recursive: true, withFileTypes: true})).filter((item) => item.isFile()).map((item) => join(item.parentPath, item.name))
    const path = (JSON.parse(await readFile(entry!, 'utf8')) as {path: string}).path
    expect((await readRecord({file: entry!}, path)).path).toBe(path)
    await expect(readRecord({file: entry!}, join(source, 'elsewhere.md'))).rejects.toThrow(/no longer holds it/)
    await expect(readRecord({file: join(cache, 'gone.json')}, path)).rejects.toThrow(/Cannot read the record of .* back from the cache \(ENOENT/)
  })

  it('are kept in a spill beside out/ by a build without a cache, not in memory, read back from there, and the spill removed at the end', async () => {
    for (const jobs of [0, 2]) {
      const {source, dir, cache, out} = await setUp(3)
      /** The files beside out/ (its staging directory is a folder) and their sizes, each time an article is taken in. */
      const seen: number[] = []
      const result = await build({source, out, cwd: dir, jobs, onProgress: (progress) => {
        if (progress.phase === 'processing') for (const entry of readdirSync(dir, {withFileTypes: true})) if (entry.isFile() && entry.name.startsWith('.dist-tmp-')) seen.push(statSync(join(dir, entry.name)).size)
      }})
      expect(result).toMatchObject({written: true, processed: 3, errors: 0})
      // Every article's record was in the spill once it was taken in: it grew with each.
      expect(seen.length, `jobs ${jobs}`).toBe(3)
      expect(seen[0]).toBeGreaterThan(1000)
      expect(seen[2]).toBeGreaterThan(seen[1]!)
      expect(seen[1]).toBeGreaterThan(seen[0]!)
      expect((await readdir(dir)).sort()).toEqual(['dist', 'source'])
      const built = await readTree(out)
      await build({source, out: join(dir, 'cached'), cwd: dir, cache, jobs})
      expect(built).toEqual(await readTree(join(dir, 'cached')))
    }
  })

  it('are read back from the spill when an article\u2019s outputs are written; a spill gone by then is an error, and out/ is left as it was', async () => {
    const {source, dir, out} = await setUp(2)
    await build({source, out, cwd: dir})
    const before = await readTree(out)
    let removed = false
    const result = await build({source, out, cwd: dir, onProgress: (progress) => {
      if (progress.phase === 'processing' && progress.done === progress.total && !removed) {
        removed = true
        for (const name of readdirSync(dir)) if (name.startsWith('.dist-tmp-') && statSync(join(dir, name)).isFile()) rmSync(join(dir, name))
      }
    }})
    expect(removed).toBe(true)
    expect(result.written).toBe(false)
    const problems = result.files.flatMap((file) => file.messages).filter((message) => message.ruleId === 'record-unreadable')
    expect(problems.length).toBe(2)
    expect(problems[0]!.reason).toMatch(/^Cannot read the record of `.*story-\d\.md` back from `.*\.dist-tmp-\d+-[0-9a-f]+` \(ENOENT.*\); was it removed during the build\?$/)
    expect(await readTree(out)).toEqual(before)
    expect((await readdir(dir)).sort()).toEqual(['dist', 'source'])
  })
})

describe('summaries in the cache', () => {
  it('give an unchanged article without reading its record, and the dist/ of a build from scratch', async () => {
    const {source, dir, cache, out} = await setUp(4)
    await build({source, out, cwd: dir, cache})
    const files = (await readdir(join(cache, 'articles'), {recursive: true, withFileTypes: true})).filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name))
    const records = files.filter((file) => !file.endsWith('.summary.json'))
    expect(files.filter((file) => file.endsWith('.summary.json')).sort()).toEqual(records.map((file) => file.replace(/\.json$/, '.summary.json')).sort())
    // Every record made unreadable (at its size): an article that did not change is still read, from its summary, and its outputs reused.
    for (const file of records) await writeFile(file, ' '.repeat((await stat(file)).size))
    const path = join(source, 'articles', 'b', 'story-0.md')
    await writeFile(path, (await readFile(path, 'utf8')).replace('Story 0', 'Story zero'))
    const readers = workersStarted.get('summary-reader-worker.js') ?? 0
    const again = await build({source, out, cwd: dir, cache})
    expect(again).toMatchObject({written: true, errors: 0, processed: 1, cached: 3, reused: 3})
    // The summaries of the sources unchanged since were read ahead on a thread of their own.
    expect(workersStarted.get('summary-reader-worker.js')).toBe(readers + 1)
    expect(await readTree(out)).toEqual(await fullBuild(source, join(dir, 'full')))
  })

  it('are read ahead on a thread of their own, in order, with the size of each record beside them, or nothing where one is missing', async () => {
    const dir = await temporaryDirectory()
    // Note: more than the batches the reader may read ahead (8 of 32); small files (in Node's shared pool of bytes) and a large one.
    const requests = Array.from({length: 600}, (_, index) => ({summary: join(dir, `${index}.summary.json`), record: join(dir, `${index}.json`)}))
    const text = (index: number) => (index === 5 ? 'x'.repeat(200_000) : `{"summary": ${index}, "name": "S\u00e3o Paulo\u2019s"}`)
    for (const [index, {summary, record}] of requests.entries()) {
      if (index % 7 !== 3) await writeFile(summary, text(index))
      if (index % 11 !== 4) await writeFile(record, 'r'.repeat(index))
    }
    const reader = openSummaryReader(requests)!
    try {
      for (const index of requests.keys()) {
        expect(await reader.get(index), String(index)).toEqual({text: index % 7 === 3 ? undefined : text(index), recordSize: index % 11 === 4 ? undefined : index})
      }
    } finally {
      await reader.close()
    }
  })

  it('are written in ASCII, as the records and the manifest, and read back with every character; the outputs keep theirs as UTF-8', async () => {
    const files = archive(2)
    const title = 'S\u00e3o Paulo\u2019s mayor \u{1F5DE} met Kenya\u2019s envoy'
    files['articles/b/story-0.md'] = files['articles/b/story-0.md']!.replace('title: Story 0', `title: "${title}"`).replace('Kenya criticized', 'Kenya\u2019s envoy, in S\u00e3o Paulo \u{1F5DE}, criticized')
    const source = await sourceTree(files)
    const dir = dirname(source)
    const cache = join(dir, 'cache')
    const out = join(dir, 'dist')
    await build({source, out, cwd: dir, cache})
    const written = (await readdir(cache, {recursive: true, withFileTypes: true})).filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name))
    expect(written.filter((file) => file.includes(`${join(cache, 'builds')}`))).toHaveLength(1)
    expect(written.filter((file) => file.endsWith('.summary.json'))).toHaveLength(2)
    // Not what is kept of the knowledge (the data packages', the knowledge files as parsed), which is V8's serialization
    // (maps whose keys are objects of other maps).
    expect(written.filter((file) => file.includes(`${join(cache, 'knowledge')}`)).map((file) => file.slice(file.lastIndexOf('.')))).toEqual(['.v8', '.v8'])
    for (const file of written.filter((path) => !path.endsWith('.v8'))) expect((await readFile(file)).every((byte) => byte < 0x80), file).toBe(true)
    const texts = await Promise.all(written.filter((file) => !file.includes(`${join(cache, 'knowledge')}`)).map((file) => readFile(file, 'utf8')))
    // In the record and the summary, the title as JSON escapes it (a surrogate pair as two escapes); read back, the title itself.
    expect(texts.filter((text) => text.includes('S\\u00e3o Paulo\\u2019s mayor \\ud83d\\uddde met'))).toHaveLength(2)
    const record = texts.find((text) => text.startsWith('{') && text.includes('"body"') && text.includes('\\u00e3'))!
    expect((JSON.parse(record) as ArticleResult).article!.meta.title).toBe(title)
    const summary = parseSummary(texts.find((text) => text.includes('"recordSize"') && text.includes('\\u00e3'))!)
    expect(summary!.summary.meta.title).toBe(title)
    expect(summary!.summary.events.all().some((event) => event.evidenceText.includes('Kenya\u2019s envoy, in S\u00e3o Paulo \u{1F5DE},'))).toBe(true)
    expect(await readFile(join(out, 'articles', summary!.summary.slug, 'index.html'), 'utf8')).toContain(`S\u00e3o Paulo\u2019s mayor \u{1F5DE}`)
    // Rebuilt from the cache (the other article changed), the outputs of a build from scratch.
    const other = join(source, 'articles', 'a', 'story-1.md')
    await writeFile(other, (await readFile(other, 'utf8')).replace('Story 1', 'Story one'))
    expect(await build({source, out, cwd: dir, cache})).toMatchObject({written: true, processed: 1, cached: 1, reused: 1})
    expect(await readTree(out)).toEqual(await fullBuild(source, join(dir, 'full')))
  })

  it('are JSON whose characters beyond ASCII are escaped one UTF-16 unit each, wherever they are (`asciiJson`)', () => {
    expect(asciiJson({a: 'plain', b: [1, null, true]})).toBe('{"a":"plain","b":[1,null,true]}')
    // Runs of several, at the start and end of strings, astral (a surrogate pair), line separators, and keys.
    const value = {'\u00e9t\u00e9': '\u2019\u2019quoted\u201d', emoji: '\u{1F5DE}\u{1F5DE}', separators: 'a\u2028b\u2029', last: 'caf\u00e9'}
    const json = asciiJson(value)
    expect(json).toBe('{"\\u00e9t\\u00e9":"\\u2019\\u2019quoted\\u201d","emoji":"\\ud83d\\uddde\\ud83d\\uddde","separators":"a\\u2028b\\u2029","last":"caf\\u00e9"}')
    expect(JSON.parse(json)).toEqual(value)
    // Called again (the expression's state is reset), the same text.
    expect(asciiJson(value)).toBe(json)
  })

  it('are written in chunks that join to `asciiJson`, none as long as a record (`asciiJsonChunks`)', async () => {
    const knowledge = await sourceKnowledge()
    const article = (await processArticle(await readSource(seedPath), createArticleProcessor(knowledge), knowledge))!
    // A record as large as a long article's (about 300 KB), with characters beyond Latin-1 (a string of two bytes per character).
    const events = Array.from({length: 20}, (_, copy) => article.events.map((event) => ({...event, id: `${event.id}-${copy}`}))).flat()
    const mentions = Array.from({length: 20}, () => article.mentions).flat()
    const record = {format: 1, path: 'a/b.md', article: {...article, events, mentions, title: 'S\u00e3o Paulo\u2019s \u{1F5DE}'}, messages: [{reason: '\u201cquoted\u201d', place: undefined}]}
    const whole = asciiJson(record)
    expect(whole.length).toBeGreaterThan(200_000)
    const chunks = asciiJsonChunks(record)
    expect(chunks.join('')).toBe(whole)
    expect(chunks.length).toBeGreaterThan(5)
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(chunkLength)
    // What JSON.stringify leaves out or writes as null, and what it writes as its JSON (toJSON, boxed values, maps, classes), alike.
    class Point {
      constructor(readonly x: number) {}
    }
    const odd = {a: undefined, b: () => 1, c: Symbol('c'), d: [undefined, () => 1, Symbol('d'), null], e: new Date(0), f: new String('s'), g: new Map([[1, 2]]), h: new Point(1), i: Object.assign(Object.create(null), {j: 'k'}), l: {toJSON: () => 'm'}, o: Object.assign([1, 2], {toJSON: () => 'p'}), '\u00e9': [[['deep', {n: [1, 2]}]]]}
    expect(asciiJsonChunks(odd).join('')).toBe(asciiJson(odd))
    for (const value of [null, 1, 'text', [], {}, [[]], [{}]]) expect(asciiJsonChunks(value).join('')).toBe(asciiJson(value))
  })

  it('are not used when damaged, cut short, or beside a record of another size: the record is read, or the article processed', async () => {
    const {source, dir, cache, out} = await setUp(3)
    await build({source, out, cwd: dir, cache})
    const files = (await readdir(join(cache, 'articles'), {recursive: true, withFileTypes: true})).filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name))
    const [damaged, other, cut] = files.filter((file) => file.endsWith('.summary.json'))
    await writeFile(damaged!, '{"format": 1, "path": ')
    // Note: its last entity's line lost; what is left is well-formed.
    const text = await readFile(cut!, 'utf8')
    expect(text.split('\n').length).toBeGreaterThan(2)
    await writeFile(cut!, text.slice(0, text.lastIndexOf('\n')))
    const record = other!.replace(/\.summary\.json$/, '.json')
    await writeFile(record, `${await readFile(record, 'utf8')} `)
    const again = await build({source, out: join(dir, 'again'), cwd: dir, cache})
    expect(again).toMatchObject({written: true, errors: 0, processed: 0, cached: 3})
    expect(await readTree(join(dir, 'again'))).toEqual(await readTree(out))
  })
})

describe('outputs reused from the last build', () => {
  it.each([
    ['with the same files (the links and copies made from there)', true],
    ['with other files (the links fail)', false]
  ])('are not swapped in when another build swapped its outputs into `out` meanwhile, %s: an error, and its outputs stay', async (_, same) => {
    const {source, dir, cache, out} = await setUp(4)
    await build({source, out, cwd: dir, cache})
    const path = join(source, 'articles', 'b', 'story-0.md')
    await writeFile(path, (await readFile(path, 'utf8')).replace('title: Story 0', 'title: Story zero'))
    // Note: as another build's commit does, under the lock: a new directory renamed into the place of `out`.
    const other = join(dir, 'other')
    const manifests = await Promise.all((await readdir(join(cache, 'builds'))).map(async (name) => [name, await readFile(join(cache, 'builds', name), 'utf8')] as const))
    expect(manifests).toHaveLength(1)
    staged.beforeCommit = async () => {
      if (same) await cp(out, other, {recursive: true})
      else await mkdir(other)
      await writeFile(join(other, 'other.txt'), 'the other build')
      await rename(out, join(dir, 'gone'))
      await rename(other, out)
    }
    const failed = await build({source, out, cwd: dir, cache})
    expect(failed).toMatchObject({written: false, errors: 1, reused: 3})
    expect(failed.files.flatMap((file) => file.messages.filter((message) => message.fatal).map((message) => message.ruleId))).toEqual(['out-replaced'])
    // The manifest begun before the commit (its messages) is dropped: the last build's stays, alone.
    expect(await readdir(join(cache, 'builds'))).toEqual(manifests.map(([name]) => name))
    expect(await Promise.all(manifests.map(([name]) => readFile(join(cache, 'builds', name), 'utf8')))).toEqual(manifests.map(([, text]) => text))
    expect((await readTree(out)).get('other.txt')).toBe('the other build')
    if (!same) expect([...(await readTree(out)).keys()]).toEqual(['other.txt'])
    // The next build finds `out` changed by hand (a file added): it reuses nothing, and writes what a build from scratch does.
    const again = await build({source, out, cwd: dir, cache})
    expect(again).toMatchObject({written: true, errors: 0, reused: 0})
    expect(await readTree(out)).toEqual(await fullBuild(source, join(dir, 'full')))
  })

  it('are reused, and the last build removed, where no helper thread can start: links, summaries, checks of `out/` and the removal made on the main thread', async () => {
    const {source, dir, cache, out} = await setUp(4)
    const helpers = ['hard-link-worker.js', 'summary-reader-worker.js', 'stamp-worker.js', 'remove-worker.js']
    await build({source, out, cwd: dir, cache})
    const started = helpers.map((name) => workersStarted.get(name) ?? 0)
    for (const name of helpers) workersRefused.add(name)
    try {
      // Note: the first article changed: every piece of the others moves, copied from the last build's files.
      const path = join(source, 'articles', 'b', 'story-0.md')
      await writeFile(path, (await readFile(path, 'utf8')).replace('title: Story 0', 'title: Story zero'))
      const rebuilt = await build({source, out, cwd: dir, cache})
      expect(rebuilt).toMatchObject({written: true, errors: 0, processed: 1, cached: 3, reused: 3})
      expect(await build({source, out, cwd: dir, cache})).toMatchObject({written: false, upToDate: true})
    } finally {
      workersRefused.clear()
    }
    expect(helpers.map((name) => workersStarted.get(name) ?? 0)).toEqual(started)
    expect(await readTree(out)).toEqual(await fullBuild(source, join(dir, 'full')))
    // The last build's files were removed: nothing is left beside the output directory.
    expect((await readdir(dir)).filter((name) => name.startsWith('.dist'))).toEqual([])
  })

  it('are rendered again for every article a change reaches through the site: a merged node', async () => {
    const {source, dir, cache, out} = await setUp(4)
    await build({source, out, cwd: dir, cache})
    // Note: the author's node is merged across articles: a URL given in one reaches the JSON-LD of every article by her.
    const path = join(source, 'articles', 'a', 'story-1.md')
    await writeFile(path, (await readFile(path, 'utf8')).replace('  name: Ada Reporter', '  name: Ada Reporter\n  url: https://ada.example/'))
    const rebuilt = await build({source, out, cwd: dir, cache})
    expect(rebuilt).toMatchObject({written: true, processed: 1, cached: 3, reused: 0})
    expect(await readTree(out)).toEqual(await fullBuild(source, join(dir, 'full')))
    expect((await readTree(out)).get('articles/story-0.jsonld')).toContain('https://ada.example/')
  })

  it('are rendered again for the article that becomes the first, when the first is removed', async () => {
    const {source, dir, cache, out} = await setUp(4)
    await build({source, out, cwd: dir, cache})
    await rm(join(source, 'articles', 'b', 'story-0.md'))
    const rebuilt = await build({source, out, cwd: dir, cache})
    expect(rebuilt).toMatchObject({written: true, processed: 0, cached: 3, reused: 2})
    expect(await readTree(out)).toEqual(await fullBuild(source, join(dir, 'full')))
  })

  it('are not reused from an output directory changed by hand', async () => {
    const {source, dir, cache, out} = await setUp(3)
    await build({source, out, cwd: dir, cache})
    await writeFile(join(out, 'articles', 'story-2', 'embed.html'), 'changed by hand')
    const path = join(source, 'articles', 'a', 'story-1.md')
    await writeFile(path, (await readFile(path, 'utf8')).replace('title: Story 1', 'title: Story one'))
    const rebuilt = await build({source, out, cwd: dir, cache})
    expect(rebuilt).toMatchObject({written: true, processed: 1, reused: 0})
    expect(await readTree(out)).toEqual(await fullBuild(source, join(dir, 'full')))
  })

  it('take the page and feed of an entity no change reaches from the last build, and draw the others again', async () => {
    const {source, dir, cache, out} = await setUp(4)
    const path = (name: string) => join(source, 'articles', name)
    const edit = async (name: string, from: string, to: string) => writeFile(path(name), (await readFile(path(name), 'utf8')).replace(from, to))
    // Note: only story-2 names France and Germany; every article names Kenya.
    await edit('b/story-2.md', 'Prime Minister', 'France criticized Germany on Tuesday. Prime Minister')
    await build({source, out, cwd: dir, cache})
    const pageOf = async (name: string) => {
      for (const id of await readdir(join(out, 'entities'))) {
        const page = join(out, 'entities', id, 'index.html')
        if ((await readFile(page, 'utf8')).includes(`<h1>${name}</h1>`)) return page
      }
      throw new Error(`No page of ${name}`)
    }
    const [france, kenya] = [await pageOf('France'), await pageOf('Kenya')]
    const inode = async (file: string) => (await stat(file)).ino
    const before = {france: await inode(france), kenya: await inode(kenya), feed: await inode(join(dirname(france), 'feed.xml'))}
    await edit('a/story-1.md', 'title: Story 1', 'title: Story one')
    const rebuilt = await build({source, out, cwd: dir, cache})
    expect(rebuilt).toMatchObject({written: true, processed: 1, reused: 3})
    expect(rebuilt.reusedEntities).toBeGreaterThanOrEqual(2)
    expect(await inode(france)).toBe(before.france)
    expect(await inode(join(dirname(france), 'feed.xml'))).toBe(before.feed)
    expect(await inode(kenya)).not.toBe(before.kenya)
    expect(await readFile(kenya, 'utf8')).toContain('Story one')
    expect(await readTree(out)).toEqual(await fullBuild(source, join(dir, 'full')))
    // A change to the one article naming France reaches its page.
    await edit('b/story-2.md', 'title: Story 2', 'title: Story two')
    const again = await build({source, out, cwd: dir, cache})
    expect(again.reusedEntities).toBeLessThan(rebuilt.reusedEntities)
    expect(await inode(france)).not.toBe(before.france)
    expect(await readFile(france, 'utf8')).toContain('Story two')
    expect(await readTree(out)).toEqual(await fullBuild(source, join(dir, 'full-again')))
  })

  it('take the head of the files that grow with the corpus from the last build, up to the first article changed', async () => {
    const {source, dir, cache, out} = await setUp(5)
    const first = await build({source, out, cwd: dir, cache})
    expect(first.copiedBytes).toBe(0)
    const grown = ['graph.jsonld', 'data/articles.csv', 'data/mentions.csv', 'data/events.csv', 'data/event_participants.csv', 'data/event_evidence.csv']
    const before = await readTree(out)
    // Note: story-4 is the last in slug order, story-2 the middle one; their rows follow those of the articles before them.
    const retitle = async (name: string, title: string) => {
      const path = join(source, 'articles', name)
      await writeFile(path, (await readFile(path, 'utf8')).replace(/^title: .*$/m, `title: ${title}`))
    }
    await retitle('b/story-4.md', 'Story four')
    const last = await build({source, out, cwd: dir, cache})
    expect(last).toMatchObject({written: true, processed: 1, reused: 4})
    const after = await readTree(out)
    expect(after).toEqual(await fullBuild(source, join(dir, 'full-last')))
    // What was copied: each grown file up to where it differs from the last build, but its last article's rows and its tail.
    const common = (a: string, b: string) => {
      let index = 0
      while (index < a.length && a[index] === b[index]) index++
      return Buffer.byteLength(a.slice(0, index))
    }
    const copied = grown.map((path) => common(before.get(path)!, after.get(path)!))
    // Note: the rows of the last article may begin (or be) as they were; four articles of five are copied with the heads.
    const same = copied.reduce((sum, bytes) => sum + bytes, 0)
    expect(last.copiedBytes).toBeLessThanOrEqual(same)
    expect(last.copiedBytes).toBeGreaterThan(0.6 * same)
    // Two changed (rendered on the emit workers): the head of each file and the rows of three articles of five are copied.
    await retitle('a/story-3.md', 'Story three')
    await retitle('b/story-4.md', 'Story four, revised')
    const two = await build({source, out, cwd: dir, cache, jobs: 2})
    expect(two).toMatchObject({written: true, processed: 2, reused: 3})
    expect(two.copiedBytes).toBeGreaterThan(0)
    expect(two.copiedBytes).toBeLessThan(last.copiedBytes)
    expect(await readTree(out)).toEqual(await fullBuild(source, join(dir, 'full-two')))
    // The second changed: less than half of each file is the same, which is not copied (where the file system cannot clone, it is copied whole, then cut).
    await retitle('a/story-1.md', 'Story one')
    const second = await build({source, out, cwd: dir, cache})
    expect(second).toMatchObject({written: true, processed: 1, reused: 4, copiedBytes: 0})
    expect(await readTree(out)).toEqual(await fullBuild(source, join(dir, 'full-second')))
    // The first article changed: nothing before it to copy.
    await retitle('b/story-0.md', 'Story zero')
    const changedFirst = await build({source, out, cwd: dir, cache})
    expect(changedFirst).toMatchObject({written: true, processed: 1, reused: 4, copiedBytes: 0})
    expect(await readTree(out)).toEqual(await fullBuild(source, join(dir, 'full-first')))
  })

  it('are counted in the summary of the CLI', async () => {
    const {source, dir, cache, out} = await setUp(3)
    const args = ['build', '--cache', cache, '--source', source, '--out', out]
    expect((await newsgraph(args, dir)).code).toBe(0)
    const path = join(source, 'articles', 'a', 'story-1.md')
    await writeFile(path, (await readFile(path, 'utf8')).replace('title: Story 1', 'title: Story one'))
    const {code, stderr} = await newsgraph(args, dir)
    expect(code).toBe(0)
    expect(stderr).toMatch(/^newsgraph: built 3 articles, 0 errors, 0 warnings, 3 suggestions, 2 from the cache, outputs of 2 reused in \d+ ms → .*dist\/$/m)
    // The last changed: the head of the site's data is copied from the last build, and said so.
    const last = join(source, 'articles', 'b', 'story-2.md')
    await writeFile(last, (await readFile(last, 'utf8')).replace('title: Story 2', 'title: Story two'))
    const copied = await newsgraph(args, dir)
    expect(copied.code).toBe(0)
    expect(copied.stderr).toMatch(/^newsgraph: built 3 articles, 0 errors, 0 warnings, 3 suggestions, 2 from the cache, outputs of 2 reused \(\d+\.\d+ kB of the site's data copied\) in \d+ ms → .*dist\/$/m)
    expect([0, 930, 12_345, 4_100_000, 1_420_000_000].map(formatBytes)).toEqual(['0 B', '930 B', '12.3 kB', '4.10 MB', '1.42 GB'])
  })

  it('are placed while the site files are drawn (the placing partly waits for the file system), with the dist/ of a full build', async () => {
    const {source, dir, cache, out} = await setUp(20)
    await build({source, out, cwd: dir, cache})
    const path = join(source, 'articles', 'b', 'story-0.md')
    await writeFile(path, (await readFile(path, 'utf8')).replace('title: Story 0', 'title: Story zero'))
    const log: string[] = []
    staged.log = log
    const rebuilt = await build({source, out, cwd: dir, cache}).finally(() => (staged.log = undefined))
    expect(rebuilt).toMatchObject({written: true, processed: 1, reused: 19})
    // Note: the reused articles' files are linked a few articles ahead of the one placed; the site files start with them.
    const firstSiteFile = log.findIndex((call) => /^write (?:index\.html|feed\.xml|events\.xml|entities\/)/.test(call))
    const lastReused = log.findLastIndex((call) => call.startsWith('reuse articles/'))
    expect(firstSiteFile).toBeGreaterThan(-1)
    expect(firstSiteFile).toBeLessThan(lastReused)
    expect(await readTree(out)).toEqual(await fullBuild(source, join(dir, 'full')))
  })

  it('leave out/ as it was, and nothing beside it, when placing one fails while the site files are drawn', async () => {
    const {source, dir, cache, out} = await setUp(20)
    await build({source, out, cwd: dir, cache})
    const before = await readTree(out)
    const path = join(source, 'articles', 'b', 'story-0.md')
    await writeFile(path, (await readFile(path, 'utf8')).replace('title: Story 0', 'title: Story zero'))
    // Note: the first article reused, so that the site files are still being drawn when it fails.
    const failOn = [...before.keys()].filter((file) => file.startsWith('articles/story-1/')).sort()[0]!
    const log: string[] = []
    Object.assign(staged, {log, failOn})
    const failed = await build({source, out, cwd: dir, cache}).finally(() => Object.assign(staged, {log: undefined, failOn: undefined}))
    expect(failed.written).toBe(false)
    expect(log.findLastIndex((call) => call.startsWith('write entities/'))).toBeGreaterThan(log.indexOf(`reuse ${failOn}`))
    const messages = failed.files.flatMap((file) => file.messages).filter((message) => message.ruleId === 'out-unwritable')
    expect(messages.map((message) => [message.fatal, message.reason.includes('EIO')])).toEqual([[true, true]])
    // Note: the site files were settled before the staging directory was discarded: none was written into it afterwards.
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(await readTree(out)).toEqual(before)
    expect((await readdir(dirname(out))).filter((name) => name.startsWith('.'))).toEqual([])
  })

  it('are drawn after the articles rendered on workers, not beside them, with the dist/ of a build on the main thread', async () => {
    const {source, dir, out} = await setUp(7)
    const log: string[] = []
    staged.log = log
    const built = await build({source, out, cwd: dir, jobs: 2}).finally(() => (staged.log = undefined))
    expect(built).toMatchObject({written: true, processed: 7})
    // Note: each article appends its rows to the site's data; the site files come once the last has.
    const firstSiteFile = log.findIndex((call) => /^write (?:index\.html|feed\.xml|events\.xml|entities\/)/.test(call))
    const lastAppend = log.findLastIndex((call) => call === 'write data/articles.csv')
    expect(log.filter((call) => call === 'write data/articles.csv')).toHaveLength(1 + 7)
    expect(firstSiteFile).toBeGreaterThan(lastAppend)
    expect(await readTree(out)).toEqual(await fullBuild(source, join(dir, 'full')))
  })

  it('go in between the articles rendered on workers, in slug order', async () => {
    const {source, dir, cache, out} = await setUp(7)
    await build({source, out, cwd: dir, cache, jobs: 2})
    for (const name of ['a/story-1.md', 'b/story-4.md', 'a/story-5.md']) {
      const path = join(source, 'articles', name)
      await writeFile(path, (await readFile(path, 'utf8')).replace(/title: Story (\d)/, 'title: Story $1, revised'))
    }
    const rebuilt = await build({source, out, cwd: dir, cache, jobs: 2})
    expect(rebuilt).toMatchObject({written: true, processed: 3, cached: 4, reused: 4})
    expect(await readTree(out)).toEqual(await fullBuild(source, join(dir, 'full')))
  })
})

describe('the no-op fast path', () => {
  it('is recorded in a manifest written a file of messages at a time: four lines of JSON, the infos, the files with messages, where the outputs are, the rest', () => {
    const info = (reason: string) => ({reason, ruleId: 'entity-suggestion', source: 'newsgraph', fatal: null, place: {line: 1, column: 2}})
    const files = [
      {path: 'a.md', messages: [info('One \u2019')]},
      {path: 'b.md', messages: []},
      {path: 'c.md', messages: [info('Two'), {reason: 'Three', ruleId: 'quotation-unattributed', source: 'newsgraph', fatal: false, place: {line: 3, column: 1}}]},
      {path: 'd.md', messages: [info('Four'), info('Five')]}
    ] as Manifest['files']
    const manifest = {key: 'k', articles: [], outputs: [['index.html', 3, 4]], articleOutputs: {}, entityOutputs: {x: 'y'}, summary: {articles: 2, warnings: 1, infos: 4}} as Omit<Manifest, 'format' | 'files'>
    const pieces = [...manifestJson({...manifest, files: files.values()})]
    // Note: as JSON.stringify writes it, but for the characters beyond ASCII, escaped.
    const {outputs, articleOutputs, entityOutputs, ...others} = manifest
    // 1. The files whose messages are all infos, with them; 2. every file with messages, those of the first line as their number.
    const infos = JSON.stringify([files[0], files[3]]).replace('\u2019', '\\u2019')
    const listed = JSON.stringify([{path: 'a.md', infos: 1}, files[1], files[2], {path: 'd.md', infos: 2}])
    // 3. Where the outputs are; 4. the rest, with where the second and third lines start, its outputs last.
    const reuse = JSON.stringify({articleOutputs, entityOutputs})
    const lines = {files: infos.length + 1, reuse: infos.length + listed.length + 2}
    const text = pieces.join('')
    expect(text).toBe([infos, listed, reuse, JSON.stringify({format: 5, ...others, lines, outputs})].join('\n'))
    expect(text.slice(lines.files).startsWith(`${listed}\n`)).toBe(true)
    expect(text.slice(lines.reuse).startsWith(`${reuse}\n`)).toBe(true)
    // A piece for each file, each of them listed, and each file of infos alone once more.
    expect(pieces).toHaveLength(7 + files.length + 2)
    const empty = [...manifestJson({...manifest, files: []})].join('')
    expect(empty).toBe(`[]\n[]\n${reuse}\n${JSON.stringify({format: 5, ...others, lines: {files: 3, reuse: 6}, outputs})}`)
  })

  it('copies the infos of a file kept as their JSON into the manifest, as it writes those parsed', () => {
    const info = (reason: string) => ({reason, ruleId: 'entity-suggestion', source: 'newsgraph', fatal: null, place: {line: 1, column: 2}})
    const parsed = [
      {path: 'a.md', messages: [info('One \u2019'), info('Two')]},
      {path: 'b \u00e9.md', messages: [info('Three')]}
    ] as Manifest['files']
    const asJson = parsed.map(({path, messages}) => ({path, messages: {count: messages.length, json: JSON.stringify(messages).replace('\u2019', '\\u2019')}}))
    const manifest = {key: 'k', articles: [], outputs: [], articleOutputs: {}, entityOutputs: {}, summary: {articles: 2, warnings: 0, infos: 3}} as Omit<Manifest, 'format' | 'files'>
    expect([...manifestJson({...manifest, files: asJson})].join('')).toBe([...manifestJson({...manifest, files: parsed})].join(''))
  })

  it('has its manifest written beside it before the swap, but for the stamps of the outputs, which end it once they are swapped in, when it is put in place; or it is dropped', async () => {
    const dir = await temporaryDirectory()
    const cache = join(dir, 'cache')
    const out = join(dir, 'dist')
    const builds = join(cache, 'builds')
    const files = [{path: 'a.md', messages: [{reason: 'One', ruleId: 'entity-suggestion', source: 'newsgraph', fatal: null, place: {line: 1, column: 2}}]}] as Manifest['files']
    const manifest = {key: 'k', articles: [], outputs: [['index.html', 3, 4]], articleOutputs: {}, entityOutputs: {}, summary: {articles: 1, warnings: 0, infos: 1}} as Omit<Manifest, 'format' | 'files'>
    const head = [...manifestJson({...manifest, files})].slice(0, -1).join('')
    const {outputs, ...others} = manifest
    const draft = draftManifest(cache, out, {...others, files: files.values()})
    // All but the stamps of the outputs is written before they are known, beside the manifest's place, where no build reads it.
    await vi.waitFor(async () => {
      const names = await readdir(builds)
      expect(names).toHaveLength(1)
      expect(names[0]).toMatch(/^\..*-tmp-/)
      expect(await readFile(join(builds, names[0]!), 'utf8')).toBe(head)
    })
    expect(await readManifest(cache, out)).toBeUndefined()
    const kept = await draft.finish(outputs)
    expect(await readManifest(cache, out)).toEqual({format: 5, ...manifest, files})
    const {articleOutputs, entityOutputs, ...check} = manifest
    const lines = {files: head.indexOf('\n') + 1, reuse: head.indexOf('\n', head.indexOf('\n') + 1) + 1, rest: head.lastIndexOf('\n') + 1}
    expect(kept).toEqual({cache, out, identity: expect.any(String), lines, manifest: {format: 5, ...check}, reuse: {articleOutputs, entityOutputs}})
    const saved = await readdir(builds)
    expect(saved).toHaveLength(1)
    expect(saved[0]).toMatch(/^[0-9a-f]{64}\.json$/)
    // Dropped (nothing was swapped in): what it wrote is removed, the manifest before stays.
    const dropped = draftManifest(cache, out, {...others, files: files.values()})
    await vi.waitFor(async () => expect(await readdir(builds)).toHaveLength(2))
    await dropped.drop()
    expect(await readdir(builds)).toEqual(saved)
    expect(await readManifest(cache, out)).toEqual({format: 5, ...manifest, files})
    await expect(dropped.finish(outputs)).rejects.toThrow(/finished twice, or after it was dropped/)
    // Read from its end, a chunk at a time (4 MB), up to the line break before its last line: outputs of more than one chunk.
    const many = Array.from({length: 200_000}, (_, index) => [`articles/${index}/index.html`, index, index + 0.5]) as Manifest['outputs']
    expect((await draftManifest(cache, out, {...others, files: files.values()}).finish(many))?.lines).toEqual(lines)
    expect(await readManifest(cache, out)).toEqual({format: 5, ...manifest, outputs: many, files})
  })

  it('has the messages of the last manifest read, when a no-op asks for them, from the file the rest was read from, whatever is saved meanwhile', async () => {
    const dir = await temporaryDirectory()
    const cache = join(dir, 'cache')
    const out = join(dir, 'dist')
    const manifest = {key: 'k', articles: [], outputs: [], articleOutputs: {}, entityOutputs: {}, summary: {articles: 1, warnings: 0, infos: 1}} as Omit<Manifest, 'format' | 'files'>
    const messages = (reason: string) => [{path: 'a.md', messages: [{reason, ruleId: 'entity-suggestion', source: 'newsgraph', fatal: null, place: {line: 1, column: 2}}]}] as Manifest['files']
    const save = (reason: string, key: string) => draftManifest(cache, out, {...manifest, key, files: messages(reason).values()}).finish([])
    const first = await save('First', 'one')
    // Another build saves its manifest once the rest of this one is read, before its messages are.
    const read = await lastManifest(cache, out, undefined, (rest) => {
      expect(rest.key).toBe('one')
      const [name] = readdirSync(join(cache, 'builds'))
      const other = join(cache, 'builds', `${name}.other`)
      writeFileSync(other, [...manifestJson({...manifest, key: 'two', files: messages('Second')})].join(''))
      renameSync(other, join(cache, 'builds', name!))
      return true
    })
    expect(read?.kept.manifest.key).toBe('one')
    expect(read?.files).toEqual(messages('First'))
    // Not asked for, they are not read; kept (a memory), they are read only from its file while it is still that one.
    expect((await lastManifest(cache, out, undefined, () => false))?.files).toBeUndefined()
    const kept = await lastManifest(cache, out, first, () => true)
    expect(kept?.kept.manifest.key).toBe('two')
    expect(kept?.files).toEqual(messages('Second'))
    const second = kept!.kept
    expect(await lastManifest(cache, out, second, () => true)).toEqual({kept: second, files: messages('Second')})
    await save('Third', 'three')
    expect((await lastManifest(cache, out, second, () => true))?.files).toEqual(messages('Third'))
    // The caller's failure is its own, not a manifest found corrupt.
    await expect(lastManifest(cache, out, undefined, () => {
      throw new Error('Unexpected failure of the caller')
    })).rejects.toThrow('Unexpected failure of the caller')
  })

  it('gives a file of infos alone as their number when infos are not asked for (`quiet`), without reading their line; a no-op does not read where the outputs are', async () => {
    const dir = await temporaryDirectory()
    const cache = join(dir, 'cache')
    const out = join(dir, 'dist')
    const info = {reason: 'Unknown person', ruleId: 'entity-suggestion', source: 'newsgraph', fatal: null, place: {line: 1, column: 2}}
    const warning = {reason: 'A quotation of no source', ruleId: 'quotation-unattributed', source: 'newsgraph', fatal: false, place: {line: 3, column: 1}}
    const files = [{path: 'a.md', messages: [info, info]}, {path: 'b.md', messages: [warning, info]}] as Manifest['files']
    const reuse = {articleOutputs: {}, entityOutputs: {x: 'y'}}
    await draftManifest(cache, out, {key: 'k', articles: [], ...reuse, summary: {articles: 2, warnings: 1, infos: 3}, files: files.values()}).finish([])
    const quiet = await lastManifest(cache, out, undefined, () => true, false)
    expect(quiet?.files).toEqual([{path: 'a.md', infos: 2}, files[1]])
    expect(quiet?.kept.reuse).toBeUndefined()
    expect((await lastManifest(cache, out, undefined, () => true))?.files).toEqual(files)
    // Not a no-op: where the outputs are, not the files.
    const goesOn = await lastManifest(cache, out, undefined, () => false)
    expect(goesOn?.kept.reuse).toEqual(reuse)
    expect(goesOn?.files).toBeUndefined()
    // The first line spoiled where it is: not read without infos; asked for, the files are damaged, and where the outputs are is read instead.
    const [name] = await readdir(join(cache, 'builds'))
    const file = join(cache, 'builds', name!)
    await writeFile(file, `!${(await readFile(file, 'latin1')).slice(1)}`, 'latin1')
    expect((await lastManifest(cache, out, undefined, () => true, false))?.files).toEqual([{path: 'a.md', infos: 2}, files[1]])
    const damaged = await lastManifest(cache, out, undefined, () => true)
    expect(damaged?.kept.reuse).toEqual(reuse)
    expect(damaged?.files).toBeUndefined()
    expect(await readManifest(cache, out)).toBeUndefined()
  })

  it('stamps every file of an output directory, below folders too, by its path from there, in code-point order; links are not followed', async () => {
    const dir = await temporaryDirectory()
    const out = join(dir, 'dist')
    await mkdir(join(out, 'b', 'c'), {recursive: true})
    await mkdir(join(out, 'a'), {recursive: true})
    await writeFile(join(out, 'b', 'c', 'page.html'), 'deep')
    await writeFile(join(out, 'b.json'), 'b')
    await writeFile(join(out, 'a', 'Z.txt'), 'capital')
    await writeFile(join(out, 'index.html'), 'index')
    await symlink(join(out, 'b'), join(out, 'folder-link'))
    await symlink(join(out, 'index.html'), join(out, 'a', 'file-link'))
    await utimes(join(out, 'b.json'), 1_000, 1_000)
    const stamps = stampOutputs(out)
    expect(stamps.map(([path, size]) => [path, size])).toEqual([
      [join('a', 'Z.txt'), 7],
      ['b.json', 1],
      [join('b', 'c', 'page.html'), 4],
      ['index.html', 5]
    ])
    expect(stamps[1]![2]).toBe(1_000_000)
    expect(() => stampOutputs(join(dir, 'missing'))).toThrow()
  })

  it('has what a build killed while writing the manifest left beside it removed by the next, but what a running build writes', async () => {
    const {source, dir, cache, out} = await setUp(2)
    await build({source, out, cwd: dir, cache})
    const builds = join(cache, 'builds')
    const [name] = await readdir(builds)
    // A process of this pid cannot be (above Linux's largest); this process runs.
    const dead = `.${name}-tmp-999999999-0a1b2c3d`
    const running = `.${name}-tmp-${process.pid}-0a1b2c3d`
    const other = `.other.json-tmp-999999999-0a1b2c3d`
    for (const leftover of [dead, running, other]) await writeFile(join(builds, leftover), '[')
    const path = join(source, 'articles', 'b', 'story-0.md')
    await writeFile(path, (await readFile(path, 'utf8')).replace('title: Story 0', 'title: Story zero'))
    expect(await build({source, out, cwd: dir, cache})).toMatchObject({written: true})
    expect((await readdir(builds)).sort()).toEqual([other, running, name!].sort())
  })

  it('reads the messages of the last manifest only for a no-op: damaged, they do not keep a build that goes on from reusing its outputs', async () => {
    const {source, dir, cache, out} = await setUp(3)
    await build({source, out, cwd: dir, cache})
    const [name] = await readdir(join(cache, 'builds'))
    const file = join(cache, 'builds', name!)
    /** Spoil the first two lines of the manifest (the files and their messages), where they are; the rest as it was. */
    const damage = async () => {
      const lines = (await readFile(file, 'latin1')).split('\n')
      await writeFile(file, [...lines.slice(0, 2).map((line) => `!${line.slice(1)}`), ...lines.slice(2)].join('\n'), 'latin1')
    }
    await damage()
    const path = join(source, 'articles', 'b', 'story-0.md')
    await writeFile(path, (await readFile(path, 'utf8')).replace('title: Story 0', 'title: Story zero'))
    expect(await build({source, out, cwd: dir, cache})).toMatchObject({written: true, processed: 1, reused: 2})
    expect(await readTree(out)).toEqual(await fullBuild(source, join(dir, 'full')))
    // Nothing changed since, but the messages to report are damaged: not a no-op, and the outputs are the same.
    await damage()
    const again = await build({source, out, cwd: dir, cache})
    expect(again).toMatchObject({written: true, upToDate: false, processed: 0, reused: 3})
    expect(await readTree(out)).toEqual(await fullBuild(source, join(dir, 'full')))
    expect(await build({source, out, cwd: dir, cache})).toMatchObject({written: false, upToDate: true})
  })

  it('writes nothing when nothing changed, and says so', async () => {
    const {source, dir, cache, out} = await setUp(3)
    const first = stampChecks.started
    await build({source, out, cwd: dir, cache})
    // Note: without a manifest, out/ is not stamped.
    expect(stampChecks.started).toBe(first)
    const before = await stat(join(out, 'graph.jsonld'))
    const checks = stampChecks.started
    const noop = await build({source, out, cwd: dir, cache})
    // Note: out/ stamped on a worker thread while this one reads the manifest and checks the sources.
    expect(stampChecks.started).toBe(checks + 1)
    expect(noop).toMatchObject({written: false, upToDate: true, processed: 0, cached: 0, articles: 3, errors: 0})
    expect((await stat(join(out, 'graph.jsonld'))).mtimeMs).toBe(before.mtimeMs)
    // Note: the CLI runs the compiled pipeline, another version than the tests run: its first build is not a no-op.
    const args = ['build', '--source', source, '--out', out, '--cache', cache]
    expect((await newsgraph(args, dir)).stderr).toMatch(/^newsgraph: built 3 articles/m)
    const {code, stderr} = await newsgraph(args, dir)
    expect(code).toBe(0)
    expect(stderr).toMatch(/^newsgraph: up to date: 3 articles, 0 errors, 0 warnings, 3 suggestions in \d+ ms; nothing changed since the last build, .*dist\/ left as it is$/m)
    expect(stderr).toContain('info: Unknown person `Ana Duarte`')
  })

  it('counts, with `quiet`, the infos it will not show instead of making them messages again, and reports the same lines', async () => {
    const files = archive(3)
    // Note: an article with a warning besides its infos: its file is made again all the same.
    files['articles/b/story-0.md'] = `${files['articles/b/story-0.md']!}\n> A quotation of no source.\n`
    const source = await sourceTree(files)
    const dir = dirname(source)
    const [out, cache] = [join(dir, 'dist'), join(dir, 'cache')]
    const first = await build({source, out, cwd: dir, cache})
    expect(first).toMatchObject({written: true, errors: 0})
    expect(first.warnings).toBeGreaterThan(0)
    expect(first.infos).toBeGreaterThan(0)
    const loud = await build({source, out, cwd: dir, cache})
    const quiet = await build({source, out, cwd: dir, cache, quiet: true})
    for (const result of [loud, quiet]) expect(result).toMatchObject({upToDate: true, errors: 0, warnings: first.warnings, infos: first.infos})
    expect(quiet.files.length).toBeLessThan(loud.files.length)
    const report = async (result: {files: VFile[]}) => {
      let text = ''
      await writeReport(result.files, (lines) => void (text += lines), {quiet: true, cwd: dir})
      return text
    }
    expect(await report(quiet)).toContain('warning')
    expect(await report(quiet)).toBe(await report(loud))
  })

  it('has a build with `quiet` count the infos read as data (cache, workers) instead of making them messages, and record them all for the next', async () => {
    const files = archive(4)
    files['articles/b/story-0.md'] = `${files['articles/b/story-0.md']!}\n> A quotation of no source.\n`
    const source = await sourceTree(files)
    const dir = dirname(source)
    const path = join(source, 'articles', 'a', 'story-1.md')
    const change = async (title: string) => writeFile(path, (await readFile(path, 'utf8')).replace(/^title: .*$/m, `title: ${title}`))
    const report = async (result: {files: VFile[]}, quiet: boolean) => {
      let text = ''
      await writeReport(result.files, (lines) => void (text += lines), {quiet, cwd: dir})
      return text
    }
    const results = []
    for (const quiet of [false, true]) {
      const [out, cache] = [join(dir, `dist-${quiet}`), join(dir, `cache-${quiet}`)]
      await change('Story 1')
      await build({source, out, cwd: dir, cache, jobs: 2})
      await change('Story one')
      const rebuilt = await build({source, out, cwd: dir, cache, jobs: 2, quiet})
      expect(rebuilt).toMatchObject({written: true, errors: 0, processed: 1, cached: 3})
      // The next build, a no-op, reports every message of the last one, as recorded in its manifest.
      const noop = await build({source, out, cwd: dir, cache})
      expect(noop.upToDate).toBe(true)
      results.push({rebuilt, noop})
    }
    const [loud, quiet] = results as [(typeof results)[number], (typeof results)[number]]
    expect(quiet.rebuilt.infos).toBeGreaterThan(0)
    for (const count of ['errors', 'warnings', 'infos', 'articles'] as const) expect(quiet.rebuilt[count]).toBe(loud.rebuilt[count])
    // Only the files with a warning or an error, and the build's own file, are there; the infos of the others are counted.
    expect(quiet.rebuilt.files.filter((file) => file.messages.length > 0).every((file) => file.messages.some((message) => message.fatal !== undefined))).toBe(true)
    expect(quiet.rebuilt.files.length).toBeLessThan(loud.rebuilt.files.length)
    expect(await report(quiet.rebuilt, true)).toContain('warning')
    expect(await report(quiet.rebuilt, true)).toBe(await report(loud.rebuilt, true))
    expect(quiet.noop.infos).toBe(loud.rebuilt.infos)
    expect(await report(quiet.noop, false)).toBe(await report(loud.noop, false))
    expect(await report(quiet.noop, false)).toBe(await report(loud.rebuilt, false))
  })

  it('checks on a worker thread that the last build\u2019s outputs are intact, while the sources are read and the site linked', async () => {
    const {source, dir, cache, out} = await setUp(3)
    await build({source, out, cwd: dir, cache})
    const path = join(source, 'articles', 'b', 'story-0.md')
    await writeFile(path, (await readFile(path, 'utf8')).replace('Story 0', 'Story zero'))
    sourcesRead.length = 0
    const started = stampChecks.started
    const links = linked.count
    let release!: () => void
    stampChecks.hold = new Promise<void>((resolve) => (release = resolve))
    try {
      const building = build({source, out, cwd: dir, cache})
      // The changed source is read, and the site linked, while the answer of the check is held back.
      await vi.waitFor(() => expect(sourcesRead).toEqual([path]))
      expect(stampChecks.started).toBe(started + 1)
      await vi.waitFor(() => expect(linked.count).toBe(links + 1))
      release()
      expect(await building).toMatchObject({written: true, processed: 1, cached: 2, reused: 2})
    } finally {
      release()
      stampChecks.hold = undefined
    }
  })

  it('builds again when an output was changed, removed or added by hand', async () => {
    const {source, dir, cache, out} = await setUp(2)
    await build({source, out, cwd: dir, cache})
    const good = await readTree(out)
    for (const damage of [
      () => writeFile(join(out, 'feed.xml'), 'edited'),
      () => writeFile(join(out, 'extra.txt'), 'stray'),
      async () => (await import('node:fs/promises')).rm(join(out, 'data', 'events.csv'))
    ]) {
      await damage()
      const result = await build({source, out, cwd: dir, cache})
      expect(result).toMatchObject({written: true, upToDate: false, processed: 0, cached: 2})
      expect(await readTree(out)).toEqual(good)
    }
  })

  it('is not taken with other options: --strict, or another output directory', async () => {
    const {source, dir, cache, out} = await setUp(2)
    await build({source, out, cwd: dir, cache})
    expect((await build({source, out, cwd: dir, cache, strict: true})).upToDate).toBe(false)
    expect((await build({source, out: join(dir, 'other'), cwd: dir, cache})).upToDate).toBe(false)
  })

  it('builds again when a source file is touched with other bytes of the same size', async () => {
    const {source, dir, cache, out} = await setUp(2)
    await build({source, out, cwd: dir, cache})
    const path = join(source, 'articles', 'b', 'story-0.md')
    await writeFile(path, (await readFile(path, 'utf8')).replace('Story 0', 'Story X'))
    const result = await build({source, out, cwd: dir, cache})
    expect(result).toMatchObject({written: true, upToDate: false, processed: 1, cached: 1})
    expect(await readFile(join(out, 'feed.xml'), 'utf8')).toContain('Story X')
  })
})

describe('workers', () => {
  it('give with --jobs 1 and --jobs 2 the dist/ of --jobs 0 (the main thread), byte for byte', async () => {
    const {source, dir} = await setUp(7)
    const none = await newsgraph(['build', '--no-cache', '--jobs', '0', '--source', source, '--out', join(dir, 'none')], dir)
    expect(none.code, none.stderr).toBe(0)
    for (const jobs of ['1', '2']) {
      const run = await newsgraph(['build', '--no-cache', '--jobs', jobs, '--source', source, '--out', join(dir, jobs)], dir)
      expect(run.code, run.stderr).toBe(0)
      expect(run.stderr.replace(/\d+ ms/, '')).toBe(none.stderr.replace(/\d+ ms/, '').replace('/none/', `/${jobs}/`))
      expect(await readTree(join(dir, jobs))).toEqual(await readTree(join(dir, 'none')))
    }
  })

  it('cache with --jobs 2 the records and summaries of --jobs 0, byte for byte (summaries made on the workers)', async () => {
    const {source, dir} = await setUp(5)
    const one = await build({source, out: join(dir, 'one'), cwd: dir, cache: join(dir, 'cache-one'), jobs: 0})
    const two = await build({source, out: join(dir, 'two'), cwd: dir, cache: join(dir, 'cache-two'), jobs: 2})
    expect(one).toMatchObject({written: true, processed: 5})
    expect(two).toMatchObject({written: true, processed: 5})
    const entries = await readTree(join(dir, 'cache-two', 'articles'))
    expect([...entries.keys()].filter((path) => path.endsWith('.summary.json'))).toHaveLength(5)
    expect(entries).toEqual(await readTree(join(dir, 'cache-one', 'articles')))
    expect(await readTree(join(dir, 'two'))).toEqual(await readTree(join(dir, 'one')))
  })

  it('report an article that fails on a worker like the main thread does', async () => {
    const source = await sourceTree({'site.yaml': 'title: T\nbaseUrl: https://example.org/\n', 'articles/good.md': article(), 'articles/bad.md': article({omit: ['url']})})
    const dir = dirname(source)
    const {code, stderr} = await newsgraph(['build', '--no-cache', '--jobs', '2', '--source', source, '--out', join(dir, 'dist')], dir)
    expect(code).toBe(1)
    expect(stderr).toContain('bad.md:2:1: error: Missing required field `url`')
    await expect(stat(join(dir, 'dist'))).rejects.toThrow(/ENOENT/)
  })
})

describe('shards and merge', () => {
  it('split the articles stably, every article in one shard', () => {
    const paths = Array.from({length: 200}, (_, index) => `articles/${index}.md`)
    const counts = [0, 0, 0, 0]
    for (const path of paths) counts[shardOf(path, 4) - 1]!++
    expect(counts.reduce((a, b) => a + b)).toBe(200)
    for (const count of counts) expect(count).toBeGreaterThan(20)
    expect(paths.map((path) => shardOf(path, 4))).toEqual(paths.map((path) => shardOf(path, 4)))
    expect(shardOf('articles\\a.md', 3)).toBe(shardOf('articles/a.md', 3))
  })

  it('read I/N only with 1 ≤ I ≤ N', () => {
    expect(parseShard('2/4')).toEqual({index: 2, count: 4})
    for (const bad of ['5/4', '0/4', '1/0', '2', 'a/b', '-1/4', '1/4/2']) expect(parseShard(bad), bad).toBeUndefined()
  })

  it('merged give the dist/ of an unsharded build, byte for byte', async () => {
    const {source, dir} = await setUp(8)
    const parts = [1, 2, 3].map((index) => join(dir, 'parts', String(index)))
    let articles = 0
    for (const [index, part] of parts.entries()) {
      const result = await build({source, out: part, cwd: dir, shard: {index: index + 1, count: 3}})
      expect(result.written).toBe(true)
      articles += result.articles
    }
    expect(articles).toBe(8)
    const merged = await merge({parts, source, out: join(dir, 'merged'), cwd: dir})
    expect(merged).toMatchObject({written: true, articles: 8, errors: 0})
    expect(await readTree(join(dir, 'merged'))).toEqual(await fullBuild(source, join(dir, 'full')))
  })

  it('merged give the dist/ of an unsharded build wherever each shard kept its records (the cache, read again from it, the spill; on workers or not), nothing left beside the parts', async () => {
    const {source, dir, cache} = await setUp(9)
    const parts = [1, 2, 3].map((index) => join(dir, 'parts', String(index)))
    const ways = [{cache}, {cache, jobs: 2}, {jobs: 2}] as const
    for (const [index, part] of parts.entries()) expect((await build({source, out: part, cwd: dir, shard: {index: index + 1, count: 3}, ...ways[index]})).written).toBe(true)
    // The first shard again: every record from the cache this time.
    const again = await build({source, out: parts[0]!, cwd: dir, shard: {index: 1, count: 3}, cache})
    expect(again).toMatchObject({written: true, processed: 0})
    expect(again.cached).toBeGreaterThan(0)
    expect((await readdir(join(dir, 'parts'))).sort()).toEqual(['1', '2', '3'])
    const merged = await merge({parts, source, out: join(dir, 'merged'), cwd: dir, jobs: 2})
    expect(merged).toMatchObject({written: true, articles: 9, errors: 0})
    expect(await readTree(join(dir, 'merged'))).toEqual(await fullBuild(source, join(dir, 'full')))
  })

  it('merged place a cross-article message where an unsharded build does (the sources read again)', async () => {
    const source = await sourceTree({'site.yaml': 'title: T\nbaseUrl: https://example.org/\n', 'articles/one.md': article({frontmatter: 'slug: same'}), 'articles/two.md': article({frontmatter: 'slug: same'})})
    const dir = dirname(source)
    const parts = [1, 2].map((index) => join(dir, 'parts', String(index)))
    for (const [index, part] of parts.entries()) expect((await build({source, out: part, cwd: dir, shard: {index: index + 1, count: 2}})).written).toBe(true)
    const place = (result: {files: Array<{path: string; messages: Array<{ruleId?: string | null; line?: number | null; column?: number | null}>}>}) =>
      result.files.flatMap((file) => file.messages.filter((message) => message.ruleId === 'slug-duplicate').map((message) => `${file.path.slice(source.length)}:${message.line}:${message.column}`))
    const merged = await merge({parts, source, out: join(dir, 'merged'), cwd: dir})
    const whole = await build({source, out: join(dir, 'whole'), cwd: dir})
    expect(place(merged)).toEqual(['/articles/two.md:11:7'])
    expect(place(merged)).toEqual(place(whole))
  })

  it('merge through the CLI, and refuse a missing or foreign shard', async () => {
    const {source, dir} = await setUp(4)
    for (const index of [1, 2]) expect((await newsgraph(['build', '--shard', `${index}/2`, '--source', source, '--out', join(dir, 'parts', String(index))], dir)).code).toBe(0)
    // With workers for the articles' outputs, as `build`.
    const merged = await newsgraph(['merge', join(dir, 'parts', '1'), join(dir, 'parts', '2'), '--source', source, '--out', join(dir, 'merged'), '--jobs', '2'], dir)
    expect(merged.code, merged.stderr).toBe(0)
    expect(await readTree(join(dir, 'merged'))).toEqual(await fullBuild(source, join(dir, 'full')))
    const missing = await newsgraph(['merge', join(dir, 'parts', '1'), '--source', source, '--out', join(dir, 'half')], dir)
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/error: Missing shard 2\/2, expected every shard of the archive {2}shard-missing/)
    const foreign = await newsgraph(['merge', join(dir, 'parts', '1'), join(dir, 'parts', '2'), '--source', source, '--base-url', 'https://elsewhere.example/', '--out', join(dir, 'other')], dir)
    expect(foreign.code).toBe(1)
    expect(foreign.stderr).toContain('shard-mismatch')
    const unreadable = await newsgraph(['merge', join(dir, 'nowhere'), '--source', source, '--out', join(dir, 'none')], dir)
    expect(unreadable.code).toBe(1)
    expect(unreadable.stderr).toContain('shard-unreadable')
    for (const option of [['--no-cache'], ['--cache', join(dir, 'cache')], ['--shard', '1/2'], ['--watch']]) {
      const refused = await newsgraph(['merge', join(dir, 'parts', '1'), '--source', source, '--out', join(dir, 'refused'), ...option], dir)
      expect(refused.code, option.join(' ')).toBe(2)
      expect(refused.stderr).toContain('are options of `build`, not of `merge`')
    }
  })
})

describe('options', () => {
  it.each([
    [['--jobs', '257']],
    [['--jobs', 'two']],
    [['--shard', '5/4']],
    [['--shard', '0/4']],
    [['--cache', 'x', '--no-cache']]
  ])('exit 2 with a clear message on %j', async (args) => {
    const {code, stderr} = await newsgraph(['build', ...args])
    expect(code).toBe(2)
    expect(stderr.split('\n')[0]).toMatch(/^newsgraph: expected `--(jobs|shard|cache)/)
  })

  it('list every option in the usage', async () => {
    const {stdout} = await newsgraph(['--help'])
    for (const option of ['--cache DIR', '--no-cache', '--jobs N', '--shard I/N', '--timings', '--watch', 'merge PART...']) expect(stdout).toContain(option)
  })
})

describe('timings', () => {
  /** `build()` timed from outside: its result, and the wall time of the call in ms. */
  const timed = async (options: Parameters<typeof build>[0]) => {
    const started = performance.now()
    const result = await build(options)
    return {result, wall: performance.now() - started}
  }

  it('tell the parts of a build, which add up to the call: the articles processed, none when all come from the cache, nothing but the setup for a no-op', async () => {
    const {source, dir, cache, out} = await setUp(3)
    const first = await timed({source, out, cwd: dir, cache})
    const path = join(source, 'articles', 'a', 'story-1.md')
    await writeFile(path, (await readFile(path, 'utf8')).replace('title: Story 1', 'title: Story one'))
    const changed = await timed({source, out, cwd: dir, cache})
    // Another output directory: every article from the cache, none processed.
    const fromCache = await timed({source, out: join(dir, 'other'), cwd: dir, cache})
    const noop = await timed({source, out, cwd: dir, cache})
    expect([first, changed, fromCache, noop].map(({result}) => [result.processed, result.upToDate])).toEqual([[3, false], [1, false], [0, false], [0, true]])
    for (const {result, wall} of [first, changed, fromCache, noop]) {
      const {setup, articles, processing, merge} = result.timings
      for (const part of [setup, articles, processing, merge]) expect(Number.isInteger(part) && part >= 0).toBe(true)
      // Each part rounded to the millisecond: the three in a row are within 2 ms of the call.
      expect(setup + articles + merge).toBeLessThanOrEqual(wall + 2)
      expect(setup + articles + merge).toBeGreaterThanOrEqual(wall - 20)
      expect(processing).toBeLessThanOrEqual(articles + 1)
    }
    // Reading, tokenizing and tagging an article takes milliseconds; a cached one is not processed.
    expect(first.result.timings.processing).toBeGreaterThan(0)
    expect(changed.result.timings.processing).toBeGreaterThan(0)
    expect(fromCache.result.timings.processing).toBe(0)
    expect(first.result.timings.merge).toBeGreaterThan(0)
    expect(noop.result.timings).toMatchObject({articles: 0, processing: 0, merge: 0})
  })

  it('are printed by the CLI with --timings, after its summary, and not without', async () => {
    const {source, dir, cache, out} = await setUp(2)
    const args = ['build', '--cache', cache, '--source', source, '--out', out, '--quiet']
    const plain = await newsgraph(args, dir)
    expect(plain.code).toBe(0)
    expect(plain.stderr).not.toContain('timings')
    const path = join(source, 'articles', 'a', 'story-1.md')
    await writeFile(path, (await readFile(path, 'utf8')).replace('title: Story 1', 'title: Story one'))
    const {code, stderr} = await newsgraph([...args, '--timings'], dir)
    expect(code).toBe(0)
    const lines = stderr.trimEnd().split('\n')
    expect(lines.at(-2)).toMatch(/^newsgraph: built 2 articles, .* in \d+ ms → /)
    const match = /^newsgraph: timings: start (\d+) ms, setup (\d+) ms, articles (\d+) ms \(processing (\d+) ms\), merge (\d+) ms, report (\d+) ms$/.exec(lines.at(-1)!)
    expect(match).not.toBeNull()
    const [start, setup, articles, processing, merge, report] = match!.slice(1).map(Number) as [number, number, number, number, number, number]
    const total = Number(/ in (\d+) ms → /.exec(lines.at(-2)!)![1])
    // Node and the compiled pipeline take tens of milliseconds to load; the parts after add up to the time the summary gives (each rounded).
    expect(start).toBeGreaterThan(0)
    expect(Math.abs(setup + articles + merge + report - total)).toBeLessThanOrEqual(2)
    expect(processing).toBeGreaterThan(0)
    expect(processing).toBeLessThanOrEqual(articles + 1)
  })
})

describe('progress', () => {
  it('shows only on a terminal, outside CI, without --quiet', () => {
    expect(showProgress({isTTY: true}, {}, false)).toBe(true)
    expect(showProgress({isTTY: false}, {}, false)).toBe(false)
    expect(showProgress({}, {}, false)).toBe(false)
    expect(showProgress({isTTY: true}, {CI: 'true'}, false)).toBe(false)
    expect(showProgress({isTTY: true}, {CI: '1'}, false)).toBe(false)
    expect(showProgress({isTTY: true}, {}, true)).toBe(false)
  })

  it('reads as a count of articles, with those from the cache, then of pages written', () => {
    expect(formatProgress({done: 1234, total: 10000, cached: 56})).toBe('processing 1234/10000 articles (56 cached)')
    expect(formatProgress({phase: 'writing', done: 2345, total: 14000})).toBe('writing 2345/14000 pages (articles and entities)')
  })

  it('counts the articles read, then the pages of articles and entities written, up to their totals', async () => {
    for (const jobs of [1, 2]) {
      const {source, dir} = await setUp(4)
      const seen: Progress[] = []
      const result = await build({source, out: join(dir, 'dist'), cwd: dir, jobs, onProgress: (progress) => seen.push(progress)})
      expect(result.written).toBe(true)
      const processing = seen.filter((progress) => progress.phase !== 'writing')
      const writing = seen.filter((progress) => progress.phase === 'writing')
      expect(processing.at(-1)).toMatchObject({done: 4, total: 4})
      const entities = [...(await readTree(join(dir, 'dist'))).keys()].filter((path) => /^entities\/[^/]+\/index\.html$/.test(path)).length
      expect(entities).toBeGreaterThan(0)
      expect(writing.map((progress) => progress.done)).toEqual(Array.from({length: 4 + entities}, (_, index) => index + 1))
      expect(new Set(writing.map((progress) => progress.total))).toEqual(new Set([4 + entities]))
      expect(seen.indexOf(writing[0]!)).toBeGreaterThan(seen.indexOf(processing.at(-1)!))
    }
  })

  it('is absent from the output of a build into a pipe', async () => {
    const {source, dir} = await setUp(2)
    const {code, stderr} = await newsgraph(['build', '--no-cache', '--source', source, '--out', join(dir, 'dist')], dir)
    expect(code).toBe(0)
    expect(stderr).not.toContain('processing')
    expect(stderr).not.toContain('\r')
  })
})

describe('checks of streamed outputs', () => {
  it('report a bad CSV row by its number across batches, and a bad graph node', async () => {
    const check = createChecker({url: 'https://example.org/context.jsonld', document: {'@context': {}}})
    const row = {id: 'a', url: 'https://example.org/a', headline: 'A', description: 'D', date_published: '2020-02-03T10:00:00+01:00', date_modified: '2020-02-03T10:00:00+01:00', author: '', publisher: 'P', language: 'en', word_count: 1, source_count: 0}
    expect(await check({path: 'data/articles.csv', text: '', append: true, rows: {table: 'data/articles.csv', records: [row, row]}})).toEqual([])
    const problems = await check({path: 'data/articles.csv', text: '', append: true, rows: {table: 'data/articles.csv', records: [{...row, word_count: -1}]}})
    expect(problems.map((problem) => [problem.path, problem.ruleId])).toEqual([['data/articles.csv row 3', 'output-invalid']])
    const nodes = await check({path: 'graph.jsonld', text: '', append: true, nodes: [{'@id': 'https://example.org/x', '@type': 'Person', nmae: 'typo'}]})
    expect(nodes.map((problem) => problem.ruleId)).toEqual(['output-invalid'])
  })
})

describe('the staging directory', () => {
  it('keeps the appends to one file in order while many writes are in flight', async () => {
    const dir = await temporaryDirectory()
    const out = join(dir, 'dist')
    const staging = await openStaging(out)
    const expected: string[] = []
    await staging.write('data/rows.csv', 'header\n')
    for (let index = 0; index < 500; index++) {
      await staging.write(`pages/${index}/index.html`, `page ${index}`)
      await staging.write('data/rows.csv', `row ${index}\n`, true)
      expected.push(`row ${index}\n`)
    }
    await staging.commit()
    await staging.discard()
    const tree = await readTree(out)
    expect(tree.get('data/rows.csv')).toBe(`header\n${expected.join('')}`)
    expect(tree.size).toBe(501)
    expect(tree.get('pages/499/index.html')).toBe('page 499')
  })

  it('writes appends gathered in batches in order, across files, strings and bytes alike, with whole files between them and pieces larger than a batch', async () => {
    const dir = await temporaryDirectory()
    const out = join(dir, 'dist')
    const staging = await openStaging(out)
    const expected = new Map<string, string>([['a.txt', 'A\n'], ['b.txt', 'B\n']])
    await staging.write('a.txt', 'A\n')
    await staging.write('b.txt', 'B\n')
    // Note: rows of 10 kB, so that each file is flushed many times (a batch is 1 MiB) and a tail is left for the commit.
    for (let index = 0; index < 1234; index++) {
      for (const path of ['a.txt', 'b.txt']) {
        // Every third row as bytes (as reused pieces are), with characters of several bytes.
        // Note: rows 600 and 601 are larger than a batch, which they follow and precede.
        const row = `${path} ${index} ${'x'.repeat(index === 600 || index === 601 ? 1_500_000 : 10_000)} \u2019\u{1F600}\n`
        await staging.write(path, index % 3 === 0 ? Buffer.from(row, 'utf8') : row, true)
        expected.set(path, expected.get(path)! + row)
      }
      if (index % 100 === 0) await staging.write(`whole/${index}.txt`, `whole ${index}`)
    }
    // A whole file written after appends replaces them.
    await staging.write('c.txt', 'dropped', true)
    await staging.write('c.txt', 'C')
    await staging.commit()
    await staging.discard()
    const tree = await readTree(out)
    expect(tree.get('a.txt')).toBe(expected.get('a.txt'))
    expect(tree.get('b.txt')).toBe(expected.get('b.txt'))
    expect(tree.get('c.txt')).toBe('C')
    expect(tree.get('whole/1200.txt')).toBe('whole 1200')
    expect(tree.size).toBe(3 + 13)
  })

  it('calls `written` once the bytes it was given with are in the staged file, for appends and whole files, and not for what is discarded', async () => {
    const dir = await temporaryDirectory()
    const out = join(dir, 'dist')
    const staging = await openStaging(out)
    const seen: string[] = []
    // Note: read when called, synchronously, so that what is seen is what was written by then.
    const now = (path: string) => () => seen.push(`${path}: ${readFileSync(join(staging.dir, path), 'utf8')}`)
    await staging.write('rows.csv', Buffer.from('a\n'), true, now('rows.csv'))
    await staging.write('rows.csv', Buffer.from('b\n'), true, now('rows.csv'))
    // Appends are gathered in batches: not written yet.
    expect(seen).toEqual([])
    await staging.write('page.html', Buffer.from('<p>'), false, now('page.html'))
    await staging.write('gone.csv', Buffer.from('never'), true, () => seen.push('gone.csv'))
    // A whole file replaces what was appended to its path before: that is never written.
    await staging.write('gone.csv', 'whole')
    await staging.end('rows.csv')
    await staging.commit()
    await staging.discard()
    expect(seen.sort()).toEqual(['page.html: <p>', 'rows.csv: a\nb\n', 'rows.csv: a\nb\n'])
    const other = await openStaging(join(dir, 'other'))
    await other.write('rows.csv', Buffer.from('dropped'), true, now('rows.csv'))
    await other.discard()
    expect(seen).toHaveLength(3)
  })

  it('writes a batch of appends once it holds 32 pieces lent with `written`, however small: each holds its lender\'s memory', async () => {
    const dir = await temporaryDirectory()
    const staging = await openStaging(join(dir, 'dist'))
    let given = 0
    for (let index = 0; index < 31; index++) await staging.write('rows.csv', Buffer.from(`${index}\n`), true, () => given++)
    // Owned bytes and text gather as before: a batch is written at 1 MiB.
    for (let index = 0; index < 100; index++) await staging.write('rows.csv', index % 2 ? 'text\n' : Buffer.from('bytes\n'), true)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(given).toBe(0)
    await staging.write('rows.csv', Buffer.from('31\n'), true, () => given++)
    await vi.waitFor(() => expect(given).toBe(32))
    await staging.write('rows.csv', Buffer.from('32\n'), true, () => given++)
    await staging.commit()
    await staging.discard()
    expect(given).toBe(33)
  })

  it('writes a batch of more pieces than one system call takes, in order', async () => {
    const dir = await temporaryDirectory()
    const staging = await openStaging(join(dir, 'dist'))
    // Note: 5,000 rows of a few bytes each are one batch, written at the commit: more parts than IOV_MAX (1,024 on Linux).
    const rows = Array.from({length: 5000}, (_, index) => `row ${index}\n`)
    for (const [index, row] of rows.entries()) await staging.write('rows.csv', index % 2 ? row : Buffer.from(row), true)
    await staging.commit()
    await staging.discard()
    expect((await readTree(join(dir, 'dist'))).get('rows.csv')).toBe(rows.join(''))
  })

  it('writes every byte of the parts of a batch, however few a system call takes, and fails when it takes none', async () => {
    const written: Buffer[] = []
    const handle = (most: number) => ({
      writev: async (parts: Uint8Array[]) => {
        const bytes = Buffer.concat(parts).subarray(0, most)
        written.push(Buffer.from(bytes))
        return {bytesWritten: bytes.length, buffers: parts}
      }
    })
    const parts = ['alpha', '', 'beta \u2019', 'gamma delta'].map((text) => Buffer.from(text))
    await writeAll(handle(4) as never, parts)
    expect(Buffer.concat(written).toString()).toBe('alphabeta \u2019gamma delta')
    expect(written.length).toBeGreaterThan(5)
    await expect(writeAll(handle(0) as never, parts)).rejects.toThrow(/no bytes/)
  })

  it('fails to copy the head of a file shorter than it (no zeros put in for the rest)', async () => {
    const dir = await temporaryDirectory()
    await writeFile(join(dir, 'old.csv'), 'head\nrow\n')
    const staging = await openStaging(join(dir, 'dist'))
    await staging.copyHead('data/rows.csv', join(dir, 'old.csv'), 4)
    await staging.write('data/rows.csv', '\nmore\n', true)
    await staging.copyHead('data/short.csv', join(dir, 'old.csv'), 100)
    await expect(staging.commit()).rejects.toThrow(/Cannot copy 100 bytes/)
    await staging.discard()
    const again = await openStaging(join(dir, 'dist'))
    await again.copyHead('data/rows.csv', join(dir, 'old.csv'), 4)
    await again.write('data/rows.csv', '\nmore\n', true)
    await again.commit()
    await again.discard()
    expect(await readTree(join(dir, 'dist'))).toEqual(new Map([['data/rows.csv', 'head\nmore\n']]))
  })

  it('reads the last build’s files, and closes even when one could not be opened', async () => {
    const dir = await temporaryDirectory()
    await writeFile(join(dir, 'a.csv'), 'abcdef')
    const reader = openReader(dir)
    expect(await reader.size('a.csv')).toBe(6)
    expect(Buffer.from(await reader.read('a.csv', 2, 3)).toString()).toBe('cde')
    await expect(reader.size('missing.csv')).rejects.toThrow(/ENOENT/)
    await expect(reader.close()).resolves.toBeUndefined()
  })

  it('writes what was gathered of a file once it is ended, and holds the appends to the others', async () => {
    const dir = await temporaryDirectory()
    const staging = await openStaging(join(dir, 'dist'))
    await staging.write('page.html', 'head')
    await staging.write('page.html', ' items', true)
    await staging.write('page.html', ' tail', true)
    await staging.write('data/rows.csv', 'row', true)
    await staging.end('page.html')
    await vi.waitFor(async () => expect(await readFile(join(staging.dir, 'page.html'), 'utf8')).toBe('head items tail'), {timeout: 5000})
    await expect(stat(join(staging.dir, 'data/rows.csv'))).rejects.toThrow()
    await staging.commit()
    await staging.discard()
    expect(await readTree(join(dir, 'dist'))).toEqual(new Map([['page.html', 'head items tail'], ['data/rows.csv', 'row']]))
  })

  it('lets every caller go on when several put at once, however few writes may be in flight', async () => {
    const dir = await temporaryDirectory()
    const out = join(dir, 'dist')
    // Note: ten callers at once (as articles read ahead and site files are), two writes in flight, then 100 bytes.
    for (const limits of [{inFlight: 2, bytesInFlight: 8 << 20}, {inFlight: 64, bytesInFlight: 100}]) {
      const staging = await openStaging(out, limits)
      const expected = new Map<string, string>()
      await Promise.all(
        Array.from({length: 10}, async (_, caller) => {
          for (let index = 0; index < 30; index++) {
            const text = `${caller} ${index} ${'x'.repeat(index * 7)}`
            expected.set(`${caller}/${index}.txt`, text)
            await staging.write(`${caller}/${index}.txt`, text)
          }
        })
      )
      await staging.commit()
      await staging.discard()
      expect(await readTree(out)).toEqual(expected)
    }
  }, 20_000)

  /** An output directory holding the last build's `old.txt`, and a staging directory for the next. */
  const lastBuild = async () => {
    const dir = await temporaryDirectory()
    const out = join(dir, 'dist')
    await mkdir(out)
    await writeFile(join(out, 'old.txt'), 'old')
    return {dir, out, staging: await openStaging(out)}
  }

  it('links the files reused from the last build on a thread of its own, batches of them, each the last build\u2019s file', async () => {
    const {dir, out, staging} = await lastBuild()
    const old = join(dir, 'old')
    // Note: more than one batch (4,096).
    const paths = Array.from({length: 4500}, (_, index) => `articles/a-${index % 1500}/${index < 1500 ? 'index.html' : index < 3000 ? 'article.jsonld' : 'snippet.html'}`)
    for (const path of paths.slice(0, 1500)) await mkdir(join(old, dirname(path)), {recursive: true})
    for (const path of paths) await writeFile(join(old, path), path)
    const started = workersStarted.get('hard-link-worker.js') ?? 0
    for (const path of paths) await staging.reuse(path, join(old, path))
    await staging.write('index.html', 'home')
    await staging.commit()
    expect(workersStarted.get('hard-link-worker.js')).toBe(started + 1)
    const tree = await readTree(out)
    expect(tree.size).toBe(paths.length + 1)
    for (const path of paths) expect(tree.get(path)).toBe(path)
    for (const path of [paths[0]!, paths[2000]!, paths.at(-1)!]) expect((await stat(join(out, path))).ino).toBe((await stat(join(old, path))).ino)
    expect((await readdir(dir)).sort()).toEqual(['dist', 'old'])
  })

  it('fails a commit when a file reused from the last build cannot be linked nor copied, and leaves the output directory as it was', async () => {
    const {dir, out, staging} = await lastBuild()
    await writeFile(join(dir, 'kept.html'), 'kept')
    await staging.reuse('articles/a/index.html', join(dir, 'kept.html'))
    await staging.reuse('articles/b/index.html', join(dir, 'gone.html'))
    await expect(staging.commit()).rejects.toMatchObject({code: 'ENOENT'})
    await staging.discard()
    expect([...(await readTree(out))]).toEqual([['old.txt', 'old']])
    expect((await readdir(dir)).sort()).toEqual(['dist', 'kept.html'])
  })

  it('leaves the output directory as it was when discarded before the swap', async () => {
    const {dir, out, staging} = await lastBuild()
    for (let index = 0; index < 100; index++) await staging.write(`new/${index}.txt`, 'new')
    await staging.discard()
    expect([...(await readTree(out))]).toEqual([['old.txt', 'old']])
    expect((await readdir(dir)).sort()).toEqual(['dist'])
  })

  it('fails a commit whose removal of the last build\u2019s files fails after the swap, once the manifest is written, with no unhandled rejection meanwhile', async () => {
    const {out, staging} = await lastBuild()
    await staging.write('new.txt', 'new')
    const unhandled: unknown[] = []
    const onUnhandled = (reason: unknown) => unhandled.push(reason)
    process.on('unhandledRejection', onUnhandled)
    removal.fails = true
    let written = false
    try {
      // Note: the removal fails at once; the manifest (here a wait) is written meanwhile.
      await expect(staging.commit(async () => {
        await new Promise((resolve) => setTimeout(resolve, 100))
        written = true
      })).rejects.toThrow('Cannot remove')
    } finally {
      process.off('unhandledRejection', onUnhandled)
      removal.fails = false
    }
    expect(written).toBe(true)
    expect(unhandled).toEqual([])
    expect([...(await readTree(out))]).toEqual([['new.txt', 'new']])
  })

  it('removes a tree, here or on a worker thread (the last build\u2019s files after the swap), with its links, without following them', async () => {
    for (const remove of [async (path: string) => removeTreeSync(path), removeTree]) {
      const dir = await temporaryDirectory()
      const tree = join(dir, 'tree')
      const kept = join(dir, 'kept')
      await mkdir(join(tree, 'a', 'b', 'c'), {recursive: true})
      await mkdir(join(tree, 'empty', 'deeper'), {recursive: true})
      await mkdir(kept)
      await writeFile(join(kept, 'file.txt'), 'kept')
      for (const [index, path] of ['top.txt', 'a/one.txt', 'a/b/two.txt', 'a/b/c/three.txt'].entries()) await writeFile(join(tree, path), String(index))
      await symlink(kept, join(tree, 'a', 'folder-link'))
      await symlink(join(kept, 'file.txt'), join(tree, 'a', 'b', 'file-link'))
      await link(join(kept, 'file.txt'), join(tree, 'hard-link'))
      await remove(tree)
      expect((await readdir(dir)).sort()).toEqual(['kept'])
      expect([...(await readTree(kept))]).toEqual([['file.txt', 'kept']])
      // Note: a tree already gone is no error.
      await remove(tree)
    }
    // Note: after a rebuild, nothing is left beside out/: no staging or old directory, no lock.
    const {source, dir, cache, out} = await setUp(2)
    await build({source, out, cwd: dir, cache})
    const path = join(source, 'articles', 'a', 'story-1.md')
    await writeFile(path, (await readFile(path, 'utf8')).replace('title: Story 1', 'title: Story one'))
    await build({source, out, cwd: dir, cache})
    expect((await readdir(dirname(out))).filter((name) => name.startsWith('.'))).toEqual([])
  })
})

describe('reads ahead (inOrder)', () => {
  it('gives the results in order, with at most `ahead` more started, whatever order they finish in', async () => {
    let running = 0
    let most = 0
    const started: number[] = []
    const results: number[] = []
    const task = async (index: number) => {
      started.push(index)
      running++
      most = Math.max(most, running)
      await new Promise((resolve) => setTimeout(resolve, (7 - (index % 7)) * 2))
      running--
      return index * 10
    }
    for await (const value of inOrder(20, 3, task)) {
      results.push(value)
      // The one taken and at most three after it have started.
      expect(started.length).toBeLessThanOrEqual(results.length + 3)
    }
    expect(results).toEqual(Array.from({length: 20}, (_, index) => index * 10))
    expect(most).toBe(4)
  })

  it('lets the event loop turn every `turnEvery` results, even when every result is at hand', async () => {
    /** How many results were taken each time a callback of the event loop ran, until all were. */
    const whenTurned = async (turnEvery?: number) => {
      const turns: number[] = []
      let taken = 0
      const watch = () =>
        setImmediate(() => {
          turns.push(taken)
          if (taken < 50) watch()
        })
      watch()
      const results: number[] = []
      for await (const value of inOrder(50, 4, async (index) => index, turnEvery)) {
        results.push(value)
        taken++
      }
      expect(results).toEqual(Array.from({length: 50}, (_, index) => index))
      await new Promise((resolve) => setImmediate(resolve))
      return turns
    }
    // Without turns, results at hand are all given before any other callback runs (a message of another thread waits as long).
    expect(await whenTurned()).toEqual([50])
    expect(await whenTurned(8)).toEqual([8, 16, 24, 32, 40, 48, 50])
  })

  it('throws a failure where its result is taken, and settles what it started when stopped', async () => {
    const settled: number[] = []
    const task = async (index: number) => {
      await new Promise((resolve) => setTimeout(resolve, 5))
      settled.push(index)
      if (index === 2) throw new Error('task 2 failed')
      return index
    }
    const taken: number[] = []
    await expect(
      (async () => {
        for await (const value of inOrder(10, 4, task)) taken.push(value)
      })()
    ).rejects.toThrow('task 2 failed')
    expect(taken).toEqual([0, 1])
    // Tasks 3 to 6 had started: they are settled before the loop ends.
    expect(settled.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6])
  })
})

describe('appending byte ranges of the last build (Staging.appendRange, reuseArticle)', () => {
  const alphabet = (length: number) => Buffer.from(Array.from({length}, (_, index) => String.fromCharCode(97 + (index % 26))).join(''))
  /** Calls of `FileHandle#read` while `task` runs. */
  const countReads = async (dir: string, task: () => Promise<void>) => {
    const handle = await open(join(dir, 'old.csv'), 'r')
    const read = vi.spyOn(Object.getPrototypeOf(handle) as {read: (...args: unknown[]) => unknown}, 'read')
    await handle.close()
    try {
      await task()
      return read.mock.calls.length
    } finally {
      read.mockRestore()
    }
  }

  it('appends ranges and bytes in order, each run of ranges that follow each other in one read', async () => {
    const dir = await temporaryDirectory()
    const old = alphabet(40_000)
    await writeFile(join(dir, 'old.csv'), old)
    const from = join(dir, 'old.csv')
    const reads = await countReads(dir, async () => {
      const staging = await openStaging(join(dir, 'dist'))
      await staging.write('data.csv', 'head\n', true)
      for (let index = 0; index < 16; index++) await staging.appendRange('data.csv', from, 1000 + index * 2000, 2000)
      await staging.write('data.csv', Buffer.from('new\n'), true)
      await staging.appendRange('data.csv', from, 0, 10)
      await staging.appendRange('data.csv', from, 35_000, 5000)
      await staging.appendRange('other.csv', from, 10, 5)
      await staging.commit()
      await staging.discard()
    })
    const expected = Buffer.concat([Buffer.from('head\n'), old.subarray(1000, 33_000), Buffer.from('new\n'), old.subarray(0, 10), old.subarray(35_000)])
    expect((await readFile(join(dir, 'dist', 'data.csv'))).equals(expected)).toBe(true)
    expect(await readFile(join(dir, 'dist', 'other.csv'), 'utf8')).toBe(old.subarray(10, 15).toString())
    expect(reads).toBe(4)
  })

  it('puts a range in its place at once, while its file is being opened, before what is appended meanwhile', async () => {
    const dir = await temporaryDirectory()
    await writeFile(join(dir, 'old.csv'), 'BBBB')
    const staging = await openStaging(join(dir, 'dist'))
    await staging.write('data.csv', 'head|', true)
    // Note: not awaited one by one.
    await Promise.all([staging.appendRange('data.csv', join(dir, 'old.csv'), 0, 4), staging.write('data.csv', '|tail', true)])
    await staging.commit()
    await staging.discard()
    expect(await readFile(join(dir, 'dist', 'data.csv'), 'utf8')).toBe('head|BBBB|tail')
  })

  it('copies ranges from a file as it was when its first range was given, though another takes its place before the commit', async () => {
    const dir = await temporaryDirectory()
    const from = join(dir, 'old.csv')
    await writeFile(from, 'abcdef')
    const staging = await openStaging(join(dir, 'dist'))
    await staging.appendRange('data.csv', from, 1, 3)
    // Note: as a build that swaps its outputs in meanwhile does: another file renamed over it.
    await writeFile(join(dir, 'new.csv'), 'UVWXYZ')
    await rename(join(dir, 'new.csv'), from)
    await staging.appendRange('data.csv', from, 4, 2)
    await staging.commit()
    await staging.discard()
    expect(await readFile(join(dir, 'dist', 'data.csv'), 'utf8')).toBe('bcdef')
  })

  it('copies a range larger than what it reads at once, and fails the commit when the file ends before the range', async () => {
    const dir = await temporaryDirectory()
    const old = alphabet(9_000_001)
    await writeFile(join(dir, 'old.csv'), old)
    const staging = await openStaging(join(dir, 'dist'))
    await staging.appendRange('data.csv', join(dir, 'old.csv'), 1, old.length - 1)
    await staging.commit()
    await staging.discard()
    expect((await readFile(join(dir, 'dist', 'data.csv'))).equals(old.subarray(1))).toBe(true)
    const short = await openStaging(join(dir, 'dist'))
    await short.write('data.csv', 'head\n', true)
    await short.appendRange('data.csv', join(dir, 'old.csv'), old.length - 10, 20)
    await expect(short.commit()).rejects.toThrow(/Cannot copy 20 bytes .* it ends at 9000001; the last build's output changed/)
    await short.discard()
    expect((await readFile(join(dir, 'dist', 'data.csv'))).equals(old.subarray(1))).toBe(true)
    expect((await readdir(dir)).sort()).toEqual(['dist', 'old.csv'])
  })

  it('gives the pieces of a reused article as their ranges in the last build, not read back, but those of a copied head', async () => {
    const links: Array<[string, string]> = []
    const staging = {reuse: async (path: string, from: string) => void links.push([path, from])} as unknown as Staging
    const outputs: ArticleOutputs = {
      key: 'k',
      files: ['a/index.html'],
      appends: [
        {path: 'graph.jsonld', start: 100, length: 20, count: 0},
        {path: 'data/events.csv', start: 7, length: 3, table: 'data/events.csv', count: 1}
      ]
    }
    // Note: `out` does not exist: nothing is read.
    const pieces = await reuseArticle(staging, '/nonexistent/out', outputs, (path) => path === 'graph.jsonld')
    expect(links).toEqual([['a/index.html', join('/nonexistent/out', 'a/index.html')]])
    expect(pieces).toEqual([
      {path: 'graph.jsonld', copied: 20, append: true, table: undefined, count: 0, problems: []},
      {path: 'data/events.csv', range: {start: 7, length: 3}, append: true, table: 'data/events.csv', count: 1, problems: []}
    ])
  })
})

describe('reading back the last build (openReader)', () => {
  it('gives every byte range of a file as it is, in any order, and refuses one past the end', async () => {
    const dir = await temporaryDirectory()
    const bytes = Buffer.alloc(3 * (1 << 20) + 12345)
    for (let index = 0; index < bytes.length; index++) bytes[index] = (index * 7919) % 251
    await writeFile(join(dir, 'graph.jsonld'), bytes)
    const reader = openReader(dir)
    const ranges: Array<[number, number]> = [
      [0, 10],
      [10, 1000],
      [(1 << 20) - 5, 10],
      [5, 5],
      [1 << 20, 2 * (1 << 20) + 100],
      [bytes.length - 1, 1],
      [0, bytes.length]
    ]
    const read = await Promise.all(ranges.map(async ([start, length]) => Buffer.from(await reader.read('graph.jsonld', start, length))))
    for (const [index, [start, length]] of ranges.entries()) expect(read[index]!.equals(bytes.subarray(start, start + length)), `${start}+${length}`).toBe(true)
    await expect(reader.read('graph.jsonld', bytes.length - 2, 3)).rejects.toThrow(/last build's output changed/)
    await reader.close()
  })

  it('reads exactly the range asked for', async () => {
    const dir = await temporaryDirectory()
    await writeFile(join(dir, 'data.csv'), 'abcdef')
    const reader = openReader(dir)
    expect(Buffer.from(await reader.read('data.csv', 1, 4)).toString()).toBe('bcde')
    expect(await reader.read('data.csv', 6, 0)).toHaveLength(0)
    await reader.close()
  })
})

describe('the report kept beside the manifest', () => {
  /** The lines of the messages of a CLI's standard error: all but its summary line. */
  const messageLines = (stderr: string) => stderr.split('\n').filter((line) => line !== '' && !line.startsWith('newsgraph: '))

  it('is printed by the CLI as it is on a no-op, for the manifest and directory it was kept for, and kept anew by every build told without `--quiet`', async () => {
    const files = archive(3)
    // Note: an article with a warning besides its infos.
    files['articles/b/story-0.md'] = `${files['articles/b/story-0.md']!}\n> A quotation of no source.\n`
    const source = await sourceTree(files)
    const dir = dirname(source)
    const [out, cache] = [join(dir, 'dist'), join(dir, 'cache')]
    const args = ['build', '--source', source, '--out', out, '--cache', cache]
    const built = await newsgraph(args, dir)
    expect(built.stderr).toMatch(/^newsgraph: built 3 articles/m)
    const lines = messageLines(built.stderr)
    expect(lines.some((line) => line.includes(': warning: '))).toBe(true)
    expect(lines.filter((line) => line.includes(': info: ')).length).toBeGreaterThan(2)
    // Kept beside the manifest: a line telling which manifest and directory it is of, then the lines as printed.
    const path = keptReportPath(cache, out)
    const kept = await readFile(path, 'utf8')
    expect(kept.slice(kept.indexOf('\n') + 1)).toBe(lines.map((line) => `${line}\n`).join(''))
    expect(JSON.parse(kept.slice(0, kept.indexOf('\n')))).toEqual({format: 1, manifest: expect.any(String), cwd: await realpath(dir)})
    const noop = await newsgraph(args, dir)
    expect(noop.stderr).toMatch(/^newsgraph: up to date: 3 articles, 0 errors, 1 warning, \d+ suggestions/m)
    expect(messageLines(noop.stderr)).toEqual(lines)
    // Printed as it is kept (a line of it changed here shows), not made again from the manifest's messages.
    const changed = kept.replace(': info: ', ': info: (as kept) ')
    await writeFile(path, changed)
    const printed = await newsgraph(args, dir)
    expect(messageLines(printed.stderr)).toEqual(messageLines(changed.slice(changed.indexOf('\n') + 1)))
    expect(messageLines(printed.stderr)).not.toEqual(lines)
    expect(printed.stderr).toMatch(/^newsgraph: up to date: 3 articles, 0 errors, 1 warning, \d+ suggestions/m)
    // Not with `--quiet`, which prints no infos, nor keeps a report.
    const quiet = await newsgraph([...args, '--quiet'], dir)
    expect(messageLines(quiet.stderr)).toEqual(lines.filter((line) => !line.includes(': info: ')))
    expect(await readFile(path, 'utf8')).toBe(changed)
    // From another directory the paths are other: the messages are made again, and the report kept anew, for it.
    const elsewhere = join(source, 'articles')
    const fromThere = await newsgraph(args, elsewhere)
    expect(messageLines(fromThere.stderr)).toEqual(lines.map((line) => (line.startsWith('source/articles/') ? line.slice('source/articles/'.length) : line.replace(/^source/, '..'))))
    expect(JSON.parse((await readFile(path, 'utf8')).split('\n')[0]!)).toMatchObject({cwd: await realpath(elsewhere)})
    expect(messageLines((await newsgraph(args, elsewhere)).stderr)).toEqual(messageLines(fromThere.stderr))
    // A damaged report is as none.
    await writeFile(path, 'not a report\n')
    expect(messageLines((await newsgraph(args, dir)).stderr)).toEqual(lines)
    expect(messageLines((await newsgraph(args, dir)).stderr)).toEqual(lines)
  })

  it('is of one manifest: a build that changed something prints and keeps its own, a failed build keeps none, and `build` gives it to a no-op that asks', async () => {
    const {source, dir, cache, out} = await setUp(3)
    const args = ['build', '--source', source, '--out', out, '--cache', cache]
    await newsgraph(args, dir)
    const path = keptReportPath(cache, out)
    const first = await readFile(path, 'utf8')
    const story = join(source, 'articles', 'a', 'story-1.md')
    const text = await readFile(story, 'utf8')
    await writeFile(story, text.replace('Ana Duarte', 'Bea Duarte'))
    const rebuilt = await newsgraph(args, dir)
    expect(rebuilt.stderr).toMatch(/^newsgraph: built 3 articles/m)
    expect(messageLines(rebuilt.stderr).some((line) => line.includes('Bea Duarte'))).toBe(true)
    const second = await readFile(path, 'utf8')
    expect(second.split('\n')[0]).not.toBe(first.split('\n')[0])
    expect(messageLines(second.slice(second.indexOf('\n') + 1))).toEqual(messageLines(rebuilt.stderr))
    // A failed build saves no manifest, and keeps no report.
    await writeFile(story, text.replace(/^title: .*$/m, 'title: [unclosed'))
    const failing = await newsgraph(args, dir)
    expect(failing.code).toBe(1)
    expect(await readFile(path, 'utf8')).toBe(second)
    await writeFile(story, text.replace('Ana Duarte', 'Bea Duarte'))
    const restored = await newsgraph(args, dir)
    expect(restored.stderr).toMatch(/^newsgraph: up to date: 3 articles/m)
    expect(messageLines(restored.stderr)).toEqual(messageLines(rebuilt.stderr))
    // A build with `--quiet` saves its manifest but keeps no report: the no-op after it makes its messages again, not the older report's.
    await writeFile(story, text.replace('Ana Duarte', 'Cleo Duarte'))
    expect((await newsgraph([...args, '--quiet'], dir)).stderr).toMatch(/^newsgraph: built 3 articles/m)
    expect(await readFile(path, 'utf8')).toBe(second)
    const afterQuiet = await newsgraph(args, dir)
    expect(afterQuiet.stderr).toMatch(/^newsgraph: up to date: 3 articles/m)
    expect(messageLines(afterQuiet.stderr).some((line) => line.includes('Cleo Duarte'))).toBe(true)
    expect(messageLines(afterQuiet.stderr).some((line) => line.includes('Bea Duarte'))).toBe(false)
    // … and keeps its own: the next no-op prints it.
    expect(messageLines((await newsgraph(args, dir)).stderr)).toEqual(messageLines(afterQuiet.stderr))
    expect(messageLines((await readFile(path, 'utf8')).split('\n').slice(1).join('\n'))).toEqual(messageLines(afterQuiet.stderr))
    // `build` with `keptReport`: the no-op gives the report kept for its manifest instead of making its infos messages; the counts are the same.
    // Note: the tests run another version of the pipeline than the CLI: this build is not a no-op, and saves a manifest of its own.
    const loud = await build({source, out, cwd: dir, cache})
    expect(loud).toMatchObject({written: true, manifest: expect.any(String)})
    expect(loud.keptReport).toBeUndefined()
    let told = ''
    await printAndKeepReport(cache, out, loud.manifest!, dir, loud.files, (text) => void (told += text))
    expect(messageLines(told)).toEqual(messageLines(afterQuiet.stderr))
    // A report that could not be printed is not kept, and what was written of it is removed.
    const keptBefore = await readFile(path, 'utf8')
    await expect(printAndKeepReport(cache, out, 'another', dir, loud.files, () => Promise.reject(new Error('EPIPE')))).rejects.toThrow('EPIPE')
    expect(await readFile(path, 'utf8')).toBe(keptBefore)
    expect((await readdir(dirname(path))).filter((name) => name.startsWith('.'))).toEqual([])
    const given = await build({source, out, cwd: dir, cache, keptReport: true})
    expect(given).toMatchObject({upToDate: true, manifest: loud.manifest, infos: loud.infos, warnings: loud.warnings})
    const messages = (result: {files: VFile[]}) => result.files.flatMap((file) => file.messages)
    expect(messages(given)).toEqual(messages(loud).filter((message) => message.fatal !== undefined))
    let printed = ''
    await printKeptReport(given.keptReport!, (bytes) => void (printed += Buffer.from(bytes).toString('utf8')))
    expect(printed).toBe(told)
    // Of another directory: none given, the infos are messages.
    const other = await build({source, out, cwd: source, cache, keptReport: true})
    expect(other.keptReport).toBeUndefined()
    expect(messages(other)).toHaveLength(messages(loud).length)
    expect(messages(loud).filter((message) => message.fatal === undefined)).toHaveLength(loud.infos)
  })
})
