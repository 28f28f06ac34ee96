// Property-based robustness: hostile frontmatter, Markdown and strings never crash the build, and every output stays well-formed and safe.
//
// Every property runs a bounded number of times from one fixed seed, so CI is reproducible. fast-check prints the
// seed and the counterexample's path when a property fails; re-run with `FC_SEED=<seed> npx vitest run test/robustness.test.ts`.
import {execFile} from 'node:child_process'
import {readdir, rm, stat} from 'node:fs/promises'
import {dirname, isAbsolute, join} from 'node:path'
import {parse as parseCsv} from 'csv-parse/sync'
import fc from 'fast-check'
import type {Nodes as HastNodes} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {visit} from 'unist-util-visit'
import {describe, expect, it} from 'vitest'
import {validateXML} from 'xmllint-wasm'
import {build, type BuildResult} from '../pipeline/build.js'
import {emitCsv} from '../pipeline/emit/csv.js'
import {escapeJsonForHtml} from '../pipeline/emit/html-page.js'
import {dropDisallowed} from '../pipeline/emit/characters.js'
import {nameId, slugify} from '../pipeline/ids.js'
import {toArticleText} from '../pipeline/text.js'
import type {ArticleText} from '../pipeline/types.js'
import {article, messagesOf, readTree, root, sourceTree} from './helpers.js'

const seed = Number(process.env['FC_SEED'] ?? 20260611)
fc.configureGlobal({seed})

describe('frontmatter robustness (property)', () => {
  it('never throws; builds parseable outputs or reports positioned one-line errors', {timeout: 180_000}, async () => {
    const tally = new Tally()
    await fc.assert(
      fc.asyncProperty(fc.limitShrink(frontmatterCase(), 30), async (contents) => {
        const built = await buildFiles({'articles/fm-case.md': contents})
        try {
          await checkBuild(built)
          tally.add(built)
        } finally {
          await built.dispose()
        }
      }),
      {numRuns: 40}
    )
    tally.print('frontmatter')
  })
})

describe('Markdown body robustness (property)', () => {
  it('never throws; outputs parse and mentions are exact slices of the article text', {timeout: 180_000}, async () => {
    const tally = new Tally()
    await fc.assert(
      fc.asyncProperty(fc.limitShrink(markdownBody(), 30), async (body) => {
        const contents = article({frontmatter: wireSources, body})
        const built = await buildFiles({'articles/md-case.md': contents})
        try {
          await checkBuild(built)
          if (built.result.written) checkOffsets(built.outputs, articleTextOf(onDisk(contents)))
          tally.add(built)
        } finally {
          await built.dispose()
        }
      }),
      {numRuns: 30}
    )
    tally.print('markdown')
  })
})

describe('output safety on hostile strings (property)', () => {
  it('keeps XML legal, JSON-LD scripts closed, CSV formula-safe, URLs absolute and paths inside dist/', {timeout: 180_000}, async () => {
    const tally = new Tally()
    await fc.assert(
      fc.asyncProperty(fc.limitShrink(hostileArticle(), 30), async (contents) => {
        const built = await buildFiles({'articles/hostile.md': contents})
        try {
          expect(built.result.written, built.messages.join('\n')).toBe(true)
          await checkBuild(built)
          checkOffsets(built.outputs, articleTextOf(onDisk(contents)))
          tally.add(built)
        } finally {
          await built.dispose()
        }
      }),
      {numRuns: 30}
    )
    tally.print('hostile')
  })
})

describe('very large input (the compiled CLI, in a process of its own)', () => {
  // Note: the `newsgraph` command in a child process, as build.test.ts runs it: its time is the product's, not
  // vitest's (in-process the 5 MB build takes about 1.6 times as long), and a crash or a hang cannot take vitest down.
  it('builds an article with a 5 MB body in bounded time (90 s, on a loaded 2-core machine)', {timeout: 240_000}, async () => {
    const body = largeBody(5_000_000)
    expect(body.length).toBeGreaterThanOrEqual(5_000_000)
    await largeBuild({'articles/large.md': article({body})})
  })

  it('builds an article with a 200 000-character single line (and a 200 000-character word) in bounded time (90 s)', {timeout: 240_000}, async () => {
    const line = largeBody(200_000).replace(/\s+/g, ' ').slice(0, 200_000)
    expect(line).not.toContain('\n')
    await largeBuild({'articles/long-line.md': article({body: `${line}\n\n${'x'.repeat(200_000)}\n`})})
  })
})

describe('determinism across file order (property)', () => {
  it('gives byte-identical dist/ whatever order the files are written in (and whatever the time zone)', {timeout: 180_000}, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.limitShrink(
          fc.uniqueArray(siteArticle(), {minLength: 3, maxLength: 5, selector: (item) => item.name}).chain((articles) =>
            fc.tuple(fc.constant(articles), fc.shuffledSubarray(articles, {minLength: articles.length, maxLength: articles.length}))
          ),
          10
        ),
        async ([articles, permuted]) => {
          const first = await buildFiles(Object.fromEntries(articles.map((item) => [`articles/${item.name}.md`, item.contents])))
          const zone = process.env['TZ']
          process.env['TZ'] = 'Pacific/Kiritimati'
          const second = await buildFiles(Object.fromEntries(permuted.map((item) => [`articles/${item.name}.md`, item.contents]))).finally(() => {
            if (zone === undefined) delete process.env['TZ']
            else process.env['TZ'] = zone
          })
          try {
            expect(first.result.written, first.messages.join('\n')).toBe(second.result.written)
            expect(second.messages).toEqual(first.messages)
            expect([...second.outputs.keys()]).toEqual([...first.outputs.keys()])
            for (const [path, contents] of first.outputs) expect(second.outputs.get(path), path).toBe(contents)
          } finally {
            await first.dispose()
            await second.dispose()
          }
        }
      ),
      {numRuns: 15}
    )
  })
})

