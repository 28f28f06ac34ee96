// Command-line interface: `newsgraph build [options]`.
import {parseArgs} from 'node:util'
import {relative} from 'node:path'
import {build} from './build.js'
import {importText} from './import.js'
import {readSource} from './read.js'
import {writeText} from './write.js'
import {formatMessage} from './message.js'

/** Usage text printed by `--help`. */
export const usage = `Usage: newsgraph build [options]
       newsgraph import FILE [--out FILE]

build   Build Markdown articles into JSON-LD, CSV, RSS and HTML.
import  Turn raw scraped article text into a Markdown draft with frontmatter
        (to standard output, or to --out FILE), noting what it removed or guessed.

Options of build:
  --source DIR     directory of the articles and site.yaml (default: source)
  --out DIR        output directory, replaced whole on success (default: dist)
  --base-url URL   absolute base URL of the site (default: baseUrl in DIR/site.yaml)
  --strict         treat warnings as errors
  --quiet          print errors and warnings only, not infos (suggestions)
  -h, --help       show this help
  -v, --version    show the version

Exit codes: 0 built (or imported), 1 the sources have errors (nothing written)
or the file to import cannot be read, 2 wrong usage.`

/** Run the CLI with `args`; returns the exit code. Output goes to stdout/stderr. */
export async function main(args: string[]): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        source: {type: 'string', default: 'source'},
        out: {type: 'string'},
        'base-url': {type: 'string'},
        strict: {type: 'boolean', default: false},
        quiet: {type: 'boolean', default: false},
        help: {type: 'boolean', short: 'h', default: false},
        version: {type: 'boolean', short: 'v', default: false}
      }
    })
  } catch (error) {
    process.stderr.write(`newsgraph: ${(error as Error).message}\n\n${usage}\n`)
    return 2
  }
  const {values, positionals} = parsed
  if (values.help) {
    process.stdout.write(`${usage}\n`)
    return 0
  }
  if (values.version) {
    process.stdout.write(`${await version()}\n`)
    return 0
  }
  if (positionals[0] === 'import' && positionals.length === 2) return importCommand(positionals[1]!, values.out)
  if (positionals.length !== 1 || positionals[0] !== 'build') {
    process.stderr.write(`newsgraph: expected the command \`build\` or \`import FILE\`${positionals.length > 0 ? `, not \`${positionals.join(' ')}\`` : ''}\n\n${usage}\n`)
    return 2
  }

  const started = performance.now()
  const out = values.out ?? 'dist'
  const result = await build({source: values.source, out, strict: values.strict, ...(values['base-url'] === undefined ? {} : {baseUrl: values['base-url']})})
  const lines: string[] = []
  for (const file of result.files) {
    for (const message of file.messages) {
      if (values.quiet && message.fatal !== true && message.fatal !== false) continue
      lines.push(formatMessage(message, process.cwd()))
    }
  }
  if (lines.length > 0) process.stderr.write(`${lines.join('\n')}\n`)
  const ms = Math.round(performance.now() - started)
  const suggestions = result.infos > 0 ? `, ${plural(result.infos, 'suggestion')}` : ''
  const summary = `${plural(result.articles, 'article')}, ${plural(result.errors, 'error')}, ${plural(result.warnings, 'warning')}${suggestions} in ${ms} ms`
  process.stderr.write(result.written ? `newsgraph: built ${summary} → ${out}/\n` : `newsgraph: failed: ${summary}; ${out}/ left unchanged\n`)
  return result.written ? 0 : 1
}

/** `newsgraph import FILE [--out FILE]`: write a draft and print what was removed or guessed. */
async function importCommand(path: string, out: string | undefined): Promise<number> {
  let text: string
  try {
    text = String(await readSource(path))
  } catch (error) {
    process.stderr.write(`newsgraph: cannot read \`${path}\`: ${(error as Error).message}\n`)
    return 1
  }
  const {markdown, notes} = importText(text, {fileName: path})
  const where = relative(process.cwd(), path) || path
  for (const item of notes) process.stderr.write(`${where}:${item.line}:${item.column}: info: ${item.reason}  ${item.ruleId}\n`)
  if (out) await writeText(out, markdown)
  else process.stdout.write(markdown)
  process.stderr.write(`newsgraph: imported ${where}${out ? ` → ${out}` : ''}: ${plural(notes.length, 'note')}; review the draft before building\n`)
  return 0
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}

async function version(): Promise<string> {
  const {readFile} = await import('node:fs/promises')
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {version: string}
  return pkg.version
}
