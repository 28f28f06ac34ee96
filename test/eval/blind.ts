// Event evaluation on articles written and annotated blind (test/fixtures/events-dev, test/fixtures/events-heldout): evidence given as sentence text.
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import type {Knowledge} from '../../pipeline/knowledge/index.js'
import {createArticleProcessor, processArticle} from '../../pipeline/process.js'
import {readSource} from '../../pipeline/read.js'
import {score, type Score} from './entities.js'
import {evaluateEvents, type GoldEvent} from './events.js'

/** An event of test/fixtures/heldout/events.gold.json: evidence as sentence text and trigger word, not offsets. */
interface BlindEvent extends Omit<GoldEvent, 'evidence' | 'source'> {
  evidence: Array<{sentence: string; trigger: string}>
}

/** Scores over the held-out articles, pooled. */
export interface BlindSetScores {
  articles: number
  events: number
  strict: Score
  detection: Score
  dates: number
  status: number
  missed: string[]
  spurious: string[]
}

/** Build each held-out article with `knowledge` and score its events against the annotation (matching as `evaluateEvents`). */
export async function evaluateBlindSet(directory: string, knowledge: Knowledge): Promise<BlindSetScores> {
  const gold = JSON.parse(await readFile(join(directory, 'events.gold.json'), 'utf8')) as {articles: Array<{file: string; events: BlindEvent[]}>}
  const processor = createArticleProcessor(knowledge)
  const totals = {strict: {tp: 0, fp: 0, fn: 0}, detection: {tp: 0, fp: 0, fn: 0}, dates: 0, status: 0, events: 0}
  const missed: string[] = []
  const spurious: string[] = []
  for (const entry of gold.articles) {
    const article = await processArticle(await readSource(join(directory, 'articles', entry.file)), processor, knowledge)
    if (!article) throw new Error(`${entry.file} has errors`)
    const text = article.text.value
    const events: GoldEvent[] = entry.events.map((event) => ({
      ...event,
      source: null,
      evidence: event.evidence.map(({sentence, trigger}) => {
        const start = text.indexOf(sentence)
        const offset = sentence.indexOf(trigger)
        if (start === -1 || offset === -1) throw new Error(`${entry.file}: evidence of ${event.id} is not in the article text`)
        return {start, end: start + sentence.length, trigger_start: start + offset, trigger_end: start + offset + trigger.length}
      })
    }))
    const result = evaluateEvents(article.events, events)
    for (const key of ['strict', 'detection'] as const) {
      totals[key].tp += result[key].truePositives
      totals[key].fp += result[key].falsePositives
      totals[key].fn += result[key].falseNegatives
    }
    totals.dates += result.dates * result.strict.truePositives
    totals.status += result.status * result.strict.truePositives
    totals.events += events.length
    missed.push(...result.missed.map((item) => `${entry.file.slice(0, 10)} ${item}`))
    spurious.push(...result.spurious.map((item) => `${entry.file.slice(0, 10)} ${item}`))
  }
  const strict = score(totals.strict.tp, totals.strict.fp, totals.strict.fn)
  const share = (count: number) => (strict.truePositives === 0 ? 0 : count / strict.truePositives)
  return {
    articles: gold.articles.length,
    events: totals.events,
    strict,
    detection: score(totals.detection.tp, totals.detection.fp, totals.detection.fn),
    dates: share(totals.dates),
    status: share(totals.status),
    missed,
    spurious
  }
}