describe('pure functions (properties)', () => {
  it('dropDisallowed() leaves only XML 1.0 characters, and removes nothing else', () => {
    fc.assert(
      fc.property(hostileText(), (value) => {
        const cleaned = dropDisallowed(value)
        expect(cleaned).not.toMatch(xmlIllegal)
        expect(cleaned).toBe([...value].filter((character) => !xmlIllegal.test(character)).join(''))
        expect(dropDisallowed(cleaned)).toBe(cleaned)
      }),
      {numRuns: 500}
    )
  })

  it('escapeJsonForHtml() keeps the JSON value and leaves no markup-significant character', () => {
    fc.assert(
      fc.property(fc.jsonValue().chain((value) => fc.tuple(fc.constant(value), hostileText())), ([value, hostile]) => {
        const document = {value, hostile, nested: [hostile, {hostile}]}
        const escaped = escapeJsonForHtml(JSON.stringify(document, null, 2))
        expect(escaped).not.toMatch(/[<>&\u2028\u2029]/)
        expect(JSON.parse(escaped)).toEqual(JSON.parse(JSON.stringify(document)))
      }),
      {numRuns: 500}
    )
  })

  it('emitCsv() round-trips through csv-parse, neutralising formulas and keeping numbers numeric', () => {
    const record = fc.record({text: hostileText(), other: hostileText(), count: fc.integer({min: -1_000_000, max: 1_000_000}), score: fc.double({min: -10, max: 10, noNaN: true}), flag: fc.boolean()})
    fc.assert(
      fc.property(fc.array(record, {maxLength: 8}), (records) => {
        const csv = emitCsv(records, ['text', 'other', 'count', 'score', 'flag'])
        const rows = parseCsv(csv, {bom: false}) as string[][]
        expect(rows[0]).toEqual(['text', 'other', 'count', 'score', 'flag'])
        expect(rows).toHaveLength(records.length + 1)
        records.forEach((item, index) => {
          const row = rows[index + 1]!
          expect(row[0]).toBe(formulaSafe(onDisk(item.text)))
          expect(row[1]).toBe(formulaSafe(onDisk(item.other)))
          expect(Number(row[2])).toBe(item.count)
          expect(Number(row[3])).toBe(Object.is(item.score, -0) ? 0 : item.score)
          expect(row[4]).toBe(String(item.flag))
        })
      }),
      {numRuns: 300}
    )
  })

  it('toArticleText() maps every exact segment back to the same characters of the source', () => {
    fc.assert(
      fc.property(markdownBody(), (body) => {
        const contents = article({body})
        const text = articleTextOf(contents)
        const source = contents.replace(/^\uFEFF/, '')
        for (const block of text.blocks) {
          expect(block.end).toBeGreaterThan(block.start)
          const value = text.value.slice(block.start, block.end)
          expect(value).toBe(value.trim())
          expect(value).not.toMatch(/[\t\n\r]/)
        }
        expect(text.value).toBe(text.blocks.map((block) => text.value.slice(block.start, block.end)).join('\n\n'))
        for (const segment of text.segments.filter((item) => item.exact)) {
          // Note: micromark reads NUL as U+FFFD, one for one, so offsets stay exact.
          const expected = source.slice(segment.sourceStart, segment.sourceStart + segment.end - segment.start).replace(/[\t\n\r\f\v]/g, ' ').replace(/\0/g, '\uFFFD')
          expect(text.value.slice(segment.start, segment.end)).toBe(expected)
        }
      }),
      {numRuns: 30}
    )
  })

  it('slugify() and nameId() give safe path segments', () => {
    fc.assert(
      fc.property(hostileText(), (value) => {
        const slug = slugify(value)
        expect(slug).toMatch(/^(?:[a-z0-9]+(?:-[a-z0-9]+)*)?$/)
        expect(slug.length).toBeLessThanOrEqual(200)
        expect(nameId(value)).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/)
      }),
      {numRuns: 500}
    )
  })
})

describe('the checks themselves', () => {
  // Note: a property is only as good as its checks; each must reject what it is there to catch.
  const columns = [
    {name: 'text', type: 'string'},
    {name: 'count', type: 'integer'},
    {name: 'score', type: 'number'}
  ]

  it('checkCsv rejects a live formula and a quoted number, and accepts their safe forms', () => {
    expect(() => checkCsv('t.csv', 'text,count,score\r\n\'=1,-2,-0.5\r\n', columns)).not.toThrow()
    for (const row of ['=1,1,1', '-2,1,1', '@SUM(1),1,1', '"\tx",1,1', 'x,\'-2,1', 'x,1,1e', 'x,1']) {
      expect(() => checkCsv('t.csv', `text,count,score\r\n${row}\r\n`, columns), row).toThrow()
    }
  })

  it('checkHtml rejects a script block that closes early, a non-JSON-LD script, a handler and a javascript: link', () => {
    const page = (head: string, body = '') => `<!doctype html><html><head>${head}</head><body>${body}</body></html>`
    expect(checkHtml('ok.html', page('<script type="application/ld+json">{"a":"\\u003c/script>"}</script>', '<a href="../x/">x</a>'))).toEqual([{a: '</script>'}])
    expect(() => checkHtml('a.html', page('<script type="application/ld+json">{"a":"</script>"}</script>'))).toThrow()
    expect(() => checkHtml('b.html', page('<script>alert(1)</script>'))).toThrow()
    expect(() => checkHtml('c.html', page('', '<img src="x" onerror="alert(1)">'))).toThrow()
    expect(() => checkHtml('d.html', page('', '<a href=" javascript:alert(1)">x</a>'))).toThrow()
  })

  it('checkUrls rejects a relative or non-http(s) @id or url', () => {
    expect(() => checkUrls('ok.jsonld', {'@graph': [{'@id': 'https://example.org/a#b', url: 'http://example.org/'}]})).not.toThrow()
    for (const value of ['/relative', 'javascript:alert(1)', 'urn:x', 'example.org']) expect(() => checkUrls('x.jsonld', {'@graph': [{'@id': value}]}), value).toThrow()
  })

  it('xmlErrors and xmlIllegal catch ill-formed XML and forbidden characters', async () => {
    expect(await xmlErrors(new Map([['ok.xml', '<a>x &amp; y ]]&gt;</a>']]))).toEqual([])
    for (const xml of ['<a><b></a>', '<a>]]></a>', '<a>&bogus;</a>']) expect(await xmlErrors(new Map([['bad.xml', xml]])), xml).not.toEqual([])
    for (const character of ['\u0000', '\u0001', '\ufffe', '\uffff', '\ud800']) expect(`a${character}b`).toMatch(xmlIllegal)
  })
})

describe('defects these properties found (fixed in 611e7de; minimal reproductions)', () => {
  it('`]]>` in a title or author name keeps feed.xml (and entity feeds) well-formed XML', async () => {
    const built = await buildFiles({'articles/a.md': article({omit: ['title', 'author'], frontmatter: 'title: "Talks ]]> resume"\nauthor:\n  name: "Ada ]]> Reporter"'})})
    try {
      expect(built.result.written, built.messages.join('\n')).toBe(true)
      expect(await xmlErrors(new Map([...built.outputs].filter(([path]) => path.endsWith('.xml'))))).toEqual([])
    } finally {
      await built.dispose()
    }
  })

  // Before: ajv-formats' `date-time` took them; rss.ts toRfc822 then threw out of build() (the first three), or the
  // output schema rejected them as `output-invalid`, "a newsgraph defect", at `.:1:1` (the last three).
  for (const date of ['2020-02-03T10:00:00+01', '2020-02-03\\t10:00:00Z', '2020-02-03\\n10:00:00Z', '2020-02-03 10:00:00+0100', '2020-02-03t10:00:00z', '2020-02-03T23:59:60Z']) {
    it(`reports datePublished "${date}" on the article, without a crash or an output-invalid`, async () => {
      const built = await buildFiles({'articles/a.md': article({omit: ['datePublished'], frontmatter: `datePublished: "${date}"`})})
      try {
        await checkBuild(built)
        expect(built.messages).toEqual([expect.stringMatching(/^articles\/a\.md:10:16: error: .* {2}frontmatter-format$/)])
      } finally {
        await built.dispose()
      }
    })
  }

  it('embeds U+FFFF in a title in the page’s JSON-LD exactly as articles/<slug>.jsonld has it', async () => {
    const built = await buildFiles({'articles/a.md': article({omit: ['title'], frontmatter: 'title: "Talks \\uFFFF resume"'})})
    try {
      expect(built.result.written, built.messages.join('\n')).toBe(true)
      const document = JSON.parse(built.outputs.get('articles/a.jsonld')!) as unknown
      expect(checkHtml('index.html', built.outputs.get('articles/a/index.html')!)).toEqual([document])
      expect(checkHtml('embed.html', built.outputs.get('articles/a/embed.html')!)).toEqual([document])
    } finally {
      await built.dispose()
    }
  })

  it('keeps control characters of a YAML syntax error out of the message', async () => {
    const built = await buildFiles({'articles/a.md': article({omit: ['description'], frontmatter: 'description: >\u001b[2J'})})
    try {
      expect(built.result.written).toBe(false)
      for (const message of built.result.files.flatMap((file) => file.messages)) expect(message.reason).not.toMatch(/[\u0000-\u001f\u007f]/)
    } finally {
      await built.dispose()
    }
  })

  it('keeps a line break or ESC of a frontmatter value out of the message, on one line', async () => {
    const built = await buildFiles({'articles/a.md': article({omit: ['url'], frontmatter: 'url: "/relative\\nsecond line \\e[31mred"'})})
    try {
      expect(built.result.written).toBe(false)
      for (const message of built.result.files.flatMap((file) => file.messages)) expect(message.reason).not.toMatch(/[\n\r\u001b]/)
    } finally {
      await built.dispose()
    }
  })
})

