/**
 * The framework examples (demo/frameworks/, recipes in docs/frameworks.md), as an integrator
 * would use them: type-checked against the built package's typings (tsc with React 19's types,
 * vue-tsc with strictTemplates, ngc with strictTemplates and CUSTOM_ELEMENTS_SCHEMA), bundled,
 * and loaded in Chromium from the real server, under the demo pages' strict CSP:
 *
 *   React, Angular, plain HTML  the console signs in, connects, and the framework's own event
 *                               binding sees Answer on a chat a customer started
 *   Vue                         the widget opens from a Vue prop, a chat starts, and the Vue
 *                               handler of `chat-session-start` sees it
 * A CSP violation on any page is a console error (helpers.ts) and fails the last step.
 *
 * Needs `npm run build` first (`npm test` builds before this step); builds the examples itself.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe } from 'node:test';

import { letChatsWaitWithoutAgents, ROOT, useScenario } from './helpers.js';

/** `node scripts/build-frameworks.mjs --check`: type-checks and bundles every example. */
function buildExamples(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/build-frameworks.mjs', '--check'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (c: string) => (output += c));
    child.stderr.on('data', (c: string) => (output += c));
    child.on('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`build-frameworks --check failed (exit ${String(code)}):\n${output}`));
    });
  });
}

describe('framework examples: type-checked, built, loaded against the real server', { timeout: 300_000 }, () => {
  const s = useScenario();
  let channelId = '';

  /** Starts a customer chat over the public API (what the widget does). */
  async function customerStarts(name: string): Promise<string> {
    if (!channelId) {
      const { channels } = (await (await fetch(`${s.server.url}/api/channels?tenant=demo`)).json()) as { channels: { id: string; name: string }[] };
      channelId = channels.find((c) => c.name === 'Support')?.id ?? channels[0]?.id ?? '';
    }
    const res = await fetch(`${s.server.url}/api/chats`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ tenant: 'demo', channelId, name }),
    });
    assert.equal(res.status, 201, await res.clone().text());
    return ((await res.json()) as { sessionId: string }).sessionId;
  }

  // tsc, vue-tsc and the Angular compiler over every example: far longer than a browser step,
  // most of all on a busy machine, so this step has its own bound.
  s.step(
    'the examples type-check against the generated typings and build',
    async () => {
      await buildExamples();
    },
    false,
    240_000,
  );

  for (const [framework, agent, customer] of [
    ['react', 'Erik Johansson', 'Ada React'],
    ['angular', 'Erik Johansson', 'Ada Angular'],
    ['html', 'Erik Johansson', 'Ada Html'],
  ] as const) {
    s.step(`${framework}: the console connects and the framework's event binding sees Answer`, async () => {
      const page = await s.newPage(framework);
      await page.goto(`${s.server.url}/demo/frameworks/${framework}/?agent=${encodeURIComponent(agent)}`);
      await page.getByRole('status').getByText(/^Signed in as /).waitFor();
      await page.getByRole('tab', { name: /^Dashboard/ }).waitFor();
      await page.waitForFunction(() => {
        const win = document.querySelector('chat-window') as (Element & { client?: { $connection: { get(): { status: string } } } }) | null;
        return win?.client?.$connection.get().status === 'live';
      });
      const sessionId = await customerStarts(customer);
      await page.getByRole('row', { name: new RegExp(customer) }).getByRole('button', { name: /^Answer/ }).click();
      await page.getByRole('status').getByText(`Answering chat ${sessionId}.`).waitFor();
      await page.getByRole('tab', { name: /^Chats, \d+ active chats?/ }).waitFor();
      await page.screenshot({ path: `${ROOT}.test-results/framework-${framework}.png` });
      await page.context().close();
    });
  }

  s.step('vue: the widget opens from a Vue prop and the Vue handler sees the chat start', async () => {
    // Nobody is online here: let the chat start and wait instead of the offline form.
    await letChatsWaitWithoutAgents(s.server);
    const page = await s.newPage('vue', { viewport: { width: 1280, height: 800 } });
    await page.goto(`${s.server.url}/demo/frameworks/vue/`);
    await page.getByRole('button', { name: 'Chat with us' }).first().click();
    const widget = page.locator('chat-visitor');
    await widget.getByRole('radio', { name: 'Support' }).check();
    await widget.getByRole('textbox', { name: /^Name/ }).fill('Ada Vue');
    await widget.getByRole('textbox', { name: 'How can we help?' }).fill('Hello from Vue');
    await widget.getByRole('button', { name: 'Start chat' }).click();
    await page.getByRole('status').getByText(/^Chat \S+ started\.$/).waitFor();
    await widget.getByText(/Waiting in the queue/).first().waitFor();
    await page.screenshot({ path: `${ROOT}.test-results/framework-vue.png` });
  });

  s.noPageErrors();
});
