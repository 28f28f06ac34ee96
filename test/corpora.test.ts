// Real Markdown from elsewhere: the 18F blog (Jekyll) and MEANTIME (Wikinews) build as they are.
import {readdir} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {build} from '../pipeline/build.js'
import {readTree, shared, temporaryDirectory} from './helpers.js'

async function buildCorpus(name: string) {
  const source = join(shared, 'corpora', name)
  const out = join(await temporaryDirectory(), 'dist')
  const result = await build({source, out, baseUrl: `https://example.org/${name}/`, cwd: dirname(out)})
  const files = (await readdir(source)).filter((file) => file.endsWith('.md'))
  const messages = result.files.flatMap((file) => file.messages)
  return {result, out, files, messages}
}

describe('real corpora', () => {
  it('builds the 509 posts of the 18F blog, reading Jekyll frontmatter with positioned warnings', async () => {
    const {result, out, files, messages} = await buildCorpus('18f-blog')
    expect(files).toHaveLength(509)
    expect(messages.filter((message) => message.fatal === true).map(String)).toEqual([])
    expect(result).toMatchObject({written: true, articles: 509, errors: 0})
    // What the corpus cannot give as newsgraph expects is said, at a place, never silently dropped.
    const warnings = new Set(messages.filter((message) => message.fatal === false).map((message) => message.ruleId))
    expect([...warnings].sort()).toEqual(['date-assumed-timezone', 'date-from-filename', 'entity-conflict', 'frontmatter-ignored', 'frontmatter-yaml-lenient', 'quote-source-missing'])
    for (const message of messages) expect(message.line, String(message)).toBeGreaterThanOrEqual(1)
    const tree = await readTree(out)
    expect([...tree.keys()].filter((path) => path.startsWith('articles/') && path.endsWith('.jsonld'))).toHaveLength(509)
    expect(tree.get('data/articles.csv')!.split('\r\n').filter(Boolean)).toHaveLength(510)
  }, 180_000)

  it('builds the 121 MEANTIME articles, taking title and date from the heading and the dateline', async () => {
    const {result, files, messages} = await buildCorpus('meantime')
    expect(files).toHaveLength(121)
    expect(messages.filter((message) => message.fatal === true).map(String)).toEqual([])
    expect(result).toMatchObject({written: true, articles: 121, errors: 0})
    const warnings = messages.filter((message) => message.fatal === false)
    expect(new Set(warnings.map((message) => message.ruleId))).toEqual(new Set(['title-from-heading', 'date-from-dateline', 'author-missing']))
    expect(warnings).toHaveLength(3 * 121)
  }, 120_000)
})