// ---------------------------------------------------------------------------------------------------------------
// Helpers: builds and their checks.

/** Characters XML 1.0 does not allow. */
const xmlIllegal = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u

/** ruleIds that mean a newsgraph defect, never a problem of the sources. */
const defectRules = new Set(['internal-error', 'output-invalid', 'jsonld-unsafe'])

/** First characters a spreadsheet would run as a formula. */
const formulaStart = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/

/** What a property's builds gave: how many were written, the rules of the messages, the mentions checked. */
class Tally {
  private runs = 0
  private written = 0
  private mentions = 0
  private readonly rules = new Map<string, number>()

  add(built: Built): void {
    this.runs++
    if (built.result.written) this.written++
    const mentions = built.outputs.get('data/mentions.csv')
    if (mentions) this.mentions += (parseCsv(mentions, {bom: false}) as string[][]).length - 1
    for (const message of built.result.files.flatMap((file) => file.messages)) this.rules.set(message.ruleId ?? '?', (this.rules.get(message.ruleId ?? '?') ?? 0) + 1)
  }

  print(name: string): void {
    const rules = [...this.rules].sort((a, b) => b[1] - a[1]).map(([rule, count]) => `${rule} ${count}`)
    console.info(`${name} (seed ${seed}): ${this.written}/${this.runs} written, ${this.mentions} mentions checked; messages: ${rules.join(', ')}`)
  }
}

interface Built {
  result: BuildResult
  messages: string[]
  outputs: Map<string, string>
  dir: string
  dispose: () => Promise<void>
}

/** Build `files` in a temporary tree (in-process) and read what it wrote. */
async function buildFiles(files: Record<string, string>): Promise<Built> {
  const source = await sourceTree({'site.yaml': 'title: Test\nbaseUrl: https://example.org/news/\n', ...files})
  const dir = dirname(source)
  const out = join(dir, 'dist')
  const dispose = () => rm(dir, {recursive: true, force: true})
  let result: BuildResult
  try {
    result = await build({source, out, cwd: dir})
  } catch (error) {
    await dispose()
    throw error
  }
  const outputs = result.written ? await readTree(out) : new Map<string, string>()
  return {result, messages: messagesOf(result, source), outputs, dir, dispose}
}

/** The invariants of every build, written or not. */
async function checkBuild(built: Built): Promise<void> {
  const {result, messages} = built
  const all = result.files.flatMap((file) => file.messages)
  for (const message of all) expect(defectRules.has(message.ruleId ?? ''), messages.join('\n')).toBe(false)
  // Nothing lands beside dist/: no staging directory left behind, nothing written next to the sources.
  expect((await readdir(built.dir)).sort()).toEqual(result.written ? ['dist', 'source'] : ['source'])
  if (!result.written) {
    const errors = all.filter((message) => message.fatal === true)
    expect(errors.length, messages.join('\n')).toBeGreaterThan(0)
    expect(result.errors).toBe(errors.length)
    for (const message of errors) {
      expect(message.ruleId, message.reason).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/)
      expect(message.line ?? 0, message.reason).toBeGreaterThanOrEqual(1)
      expect(message.column ?? 0, message.reason).toBeGreaterThanOrEqual(1)
      // One line, and nothing a terminal would act on (line breaks, ESC and the other controls).
      expect(message.reason).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/)
      expect(message.reason).not.toMatch(/^\s+at |\n\s+at /m)
    }
    return
  }
  await checkOutputs(built.outputs)
}

/** Every output of a written build parses, and is safe. */
async function checkOutputs(outputs: Map<string, string>): Promise<void> {
  expect(outputs.size).toBeGreaterThan(0)
  for (const path of outputs.keys()) {
    expect(isAbsolute(path), path).toBe(false)
    expect(path.split(/[\\/]/), path).not.toContain('..')
  }
  expect(outputs.has('index.html')).toBe(true)
  const datapackage = JSON.parse(outputs.get('datapackage.json')!) as {resources: Array<{path: string; schema: {fields: Array<{name: string; type: string}>}}>}
  const fields = new Map(datapackage.resources.map((resource) => [resource.path, resource.schema.fields]))
  const xml = new Map<string, string>()
  const scripts = new Map<string, unknown[]>()
  for (const [path, contents] of outputs) {
    if (path.endsWith('.json') || path.endsWith('.jsonld')) {
      const value = JSON.parse(contents) as unknown
      if (path.endsWith('.jsonld') && path !== 'context.jsonld') checkUrls(path, value)
    } else if (path.endsWith('.csv')) checkCsv(path, contents, fields.get(path))
    else if (path.endsWith('.xml')) xml.set(path, contents)
    else if (path.endsWith('.html')) scripts.set(path, checkHtml(path, contents))
    else throw new Error(`Unexpected output \`${path}\``)
  }
  await checkXml(xml)
  for (const path of outputs.keys()) {
    const slug = /^articles\/([a-z0-9-]+)\.jsonld$/.exec(path)?.[1]
    if (!slug) continue
    // The page and the snippet embed the very document of articles/<slug>.jsonld: a derailed script block would not parse back to it.
    const document = JSON.parse(outputs.get(path)!) as unknown
    for (const page of [`articles/${slug}/index.html`, `articles/${slug}/embed.html`]) {
      expect(outputs.has(page), page).toBe(true)
      expect(scripts.get(page), page).toContainEqual(document)
    }
  }
}

/**
 * Build `files` with the compiled `newsgraph` command, killed after 180 s; it must succeed in under 90 s with sound outputs.
 * Note: alone it takes 20–26 s for 5 MB; the bound leaves room for the other test files running beside it.
 */
async function largeBuild(files: Record<string, string>): Promise<void> {
  await assertCompiled()
  const source = await sourceTree({'site.yaml': 'title: Test\nbaseUrl: https://example.org/news/\n', ...files})
  const dir = dirname(source)
  try {
    const started = performance.now()
    const run = await new Promise<{code: number | null; signal: string | null; stderr: string}>((resolve) => {
      execFile(process.execPath, [join(root, 'bin', 'newsgraph.js'), 'build', '--source', source, '--out', join(dir, 'dist')], {cwd: dir, timeout: 180_000, maxBuffer: 256 * 1024 * 1024}, (error, _stdout, stderr) => {
        const failure = error as (Error & {code?: number; signal?: string}) | null
        resolve({code: failure ? (typeof failure.code === 'number' ? failure.code : -1) : 0, signal: failure?.signal ?? null, stderr: String(stderr)})
      })
    })
    const elapsed = performance.now() - started
    expect(run.signal, `killed after ${Math.round(elapsed)} ms`).toBeNull()
    expect(run.code, run.stderr.slice(-2000)).toBe(0)
    expect(elapsed, run.stderr.split('\n').at(-2)).toBeLessThan(90_000)
    await checkOutputs(await readTree(join(dir, 'dist')))
  } finally {
    await rm(dir, {recursive: true, force: true})
  }
}

/** The large-input tests run `out/`: refuse to test a compilation older than its sources. */
async function assertCompiled(): Promise<void> {
  const sources = (await readdir(join(root, 'pipeline'), {recursive: true})).filter((path) => path.endsWith('.ts'))
  for (const path of sources) {
    const compiled = await stat(join(root, 'out', 'pipeline', path.replace(/\.ts$/, '.js'))).catch(() => undefined)
    if (!compiled || compiled.mtimeMs < (await stat(join(root, 'pipeline', path))).mtimeMs) {
      throw new Error(`out/pipeline/${path.replace(/\.ts$/, '.js')} is older than pipeline/${path}: run \`make build\` first (these tests run the compiled CLI)`)
    }
  }
}

