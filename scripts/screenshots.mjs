#!/usr/bin/env node
// `npm run screenshots`: pictures of the agent console and the customer widget in use.
//
//   1. builds (npm run build) when dist/cdn/chat.js or dist/cdn/chat-visitor.js is missing, or with --build
//   2. starts the reference server (--demo) on a free port with a temporary data directory
//   3. drives a real conversation with headless Chromium (playwright-core): customers start chats on
//      demo/customer.html, agent erik answers on demo/index.html
//   4. writes docs/screenshots/agent-console.png  (1440×900, the console with an active chat)
//             docs/screenshots/customer-widget.png (1280×800, the widget open with the conversation)
//   5. agent tools on the same conversation:
//             docs/screenshots/agent-insert-picker.png  (the Insert picker with a preview)
//             docs/screenshots/agent-insert-picker-short.png (the same in a short, scrolled window)
//             docs/screenshots/agent-quick-reply-form.png (a new quick reply with a field error)
//             docs/screenshots/agent-files.png          (a PDF sent by the agent, a photo from the customer)
//             docs/screenshots/customer-files.png       (the same files in the widget)
//             docs/screenshots/agent-request-dialog.png (Create request, prefilled from the chat)
//             docs/screenshots/demo-request-page.png   (the request in the sample CRM, opened from the chat)
//   6. the console on a right-to-left page (rtl-console.png), the console and the widget given
//      dir="rtl" (rtl-console-mirrored.png, rtl-widget.png), in the
//      dark theme (dark-console.png, dark-widget.png), at 320 px width (narrow-console.png,
//      narrow-widget.png) and at 200 % zoom (zoom-console.png, zoom-widget.png: the window's
//      CSS viewport halved, as the browser's zoom does)
//   and prints their paths.
//
// Env: CHROME_PATH (default /usr/bin/chromium).
import { existsSync, mkdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

import { buildIfNeeded, startDemoServer } from './demo-server.mjs';
import { CHROME_ARGS as BASE_ARGS, CHROME_PATH as CHROME } from './chromium.mjs';
import { pngBytes } from './png.mjs';

/** The common switches, and no font hinting: steadier pictures. */
const CHROME_ARGS = [...BASE_ARGS, '--font-render-hinting=none'];

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
const OUT = join(ROOT, 'docs', 'screenshots');
const TIMEOUT = 20_000;
/** Page script: blurs the focused element, looking through shadow roots. */
const BLUR = `(() => {
  let a = document.activeElement;
  while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
  if (a && typeof a.blur === 'function') a.blur();
})()`;

function log(line) {
  process.stdout.write(`screenshots: ${line}\n`);
}

async function newPage(browser, viewport) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, reducedMotion: 'reduce' });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on('pageerror', (e) => log(`page error: ${e.message}`));
  return page;
}

/** A customer starts a chat from the company site's widget. */
async function startChat(page, url, { topic, name, email, text }) {
  await page.goto(`${url}/demo/customer.html`);
  await page.getByRole('button', { name: 'Chat with us' }).first().click();
  await page.getByRole('radio', { name: topic }).check();
  await page.getByRole('textbox', { name: /^Name/ }).fill(name);
  if (email) await page.getByRole('textbox', { name: /^E-mail/ }).fill(email);
  await page.getByRole('textbox', { name: 'How can we help?' }).fill(text);
  await page.getByRole('button', { name: 'Start chat' }).click();
  await page.getByText(/Waiting in the queue/).first().waitFor();
}

async function customerSays(page, text) {
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
}

async function agentSays(page, name, text) {
  const box = page.getByRole('textbox', { name: `Message to ${name}` });
  await box.fill(text);
  await box.press('Enter');
}

