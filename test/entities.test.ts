// Entity extraction and resolution, on sentences written for these tests; the knowledge they use, kept in the cache.
import {readdir, readFile, writeFile} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import {deserialize, serialize} from 'node:v8'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import type {VFile} from 'vfile'
import {beforeAll, describe, expect, it} from 'vitest'
import {build} from '../pipeline/build.js'
import {extractEntities, type Extracted} from '../pipeline/extract/entities.js'
import {pipelineVersion} from '../pipeline/inputs.js'
import {baseKey, loadBaseFrom} from '../pipeline/knowledge/base.js'
import {computeBase} from '../pipeline/knowledge/data-packages.js'
import type {Knowledge} from '../pipeline/knowledge/index.js'
import {loadKnowledgeFiles} from '../pipeline/load.js'
import {toArticleText} from '../pipeline/text.js'
import {article, buildTree, readTree, sourceKnowledge, sourceTree, temporaryDirectory} from './helpers.js'

let knowledge: Knowledge

beforeAll(async () => {
  knowledge = await sourceKnowledge()
})

function extract(markdown: string): Extracted {
  return extractEntities(toArticleText(unified().use(remarkParse).use(remarkGfm).parse(markdown)), knowledge)
}

/** Mentions as `text → entity (kind)`, in text order. */
function mentions(markdown: string): string[] {
  return extract(markdown).mentions.map((mention) => `${mention.text} → ${mention.entityId} (${mention.kind})`)
}

function entity(markdown: string, id: string) {
  return extract(markdown).entities.find((item) => item.id === id)
}

describe('names from the data packages and the registry', () => {
  it('finds countries, cities and regions with their Wikidata ids', () => {
    const result = extract('Delegates from Kenya met officials of Brazil in Nairobi and later toured California.')
    expect(result.mentions.map((mention) => `${mention.text}:${mention.entityId}`)).toEqual(['Kenya:kenya', 'Brazil:brazil', 'Nairobi:nairobi', 'California:california'])
    expect(result.entities.find((item) => item.id === 'kenya')).toMatchObject({type: 'Country', wikidata: 'Q114', country: 'KEN', linked: true})
    expect(result.entities.find((item) => item.id === 'nairobi')).toMatchObject({type: 'City', country: 'KEN'})
    expect(result.entities.find((item) => item.id === 'california')).toMatchObject({type: 'Place', country: 'USA'})
  })

  it('prefers the longest name and the registry', () => {
    expect(mentions('The United Nations Security Council met on Tuesday.')).toEqual(['United Nations Security Council → united-nations-security-council (name)'])
  })

  it('requires an acronym in capitals, and a word in capitals to be an acronym', () => {
    expect(mentions('The WHO said it would help.')).toEqual(['WHO → world-health-organization (name)'])
    expect(mentions('Who said it would help?')).toEqual([])
  })

  it('does not take a currency for a country', () => {
    expect(mentions('The deal is worth US$ 40 million.')).toEqual([])
  })
})

describe('short forms and spelling variants', () => {
  it('resolves a surname and a courtesy title to the full name mentioned earlier', () => {
    const text = 'Chinedu Okafor, the finance minister, spoke first. Okafor said the budget was ready. Later Mr. Okafor left.'
    expect(mentions(text)).toEqual([
      'Chinedu Okafor → chinedu-okafor (name)',
      'Okafor → chinedu-okafor (short)',
      'Okafor → chinedu-okafor (short)'
    ])
    expect(entity(text, 'chinedu-okafor')).toMatchObject({type: 'Person', linked: false})
  })

  it('resolves "the Tribune" to a newspaper named in full before', () => {
    expect(mentions('The Lagos Evening Tribune reported the vote. According to the Tribune, turnout was low.')).toEqual([
      'Lagos Evening Tribune → lagos-evening-tribune (name)',
      'Tribune → lagos-evening-tribune (short)'
    ])
  })

  it('resolves an acronym to the initials of an earlier name, and a parenthesised acronym to the name before it', () => {
    expect(mentions('The Coastal Fisheries Authority (CFA) closed the bay. The CFA will reopen it in May.')).toEqual([
      'Coastal Fisheries Authority → coastal-fisheries-authority (name)',
      'CFA → coastal-fisheries-authority (short)',
      'CFA → coastal-fisheries-authority (short)'
    ])
  })

  it('gives spelling variants one entity', () => {
    const result = extract('Kim Jong Un arrived in Hanoi. Kim Jong-un later left.')
    expect(result.mentions.filter((mention) => mention.text.startsWith('Kim')).map((mention) => mention.entityId)).toEqual(['kim-jong-un', 'kim-jong-un'])
  })
})

