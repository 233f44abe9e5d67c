/**
 * The demo CRM: about 200 Nordic companies and 1,000 contacts with requests, sales and activities,
 * generated from a seeded PRNG (mulberry32), so every start of a fresh demo produces the same
 * records (times are relative to the day of seeding). Names are common Swedish, Norwegian, Danish
 * and Finnish ones; streets, postcodes and phone area codes are real, companies are invented,
 * e-mail domains use the reserved `.example` top-level domain, org. numbers carry valid check
 * digits (except Fjällvind's, which is the one printed on the demo page). The demo customer of the screenshots and tests, Kim Andersson
 * (`kim.andersson@example.com`), is contact `pe-0002` at Fjällvind Friluft AB (`co-0001`).
 */
import { foldText } from '../../src/crm/match.js';
import type { SqlPort } from './sql.js';
import { seedDemoDocuments } from './crm-documents.js';
import { CrmStore } from './crm-store.js';

type Country = 'SE' | 'NO' | 'DK' | 'FI';

/** mulberry32: a tiny, good-enough 32-bit PRNG; `next()` is uniform in [0, 1). */
export function seededRandom(seed: number): { next(): number; int(min: number, max: number): number; pick<T>(list: readonly T[]): T; chance(p: number): boolean } {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T,
    chance: (p) => next() < p,
  };
}

const FIRST: Record<Country, readonly string[]> = {
  SE: [
    'Erik', 'Lars', 'Karl', 'Anders', 'Johan', 'Per', 'Nils', 'Mikael', 'Fredrik', 'Magnus', 'Oskar', 'Gustav', 'Henrik', 'Mattias', 'Daniel', 'Björn',
    'Anna', 'Maria', 'Eva', 'Karin', 'Sara', 'Emma', 'Elin', 'Ingrid', 'Kristina', 'Linnéa', 'Åsa', 'Malin', 'Sofia', 'Ida', 'Johanna', 'Helena', 'Maja', 'Frida',
  ],
  NO: [
    'Ole', 'Lars', 'Knut', 'Magnus', 'Henrik', 'Sindre', 'Eirik', 'Håkon', 'Jørgen', 'Trond', 'Espen', 'Bjørn',
    'Ingrid', 'Kari', 'Solveig', 'Ragnhild', 'Marit', 'Silje', 'Ingeborg', 'Tone', 'Nora', 'Sigrid', 'Åse', 'Hanne',
  ],
  DK: [
    'Søren', 'Mads', 'Rasmus', 'Jens', 'Niels', 'Anders', 'Mikkel', 'Frederik', 'Kasper', 'Jesper', 'Morten',
    'Mette', 'Hanne', 'Lone', 'Camilla', 'Sofie', 'Ida', 'Line', 'Karen', 'Louise', 'Maja', 'Freja',
  ],
  FI: [
    'Mikko', 'Jukka', 'Timo', 'Matti', 'Antti', 'Juha', 'Pekka', 'Ville', 'Tuomas', 'Janne', 'Eero',
    'Sanna', 'Päivi', 'Anne', 'Tiina', 'Johanna', 'Laura', 'Riikka', 'Aino', 'Elina', 'Satu', 'Minna',
  ],
};

const LAST: Record<Country, readonly string[]> = {
  SE: [
    'Andersson', 'Johansson', 'Karlsson', 'Nilsson', 'Eriksson', 'Larsson', 'Olsson', 'Persson', 'Svensson', 'Gustafsson', 'Pettersson', 'Jonsson',
    'Lindberg', 'Lindqvist', 'Berg', 'Holm', 'Sandberg', 'Bergström', 'Lundgren', 'Sjöberg', 'Åberg', 'Öberg', 'Ek', 'Wallin', 'Engström', 'Håkansson', 'Forsberg',
  ],
  NO: [
    'Hansen', 'Johansen', 'Olsen', 'Larsen', 'Andersen', 'Pedersen', 'Nilsen', 'Kristiansen', 'Jensen', 'Karlsen', 'Haugen', 'Berg', 'Dahl', 'Bakken',
    'Solberg', 'Strand', 'Hagen', 'Lie', 'Moen', 'Fjeld', 'Sæther', 'Halvorsen', 'Aasen', 'Bråten',
  ],
  DK: [
    'Jensen', 'Nielsen', 'Hansen', 'Pedersen', 'Andersen', 'Christensen', 'Larsen', 'Sørensen', 'Rasmussen', 'Jørgensen', 'Petersen', 'Madsen',
    'Kristensen', 'Olsen', 'Thomsen', 'Poulsen', 'Møller', 'Mortensen', 'Holm', 'Bach',
  ],
  FI: [
    'Korhonen', 'Virtanen', 'Mäkinen', 'Nieminen', 'Mäkelä', 'Hämäläinen', 'Laine', 'Heikkinen', 'Koskinen', 'Järvinen', 'Lehtonen', 'Lehtinen',
    'Saarinen', 'Salminen', 'Heinonen', 'Niemi', 'Kinnunen', 'Salonen',
  ],
};

