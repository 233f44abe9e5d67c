/**
 * Files between the agent console and the customer widget, end to end (real server, built
 * bundles, demo pages, downloads through the attachment origin):
 *
 *   customer Kim starts a chat; agent erik answers
 *   → the agent attaches a PDF with the Attach button and sends it (no text); the customer
 *     downloads it: exactly the same bytes (SHA-256)
 *   → the agent sends a CRM document ("Select a CRM document"); the customer downloads the same
 *     bytes the CRM holds
 *   → the customer sends a PNG; the agent sees it as a thumbnail (loaded from the attachment
 *     origin) and downloads the same bytes
 *   → "Create request": the request number goes into the composer and the header
 *   → axe-core finds no violations on either page; no page reported an error.
 *
 * Needs `npm run build` first (`npm test` builds before this step).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { describe } from 'node:test';

import type { Download, Page } from 'playwright-core';

import { pngBytes } from '../../scripts/png.mjs';
import { DEMO_DOCUMENTS, tinyPdf } from '../../server/core/crm-documents.js';
import { axeViolations, eventually, signInAgent, startCustomerChat, useScenario } from './helpers.js';

const KIM = 'Kim Andersson';
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A small valid PDF with some binary bytes (so a text conversion anywhere would show). */
function pdfBytes(): Buffer {
  const binary = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37 + 11) % 256));
  return Buffer.concat([Buffer.from('%PDF-1.4\n%\xE2\xE3\xCF\xD3\n', 'latin1'), binary, Buffer.from('\n%%EOF\n')]);
}

async function downloaded(download: Download): Promise<Buffer> {
  const path = await download.path();
  return readFile(path);
}

