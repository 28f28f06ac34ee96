// The built site in a real browser: source/ built with build(), served over HTTP on
// 127.0.0.1, opened in Debian's headless Chromium through playwright-core. The JSON-LD
// that a browser (or a crawler running one) reads from the DOM is the published
// document; the pages read without JavaScript; the article page fits a phone.
import {existsSync} from 'node:fs'
import {mkdir, readFile, readdir, stat} from 'node:fs/promises'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {extname, join, normalize, sep} from 'node:path'
import {chromium, type Browser, type BrowserContext, type Page} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {build} from '../pipeline/build.js'
import {root, temporaryDirectory} from './helpers.js'

/** Debian's Chromium (package `chromium`); never a browser that Playwright downloads. */
const chromiumPath = '/usr/bin/chromium'
const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
const seedSlug = '2003-08-20-mounting-multilateral-pressure-on-pyongyang'
const artifacts = join(root, 'test-results')
const timeout = 60_000
const phone = {width: 390, height: 844}
const desktop = {width: 1280, height: 800}

interface JsonLdNode {
  '@id': string
  '@type'?: string | string[]
  [key: string]: unknown
}
interface JsonLdDocument {
  '@context': unknown
  '@graph': JsonLdNode[]
}

// ---------------------------------------------------------------------------
// A small static server for the built directory.

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.jsonld': 'application/ld+json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml'
}

/** Serve the files under `dir` (GET and HEAD only; `/x/` is `/x/index.html`; nothing outside `dir`). */
function serve(dir: string, log: Array<{status: number; path: string}>): Promise<Server> {
  const server = createServer((request, response) => {
    const reply = (status: number, body: string | Buffer, type = 'text/plain; charset=utf-8') => {
      log.push({status, path: request.url ?? ''})
      response.writeHead(status, {'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store'})
      response.end(request.method === 'HEAD' ? undefined : body)
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') return reply(405, 'Method not allowed\n')
    let path: string
    try {
      path = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname)
    } catch {
      return reply(400, 'Bad request\n')
    }
    if (path.includes('\0') || path.length > 1024) return reply(400, 'Bad request\n')
    const file = normalize(join(dir, path.endsWith('/') ? `${path}index.html` : path))
    if (!file.startsWith(dir + sep)) return reply(403, 'Forbidden\n')
    readFile(file).then(
      (body) => reply(200, body, contentTypes[extname(file)] ?? 'application/octet-stream'),
      () => reply(404, 'Not found\n')
    )
  })
  server.requestTimeout = 10_000
  server.headersTimeout = 5_000
  server.keepAliveTimeout = 1_000
  server.maxHeadersCount = 100
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve(server))
  })
}

// ---------------------------------------------------------------------------
// The build, the server and the browser, shared by every test.

let out = ''
let origin = ''
let server: Server | undefined
let browser: Browser | undefined
let context: BrowserContext | undefined
let noScript: BrowserContext | undefined
const served: Array<{status: number; path: string}> = []
/** Requests the pages tried to make off 127.0.0.1 (aborted), and errors the pages threw. */
const external: string[] = []
const pageErrors: string[] = []
const timings: Record<string, number> = {}

async function timed<T>(label: string, task: () => Promise<T>): Promise<T> {
  const start = performance.now()
  try {
    return await task()
  } finally {
    timings[label] = Math.round(performance.now() - start)
  }
}

async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(join(out, path), 'utf8')) as T
}

/** A context that answers only from our server: anything else is aborted and recorded. */
async function newContext(options: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
  const created = await browser!.newContext({viewport: desktop, ...options})
  created.setDefaultTimeout(timeout)
  await created.route('**/*', (route) => {
    const url = route.request().url()
    if (url.startsWith(`${origin}/`)) return route.continue()
    external.push(url)
    return route.abort()
  })
  return created
}

async function open(target: BrowserContext, path: string): Promise<Page> {
  const page = await target.newPage()
  page.on('pageerror', (error) => pageErrors.push(`${path}: ${error.message}`))
  const response = await page.goto(`${origin}/${path}`, {waitUntil: 'load'})
  expect(response?.status(), path).toBe(200)
  expect(response?.headers()['content-type'], path).toBe('text/html; charset=utf-8')
  return page
}

/** Every `<script type="application/ld+json">` of the page, as the DOM holds it, parsed. */
async function jsonLdOf(page: Page): Promise<unknown[]> {
  const texts = await page.locator('script[type="application/ld+json"]').allTextContents()
  return texts.map((value) => JSON.parse(value) as unknown)
}