/** Every `@id` and `url` of a JSON-LD document is an absolute http(s) URL. */
function checkUrls(path: string, value: unknown): void {
  const problems: string[] = []
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk)
    else if (node && typeof node === 'object') {
      for (const [key, item] of Object.entries(node)) {
        if ((key === '@id' || key === 'url') && typeof item === 'string' && !isAbsoluteHttpUrl(item)) problems.push(`${path}: ${key} ${JSON.stringify(item)}`)
        walk(item)
      }
    }
  }
  walk(value)
  expect(problems.slice(0, 5)).toEqual([])
}

function isAbsoluteHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol)
  } catch {
    return false
  }
}

/** RFC 4180 as csv-parse reads it; the columns of datapackage.json; formulas neutralised, numbers numeric. */
function checkCsv(path: string, contents: string, columns: Array<{name: string; type: string}> | undefined): void {
  expect(columns, path).toBeDefined()
  expect(contents.charCodeAt(0), path).not.toBe(0xfeff)
  const rows = parseCsv(contents, {bom: false}) as string[][]
  expect(rows[0], path).toEqual(columns!.map((column) => column.name))
  const patterns = columns!.map(({type}) =>
    type === 'integer' ? /^(?:-?\d+)?$/ : type === 'number' ? /^(?:-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)?$/i : type === 'boolean' ? /^(?:true|false)$/ : undefined
  )
  const problems: string[] = []
  rows.slice(1).forEach((row, line) => {
    if (row.length !== columns!.length) problems.push(`${path} row ${line + 1}: ${row.length} cells`)
    row.forEach((cell, index) => {
      const pattern = patterns[index]
      if (pattern ? !pattern.test(cell) : formulaStart.test(cell)) problems.push(`${path} row ${line + 1} ${columns![index]?.name}: ${JSON.stringify(cell)}`)
    })
  })
  expect(problems.slice(0, 5)).toEqual([])
}

/** Well-formed XML 1.0 (xmllint, no schema), without a character XML forbids. */
async function checkXml(files: Map<string, string>): Promise<void> {
  for (const [path, contents] of files) expect(contents, path).not.toMatch(xmlIllegal)
  expect(await xmlErrors(files)).toEqual([])
}

/** xmllint's well-formedness errors (no schema), with the file they are in. */
async function xmlErrors(files: Map<string, string>): Promise<string[]> {
  if (files.size === 0) return []
  const names = new Map([...files.keys()].map((path, index) => [`f${index}_${path.replace(/\W/g, '_')}`, path]))
  const contents = [...files.values()]
  const result = await validateXML({xml: [...names.keys()].map((fileName, index) => ({fileName, contents: contents[index]!})), normalization: 'format'})
  return result.errors.map((error) => `${names.get(error.loc?.fileName ?? '') ?? error.loc?.fileName ?? '?'}: ${error.message}`)
}


/** Every script is a JSON-LD block that parses and cannot close early (returned, parsed); no link or attribute runs script. */
function checkHtml(path: string, contents: string): unknown[] {
  const blocks: unknown[] = []
  const script = (type: unknown, json: string) => {
    expect(type, path).toBe('application/ld+json')
    expect(json, path).not.toMatch(/<\/script|<!--/i)
    expect(() => blocks.push(JSON.parse(json)), `${path}: ${json.slice(0, 200)}`).not.toThrow()
  }
  const safe = (key: string, value: string) => expect(['http:', 'https:', 'mailto:'], `${path}: ${key}=${JSON.stringify(value)}`).toContain(new URL(value, 'https://example.org/news/a/b').protocol)
  if (contents.length > 1_000_000) {
    // Note: a page of a multi-megabyte article is checked with patterns: a full parse would take longer than its build.
    for (const match of contents.matchAll(/<script\b([^>]*)>([^]*?)<\/script/gi)) script(/type="([^"]*)"/.exec(match[1]!)?.[1], match[2]!)
    for (const match of contents.matchAll(/\s(href|src|action|formaction)="([^"]*)"/gi)) safe(match[1]!, match[2]!.replace(/&amp;/g, '&').replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16))))
    expect(contents, path).not.toMatch(/<[a-z]+\b[^>]*\son[a-z]+=/i)
    return blocks
  }
  visit(fromHtml(contents), 'element', (node: HastNodes) => {
    if (node.type !== 'element') return
    for (const key of Object.keys(node.properties)) expect(key, `${path}: <${node.tagName} ${key}>`).not.toMatch(/^on/i)
    for (const key of ['href', 'src', 'action', 'formAction']) {
      const value = node.properties[key]
      if (typeof value === 'string') safe(key, value)
    }
    if (node.tagName === 'iframe' || node.tagName === 'object' || node.tagName === 'embed') throw new Error(`${path}: unexpected <${node.tagName}>`)
    if (node.tagName === 'script') script(node.properties['type'], node.children.map((child) => (child.type === 'text' ? child.value : '')).join(''))
  })
  return blocks
}

/** The article text, computed from the source (as read from disk) the way the pipeline parses it. */
function articleTextOf(contents: string): ArticleText {
  const tree = unified().use(remarkParse).use(remarkGfm).use(remarkFrontmatter, ['yaml']).parse(contents.replace(/^\uFEFF/, ''))
  return toArticleText(tree)
}

/**
 * Offsets of mentions and event evidence: each row's `text` is exactly the
 * slice of the article text at `[start, end)` (as a formula-safe CSV cell),
 * inside one block, whose index is the row's `paragraph`.
 */
function checkOffsets(outputs: Map<string, string>, text: ArticleText): void {
  const problems: string[] = []
  const mentions = parseCsv(outputs.get('data/mentions.csv')!, {bom: false, columns: true}) as Array<Record<string, string>>
  for (const row of mentions) {
    const start = Number(row['start'])
    const end = Number(row['end'])
    const block = text.blocks.find((item) => item.start <= start && end <= item.end)
    if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start < end && end <= text.value.length)) problems.push(`mention offsets ${JSON.stringify(row)}`)
    else if (row['text'] !== formulaSafe(text.value.slice(start, end))) problems.push(`mention text ${JSON.stringify(row)} ≠ ${JSON.stringify(text.value.slice(start, end))}`)
    else if (!block || Number(row['paragraph']) !== block.paragraph) problems.push(`mention paragraph ${JSON.stringify(row)}: in ${JSON.stringify(block)}`)
  }
  const evidence = parseCsv(outputs.get('data/event_evidence.csv')!, {bom: false, columns: true}) as Array<Record<string, string>>
  for (const row of evidence) {
    const start = Number(row['start'])
    const end = Number(row['end'])
    if (row['text'] !== formulaSafe(text.value.slice(start, end))) problems.push(`evidence text ${JSON.stringify(row)} ≠ ${JSON.stringify(text.value.slice(start, end))}`)
    for (const [from, to] of [['trigger_start', 'trigger_end'], ['actor1_start', 'actor1_end'], ['actor2_start', 'actor2_end']] as const) {
      if (row[from] === '') continue
      if (!(start <= Number(row[from]) && Number(row[from]) < Number(row[to]) && Number(row[to]) <= end)) problems.push(`evidence ${from} ${JSON.stringify(row)}`)
    }
  }
  expect(problems.slice(0, 5)).toEqual([])
}

/** A string as it reads back from a UTF-8 file: lone surrogates become U+FFFD. */
function onDisk(value: string): string {
  return Buffer.from(value, 'utf8').toString('utf8')
}

