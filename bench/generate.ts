// Benchmark corpus: a deterministic folder of realistic news articles for `make bench`.
//
// `generateCorpus(count, seed)` returns relative path → file contents: a
// `site.yaml` and `count` articles of about 1,000 words under
// `articles/<year>/`, each with valid newsgraph frontmatter, quotations
// attributed to declared sources, and the kind of text the pipeline works
// hardest on: dates ("on Monday", "Sept. 1", "from Aug. 27 to 29", "earlier
// this year"), countries, capitals standing for governments and used as
// places, cities, titled people, registry organizations, unknown names, and
// event sentences. Everything comes from a seeded PRNG (mulberry32) over the
// templates and name pools below: the same count and seed give the same files.

/** A deterministic PRNG returning floats in [0, 1): mulberry32. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

class Random {
  readonly next: () => number
  constructor(seed: number) {
    this.next = mulberry32(seed)
  }
  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list')
    return items[Math.floor(this.next() * items.length)]!
  }
  chance(p: number): boolean {
    return this.next() < p
  }
  /** `n` distinct items (all of them when there are fewer). */
  sample<T>(items: readonly T[], n: number): T[] {
    const copy = [...items]
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1))
      ;[copy[i], copy[j]] = [copy[j]!, copy[i]!]
    }
    return copy.slice(0, Math.min(n, copy.length))
  }
}

// ---------------------------------------------------------------------------
// Name pools
// ---------------------------------------------------------------------------

interface Country {
  name: string
  /** Whether the name takes "the" ("the Philippines"). */
  the?: boolean
  capital: string
  adjective: string
  /** Other large cities. */
  cities: string[]
}

const countries: Country[] = [
  {name: 'Russia', capital: 'Moscow', adjective: 'Russian', cities: ['Vladivostok', 'Novosibirsk']},
  {name: 'China', capital: 'Beijing', adjective: 'Chinese', cities: ['Shanghai', 'Guangzhou']},
  {name: 'Japan', capital: 'Tokyo', adjective: 'Japanese', cities: ['Osaka', 'Yokohama']},
  {name: 'South Korea', capital: 'Seoul', adjective: 'South Korean', cities: ['Busan', 'Incheon']},
  {name: 'North Korea', capital: 'Pyongyang', adjective: 'North Korean', cities: []},
  {name: 'United States', the: true, capital: 'Washington', adjective: 'American', cities: ['Chicago', 'Los Angeles', 'Houston']},
  {name: 'Britain', capital: 'London', adjective: 'British', cities: ['Manchester', 'Birmingham']},
  {name: 'France', capital: 'Paris', adjective: 'French', cities: ['Marseille', 'Lyon']},
  {name: 'Germany', capital: 'Berlin', adjective: 'German', cities: ['Hamburg', 'Munich']},
  {name: 'India', capital: 'New Delhi', adjective: 'Indian', cities: ['Mumbai', 'Chennai']},
  {name: 'Brazil', capital: 'Brasília', adjective: 'Brazilian', cities: ['São Paulo', 'Rio de Janeiro']},
  {name: 'Mexico', capital: 'Mexico City', adjective: 'Mexican', cities: ['Monterrey', 'Guadalajara']},
  {name: 'Canada', capital: 'Ottawa', adjective: 'Canadian', cities: ['Toronto', 'Vancouver']},
  {name: 'Australia', capital: 'Canberra', adjective: 'Australian', cities: ['Sydney', 'Melbourne']},
  {name: 'Indonesia', capital: 'Jakarta', adjective: 'Indonesian', cities: ['Surabaya']},
  {name: 'Vietnam', capital: 'Hanoi', adjective: 'Vietnamese', cities: ['Ho Chi Minh City']},
  {name: 'Thailand', capital: 'Bangkok', adjective: 'Thai', cities: []},
  {name: 'Philippines', the: true, capital: 'Manila', adjective: 'Philippine', cities: ['Davao']},
  {name: 'Peru', capital: 'Lima', adjective: 'Peruvian', cities: ['Arequipa']},
  {name: 'Chile', capital: 'Santiago', adjective: 'Chilean', cities: ['Valparaíso']},
  {name: 'Argentina', capital: 'Buenos Aires', adjective: 'Argentine', cities: ['Córdoba', 'Rosario']},
  {name: 'Colombia', capital: 'Bogotá', adjective: 'Colombian', cities: ['Medellín']},
  {name: 'Kenya', capital: 'Nairobi', adjective: 'Kenyan', cities: ['Mombasa']},
  {name: 'Nigeria', capital: 'Abuja', adjective: 'Nigerian', cities: ['Lagos', 'Kano']},
  {name: 'Ghana', capital: 'Accra', adjective: 'Ghanaian', cities: ['Kumasi']},
  {name: 'Ethiopia', capital: 'Addis Ababa', adjective: 'Ethiopian', cities: []},
  {name: 'Egypt', capital: 'Cairo', adjective: 'Egyptian', cities: ['Alexandria']},
  {name: 'Morocco', capital: 'Rabat', adjective: 'Moroccan', cities: ['Casablanca']},
  {name: 'Senegal', capital: 'Dakar', adjective: 'Senegalese', cities: []},
  {name: 'Uganda', capital: 'Kampala', adjective: 'Ugandan', cities: []},
  {name: 'Turkey', capital: 'Ankara', adjective: 'Turkish', cities: ['Istanbul', 'Izmir']},
  {name: 'Iran', capital: 'Tehran', adjective: 'Iranian', cities: ['Isfahan', 'Mashhad']},
  {name: 'Saudi Arabia', capital: 'Riyadh', adjective: 'Saudi', cities: ['Jeddah']},
  {name: 'Qatar', capital: 'Doha', adjective: 'Qatari', cities: []},
  {name: 'Pakistan', capital: 'Islamabad', adjective: 'Pakistani', cities: ['Karachi', 'Lahore']},
  {name: 'Poland', capital: 'Warsaw', adjective: 'Polish', cities: ['Kraków', 'Gdańsk']},
  {name: 'Ukraine', capital: 'Kyiv', adjective: 'Ukrainian', cities: ['Kharkiv', 'Odesa']},
  {name: 'Hungary', capital: 'Budapest', adjective: 'Hungarian', cities: []},
  {name: 'Austria', capital: 'Vienna', adjective: 'Austrian', cities: ['Graz']},
  {name: 'Sweden', capital: 'Stockholm', adjective: 'Swedish', cities: ['Gothenburg']},
  {name: 'Norway', capital: 'Oslo', adjective: 'Norwegian', cities: ['Bergen']},
  {name: 'Greece', capital: 'Athens', adjective: 'Greek', cities: ['Thessaloniki']},
  {name: 'Spain', capital: 'Madrid', adjective: 'Spanish', cities: ['Barcelona', 'Valencia']},
  {name: 'Italy', capital: 'Rome', adjective: 'Italian', cities: ['Milan', 'Naples']}
]