const squash = (value: string) => value.replace(/\s+/g, ' ').trim()

beforeAll(async () => {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium is not installed at ${chromiumPath}: the browser test needs Debian's chromium package. ` +
        'Install it with `make chromium` (or `apt-get update && apt-get install -y chromium`); the test never downloads a browser.'
    )
  }
  const dir = await temporaryDirectory('newsgraph-browser-')
  out = join(dir, 'dist')
  const result = await timed('build', () => build({source: join(root, 'source'), out, cwd: dir}))
  expect(result.written, 'source/ did not build').toBe(true)
  server = await serve(out, served)
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  browser = await timed('launch', () => chromium.launch({executablePath: chromiumPath, args: chromiumArgs, headless: true, timeout}))
  context = await newContext()
  noScript = await newContext({javaScriptEnabled: false})
  await mkdir(artifacts, {recursive: true})
}, 2 * timeout)

afterAll(async () => {
  await context?.close().catch(() => undefined)
  await noScript?.close().catch(() => undefined)
  await browser?.close().catch(() => undefined)
  if (server) {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server!.close(() => resolve()))
  }
  if (process.env['NEWSGRAPH_BROWSER_TIMINGS']) console.log('browser test timings (ms):', timings, 'requests served:', served.length)
}, timeout)

// ---------------------------------------------------------------------------

