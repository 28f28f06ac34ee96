// Preload for `node --import ./bench/thread-cpu.mjs bin/newsgraph.js build …`:
// samples every thread of the process (workers, V8's and libuv's helpers)
// from /proc/self/task every 0.2 s and prints, at exit, each one's user and
// system CPU in seconds and when it was first and last seen (the main
// thread marked `*`), to stderr or to the file named by THRCPU_OUT.
// Linux only; a diagnostic for the README's "CPU by thread", not a test.
import fs from 'node:fs'
import {isMainThread} from 'node:worker_threads'

if (isMainThread) {
  const ticksPerSecond = 100
  const started = Date.now()
  /** @type {Map<string, {cpu: number, first: number, last: number}>} */
  const threads = new Map()

  const sample = () => {
    const now = (Date.now() - started) / 1000
    let tids = []
    try {
      tids = fs.readdirSync('/proc/self/task')
    } catch {
      return
    }
    for (const tid of tids) {
      let stat
      try {
        stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8')
      } catch {
        continue // the thread ended meanwhile
      }
      // Fields after the command's closing parenthesis: utime is the 12th, stime the 13th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      const cpu = (Number(fields[11]) + Number(fields[12])) / ticksPerSecond
      const seen = threads.get(tid)
      if (seen) Object.assign(seen, {cpu, last: now})
      else threads.set(tid, {cpu, first: now, last: now})
    }
  }

  setInterval(sample, 200).unref()
  process.on('exit', () => {
    sample()
    const rows = [...threads].sort((a, b) => b[1].cpu - a[1].cpu)
    const total = rows.reduce((sum, [, thread]) => sum + thread.cpu, 0)
    const lines = rows
      .filter(([, thread]) => thread.cpu >= 0.05)
      .map(
        ([tid, thread]) =>
          `${tid}${Number(tid) === process.pid ? '*' : ' '} ${thread.cpu.toFixed(2).padStart(8)} s  ${thread.first.toFixed(1)}–${thread.last.toFixed(1)} s`
      )
    lines.push(`total ${total.toFixed(2)} s of CPU over ${((Date.now() - started) / 1000).toFixed(1)} s`)
    const text = lines.join('\n') + '\n'
    if (process.env.THRCPU_OUT) fs.writeFileSync(process.env.THRCPU_OUT, text)
    else process.stderr.write(text)
  })
}
