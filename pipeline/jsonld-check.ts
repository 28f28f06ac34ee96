// JSON-LD check: expand documents offline with jsonld.js in safe mode.
import jsonld from 'jsonld'

/**
 * The schema.org context as newsgraph resolves it offline: schema.org's
 * `@vocab`, and the term definitions (with their type coercions) of every
 * property newsgraph emits, as schema.org's published context defines them.
 * Note: `@vocab` maps any other key too, so a misspelt property passes
 * expansion; the JSON Schemas in schemas/ catch those.
 */
export const schemaOrgContextDocument = {
  '@context': {
    '@vocab': 'http://schema.org/',
    schema: 'http://schema.org/',
    id: '@id',
    type: '@type',
    url: {'@id': 'schema:url', '@type': '@id'},
    sameAs: {'@id': 'schema:sameAs', '@type': '@id'},
    mainEntityOfPage: {'@id': 'schema:mainEntityOfPage', '@type': '@id'},
    isBasedOn: {'@id': 'schema:isBasedOn', '@type': '@id'},
    isPartOf: {'@id': 'schema:isPartOf', '@type': '@id'},
    logo: {'@id': 'schema:logo', '@type': '@id'},
    datePublished: {'@id': 'schema:datePublished', '@type': 'Date'},
    dateModified: {'@id': 'schema:dateModified', '@type': 'Date'},
    startDate: {'@id': 'schema:startDate', '@type': 'Date'},
    endDate: {'@id': 'schema:endDate', '@type': 'Date'},
    inCodeSet: {'@id': 'schema:inCodeSet', '@type': '@id'}
  }
} as const

/** Context URLs served from memory; every other URL is refused. */
export const localContexts = new Map<string, unknown>(
  ['https://schema.org', 'https://schema.org/', 'http://schema.org', 'http://schema.org/', 'https://schema.org/docs/jsonldcontext.jsonld'].map(
    (url) => [url, schemaOrgContextDocument]
  )
)

/** Document loader for jsonld.js that never touches the network: schema.org's context, and `extra` (the project's). */
export function createDocumentLoader(extra: Map<string, unknown> = new Map()) {
  return async function (url: string) {
    const document = localContexts.get(url) ?? extra.get(url)
    if (document === undefined) throw new Error(`Refusing to load \`${url}\`: newsgraph resolves only local contexts`)
    return {contextUrl: undefined, documentUrl: url, document: structuredClone(document)}
  }
}

/** Document loader that serves schema.org's context only. */
export const documentLoader = createDocumentLoader()

/** Expand a document in safe mode, offline; rejects when jsonld.js would drop or misread data. */
export async function expandSafe(document: object, extra?: Map<string, unknown>): Promise<object[]> {
  const loader = extra ? createDocumentLoader(extra) : documentLoader
  return (await jsonld.expand(document as jsonld.JsonLdDocument, {documentLoader: loader, safe: true} as unknown as jsonld.Options.Expand)) as object[]
}