const femaleNames = ['Ana', 'Maria', 'Elena', 'Sofia', 'Laura', 'Ingrid', 'Amara', 'Priya', 'Fatima', 'Leila', 'Nadia', 'Marta', 'Rosa', 'Yuki', 'Mei', 'Aisha', 'Helena', 'Clara', 'Irina', 'Zainab', 'Camila', 'Grace', 'Olga', 'Hana', 'Lucia', 'Beatriz', 'Astrid', 'Noura', 'Ines', 'Chiara']
const maleNames = ['David', 'Peter', 'Samuel', 'Hiroshi', 'Tomas', 'Kwame', 'Rahul', 'Lucas', 'Omar', 'Mikhail', 'Jonas', 'Felix', 'Viktor', 'Daniel', 'Andre', 'Karim', 'Pablo', 'Stefan', 'Kenji', 'Ivan', 'Emeka', 'Arjun', 'Matteo', 'Lars', 'Hassan', 'Diego', 'Jan', 'Yusuf', 'Marco', 'Nikolai']
const familyNames = ['Okafor', 'Lindqvist', 'Moreau', 'Castillo', 'Haddad', 'Nakamura', 'Petrov', 'Mensah', 'Kowalski', 'Duarte', 'Varga', 'Osei', 'Brennan', 'Sato', 'Reyes', 'Fischer', 'Adeyemi', 'Novak', 'Halvorsen', 'Rahman', 'Tanaka', 'Ferreira', 'Lebedev', 'Mwangi', 'Bergstrom', 'Dubois', 'Alvarez', 'Nasser', 'Yamada', 'Orlov', 'Boateng', 'Zielinski', 'Montoya', 'Farouk', 'Kimura', 'Sokolov', 'Achebe', 'Navarro', 'Khalil', 'Hoffmann', 'Eze', 'Horvath', 'Quispe', 'Mahmoud', 'Volkov', 'Asante', 'Lindgren', 'Takahashi', 'Oyelaran', 'Santos']

/** Titles written before a name (all in the name lexicon), and the noun for "the first visit by a … <noun>". */
const titles: Array<{title: string; noun: string}> = [
  {title: 'President', noun: 'president'},
  {title: 'Prime Minister', noun: 'prime minister'},
  {title: 'Foreign Minister', noun: 'foreign minister'},
  {title: 'Defense Minister', noun: 'defense minister'},
  {title: 'Finance Minister', noun: 'finance minister'},
  {title: 'Vice President', noun: 'vice president'},
  {title: 'Ambassador', noun: 'ambassador'},
  {title: 'Gen.', noun: 'general'},
  {title: 'Adm.', noun: 'admiral'},
  {title: 'Envoy', noun: 'envoy'}
]