describe('demonyms', () => {
  it('takes an organization named with a demonym whole, and as a mention of the country too', () => {
    expect(mentions('The Brazilian Navy sent two frigates.')).toEqual(['Brazilian Navy → brazilian-navy (name)', 'Brazilian → brazil (demonym)'])
  })

  it('takes a demonym before a common noun, singular or plural, as a mention of the country', () => {
    expect(mentions('Kenyan farmers and Peruvians protested.')).toEqual(['Kenyan → kenya (demonym)', 'Peruvians → peru (demonym)'])
  })
})

describe('capitals', () => {
  it('takes a capital acting or acted upon for its government', () => {
    expect(mentions('The new sanctions on Tehran angered Moscow.')).toEqual(['Tehran → iran (metonym)', 'Moscow → russia (metonym)'])
  })

  it('takes a capital after a locative word, or coordinated with a place, for the city', () => {
    expect(mentions('Talks were held in Nairobi before the envoy flew to Paris and Berlin.')).toEqual([
      'Nairobi → nairobi (name)',
      'Paris → paris (name)',
      'Berlin → berlin (name)'
    ])
  })
  it('takes a capital after a sentence-opening preposition for the city, and one that opens a sentence as subject for its government', () => {
    expect(mentions('In Nairobi, Foreign Ministry spokesman Amani Njoroge spoke.')[0]).toBe('Nairobi → nairobi (name)')
    expect(mentions('Lima accuses Chile of spying.')[0]).toBe('Lima → peru (metonym)')
    expect(mentions('Lima beans are cheap.')).toEqual([])
  })
})

describe('the North and the South', () => {
  it('resolves "the South" when the article names one country called South …', () => {
    expect(mentions('Sudan and South Sudan signed a deal. Oil from the South will flow north.')).toEqual([
      'Sudan → sudan (name)',
      'South Sudan → south-sudan (name)',
      'South → south-sudan (contextual)'
    ])
  })

  it('leaves "the south" alone when two such countries are named, or before "of"', () => {
    expect(mentions('South Africa and South Korea traded. Rain fell in the south.')).toEqual(['South Africa → south-africa (name)', 'South Korea → south-korea (name)'])
    expect(mentions('South Sudan held a vote in the south of the country.')).toEqual(['South Sudan → south-sudan (name)'])
  })
})

describe('titles and roles', () => {
  it('keeps a title out of the name, as the role', () => {
    const result = extract('Prime Minister Ana Duarte met reporters.')
    expect(result.mentions).toMatchObject([{text: 'Ana Duarte', entityId: 'ana-duarte', role: 'Prime Minister'}])
    expect(result.entities[0]).toMatchObject({type: 'Person'})
  })

  it('keeps a portfolio with its title ("Interior Minister")', () => {
    expect(mentions('Polish Interior Minister Ana Duarte spoke.')).toEqual(['Polish → poland (demonym)', 'Ana Duarte → ana-duarte (name)'])
  })

  it('splits an employer, a title and a person', () => {
    expect(mentions('Orbital Dynamics CEO Priya Raman resigned.')).toEqual(['Orbital Dynamics → orbital-dynamics (name)', 'Priya Raman → priya-raman (name)'])
  })

  it('reads an appositive role, and the organization and country in it', () => {
    const result = extract('Tomasz Wolny, chief of Poland’s Border Guard, visited Kyiv.')
    expect(result.mentions.map((mention) => [mention.text, mention.entityId, mention.role ?? ''])).toEqual([
      ['Tomasz Wolny', 'tomasz-wolny', 'chief of Poland’s Border Guard'],
      ['Poland’s Border Guard', 'polands-border-guard', ''],
      ['Poland', 'poland', ''],
      ['Kyiv', 'kyiv', '']
    ])
  })

  it('takes an unknown name for a person on evidence, for an organization without', () => {
    const person = extract('Oyelaran Adebisi spoke. Mr. Adebisi later declined to comment.')
    expect(person.entities.find((item) => item.id === 'oyelaran-adebisi')?.type).toBe('Person')
    const organization = extract('Northwind Grumbalt won the contract.')
    expect(organization.entities.find((item) => item.id === 'northwind-grumbalt')).toMatchObject({type: 'Organization', confidence: 0.4})
  })
})