interface City {
  city: string;
  /** Postcodes of the centre, as written in the country. */
  postcodes: readonly string[];
  streets: readonly string[];
  /** Area code for landlines (national, without trunk prefix). */
  area: string;
}

const CITIES: Record<Country, readonly City[]> = {
  SE: [
    { city: 'Stockholm', postcodes: ['111 20', '111 52', '113 29', '114 34', '116 45', '118 20'], streets: ['Drottninggatan', 'Sveavägen', 'Götgatan', 'Hornsgatan', 'Kungsgatan', 'Birger Jarlsgatan'], area: '8' },
    { city: 'Göteborg', postcodes: ['411 05', '411 36', '413 04', '411 38'], streets: ['Kungsportsavenyen', 'Vasagatan', 'Linnégatan', 'Första Långgatan'], area: '31' },
    { city: 'Malmö', postcodes: ['211 22', '211 34', '211 43', '217 41'], streets: ['Södra Förstadsgatan', 'Stortorget', 'Östra Rönneholmsvägen', 'Regementsgatan'], area: '40' },
    { city: 'Uppsala', postcodes: ['753 20', '753 21', '753 10'], streets: ['Svartbäcksgatan', 'Dragarbrunnsgatan', 'Kungsängsgatan'], area: '18' },
    { city: 'Umeå', postcodes: ['903 26', '903 27', '903 30'], streets: ['Rådhusesplanaden', 'Storgatan', 'Kungsgatan', 'Skolgatan'], area: '90' },
    { city: 'Luleå', postcodes: ['972 31', '972 32'], streets: ['Storgatan', 'Smedjegatan', 'Kungsgatan'], area: '920' },
    { city: 'Östersund', postcodes: ['831 30', '831 34'], streets: ['Prästgatan', 'Storgatan', 'Kyrkgatan'], area: '63' },
    { city: 'Linköping', postcodes: ['582 24', '582 25'], streets: ['Ågatan', 'Drottninggatan', 'Storgatan'], area: '13' },
    { city: 'Örebro', postcodes: ['702 10', '702 11'], streets: ['Drottninggatan', 'Köpmangatan', 'Engelbrektsgatan'], area: '19' },
    { city: 'Kiruna', postcodes: ['981 31', '981 32'], streets: ['Lars Janssonsgatan', 'Geologgatan'], area: '980' },
  ],
  NO: [
    { city: 'Oslo', postcodes: ['0154', '0157', '0161', '0183', '0355'], streets: ['Karl Johans gate', 'Storgata', 'Bogstadveien', 'Thorvald Meyers gate', 'Grensen'], area: '2' },
    { city: 'Bergen', postcodes: ['5003', '5014', '5015'], streets: ['Bryggen', 'Torgallmenningen', 'Strandgaten'], area: '55' },
    { city: 'Trondheim', postcodes: ['7011', '7013'], streets: ['Munkegata', 'Olav Tryggvasons gate', 'Nordre gate'], area: '73' },
    { city: 'Stavanger', postcodes: ['4005', '4006'], streets: ['Kirkegata', 'Klubbgata', 'Skagen'], area: '51' },
    { city: 'Tromsø', postcodes: ['9008', '9007'], streets: ['Storgata', 'Sjøgata', 'Grønnegata'], area: '77' },
    { city: 'Bodø', postcodes: ['8006'], streets: ['Sjøgata', 'Storgata', 'Dronningens gate'], area: '75' },
  ],
  DK: [
    { city: 'København K', postcodes: ['1160', '1260', '1301'], streets: ['Amagertorv', 'Bredgade', 'Store Kongensgade', 'Købmagergade'], area: '3' },
    { city: 'København V', postcodes: ['1620'], streets: ['Vesterbrogade', 'Istedgade'], area: '3' },
    { city: 'Aarhus C', postcodes: ['8000'], streets: ['Søndergade', 'Park Allé', 'Ryesgade'], area: '8' },
    { city: 'Odense C', postcodes: ['5000'], streets: ['Vestergade', 'Kongensgade', 'Overgade'], area: '6' },
    { city: 'Aalborg', postcodes: ['9000'], streets: ['Boulevarden', 'Algade', 'Bispensgade'], area: '9' },
  ],
  FI: [
    { city: 'Helsinki', postcodes: ['00100', '00120', '00130'], streets: ['Mannerheimintie', 'Aleksanterinkatu', 'Bulevardi', 'Fredrikinkatu'], area: '9' },
    { city: 'Tampere', postcodes: ['33100', '33200'], streets: ['Hämeenkatu', 'Kauppakatu', 'Satakunnankatu'], area: '3' },
    { city: 'Turku', postcodes: ['20100'], streets: ['Aurakatu', 'Linnankatu', 'Eerikinkatu'], area: '2' },
    { city: 'Oulu', postcodes: ['90100'], streets: ['Kirkkokatu', 'Isokatu', 'Pakkahuoneenkatu'], area: '8' },
    { city: 'Rovaniemi', postcodes: ['96200'], streets: ['Koskikatu', 'Rovakatu', 'Maakuntakatu'], area: '16' },
  ],
};

