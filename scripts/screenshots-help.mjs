#!/usr/bin/env node
// `npm run screenshots:help`: pictures of ask for help, hold and return to queue (issue 18):
//   docs/screenshots/agent-help-dialog.png     Erik's Ask for help dialog with his note (1440×900)
//   docs/screenshots/supervisor-help.png       Anna's Dashboard with "Help requested" and the note (1440×900)
//   docs/screenshots/agent-hold-help.png       Erik's chat on hold, with his request for help (1440×900)
//   docs/screenshots/customer-hold.png         the customer told the chat is on hold (1280×800)
//   docs/screenshots/agent-requeue-dialog.png  Erik's Return to queue dialog with a reason (1440×900)
//   docs/screenshots/agent-chat-tags.png       Lea's finished chat with its tags in the header (1440×900)
// Builds first when dist/cdn/chat.js is missing (or with --build); starts the reference server
// (--demo --demo-targets, as npm start) on a free port with a temporary data directory; headless
// Chromium (playwright-core).
import { mkdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

import { buildIfNeeded, startDemoServer } from './demo-server.mjs';
import { CHROME_ARGS as BASE_ARGS, CHROME_PATH } from './chromium.mjs';

const CHROME_ARGS = [...BASE_ARGS, '--font-render-hinting=none'];
const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
const OUT = join(ROOT, 'docs', 'screenshots');
const log = (line) => process.stdout.write(`screenshots-help: ${line}\n`);
/** Page script: blurs the focused element, looking through shadow roots (no focus ring, no caret). */
const BLUR = `(() => {
  let a = document.activeElement;
  while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
  if (a && typeof a.blur === 'function') a.blur();
})()`;

async function newPage(browser, viewport) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, reducedMotion: 'reduce', locale: 'en-GB', timezoneId: 'Europe/Stockholm' });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  page.on('pageerror', (e) => log(`page error: ${e.message}`));
  return page;
}

async function signIn(page, url, name) {
  await page.goto(`${url}/demo/`);
  await page.getByRole('radio', { name: new RegExp(name) }).check();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('tab', { name: /^Dashboard/ }).waitFor();
}

async function startChat(page, url, { name, text }) {
  await page.goto(`${url}/demo/customer.html`);
  await page.getByRole('button', { name: 'Chat with us' }).first().click();
  await page.getByRole('radio', { name: 'Support' }).check();
  await page.getByRole('textbox', { name: /^Name/ }).fill(name);
  await page.getByRole('textbox', { name: 'How can we help?' }).fill(text);
  await page.getByRole('button', { name: 'Start chat' }).click();
  await page.getByText(/Waiting in the queue/).first().waitFor();
}

async function agentSays(page, name, text) {
  const box = page.getByRole('textbox', { name: `Message to ${name}` });
  await box.fill(text);
  await box.press('Enter');
  await page.locator('chat-window').getByText(text).first().waitFor();
}

async function shot(page, name) {
  await page.evaluate(BLUR);
  const path = join(OUT, name);
  await page.screenshot({ path });
  return path;
}

