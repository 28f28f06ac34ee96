// Stable identifiers: slugs, and the @ids of every node under the site's base URL.
import {createHash} from 'node:crypto'

/** Turn a name into a slug: lowercase ASCII letters, digits and single hyphens. */
export function slugify(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 200)
    .replace(/-+$/, '')
}

/** Id of a named entity: its slug, or a hash of the name when it has no ASCII letters. */
export function nameId(name: string): string {
  const slug = slugify(name)
  return slug === '' ? `name-${createHash('sha256').update(name.normalize('NFC')).digest('hex').slice(0, 12)}` : slug
}

/** URL of an article's page in dist/. */
export function articlePageUrl(baseUrl: string, slug: string): string {
  return `${baseUrl}articles/${slug}/`
}

/** @id of an article. */
export function articleId(baseUrl: string, slug: string): string {
  return `${articlePageUrl(baseUrl, slug)}#article`
}

/** @id of the n-th (0-based) quotation of an article. */
export function quotationId(baseUrl: string, slug: string, index: number): string {
  return `${articlePageUrl(baseUrl, slug)}#quote-${index + 1}`
}

/** @id of a source an article quotes. */
export function sourceNodeId(baseUrl: string, slug: string, sourceId: string): string {
  return `${articlePageUrl(baseUrl, slug)}#source-${sourceId}`
}

/** @id of an entity (person, organization, place …) shared by all articles. */
export function entityNodeId(baseUrl: string, id: string): string {
  return `${baseUrl}entities/${id}/#entity`
}
