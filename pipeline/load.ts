// Load stage: the site, conventions and knowledge files of a source directory (newsgraph's own for those it lacks).
import {join} from 'node:path'
import type {VFile} from 'vfile'
import {normalizeBaseUrl, parseSite, siteDefaults, type Site} from './config.js'
import {parseConventions, type Conventions} from './conventions.js'
import {parseCameo, parseEventLexicon, type CameoTable, type EventLexicon} from './knowledge/events.js'
import {parseLexicon, parseRegistry, type NameLexicon} from './knowledge/registry.js'
import {report} from './message.js'
import {knowledgePaths} from './inputs.js'
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


/**
 * The registry (`entities.yaml`), name lexicon (`lexicons/names.yaml`), CAMEO
 * table (`cameo.yaml`) and event lexicon (`lexicons/events.yaml`) of the
 * source directory, or newsgraph's own for each it lacks. Their files (with
 * any message) are added to `files`.
 */
export async function loadKnowledgeFiles(source: string, files: VFile[]): Promise<KnowledgeFiles | undefined> {
  const [registryFile, lexiconFile, cameoFile, eventsFile] = await Promise.all(knowledgePaths.map((path) => readKnowledgeFile(source, ...path)))
  files.push(registryFile!, lexiconFile!, cameoFile!, eventsFile!)
  const registry = parseRegistry(registryFile!)
  const lexicon = parseLexicon(lexiconFile!)
  const cameo = parseCameo(cameoFile!)
  const events = cameo ? parseEventLexicon(eventsFile!, cameo) : undefined
  return registry && lexicon && cameo && events ? {registry, lexicon, cameo, events} : undefined
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