describe('what is not a name', () => {
  it('skips sentence-initial words, months and weekdays', () => {
    expect(mentions('Surrounded by rivals, the party met on Monday in September. Actually, nobody came.')).toEqual([])
  })

  it('skips capitalised dictionary words that this article also writes in lowercase', () => {
    expect(mentions('The Budget is late. The budget office said so.')).toEqual([])
  })
})

describe('links', () => {
  it('pins a name to the Wikidata item it links to, for later mentions too', () => {
    const result = extract('[Amina Diallo](https://www.wikidata.org/wiki/Q987654) won. Diallo thanked voters.')
    expect(result.mentions.map((mention) => [mention.text, mention.entityId, mention.method])).toEqual([
      ['Amina Diallo', 'amina-diallo', 'link'],
      ['Diallo', 'amina-diallo', 'coreference']
    ])
    expect(result.entities[0]).toMatchObject({wikidata: 'Q987654', linked: true})
  })

  it('links a name to a known entity with that Wikidata id', () => {
    expect(mentions('The [alliance](https://www.wikidata.org/wiki/Q7184) met.')).toEqual(['alliance → nato (name)'])
  })
})

describe('entities in a build', () => {
  const frontmatter = 'sources:\n  - id: wire\n    type: NewsArticle\n    name: A wire report\n    datePublished: "2020-02-02"'

  it('marks mentions inside a quotation with the quoted source, and not those outside', async () => {
    const body = 'Officials in Peru said:\n\n> Chile closed the border today. [^wire]\n\n[^wire]: A wire report.\n'
    const {out} = await buildTree({'articles/a.md': article({frontmatter, body})})
    const csv = await readFile(join(out, 'data', 'mentions.csv'), 'utf8')
    expect(csv.split('\r\n').filter(Boolean).slice(1).map((row) => row.split(',').slice(1, 3).concat(row.split(',')[7]!))).toEqual([
      ['peru', 'Peru', ''],
      ['chile', 'Chile', 'wire']
    ])
  })

  it('never extracts from frontmatter-only text such as the bio', async () => {
    const {out} = await buildTree({'articles/a.md': article({omit: ['author'], frontmatter: 'author:\n  name: Ada Reporter\n  bio: She studied at Oxford University and lived in Madrid.', body: 'Rain fell.\n'})})
    expect(await readFile(join(out, 'data', 'entities.csv'), 'utf8')).toBe('id,type,name,wikidata,aliases,description,country,linked,article_count,mention_count\r\n')
  })

  it('suggests unknown names for the registry with their position', async () => {
    const {messages} = await buildTree({'articles/a.md': article({body: 'The minister met\nMaria Varga on Friday.\n'})})
    expect(messages).toEqual(['articles/a.md:14:1: info: Unknown person `Maria Varga` (confidence 0.6): add it to entities.yaml as `maria-varga` to link it  entity-suggestion'])
  })

  it('counts articles and mentions of an entity across articles', async () => {
    const {out} = await buildTree({'articles/a.md': article({body: 'Chile and Peru met. Chile won.\n'}), 'articles/b.md': article({body: 'Chile lost.\n'})})
    const rows = (await readFile(join(out, 'data', 'entities.csv'), 'utf8')).split('\r\n')
    expect(rows.find((row) => row.startsWith('chile,'))).toMatch(/,CHL,true,2,3$/)
    expect(rows.find((row) => row.startsWith('peru,'))).toMatch(/,PER,true,1,1$/)
  })
})

