// Every message a source can produce, asserted as compiler-style strings.
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {batches} from '../pipeline/batches.js'
import {formatMessage, reportBatch, writeReport} from '../pipeline/message.js'
import {article, buildTree} from './helpers.js'

async function messagesFor(contents: string, name = 'a.md'): Promise<string[]> {
  const {messages, result} = await buildTree({[`articles/${name}`]: contents})
  if (messages.some((message) => message.includes(': error: '))) expect(result.written).toBe(false)
  return messages
}

describe('frontmatter messages', () => {
  it('accepts a minimal valid article without messages', async () => {
    const {messages, result} = await buildTree({'articles/a.md': article()})
    expect(messages).toEqual([])
    expect(result.written).toBe(true)
  })

  it('reports an article without frontmatter at 1:1', async () => {
    expect(await messagesFor('# Just a heading\n')).toEqual([
      'articles/a.md:1:1: error: Unexpected article without frontmatter, expected a `---` YAML block at the start of the file  frontmatter-missing'
    ])
  })

  it('reports invalid YAML at the offending line and column', async () => {
    const messages = await messagesFor('---\ntitle: A\nurl: [unclosed\n---\nBody.\n')
    expect(messages).toHaveLength(1)
    expect(messages[0]).toMatch(/^articles\/a\.md:3:\d+: error: Unexpected invalid YAML: .+ {2}frontmatter-yaml$/)
  })

  it('reports a duplicate YAML key at the second key', async () => {
    const messages = await messagesFor(article({frontmatter: 'title: Again'}))
    expect(messages).toHaveLength(1)
    expect(messages[0]).toMatch(/^articles\/a\.md:11:1: error: Unexpected invalid YAML: Map keys must be unique {2}frontmatter-yaml$/)
  })

  it('reports a missing required field at the start of the frontmatter', async () => {
    expect(await messagesFor(article({omit: ['title']}))).toEqual([
      'articles/a.md:2:1: error: Missing required field `title`, expected it in the frontmatter  frontmatter-required'
    ])
  })

  it('reports a missing nested field at its parent', async () => {
    const messages = await messagesFor(article({omit: ['author'], frontmatter: 'author:\n  url: https://example.org/ada'}))
    expect(messages).toEqual(['articles/a.md:10:3: error: Missing required field `author.name`, expected it in `author`  frontmatter-required'])
  })

  it('reports an unknown field at its key, listing the known ones', async () => {
    const messages = await messagesFor(article({frontmatter: 'titel: Typo'}))
    expect(messages).toHaveLength(1)
    expect(messages[0]).toMatch(/^articles\/a\.md:11:1: error: Unexpected unknown field `titel`, expected one of `title`, `slug`, `url`.* {2}frontmatter-unknown$/)
  })

  it('reports an unknown field inside a list item at that item', async () => {
    const messages = await messagesFor(article({frontmatter: 'sources:\n  - id: wire\n    type: NewsArticle\n    name: A wire report\n    pubisher: AP'}))
    expect(messages).toHaveLength(1)
    expect(messages[0]).toMatch(/^articles\/a\.md:15:5: error: Unexpected unknown field `sources\.0\.pubisher`, expected one of .* {2}frontmatter-unknown$/)
  })

  it('reports a wrong type at the value', async () => {
    expect(await messagesFor(article({omit: ['title'], frontmatter: 'title: 42'}))).toEqual([
      'articles/a.md:10:8: error: Unexpected number for `title`, expected string  frontmatter-type'
    ])
  })

  it('reports a list where a mapping is expected', async () => {
    expect(await messagesFor(article({omit: ['publisher'], frontmatter: 'publisher:\n  - Example News'}))).toEqual([
      'articles/a.md:10:3: error: Unexpected list for `publisher`, expected object  frontmatter-type'
    ])
  })

  it('reports a date-time without a time zone', async () => {
    expect(await messagesFor(article({omit: ['datePublished'], frontmatter: 'datePublished: 2020-02-03T10:00:00'}))).toEqual([
      'articles/a.md:10:16: error: Unexpected date `2020-02-03T10:00:00` without time zone for `datePublished`, expected a date-time with an offset such as `2021-03-10T09:30:00-05:00`  date-missing-timezone'
    ])
  })

  it('reports a bare date as missing its time zone', async () => {
    const messages = await messagesFor(article({omit: ['datePublished'], frontmatter: 'datePublished: 2020-02-03'}))
    expect(messages).toEqual([expect.stringContaining('articles/a.md:10:16: error: Unexpected date `2020-02-03` without time zone')])
  })

  it('reports an impossible date', async () => {
    const messages = await messagesFor(article({omit: ['datePublished'], frontmatter: 'datePublished: "2021-02-30T10:00:00Z"'}))
    expect(messages).toEqual([
      'articles/a.md:10:16: error: Unexpected value `2021-02-30T10:00:00Z` for `datePublished`, expected an ISO 8601 date-time with an offset  frontmatter-format'
    ])
  })

  it('reports a relative URL', async () => {
    expect(await messagesFor(article({omit: ['url'], frontmatter: 'url: /a-test-article'}))).toContain(
      'articles/a.md:10:6: error: Unexpected value `/a-test-article` for `url`, expected an absolute URL  frontmatter-format'
    )
  })

  it('reports a source with an unknown type and an empty name', async () => {
    const messages = await messagesFor(article({frontmatter: 'sources:\n  - id: wire\n    type: Tweet\n    name: ""'}))
    expect(messages).toEqual([
      'articles/a.md:13:11: error: Unexpected value for `sources.0.type`: it must be equal to one of the allowed values  frontmatter-invalid',
      'articles/a.md:14:11: error: Unexpected value for `sources.0.name`: it must NOT have fewer than 1 characters  frontmatter-invalid'
    ])
  })

  it('reports a second source with the same id, pointing at the first', async () => {
    const messages = await messagesFor(
      article({frontmatter: 'sources:\n  - id: wire\n    type: NewsArticle\n    name: One\n  - id: wire\n    type: NewsArticle\n    name: Two'})
    )
    expect(messages).toEqual([
      'articles/a.md:15:9: error: Unexpected second source with id `wire`, expected each source id once  source-duplicate\n  articles/a.md:12:9: note: Source `wire` is first declared here'
    ])
  })

  it('reports a slug that would escape dist/', async () => {
    expect(await messagesFor(article({frontmatter: 'slug: ../../etc/passwd'}))).toEqual([
      'articles/a.md:11:7: error: Unexpected slug `../../etc/passwd`, expected lowercase letters, digits and single hyphens (it names a file in dist/)  slug-unsafe'
    ])
  })

  it('reports a file name that gives no slug', async () => {
    expect(await messagesFor(article(), '!!!.md')).toEqual([
      'articles/!!!.md:1:1: error: Unexpected file name `!!!.md` without letters or digits, expected a name to make the slug from, or a `slug` field  slug-unsafe'
    ])
  })
})

