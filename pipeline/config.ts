// Site configuration: source/site.yaml, validated like frontmatter.
import type {VFile} from 'vfile'
import {LineCounter, parseDocument} from 'yaml'
import {report} from './message.js'
import {validateSiteValue} from './schemas.js'
import {reportSchemaErrors} from './validate.js'

/** The site that publishes dist/. */
export interface Site {
  title: string
  description: string
  language: string
  /** Absolute URL of dist/, ending in `/`. */
  baseUrl: string
}

/** Defaults for keys `site.yaml` may leave out. */
export const siteDefaults: Site = {
  title: 'newsgraph',
  description: 'News articles published as linked data.',
  language: 'en',
  baseUrl: 'https://newsgraph.example/'
}

/** Parse and validate a `site.yaml` file; messages go on `file`. */
export function parseSite(file: VFile): Partial<Site> | undefined {
  const lineCounter = new LineCounter()
  const document = parseDocument(String(file), {lineCounter, uniqueKeys: true, prettyErrors: false, strict: true})
  for (const error of document.errors) {
    report(file, `Unexpected invalid YAML: ${error.message.split('\n')[0]}`, 'config-yaml', {offset: error.pos[0]})
  }
  if (document.errors.length > 0) return undefined
  const value: unknown = document.toJS({maxAliasCount: 50})
  if (!validateSiteValue(value)) {
    reportSchemaErrors(file, {document, lineCounter, offset: 0}, validateSiteValue.errors ?? [], 'config')
    return undefined
  }
  return value as Partial<Site>
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
