// YAML data files (site.yaml, entities.yaml, lexicons): parse, validate, report with positions.
import type {ValidateFunction} from 'ajv'
import type {VFile} from 'vfile'
import {LineCounter, parseDocument} from 'yaml'
import {report} from './message.js'
import type {FrontmatterSource} from './types.js'
import {reportSchemaErrors} from './validate.js'

/** Parse a YAML file and validate it; messages (ruleIds `<prefix>-…`) go on `file`. */
export function parseYamlFile<T>(file: VFile, validate: ValidateFunction<T>, prefix: string): {value: T; source: FrontmatterSource} | undefined {
  const lineCounter = new LineCounter()
  const document = parseDocument(String(file), {lineCounter, uniqueKeys: true, prettyErrors: false, strict: true})
  for (const error of document.errors) {
    report(file, `Unexpected invalid YAML: ${error.message.split('\n')[0]}`, `${prefix}-yaml`, {offset: error.pos[0]})
  }
  if (document.errors.length > 0) return undefined
  const source: FrontmatterSource = {document, lineCounter, offset: 0}
  let value: unknown
  try {
    value = document.toJS({maxAliasCount: 50})
  } catch (error) {
    report(file, `Unexpected YAML: ${(error as Error).message}`, `${prefix}-yaml`)
    return undefined
  }
  if (!validate(value)) {
    reportSchemaErrors(file, source, validate.errors ?? [], prefix)
    return undefined
  }
  return {value, source}
}