describe('cross-article messages', () => {
  it('reports two articles with one slug, pointing at the first', async () => {
    const {messages, result} = await buildTree({
      'articles/one.md': article({frontmatter: 'slug: same'}),
      'articles/two.md': article({frontmatter: 'slug: same'})
    })
    expect(result.written).toBe(false)
    expect(messages).toEqual([
      'articles/two.md:11:7: error: Unexpected second article with slug `same`, expected each slug once: rename the file or set `slug`  slug-duplicate\n  articles/one.md:11:7: note: Slug `same` is first used here'
    ])
  })

  it('reports two files whose names give one slug', async () => {
    const {messages} = await buildTree({'articles/Talks.md': article(), 'articles/nested/talks.md': article()})
    expect(messages).toHaveLength(1)
    expect(messages[0]).toMatch(/^articles\/nested\/talks\.md:1:1: error: Unexpected second article with slug `talks`.*slug-duplicate/)
  })
})

describe('quotation messages', () => {
  const sources = 'sources:\n  - id: wire\n    type: NewsArticle\n    name: A wire report\n    datePublished: "2020-02-02"'

  it('attributes a blockquote to a declared source without messages', async () => {
    const body = 'The agency reported:\n\n> Talks resumed today. [^wire]\n\n[^wire]: A wire report.\n'
    const {messages, result} = await buildTree({'articles/a.md': article({frontmatter: sources, body})})
    expect(messages).toEqual([])
    expect(result.written).toBe(true)
  })

  it('reports a blockquote attributed to an undeclared source as an error at the reference', async () => {
    const body = 'The agency reported:\n\n> Talks resumed today. [^other]\n\n[^other]: Another report.\n'
    expect(await messagesFor(article({frontmatter: sources, body}))).toEqual([
      'articles/a.md:20:24: error: Unexpected quotation attributed to undeclared source `[^other]`, expected one of `wire`  quote-source-undeclared'
    ])
  })

  it('reports a footnote reference without definition inside a blockquote', async () => {
    const body = 'The agency reported:\n\n> Talks resumed today. [^wire]\n'
    const messages = await messagesFor(article({frontmatter: sources, body}))
    expect(messages).toEqual([
      'articles/a.md:20:1: warning: Unexpected quotation without source, expected a footnote reference `[^id]` to a declared source at its end  quote-source-missing',
      'articles/a.md:20:24: error: Unexpected footnote reference `[^wire]` without definition, expected a line `[^wire]: …` after the article  quote-footnote-undefined'
    ])
  })

  it('warns about an unattributed blockquote, and fails on it under --strict', async () => {
    const body = 'Someone said:\n\n> Talks resumed today.\n'
    const {messages, result} = await buildTree({'articles/a.md': article({body})})
    expect(messages).toEqual([
      'articles/a.md:15:1: warning: Unexpected quotation without source, expected a footnote reference `[^id]` to a declared source at its end  quote-source-missing'
    ])
    expect(result.written).toBe(true)
    const strict = await buildTree({'articles/a.md': article({body})}, {strict: true})
    expect(strict.result.written).toBe(false)
    expect(strict.result.warnings).toBe(1)
  })
})

