#!/usr/bin/env node
// `npm run screenshots:journey`: pictures of the customer's journey and the channel settings, in
// English and Swedish (docs/customer-journey.md, docs/chat-channel-settings.md):
//   docs/screenshots/channel-settings.{en,sv}.png   the Support channel's settings on the demo's admin page
//   docs/screenshots/journey-{pre-chat,faq,queue,offline,post-chat,return,bot}.{en,sv}.png
//                                                   the widget on the demo shop in each state
// Runs under tsx (the agent side of the chats uses the test API client, test/server/helpers.ts).
// Builds first when dist/cdn/chat.js is missing (or with --build); starts the reference server
// (--demo) on a free port with a temporary data directory; headless Chromium (playwright-core).
import { mkdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

import { buildIfNeeded, startDemoServer } from './demo-server.mjs';
import { CHROME_ARGS, CHROME_PATH } from './chromium.mjs';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
const OUT = join(ROOT, 'docs', 'screenshots');
const log = (line) => process.stdout.write(`screenshots-journey: ${line}\n`);

async function settingsShots(browser, url) {
  const shots = [];
  for (const lang of ['en', 'sv']) {
    const context = await browser.newContext({ viewport: { width: 1100, height: 2900 }, deviceScaleFactor: 1, reducedMotion: 'reduce', locale: lang === 'sv' ? 'sv-SE' : 'en-GB', timezoneId: 'Europe/Stockholm' });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (e) => log(`page error: ${e.message}`));
    await page.goto(`${url}/demo/admin.html`);
    await page.getByRole('radio', { name: /Anna Lindqvist/ }).check();
    await page.getByRole('combobox', { name: 'Channel' }).selectOption('support');
    await page.getByRole('button', { name: 'Open the settings' }).click();
    const el = page.locator('chat-channel-settings');
    await el.locator('form').waitFor();
    if (lang === 'sv') {
      await page.locator('#language').selectOption('sv');
      await el.getByRole('group', { name: 'Kanal', exact: true }).waitFor();
    }
    // Opening hours on, so the picture shows the week.
    await el.locator('fieldset').nth(2).getByRole('checkbox').first().check();
    await el.locator('[data-path="settings.hours.timeZone"]').selectOption('Europe/Stockholm');
    // The window as tall as the whole form, so that every section is laid out and the sticky
    // Save bar sits under the last one instead of over the middle of the picture.
    const height = await el.evaluate((e) => Math.ceil(e.getBoundingClientRect().height));
    await page.setViewportSize({ width: 1100, height: height + 80 });
    const path = join(OUT, `channel-settings.${lang}.png`);
    await page.waitForTimeout(200);
    await el.screenshot({ path });
    shots.push(path);
    await context.close();
  }
  return shots;
}