describe('quality against annotations', () => {
  it('finds every entity of the hand annotation of the seed article, and no other', async () => {
    const {evaluateSeed} = await import('./eval/entities.js')
    const {processArticle, createArticleProcessor} = await import('../pipeline/process.js')
    const {readSource} = await import('../pipeline/read.js')
    const {root, seedPath} = await import('./helpers.js')
    const seed = await processArticle(await readSource(seedPath), createArticleProcessor(knowledge), knowledge)
    const gold = JSON.parse(await readFile(join(root, 'test', 'fixtures', 'seed', 'entities.gold.json'), 'utf8'))
    const result = evaluateSeed(seed!.text, knowledge, gold)
    expect({missing: result.missing, spurious: result.spurious}).toEqual({missing: [], spurious: []})
    expect(result.mentions['all']!.recall).toBe(1)
    expect(result.mentions['all']!.precision).toBe(1)
  })

  it('scores well above compromise alone on MEANTIME (overlap, PER/ORG/LOC)', async () => {
    const {evaluateMeantime} = await import('./eval/entities.js')
    const {shared} = await import('./helpers.js')
    const result = await evaluateMeantime(join(shared, 'corpora', 'meantime'), knowledge)
    const ours = result.newsgraph.overlap['all']!.f1
    const theirs = result.compromise.overlap['all']!.f1
    expect(ours).toBeGreaterThan(0.68)
    expect(ours - theirs).toBeGreaterThan(0.1)
  })
})

describe('about and mentions', () => {
  it('makes the entities of the title the article’s subjects, the others its mentions', async () => {
    const {out} = await buildTree({
      'articles/a.md': article({omit: ['title'], frontmatter: 'title: Kenya hosts regional talks', body: 'Kenya hosted delegates from Uganda. Kenya said more would come.\n'})
    })
    const graph = JSON.parse(await readFile(join(out, 'articles', 'a.jsonld'), 'utf8'))
    const node = graph['@graph'][0]
    expect(node.about).toEqual([{'@id': 'https://example.org/news/entities/kenya/#entity'}])
    expect(node.mentions.filter((ref: {'@id': string}) => ref['@id'].includes('/entities/'))).toEqual([{'@id': 'https://example.org/news/entities/uganda/#entity'}])
  })

  it('falls back to the most mentioned entity when the title names none in the body', async () => {
    const {out} = await buildTree({'articles/a.md': article({body: 'Uganda and Kenya met. Uganda left early. Uganda returned.\n'})})
    const graph = JSON.parse(await readFile(join(out, 'articles', 'a.jsonld'), 'utf8'))
    expect(graph['@graph'][0].about).toEqual([{'@id': 'https://example.org/news/entities/uganda/#entity'}])
  })
})

describe('the data-package knowledge, kept in the cache (`loadBase`)', () => {
  it('is made and kept once, then read back as it was made', async () => {
    const dir = await temporaryDirectory()
    const snapshot = {dir, key: 'a'.repeat(64)}
    const made = await loadBaseFrom(snapshot)
    const file = join(dir, 'knowledge', `${snapshot.key}.v8`)
    const read = await loadBaseFrom(snapshot)
    // Every entity, field for field (none added or lost as undefined), every capital and every word class.
    expect(read).toStrictEqual(made)
    expect(read).toStrictEqual(computeBase())
    expect(read.cities.length).toBeGreaterThan(1000)
    // What is read is the snapshot: a city taken out of it is not there.
    const kept = deserialize(await readFile(file)) as {cities: Array<{id: string}>}
    const removed = kept.cities.shift()!
    await writeFile(file, serialize(kept))
    const changed = await loadBaseFrom(snapshot)
    expect(changed.cities.map((city) => city.id)).not.toContain(removed.id)
    expect(changed.cities).toHaveLength(made.cities.length - 1)
  }, 60_000)

  it('is made again when its snapshot cannot be read, and kept again', async () => {
    const dir = await temporaryDirectory()
    const snapshot = {dir, key: 'b'.repeat(64)}
    const file = join(dir, 'knowledge', `${snapshot.key}.v8`)
    await loadBaseFrom(snapshot)
    const whole = await readFile(file)
    await writeFile(file, whole.subarray(0, whole.length >> 1))
    expect(await loadBaseFrom(snapshot)).toStrictEqual(computeBase())
    // Kept again whole: the same bytes (compared as bytes: a deep comparison of 4 MB takes half a minute).
    expect((await readFile(file)).equals(whole)).toBe(true)
  }, 60_000)

  it('is kept under a key of the pipeline\'s version and the data packages installed', () => {
    const key = baseKey('one version')
    expect(key).toMatch(/^[0-9a-f]{64}$/)
    expect(baseKey('one version')).toBe(key)
    expect(baseKey('another version')).not.toBe(key)
  })

  it('is kept by a build with a cache, under that key, with the knowledge files parsed, and the site is the same as without', async () => {
    const source = await sourceTree({'site.yaml': 'title: T\nbaseUrl: https://example.org/news/\n', 'articles/a.md': article({body: 'Kenya criticized Uganda on Monday, officials in Nairobi said.\n'})})
    const dir = dirname(source)
    const cache = join(dir, 'cache')
    expect((await build({source, out: join(dir, 'dist'), cwd: dir, cache})).written).toBe(true)
    // Beside it, what was parsed of the knowledge files (`loadKnowledgeFiles`).
    const kept = (await readdir(join(cache, 'knowledge'))).sort()
    expect(kept).toHaveLength(2)
    expect(kept[0]).toBe(`${baseKey(await pipelineVersion())}.v8`)
    expect(kept[1]).toMatch(/^files-[0-9a-f]{64}\.v8$/)
    expect((await build({source, out: join(dir, 'plain'), cwd: dir})).written).toBe(true)
    expect(await readTree(join(dir, 'dist'))).toEqual(await readTree(join(dir, 'plain')))
  })
})