/** A text cell as emitCsv writes it. */
function formulaSafe(value: string): string {
  return formulaStart.test(value) ? `'${value}` : value
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers: generators.

/** Characters that stress parsers and serializers: markup, YAML, CSV, unicode, controls, lone surrogates. */
const hostileCharacters = [
  ...'aZ09 .,:;-_#&*!|>\'"%@`?[]{}()<>=+/\\~^$',
  'é',
  'ß',
  '中',
  'ж',
  'א',
  'ش',
  '\u0301',
  '\u200d',
  '\u200e',
  '\u202e',
  '🙂',
  '🇯🇵',
  '\u0000',
  '\u0001',
  '\u0008',
  '\u000b',
  '\u000c',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u00a0',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\ufffe',
  '\uffff',
  '\ud800',
  '\udfff',
  '\t',
  '\n',
  '\r'
]

/** Whole strings known to break naive emitters. */
const hostileStrings = [
  '</script>',
  '</SCRIPT >',
  '<script>alert(1)</script>',
  '<!--',
  '-->',
  ']]>',
  '<![CDATA[x]]>',
  '\u2028',
  '\u0000',
  '\ufffe',
  "=cmd|' /C calc'!A0",
  '=1+1',
  '+1',
  '-2',
  '@SUM(1)',
  '\t=1',
  '\r=1',
  '\uff1d1',
  '&amp;',
  '&#0;',
  '"quoted"',
  "'single'",
  '${x}',
  '{{x}}',
  'javascript:alert(1)',
  '\u001b[31mred',
  '\ud83d',
  'a|b',
  'a,b;c'
]

function hostileText(maxLength = 40): fc.Arbitrary<string> {
  return fc.oneof(
    {weight: 3, arbitrary: fc.string({unit: fc.constantFrom(...hostileCharacters), maxLength})},
    {weight: 2, arbitrary: fc.array(fc.oneof(fc.constantFrom(...hostileStrings), fc.string({unit: fc.constantFrom(...hostileCharacters), maxLength: 5})), {maxLength: 4}).map((parts) => parts.join(''))},
    {weight: 1, arbitrary: fc.string({unit: 'binary', maxLength})}
  )
}

/** A YAML double-quoted scalar whose value is `value`, lone surrogates and controls included (as escapes). */
function yamlQuote(value: string): string {
  let out = '"'
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index)
    const character = value[index]!
    if (character === '"' || character === '\\') out += `\\${character}`
    else if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0) || (code >= 0xd800 && code <= 0xdfff) || code === 0xfeff || code >= 0xfffe || code === 0x2028 || code === 0x2029) {
      out += `\\u${code.toString(16).padStart(4, '0')}`
    } else out += character
  }
  return `${out}"`
}

/** A YAML value: inline text after `key: `, or a block of lines (indented under the key, with an optional header). */
type YamlValue = {inline: string} | {header?: string; lines: string[]}

function renderEntry(key: string, value: YamlValue): string[] {
  if ('inline' in value) return [`${key}: ${value.inline}`]
  return [`${key}:${value.header ? ` ${value.header}` : ''}`, ...value.lines.map((line) => `  ${line}`)]
}

const validDates = ['"2020-02-03T10:00:00+01:00"', '"2003-08-20T09:30:00-05:00"', '"2021-12-31T23:59:59Z"', '"2020-02-29T00:00:00.5+14:00"']
const invalidDates = [
  '2020-02-03',
  '2020-02-03T10:00:00',
  '"2021-02-30T10:00:00Z"',
  '"2020-13-01T00:00:00Z"',
  '"2020-02-03T25:00:00Z"',
  '"2020-02-03T10:00:00+24:00"',
  '"yesterday"',
  '"0000-00-00T00:00:00Z"',
  '"99999-01-01T00:00:00Z"',
  '"2020-02-03T10:00Z"',
  '2020-02-03 10:00:00 -0400',
  '"2014-03-12 10:11"'
]
/** Dates ajv-formats' `date-time` accepts and the emitters did not (a crash in rss.ts, or `output-invalid`): errors now. */
const lenientDates = ['"2020-02-03T10:00:00+01"', '"2020-02-03\\t10:00:00Z"', '"2020-02-03\\n10:00:00Z"', '"2020-02-03 10:00:00+0100"', '"2020-02-03t10:00:00z"', '"2020-02-03T23:59:60Z"']
const urls = [
  'https://example.org/a',
  'http://example.org/a?b=c&d=<e>#f',
  '"https://example.org/</script><!--]]>"',
  '/relative',
  'example.org',
  'javascript:alert(1)',
  '"data:text/html,<script>alert(1)</script>"',
  'ftp://example.org/',
  '"https://exa mple.org/"',
  '"https://example.org/\\u0000"',
  '"https://example.org/\\u2028"',
  'https://',
  'https://xn--nxasmq6b.example/ünïcödé',
  '"http://[::1]:80/"',
  'https://user:pass@example.org:8080/p'
]

const keyNames = {
  own: ['title', 'url', 'datePublished', 'dateModified', 'description', 'language', 'section', 'keywords', 'author', 'publisher', 'slug', 'sources'],
  foreign: ['date', 'pubDate', 'lastmod', 'updated', 'excerpt', 'summary', 'tags', 'categories', 'category', 'authors', 'lang', 'locale', 'permalink'],
  ignored: ['layout', 'image', 'draft', 'toc', 'weight', 'id', 'type', 'source', 'comments'],
  weird: ['titel', '"ti\\ntle"', "'quoted key'", '"\\u0000"', '""', '? [complex, key]', '"\\ud800"', 'ключ', '🙂', '<<', '"a: b"', 'x'.repeat(300)]
}

function yamlScalar(): fc.Arbitrary<string> {
  const escapes = fc.constantFrom('\\0', '\\x01', '\\x7f', '\\ud800', '\\udfff', '\\ufffe', '\\uffff', '\\u2028', '\\n', '\\r', '\\t', '\\"', '\\\\', '\\e', '\\N', '\\q', '\\U0001F600', '\\u00e9')
  return fc.oneof(
    {weight: 4, arbitrary: fc.string({unit: fc.constantFrom(...hostileCharacters.filter((character) => !'\n\r'.includes(character))), minLength: 1, maxLength: 30})},
    {weight: 4, arbitrary: fc.array(fc.oneof(escapes, fc.constantFrom(...'abc XYZ é中🙂<>&\'')), {minLength: 1, maxLength: 12}).map((parts) => `"${parts.join('')}"`)},
    {weight: 3, arbitrary: hostileText().map(yamlQuote)},
    {weight: 1, arbitrary: fc.string({unit: fc.constantFrom(...'ab \'"é'), maxLength: 12}).map((value) => `'${value.replace(/'/g, "''")}'`)},
    {weight: 1, arbitrary: fc.oneof(fc.integer().map(String), fc.double().map(String), fc.constantFrom('.inf', '-.nan', '0x1F', '0o17', '1e400', '1_000', '+12', '-0'))},
    {weight: 1, arbitrary: fc.constantFrom('true', 'false', 'null', '~', 'yes', 'no', 'on', '""', "''", '')},
    {weight: 2, arbitrary: fc.constantFrom(...validDates, ...invalidDates, ...lenientDates)},
    {weight: 2, arbitrary: fc.constantFrom(...urls)},
    {weight: 1, arbitrary: fc.constantFrom('!!str 12', '!!int "x"', '!!binary aGVsbG8=', '!!timestamp 2001-12-14', '!custom x', '!!set {a, b}', '!!omap [a: 1]', '!<tag:yaml.org,2002:str> x', '!!float abc')},
    {weight: 1, arbitrary: fc.constantFrom('&anchor value', '*anchor', '*missing', '&a [*a]', '@reserved', '`reserved', '%directive', '| x', '> x', '[unclosed', '{a: 1', '"unclosed', "'unclosed", 'a: b: c', '- item', '# comment only', 'x #comment')},
    {weight: 1, arbitrary: fc.tuple(fc.constantFrom('x', 'ab ', 'é', '🙂', '\\u0000'), fc.integer({min: 1000, max: 60_000})).map(([unit, count]) => `"${unit.repeat(Math.ceil(count / unit.length))}"`)}
  )
}

