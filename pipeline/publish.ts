// Publish: the cross-article steps of a build or a merge: link → model → emit → check → write, and the summary of the messages.
import type {VFile} from 'vfile'
import type {VFileMessage} from 'vfile-message'
import type {Conventions} from './conventions.js'
import type {Site} from './config.js'
import type {OutputProblem} from './check.js'
import type {Emission, SiteModel, TablePath} from './emit/index.js'
import type {KnowledgeFiles} from './load.js'
import {report} from './message.js'
import type {Article} from './types.js'
import {openStaging, unsafeOutDir} from './write.js'

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

/** Everything loaded before the articles: the site, the knowledge files and conventions, and the hash of the stage's inputs. */
export interface Setup {
  site: Site | undefined
  knowledge: KnowledgeFiles | undefined
  conventions: Conventions | undefined
  inputsHash: string
}

/** The cross-article steps: link, model, emit, check and write; nothing is written when a step fails. */
export async function linkAndWrite(
  articles: Article[],
  files: VFile[],
  buildFile: VFile,
  setup: Setup,
  options: {out: string; source: string; strict?: boolean; cwd?: string; jobs?: number},
  swapped?: (result: Summary) => () => Promise<void>
): Promise<Summary> {
  const {linkArticles} = await import('./link.js')
  linkArticles(articles, files)
  const outProblem = unsafeOutDir(options.out, options.source, options.cwd ?? process.cwd())
  if (outProblem) report(buildFile, `Unexpected output directory \`${options.out}\`: ${outProblem}, expected a directory of its own`, 'out-unsafe')
  const {site, knowledge, conventions} = setup
  if (failed(files, options.strict) || !site || !knowledge || !conventions) return finish(files, articles.length, {written: false, upToDate: false})

  const {modelSite} = await import('./emit/index.js')
  const model = modelSite(articles, site, knowledge.cameo)
  for (const conflict of model.conflicts) {
    report(buildFile, `Entity \`${conflict.id}\` has two values for \`${conflict.property}\`; kept ${JSON.stringify(conflict.kept)}, dropped ${JSON.stringify(conflict.dropped)}`, 'entity-conflict', {fatal: false})
  }
  if (failed(files, options.strict)) return finish(files, articles.length, {written: false, upToDate: false})
  const written = await writeChecked(options.out, model, buildFile, options.jobs ?? 1, async () => swapped?.(finish(files, articles.length, {written: true, upToDate: false}))())
  return finish(files, articles.length, {written: written && !failed(files, options.strict), upToDate: false})
}

/**
 * Emit, check and stage every output as it is produced; swap them in only
 * when every check passed. With `jobs` > 1 the outputs of the articles are
 * written and checked on a worker pool while this thread does the site-wide
 * files. Returns whether `out` was written.
 */
async function writeChecked(out: string, model: SiteModel, buildFile: VFile, jobs: number, swapped: () => Promise<void>): Promise<boolean> {
  const [{checkContexts, checkEmission, rowNumbering}, emit, {contextUrl}] = await Promise.all([import('./check.js'), import('./emit/index.js'), import('./emit/events.js')])
  const {articleEmissions} = await import('./emit/article.js')
  const projectContext = {url: contextUrl(model.base), document: model.context}
  const contexts = checkContexts(projectContext)
  const number = rowNumbering()
  const staging = await openStaging(out)
  let problems = 0
  const put = async (piece: {path: string; text?: string; append?: boolean; table?: TablePath; count: number; problems: OutputProblem[]}) => {
    for (const problem of number(piece.problems, piece.table, piece.count)) {
      report(buildFile, `${problem.path}: ${problem.reason}`, problem.ruleId)
      problems++
    }
    // Note: once a check failed nothing will be swapped in; the rest is still checked, to report every problem.
    if (problems === 0 && piece.text !== undefined) await staging.write(piece.path, piece.text, piece.append)
  }
  const emitted = async (emission: Emission) => put({...emission, table: emission.rows?.table, count: emission.rows?.records.length ?? 0, problems: await checkEmission(emission, contexts)})
  try {
    for (const emission of emit.emitHeads(model)) await emitted(emission)
    const context = emit.articleContext(model)
    let done = 0
    let siteFiles = false
    if (jobs > 1 && model.sorted.length > 1) {
      const {emitInPool} = await import('./emit-pool.js')
      const pool = emitInPool(jobs, {context, projectContext, staging: staging.dir}, model.sorted, async (pieces) => {
        for (const piece of pieces) await put(piece)
      })
      // Note: meanwhile, the files that need no article output are written here.
      for (const emission of emit.emitSiteFiles(model)) await emitted(emission)
      siteFiles = true
      done = await pool
    }
    for (const [index, article] of model.sorted.entries()) {
      if (index >= done) for (const emission of articleEmissions(context, article, index === 0)) await emitted(emission)
    }
    for (const emission of emit.emitTails(model)) await emitted(emission)
    if (!siteFiles) for (const emission of emit.emitSiteFiles(model)) await emitted(emission)
    if (problems > 0) return false
    await staging.commit(swapped)
    return true
  } finally {
    await staging.discard()
  }
}

export function finish<T extends object>(files: VFile[], articles: number, rest: T): {files: VFile[]; articles: number; errors: number; warnings: number; infos: number} & T {
  for (const file of files) file.messages.sort(byPlace)
  return {files, articles, ...count(files), ...rest}
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