async function main() {
  buildIfNeeded(log);
  mkdirSync(OUT, { recursive: true });
  const server = await startDemoServer('chat-screenshots-help');
  const browser = await chromium.launch({ executablePath: CHROME_PATH, headless: true, args: CHROME_ARGS });
  const shots = [];
  try {
    const { url } = server;
    const anna = await newPage(browser, { width: 1440, height: 900 });
    const erik = await newPage(browser, { width: 1440, height: 900 });
    const kim = await newPage(browser, { width: 1280, height: 800 });
    const lea = await newPage(browser, { width: 1280, height: 800 });
    log('anna and erik sign in');
    await signIn(anna, url, 'Anna Lindqvist');
    await signIn(erik, url, 'Erik Johansson');
    await erik.getByRole('tab', { name: /^Chats/ }).click();

    log('two customers; erik answers both');
    await startChat(kim, url, { name: 'Kim Andersson', text: 'My order 7781 arrived damaged. I would like a refund of 900 EUR.' });
    await erik.getByRole('button', { name: 'Get next in queue' }).click();
    await agentSays(erik, 'Kim Andersson', 'I am sorry to hear that, Kim. Let me see what I can do.');
    await startChat(lea, url, { name: 'Lea Berg', text: 'Hi! Do you have the Fjäll 2 tent in green?' });
    await erik.getByRole('button', { name: 'Get next in queue' }).click();
    await agentSays(erik, 'Lea Berg', 'Hi Lea! Let me check the stock for you.');

    log('erik puts Lea on hold and asks for help in Kim’s chat');
    await erik.getByRole('button', { name: 'Put on hold' }).click();
    await lea.locator('chat-visitor').getByText('You are on hold. The agent will be back with you shortly.').waitFor();
    await erik.getByRole('option', { name: /Kim Andersson/ }).click();
    await erik.getByRole('textbox', { name: 'Message to Kim Andersson' }).waitFor();
    await erik.getByRole('button', { name: 'Ask for help…' }).click();
    const ask = erik.getByRole('dialog', { name: /Ask for help in the chat with Kim Andersson/ });
    await ask.getByRole('textbox', { name: /What do you need/ }).fill('A refund of 900 EUR is over my limit: may I approve it, or offer a replacement?');
    shots.push(await shot(erik, 'agent-help-dialog.png'));
    await ask.getByRole('button', { name: 'Ask for help', exact: true }).click();
    await erik.getByRole('button', { name: 'Cancel help request' }).waitFor();
    // Back to Lea's chat for the picture of a held chat (Kim's row shows the request).
    await erik.getByRole('option', { name: /Lea Berg/ }).click();
    await erik.getByText(/On hold since/).waitFor();

    log('anna sees the request on her Dashboard');
    const row = anna.getByRole('table', { name: /Help requested/ }).getByRole('row', { name: /Kim Andersson/ });
    await row.waitFor();
    // A few seconds on the waiting clock, so the picture shows it counting.
    // Runs in the page.
    await anna.waitForFunction(() => {
      const dash = globalThis.document.querySelector('chat-window')?.shadowRoot?.querySelector('chat-dashboard');
      const cell = dash?.shadowRoot?.querySelector('[part~="help-row"] [part~="waiting"]');
      return /^([3-9]|\d\d) s$|min/.test(cell?.textContent.trim() ?? '');
    });
    // The console's top at the top of the picture: its statistics (with Support's reply targets)
    // and the request under them, with no empty page below.
    // The Dashboard scrolled to the request (its statistics above it), the CRM page as it opens.
    await anna.getByRole('heading', { name: /Help requested/ }).evaluate((h) => {
      h.scrollIntoView({ block: 'start' });
    });
    await anna.evaluate(() => {
      globalThis.scrollTo({ top: 0 });
    });
    shots.push(await shot(anna, 'supervisor-help.png'));
    shots.push(await shot(erik, 'agent-hold-help.png'));
    shots.push(await shot(lea, 'customer-hold.png'));

    log('erik opens Return to queue for Lea');
    await erik.getByRole('button', { name: 'Resume' }).click();
    await erik.getByRole('button', { name: 'Put on hold' }).waitFor();
    await erik.getByRole('button', { name: 'Return to queue…' }).click();
    const dialog = erik.getByRole('dialog', { name: /Return the chat with Lea Berg/ });
    await dialog.getByRole('textbox', { name: 'Reason' }).fill('Lea asks about a wholesale order: the B2B desk should take it.');
    shots.push(await shot(erik, 'agent-requeue-dialog.png'));
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    log('erik ends Lea’s chat with two tags: its header shows them');
    await erik.getByRole('button', { name: 'End chat' }).click();
    const end = erik.getByRole('dialog', { name: /End the chat/ });
    await end.getByRole('textbox', { name: /^Tags/ }).fill('Wholesale, Tents');
    await end.getByRole('button', { name: 'End chat', exact: true }).click();
    await end.waitFor({ state: 'hidden' });
    await erik.locator('chat-conversation').getByRole('list', { name: 'Tags' }).waitFor();
    shots.push(await shot(erik, 'agent-chat-tags.png'));

    log('written:');
    process.stdout.write(`${shots.map((f) => relative(ROOT, f)).join('\n')}\n`);
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().catch((error) => {
  console.error(`screenshots-help: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
