// Build: read source/ → process each article → link → emit → check → write dist/ atomically.
import {join} from 'node:path'
import {VFile} from 'vfile'
import type {VFileMessage} from 'vfile-message'
import {createChecker} from './check.js'
import {normalizeBaseUrl, parseSite, siteDefaults, type Site} from './config.js'
import {contextUrl} from './emit/events.js'
import {emitOutputs, modelSite, type SiteModel} from './emit/index.js'
import {linkArticles} from './link.js'
import {hasErrors, report} from './message.js'
import {parseConventions} from './conventions.js'
import {createKnowledge, type Knowledge} from './knowledge/index.js'
import {parseCameo, parseEventLexicon} from './knowledge/events.js'
import {parseLexicon, parseRegistry} from './knowledge/registry.js'
import {packagePath} from './paths.js'
import {createArticleProcessor, processArticle} from './process.js'
import {listArticles, readOptional, readSource} from './read.js'
import type {Article} from './types.js'
import {openStaging, unsafeOutDir} from './write.js'

/** Options of `build`. */
export interface BuildOptions {
  /** Directory of the sources (articles, `site.yaml`). */
  source: string
  /** Output directory, replaced whole on success. */
  out: string
  /** Base URL of the site; overrides `site.yaml`. */
  baseUrl?: string
  /** Treat warnings as errors. */
  strict?: boolean
  /** Working directory, for the output safety check. */
  cwd?: string
}

/** Result of `build`. */
export interface BuildResult {
  /** Informational messages (entity suggestions). */
  infos: number
  /** Every file with messages: sources, `site.yaml`, and a file for the build itself. */
  files: VFile[]
  articles: number
  errors: number
  warnings: number
  /** Whether `out` was written. */
  written: boolean
}

/** Build the site. Never throws on bad input: problems are messages on `files`. */
export async function build(options: BuildOptions): Promise<BuildResult> {
  const buildFile = new VFile({path: options.source})
  const files: VFile[] = [buildFile]
  const site = await loadSite(options, files, buildFile)

  let paths: string[] = []
  try {
    paths = await listArticles(options.source)
  } catch (error) {
    report(buildFile, `Cannot read source directory: ${(error as Error).message}`, 'source-unreadable')
  }
  if (paths.length === 0 && !hasErrors(buildFile)) report(buildFile, 'Unexpected source directory without articles, expected `.md` files', 'source-empty', {fatal: false})

  const knowledge = await loadKnowledge(options.source, files)
  const conventionsFile = (await readOptional(join(options.source, 'conventions.yaml'))) ?? (await readSource(packagePath('source', 'conventions.yaml')))
  files.push(conventionsFile)
  const conventions = parseConventions(conventionsFile)
  const articles: Article[] = []
  if (knowledge && conventions && site) {
    const processor = createArticleProcessor(knowledge, {conventions, site})
    for (const path of paths) {
      const file = await readSource(path)
      files.push(file)
      try {
        const article = await processArticle(file, processor, knowledge)
        if (article) articles.push(article)
      } catch (error) {
        // Note: a defect must not crash the build or hide the other articles' messages.
        report(file, `Internal error while reading this article: ${(error as Error).message}; please report it`, 'internal-error')
      }
    }
  }
  linkArticles(articles, files)

  const outProblem = unsafeOutDir(options.out, options.source, options.cwd ?? process.cwd())
  if (outProblem) report(buildFile, `Unexpected output directory \`${options.out}\`: ${outProblem}, expected a directory of its own`, 'out-unsafe')

  const result = (written: boolean): BuildResult => {
    for (const file of files) file.messages.sort(byPlace)
    return {files, articles: articles.length, ...count(files), written}
  }
  if (failed(files, options.strict) || !site || !knowledge) return result(false)

  const model = modelSite(articles, site, knowledge.cameo)
  for (const conflict of model.conflicts) {
    report(buildFile, `Entity \`${conflict.id}\` has two values for \`${conflict.property}\`; kept ${JSON.stringify(conflict.kept)}, dropped ${JSON.stringify(conflict.dropped)}`, 'entity-conflict', {fatal: false})
  }
  if (failed(files, options.strict)) return result(false)
  const written = await writeChecked(options.out, model, buildFile)
  if (!written || failed(files, options.strict)) return result(false)
  return result(true)
}

/**
 * Emit, check and stage every output as it is produced; swap them in only
 * when every check passed. Returns whether `out` was written.
 */
async function writeChecked(out: string, model: SiteModel, buildFile: VFile): Promise<boolean> {
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
    await staging.commit()
    return true
  } finally {
    await staging.discard()
  }
}

/**
 * The registry (`entities.yaml`), name lexicon (`lexicons/names.yaml`), CAMEO
 * table (`cameo.yaml`) and event lexicon (`lexicons/events.yaml`) of the
 * source directory, or newsgraph's own for each it lacks.
 */
async function loadKnowledge(source: string, files: VFile[]): Promise<Knowledge | undefined> {
  const read = async (...path: string[]) => (await readOptional(join(source, ...path))) ?? (await readSource(packagePath('source', ...path)))
  const [registryFile, lexiconFile, cameoFile, eventsFile] = await Promise.all([read('entities.yaml'), read('lexicons', 'names.yaml'), read('cameo.yaml'), read('lexicons', 'events.yaml')])
  files.push(registryFile, lexiconFile, cameoFile, eventsFile)
  const registry = parseRegistry(registryFile)
  const lexicon = parseLexicon(lexiconFile)
  const cameo = parseCameo(cameoFile)
  const events = cameo ? parseEventLexicon(eventsFile, cameo) : undefined
  return registry && lexicon && cameo && events ? createKnowledge(registry, lexicon, cameo, events) : undefined
}

async function loadSite(options: BuildOptions, files: VFile[], buildFile: VFile): Promise<Site | undefined> {
  const file = await readOptional(join(options.source, 'site.yaml'))
  let declared: Partial<Site> = {}
  if (file) {
    files.push(file)
    const parsed = parseSite(file)
    if (!parsed) return undefined
    declared = parsed
  }
  if (options.baseUrl !== undefined) {
    const baseUrl = normalizeBaseUrl(options.baseUrl)
    if (!baseUrl) {
      report(buildFile, `Unexpected base URL \`${options.baseUrl}\`, expected an absolute http(s) URL such as \`https://example.org/news/\``, 'config-base-url')
      return undefined
    }
    return {...siteDefaults, ...declared, baseUrl}
  }
  if (!file) report(buildFile, `No \`site.yaml\` in the source directory and no \`--base-url\`: using \`${siteDefaults.baseUrl}\``, 'config-missing', {fatal: false})
  return {...siteDefaults, ...declared}
}

function byPlace(a: VFileMessage, b: VFileMessage): number {
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0)
}

function failed(files: VFile[], strict: boolean | undefined): boolean {
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
