// The HTML serializer (pipeline/emit/html-serialize.ts) against hast-util-to-html, the reference it
// stands in for: the same bytes on Markdown of every kind and on hand-built trees, once the
// characters HTML disallows are dropped as the emitters always did.
import {readdir, readFile} from 'node:fs/promises'
import {join} from 'node:path'
import type {Nodes, Root} from 'hast'
import {toHtml} from 'hast-util-to-html'
import {h} from 'hastscript'
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import remarkRehype from 'remark-rehype'
import {unified} from 'unified'
import {describe, expect, it} from 'vitest'
import {dropDisallowed} from '../pipeline/emit/characters.js'
import {serializeHtml} from '../pipeline/emit/html-serialize.js'
import {shared} from './helpers.js'

/** What the emitters did before: drop the disallowed characters from texts and attribute values, then hast-util-to-html. */
function reference(tree: Nodes): string {
  const copy = structuredClone(tree)
  const clean = (value: string) => value.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
  const visit = (node: Nodes): void => {
    if (node.type === 'text') node.value = clean(node.value)
    if (node.type === 'element') {
      for (const [key, value] of Object.entries(node.properties)) {
        if (typeof value === 'string') node.properties[key] = clean(value)
        else if (Array.isArray(value)) node.properties[key] = value.map((item) => (typeof item === 'string' ? clean(item) : item))
      }
    }
    if ('children' in node) for (const child of node.children) visit(child as Nodes)
  }
  visit(copy)
  return toHtml(copy, {allowDangerousHtml: true})
}

const toHast = unified().use(remarkParse).use(remarkFrontmatter).use(remarkGfm).use(remarkRehype)
function markdownTree(markdown: string): Root {
  return toHast.runSync(toHast.parse(markdown)) as Root
}

const hostile = 'A <b>tag</b> & "quotes" \'single\' `tick` </script> <!-- x --> \u0000nul \u0007bel \u000bvt \ud800lone \udc00lone 😀 pair \ufffe\uffff \u2028 \u00a0nbsp é'

describe('serializeHtml', () => {
  it('writes what hast-util-to-html writes for Markdown of every kind', () => {
    const markdown = [
      '# Title with *emphasis* and `code <x>` & more',
      '',
      `Text with ${hostile}, [a link](https://example.com/?a=1&b="2" "title & 'x'") and ![an image](img.png "t").`,
      '',
      '| left | center | right |',
      '| :--- | :----: | ----: |',
      '| a & b | <c> | 3 |',
      '',
      '- [x] done',
      '- [ ] open',
      '',
      '3. three',
      '4. four',
      '',
      'A note[^1] and another[^two].',
      '',
      '[^1]: The note, with <angle> & ampersand.',
      '[^two]: Second.',
      '',
      '```js',
      'const a = "<b>" && 1 < 2',
      '```',
      '',
      '> A quotation\n> over two lines',
      '',
      '---',
      '',
      'Hard  ',
      'break and ~~strike~~ and https://autolink.example.'
    ].join('\n')
    const tree = markdownTree(markdown)
    expect(serializeHtml(tree)).toBe(reference(tree))
  })

  it('writes what hast-util-to-html writes for trees built by hand: booleans, lists of tokens, numbers, data and ARIA attributes, voids, script and style', () => {
    const tree: Root = {
      type: 'root',
      children: [
        {type: 'doctype'},
        h('html', {lang: 'en'}, [
          h('head', [
            h('meta', {charSet: 'utf-8'}),
            h('link', {rel: ['alternate', 'x'], type: 'application/rss+xml', title: hostile, href: 'https://a.example/?a=1&b=2'}),
            h('style', ':root{color:red} a > b {}'),
            h('script', {type: 'application/ld+json'}, `{"a": "${hostile}"}`)
          ]),
          h('body', [
            h('p', {className: ['a', 'b'], id: 'x', hidden: true, dataFootnoteRef: true, ariaDescribedBy: 'n-1', title: ''}, hostile),
            h('input', {type: 'checkbox', checked: true, disabled: false}),
            h('ol', {start: 3, reversed: true}, [h('li', {value: 2}, 'two')]),
            h('img', {src: 'a.png', alt: hostile, width: 10, height: Number.NaN}),
            h('a', {download: '', href: 'x'}, 'download'),
            h('a', {download: 'name.txt', href: 'x'}, 'named'),
            h('input', {accept: ['.png', 'image/*']}),
            h('time', {dateTime: '2003-08-20'}, '20 August 2003'),
            h('br'),
            {type: 'element', tagName: 'br', properties: {}, children: [{type: 'text', value: 'child of a void'}]},
            {type: 'comment', value: ' a comment '},
            h('textarea', '<not raw>'),
            h('svg', {viewBox: '0 0 10 10'}, [h('circle', {cx: 5, cy: 5, r: 4})])
          ])
        ])
      ]
    }
    expect(serializeHtml(tree)).toBe(reference(tree))
  })

  it('writes raw nodes as they are', () => {
    const tree = {type: 'root', children: [h('div', [{type: 'raw', value: '<p>already & serialized</p>'} as never])]} as Root
    expect(serializeHtml(tree)).toBe('<div><p>already & serialized</p></div>')
  })

  it('writes what hast-util-to-html writes for the articles of the 18F corpus', async () => {
    const dir = join(shared, 'corpora', '18f-blog')
    const names = (await readdir(dir)).filter((name) => name.endsWith('.md')).sort().filter((_, index) => index % 6 === 0)
    expect(names.length).toBeGreaterThan(10)
    for (const name of names) {
      const tree = markdownTree(await readFile(join(dir, name), 'utf8'))
      expect(serializeHtml(tree), name).toBe(reference(tree))
    }
  })

  it('drops exactly the characters the XML and HTML character ranges leave out', () => {
    expect(dropDisallowed('a\u0000b\u0008c\td\ne\rf\u000bg\u001fh\u007fi\ud800j\udfffk😀l\ufffdm\ufffen\uffffo')).toBe('abc\td\ne\rfgh\u007fijk😀l\ufffdmno')
  })
})
