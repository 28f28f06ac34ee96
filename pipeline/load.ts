// Load stage: the site, conventions and knowledge files of a source directory (newsgraph's own for those it lacks).
import {join} from 'node:path'
import type {VFile} from 'vfile'
import {normalizeBaseUrl, parseSite, siteDefaults, type Site} from './config.js'
import {parseConventions, type Conventions} from './conventions.js'
import type {CameoTable, EventLexicon} from './knowledge/events.js'
import type {NameLexicon} from './knowledge/registry.js'
import {report} from './message.js'
import {knowledgePaths} from './inputs.js'
import {keepValue, keptKey, readKept} from './kept.js'
import {packagePath} from './paths.js'
import {readOptional, readSource} from './read.js'
import type {KnownEntity} from './types.js'

/** The knowledge files, parsed and validated, before the (costly) indexing of `createKnowledge`. */
export interface KnowledgeFiles {
  registry: KnownEntity[]
  lexicon: NameLexicon
  cameo: CameoTable
  events: EventLexicon
}

/** A file of the source directory, or newsgraph's own when the source has none. */
export async function readKnowledgeFile(source: string, ...path: string[]): Promise<VFile> {
  return (await readOptional(join(source, ...path))) ?? (await readSource(packagePath('source', ...path)))
}


/** Where a build with a cache keeps what it parsed of the knowledge files (`loadKnowledgeFiles`): the cache directory, and the pipeline's version (`pipelineVersion`). */
export interface KnowledgeSnapshot {
  dir: string
  version: string
}

/** The format of a snapshot of the knowledge files: changed whenever what it holds changes shape. */
const snapshotFormat = 1

/**
 * The registry (`entities.yaml`), name lexicon (`lexicons/names.yaml`), CAMEO
 * table (`cameo.yaml`) and event lexicon (`lexicons/events.yaml`) of the
 * source directory, or newsgraph's own for each it lacks. Their files (with
 * any message) are added to `files`. With `snapshot`, what was parsed of
 * files without a message is kept in the cache (`knowledge/files-<key>.v8`,
 * V8's serialization: the event lexicon's triggers are keys of one map and
 * items of another), under a key of their paths and contents and the
 * pipeline's version (`keptKey`), and read back from there the next time.
 * Note: parsed, they took a build 0.4 s (YAML with the positions of every
 * value, and the forms of the event triggers, conjugated by compromise,
 * whose import took 0.25 s more).
 */
export async function loadKnowledgeFiles(source: string, files: VFile[], snapshot?: KnowledgeSnapshot): Promise<KnowledgeFiles | undefined> {
  const read = await Promise.all(knowledgePaths.map((path) => readKnowledgeFile(source, ...path)))
  const [registryFile, lexiconFile, cameoFile, eventsFile] = read as [VFile, VFile, VFile, VFile]
  files.push(...read)
  const kept = snapshot && join(snapshot.dir, 'knowledge', `files-${keptKey([`files-${snapshotFormat}`, snapshot.version, ...read.flatMap((file) => [file.path, String(file.value)])])}.v8`)
  const known = kept === undefined ? undefined : readKept<KnowledgeFiles>(kept)
  if (known) return known
  // Note: imported only to parse: the event lexicon's parser imports compromise.
  const [{parseCameo, parseEventLexicon}, {parseLexicon, parseRegistry}] = await Promise.all([import('./knowledge/events.js'), import('./knowledge/registry.js')])
  const registry = parseRegistry(registryFile)
  const lexicon = parseLexicon(lexiconFile)
  const cameo = parseCameo(cameoFile)
  const events = cameo ? parseEventLexicon(eventsFile, cameo) : undefined
  const parsed = registry && lexicon && cameo && events ? {registry, lexicon, cameo, events} : undefined
  // Note: files with a message are parsed each time, so that each build reports it.
  if (parsed && kept !== undefined && read.every((file) => file.messages.length === 0)) keepValue(kept, parsed)
  return parsed
}

/** `conventions.yaml` of the source directory, or newsgraph's; its file goes to `files`. */
export async function loadConventions(source: string, files: VFile[]): Promise<Conventions | undefined> {
  const file = await readKnowledgeFile(source, 'conventions.yaml')
  files.push(file)
  return parseConventions(file)
}

/** `site.yaml` of the source directory with `--base-url` applied; problems go on `buildFile`. */
export async function loadSite(source: string, baseUrl: string | undefined, files: VFile[], buildFile: VFile): Promise<Site | undefined> {
  const file = await readOptional(join(source, 'site.yaml'))
  let declared: Partial<Site> = {}
  if (file) {
    files.push(file)
    const parsed = parseSite(file)
    if (!parsed) return undefined
    declared = parsed
  }
  if (baseUrl !== undefined) {
    const normalized = normalizeBaseUrl(baseUrl)
    if (!normalized) {
      report(buildFile, `Unexpected base URL \`${baseUrl}\`, expected an absolute http(s) URL such as \`https://example.org/news/\``, 'config-base-url')
      return undefined
    }
    return {...siteDefaults, ...declared, baseUrl: normalized}
  }
  if (!file) report(buildFile, `No \`site.yaml\` in the source directory and no \`--base-url\`: using \`${siteDefaults.baseUrl}\``, 'config-missing', {fatal: false})
  return {...siteDefaults, ...declared}
}