interface Org {
  /** As written mid-sentence ("the World Bank"). */
  text: string
}

/** Organizations of source/entities.yaml, as an article would write them. */
const registryOrgs: Org[] = [
  'the United Nations', 'the U.N. Security Council', 'the International Atomic Energy Agency', 'the IAEA', 'the World Bank',
  'the International Monetary Fund', 'the IMF', 'the World Trade Organization', 'NATO', 'the European Union', 'the EU',
  'the European Commission', 'ASEAN', 'the African Union', 'the Arab League', 'OPEC', 'the G20', 'the World Health Organization',
  'the Red Cross', 'Interpol', 'the OPCW', 'the State Department', 'the Pentagon', 'the Kremlin', 'the White House', 'Congress',
  'the World Food Programme', 'UNHCR', 'the European Central Bank', 'the Gulf Cooperation Council', 'the Organization of American States'
].map((text) => ({text}))

/** Multilateral bodies of the registry that hold summits. */
const summitOrgs = ['NATO', 'ASEAN', 'the African Union', 'the Arab League', 'the G20', 'the Organization of American States', 'the Gulf Cooperation Council', 'the European Union']

/** News organizations of the registry, quoted as sources. */
const newsOrgs: Array<{name: string; id: string; short: string}> = [
  {name: 'Reuters', id: 'reuters', short: 'Reuters'},
  {name: 'Associated Press', id: 'ap', short: 'the Associated Press'},
  {name: 'Agence France-Presse', id: 'afp', short: 'Agence France-Presse'},
  {name: 'Kyodo News', id: 'kyodo', short: 'Kyodo News'},
  {name: 'Yonhap News Agency', id: 'yonhap', short: 'Yonhap'},
  {name: 'Xinhua News Agency', id: 'xinhua', short: 'Xinhua'},
  {name: 'Al Jazeera', id: 'al-jazeera', short: 'Al Jazeera'},
  {name: 'BBC', id: 'bbc', short: 'the BBC'},
  {name: 'The Guardian', id: 'guardian', short: 'The Guardian'},
  {name: 'The Washington Post', id: 'washington-post', short: 'The Washington Post'}
]

const stems = ['Meridian', 'Bluewater', 'Caldera', 'Northgate', 'Silverline', 'Ironbridge', 'Harborview', 'Eastwind', 'Redstone', 'Clearwater', 'Granite', 'Pinecrest', 'Lakeshore', 'Highfield', 'Westbrook', 'Stonebridge', 'Oakridge', 'Brightwater', 'Falconer', 'Cobalt', 'Amberley', 'Corvane', 'Tessaly', 'Varrow', 'Kestrel', 'Halden', 'Marlow', 'Orrin', 'Sable', 'Thornbury']
const orgHeads = ['Shipping Company', 'Energy Corporation', 'Mining Group', 'Logistics Group', 'Institute', 'Foundation', 'Development Bank', 'Airlines', 'Policy Institute', 'Research Council', 'Port Authority', 'Trade Association']
const placeHeads = ['Strait', 'Valley', 'Province', 'Basin', 'Delta', 'Highlands', 'Coast', 'Peninsula', 'Harbor', 'Islands']
const thingHeads = ['Accord', 'Treaty', 'Protocol', 'Agreement', 'Declaration', 'Plan']

const topics = [
  {phrase: 'fishing rights', keyword: 'fisheries'},
  {phrase: 'a disputed border crossing', keyword: 'borders'},
  {phrase: 'grain exports', keyword: 'agriculture'},
  {phrase: 'a planned gas pipeline', keyword: 'energy'},
  {phrase: 'uranium enrichment', keyword: 'nuclear weapons'},
  {phrase: 'the flow of refugees', keyword: 'refugees'},
  {phrase: 'access to its ports', keyword: 'shipping'},
  {phrase: 'debt relief', keyword: 'debt'},
  {phrase: 'water rights on a shared river', keyword: 'water'},
  {phrase: 'election monitoring', keyword: 'elections'},
  {phrase: 'cyberattacks on state networks', keyword: 'cybersecurity'},
  {phrase: 'vaccine supplies', keyword: 'public health'},
  {phrase: 'rare earth mining', keyword: 'mining'},
  {phrase: 'a cross-border rail link', keyword: 'infrastructure'},
  {phrase: 'tariffs on steel', keyword: 'trade'},
  {phrase: 'naval patrols in disputed waters', keyword: 'maritime security'}
]

const sections = ['World', 'Diplomacy', 'Politics', 'Economy', 'Security', 'Analysis']

interface Publisher {
  name: string
  domain: string
}