/** Right-to-left, dark theme, 320 px and 200 % zoom pictures of the console and the widget; returns their paths. */
async function layoutShots(agent, kim) {
  const shots = [];
  const shot = async (page, name) => {
    const path = join(OUT, name);
    await page.evaluate(BLUR);
    await page.waitForTimeout(300);
    await page.screenshot({ path });
    shots.push(path);
  };
  log('a right-to-left page; elements given dir="rtl"');
  // The page mirrors; the English console keeps its own direction (its texts are left to right).
  await agent.evaluate("document.documentElement.dir = 'rtl'");
  await shot(agent, 'rtl-console.png');
  // An element given dir="rtl" (as a right-to-left language will) mirrors its layout.
  await agent.evaluate("document.querySelector('chat-window').setAttribute('dir', 'rtl')");
  await shot(agent, 'rtl-console-mirrored.png');
  await agent.evaluate("document.querySelector('chat-window').removeAttribute('dir'); document.documentElement.dir = 'ltr'");
  await kim.evaluate("document.querySelector('chat-visitor').setAttribute('dir', 'rtl')");
  await shot(kim, 'rtl-widget.png');
  await kim.evaluate("document.querySelector('chat-visitor').removeAttribute('dir')");

  log('the dark theme');
  await agent.selectOption('#theme', 'dark');
  await kim.selectOption('[data-chat-theme]', 'dark');
  await shot(agent, 'dark-console.png');
  await shot(kim, 'dark-widget.png');
  await agent.selectOption('#theme', 'light');
  await kim.selectOption('[data-chat-theme]', 'light');

  log('320 px wide');
  await agent.setViewportSize({ width: 320, height: 800 });
  await kim.setViewportSize({ width: 320, height: 640 });
  await agent.locator('#chat').scrollIntoViewIfNeeded();
  await shot(agent, 'narrow-console.png');
  await shot(kim, 'narrow-widget.png');

  log('200 % zoom');
  // 200 % zoom of a 1440×900 (1280×800) window lays the page out in 720×450 (640×400) CSS pixels.
  await agent.setViewportSize({ width: 720, height: 450 });
  await kim.setViewportSize({ width: 640, height: 400 });
  await agent.locator('#chat').scrollIntoViewIfNeeded();
  await shot(agent, 'zoom-console.png');
  await shot(kim, 'zoom-widget.png');
  await agent.setViewportSize({ width: 1440, height: 900 });
  await kim.setViewportSize({ width: 1280, height: 800 });
  await agent.evaluate('window.scrollTo(0, 0)');
  return shots;
}

