// Publish: the cross-article steps of a build or a merge: link → model → emit → check → write, and the summary of the messages.
import {join} from 'node:path'
import type {VFile} from 'vfile'
import type {VFileMessage} from 'vfile-message'
import type {Conventions} from './conventions.js'
import type {Site} from './config.js'
import type {Piece} from './emit-pool.js'
import {textBytes} from './chunks.js'
import type {Emission, EntityReuse, SiteModel} from './emit/index.js'
import type {OutputKeys} from './emit/article.js'
import type {Progress} from './progress.js'
import type {ArticleOutputs} from './reuse.js'
import type {KnowledgeFiles} from './load.js'
import {report} from './message.js'
import {deferredOnly, messageCount, restoreDeferred} from './record.js'
import {readRecord, type RecordSource} from './summary.js'
import type {ArticleSummary} from './types.js'
import {openStaging, OutReplacedError, stagingLimits, unsafeOutDir, type Removal} from './write.js'

/** What a build or merge reports: the files with their messages, and the counts. */
export interface Summary {
  files: VFile[]
  articles: number
  errors: number
  warnings: number
  infos: number
  /** Whether `out` was written. */
  written: boolean
  /** Whether nothing changed since the last successful build into `out` (nothing was processed or written). */
  upToDate: boolean
}

/**
 * What a build does once its outputs are swapped in (`run`: its manifest
 * finished with their stamps and put in place), begun before the commit
 * (the rest of the manifest written while the staged files settle);
 * `drop`, when nothing is swapped in.
 */
export interface AfterSwap {
  run(): Promise<void>
  drop(): Promise<void>
}

/** Everything loaded before the articles: the site, the knowledge files and conventions, and the hash of the stage's inputs. */
export interface Setup {
  site: Site | undefined
  knowledge: KnowledgeFiles | undefined
  conventions: Conventions | undefined
  inputsHash: string
}

/**
 * The cross-article steps: link, model, emit, check and write; nothing is
 * written when a step fails. `articles` are the summaries the site is linked
 * from; `records` tells where the whole record of each is, read back when
 * its own outputs are written. `options.reuse` may still be coming (the
 * last build's outputs being checked): it is awaited once the site is
 * linked and modelled.
 */
export async function linkAndWrite(
  articles: ArticleSummary[],
  records: Map<ArticleSummary, RecordSource>,
  files: VFile[],
  buildFile: VFile,
  setup: Setup,
  options: {out: string; source: string; strict?: boolean; cwd?: string; jobs?: number; reuse?: Reuse | Promise<Reuse>; onProgress?: (progress: Progress) => void; quiet?: boolean; removal?: Removal},
  swapped?: (result: Summary) => Promise<AfterSwap>
): Promise<Summary> {
  const {linkArticles} = await import('./link.js')
  linkArticles(articles, files)
  const outProblem = unsafeOutDir(options.out, options.source, options.cwd ?? process.cwd())
  if (outProblem) report(buildFile, `Unexpected output directory \`${options.out}\`: ${outProblem}, expected a directory of its own`, 'out-unsafe')
  const {site, knowledge, conventions} = setup
  const {quiet} = options
  if (failed(files, options.strict) || !site || !knowledge || !conventions) return finish(files, articles.length, {written: false, upToDate: false}, quiet)

  const {modelSite} = await import('./emit/index.js')
  const model = modelSite(articles, site, knowledge.cameo)
  // Note: once per entity, property and pair of values, however many articles repeat it.
  for (const reason of new Set(model.conflicts.map((conflict) => `Entity \`${conflict.id}\` has two values for \`${conflict.property}\`; kept ${JSON.stringify(conflict.kept)}, dropped ${JSON.stringify(conflict.dropped)}`))) {
    report(buildFile, reason, 'entity-conflict', {fatal: false})
  }
  if (failed(files, options.strict)) return finish(files, articles.length, {written: false, upToDate: false}, quiet)
  let written = false
  try {
    written = await writeChecked(options.out, model, records, buildFile, {jobs: options.jobs ?? 0, reuse: await options.reuse, onProgress: options.onProgress, removal: options.removal}, () => swapped?.(finish(files, articles.length, {written: true, upToDate: false}, quiet)))
  } catch (error) {
    // Note: a system error (disk full, a path through a file, no permission) is the output's, not a bug: a message; out/ is as it was.
    const code = (error as NodeJS.ErrnoException).code
    if (error instanceof OutReplacedError) report(buildFile, error.message, 'out-replaced')
    else if (typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) throw error
    else report(buildFile, `Cannot write the site to \`${options.out}\`: ${(error as Error).message}`, 'out-unwritable')
  }
  return finish(files, articles.length, {written: written && !failed(files, options.strict), upToDate: false}, quiet)
}