const publishers: Publisher[] = [
  {name: 'The Harbor Ledger', domain: 'harborledger.example'},
  {name: 'Continental Review', domain: 'continentalreview.example'},
  {name: 'Meridian Daily', domain: 'meridiandaily.example'},
  {name: 'The Northern Dispatch', domain: 'northerndispatch.example'},
  {name: 'Global Affairs Weekly', domain: 'globalaffairs.example'},
  {name: 'The Atlas Courier', domain: 'atlascourier.example'}
]

const offsets = ['Z', '+00:00', '-05:00', '-04:00', '-08:00', '+01:00', '+02:00', '+03:00', '+05:30', '+08:00', '+09:00']
const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
/** AP style: "Jan.", "March", "Sept." */
const apMonths = ['Jan.', 'Feb.', 'March', 'April', 'May', 'June', 'July', 'Aug.', 'Sept.', 'Oct.', 'Nov.', 'Dec.']
const weekdays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
const numberWords = ['two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'twelve', 'fifteen', 'twenty']

// ---------------------------------------------------------------------------
// The world of one corpus: recurring people, organizations, places, authors
// ---------------------------------------------------------------------------

interface Person {
  given: string
  family: string
  female: boolean
  title: (typeof titles)[number]
  country: Country
}

interface Author {
  name: string
  slug: string
  publisher: Publisher
  sameAs: boolean
  bio: string
}

interface World {
  people: Person[]
  analysts: Array<{given: string; family: string; female: boolean}>
  orgs: string[]
  places: string[]
  things: string[]
  authors: Author[]
}

function slugOf(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
}

function createWorld(random: Random, count: number): World {
  const used = new Set<string>()
  const uniqueName = () => {
    for (;;) {
      const female = random.chance(0.5)
      const given = random.pick(female ? femaleNames : maleNames)
      const family = random.pick(familyNames)
      if (!used.has(`${given} ${family}`) || used.size >= femaleNames.length * familyNames.length) {
        used.add(`${given} ${family}`)
        return {given, family, female}
      }
    }
  }
  // A recurring cast that grows with the archive: an archive names new people,
  // but the same officials keep coming back.
  const people: Person[] = []
  for (let i = 0; i < Math.min(2500, 60 + Math.floor(count / 2)); i++) {
    people.push({...uniqueName(), title: random.pick(titles), country: random.pick(countries)})
  }
  const analysts = Array.from({length: Math.min(1500, 30 + Math.floor(count / 4))}, uniqueName)
  const combine = (heads: string[], size: number) => {
    const all = stems.flatMap((stem) => heads.map((head) => `${stem} ${head}`))
    return random.sample(all, size)
  }
  const orgs = combine(orgHeads, Math.min(stems.length * orgHeads.length, 40 + Math.floor(count / 10)))
  const places = combine(placeHeads, Math.min(stems.length * placeHeads.length, 30 + Math.floor(count / 20)))
  const things = combine(thingHeads, Math.min(stems.length * thingHeads.length, 30 + Math.floor(count / 20)))
  const authors: Author[] = []
  for (let i = 0; i < 48; i++) {
    const {given, family} = uniqueName()
    const name = `${given} ${family}`
    const publisher = publishers[i % publishers.length]!
    const beat = random.pick(['diplomacy', 'security', 'trade', 'energy', 'migration', 'Asia', 'Africa', 'Latin America', 'Europe'])
    authors.push({name, slug: slugOf(name), publisher, sameAs: random.chance(0.5), bio: `${name} covers ${beat} for ${publisher.name}.`})
  }
  return {people, analysts, orgs, places, things, authors}
}

// ---------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------

const day = 86_400_000

function isoDay(time: number): string {
  return new Date(time).toISOString().slice(0, 10)
}

function apDate(time: number): string {
  const date = new Date(time)
  return `${apMonths[date.getUTCMonth()]} ${date.getUTCDate()}`
}

function longDate(time: number): string {
  const date = new Date(time)
  return `${date.getUTCDate()} ${months[date.getUTCMonth()]} ${date.getUTCFullYear()}`
}

// ---------------------------------------------------------------------------
// One article
// ---------------------------------------------------------------------------

interface Source {
  id: string
  type: 'NewsArticle' | 'Report' | 'WebPage'
  name: string
  author?: string
  publisher: string
  date: number
  dateline?: string
  citation: string
}

const templateCount = 28
/** Templates of hard news, for the lead paragraph. */
const leadTemplates = [0, 1, 2, 3, 4, 5, 6, 9, 10, 14]

class ArticleWriter {
  readonly mentioned = new Set<Person>()
  readonly used = new Map<number, number>()
  constructor(
    readonly random: Random,
    readonly world: World,
    /** Calendar day of publication (UTC midnight). */
    readonly published: number,
    readonly cast: {countries: Country[]; people: Person[]; orgs: Org[]; unknownOrgs: string[]; places: string[]; things: string[]; topics: (typeof topics)[number][]}
  ) {}

  country(): Country {
    return this.random.pick(this.cast.countries)
  }
  /** Two different countries of the article. */
  pair(): [Country, Country] {
    const [a, b] = this.random.sample(this.cast.countries, 2)
    return [a!, b!]
  }
  countryName(country: Country, start = false): string {
    return country.the ? `${start ? 'The' : 'the'} ${country.name}` : country.name
  }
  /** An actor: a country, its capital standing for its government, or its adjective + "government". */
  actor(country: Country, start = false): string {
    const roll = this.random.next()
    if (roll < 0.55) return this.countryName(country, start)
    if (roll < 0.85) return country.capital
    return `${start ? 'The' : 'the'} ${country.adjective} government`
  }
  city(country: Country): string {
    return country.cities.length > 0 && this.random.chance(0.6) ? this.random.pick(country.cities) : country.capital
  }
  /** A person: full name with title and nationality the first time, then a short form. */
  person(person = this.random.pick(this.cast.people)): string {
    if (!this.mentioned.has(person)) {
      this.mentioned.add(person)
      return this.random.chance(0.5)
        ? `${person.country.adjective} ${person.title.title} ${person.given} ${person.family}`
        : `${person.given} ${person.family}, ${this.countryName(person.country)}’s ${person.title.noun},`
    }
    const roll = this.random.next()
    if (roll < 0.4) return `${person.female ? 'Ms.' : 'Mr.'} ${person.family}`
    if (roll < 0.7) return person.family
    return `${person.title.title} ${person.family}`
  }
  org(start = false): string {
    const text = this.random.pick(this.cast.orgs).text
    return start ? text.replace(/^the /, 'The ') : text
  }
  unknownOrg(): string {
    return `the ${this.random.pick(this.cast.unknownOrgs)}`
  }
  topic(): string {
    return this.random.pick(this.cast.topics).phrase
  }
  /** A past date phrase relative to `reference`. */
  past(reference = this.published): string {
    const back = this.random.int(1, 6)
    switch (this.random.int(0, 6)) {
      case 0:
      case 1:
        return `on ${weekdays[new Date(reference - back * day).getUTCDay()]}`
      case 2:
        return `on ${apDate(reference - this.random.int(7, 40) * day)}`
      case 3:
        return 'earlier this year'
      case 4:
        return 'last week'
      case 5:
        return 'yesterday'
      default:
        return `in ${months[new Date(reference - this.random.int(35, 200) * day).getUTCMonth()]}`
    }
  }
  /** A future date phrase relative to `reference`. */
  future(reference = this.published): string {
    const ahead = this.random.int(3, 60)
    switch (this.random.int(0, 4)) {
      case 0:
        return `on ${apDate(reference + ahead * day)}`
      case 1: {
        const start = reference + ahead * day
        const end = start + this.random.int(1, 3) * day
        const a = new Date(start)
        const b = new Date(end)
        return a.getUTCMonth() === b.getUTCMonth() ? `from ${apDate(start)} to ${b.getUTCDate()}` : `from ${apDate(start)} to ${apDate(end)}`
      }
      case 2:
        return `this ${this.random.pick(weekdays.slice(1))}`
      case 3:
        return 'next month'
      default:
        return `later this year`
    }
  }

  /** A template number, from `among` when given, each used at most three times per article when possible. */
  template(among?: readonly number[]): number {
    let choice = 0
    for (let attempt = 0; attempt < 8; attempt++) {
      choice = among ? this.random.pick(among) : this.random.int(0, templateCount - 1)
      if ((this.used.get(choice) ?? 0) < 3) break
    }
    this.used.set(choice, (this.used.get(choice) ?? 0) + 1)
    return choice
  }

  /** One sentence, with dates relative to `reference` (a quoted source's own date inside its quotation). */
  sentence(reference = this.published, among?: readonly number[]): string {
    const r = this.random
    const [a, b] = this.pair()
    switch (this.template(among)) {
      case 0:
        return `${this.actor(a, true)} criticized ${this.countryName(b)} ${this.past(reference)} for its handling of ${this.topic()}.`
      case 1:
        return `${this.person()} visited ${this.city(b)} ${this.past(reference)}, meeting officials from ${this.org()}.`
      case 2: {
        const person = r.pick(this.cast.people)
        const other = r.pick(this.cast.countries.filter((country) => country !== person.country).concat(b))
        return `${this.person(person)} is to travel to ${other.capital} and ${this.city(other)} ${this.future(reference)}, the first visit by a ${person.country.adjective} ${person.title.noun} in ${r.pick(numberWords)} years.`
      }
      case 3:
        return `${this.countryName(a, true)} and ${this.countryName(b)} announced that they would hold talks in ${r.pick(this.cast.countries).capital} ${this.future(reference)}.`
      case 4:
        return `${a.capital} threatened ${this.countryName(b)} with new sanctions ${this.past(reference)} over ${this.topic()}.`
      case 5:
        return `${this.actor(a, true)} signed an agreement with ${this.countryName(b)} ${this.past(reference)} on ${this.topic()}, officials said.`
      case 6:
        return `${this.countryName(a, true)} asked ${this.countryName(b)} ${this.past(reference)} to negotiate a new ${r.pick(['security pact', 'trade deal', 'border treaty', 'fisheries agreement'])}.`
      case 7:
        return `${this.org(true)} condemned the attack on ${this.city(a)} and called on ${this.countryName(b)} to investigate.`
      case 8:
      {
        const [one, two] = r.sample(this.cast.people, 2) as [Person, Person]
        return `${this.person(one)} met ${this.person(two)} in ${this.city(a)} ${this.past(reference)} to discuss ${this.topic()}.`
      }
      case 9:
        return `${this.actor(a, true)} accused ${this.countryName(b)} of ${r.pick(['violating the ceasefire', 'detaining its fishermen', 'blocking aid convoys', 'interfering in its elections', 'hiding the scale of its arms purchases'])}.`
      case 10:
        return `${a.capital} rejected the proposal ${this.past(reference)}, saying it ignored ${this.topic()}.`
      case 11:
        return `${this.countryName(a, true)} deployed ${r.int(2, 40) * 100} troops to the ${r.pick(this.cast.places)} ${this.past(reference)}.`
      case 12:
        return `${this.actor(a, true)} praised ${this.org()} for its role in the talks on ${this.topic()}.`
      case 13:
        return `According to ${r.pick(newsOrgs).short}, ${this.countryName(a)} warned ${this.countryName(b)} that a dispute over ${this.topic()} could lead to ${r.pick(['a trade war', 'military clashes', 'the collapse of the talks', 'new sanctions'])}.`
      case 14:
        return `${this.countryName(a, true)} and ${this.countryName(b)} agreed ${this.past(reference)} to cooperate on ${this.topic()}.`
      case 15:
        return `${this.countryName(a, true)} will host a summit of ${r.pick(summitOrgs)} members in ${this.city(a)} ${this.future(reference)}.`
      case 16:
        return `Protesters in ${this.city(a)} marched against ${this.countryName(b)}’s decision ${this.past(reference)}, and police said ${r.int(3, 90)} people were detained.`
      case 17:
        return `The dispute over ${this.topic()} has strained relations between ${this.countryName(a)} and ${this.countryName(b)} for decades.`
      case 18: {
        const analyst = r.pick(this.world.analysts)
        return `“${r.pick(['Nobody expected a breakthrough', 'This is a signal to the region', 'The numbers simply do not add up', 'Both sides need a face-saving exit'])},” said ${analyst.given} ${analyst.family}, ${r.pick(['a researcher', 'a senior fellow', 'a former diplomat', 'an economist'])} at ${this.unknownOrg()}.`
      }
      case 19:
        return `Officials at ${this.unknownOrg()} declined to comment on the ${r.pick(['negotiations', 'report', 'allegations', 'deal'])}.`
      case 20:
        return `${this.countryName(a, true)}’s economy grew ${r.int(1, 7)}.${r.int(0, 9)} percent last year, according to ${r.pick(['the World Bank', 'the International Monetary Fund', 'the IMF'])}.`
      case 21:
        return `Trade between ${this.countryName(a)} and ${this.countryName(b)} reached $${r.int(2, 180)} billion in ${new Date(reference).getUTCFullYear() - 1}, up from $${r.int(1, 90)} billion a decade earlier.`
      case 22:
        return `Diplomats in ${a.capital} said the issue would dominate the agenda ${this.future(reference)}.`
      case 23:
        return `In the last six months, ${this.countryName(a)} has ${r.pick(['doubled its coast guard patrols', 'expelled two diplomats', 'halted imports of fertilizer', 'quietly reopened its embassy'])} in ${this.countryName(b)}.`
      case 24:
        return `Shipping through the ${r.pick(this.cast.places)} has fallen sharply since ${months[new Date(reference - r.int(40, 300) * day).getUTCMonth()]}, ${this.unknownOrg()} said.`
      case 25:
        return `The ${r.pick(this.cast.things)}, signed by ${this.countryName(a)} and ${this.countryName(b)} in ${new Date(reference).getUTCFullYear() - r.int(2, 30)}, expires ${this.future(reference)}.`
      case 26:
        return `${this.person()} said the government was ${r.pick(['ready to resume talks', 'not in a hurry', 'studying the offer', 'open to mediation by a third country'])}, but ${r.pick(['gave no details', 'set no date', 'warned against further delays'])}.`
      default:
        return `${a.capital} and ${b.capital} have ${r.pick(['traded accusations', 'kept talking', 'avoided direct contact'])} since ${this.past(reference).replace(/^(?:on|in) /, '')}, ${r.pick(newsOrgs).short} reported.`
    }
  }

  paragraph(min: number, max: number, among?: readonly number[]): string {
    const count = this.random.int(min, max)
    return Array.from({length: count}, () => this.sentence(this.published, among)).join(' ')
  }
}

function wordsIn(text: string): number {
  return text.match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu)?.length ?? 0
}