describe('the built site in Chromium', () => {
  it(
    'embeds in every article page exactly the published articles/<slug>.jsonld',
    async () => {
      const slugs = (await readdir(join(out, 'articles'))).filter((name) => name.endsWith('.jsonld')).map((name) => name.slice(0, -'.jsonld'.length))
      expect(slugs).toContain(seedSlug)
      await timed('article pages', async () => {
        for (const slug of slugs) {
          const page = await open(context!, `articles/${slug}/`)
          expect(await jsonLdOf(page), slug).toEqual([await readJson<JsonLdDocument>(`articles/${slug}.jsonld`)])
          await page.close()
        }
      })
    },
    timeout
  )

  it(
    'embeds in the home page no JSON-LD other than published documents',
    async () => {
      const page = await open(context!, '')
      expect(await page.locator('h1').innerText()).toBe('newsgraph')
      const published = await Promise.all(
        (await readdir(join(out, 'articles'))).filter((name) => name.endsWith('.jsonld')).map((name) => readJson<JsonLdDocument>(`articles/${name}`))
      )
      const graph = await readJson<JsonLdDocument>('graph.jsonld')
      // Note: index.html embeds no JSON-LD today; whatever it comes to embed must be published as is.
      for (const document of await jsonLdOf(page)) expect([...published, graph]).toContainEqual(document)
      await page.close()
    },
    timeout
  )

  it(
    'embeds in entity pages the entity node as graph.jsonld publishes it',
    async () => {
      const graph = await readJson<JsonLdDocument>('graph.jsonld')
      const ids = (await readdir(join(out, 'entities'), {withFileTypes: true})).filter((entry) => entry.isDirectory()).map((entry) => entry.name)
      expect(ids.length).toBeGreaterThan(10)
      // A few: the seed's main subject, a person, an organization, a place.
      const chosen = ['north-korea', 'kim-jong-il', 'the-new-york-times', 'beijing', ids.at(-1)!].filter((id, index, all) => ids.includes(id) && all.indexOf(id) === index)
      expect(chosen.length).toBeGreaterThanOrEqual(4)
      await timed('entity pages', async () => {
        for (const id of chosen) {
          const page = await open(context!, `entities/${id}/`)
          const documents = (await jsonLdOf(page)) as JsonLdDocument[]
          expect(documents, id).toHaveLength(1)
          const [document] = documents
          const expected = graph['@graph'].find((node) => node['@id'].endsWith(`/entities/${id}/#entity`))
          expect(expected, `graph.jsonld has no node for ${id}`).toBeDefined()
          expect(document).toEqual({'@context': graph['@context'], '@graph': [expected]})
          expect(squash(await page.locator('h1').innerText()), id).toBe(expected!['name'])
          await page.close()
        }
      })
    },
    timeout
  )

  it(
    'shows the headline, the byline and the quotations with JavaScript disabled',
    async () => {
      const document = await readJson<JsonLdDocument>(`articles/${seedSlug}.jsonld`)
      const nodes = new Map(document['@graph'].map((node) => [node['@id'], node]))
      const article = document['@graph'].find((node) => node['@type'] === 'NewsArticle' && node['@id'].endsWith(`/articles/${seedSlug}/#article`))
      expect(article).toBeDefined()
      const authors = (article!['author'] as Array<{'@id': string}>).map((reference) => nodes.get(reference['@id'])?.['name'])
      const publisher = nodes.get((article!['publisher'] as {'@id': string})['@id'])?.['name']
      const quotations = document['@graph'].filter((node) => node['@type'] === 'Quotation')
      expect(authors.length).toBeGreaterThan(0)
      expect(quotations.length).toBeGreaterThan(0)

      // Scripts are off in this context: a page's own script does not run.
      const probe = await noScript!.newPage()
      await probe.setContent('<p id="probe">off</p><script>document.getElementById("probe").textContent = "on"</script>')
      expect(await probe.locator('#probe').innerText()).toBe('off')
      await probe.close()

      const page = await open(noScript!, `articles/${seedSlug}/`)
      const headline = page.locator('#article > header > h1')
      await expect.poll(() => headline.isVisible()).toBe(true)
      expect(squash(await headline.innerText())).toBe(article!['headline'])
      const byline = page.locator('#article .byline')
      expect(await byline.isVisible()).toBe(true)
      const bylineText = squash(await byline.innerText())
      expect(bylineText).toMatch(/^By /)
      for (const name of authors) expect(bylineText).toContain(name)
      expect(bylineText).toContain(publisher)
      for (const quotation of quotations) {
        const fragment = quotation['@id'].split('#')[1]!
        const figure = page.locator(`figure#${fragment}`)
        const quote = figure.locator('blockquote')
        expect(await quote.isVisible(), fragment).toBe(true)
        // The page shows the quotation's text (with its footnote marker), word for word.
        expect(squash(await quote.innerText()), fragment).toContain(squash(String(quotation['text'])))
      }
      expect(await page.locator('figure.quotation').count()).toBe(quotations.length)
      await page.close()
    },
    timeout
  )

  it(
    'renders the seed article on a phone without horizontal scroll, and on a desktop (screenshots in test-results/)',
    async () => {
      const shots: Array<[string, BrowserContext]> = []
      const phoneContext = await newContext({viewport: phone, deviceScaleFactor: 2, isMobile: true, hasTouch: true})
      const desktopContext = await newContext({viewport: desktop})
      shots.push(['article-phone.png', phoneContext], ['article-desktop.png', desktopContext])
      try {
        await timed('screenshots', async () => {
          for (const [name, target] of shots) {
            const page = await open(target, `articles/${seedSlug}/`)
            await page.screenshot({path: join(artifacts, name), fullPage: true, animations: 'disabled'})
            if (target === phoneContext) {
              const {scrollWidth, innerWidth, scale, wide} = (await page.evaluate(`(() => {
                const width = document.documentElement.clientWidth
                const wide = [...document.querySelectorAll('body *')]
                  .filter((element) => element.getBoundingClientRect().right > width + 0.5)
                  .map((element) => element.tagName.toLowerCase() + (element.id ? '#' + element.id : ''))
                return {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, scale: window.visualViewport.scale, wide}
              })()`)) as {scrollWidth: number; innerWidth: number; scale: number; wide: string[]}
              expect(wide, 'elements wider than the phone viewport').toEqual([])
              expect(scrollWidth, 'horizontal scroll on a phone').toBeLessThanOrEqual(innerWidth)
              // A phone shrinks an overflowing page to fit (innerWidth grows): the layout must fit 390 px as is.
              expect(innerWidth).toBe(phone.width)
              expect(scale).toBe(1)
            }
            await page.close()
          }
        })
      } finally {
        await phoneContext.close()
        await desktopContext.close()
      }
      for (const [name] of shots) {
        const file = join(artifacts, name)
        expect((await stat(file)).size, name).toBeGreaterThan(10_000)
        const bytes = await readFile(file)
        expect(bytes.subarray(0, 8).toString('hex'), `${name} is not a PNG`).toBe('89504e470d0a1a0a')
        // IHDR: the phone shot is the phone's width (at its pixel ratio), the desktop one the desktop's.
        const width = bytes.readUInt32BE(16)
        expect(width, name).toBe(name === 'article-phone.png' ? phone.width * 2 : desktop.width)
      }
    },
    timeout
  )

  it('loads nothing from off the site, and the pages throw no errors', () => {
    expect(external).toEqual([])
    expect(pageErrors).toEqual([])
    expect(served.filter(({status}) => status !== 200 && status !== 404)).toEqual([])
  })
})