/**
 * What a build with a cache knows to reuse outputs: the key of each
 * article's record (by source path), where each article's outputs are in the
 * last build's `out` (when it is intact), and where they go in this one
 * (`ledger`, filled as they are written, for the next build).
 */
export interface Reuse {
  recordKeys: Map<string, string>
  previous: Map<string, ArticleOutputs> | undefined
  ledger: Map<string, ArticleOutputs>
  /** The key of each entity's files (`entityPagesKey`) in the last build's `out` (when it is intact), and in this one, by entity id. */
  previousEntities: Map<string, string> | undefined
  entityLedger: Map<string, string>
  /** How many articles' outputs were reused. */
  reused: number
  /** How many entities' files were reused. */
  reusedEntities: number
  /** Bytes of the files that grow with the corpus copied from the last build (`sameHeads`). */
  copiedBytes: number
  /** The identity of `out` (`directoryIdentity`) when the last build's outputs were found intact there: what is reused must come from it. */
  outIdentity: string | undefined
  /** The keys of the articles' outputs (`outputKeyMaker`): the last build's in this process (`BuildMemory`), if given, then this build's. */
  outputKeys?: OutputKeys
}

/** The reuse counts of a build that reused nothing from the last one (a no-op, a shard, a merge). */
export const nothingReused = {reused: 0, reusedEntities: 0, copiedBytes: 0} as const

/**
 * Emit, check and stage every output as it is produced; swap them in only
 * when every check passed. An article whose outputs are the same as in the
 * last build (same key) gets them from there; with `jobs` > 0 the others are
 * written and checked on a worker pool while this thread does the site-wide
 * files. Returns whether `out` was written.
 */