function quoteString(value: string): string {
  return JSON.stringify(value)
}

function generateArticle(random: Random, world: World, index: number): {path: string; contents: string} {
  // Publication: a calendar day between 2000 and 2024, a time of day and an offset.
  const published = Date.UTC(2000, 0, 1) + random.int(0, 9130) * day
  const year = new Date(published).getUTCFullYear()
  const time = `${String(random.int(6, 22)).padStart(2, '0')}:${String(random.int(0, 11) * 5).padStart(2, '0')}:00`
  const offset = random.pick(offsets)
  const castCountries = random.sample(countries, random.int(3, 5))
  const cast = {
    countries: castCountries,
    people: [
      ...random.sample(
        world.people.filter((person) => castCountries.includes(person.country)),
        random.int(2, 4)
      ),
      ...random.sample(world.people, 2)
    ],
    orgs: random.sample(registryOrgs, random.int(2, 4)),
    unknownOrgs: random.sample(world.orgs, 2),
    places: random.sample(world.places, 2),
    things: random.sample(world.things, 2),
    topics: random.sample(topics, 2)
  }
  const writer = new ArticleWriter(random, world, published, cast)
  const [first, second] = castCountries as [Country, Country]
  const topic = cast.topics[0]!
  const title = random.pick([
    `${writer.countryName(first, true)} and ${writer.countryName(second)} agree to resume talks on ${topic.phrase}`,
    `${first.capital} raises pressure on ${second.capital} over ${topic.phrase}`,
    `Why ${writer.countryName(first)} is rethinking its stance on ${topic.phrase}`,
    `${first.adjective} envoy heads to ${second.capital} as dispute over ${topic.phrase} deepens`,
    `${writer.countryName(first, true)}: a new approach to ${topic.phrase}`
  ])
  const slug = `${slugOf(title).slice(0, 60).replace(/-+$/, '')}-${index + 1}`
  const author = random.pick(world.authors)
  const publisher = author.publisher
  const date = isoDay(published)
  const url = `https://${publisher.domain}/${date.replace(/-/g, '/')}/${slug}/`

  // Sources: two or three, each quoted once.
  const sourceCount = random.int(2, 3)
  const sources: Source[] = []
  for (const news of random.sample(newsOrgs, sourceCount - 1)) {
    const sourceDate = published - random.int(0, 3) * day
    const dateline = random.chance(0.7) ? writer.city(random.pick(castCountries)) : undefined
    sources.push({
      id: news.id,
      type: 'NewsArticle',
      name: `${random.pick(['Talks stall', 'Pressure mounts', 'Officials meet', 'Tension rises'])} as ${writer.countryName(random.pick(castCountries))} weighs ${random.pick(cast.topics).phrase}`,
      publisher: news.name,
      date: sourceDate,
      ...(dateline ? {dateline} : {}),
      citation: `*${news.name}*, report${dateline ? ` datelined ${dateline}` : ''}, ${longDate(sourceDate)}.`
    })
  }
  if (sourceCount === 3 || random.chance(0.5)) {
    const analyst = random.pick(world.analysts)
    const org = random.pick(cast.unknownOrgs)
    const sourceDate = published - random.int(5, 60) * day
    sources.push({
      id: 'report',
      type: 'Report',
      name: `${writer.countryName(first, true)} and the politics of ${topic.phrase}`,
      author: `${analyst.given} ${analyst.family}`,
      publisher: org,
      date: sourceDate,
      citation: `${analyst.given} ${analyst.family}, report for the ${org}, ${longDate(sourceDate)}.`
    })
  } else {
    const sourceDate = published - random.int(0, 2) * day
    sources.push({
      id: 'statement',
      type: 'WebPage',
      name: `Statement of the ${first.adjective} foreign ministry on ${topic.phrase}`,
      publisher: `${first.adjective} Ministry of Foreign Affairs`,
      date: sourceDate,
      citation: `${first.adjective} Ministry of Foreign Affairs, statement, ${longDate(sourceDate)}.`
    })
  }

  // Body: a lead, paragraphs, a subheading or two, a list sometimes, and the quotations.
  const target = random.int(850, 1050)
  const blocks: string[] = [writer.paragraph(2, 3, leadTemplates)]
  const quoteAt = new Set(random.sample([1, 2, 3, 4, 5, 6, 7, 8], sources.length).map((n) => n + 1))
  let quoted = 0
  let words = wordsIn(blocks[0]!)
  let subheads = 0
  for (let position = 1; words < target || quoted < sources.length; position++) {
    let block: string
    if (quoteAt.has(position) || (words >= target && quoted < sources.length)) {
      const source = sources[quoted++]!
      const intro =
        source.type === 'NewsArticle'
          ? `${random.pick(['According to', 'As reported by'])} ${newsOrgs.find((news) => news.id === source.id)!.short}:`
          : source.type === 'Report'
            ? `${source.author} wrote in a report for the ${source.publisher}:`
            : `The ministry said in a statement:`
      const reference = source.date
      const sentences = Array.from({length: random.int(3, 5)}, () => writer.sentence(reference))
      if (random.chance(0.5)) {
        const [a, b] = writer.pair()
        sentences.splice(1, 0, `Also today, ${writer.countryName(a)} and ${writer.countryName(b)} announced that for the first time they would conduct joint ${random.pick(['naval exercises', 'border patrols', 'disaster drills'])}.`)
      }
      block = `${intro}\n\n> ${sentences.join(' ')} [^${source.id}]`
    } else if (subheads < 2 && position % 5 === 0) {
      subheads++
      block = `## ${random.pick(['What happens next', 'The view from the region', 'A long dispute', 'Money and leverage', 'Inside the talks'])}\n\n${writer.paragraph(3, 5)}`
    } else if (random.chance(0.08)) {
      block = `${random.pick(['The main points of the draft', 'What each side wants', 'Where the talks stand'])}:\n\n${Array.from({length: 3}, () => `- ${writer.sentence()}`).join('\n')}`
    } else {
      block = writer.paragraph(3, 6)
    }
    blocks.push(block)
    words += wordsIn(block)
  }

  const keywords = [...new Set([...cast.topics.map((item) => item.keyword), ...castCountries.slice(0, 2).map((country) => country.name.toLowerCase())])]
  const yaml: string[] = [
    `title: ${quoteString(title)}`,
    `url: ${quoteString(url)}`,
    `datePublished: ${quoteString(`${date}T${time}${offset}`)}`,
    `description: ${quoteString(`${writer.countryName(first, true)} and ${writer.countryName(second)} remain divided over ${topic.phrase}, while ${cast.orgs[0]!.text} and neighbouring governments try to keep talks alive.`)}`,
    'language: en',
    `section: ${quoteString(random.pick(sections))}`,
    'keywords:',
    ...keywords.map((keyword) => `  - ${quoteString(keyword)}`),
    'author:',
    `  name: ${quoteString(author.name)}`,
    `  url: ${quoteString(`https://${publisher.domain}/staff/${author.slug}/`)}`,
    ...(author.sameAs ? ['  sameAs:', `    - ${quoteString(`https://social.example/@${author.slug}`)}`] : []),
    `  bio: ${quoteString(author.bio)}`,
    'publisher:',
    `  name: ${quoteString(publisher.name)}`,
    `  url: ${quoteString(`https://${publisher.domain}/`)}`,
    'sources:'
  ]
  for (const source of sources) {
    yaml.push(`  - id: ${quoteString(source.id)}`, `    type: ${quoteString(source.type)}`, `    name: ${quoteString(source.name)}`)
    if (source.author) yaml.push(`    author: ${quoteString(source.author)}`)
    yaml.push(`    publisher: ${quoteString(source.publisher)}`, `    datePublished: ${quoteString(isoDay(source.date))}`)
    if (source.dateline) yaml.push(`    dateline: ${quoteString(source.dateline)}`)
  }
  const footnotes = sources.map((source) => `[^${source.id}]: ${source.citation}`).join('\n')
  const contents = `---\n${yaml.join('\n')}\n---\n\n${blocks.join('\n\n')}\n\n${footnotes}\n`
  return {path: `articles/${year}/${date}-${slug}.md`, contents}
}

/**
 * A deterministic benchmark corpus: `site.yaml` and `count` articles (relative
 * path → contents). The same `count` and `seed` give identical files; a
 * larger `count` with the same seed is not a superset of a smaller one.
 */
export function generateCorpus(count: number, seed: number): Map<string, string> {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`Expected a count of articles ≥ 0, not ${count}`)
  const random = new Random(seed)
  const world = createWorld(random, count)
  const files = new Map<string, string>()
  files.set('site.yaml', 'title: newsgraph benchmark\ndescription: A generated corpus for make bench.\nlanguage: en\nbaseUrl: https://bench.newsgraph.example/\nversion: 1.0.0\n')
  for (let index = 0; index < count; index++) {
    // One PRNG per article, seeded from the corpus seed and the index, so an
    // article does not depend on how much randomness the previous ones used.
    const {path, contents} = generateArticle(new Random((Math.imul(seed ^ 0x9e3779b9, 2654435761) + Math.imul(index + 1, 0x85ebca6b)) >>> 0), world, index)
    files.set(path, contents)
  }
  return files
}
