// Site configuration: source/site.yaml, validated like frontmatter.
import type {VFile} from 'vfile'
import {validateSiteValue} from './schemas.js'
import {parseYamlFile} from './yaml-data.js'

/** The site that publishes dist/. */
export interface Site {
  title: string
  description: string
  language: string
  /** Absolute URL of dist/, ending in `/`. */
  baseUrl: string
  /** Version of the published data (the data package's `version`). */
  version: string
}

/** Defaults for keys `site.yaml` may leave out. */
export const siteDefaults: Site = {
  title: 'newsgraph',
  description: 'News articles published as linked data.',
  language: 'en',
  baseUrl: 'https://newsgraph.example/',
  version: '1.0.0'
}

/** Parse and validate a `site.yaml` file; messages go on `file`. */
export function parseSite(file: VFile): Partial<Site> | undefined {
  return parseYamlFile(file, validateSiteValue, 'config')?.value as Partial<Site> | undefined
}

/** Check a `--base-url` value: an absolute http(s) URL; a missing final slash is added. */
export function normalizeBaseUrl(value: string): string | undefined {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return undefined
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash) return undefined
  const href = url.href
  return href.endsWith('/') ? href : `${href}/`
}
