/**
 * Channel settings over real HTTP against the real server and SQLite: stored through the
 * provisioning API and the managers' editor (`/api/channels/<id>/settings`), validated with the
 * field named, read back by the widget's public channel list in its language (with fallback),
 * opening state from the hours, hostile values kept as plain text, and permission changes by a
 * manager reaching the agent's open console at once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import type { ChannelSettingsView, PublicChannelView } from '../../src/protocol/channel-settings.js';
import type { Harness, HttpResult, ServerFrame } from './helpers.js';
import { startServer } from './helpers.js';

const isMe = (f: ServerFrame): f is Extract<ServerFrame, { t: 'me' }> => f.t === 'me';

let h: Harness;
let tenantKey: string;

const HOSTILE = `<img src=x onerror="alert(1)">'; DROP TABLE channels; --`;

function prov(method: string, path: string, json?: unknown): Promise<HttpResult> {
  return h.api.request(method, `/api/provisioning/tenants/demo${path}`, { headers: { authorization: `Bearer ${tenantKey}` }, ...(json !== undefined ? { json } : {}) });
}

async function asAgent(agentId: string, method: string, path: string, json?: unknown): Promise<HttpResult> {
  const token = await h.api.token(agentId);
  return h.api.request(method, path, { headers: { authorization: `Bearer ${token}` }, ...(json !== undefined ? { json } : {}) });
}

async function publicList(lang?: string): Promise<PublicChannelView[]> {
  const r = await h.api.request('GET', `/api/channels?tenant=demo${lang ? `&lang=${lang}` : ''}`);
  assert.equal(r.status, 200);
  return (r.body as { channels: PublicChannelView[] }).channels;
}

const fieldsOf = (r: HttpResult) => (r.body as { error: { code: string; fields?: Record<string, string> } }).error;

before(async () => {
  h = await startServer();
  tenantKey = (await h.server.provisioning.keys.create({ tenantId: 'demo', name: 'journey', createdBy: 'test' })).key;
});
after(async () => {
  await h.close();
});

describe('channel settings', () => {
  test('provisioning stores texts per language; the widget reads them in its language with fallback', async () => {
    const r = await prov('PATCH', '/channels/support', {
      settings: {
        language: 'sv',
        texts: {
          en: { name: 'Customer service', description: 'Orders, returns and deliveries', welcome: 'Welcome!', badge: 'Chat' },
          sv: { name: 'Kundtjänst', description: 'Beställningar, returer och leveranser', welcome: 'Välkommen!' },
          de: { name: 'Kundendienst', badge: '' },
        },
      },
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const sv = (await publicList('sv-SE')).find((c) => c.id === 'support');
    assert.equal(sv?.name, 'Kundtjänst');
    assert.equal(sv.description, 'Beställningar, returer och leveranser');
    assert.equal(sv.texts.welcome, 'Välkommen!');
    assert.equal(sv.badge, 'Chat', 'no Swedish badge: the channel language has none either, so English');
    const de = (await publicList('de')).find((c) => c.id === 'support');
    assert.equal(de?.name, 'Kundendienst');
    assert.equal(de.description, 'Beställningar, returer och leveranser', 'German falls back to the channel language (Swedish)');
    const fi = (await publicList('fi')).find((c) => c.id === 'support');
    assert.equal(fi?.name, 'Kundtjänst');
    assert.equal(fi.language, 'fi');
    const none = (await publicList()).find((c) => c.id === 'support');
    assert.equal(none?.language, 'sv', 'without lang: the channel language');
    // A channel without texts keeps its own name; a text in another language is not a fallback.
    assert.equal((await publicList('sv')).find((c) => c.id === 'sales')?.name, 'Sales');
    assert.equal((await prov('PATCH', '/channels/sales', { settings: { texts: { de: { name: 'Vertrieb' } } } })).status, 200);
    assert.equal((await publicList('sv')).find((c) => c.id === 'sales')?.name, 'Sales');
    assert.equal((await publicList('de')).find((c) => c.id === 'sales')?.name, 'Vertrieb');
  });

  test('every setting is validated and the field named; nothing is written on a refusal', async () => {
    const stored = async () => ((await prov('GET', '/channels/support')).body as { channel: { settings: { language: string } } }).channel.settings;
    const before = await stored();
    assert.equal(before.language, 'sv');
    const cases: [unknown, string][] = [
      [{ hours: { timeZone: 'Mars/Olympus', days: {}, closedDates: [] } }, 'settings.hours.timeZone'],
      [{ look: { theme: 'light', colour: 'red;background:url(x)', font: 'system', logoUrl: '', agentPhoto: true } }, 'settings.look.colour'],
      [{ look: { theme: 'light', colour: '#123456', font: 'system', logoUrl: 'javascript:alert(1)', agentPhoto: true } }, 'settings.look.logoUrl'],
      [{ look: { theme: 'light', colour: '#123456', font: 'Comic Sans", x', logoUrl: '', agentPhoto: true } }, 'settings.look.font'],
      [{ texts: { sv: { name: 'x'.repeat(101) } } }, 'settings.texts.sv.name'],
      [{ texts: { xx: { name: 'x' } } }, 'settings.texts.xx'],
      [{ texts: { en: { script: 'x' } } }, 'settings.texts.en.script'],
      [{ postChat: { rating: true, transcript: true, returnMinutes: 61 } }, 'settings.postChat.returnMinutes'],
      [{ offline: { whenNobodyPresent: false, request: true, categories: [HOSTILE], priority: false, email: 'required', phone: 'hidden' } }, 'settings.offline.categories.0'],
      [{ preChat: { name: 'required', email: 'sometimes', phone: 'hidden', company: 'hidden', consent: false, faqSuggestions: false } }, 'settings.preChat.email'],
    ];
    const day = { open: '09:00', close: '17:00', lunch: { from: '08:00', to: '09:30' } };
    cases.push([{ hours: { timeZone: 'UTC', days: { mon: day, tue: null, wed: null, thu: null, fri: null, sat: null, sun: null }, closedDates: [] } }, 'settings.hours.days.mon']);
    cases.push([{ hours: { timeZone: 'UTC', days: { mon: { open: '17:00', close: '09:00' }, tue: null, wed: null, thu: null, fri: null, sat: null, sun: null }, closedDates: [] } }, 'settings.hours.days.mon']);
    cases.push([{ hours: { timeZone: 'UTC', days: { mon: null, tue: null, wed: null, thu: null, fri: null, sat: null, sun: null }, closedDates: ['2026-13-40'] } }, 'settings.hours.closedDates.0']);
    for (const [settings, field] of cases) {
      const r = await prov('PATCH', '/channels/support', { settings });
      assert.equal(r.status, 400, `${JSON.stringify(settings)} → ${String(r.status)}`);
      const e = fieldsOf(r);
      assert.equal(e.code, 'invalid');
      assert.ok(e.fields && field in e.fields, `${field} named in ${JSON.stringify(e.fields)}`);
    }
    assert.deepEqual(await stored(), before);
  });

  test('hostile values are stored and given back exactly, as data', async () => {
    const r = await prov('PATCH', '/channels/sales', { settings: { texts: { en: { name: HOSTILE, welcome: HOSTILE, queueMessage: `{position} ${HOSTILE}` } }, offline: { whenNobodyPresent: false, request: true, categories: ['return', 'other'], priority: true, email: 'required', phone: 'optional' } } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const sales = (await publicList('en')).find((c) => c.id === 'sales');
    assert.equal(sales?.name, HOSTILE);
    assert.equal(sales.texts.queueMessage, `{position} ${HOSTILE}`);
    assert.deepEqual(sales.offline.categories, ['return', 'other']);
    // The database is intact.
    assert.equal((await publicList('en')).length, 2);
  });

  test('opening hours decide open and opensAt, in server time', async () => {
    const now = h.clock.now();
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(now);
    const allDay = { open: '00:00', close: '24:00' };
    const r = await prov('PATCH', '/channels/sales', {
      settings: { hours: { timeZone: 'Asia/Tokyo', days: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay }, closedDates: [today] } },
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const sales = (await publicList('en')).find((c) => c.id === 'sales');
    assert.equal(sales?.open, false);
    assert.equal(sales.timeZone, 'Asia/Tokyo');
    // Tomorrow 00:00 in Tokyo (UTC+9, no DST).
    const [y, m, d] = today.split('-').map(Number) as [number, number, number];
    assert.equal(sales.opensAt, Date.UTC(y, m - 1, d + 1) - 9 * 3_600_000);
    assert.ok(sales.hours && sales.hours.length >= 6, 'the coming week');
    // A chat cannot start in a closed channel.
    const start = await h.api.request('POST', '/api/chats', { json: { tenant: 'demo', channelId: 'sales', name: 'Ada' } });
    assert.equal(start.status, 409, JSON.stringify(start.body));
    assert.equal(fieldsOf(start).code, 'conflict');
    await prov('PATCH', '/channels/sales', { settings: { hours: null } });
    assert.equal((await publicList('en')).find((c) => c.id === 'sales')?.open, true);
  });
});

describe('the managers’ settings editor', () => {
  test('only managers of the channel see and change it', async () => {
    assert.equal((await asAgent('erik', 'GET', '/api/channels/support/settings')).status, 403);
    assert.equal((await asAgent('erik', 'PUT', '/api/channels/support/settings', { name: 'Mine' })).status, 403);
    assert.equal((await asAgent('anna', 'GET', '/api/channels/nope/settings')).status, 404);
    const r = await asAgent('anna', 'GET', '/api/channels/support/settings');
    assert.equal(r.status, 200);
    const view = r.body as ChannelSettingsView;
    assert.equal(view.id, 'support');
    assert.equal(view.settings.language, 'sv');
    const members = view.agents.filter((a) => a.permissions.respond).map((a) => a.id);
    assert.deepEqual(members.sort(), ['anna', 'erik', 'sofia']);
    assert.ok(view.agents.some((a) => a.id === 'lars' && !a.permissions.respond), 'non-members are listed to be added');
  });

  test('a manager changes thresholds, texts, capacity and permissions; the console learns at once', async () => {
    const erik = await h.api.agent('erik');
    const from = erik.mark();
    const r = await asAgent('anna', 'PUT', '/api/channels/support/settings', {
      warnAfterSeconds: 45,
      managerWarnAfterSeconds: 120,
      settings: { texts: { sv: { name: 'Kundservice', welcome: HOSTILE } } },
      agents: [
        { id: 'erik', permissions: { respond: true, notifications: false, listen: true, manager: false }, maxConcurrentChats: 7 },
        { id: 'lars', permissions: { respond: true, notifications: true, listen: false, manager: false } },
      ],
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const view = r.body as ChannelSettingsView;
    assert.equal(view.warnAfterSeconds, 45);
    assert.equal(view.managerWarnAfterSeconds, 120);
    assert.equal(view.settings.texts.sv?.welcome, HOSTILE);
    assert.equal(view.settings.texts.sv.description, undefined, 'a language given replaces that language');
    const erikRow = view.agents.find((a) => a.id === 'erik');
    assert.deepEqual(erikRow?.permissions, { respond: true, notifications: false, listen: true, manager: false });
    assert.equal(erikRow.maxConcurrentChats, 7);
    assert.equal(view.agents.find((a) => a.id === 'lars')?.permissions.respond, true);
    const me = await erik.waitFor(isMe, { from, label: 'me with the new permissions' });
    assert.ok(me.me.kind === 'agent');
    assert.deepEqual(me.me.channels.find((c) => c.id === 'support')?.permissions, { respond: true, notifications: false, listen: true, manager: false });
    // Provisioning sees the same.
    const p = (await prov('GET', '/channels/support')).body as { channel: { warnAfterSeconds: number } };
    assert.equal(p.channel.warnAfterSeconds, 45);
  });

  test('the editor refuses bad agents and values with the field named, and writes nothing', async () => {
    const r = await asAgent('anna', 'PUT', '/api/channels/support/settings', {
      agents: [{ id: 'nobody' }, { id: 'erik', maxConcurrentChats: 0 }, { id: 'sofia', permissions: { respond: 'yes' } }],
    });
    assert.equal(r.status, 400);
    const fields = fieldsOf(r).fields ?? {};
    assert.ok('agents[0].id' in fields && 'agents[1].maxConcurrentChats' in fields && 'agents[2].permissions.respond' in fields, JSON.stringify(fields));
    const bad = await asAgent('anna', 'PUT', '/api/channels/support/settings', { warnAfterSeconds: -1 });
    assert.equal(bad.status, 400);
    const view = (await asAgent('anna', 'GET', '/api/channels/support/settings')).body as ChannelSettingsView;
    assert.equal(view.warnAfterSeconds, 45);
    assert.equal(view.agents.find((a) => a.id === 'erik')?.maxConcurrentChats, 7);
    // Customers and strangers have no way in.
    const chat = await h.api.startChat('support', 'Ada');
    const asCustomer = await h.api.request('GET', '/api/channels/support/settings', { headers: { authorization: `Bearer ${chat.token}` } });
    assert.equal(asCustomer.status, 403);
    assert.equal((await h.api.request('GET', '/api/channels/support/settings')).status, 401);
  });
});