function yamlValue(): fc.Arbitrary<YamlValue> {
  const {value} = fc.letrec<{value: YamlValue; flow: string}>((tie) => ({
    flow: fc.oneof(
      {depthSize: 'small', withCrossShrink: true, maxDepth: 3},
      {weight: 5, arbitrary: yamlScalar()},
      {weight: 1, arbitrary: fc.array(tie('flow'), {maxLength: 4}).map((items) => `[${items.join(', ')}]`)},
      {weight: 1, arbitrary: fc.array(fc.tuple(fc.constantFrom(...keyNames.own, ...keyNames.foreign, 'name', 'url', 'id', 'type'), tie('flow')), {maxLength: 4}).map((pairs) => `{${pairs.map(([key, item]) => `${key}: ${item}`).join(', ')}}`)}
    ),
    value: fc.oneof(
      {depthSize: 'small', withCrossShrink: true, maxDepth: 3},
      {weight: 6, arbitrary: tie('flow').map((inline) => ({inline}))},
      {
        weight: 2,
        arbitrary: fc.array(fc.tuple(fc.constantFrom('name', 'url', 'bio', 'sameAs', 'logo', 'id', 'type', 'datePublished', 'dateline', 'via', 'publisher', 'author', 'extra'), tie('value')), {minLength: 1, maxLength: 4}).map((pairs) => ({
          lines: pairs.flatMap(([key, item]) => renderEntry(key, item))
        }))
      },
      {
        weight: 2,
        arbitrary: fc.array(tie('value'), {minLength: 1, maxLength: 3}).map((items) => ({
          lines: items.flatMap((item) => {
            const rendered = 'inline' in item ? [item.inline] : [...(item.header ? [`${item.header}`] : []), ...item.lines]
            return rendered.map((line, index) => (index === 0 ? `- ${line}` : `  ${line}`))
          })
        }))
      },
      {weight: 1, arbitrary: fc.tuple(fc.constantFrom('|', '>', '|-', '>+', '|2'), fc.array(hostileText(20).map((line) => line.replace(/[\n\r]/g, ' ')), {minLength: 1, maxLength: 3})).map(([header, lines]) => ({header, lines}))},
      {weight: 1, arbitrary: fc.integer({min: 1, max: 1500}).map((depth) => ({inline: `${'['.repeat(depth)}x${']'.repeat(depth)}`}))},
      {weight: 1, arbitrary: fc.integer({min: 1, max: 600}).map((depth) => ({inline: `${'{a: '.repeat(depth)}x${'}'.repeat(depth)}`}))},
      {weight: 1, arbitrary: fc.integer({min: 1, max: 120}).map((depth) => ({lines: Array.from({length: depth}, (_, index) => `${'  '.repeat(index)}a:`).concat(`${'  '.repeat(depth)}b: x`)}))},
      {weight: 1, arbitrary: fc.constant({lines: billionLaughs()})}
    )
  }))
  return value
}

function billionLaughs(): string[] {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
  for (const [index, name] of [...'bcdefghi'].entries()) {
    const previous = 'abcdefghi'[index]!
    lines.push(`${name}: &${name} [${Array.from({length: 9}, () => `*${previous}`).join(',')}]`)
  }
  return lines
}

/** The fields of a minimal valid article, which a case may replace or drop. */
const baseFields: Array<[string, YamlValue]> = [
  ['title', {inline: 'A test article'}],
  ['url', {inline: 'https://example.org/a-test-article'}],
  ['datePublished', {inline: '"2020-02-03T10:00:00+01:00"'}],
  ['description', {inline: 'What the test article is about.'}],
  ['language', {inline: 'en'}],
  ['author', {lines: ['name: Ada Reporter']}],
  ['publisher', {lines: ['name: Example News']}]
]

/**
 * A whole article: YAML-ish frontmatter and a valid minimal body. Half the cases are well-formed and mostly valid
 * (hostile but well-typed values, the conventions of other generators), so that many build; the others are wild
 * (any value in any field, broken syntax, tabs, deep nesting, aliases, long lines, a missing fence).
 */
function frontmatterCase(): fc.Arbitrary<string> {
  const wildField = ([key, value]: [string, YamlValue]) =>
    fc.oneof(
      {weight: 6, arbitrary: fc.constant<Array<[string, YamlValue]>>([[key, value]])},
      {weight: 3, arbitrary: yamlValue().map((other): Array<[string, YamlValue]> => [[key, other]])},
      {weight: 1, arbitrary: fc.constant<Array<[string, YamlValue]>>([])}
    )
  const extraKey = fc.oneof(fc.constantFrom(...keyNames.own), fc.constantFrom(...keyNames.foreign), fc.constantFrom(...keyNames.ignored), fc.constantFrom(...keyNames.weird), fc.stringMatching(/^[a-zA-Z_][\w-]{0,12}$/))
  const wild = fc.record({
    entries: fc.tuple(...baseFields.map(wildField)).map((fields) => fields.flat()),
    extra: fc.array(fc.tuple(extraKey, yamlValue()), {maxLength: 3}),
    garbage: fc.oneof({weight: 3, arbitrary: fc.constant(null)}, {weight: 1, arbitrary: fc.string({unit: fc.constantFrom(...hostileCharacters), maxLength: 30})}),
    fence: fc.constantFrom('---', '---', '---', '---', '--- ', '...', '----', ''),
    tabs: fc.boolean()
  })
  const near = fc.record({
    entries: fc.tuple(...baseFields.map(nearValidField)).map((fields) => fields.flat()),
    extra: fc.array(nearValidExtra(), {maxLength: 4}),
    garbage: fc.constant(null),
    fence: fc.constant('---'),
    tabs: fc.constant(false)
  })
  return fc
    .record({
      frontmatter: fc.oneof(near, wild),
      shuffle: fc.boolean(),
      lineEnding: fc.constantFrom('\n', '\n', '\r\n'),
      bom: fc.boolean()
    })
    .map(({frontmatter: {entries, extra, garbage, fence, tabs}, shuffle, lineEnding, bom}) => {
      let all = [...entries, ...extra]
      if (shuffle) all = [...all].reverse()
      let lines = all.flatMap(([key, value]) => renderEntry(key, value))
      if (garbage !== null) lines.splice(Math.floor(lines.length / 2), 0, garbage)
      if (tabs) lines = lines.map((line) => line.replace(/^ {2}/, '\t'))
      const text = `---\n${lines.join('\n')}\n${fence}\n\nThe ministry said on Monday that talks would resume.\n`
      return `${bom ? '\ufeff' : ''}${text.replace(/\n/g, lineEnding)}`
    })
}

/** A base field kept, or given another well-typed (often hostile) value. */
function nearValidField([key, value]: [string, YamlValue]): fc.Arbitrary<Array<[string, YamlValue]>> {
  const text = hostileText().filter((item) => item.trim() !== '').map((item) => ({inline: yamlQuote(item)}))
  const url = fc.constantFrom('https://example.org/a', 'http://example.org/a?b=c&d=e#f', 'https://xn--nxasmq6b.example/p', 'https://example.org/%3C/script%3E')
  const person = fc.record({name: text, url: fc.option(url), bio: fc.option(text)}).map(({name, url: link, bio}) => [`name: ${name.inline}`, ...(link ? [`url: ${link}`] : []), ...(bio ? [`bio: ${bio.inline}`] : [])])
  const alternatives: Record<string, fc.Arbitrary<YamlValue>> = {
    title: text,
    description: text,
    url: url.map((inline) => ({inline})),
    datePublished: fc.constantFrom(...validDates).map((inline) => ({inline})),
    language: fc.constantFrom('en', 'en-GB', 'fr', 'zh-Hant-TW', 'ar').map((inline) => ({inline})),
    author: fc.oneof(person.map((lines) => ({lines})), fc.array(person, {minLength: 1, maxLength: 3}).map((people) => ({lines: people.flatMap((lines) => lines.map((line, index) => `${index === 0 ? '- ' : '  '}${line}`))}))),
    publisher: fc.record({name: text, url: fc.option(url)}).map(({name, url: link}) => ({lines: [`name: ${name.inline}`, ...(link ? [`url: ${link}`, `logo: ${link}`] : [])]}))
  }
  return fc.oneof({weight: 2, arbitrary: fc.constant<Array<[string, YamlValue]>>([[key, value]])}, {weight: 1, arbitrary: alternatives[key]!.map((other): Array<[string, YamlValue]> => [[key, other]])})
}