describe('site messages', () => {
  it('reports an invalid base URL in site.yaml', async () => {
    const {messages, result} = await buildTree({'site.yaml': 'title: Test\nbaseUrl: example.org\n', 'articles/a.md': article()})
    expect(result.written).toBe(false)
    expect(messages).toContain('site.yaml:2:10: error: Unexpected value `example.org` for `baseUrl`, expected an absolute URL  config-format')
  })

  it('reports an invalid --base-url option', async () => {
    const {messages, result} = await buildTree({'articles/a.md': article()}, {baseUrl: 'ftp://example.org/'})
    expect(result.written).toBe(false)
    expect(messages).toEqual([
      '.:1:1: error: Unexpected base URL `ftp://example.org/`, expected an absolute http(s) URL such as `https://example.org/news/`  config-base-url'
    ])
  })
})

describe('the report', () => {
  it('is joined into batches of at most a limit, a larger piece alone, none for nothing', () => {
    expect([...batches(['ab', 'c', 'def', 'g'], 3)]).toEqual(['abc', 'def', 'g'])
    expect([...batches(['ab', 'cd', 'efgh', 'i', 'j'], 3)]).toEqual(['ab', 'cd', 'efgh', 'ij'])
    expect([...batches(['a', 'b', 'c'], 2, () => 1)]).toEqual(['ab', 'c'])
    expect([...batches([], 3)]).toEqual([])
  })

  it('is written a batch of lines at a time, and reads as the messages formatted one by one', async () => {
    const files = [new VFile({path: 'a.md'}), new VFile({path: 'b.md'})]
    for (let index = 0; index < 2 * reportBatch + 10; index++) {
      const file = files[index % 2]!
      // Note: `info` makes an info (fatal undefined), `message` a warning.
      if (index % 3 === 0) file.info(`Suggestion ${index}`, {place: {line: index + 1, column: 1}, ruleId: 'entity-suggestion'})
      else file.message(`Warning ${index}`, {place: {line: index + 1, column: 2}, ruleId: 'some-warning'})
    }
    expect(files[0]!.messages.filter((message) => message.fatal === undefined).length).toBeGreaterThan(0)
    const writes: string[] = []
    // Note: each batch once the last is written, as a pipe takes them.
    let writing = false
    await writeReport(files, async (text) => {
      expect(writing).toBe(false)
      writing = true
      await new Promise((resolve) => setTimeout(resolve, 1))
      writes.push(text)
      writing = false
    }, {cwd: '/'})
    const lines = files.flatMap((file) => file.messages.map((message) => formatMessage(message, '/')))
    expect(writes.join('')).toBe(`${lines.join('\n')}\n`)
    expect(writes.map((text) => text.split('\n').length - 1)).toEqual([reportBatch, reportBatch, 10])
    const quiet: string[] = []
    await writeReport(files, (text) => void quiet.push(text), {quiet: true, cwd: '/'})
    expect(quiet.join('')).toBe(`${lines.filter((line) => line.includes(': warning: ')).join('\n')}\n`)
    expect(quiet.join('')).not.toContain('Suggestion')
    let none = 0
    await writeReport([new VFile({path: 'c.md'})], () => void none++)
    expect(none).toBe(0)
  })
})