/** The channels as their manager sets them for the pictures (Anna, over HTTP). */
async function setUpChannels(url, token) {
  const put = async (channel, body) => {
    const res = await fetch(`${url}/api/channels/${channel}/settings`, { method: 'PUT', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`settings of ${channel}: ${res.status} ${await res.text()}`);
  };
  const all = { open: '00:00', close: '24:00' };
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Stockholm' }).format(Date.now());
  await put('support', {
    settings: {
      texts: {
        en: { name: 'Customer service', description: 'Orders, deliveries and returns', botName: 'Nordlys bot', queueMessage: 'You are number {position} in the queue. Expected wait: about {wait} min.' },
        sv: { name: 'Kundtjänst', description: 'Beställningar, leveranser och returer', botName: 'Nordlys-boten', welcome: 'Välkommen till Nordlys kundtjänst! En handläggare svarar snart.', queueMessage: 'Du är nummer {position} i kön. Förväntad väntetid: cirka {wait} min.', consent: 'Jag godkänner att mina uppgifter och chatten sparas för att besvara min fråga.' },
      },
      preChat: { name: 'required', email: 'optional', phone: 'optional', company: 'hidden', consent: true, faqSuggestions: true },
      postChat: { rating: true, transcript: false, returnMinutes: 10 },
    },
  });
  await put('sales', {
    settings: {
      texts: { sv: { name: 'Försäljning', description: 'Offerter och företagsköp', offlineMessage: 'Lämna ett meddelande så återkommer vi nästa vardag.' }, en: { description: 'Quotes and business orders', offlineMessage: 'Leave us a message and we will get back to you on the next working day.' } },
      hours: { timeZone: 'Europe/Stockholm', days: { mon: { open: '08:00', close: '17:00', lunch: { from: '12:00', to: '13:00' } }, tue: all, wed: all, thu: all, fri: all, sat: all, sun: all }, closedDates: [today] },
      offline: { whenNobodyPresent: false, request: true, categories: ['question', 'order', 'delivery', 'other'], priority: true, email: 'required', phone: 'optional' },
    },
  });
}

async function widgetShots(browser, url) {
  const { Api } = await import('../test/server/helpers.ts');
  const api = new Api(url);
  const anna = await api.token('anna');
  // Two answered chats first, so the queue has an expected wait.
  const sofia = await api.agent('sofia');
  for (const name of ['Earlier One', 'Earlier Two']) {
    const chat = await api.startChat('support', name);
    await new Promise((r) => setTimeout(r, 1500));
    await sofia.ok({ t: 'accept', sessionId: chat.sessionId });
    await sofia.ok({ t: 'end', sessionId: chat.sessionId });
  }
  // Sofia stays Present (else Support shows its offline form) but answers only when told.
  await setUpChannels(url, anna);
  const shots = [];
  for (const lang of ['en', 'sv']) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, deviceScaleFactor: 1, reducedMotion: 'reduce', locale: lang === 'sv' ? 'sv-SE' : 'en-GB', timezoneId: 'Europe/Helsinki' });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (e) => log(`page error: ${e.message}`));
    await page.goto(`${url}/demo/customer.html`);
    if (lang === 'sv') await page.locator('select').first().selectOption('sv');
    const widget = page.locator('chat-visitor');
    const shot = async (name) => {
      const path = join(OUT, `journey-${name}.${lang}.png`);
      await page.waitForTimeout(300);
      await page.screenshot({ path });
      shots.push(path);
    };
    await widget.locator('[part~="launcher"]').click();
    const topic = (re) => widget.getByRole('radio', { name: re });
    // Offline: Sales is closed today.
    await topic(lang === 'sv' ? /Försäljning/ : /Sales/).check();
    await widget.locator('[part~="offline"]').waitFor();
    await shot('offline');
    // Pre-chat form of Support.
    await topic(lang === 'sv' ? /Kundtjänst/ : /Customer service/).check();
    await widget.locator('#consent').waitFor();
    await widget.locator('#name').fill(lang === 'sv' ? 'Kim Andersson' : 'Kim Anderson');
    await widget.locator('#first-message').fill(lang === 'sv' ? 'Hur returnerar jag min jacka?' : 'How do I return my jacket?');
    await shot('pre-chat');
    await widget.locator('#consent').check();
    await widget.locator('[part~="start"]').click();
    await widget.locator('.faq').waitFor();
    await shot('faq');
    await widget.locator('.faq-continue').click();
    await widget.locator('[part~="wait"]').waitFor();
    await shot('queue');
    const saved = await page.evaluate(() => Object.keys(sessionStorage).map((k) => sessionStorage.getItem(k)).find((v) => v?.includes('sessionId')));
    const { sessionId } = JSON.parse(saved);
    await sofia.ok({ t: 'accept', sessionId });
    await sofia.ok({ t: 'subscribe', sessionId, mode: 'participant' });
    await sofia.sendOk(sessionId, lang === 'sv' ? 'Hej Kim! Returen är gratis i 60 dagar: starta den under "Mina ordrar".' : 'Hi Kim! Returns are free for 60 days: start one under "My orders".');
    await widget.getByText(/60/).first().waitFor();
    await sofia.ok({ t: 'end', sessionId });
    await widget.locator('.rate').waitFor();
    await widget.locator('.star').nth(4).click();
    await widget.locator('#rating-comment').fill(lang === 'sv' ? 'Snabbt och vänligt!' : 'Quick and friendly!');
    await shot('post-chat');
    await widget.locator('.rate-send').click();
    await widget.locator('.after-done').waitFor();
    await widget.locator('[part~="return"]').click();
    await widget.locator('#input').waitFor();
    await shot('return');
    await sofia.ok({ t: 'end', sessionId });
    await context.close();
  }
  // Chatbot first: the demo's bot for Support, turned on by its manager.
  const view = await (await fetch(`${url}/api/channels/support/settings`, { headers: { Authorization: `Bearer ${anna}` } })).json();
  const setBot = async (enabled) => {
    const res = await fetch(`${url}/api/channels/support/settings`, { method: 'PUT', headers: { Authorization: `Bearer ${anna}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ settings: { bot: { ...view.settings.bot, enabled }, preChat: { ...view.settings.preChat, faqSuggestions: false } } }) });
    if (!res.ok) throw new Error(`bot settings: ${res.status} ${await res.text()}`);
  };
  await setBot(true);
  for (const lang of ['en', 'sv']) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, deviceScaleFactor: 1, reducedMotion: 'reduce', locale: lang === 'sv' ? 'sv-SE' : 'en-GB', timezoneId: 'Europe/Helsinki' });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (e) => log(`page error: ${e.message}`));
    await page.goto(`${url}/demo/customer.html`);
    if (lang === 'sv') await page.locator('select').first().selectOption('sv');
    const widget = page.locator('chat-visitor');
    await widget.locator('[part~="launcher"]').click();
    await widget.getByRole('radio', { name: lang === 'sv' ? /Kundtjänst/ : /Customer service/ }).check();
    await widget.locator('#name').fill('Kim Andersson');
    await widget.locator('#first-message').fill(lang === 'sv' ? 'När kommer mitt paket?' : 'When will my parcel arrive?');
    await widget.locator('#consent').check();
    await widget.locator('[part~="start"]').click();
    await widget.locator('.bot-turn--bot').waitFor();
    const path = join(OUT, `journey-bot.${lang}.png`);
    await page.waitForTimeout(300);
    await page.screenshot({ path });
    shots.push(path);
    await context.close();
  }
  await setBot(false);
  await api.closeClients();
  return shots;
}

buildIfNeeded(log);
mkdirSync(OUT, { recursive: true });
const server = await startDemoServer('chat-journey-shots');
const browser = await chromium.launch({ executablePath: CHROME_PATH, headless: true, args: [...CHROME_ARGS, '--font-render-hinting=none'] });
try {
  // --settings-only: just the two pictures of the channel settings.
  const settingsOnly = process.argv.includes('--settings-only');
  const shots = [...(await settingsShots(browser, server.url)), ...(settingsOnly ? [] : await widgetShots(browser, server.url))];
  for (const s of shots) log(relative(ROOT, s));
} finally {
  await browser.close();
  await server.stop();
}