async function writeChecked(
  out: string,
  model: SiteModel,
  records: Map<ArticleSummary, RecordSource>,
  buildFile: VFile,
  {jobs, reuse, onProgress, removal}: {jobs: number; reuse: Reuse | undefined; onProgress: ((progress: Progress) => void) | undefined; removal: Removal | undefined},
  swapped: () => Promise<AfterSwap> | undefined
): Promise<boolean> {
  const [{checkContexts, rowNumbering}, {checkedPiece, emitInPool}, emit, {contextUrl}, {articleEmissions, outputKeyMaker}, {openReader, reuseArticle, sameHeads}, {entityFiles}] = await Promise.all([
    import('./check.js'),
    import('./emit-pool.js'),
    import('./emit/index.js'),
    import('./emit/events.js'),
    import('./emit/article.js'),
    import('./reuse.js'),
    import('./emit/html-entities.js')
  ])
  const projectContext = {url: contextUrl(model.base), document: model.context}
  const contexts = checkContexts(projectContext)
  const number = rowNumbering()
  const staging = await openStaging(out, stagingLimits, removal)
  const reader = openReader(out)
  /** Bytes written so far to each file, so that the ledger knows where each article's pieces are. */
  const positions = new Map<string, number>()
  let problems = 0
  /** Stage a piece; `written` is called once it is staged: its bytes written, or at once when it has none to write here or a check failed. */
  const put = async (piece: Piece, written?: () => void): Promise<{start: number; length: number}> => {
    for (const problem of number(piece.problems, piece.table, piece.count)) {
      report(buildFile, `${problem.path}: ${problem.reason}`, problem.ruleId)
      problems++
    }
    const {text, copied, range} = piece
    // Note: a copied piece is in place already (`Staging.copyHead`): only where it is is noted.
    if (text === undefined && copied === undefined && range === undefined) {
      written?.()
      return {start: 0, length: 0}
    }
    // Note: a text is encoded once, here: its length is that of its bytes, and its bytes are what is staged.
    const bytes = text === undefined || text instanceof Uint8Array ? text : textBytes(text)
    const start = piece.append ? (positions.get(piece.path) ?? 0) : 0
    const length = copied ?? range?.length ?? bytes!.byteLength
    positions.set(piece.path, start + length)
    // Note: once a check failed nothing will be swapped in; the rest is still checked, to report every problem.
    if (problems > 0) {
      written?.()
      return {start, length}
    }
    if (bytes !== undefined) await staging.write(piece.path, bytes, piece.append, written)
    else {
      if (range !== undefined) await staging.appendRange(piece.path, join(out, piece.path), range.start, range.length)
      written?.()
    }
    return {start, length}
  }
  // Note: pages written so far, for the progress line: each article's, then each entity's.
  let pages = 0
  const total = model.sorted.length + model.entities.length
  const wrote = () => {
    pages++
    onProgress?.({phase: 'writing', done: pages, total})
  }
  const checked = (emission: Emission) => checkedPiece(emission, contexts)
  const context = emit.articleContext(model)
  const {sorted} = model
  const outputKeys = outputKeyMaker(context, reuse?.outputKeys)
  const keys = sorted.map((article, index) => {
    const recordKey = reuse?.recordKeys.get(article.path)
    return recordKey === undefined ? undefined : outputKeys.key(recordKey, article, index === 0)
  })
  if (reuse) reuse.outputKeys = outputKeys.made
  // Note: an entity's files are the same as in the last build when their key is (`entityPagesKey`): linked from there.
  const articleKeys = new Map(sorted.map((article, index) => [article.slug, keys[index]]))
  const reusedEntities: string[] = []
  const entityReuse: EntityReuse | undefined = reuse && {
    articleKey: (slug) => articleKeys.get(slug),
    reuse(id, key) {
      if (key === undefined) return false
      reuse.entityLedger.set(id, key)
      if (reuse.previousEntities?.get(id) !== key) return false
      reusedEntities.push(id)
      return true
    }
  }
  /** The site-wide file being written in pieces (its pieces come one after the other), written out once the next begins: thousands of pages would be held until the commit. */
  let open: string | undefined
  const site = async (emission: Emission) => {
    if (open !== undefined && open !== emission.path) await staging.end(open)
    await put(await checked(emission))
    open = emission.path
    // Note: a page in pieces counts once, at its first.
    if (!emission.append && /^entities\/[^/]+\/index\.html$/.test(emission.path)) wrote()
  }
  const siteFiles = async () => {
    for (const emission of emit.emitSiteFiles(model, entityReuse)) await site(emission)
    if (open !== undefined) await staging.end(open)
    for (const id of reusedEntities) {
      await Promise.all(entityFiles(id).map((path) => staging.reuse(path, join(out, path))))
      wrote()
    }
    if (reuse) reuse.reusedEntities = reusedEntities.length
  }
  /** Write the pieces of the article at `index` (rendered, or reused from the last build) and note where they went; `written` as `emitInPool` gives it. */
  const place = async (index: number, pieces: Piece[], reused: string[] = [], written?: () => void) => {
    const outputs: ArticleOutputs = {key: keys[index] ?? '', files: [...reused], appends: []}
    for (const piece of pieces) {
      const {start, length} = await put(piece, written)
      if (piece.append) outputs.appends.push({path: piece.path, start, length, table: piece.table, count: piece.count})
      else outputs.files.push(piece.path)
    }
    if (keys[index] !== undefined) reuse?.ledger.set(sorted[index]!.slug, outputs)
    wrote()
  }
  /** The outputs of the last build each article reuses (same key), if any. */
  const previous = sorted.map((article, index) => {
    const outputs = reuse?.previous?.get(article.slug)
    return outputs && keys[index] !== undefined && outputs.key === keys[index] ? outputs : undefined
  })
  const reusedIndexes = previous.flatMap((old, index) => (old ? [index] : []))
  if (reuse) reuse.reused = reusedIndexes.length
  const heads = [...emit.emitHeads(model)]
  /** The files that grow with the corpus whose head is the same as in the last build: copied from there, not written again. */
  const same = await sameHeads(heads, previous, reader)
  /** Write the article at `index` here: its outputs of the last build if they are the same, else rendered and checked. */
  const here = async (index: number) => {
    const old = previous[index]
    if (old) return place(index, await reuseArticle(staging, out, old, (path) => index <= (same.get(path)?.through ?? -1)), old.files)
    const summary = sorted[index]!
    let article
    try {
      article = await readRecord(records.get(summary)!, summary.path)
    } catch (error) {
      report(buildFile, (error as Error).message, 'record-unreadable')
      problems++
      return
    }
    const pieces: Piece[] = []
    for (const emission of articleEmissions(context, article, index === 0)) pieces.push(await checked(emission))
    return place(index, pieces)
  }
  try {
    for (const emission of heads) {
      const piece = await checked(emission)
      const head = same.get(piece.path)
      if (!head) {
        await put(piece)
        continue
      }
      // Note: checked all the same; its bytes, and the pieces that follow them, are copied from the last build.
      await put({...piece, text: undefined, copied: head.head})
      if (problems === 0) await staging.copyHead(piece.path, join(out, piece.path), head.length)
      if (reuse) reuse.copiedBytes += head.length
    }
    const rendered = previous.flatMap((old, index) => (old ? [] : [index]))
    let next = 0
    // Note: the files that need no article output are drawn once the emit pool is done, not meanwhile: drawing them (the site's index,
    // the items its pages and feeds share) is when this thread's heap is largest, and beside the emit workers' heaps it made a full
    // build of 10,000 bench articles peak at 1,001 and 1,032 MB; after them, at 935 and 954 MB, its merge no slower (112-119 s against
    // 121-122 s; two runs each, alternating, ad hoc; the same dist/).
    if (jobs > 0 && rendered.length > 1) {
      let handed = 0
      await emitInPool(jobs, {context, projectContext, staging: staging.dir}, rendered.map((index) => ({first: index === 0, record: records.get(sorted[index]!)!, path: sorted[index]!.path})), async (pieces, written) => {
        // Note: the articles reused before this one go first: the site's files grow in slug order.
        const index = rendered[handed++]!
        while (next < index) await here(next++)
        await place(index, pieces, [], written)
        next = index + 1
      })
    }
    const rest = async () => {
      while (next < sorted.length) await here(next++)
    }
    // Note: placing reused outputs is partly waiting (links, folders, copies in libuv's pool): the site files are drawn meanwhile.
    const drawnMeanwhile = reusedIndexes.length > 0
    if (drawnMeanwhile) await allSettled([rest(), siteFiles()])
    else await rest()
    for (const emission of emit.emitTails(model)) await put(await checked(emission))
    if (!drawnMeanwhile) await siteFiles()
    // Note: closed before the swap moves the last build's files away.
    await reader.close()
    if (problems > 0) return false
    // Note: what was taken from `out` must still be there: a build that swapped its outputs in meanwhile fails this one.
    const tookFromOut = reuse !== undefined && (reuse.reused > 0 || reuse.reusedEntities > 0 || reuse.copiedBytes > 0)
    // Note: begun here, every check passed: what it does before the swap goes on while the staged files settle.
    const after = await swapped()
    try {
      await staging.commit(after && (() => after.run()), tookFromOut ? reuse.outIdentity : undefined)
    } catch (error) {
      await after?.drop()
      throw error
    }
    return true
  } finally {
    await reader.close()
    await staging.discard()
  }
}