const NATURE: Record<Country, readonly string[]> = {
  SE: ['Fjäll', 'Norr', 'Älv', 'Skog', 'Sjö', 'Björk', 'Gran', 'Lind', 'Strand', 'Vik', 'Nord', 'Vinter', 'Myr', 'Tall', 'Kust'],
  NO: ['Fjell', 'Fjord', 'Nord', 'Vest', 'Bre', 'Skog', 'Havn', 'Vidde', 'Tind', 'Lysne'],
  DK: ['Kyst', 'Skov', 'Hav', 'Nord', 'Vest', 'Strand', 'Bøge', 'Klit', 'Fjord'],
  FI: ['Tunturi', 'Järvi', 'Metsä', 'Revontuli', 'Koski', 'Saari', 'Kallio', 'Lumi'],
};

const INDUSTRY: Record<Country, readonly string[]> = {
  SE: ['Bygg', 'Friluft', 'Logistik', 'Konsult', 'Data', 'Teknik', 'Handel', 'Sport', 'Transport', 'El', 'Design', 'Fastigheter', 'Redovisning', 'Turism'],
  NO: ['Bygg', 'Friluft', 'Logistikk', 'Rådgivning', 'Data', 'Teknikk', 'Handel', 'Sport', 'Transport', 'Elektro', 'Reiseliv'],
  DK: ['Byg', 'Friluft', 'Logistik', 'Rådgivning', 'Data', 'Teknik', 'Handel', 'Sport', 'Transport', 'El', 'Design'],
  FI: ['Rakennus', 'Retkeily', 'Logistiikka', 'Konsultointi', 'Data', 'Tekniikka', 'Kauppa', 'Urheilu', 'Kuljetus', 'Sähkö', 'Matkailu'],
};

const SUFFIX: Record<Country, readonly string[]> = { SE: ['AB'], NO: ['AS'], DK: ['ApS', 'A/S'], FI: ['Oy'] };
const CURRENCY: Record<Country, string> = { SE: 'SEK', NO: 'NOK', DK: 'DKK', FI: 'EUR' };
const CC: Record<Country, string> = { SE: '46', NO: '47', DK: '45', FI: '358' };

