// How far V8 lets the heaps of a long-lived process (`newsgraph build --watch`) grow past what they hold, once its first build is done.
import {setFlagsFromString} from 'node:v8'

/**
 * By how much, in percent, V8 may let a heap grow past what it held after
 * its last full collection, in a `--watch` process after its first build.
 * Note: else V8 picks the factor itself, by how fast it collects: the main
 * thread of a `--watch` process of 10,000 bench articles held about 400 MB
 * after a rebuild and grew to about 670 MB during the next (`--trace-gc`);
 * measured in the README (Performance).
 */
export const watchHeapGrowingPercent = 35

/** The V8 option that sets it, spelled either way, with its value or before it. */
const option = /^--heap[-_]growing[-_]percent(?:=|$)/

/**
 * The V8 flag a long-lived process sets once its first build is done, or
 * `undefined` when `node` was started with a setting of its own (in
 * `execArgv`: `NODE_OPTIONS` may not hold this one), which it keeps.
 */
export function heapGrowingFlag(execArgv: readonly string[]): string | undefined {
  if (execArgv.some((argument) => option.test(argument))) return undefined
  return `--heap-growing-percent=${watchHeapGrowingPercent}`
}

/**
 * Let every heap of this process grow by at most `watchHeapGrowingPercent`
 * from now on (V8's flags are the process's: its workers' heaps too),
 * unless it was started with a setting of its own.
 */
export function growHeapsLess(): void {
  const flag = heapGrowingFlag(process.execArgv)
  if (flag !== undefined) setFlagsFromString(flag)
}