/** The agent tools on Kim's conversation; returns the pictures' paths. */
async function agentToolShots(agent, kim) {
  const win = agent.locator('chat-window');
  const shots = [];
  const shot = async (page, name) => {
    const path = join(OUT, name);
    await page.waitForTimeout(250);
    await page.screenshot({ path });
    shots.push(path);
  };
  await agent.getByRole('option', { name: /Kim Andersson/ }).click();
  await agent.getByRole('textbox', { name: 'Message to Kim Andersson' }).waitFor();

  log('the Insert picker');
  await win.getByRole('button', { name: 'Insert', exact: true }).click();
  await win.getByRole('option').first().waitFor();
  await agent.keyboard.press('ArrowDown');
  await shot(agent, 'agent-insert-picker.png');
  // A short window, the page scrolled: the picker stays below the console's top bar and at the composer.
  await agent.setViewportSize({ width: 1440, height: 560 });
  await agent.evaluate("document.querySelector('chat-window').scrollIntoView({ block: 'start' }); window.scrollBy(0, 140)");
  await shot(agent, 'agent-insert-picker-short.png');
  await agent.setViewportSize({ width: 1440, height: 900 });
  await agent.evaluate('window.scrollTo(0, 0)');

  log('a new quick reply, saved with a missing title');
  await win.getByRole('button', { name: 'New quick reply' }).click();
  await win.getByRole('textbox', { name: /^Content/ }).fill('Our summer opening hours are 10–16 on weekdays.');
  await win.getByRole('button', { name: 'Save', exact: true }).click();
  await win.locator('.field-error').first().waitFor();
  await shot(agent, 'agent-quick-reply-form.png');
  await win.getByRole('button', { name: 'Cancel' }).click();
  if (await win.locator('#picker:popover-open').count()) await agent.keyboard.press('Escape');

  log('files both ways');
  const chooser = agent.waitForEvent('filechooser');
  await win.getByRole('button', { name: 'Attach files' }).click();
  const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(180_000, 32), Buffer.from('\n%%EOF\n')]);
  await (await chooser).setFiles({ name: 'Tind jacket – size guide.pdf', mimeType: 'application/pdf', buffer: pdf });
  await win.locator('[part~="upload--done"]').waitFor();
  await agentSays(agent, 'Kim Andersson', 'Here is the size guide for the Tind jacket.');
  await kim.getByRole('button', { name: 'Download Tind jacket – size guide.pdf' }).waitFor();
  const photo = kim.waitForEvent('filechooser');
  await kim.locator('chat-visitor').getByRole('button', { name: 'Attach a file' }).click();
  await (await photo).setFiles({ name: 'jacket-label.png', mimeType: 'image/png', buffer: pngBytes(480, 320, (x, y, w, h) => [40 + Math.floor((x * 80) / w), 110 + Math.floor((y * 100) / h), 150]) });
  await kim.locator('chat-visitor').getByRole('button', { name: /Remove jacket-label\.png/ }).waitFor();
  await customerSays(kim, 'Thanks! This is the label of the one I have now.');
  const thumb = win.locator('[part~="thumbnail"] img');
  await thumb.waitFor();
  await agent.waitForFunction((img) => img.complete && img.naturalWidth > 0, await thumb.elementHandle());
  await kim.locator('chat-visitor [part~="thumbnail"] img').waitFor().catch(() => undefined);
  await agent.evaluate(BLUR);
  await kim.evaluate(BLUR);
  await shot(agent, 'agent-files.png');
  await shot(kim, 'customer-files.png');

  log('Create request');
  await win.getByRole('button', { name: 'Create request' }).click();
  await agent.getByRole('dialog', { name: 'Create request' }).waitFor();
  await shot(agent, 'agent-request-dialog.png');
  const dialog = agent.getByRole('dialog', { name: 'Create request' });
  await dialog.getByRole('textbox', { name: /^Description/ }).fill('Kim wants to exchange the Tind jacket (order 7781) for size L.');
  await dialog.getByRole('button', { name: 'Create request' }).click();
  const requestButton = win.getByRole('button', { name: /^Request #\d+:/ });
  await requestButton.waitFor();

  log('the demo CRM\'s request page');
  const [page] = await Promise.all([agent.context().waitForEvent('page'), requestButton.click()]);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.locator('#transcript').filter({ hasText: 'Kim Andersson' }).waitFor();
  await shot(page, 'demo-request-page.png');
  await page.close();
  return shots;
}

/** Issue 18: Anna listens in on Kim's chat and whispers to Erik; both sides pictured. */
async function whisperShots(browser, url, agent) {
  const shots = [];
  const anna = await newPage(browser, { width: 1440, height: 900 });
  await anna.goto(`${url}/demo/`);
  await anna.getByRole('radio', { name: /Anna Lindqvist/ }).check();
  await anna.getByRole('button', { name: 'Sign in' }).click();
  await anna.getByRole('button', { name: 'Listen to the chat with Kim Andersson' }).click();
  const box = anna.getByRole('textbox', { name: 'Whisper to Erik Johansson' });
  await box.fill('Kim is a member: offer free express shipping for the exchange.');
  await box.press('Enter');
  await agent.getByRole('tab', { name: /^Chats/ }).click();
  await agent.getByRole('option', { name: /Kim Andersson/ }).click();
  await agent.getByText(/free express shipping/).first().waitFor();
  await anna.getByText(/free express shipping/).first().waitFor();
  for (const [page, name] of [
    [anna, 'supervisor-whisper.png'],
    [agent, 'agent-whisper.png'],
  ]) {
    await page.evaluate(BLUR);
    await page.waitForTimeout(300);
    const path = join(OUT, name);
    await page.screenshot({ path });
    shots.push(path);
  }
  return shots;
}

async function main() {
  buildIfNeeded(log);
  if (!existsSync(CHROME)) throw new Error(`Chromium not found at ${CHROME}; set CHROME_PATH`);
  mkdirSync(OUT, { recursive: true });
  const server = await startDemoServer('chat-screenshots');
  const browser = await chromium.launch({ executablePath: CHROME, headless: true, args: CHROME_ARGS });
  try {
    const { url } = server;
    const agent = await newPage(browser, { width: 1440, height: 900 });
    const kim = await newPage(browser, { width: 1280, height: 800 });
    const jonas = await newPage(browser, { width: 1280, height: 800 });
    const lea = await newPage(browser, { width: 1280, height: 800 });

    log('agent erik signs in');
    await agent.goto(`${url}/demo/`);
    await agent.getByRole('radio', { name: /Erik Johansson/ }).check();
    await agent.getByRole('button', { name: 'Sign in' }).click();
    await agent.getByRole('tab', { name: /^Chats/ }).click();

    log('a first customer is answered and keeps writing');
    await startChat(jonas, url, { topic: 'Sales', name: 'Jonas Ek', text: 'Hi, do you deliver to Tromsø?' });
    await agent.getByRole('button', { name: 'Get next in queue' }).click();
    await agentSays(agent, 'Jonas Ek', 'Hi Jonas! Yes, we deliver to all of Norway within 3–5 days.');
    await jonas.locator('chat-visitor').getByText(/all of Norway/).first().waitFor();

    log('the customer in the picture starts a chat');
    await startChat(kim, url, {
      topic: 'Support',
      name: 'Kim Andersson',
      email: 'kim.andersson@example.com',
      text: 'Hi! I ordered the Tind jacket last week (order 7781). When will it arrive?',
    });
    await agent.getByRole('button', { name: 'Get next in queue' }).click();
    await agent.getByRole('textbox', { name: 'Message to Kim Andersson' }).waitFor();
    await agentSays(agent, 'Kim Andersson', 'Hi Kim, thanks for waiting! Let me look up order 7781.');
    await kim.locator('chat-visitor').getByText(/look up order 7781/).first().waitFor();
    await agentSays(agent, 'Kim Andersson', 'It left our warehouse in Umeå yesterday and should reach you on Thursday. You will get a tracking link by e-mail.');
    await kim.locator('chat-visitor').getByText(/tracking link/).first().waitFor();
    await customerSays(kim, 'Great, thank you! Can I change the size if it does not fit?');
    await agent.getByText(/change the size/).first().waitFor();
    await agentSays(agent, 'Kim Andersson', 'Of course: exchanges are free, and you have 60 days to return it.');
    await kim.locator('chat-visitor').getByText(/60 days to return it/).first().waitFor();

    log('more customers write and wait');
    await customerSays(jonas, 'Perfect, and is shipping free?');
    await startChat(lea, url, { topic: 'Support', name: 'Lea Berg', text: 'My tent pole broke on the first trip.' });
    await agent.getByRole('tab', { name: 'Dashboard, 1 unanswered chat', exact: true }).waitFor();
    await agent.getByRole('option', { name: /Jonas Ek.*unread/ }).waitFor();

    // Calm, readable pictures: no focus ring or caret on the composer.
    await agent.evaluate(BLUR);
    await kim.evaluate(BLUR);
    await agent.waitForTimeout(300);

    const consolePath = join(OUT, 'agent-console.png');
    await agent.screenshot({ path: consolePath });
    const widgetPath = join(OUT, 'customer-widget.png');
    await kim.screenshot({ path: widgetPath });
    const layout = await layoutShots(agent, kim);
    const toolShots = await agentToolShots(agent, kim);
    const whisper = await whisperShots(browser, url, agent);
    log('written:');
    process.stdout.write(`${[consolePath, widgetPath, ...layout, ...toolShots, ...whisper].map((f) => relative(ROOT, f)).join('\n')}\n`);
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().catch((error) => {
  console.error(`screenshots: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
