// `make eval`: print entity extraction scores on MEANTIME and on the seed article.
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {processArticle, createArticleProcessor} from '../../pipeline/process.js'
import {readSource} from '../../pipeline/read.js'
import {root, seedPath, shared, sourceKnowledge} from '../helpers.js'
import {evaluateMeantime, evaluateSeed, type Score, type SeedGold} from './entities.js'

const knowledge = await sourceKnowledge()
const percent = (value: number) => `${(value * 100).toFixed(1).padStart(5)}%`
const row = (label: string, value: Score) =>
  `  ${label.padEnd(14)} P ${percent(value.precision)}  R ${percent(value.recall)}  F1 ${percent(value.f1)}   (tp ${value.truePositives}, fp ${value.falsePositives}, fn ${value.falseNegatives})`

const seedFile = await readSource(seedPath)
const article = await processArticle(seedFile, createArticleProcessor(knowledge), knowledge)
if (!article) throw new Error('The seed article has errors')
const gold = JSON.parse(await readFile(join(root, 'test', 'fixtures', 'seed', 'entities.gold.json'), 'utf8')) as SeedGold
const seed = evaluateSeed(article.text, knowledge, gold)
console.log('Entities, seed article (test/fixtures/seed/entities.gold.json; a mention is right when it overlaps a gold mention of the same entity):')
for (const [label, value] of Object.entries(seed.mentions)) console.log(row(label, value))
console.log(row('entity list', seed.entities))
console.log(`  missing: ${seed.missing.join(', ') || 'none'}; spurious: ${seed.spurious.join(', ') || 'none'}`)

const meantime = await evaluateMeantime(join(shared, 'corpora', 'meantime'), knowledge)
console.log(`\nEntities, MEANTIME (${meantime.documents} documents, ${meantime.goldMentions} named PER/ORG/LOC mentions; NAM and PRE.NAM are scored, other gold mentions of these types ignored; only the annotated start of each article):`)
for (const system of ['newsgraph', 'compromise'] as const) {
  for (const mode of ['overlap', 'exact'] as const) {
    console.log(`${system}, ${mode} span and type:`)
    for (const [label, value] of Object.entries(meantime[system][mode])) console.log(row(label, value))
  }
}
console.log(`\nnewsgraph entity stage: ${meantime.msPerDocument.toFixed(2)} ms per MEANTIME document (after loading knowledge)`)

const {evaluateEvents} = await import('./events.js')
const {evaluateMeantimeDates} = await import('./dates.js')
const goldEvents = JSON.parse(await readFile(join(root, 'test', 'fixtures', 'seed', 'events.gold.json'), 'utf8')) as {events: Parameters<typeof evaluateEvents>[1]}
const events = evaluateEvents(article.events, goldEvents.events)
console.log(`\nEvents, seed article (test/fixtures/seed/events.gold.json, ${goldEvents.events.length} events; a prediction matches when an evidence sentence and actor1 agree, strict also needs the CAMEO root):`)
console.log(row('strict', events.strict))
console.log(row('detection', events.detection))
console.log(`  of the strict matches: start date right ${percent(events.dates)}, status right ${percent(events.status)}, source right ${percent(events.source)}`)
console.log(`  missed: ${events.missed.join(', ') || 'none'}`)
console.log(`  spurious: ${events.spurious.join('; ') || 'none'}`)

const {evaluateBlindSet} = await import('./blind.js')
for (const [folder, label] of [
  ['events-dev', 'development articles (written and annotated blind; scored blind once, then used for error analysis)'],
  ['events-heldout', 'held-out articles (written and annotated blind; never looked at while developing the extractor)']
] as const) {
  const heldout = await evaluateBlindSet(join(root, 'test', 'fixtures', folder), knowledge)
  console.log(`\nEvents, ${label}: test/fixtures/${folder}, ${heldout.articles} articles, ${heldout.events} events, matched as above:`)
  console.log(row('strict', heldout.strict))
  console.log(row('detection', heldout.detection))
  console.log(`  of the strict matches: start date right ${percent(heldout.dates)}, status right ${percent(heldout.status)}`)
  if (folder === 'events-dev') {
    console.log(`  missed: ${heldout.missed.join(', ') || 'none'}`)
    console.log(`  spurious: ${heldout.spurious.join('; ') || 'none'}`)
  }
}

const dates = await evaluateMeantimeDates(join(shared, 'corpora', 'meantime'))
console.log(`\nTime expressions, MEANTIME: ${dates.exact} of ${dates.total} calendar DATE values (day, month or year) normalized exactly: ${percent(dates.share)}`)
