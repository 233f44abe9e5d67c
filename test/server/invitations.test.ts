/**
 * Proactive invitations (issue 18) against the real server and SQLite: the rules are stored with
 * the channel settings and checked by the server (URL pattern, time on page, message per
 * language, at most ten, unique ids), and the public channel list gives them to the widget only
 * while the channel is open and an agent is Present, each with its message in the widget's
 * language (fallback: the channel's language, then English). Hostile messages stay text.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import type { PublicChannelView } from '../../src/protocol/channel-settings.js';
import { matchesUrlPattern } from '../../src/protocol/invitations.js';
import type { Harness, HttpResult } from './helpers.js';
import { startServer } from './helpers.js';

let h: Harness;
let tenantKey: string;

const HOSTILE = `<img src=x onerror="alert(1)">`;

function prov(method: string, path: string, json?: unknown): Promise<HttpResult> {
  return h.api.request(method, `/api/provisioning/tenants/demo${path}`, { headers: { authorization: `Bearer ${tenantKey}` }, ...(json !== undefined ? { json } : {}) });
}

async function support(lang: string): Promise<PublicChannelView | undefined> {
  const r = await h.api.request('GET', `/api/channels?tenant=demo&lang=${lang}`);
  assert.equal(r.status, 200);
  return (r.body as { channels: PublicChannelView[] }).channels.find((c) => c.id === 'support');
}

const rule = (over: Record<string, unknown> = {}) => ({
  id: 'pricing',
  enabled: true,
  urlPattern: '/pricing*',
  secondsOnPage: 20,
  returningOnly: false,
  message: { en: 'Questions about our prices?', sv: 'Frågor om våra priser?' },
  ...over,
});

before(async () => {
  h = await startServer();
  tenantKey = (await h.server.provisioning.keys.create({ tenantId: 'demo', name: 'invitations', createdBy: 'test' })).key;
});
after(async () => {
  await h.close();
});

describe('proactive invitations', () => {
  test('the server refuses bad rules, each by its path', async () => {
    const cases: [unknown, string][] = [
      [{ enabled: true, rules: [rule({ urlPattern: 'javascript:alert(1)' })] }, 'settings.invitations.rules.0.urlPattern'],
      [{ enabled: true, rules: [rule({ secondsOnPage: -1 })] }, 'settings.invitations.rules.0.secondsOnPage'],
      [{ enabled: true, rules: [rule({ secondsOnPage: 3601 })] }, 'settings.invitations.rules.0.secondsOnPage'],
      [{ enabled: true, rules: [rule({ message: {} })] }, 'settings.invitations.rules.0.message'],
      [{ enabled: true, rules: [rule({ message: { en: 'x'.repeat(301) } })] }, 'settings.invitations.rules.0.message.en'],
      [{ enabled: true, rules: [rule({ message: { xx: 'hello' } })] }, 'settings.invitations.rules.0.message'],
      [{ enabled: true, rules: [rule({ id: 'Bad Id!' })] }, 'settings.invitations.rules.0.id'],
      [{ enabled: true, rules: [rule(), rule()] }, 'settings.invitations'],
      [{ enabled: true, rules: Array.from({ length: 11 }, (_, i) => rule({ id: `r${String(i)}` })) }, 'settings.invitations.rules'],
      [{ enabled: 'yes', rules: [] }, 'settings.invitations.enabled'],
    ];
    for (const [invitations, path] of cases) {
      const r = await prov('PATCH', '/channels/support', { settings: { invitations } });
      assert.equal(r.status, 400, `${path}: ${JSON.stringify(r.body)}`);
      const fields = (r.body as { error: { fields?: Record<string, string> } }).error.fields ?? {};
      assert.ok(Object.keys(fields).some((k) => k.startsWith(path)), `${path} in ${JSON.stringify(fields)}`);
    }
  });

  test('stored with the settings; the widget gets them only while open with an agent Present, in its language', async () => {
    const saved = await prov('PATCH', '/channels/support', {
      settings: { language: 'en', hours: null, invitations: { enabled: true, rules: [rule(), rule({ id: 'back', urlPattern: '', secondsOnPage: 0, returningOnly: true, message: { de: HOSTILE } }), rule({ id: 'off', enabled: false })] } },
    });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    const got = await prov('GET', '/channels/support');
    assert.equal((got.body as { channel: { settings: { invitations: { rules: unknown[] } } } }).channel.settings.invitations.rules.length, 3, 'all three stored');

    // Nobody Present: no invitation (the server decides, not the widget).
    assert.equal((await support('en'))?.available, false);
    assert.equal((await support('en'))?.invitations, undefined);

    const sofia = await h.api.agent('sofia');
    await sofia.ok({ t: 'presence', status: 'present' });
    const sv = await support('sv');
    assert.equal(sv?.available, true);
    assert.deepEqual(
      sv.invitations?.map((i) => [i.id, i.urlPattern, i.secondsOnPage, i.returningOnly, i.message]),
      [
        ['pricing', '/pricing*', 20, false, 'Frågor om våra priser?'],
        ['back', '', 0, true, HOSTILE],
      ],
      'enabled rules only; Swedish, else any language the rule has; the hostile text as it was written',
    );
    assert.equal((await support('fi'))?.invitations?.[0]?.message, 'Questions about our prices?', 'Finnish falls back to the channel language');

    // Away: none again.
    await sofia.ok({ t: 'presence', status: 'away' });
    assert.equal((await support('en'))?.invitations, undefined, 'nobody Present');
    await sofia.ok({ t: 'presence', status: 'present' });
    assert.ok((await support('en'))?.invitations, 'Present again');

    // Closed (no opening day at all): none, even with an agent Present.
    const closed = { timeZone: 'UTC', days: { mon: null, tue: null, wed: null, thu: null, fri: null, sat: null, sun: null }, closedDates: [] };
    assert.equal((await prov('PATCH', '/channels/support', { settings: { hours: closed } })).status, 200);
    assert.equal((await support('en'))?.open, false);
    assert.equal((await support('en'))?.invitations, undefined, 'closed');
    // Switched off: none.
    await prov('PATCH', '/channels/support', { settings: { hours: null, invitations: { enabled: false, rules: [rule()] } } });
    assert.equal((await support('en'))?.invitations, undefined, 'invitations off');
    await prov('PATCH', '/channels/support', { settings: { invitations: { enabled: false, rules: [] } } });
    await sofia.ok({ t: 'presence', status: 'away' });
  });

  test('URL patterns match paths with * for any characters', () => {
    assert.ok(matchesUrlPattern('', '/anything'));
    assert.ok(matchesUrlPattern('/pricing', '/pricing'));
    assert.ok(!matchesUrlPattern('/pricing', '/pricing/team'));
    assert.ok(matchesUrlPattern('/pricing*', '/pricing/team?plan=pro'));
    assert.ok(matchesUrlPattern('*checkout*', '/shop/checkout/step-2'));
    assert.ok(!matchesUrlPattern('/products/*', '/about'));
    assert.ok(matchesUrlPattern('/a.b', '/a.b') && !matchesUrlPattern('/a.b', '/aXb'), 'a dot is a dot');
  });
});