describe('the knowledge files, parsed, kept in the cache (`loadKnowledgeFiles`)', () => {
  /** The `.v8` snapshots of knowledge files in `dir`'s cache. */
  const snapshots = async (dir: string) => (await readdir(join(dir, 'knowledge')).catch(() => [] as string[])).filter((name) => name.endsWith('.v8'))

  it('are parsed once, kept, then read back as parsed: the same triggers in both maps of the event lexicon', async () => {
    const source = await sourceTree({'site.yaml': 'title: T\n'})
    const dir = await temporaryDirectory()
    const snapshot = {dir, version: 'one version'}
    const parsed = (await loadKnowledgeFiles(source, [], snapshot))!
    expect(await snapshots(dir)).toHaveLength(1)
    const files: VFile[] = []
    const read = (await loadKnowledgeFiles(source, files, snapshot))!
    expect(read).toStrictEqual(parsed)
    expect(files.map((file) => file.path)).toHaveLength(4)
    const triggers = new Set([...read.events.forms.values()].flat().map(({trigger}) => trigger))
    expect(read.events.objects.size).toBeGreaterThan(0)
    for (const trigger of read.events.objects.keys()) expect(triggers.has(trigger)).toBe(true)
    // What is read is the snapshot: an entry taken out of it is not there.
    const [name] = await snapshots(dir)
    await writeFile(join(dir, 'knowledge', name!), serialize({...parsed, registry: parsed.registry.slice(1)}))
    expect((await loadKnowledgeFiles(source, [], snapshot))!.registry).toHaveLength(parsed.registry.length - 1)
    // Another version of the pipeline: parsed again, and kept beside.
    expect(await loadKnowledgeFiles(source, [], {dir, version: 'another version'})).toStrictEqual(parsed)
    expect(await snapshots(dir)).toHaveLength(2)
  })

  it('are parsed again, and kept anew, when a file changes; a file with a message is parsed each time, and reports it each time', async () => {
    const registry = (extra: string) => `- id: ruth-okafor\n  type: Person\n  name: Ruth Okafor\n${extra}`
    const source = await sourceTree({'site.yaml': 'title: T\n', 'entities.yaml': registry('')})
    const dir = await temporaryDirectory()
    const snapshot = {dir, version: 'one version'}
    expect((await loadKnowledgeFiles(source, [], snapshot))!.registry.map((entry) => entry.id)).toEqual(['ruth-okafor'])
    await writeFile(join(source, 'entities.yaml'), registry('- id: ruth-okafor-2\n  type: Person\n  name: Ruth Okafor\n'))
    for (let round = 0; round < 2; round++) {
      const files: VFile[] = []
      expect((await loadKnowledgeFiles(source, files, snapshot))!.registry.map((entry) => entry.id)).toEqual(['ruth-okafor', 'ruth-okafor-2'])
      expect(files.flatMap((file) => file.messages.map((message) => message.ruleId))).toEqual(['registry-name-shared'])
    }
    expect(await snapshots(dir)).toHaveLength(1)
    await writeFile(join(source, 'entities.yaml'), registry('- id: amara-diallo\n  type: Person\n  name: Amara Diallo\n'))
    expect((await loadKnowledgeFiles(source, [], snapshot))!.registry.map((entry) => entry.id)).toEqual(['ruth-okafor', 'amara-diallo'])
    expect(await snapshots(dir)).toHaveLength(2)
  })
})
