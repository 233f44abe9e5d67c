/**
 * Unit tests of the CRM rules shared by the providers and the server: the E.164 phone normaliser,
 * accent folding and fuzzy name similarity, match ranking, input validation, and the
 * deterministic demo seed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { foldText, jaroWinkler, NAME_THRESHOLD, nameSimilarity, nameTokens, rankMatches, scoreContact } from '../../src/crm/match.js';
import { formatPhone, loadPhoneFormatting, normalizePhone, phoneFormattingLoaded } from '../../src/crm/phone.js';
import { checkCompany, checkContact, checkPerson } from '../../src/crm/validate.js';
import { CrmStore } from '../../server/core/crm-store.js';
import { seedDemoCrm, seededRandom } from '../../server/core/crm-seed.js';
import { migrate } from '../../server/core/migrations/index.js';
import { createTenant, DEMO_TENANT } from '../../server/core/seed.js';
import { openSqlite } from '../../server/node/sqlite.js';

describe('normalizePhone (E.164, default region SE)', () => {
  const cases: [string, string | null][] = [
    ['+46 70 123 45 67', '+46701234567'],
    ['070-123 45 67', '+46701234567'],
    ['0701234567', '+46701234567'],
    ['(070) 123 45 67', '+46701234567'],
    ['070.123.45.67', '+46701234567'],
    ['+46 (0)70 123 45 67', '+46701234567'],
    ['+46 070 123 45 67', '+46701234567'],
    ['0046 70 123 45 67', '+46701234567'],
    ['08-123 456 78', '+46812345678'],
    ['090-12 34 56', '+4690123456'],
    ['+47 912 34 567', '+4791234567'],
    ['0047 22 33 44 55', '+4722334455'],
    ['+45 33 12 34 56', '+4533123456'],
    ['+358 40 123 4567', '+358401234567'],
    ['+358 (0)9 123 4567', '+35891234567'],
    ['+354 551 2345', '+3545512345'],
    ['+44 20 7946 0958', '+442079460958'],
    ['+1 (212) 555-0100', '+12125550100'],
    ['070-123 45 67 ext. 12', '+46701234567'],
    ['\u00a0+46\u202f70\u00a0123 45 67 ', '+46701234567'],
    ['', null],
    ['12', null],
    ['call me', null],
    ['070-123 45 67 or 070-765 43 21', null],
    ['+47 912 34', null],
    ['+46 70 123 45 67 89 01', null],
    ['+0 123 456 789', null],
    ['0000', null],
    ['+1234567', null],
    ['1'.repeat(100), null],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} → ${String(expected)}`, () => {
      assert.equal(normalizePhone(input), expected);
    });
  }

  it('reads national numbers in the region given', () => {
    assert.equal(normalizePhone('912 34 567', 'NO'), '+4791234567');
    assert.equal(normalizePhone('33 12 34 56', 'DK'), '+4533123456');
    assert.equal(normalizePhone('040 123 4567', 'FI'), '+358401234567');
    assert.equal(normalizePhone('0912 34 567', 'NO'), null, 'Norway has no trunk prefix');
  });
});

describe('formatPhone (display of E.164 numbers, libphonenumber-js loaded lazily)', () => {
  it('returns numbers as they are until the numbering plans have loaded', async () => {
    assert.equal(phoneFormattingLoaded(), false);
    assert.equal(formatPhone('+46701234567'), '+46701234567');
    await loadPhoneFormatting();
    assert.equal(phoneFormattingLoaded(), true);
  });

  const cases: [string, string][] = [
    ['+46701234567', '+46 70 123 45 67'],
    ['+46812345678', '+46 8 123 456 78'],
    ['+4681234567', '+46 8 123 45 67'],
    ['+4690123456', '+46 90 12 34 56'],
    ['+46313456789', '+46 31 345 67 89'],
    ['+46470123456', '+46 470 12 34 56'],
    ['+4791234567', '+47 912 34 567'],
    ['+4722334455', '+47 22 33 44 55'],
    ['+4533123456', '+45 33 12 34 56'],
    ['+358401234567', '+358 40 1234567'],
    ['+35891234567', '+358 9 1234567'],
    ['+3545512345', '+354 551 2345'],
    // Every country, not only the Nordic ones.
    ['+442079460958', '+44 20 7946 0958'],
    ['+12125550100', '+1 212 555 0100'],
    ['+4930123456', '+49 30 123456'],
    ['+33612345678', '+33 6 12 34 56 78'],
    ['+61412345678', '+61 412 345 678'],
    ['+919876543210', '+91 98765 43210'],
    // Not a possible number: shown as it is.
    ['+461234567890123', '+461234567890123'],
    ['070-123 45 67', '070-123 45 67'],
    ['', ''],
    ['+46<b>1</b>', '+46<b>1</b>'],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => {
      assert.equal(formatPhone(input), expected);
    });
  }

  it('every number it formats normalises back to the same E.164 number', () => {
    for (const [input] of cases) if (input.startsWith('+') && /^\+\d+$/.test(input)) assert.equal(normalizePhone(formatPhone(input)), normalizePhone(input), input);
  });
});

describe('fuzzy name matching', () => {
  it('folds accents and Nordic letters', () => {
    assert.equal(foldText('Åsa Öberg-Ærø Søren Ðóra Łukasz Weiß'), 'asa oberg-aero soren dora lukasz weiss');
    assert.deepEqual(nameTokens('  Kim   Andersson-Berg, Jr. '), ['kim', 'andersson', 'berg', 'jr']);
    assert.deepEqual(nameTokens('<img src=x>'), ['img', 'src', 'x']);
  });

  it('Jaro–Winkler gives the textbook values', () => {
    assert.equal(jaroWinkler('same', 'same'), 1);
    assert.equal(jaroWinkler('', 'x'), 0);
    assert.ok(Math.abs(jaroWinkler('martha', 'marhta') - 0.961) < 0.001);
    assert.ok(Math.abs(jaroWinkler('dixon', 'dicksonx') - 0.813) < 0.001);
  });

  const similar: [string, string][] = [
    ['Kim Andersson', 'Kim Andersson'],
    ['Kim Andersson', 'Andersson Kim'],
    ['Kim Andersson', 'kim andersson'],
    ['Kim Anderson', 'Kim Andersson'],
    ['Åsa Öberg', 'Asa Oberg'],
    ['Søren Kierkegaard', 'Soren Kirkegaard'],
    ['Jukka Mäkinen', 'Jukka Makinen'],
    ['K Andersson', 'Kim Andersson'],
    ['Maria Holm', 'María Holm'],
  ];
  for (const [a, b] of similar) {
    it(`"${a}" ~ "${b}"`, () => {
      const s = nameSimilarity(a, b);
      assert.ok(s >= NAME_THRESHOLD, `${String(s)} < ${String(NAME_THRESHOLD)}`);
      assert.equal(nameSimilarity(b, a).toFixed(6), s.toFixed(6), 'symmetric');
    });
  }

  const different: [string, string][] = [
    ['Kim Andersson', 'Anna Andersson'],
    ['Kim Andersson', 'Karl Andersson'],
    ['Kim', 'Kim Andersson'],
    ['Lars Nilsson', 'Lena Nilsen'],
    ['Kim Andersson', 'Maria Holm'],
    ['', 'Kim Andersson'],
    ['Visitor', 'Kim Andersson'],
  ];
  for (const [a, b] of different) {
    it(`"${a}" ≁ "${b}"`, () => {
      assert.ok(nameSimilarity(a, b) < NAME_THRESHOLD, String(nameSimilarity(a, b)));
    });
  }

  it('scores reasons strongest first and ranks by score', () => {
    const kim = { id: 'k', firstName: 'Kim', lastName: 'Andersson', email: 'Kim.Andersson@Example.com', phone: '+46701234567' };
    const kimOther = { id: 'k2', firstName: 'Kim', lastName: 'Anderson' };
    const anna = { id: 'a', firstName: 'Anna', lastName: 'Berg', phone: '+46701234567' };
    assert.deepEqual(scoreContact({ name: 'Kim Andersson', email: 'kim.andersson@example.com', phone: '070-123 45 67' }, kim, true)?.reasons, [
      'linked',
      'email',
      'phone',
      'name',
    ]);
    assert.equal(scoreContact({ name: 'Nobody Here' }, kim), undefined);
    const ranked = rankMatches({ name: 'Kim Andersson', phone: '0701234567' }, [{ contact: kimOther }, { contact: anna }, { contact: kim }]);
    assert.deepEqual(
      ranked.map((m) => m.contact.id),
      ['k', 'a', 'k2'],
    );
    const linkedFirst = rankMatches({ name: 'Kim Andersson', email: 'kim.andersson@example.com' }, [{ contact: kim }, { contact: anna, linked: true }]);
    assert.equal(linkedFirst[0]?.contact.id, 'a');
  });
});

describe('validation', () => {
  it('cleans a valid person: trims, E.164 phone, empty → undefined', () => {
    const { value, errors } = checkPerson({ firstName: ' Kim ', lastName: 'Andersson', email: ' kim@example.com ', phone: '070-123 45 67', title: '' });
    assert.deepEqual(errors, {});
    assert.deepEqual(value, { firstName: 'Kim', lastName: 'Andersson', email: 'kim@example.com', phone: '+46701234567', title: undefined });
  });

  it('names every bad field with a code', () => {
    const { errors } = checkContact({ firstName: 1, lastName: 'x'.repeat(101), email: 'a@b', phone: 'abc', companyId: 'c', newCompany: { name: 'N' } });
    assert.equal(errors.firstName?.code, 'invalid');
    assert.equal(errors.lastName?.code, 'too_long');
    assert.equal(errors.email?.code, 'email');
    assert.equal(errors.phone?.code, 'phone');
    assert.equal(errors.companyId?.code, 'invalid', 'companyId and newCompany together');
  });

  it('checks companies: org. no., domain, address', () => {
    assert.deepEqual(checkCompany({ name: 'A AB', orgNo: '556712-4410', domain: 'A.example', address: { street: 'Storgatan 1', postalCode: '903 26', city: 'Umeå' } }).errors, {});
    const { errors } = checkCompany({ name: 'A', orgNo: '55-AB', domain: 'not a domain', address: 'x' }, 'newCompany');
    assert.deepEqual(Object.keys(errors).sort(), ['newCompany.address', 'newCompany.domain', 'newCompany.orgNo']);
    assert.equal(checkCompany(null).errors.company?.code, 'invalid');
  });
});

describe('demo CRM seed', () => {
  function seeded(now: number) {
    const db = openSqlite(':memory:');
    migrate(db);
    createTenant(db, DEMO_TENANT, now);
    const counts = seedDemoCrm(db, 'demo', now);
    return { db, counts, store: new CrmStore(db, 'demo') };
  }

  it('the PRNG is deterministic and uniform enough', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const xs = Array.from({ length: 1000 }, () => a.next());
    assert.deepEqual(
      xs,
      Array.from({ length: 1000 }, () => b.next()),
    );
    assert.ok(xs.every((x) => x >= 0 && x < 1));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    assert.ok(Math.abs(mean - 0.5) < 0.05);
  });

  it('creates about 200 companies and 1,000 persons with requests, sales and activities, the same every time', () => {
    const now = Date.UTC(2026, 10, 25, 12);
    const first = seeded(now);
    assert.deepEqual({ companies: first.counts?.companies, persons: first.counts?.persons }, { companies: 200, persons: 1000 });
    assert.ok((first.counts?.requests ?? 0) > 200 && (first.counts?.sales ?? 0) > 150 && (first.counts?.activities ?? 0) > 400);
    const second = seeded(now + 3600_000);
    const dump = (db: typeof first.db) => db.all('SELECT id, name, org_no, phone, domain, street, postal_code, city FROM crm_companies ORDER BY id');
    const persons = (db: typeof first.db) => db.all('SELECT id, company_id, first_name, last_name, email, phone, title FROM crm_persons ORDER BY id');
    assert.deepEqual(dump(second.db), dump(first.db));
    assert.deepEqual(persons(second.db), persons(first.db));
    assert.equal(seedDemoCrm(first.db, 'demo', now), undefined, 'idempotent');
    first.db.close();
    second.db.close();
  });

  it('looks real: Nordic names, valid org. numbers and E.164 phones, unique e-mails on company domains, Kim Andersson', () => {
    const { db, store } = seeded(Date.UTC(2026, 10, 25));
    const kim = store.contact('pe-0002');
    assert.ok(kim);
    assert.equal(kim.email, 'kim.andersson@example.com');
    assert.equal(`${kim.firstName} ${kim.lastName}`, 'Kim Andersson');
    assert.equal(kim.company?.name, 'Fjällvind Friluft AB');
    const persons = db.all<{ email: string; phone: string; company_id: string }>('SELECT email, phone, company_id FROM crm_persons');
    assert.equal(new Set(persons.map((p) => p.email)).size, persons.length, 'unique e-mails');
    assert.ok(persons.every((p) => normalizePhone(p.phone) === p.phone), 'E.164 phones');
    const companies = db.all<{ id: string; org_no: string; phone: string; domain: string; country: string }>('SELECT id, org_no, phone, domain, country FROM crm_companies');
    assert.ok(companies.every((c) => normalizePhone(c.phone) === c.phone));
    assert.ok(companies.every((c) => c.domain.endsWith('.example')));
    assert.deepEqual(new Set(companies.map((c) => c.country)), new Set(['SE', 'NO', 'DK', 'FI']));
    const luhn = (digits: string) =>
      Array.from(digits, Number).reverse().reduce((s, n, i) => {
        let d = n * (i % 2 === 1 ? 2 : 1);
        if (d > 9) d -= 9;
        return s + d;
      }, 0) %
        10 ===
      0;
    // Fjällvind's number is the one printed on the demo page (demo/index.html), check digit or not.
    for (const c of companies.filter((x) => x.country === 'SE' && x.id !== 'co-0001')) assert.ok(luhn(c.org_no.replace('-', '')), `Swedish org. no. ${c.org_no}`);
    const byDomain = persons.filter((p) => p.email.endsWith('.example') && !p.email.endsWith('@example.com'));
    assert.ok(byDomain.length > 990);
    db.close();
  });
});