/** Wait for every task, then throw the first failure: none is left running while the staging directory is discarded. */
async function allSettled(tasks: Array<Promise<unknown>>): Promise<void> {
  const failure = (await Promise.allSettled(tasks)).find((result) => result.status === 'rejected')
  if (failure) throw failure.reason
}

/**
 * The summary of a build or merge: its files with their messages (those kept
 * as data put on them) and the counts. With `quiet` (the caller shows no
 * infos), a file whose messages are all infos kept as data is left out, and
 * its messages counted: not made messages (137,000 suggestions at 10,000
 * bench articles took 0.6 s, and the most memory at the end of a rebuild).
 */
export function finish<T extends object>(files: VFile[], articles: number, rest: T, quiet = false): {files: VFile[]; articles: number; errors: number; warnings: number; infos: number} & T {
  let hidden = 0
  const shown = quiet
    ? files.filter((file) => {
        const infos = deferredOnly(file)
        if (infos) hidden += messageCount(infos)
        return !infos
      })
    : files
  restoreDeferred(shown)
  for (const file of shown) file.messages.sort(byPlace)
  const counts = count(shown)
  return {files: shown, articles, ...counts, infos: counts.infos + hidden, ...rest}
}

function byPlace(a: VFileMessage, b: VFileMessage): number {
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0)
}

export function failed(files: VFile[], strict: boolean | undefined): boolean {
  return files.some((file) => file.messages.some((message) => message.fatal === true || (strict && message.fatal === false)))
}

function count(files: VFile[]): {errors: number; warnings: number; infos: number} {
  let errors = 0
  let warnings = 0
  let infos = 0
  for (const file of files) {
    for (const message of file.messages) {
      if (message.fatal === true) errors++
      else if (message.fatal === false) warnings++
      else infos++
    }
  }
  return {errors, warnings, infos}
}