/** An optional field of newsgraph, or a key of another generator's conventions, with a plausible value. */
function nearValidExtra(): fc.Arbitrary<[string, YamlValue]> {
  const text = hostileText().filter((item) => item.trim() !== '').map((item) => ({inline: yamlQuote(item)}))
  return fc.oneof(
    fc.tuple(fc.constantFrom('section', 'excerpt', 'summary', 'subtitle', 'category'), text),
    fc.tuple(fc.constantFrom('keywords', 'tags'), fc.uniqueArray(hostileText().filter((item) => item.trim() !== ''), {maxLength: 3}).map((items) => ({lines: items.map((item) => `- ${yamlQuote(item)}`)}))),
    fc.tuple(fc.constant('tags'), fc.constantFrom('a, b, a', '"x,y"', '[one, two]', '[]').map((inline) => ({inline}))),
    fc.tuple(fc.constantFrom('dateModified', 'date', 'lastmod', 'updated'), fc.constantFrom(...validDates, '2020-02-04', '"2014-03-12 10:11:00 -0400"', '2014-03-12T10:11', '"2014-03-12 9:05 +5:30"').map((inline) => ({inline}))),
    fc.tuple(fc.constantFrom('slug', 'permalink'), fc.constantFrom('a-slug', 'x1', '/2020/01/02/some-post.html', '/blog/ünïcode post/', '"../../etc/passwd"').map((inline) => ({inline}))),
    fc.tuple(fc.constantFrom('lang', 'locale'), fc.constantFrom('en_US', 'fr', 'pt_BR').map((inline) => ({inline}))),
    fc.tuple(fc.constantFrom('authors'), fc.constantFrom('[Ada Reporter, Bo Writer]', 'Ada Reporter', '[42]').map((inline) => ({inline}))),
    fc.tuple(fc.constantFrom(...keyNames.ignored), fc.constantFrom('x.png', 'true', '[a, b]', '{a: 1}').map((inline) => ({inline}))),
    fc.constant<[string, YamlValue]>(['sources', {lines: wireSources.split('\n').slice(1).map((line) => line.slice(2))}])
  )
}

/** Frontmatter lines declaring the sources the generated quotations cite. */
const wireSources = [
  'sources:',
  '  - id: wire',
  '    type: NewsArticle',
  '    name: A wire report',
  '    datePublished: "2020-02-02"',
  '    dateline: Tokyo',
  '  - id: nyt',
  '    type: Report',
  '    name: A report',
  '    datePublished: "2019-12-31T09:00:00-05:00"'
].join('\n')

const names = ['Japan', 'Russia', 'North Korea', 'the North', 'Pyongyang', 'Kim Jong Il', 'Mr. Kim', 'Prime Minister Ana Duarte', 'the Japanese Coast Guard', 'NATO', 'Tokyo', 'Amina Diallo', 'Bank of America', 'U.S.', 'Americans', 'Jackson Pollock', 'Apple', 'Orbital Dynamics CEO Priya Raman']
const words = ['the', 'talks', 'resumed', 'on', 'Monday', 'said', 'would', 'visit', 'attacked', 'not', 'in', 'with', 'today', 'August 2003', 'last year', 'and', 'of', 'reportedly', 'announced', 'that']
const linkUrls = [
  'https://example.org/x',
  'javascript:alert(1)',
  ' JaVaScRiPt:alert(1)',
  'jav&#x61;script:alert(1)',
  'java\tscript:alert(1)',
  'vbscript:msgbox(1)',
  'data:text/html,<script>alert(1)</script>',
  'https://www.wikidata.org/wiki/Q17',
  'https://en.wikipedia.org/wiki/Japan',
  'https://www.wikidata.org/wiki/Q987654',
  'mailto:a@example.org',
  '/relative/path',
  '#fragment',
  '<https://example.org/with space>',
  '"onmouseover=alert(1)'
]