const TITLES = [
  'CEO', 'Purchasing manager', 'Buyer', 'Sales manager', 'Store manager', 'Head of logistics', 'Office manager', 'IT manager', 'CFO',
  'Marketing coordinator', 'Product manager', 'Customer service', 'Project manager', 'Warehouse manager',
];
const PRODUCTS = ['Tind jacket', 'Vidde 2 tent', 'Ripa down jacket', 'Lappland boots', 'Skare ski poles', 'Kåsa mug', 'Myr trousers', 'Norrsken headlamp', 'Fjord rain shell'];
const AGENT_NAMES = ['Anna Lindqvist', 'Erik Johansson', 'Sofia Berg', 'Lars Nilsson'];

const DAY = 24 * 60 * 60 * 1000;

/** Sum of the digits of `body` times their weights. */
function weighted(body: string, weights: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += Number(body.charAt(i)) * (weights[i] ?? 0);
  return sum;
}

function digits(rng: ReturnType<typeof seededRandom>, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(rng.int(0, 9));
  return s;
}

/** Swedish org. no. (10 digits, Luhn check digit), e.g. `556712-4410`. */
function orgNoSE(rng: ReturnType<typeof seededRandom>): string {
  const body = `55${String(rng.pick([6, 9]))}${digits(rng, 6)}`;
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    let d = Number(body[i]) * (i % 2 === 0 ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  const check = (10 - (sum % 10)) % 10;
  return `${body.slice(0, 6)}-${body.slice(6)}${String(check)}`;
}

/** Norwegian organisasjonsnummer (9 digits, mod 11), e.g. `912 345 678`. */
function orgNoNO(rng: ReturnType<typeof seededRandom>): string {
  const w = [3, 2, 7, 6, 5, 4, 3, 2];
  for (;;) {
    const body = `9${digits(rng, 7)}`;
    const sum = weighted(body, w);
    const check = 11 - (sum % 11);
    if (check === 10) continue;
    const all = `${body}${String(check === 11 ? 0 : check)}`;
    return `${all.slice(0, 3)} ${all.slice(3, 6)} ${all.slice(6)}`;
  }
}

/** Danish CVR number (8 digits, mod 11). */
function orgNoDK(rng: ReturnType<typeof seededRandom>): string {
  const w = [2, 7, 6, 5, 4, 3, 2];
  for (;;) {
    const body = `${String(rng.int(1, 4))}${digits(rng, 6)}`;
    const sum = weighted(body, w);
    const check = (11 - (sum % 11)) % 11;
    if (check === 10) continue;
    return `${body}${String(check)}`;
  }
}

/** Finnish Y-tunnus (7 digits and a mod 11 check digit), e.g. `2345678-9`. */
function orgNoFI(rng: ReturnType<typeof seededRandom>): string {
  const w = [7, 9, 10, 5, 8, 4, 2];
  for (;;) {
    const body = `${String(rng.int(1, 3))}${digits(rng, 6)}`;
    const r = weighted(body, w) % 11;
    if (r === 1) continue;
    return `${body}-${String(r === 0 ? 0 : 11 - r)}`;
  }
}

const ORG_NO: Record<Country, (rng: ReturnType<typeof seededRandom>) => string> = { SE: orgNoSE, NO: orgNoNO, DK: orgNoDK, FI: orgNoFI };

/** A landline of the company's city, E.164. */
function landline(rng: ReturnType<typeof seededRandom>, country: Country, city: City): string {
  const length = country === 'SE' ? 9 : 8;
  const national = `${city.area}${digits(rng, length - city.area.length)}`;
  return `+${CC[country]}${national}`;
}

/** A mobile number, E.164. */
function mobile(rng: ReturnType<typeof seededRandom>, country: Country): string {
  switch (country) {
    case 'SE':
      return `+467${String(rng.pick([0, 2, 3, 6]))}${digits(rng, 7)}`;
    case 'NO':
      return `+47${String(rng.pick([4, 9]))}${digits(rng, 7)}`;
    case 'DK':
      return `+45${String(rng.pick([2, 3, 4, 5]))}${digits(rng, 7)}`;
    case 'FI':
      return `+358${String(rng.pick([40, 44, 50]))}${digits(rng, 7)}`;
  }
}

function slug(text: string): string {
  return foldText(text).replace(/[^a-z0-9]+/g, '');
}

export interface SeedCounts {
  companies: number;
  persons: number;
  requests: number;
  sales: number;
  activities: number;
}

/**
 * Seeds the demo CRM of a tenant once (idempotent: a tenant that has CRM companies is left as it
 * is). Returns the counts, or undefined when nothing was seeded.
 */
export function seedDemoCrm(db: SqlPort, tenantId: string, now: number, options: { companies?: number; persons?: number } = {}): SeedCounts | undefined {
  const store = new CrmStore(db, tenantId);
  // Documents came later (migration 6): a data directory seeded before gets them now.
  if (store.hasCompanies()) {
    seedDemoDocuments(store, now);
    return undefined;
  }
  const rng = seededRandom(0x5eed_c0de);
  const today = Math.floor(now / DAY) * DAY;
  const companyCount = options.companies ?? 200;
  const personCount = options.persons ?? 1000;
  const counts: SeedCounts = { companies: 0, persons: 0, requests: 0, sales: 0, activities: 0 };
  const id = (prefix: string, n: number, width = 4) => `${prefix}-${String(n).padStart(width, '0')}`;
  const names = new Set<string>();
  const emails = new Set<string>();

  interface SeedCompany {
    id: string;
    country: Country;
    domain: string;
    persons: string[];
  }
  const companies: SeedCompany[] = [];

  db.transaction(() => {
    // The company and contacts the demo page and the tests know.
    const fjallvind: SeedCompany = { id: id('co', 1), country: 'SE', domain: 'fjallvind.example', persons: [] };
    store.insertCompany({
      id: fjallvind.id,
      name: 'Fjällvind Friluft AB',
      orgNo: '556712-4410',
      phone: '+46901234550',
      domain: fjallvind.domain,
      address: { street: 'Rådhusesplanaden 14', postalCode: '903 28', city: 'Umeå', country: 'SE' },
      createdAt: today - 2400 * DAY,
    });
    names.add('Fjällvind Friluft AB');
    companies.push(fjallvind);
    counts.companies++;
    const fixed = [
      { first: 'Maria', last: 'Holm', title: 'Purchasing manager', email: 'maria.holm@fjallvind.example', phone: '+46705550123' },
      { first: 'Kim', last: 'Andersson', title: 'Store manager', email: 'kim.andersson@example.com', phone: '+46701234567' },
      { first: 'Jonas', last: 'Ek', title: 'Head of logistics', email: 'jonas.ek@fjallvind.example', phone: '+46703336677' },
    ];
    for (const p of fixed) {
      counts.persons++;
      const personId = id('pe', counts.persons);
      store.insertPerson({ id: personId, companyId: fjallvind.id, firstName: p.first, lastName: p.last, title: p.title, email: p.email, phone: p.phone, createdAt: today - 900 * DAY });
      emails.add(p.email);
      fjallvind.persons.push(personId);
    }

    while (counts.companies < companyCount) {
      const roll = rng.next();
      const country: Country = roll < 0.4 ? 'SE' : roll < 0.65 ? 'NO' : roll < 0.85 ? 'DK' : 'FI';
      const base = rng.chance(0.5) ? rng.pick(LAST[country]) : `${rng.pick(NATURE[country])}${rng.pick(['', 'vind', 'ljus', 'sten', 'dal']).toLowerCase()}`;
      const name = `${base} ${rng.pick(INDUSTRY[country])} ${rng.pick(SUFFIX[country])}`;
      if (names.has(name)) continue;
      names.add(name);
      counts.companies++;
      const city = rng.pick(CITIES[country]);
      const domain = `${slug(name.replace(/\s+(AB|AS|ApS|A\/S|Oy)$/, ''))}.example`;
      const company: SeedCompany = { id: id('co', counts.companies), country, domain, persons: [] };
      const streetNo = `${rng.pick(city.streets)} ${String(rng.int(1, 88))}${rng.chance(0.15) ? rng.pick(['A', 'B', 'C']) : ''}`;
      store.insertCompany({
        id: company.id,
        name,
        orgNo: ORG_NO[country](rng),
        phone: landline(rng, country, city),
        domain,
        address: { street: streetNo, postalCode: rng.pick(city.postcodes), city: city.city, country },
        createdAt: today - rng.int(30, 3000) * DAY,
      });
      companies.push(company);
    }

    // Contacts: spread over the companies (two to eight each), names mostly from the company's country.
    let c = 1;
    while (counts.persons < personCount) {
      const company = companies[c % companies.length] ?? fjallvind;
      c += rng.int(1, 3);
      const country = rng.chance(0.9) ? company.country : rng.pick<Country>(['SE', 'NO', 'DK', 'FI']);
      const first = rng.pick(FIRST[country]);
      const last = rng.pick(LAST[country]);
      let email = `${slug(first)}.${slug(last)}@${company.domain}`;
      for (let n = 2; emails.has(email); n++) email = `${slug(first)}.${slug(last)}${String(n)}@${company.domain}`;
      emails.add(email);
      counts.persons++;
      const personId = id('pe', counts.persons);
      store.insertPerson({
        id: personId,
        companyId: company.id,
        firstName: first,
        lastName: last,
        title: rng.pick(TITLES),
        email,
        phone: mobile(rng, company.country),
        createdAt: today - rng.int(10, 2000) * DAY,
      });
      company.persons.push(personId);
    }

    // A few requests, sales and activities per company.
    let requestNo = 1000;
    for (const company of companies) {
      if (company.persons.length === 0) continue;
      const person = () => rng.pick(company.persons);
      const requests = company === fjallvind ? 3 : rng.int(0, 4);
      for (let i = 0; i < requests; i++) {
        const product = rng.pick(PRODUCTS);
        const order = String(rng.int(7000, 9999));
        requestNo++;
        counts.requests++;
        const age = rng.int(1, 365);
        store.insertRequest({
          id: id('rq', counts.requests),
          number: requestNo,
          personId: company === fjallvind && i === 0 ? (company.persons[1] ?? person()) : person(),
          companyId: company.id,
          title: rng.pick([
            `Delivery of order ${order}`,
            `Invoice question, order ${order}`,
            `Return of ${product}`,
            `Warranty claim: ${product}`,
            'Change of delivery address',
            `Missing item in order ${order}`,
            `Size exchange: ${product}`,
            `Price list for ${String(new Date(today).getUTCFullYear() + 1)}`,
          ]),
          status: age < 20 ? rng.pick(['open', 'in-progress'] as const) : rng.chance(0.85) ? 'closed' : 'in-progress',
          createdAt: today - age * DAY + rng.int(8, 17) * 3600_000,
        });
      }
      const sales = company === fjallvind ? 2 : rng.int(0, 3);
      for (let i = 0; i < sales; i++) {
        counts.sales++;
        const offset = rng.int(-300, 120);
        const stage = offset > 0 ? rng.pick(['lead', 'proposal', 'negotiation'] as const) : rng.pick(['won', 'won', 'lost', 'proposal'] as const);
        store.insertSale({
          id: id('sa', counts.sales),
          personId: person(),
          companyId: company.id,
          title: rng.pick(['Winter collection', 'Spring restock', 'Tents and sleeping bags', 'Staff uniforms', 'Rental fleet renewal', 'Store opening kit']) +
            (rng.chance(0.5) ? ` ${String(new Date(today + offset * DAY).getUTCFullYear())}` : ''),
          amount: rng.int(20, 1000) * 500,
          currency: CURRENCY[company.country],
          stage,
          date: today + offset * DAY,
        });
      }
      const activities = company === fjallvind ? 4 : rng.int(1, 5);
      for (let i = 0; i < activities; i++) {
        counts.activities++;
        const type = rng.pick(['call', 'meeting', 'email', 'task'] as const);
        const titles: Record<typeof type, readonly string[]> = {
          call: ['Follow-up call', 'Call about delivery times', 'Call about the invoice'],
          meeting: ['Meeting about the winter range', 'Quarterly review', 'Demo of the new collection'],
          email: ['Sent the price list', 'Sent the order confirmation', 'Answered a product question'],
          task: ['Prepare a proposal', 'Check stock levels', 'Update the contract'],
        };
        store.insertActivity({
          id: id('ac', counts.activities),
          personId: company === fjallvind && i === 0 ? (company.persons[1] ?? person()) : person(),
          companyId: company.id,
          type,
          title: rng.pick(titles[type]),
          at: today - rng.int(1, 200) * DAY + rng.int(8, 17) * 3600_000,
          ownerName: rng.pick(AGENT_NAMES),
        });
      }
    }
  });
  seedDemoDocuments(store, now);
  return counts;
}