describe('files between agent and customer', { timeout: 240_000 }, () => {
  const s = useScenario();
  let agent: Page;
  let kim: Page;
  const PDF = pdfBytes();
  const PNG = pngBytes(320, 200);

  const window_ = () => agent.locator('chat-window');
  const widget = () => kim.locator('chat-visitor');

  s.step('a customer starts a chat and agent erik answers it', async () => {
    agent = await s.newPage('agent');
    kim = await s.newPage('customer', { viewport: { width: 1200, height: 900 } });
    await signInAgent(agent, s.server, 'Erik Johansson');
    await startCustomerChat(kim, s.server, KIM, 'Hi! Can you send me the manual?');
    await agent.getByRole('tab', { name: /^Chats/ }).click();
    await agent.getByRole('button', { name: 'Get next in queue' }).click();
    await agent.getByRole('textbox', { name: `Message to ${KIM}` }).waitFor();
  });

  s.step('the agent attaches a PDF and sends it without text; the customer downloads exactly the same bytes', async () => {
    const chooser = agent.waitForEvent('filechooser');
    await window_().getByRole('button', { name: 'Attach files' }).click();
    await (await chooser).setFiles({ name: 'Manual – Vidde tent.pdf', mimeType: 'application/pdf', buffer: PDF });
    const chip = window_().locator('[part~="upload--done"]');
    await chip.waitFor();
    assert.match((await chip.textContent()) ?? '', /Manual – Vidde tent\.pdf/);
    await window_().getByRole('button', { name: 'Send' }).click();
    await window_().getByRole('button', { name: /^Download Manual – Vidde tent\.pdf/ }).waitFor();
    const button = widget().getByRole('button', { name: 'Download Manual – Vidde tent.pdf' });
    await button.waitFor();
    const [download] = await Promise.all([kim.waitForEvent('download'), button.click()]);
    assert.equal(download.suggestedFilename(), 'Manual – Vidde tent.pdf');
    assert.equal(sha256(await downloaded(download)), sha256(PDF));
  });

  s.step('the agent sends a CRM document; the customer downloads the bytes the CRM holds', async () => {
    await window_().getByRole('button', { name: 'Select a CRM document' }).click();
    const search = window_().getByRole('combobox', { name: 'Search documents' });
    await search.waitFor();
    await search.fill('price');
    await window_().getByRole('option', { name: /Price list 2026\.pdf/ }).waitFor();
    await search.press('Enter');
    await window_().locator('[part~="upload--done"]').waitFor();
    const box = agent.getByRole('textbox', { name: `Message to ${KIM}` });
    await box.fill('Here is our price list.');
    await box.press('Enter');
    const button = widget().getByRole('button', { name: 'Download Price list 2026.pdf' });
    await button.waitFor();
    const [download] = await Promise.all([kim.waitForEvent('download'), button.click()]);
    const doc = DEMO_DOCUMENTS.find((d) => d.name === 'Price list 2026.pdf');
    assert.ok(doc);
    assert.equal(sha256(await downloaded(download)), sha256(tinyPdf(doc.title, doc.lines)));
  });

  s.step('the customer sends a PNG; the agent sees a thumbnail and downloads the same bytes', async () => {
    const chooser = kim.waitForEvent('filechooser');
    await widget().getByRole('button', { name: 'Attach a file' }).click();
    await (await chooser).setFiles({ name: 'broken pole.png', mimeType: 'image/png', buffer: PNG });
    await eventually(async () => (await widget().getByRole('button', { name: /Remove broken pole\.png/ }).count()) > 0, 'the customer\'s file is attached');
    const box = kim.getByRole('textbox', { name: 'Message' });
    await box.fill('This is how it looks.');
    await box.press('Enter');
    await window_().getByRole('list', { name: `Messages with ${KIM}` }).getByText('This is how it looks.').waitFor();
    const thumb = window_().locator('[part~="thumbnail"] img');
    await thumb.waitFor();
    await eventually(
      () => thumb.evaluate((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth === 320),
      'the thumbnail loaded from the attachment origin',
    );
    const src = await thumb.getAttribute('src');
    assert.ok(src && new URL(src).origin !== new URL(s.server.url).origin, 'served from the attachment origin');
    assert.equal(await thumb.getAttribute('alt'), '');
    const button = window_().getByRole('button', { name: /^Download broken pole\.png/ });
    const [download] = await Promise.all([agent.waitForEvent('download'), button.click()]);
    assert.equal(sha256(await downloaded(download)), sha256(PNG));
  });

  s.step('"Create request" puts the request number into the composer and the header', async () => {
    await window_().getByRole('button', { name: 'Create request' }).click();
    const dialog = agent.getByRole('dialog', { name: 'Create request' });
    await dialog.waitFor();
    assert.equal(await dialog.getByRole('textbox', { name: 'Title' }).inputValue(), 'Hi! Can you send me the manual?');
    await dialog.getByRole('button', { name: 'Create request' }).click();
    const box = agent.getByRole('textbox', { name: `Message to ${KIM}` });
    await eventually(async () => /^I have registered your request as #\d+\.$/.test(await box.inputValue()), 'the message is in the composer');
    const number = /#(\d+)/.exec(await box.inputValue())?.[1];
    const requestButton = window_().getByRole('button', { name: new RegExp(`^Request #${number ?? ''}:`) });
    await requestButton.waitFor();
    // The demo CRM opens its request page for it (chat-request-open), with the transcript.
    const [page] = await Promise.all([agent.context().waitForEvent('page'), requestButton.click()]);
    await page.getByRole('heading', { level: 1, name: `#${number ?? ''} Hi! Can you send me the manual?` }).waitFor();
    await eventually(async () => ((await page.locator('#transcript').textContent()) ?? '').includes('Kim Andersson: Hi! Can you send me the manual?'), 'the transcript is shown');
    const problems = await axeViolations(page);
    assert.deepEqual(problems, [], problems.join('\n'));
    await page.close();
  });

  s.noAxeViolations('axe-core finds no violations on the agent page and the customer page', () => ({ 'agent page': agent, 'customer page': kim }));
  s.noPageErrors();
});