function inline(heavy = true): fc.Arbitrary<string> {
  const word = fc.oneof({weight: 4, arbitrary: fc.constantFrom(...words)}, {weight: 3, arbitrary: fc.constantFrom(...names)}, {weight: 2, arbitrary: hostileText(12)})
  const phrase = fc.array(word, {minLength: 1, maxLength: 5}).map((items) => items.join(' '))
  return fc
    .array(
      fc.oneof(
        {weight: 6, arbitrary: phrase},
        {weight: 1, arbitrary: phrase.map((value) => `*${value}*`)},
        {weight: 1, arbitrary: phrase.map((value) => `**${value}**`)},
        {weight: 1, arbitrary: phrase.map((value) => `~~${value}~~`)},
        {weight: 1, arbitrary: phrase.map((value) => `\`${value}\``)},
        {weight: 2, arbitrary: fc.tuple(fc.oneof(phrase, fc.constantFrom(...names)), fc.constantFrom(...linkUrls)).map(([label, url]) => `[${label}](${url})`)},
        {weight: 1, arbitrary: fc.tuple(phrase, fc.constantFrom(...linkUrls)).map(([alt, url]) => `![${alt}](${url})`)},
        {weight: 1, arbitrary: fc.constantFrom('<https://example.org/auto>', 'www.example.org', 'a@example.org', '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '<a href="javascript:alert(1)">x</a>', '<!-- c -->', '</p>', '&amp;', '&#0;', '&#xD800;', '&#x1F600;', '&nbsp;', '\\*', '  \n', '\\\n', '[^wire]', '[^nyt]', '[^other]', '[^]', '[text][ref]')},
        {weight: 1, arbitrary: fc.constantFrom('🇯🇵👨‍👩‍👧', 'שלום עולם', 'مرحبا', 'e\u0301\u0301\u0301', 'Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇', '\u202eevil', '\u0000\u0001\u001b\u007f\u0085', '\ud800', '\u2028\u2029', '\ufffe\uffff', '\ufeff')},
        {weight: heavy ? 1 : 0, arbitrary: fc.integer({min: 1000, max: 5000}).map((length) => 'Supercalifragilistic'.repeat(Math.ceil(length / 20)).slice(0, length))}
      ),
      {minLength: 1, maxLength: 6}
    )
    .map((parts) => `${parts.join(' ')}.`)
}

/** An arbitrary Markdown body: a mix of blocks, sometimes nested 200 deep. */
function markdownBody(heavy = true): fc.Arbitrary<string> {
  const {block} = fc.letrec<{block: string}>((tie) => ({
    block: fc.oneof(
      {depthSize: 'small', withCrossShrink: true, maxDepth: 3},
      {weight: 6, arbitrary: inline(heavy)},
      {weight: 2, arbitrary: fc.tuple(fc.integer({min: 1, max: 7}), inline(heavy)).map(([level, text]) => `${'#'.repeat(level)} ${text}`)},
      {weight: 1, arbitrary: fc.tuple(inline(heavy), fc.constantFrom('===', '---')).map(([text, underline]) => `${text}\n${underline}`)},
      {
        weight: 3,
        arbitrary: fc.tuple(fc.array(tie('block'), {minLength: 1, maxLength: 3}), fc.constantFrom(' [^wire]', ' [^nyt]', '', ' [^other]', '[^wire][^nyt]', ' [^ wire]', ' [^WIRE]')).map(([blocks, reference]) =>
          `${blocks.join('\n\n')}${reference}`
            .split('\n')
            .map((line) => `> ${line}`)
            .join('\n')
        )
      },
      {
        weight: 2,
        arbitrary: fc.tuple(fc.array(tie('block'), {minLength: 1, maxLength: 3}), fc.constantFrom('- ', '* ', '1. ', '2) ', '- [ ] ', '- [x] ')).map(([items, marker]) =>
          items.map((item) => item.split('\n').map((line, index) => (index === 0 ? `${marker}${line}` : `${' '.repeat(marker.length)}${line}`)).join('\n')).join('\n')
        )
      },
      {
        weight: 1,
        arbitrary: fc.tuple(fc.integer({min: 1, max: 4}), fc.array(fc.array(inline(heavy).map((cell) => cell.replace(/[|\n]/g, ' ')), {minLength: 1, maxLength: 4}), {minLength: 1, maxLength: 3})).map(([columns, rows]) =>
          [`| ${Array.from({length: columns}, (_, index) => `H${index}`).join(' | ')} |`, `|${' --- |'.repeat(columns)}`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n')
        )
      },
      {weight: 1, arbitrary: fc.tuple(fc.constantFrom('```', '~~~', '```js', '````'), hostileText()).map(([fence, code]) => `${fence}\n${code}\n${fence.replace(/js$/, '')}`)},
      {weight: 1, arbitrary: inline(heavy).map((text) => `    ${text}`)},
      {weight: 1, arbitrary: fc.constantFrom('<div onclick="alert(1)">\n<script>alert(1)</script>\n</div>', '<!--\nhidden Japan\n-->', '<style>body{}</style>', '<iframe src="javascript:alert(1)"></iframe>', '<table><tr><td>Japan</td></tr></table>')},
      {weight: 1, arbitrary: fc.constantFrom('---', '***', '[ref]: https://example.org', '[ref]: javascript:alert(1)')},
      {weight: 1, arbitrary: fc.tuple(fc.constantFrom('wire', 'nyt', 'other', 'x'), inline(heavy)).map(([id, text]) => `[^${id}]: ${text}`)},
      {weight: heavy ? 1 : 0, arbitrary: fc.tuple(fc.integer({min: 50, max: 200}), inline(heavy)).map(([depth, text]) => `${'>'.repeat(depth)} ${text} [^wire]`)},
      {weight: heavy ? 1 : 0, arbitrary: fc.tuple(fc.integer({min: 50, max: 200}), inline(heavy)).map(([depth, text]) => Array.from({length: depth}, (_, index) => `${'  '.repeat(index)}- ${index === depth - 1 ? text : 'level'}`).join('\n'))}
    )
  }))
  return fc.tuple(fc.array(block, {minLength: 1, maxLength: 8}), fc.boolean(), fc.boolean()).map(([blocks, definitions, crlf]) => {
    const body = `${blocks.join('\n\n')}\n${definitions ? '\n[^wire]: A wire report.\n\n[^nyt]: A report.\n' : ''}`
    return crlf ? body.replace(/\r?\n/g, '\r\n') : body
  })
}

/** A valid article whose every text field and quotation carries hostile strings. */
function hostileArticle(): fc.Arbitrary<string> {
  const value = fc.oneof(hostileText(), fc.constantFrom(...hostileStrings)).map((text) => (text.trim() === '' ? `${text}x` : text))
  const plain = (text: string) => text.replace(/[\n\r]/g, ' ')
  return fc
    .record({
      title: value,
      description: value,
      author: value,
      bio: value,
      publisher: value,
      section: value,
      keywords: fc.uniqueArray(value, {maxLength: 3}),
      sourceName: value,
      sourceAuthor: value,
      dateline: value,
      quote: value,
      heading: value,
      paragraph: value,
      cell: value
    })
    .map((fields) => {
      const frontmatter = [
        `title: ${yamlQuote(fields.title)}`,
        'url: https://example.org/a-test-article',
        'datePublished: "2020-02-03T10:00:00+01:00"',
        `description: ${yamlQuote(fields.description)}`,
        'language: en',
        `section: ${yamlQuote(fields.section)}`,
        ...(fields.keywords.length > 0 ? ['keywords:', ...fields.keywords.map((keyword) => `  - ${yamlQuote(keyword)}`)] : []),
        'author:',
        `  name: ${yamlQuote(fields.author)}`,
        `  bio: ${yamlQuote(fields.bio)}`,
        '  url: https://example.org/ada',
        'publisher:',
        `  name: ${yamlQuote(fields.publisher)}`,
        'sources:',
        '  - id: wire',
        '    type: NewsArticle',
        `    name: ${yamlQuote(fields.sourceName)}`,
        `    author: ${yamlQuote(fields.sourceAuthor)}`,
        `    dateline: ${yamlQuote(fields.dateline)}`,
        '    url: https://example.org/wire'
      ].join('\n')
      const body = [
        `# ${plain(fields.heading)} Japan`,
        `Japan said ${plain(fields.paragraph)} on Monday.`,
        `> Russia ${plain(fields.quote)} today. [^wire]`,
        `| A | B |\n| --- | --- |\n| ${plain(fields.cell).replace(/\|/g, '\\|')} | Tokyo |`,
        '[^wire]: A wire report.'
      ].join('\n\n')
      return `---\n${frontmatter}\n---\n\n${body}\n`
    })
}

/** Deterministic prose of at least `size` characters, with names, dates and quotations, in paragraphs. */
function largeBody(size: number): string {
  const sentences = [
    'Japan and Russia held talks in Tokyo on Monday, the ministry said.',
    'Prime Minister Ana Duarte visited Pyongyang last year with officials of the Japanese Coast Guard.',
    'The exercise, the first in five years, would not resume before August 2003, according to the report.',
    'Kim Jong Il rejected the proposal; Mr. Kim said the North would not attend the summit.',
    'Analysts at the Bank of America expect the negotiations to continue for decades.'
  ]
  const paragraphs: string[] = []
  let length = 0
  for (let index = 0; length < size; index++) {
    const paragraph = Array.from({length: 6}, (_, offset) => sentences[(index + offset) % sentences.length]!).join(' ')
    paragraphs.push(index % 50 === 7 ? `> ${paragraph}` : paragraph)
    length += paragraph.length + 2
  }
  return `${paragraphs.join('\n\n')}\n`
}

/** One article of a site: a distinct file name and slug, shared and conflicting authors, tied dates. */
function siteArticle(): fc.Arbitrary<{name: string; contents: string}> {
  return fc
    .record({
      name: fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/),
      title: fc.constantFrom('Talks resume', 'Japan and Russia', 'A summit in Tokyo', 'Kim Jong Il visits Moscow'),
      date: fc.constantFrom('2020-02-03T10:00:00+01:00', '2020-02-03T09:00:00Z', '2003-08-20T09:30:00-05:00', '2021-01-01T00:00:00+14:00'),
      author: fc.constantFrom('name: Ada Reporter', 'name: Ada Reporter\n  url: https://example.org/ada', 'name: Ada Reporter\n  bio: Another bio.', 'name: Bo Writer'),
      publisher: fc.constantFrom('name: Example News', 'name: The New York Times', 'name: Example News\n  url: https://example.org/'),
      body: markdownBody(false)
    })
    .map(({name, title, date, author, publisher, body}) => ({
      name,
      contents: `---\ntitle: ${title}\nurl: https://example.org/${name}\ndatePublished: "${date}"\ndescription: About ${name}.\nlanguage: en\nauthor:\n  ${author}\npublisher:\n  ${publisher}\n${wireSources}\n---\n\n${body}`
    }))
}
