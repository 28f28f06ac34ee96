// GFM constructs tokenized only where they can occur give remark-gfm's tree, positions included.
import {readdir, readFile} from 'node:fs/promises'
import {join} from 'node:path'
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {describe, expect, it} from 'vitest'
import {generateCorpus} from '../bench/generate.js'
import {gfmWhereNeeded, neededMask} from '../pipeline/gfm.js'
import {shared} from './helpers.js'

/** The articles of a generated corpus (not its `site.yaml`). */
function articlesOf(corpus: Map<string, string>): string[] {
  return [...corpus].filter(([path]) => path.endsWith('.md')).map(([, contents]) => contents)
}

const reference = unified().use(remarkParse).use(remarkGfm).use(remarkFrontmatter, ['yaml']).freeze()
const whereNeeded = unified().use(remarkParse).use(gfmWhereNeeded).use(remarkFrontmatter, ['yaml']).freeze()

/** The constructs, as `neededMask` numbers them. */
const autolink = 1
const footnote = 2
const strikethrough = 4
const table = 8
const taskList = 16

const cases: Record<string, string> = {
  'nothing of GFM': 'A plain paragraph.\n\nAnother one, with *emphasis* and a [link](/a).\n',
  'URLs in the frontmatter only': '---\nurl: "https://example.org/a"\nemail: a@example.org\nnote: "~~x~~ | [^1] www.example.org"\n---\n\nPlain text.\n',
  'a URL in the body': '---\ntitle: T\n---\n\nSee https://example.org/a and WWW.Example.org.\n',
  'an email in the body': '---\ntitle: T\n---\n\nWrite to desk@example.org.\n',
  'HTTP in capitals': 'Go to HTTP://EXAMPLE.ORG now.\n',
  'a footnote': 'Text[^1].\n\n[^1]: The note.\n',
  'strikethrough': 'This is ~~gone~~ and ~also~.\n',
  'a table': '| a | b |\n| - | - |\n| 1 | 2 |\n',
  'a table without outer pipes': 'a | b\n--|--\n1 | 2\n',
  'task list items': '- [ ] open\n- [x] done\n- [X] done too\n',
  'task list items with CRLF': '- [ ] open\r\n- [x] done\r\n',
  'a task list item with a tab': '-\t[\t] odd\n',
  'a frontmatter with trailing spaces on its fences': '---  \ntitle: "http://x.example"\n--- \t\nBody ~~struck~~.\n',
  'an empty frontmatter': '---\n---\nBody www.example.org.\n',
  'an unclosed frontmatter': '---\ntitle: https://example.org\n\nBody text.\n',
  'a thematic break, not a frontmatter': 'Intro.\n\n---\n\nMail a@b.example after the break.\n',
  'a frontmatter after a blank line': '\n---\nurl: https://example.org\n---\nBody.\n',
  'CR line endings': '---\rurl: https://example.org\r---\rBody a@b.example.\r',
  'a byte order mark': '\uFEFF---\nurl: https://example.org\n---\nBody.\n',
  'a frontmatter fence with text after it': '---\nurl: https://example.org\n---x\nstill yaml? www.example.org\n---\nBody.\n',
  'four dashes': '----\nurl: https://example.org\n----\nBody.\n'
}

describe('GFM where needed', () => {
  it('gives the tree of remark-gfm for each construct, present or not, in the frontmatter or the body', () => {
    for (const [name, markdown] of Object.entries(cases)) {
      expect(whereNeeded.parse(markdown), name).toEqual(reference.parse(markdown))
    }
  })

  it('gives the tree of remark-gfm for every article of the 18F blog, MEANTIME, the sources and a bench corpus', async () => {
    const documents: string[] = []
    for (const folder of [join(shared, 'corpora', '18f-blog'), join(shared, 'corpora', 'meantime'), 'source/articles', 'test/fixtures/seed']) {
      for (const name of (await readdir(folder, {recursive: true})).filter((name) => name.endsWith('.md'))) {
        documents.push(await readFile(join(folder, name), 'utf8'))
      }
    }
    documents.push(...articlesOf(generateCorpus(40, 7)))
    expect(documents.length).toBeGreaterThan(670)
    // As JSON: a deep comparison of 700 trees takes half a minute.
    for (const markdown of documents) expect(JSON.stringify(whereNeeded.parse(markdown))).toBe(JSON.stringify(reference.parse(markdown)))
  }, 120_000)

  it('parses again with every construct when micromark did not read the frontmatter the pattern found', () => {
    // Without remark-frontmatter, the fences are a thematic break and a setext heading, and the URL is text.
    const markdown = '---\nurl: https://example.org\n---\nBody.\n'
    const tree = unified().use(remarkParse).use(gfmWhereNeeded).parse(markdown)
    expect(tree).toEqual(unified().use(remarkParse).use(remarkGfm).parse(markdown))
    expect(JSON.stringify(tree)).toContain('"type":"link"')
  })

  it('needs a construct only where the text has what every occurrence of it has', () => {
    expect(neededMask('Plain words, a [link](/x), *emphasis*, `code` and 3 - 2.')).toBe(0)
    expect(neededMask('see www.example.org')).toBe(autolink)
    expect(neededMask('see HTTPS://example.org')).toBe(autolink)
    expect(neededMask('http:example.org without slashes')).toBe(0)
    expect(neededMask('write to a@b.example')).toBe(autolink)
    expect(neededMask('a call[^1]')).toBe(footnote)
    expect(neededMask('[not ^ a call]')).toBe(0)
    expect(neededMask('~~struck~~')).toBe(strikethrough)
    expect(neededMask('a | b')).toBe(table)
    expect(neededMask('- [ ] a\n- [x] b')).toBe(taskList)
    expect(neededMask('[\r\n]')).toBe(taskList)
    expect(neededMask('[y] or [ x]')).toBe(0)
  })

  it('tokenizes no construct for the body of a bench article but its footnotes, whatever its frontmatter holds', () => {
    const [markdown] = articlesOf(generateCorpus(1, 3))
    expect(markdown).toMatch(/^---\n[^]*https?:\/\/[^]*\n---\n/)
    const body = markdown!.slice(markdown!.indexOf('\n---\n', 4) + 5)
    expect(neededMask(body) & ~footnote).toBe(0)
  })
})
