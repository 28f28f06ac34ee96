// Publish: the cross-article steps of a build or a merge: link → model → emit → check → write, and the summary of the messages.
import type {VFile} from 'vfile'
import type {VFileMessage} from 'vfile-message'
import type {Conventions} from './conventions.js'
import type {Site} from './config.js'
import type {SiteModel} from './emit/index.js'
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
  options: {out: string; source: string; strict?: boolean; cwd?: string},
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
  const written = await writeChecked(options.out, model, buildFile, async () => swapped?.(finish(files, articles.length, {written: true, upToDate: false}))())
  return finish(files, articles.length, {written: written && !failed(files, options.strict), upToDate: false})
}

/**
 * Emit, check and stage every output as it is produced; swap them in only
 * when every check passed. Returns whether `out` was written.
 */
async function writeChecked(out: string, model: SiteModel, buildFile: VFile, swapped: () => Promise<void>): Promise<boolean> {
  const [{createChecker}, {emitOutputs}, {contextUrl}] = await Promise.all([import('./check.js'), import('./emit/index.js'), import('./emit/events.js')])
  const check = createChecker({url: contextUrl(model.base), document: model.context})
  const staging = await openStaging(out)
  try {
    let problems = 0
    for (const emission of emitOutputs(model)) {
      for (const problem of await check(emission)) {
        report(buildFile, `${problem.path}: ${problem.reason}`, problem.ruleId)
        problems++
      }
      // Note: once a check failed nothing will be swapped in; the rest is still checked, to report every problem.
      if (problems === 0) await staging.write(emission.path, emission.text, emission.append)
    }
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
