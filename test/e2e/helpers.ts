/**
 * End-to-end helpers: the real reference server as a child process, headless Debian Chromium
 * through playwright-core, and axe-core injected into pages.
 *
 * The tests need the built bundles (`npm run build`; `npm test` builds before this step). Every
 * wait is for a condition with a timeout that fails with a readable message; nothing sleeps for a
 * fixed time.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { after, before, it, type TestContext } from 'node:test';

import { type Browser, chromium, type Page } from 'playwright-core';

import { startWrangler, stopWrangler } from '../../bench/load/wrangler.js';
import { CHROME_ARGS, CHROME_PATH } from '../../scripts/chromium.mjs';
import { freePort } from '../../scripts/free-port.mjs';
import { serverArgs } from '../../scripts/server-bundle.mjs';

/** Repository root (cwd of the spawned server). */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));


/** Fails with a clear message when the bundles the demo pages load were not built. */
export function assertBuilt(): void {
  for (const file of ['dist/cdn/chat.js', 'dist/cdn/chat-visitor.js']) {
    if (!existsSync(join(ROOT, file))) {
      throw new Error(`${file} is missing: run \`npm run build\` before the end-to-end tests (\`npm test\` does this for you).`);
    }
  }
}

/** A free TCP port for a server process (scripts/free-port.mjs: safe beside parallel test files). */
export { freePort } from '../../scripts/free-port.mjs';

/**
 * The arguments after `node` that run the server command `crm-chat-server ARGS` (spawn with `cwd:
 * ROOT`): the bundle scripts/run-node-tests.mjs built of the current sources, or `--import tsx
 * server/node/bin.ts` when a file runs without it.
 */
export { serverArgs } from '../../scripts/server-bundle.mjs';

export interface RunningServer {
  url: string;
  port: number;
  dataDir: string;
  child: ChildProcess;
  /** Everything the server printed (for failure messages). */
  output(): string;
  /** SIGTERM, wait for the exit, remove the data directory. */
  stop(): Promise<void>;
}

export interface StartServerOptions {
  /** How long to wait for /health (default 60 s, as test/server's spawnServer: the lead's run at load 20 saw a start take over 30 s). */
  timeoutMs?: number;
  /** Run on the test clock (`CHAT_TEST_CLOCK=1`): `advanceClock()` moves server time. */
  testClock?: boolean;
  /** More command-line options for the server (e.g. `['--origin', 'http://127.0.0.1:5000']`). */
  args?: readonly string[];
}

/** Starts the server command (`serverArgs`) with `--demo --quiet` on a free port and a fresh data dir; resolves once /health answers. */
export async function startServer(options: number | StartServerOptions = {}): Promise<RunningServer> {
  const { timeoutMs = 60_000, testClock = false, args = [] } = typeof options === 'number' ? { timeoutMs: options } : options;
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'chat-e2e-'));
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (testClock) env.CHAT_TEST_CLOCK = '1';
  else delete env.CHAT_TEST_CLOCK;
  const child = spawn(
    process.execPath,
    serverArgs(['--demo', '--quiet', '--data', dataDir, '--port', String(port), ...args]),
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env },
  );
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => (output += chunk));
  child.stderr.on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => { resolve(); }));
  const url = `http://127.0.0.1:${String(port)}`;

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
    await rm(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) {
      await rm(dataDir, { recursive: true, force: true });
      throw new Error(`the chat server exited before it was ready (code ${String(child.exitCode)}):\n${output}`);
    }
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the chat server did not answer /health within ${String(timeoutMs)} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, port, dataDir, child, output: () => output, stop };
}

/**
 * Starts the Cloudflare host under `wrangler dev` (bench/load/wrangler.ts) as
 * `npm run start:cloudflare` does: the demo pages, the built bundles and the themes as its static assets,
 * `DEMO=1`, the attachment origin on `localhost:<port>`, on a free port and a fresh folder.
 */
export async function startCloudflareServer(): Promise<RunningServer> {
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'chat-e2e-cf-'));
  const assets = join(dataDir, 'assets');
  await cp(join(ROOT, 'demo'), join(assets, 'demo'), { recursive: true });
  await cp(join(ROOT, 'dist'), join(assets, 'dist'), { recursive: true });
  await cp(join(ROOT, 'themes'), join(assets, 'themes'), { recursive: true });
  const url = `http://127.0.0.1:${String(port)}`;
  const operatorKey = `ccp_${randomBytes(5).toString('hex')}.${randomBytes(32).toString('base64url')}`;
  try {
    const w = await startWrangler({ port, persistTo: join(dataDir, 'state'), assets, vars: { DEMO: '1', ATTACHMENT_ORIGIN: `http://localhost:${String(port)}`, PUBLIC_URL: url, CHAT_OPERATOR_KEY: operatorKey } });
    return {
      url,
      port,
      dataDir,
      child: w.child,
      output: () => w.output(),
      async stop() {
        await stopWrangler(w, 'SIGTERM');
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

export function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROME_PATH)) throw new Error(`Chromium not found at ${CHROME_PATH}: install it (apt-get install chromium) or set CHROME_PATH.`);
  return chromium.launch({ executablePath: CHROME_PATH, headless: true, args: [...CHROME_ARGS] });
}

/**
 * Page-side (an init script): reports every Content-Security-Policy violation as a console error,
 * so `watchErrors` collects it (the demo pages run under a strict CSP; docs/security.md).
 */
export const REPORT_CSP_VIOLATIONS = `document.addEventListener('securitypolicyviolation', (e) => {
  console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + (e.sourceFile || '?') + ':' + e.lineNumber + ' ' + (e.sample || ''));
});`;

/** Collects page errors and console errors of a page, to assert that a scenario ran cleanly. */
export function watchErrors(page: Page, name: string): string[] {
  const errors: string[] = [];
  // With the top of the stack: a minified bundle's message alone rarely says where it came from.
  page.on('pageerror', (e) => errors.push(`${name}: page error: ${e.message}${(e.stack ?? '').split('\n').slice(1, 4).map((l) => `\n  ${l.trim()}`).join('')}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${name}: console error: ${m.text()}`);
  });
  return errors;
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

let axeSource: string | undefined;

/**
 * Runs axe-core (node_modules/axe-core/axe.min.js) on the whole page, shadow roots included.
 * axe is evaluated through the DevTools protocol rather than added as a <script>: the demo pages
 * require Trusted Types for script sinks (docs/security.md § 6), which blocks a script's text.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  const injected = await page.evaluate(() => 'axe' in window);
  if (!injected) {
    axeSource ??= readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
    await page.evaluate(`${axeSource}\n;void 0`);
  }
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: unknown[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations as AxeViolation[];
  });
  return violations.map(
    (v) => `${v.id} (${String(v.impact)}): ${v.help}\n${v.nodes.map((n) => `    ${JSON.stringify(n.target)}: ${n.failureSummary ?? ''}`).join('\n')}`,
  );
}

/** Moves the server's test clock forward (the server must run with `testClock`); returns the new server time. */
export async function advanceClock(server: RunningServer, ms: number): Promise<number> {
  const res = await fetch(`${server.url}/api/test/clock`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ advanceMs: ms }),
  });
  if (!res.ok) throw new Error(`POST /api/test/clock: HTTP ${String(res.status)} ${await res.text()} (is the server running with testClock?)`);
  return ((await res.json()) as { serverTime: number }).serverTime;
}

/**
 * The Dashboard counts "today" in the tenant's time zone (the demo tenant's is Europe/Stockholm).
 * A scenario that asserts those counts must not straddle that zone's midnight: a chat ended at
 * 23:59:58 is yesterday's when the Dashboard is read two seconds later. When the zone's midnight
 * is less than `marginMs` away on the server's clock, this moves the server's test clock past it
 * (the server must run with `testClock`); otherwise it leaves the clock alone.
 */
export async function clearOfMidnight(server: RunningServer, marginMs = 120_000, timeZone = 'Europe/Stockholm'): Promise<void> {
  const now = await advanceClock(server, 0);
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(now);
  const part = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const sinceMidnight = ((part('hour') * 60 + part('minute')) * 60 + part('second')) * 1000 + (now % 1000);
  const untilMidnight = 86_400_000 - sinceMidnight;
  if (untilMidnight < marginMs) await advanceClock(server, untilMidnight + 1_000);
}

// ---- scenarios -------------------------------------------------------------------------------

export const STEP_TIMEOUT_MS = 20_000;

export interface Scenario {
  /** The running server (after the scenario's `before`). */
  readonly server: RunningServer;
  /**
   * One step of the scenario: skipped once an earlier step failed (unless `always`, for the
   * checks of the end state). `timeoutMs` replaces the runner's per-test bound (60 s) for a step
   * that is long by nature (a build).
   */
  step(name: string, body: () => Promise<void>, always?: boolean, timeoutMs?: number): void;
  /** A page in a browser context of its own (its own storage: another person). */
  newPage(name: string, options?: { viewport?: { width: number; height: number }; init?: string }): Promise<Page>;
  /** Page errors and console errors of every page so far. */
  errors(): string[];
  /** Watches a page the scenario did not open (a tab a link opened) for errors too. */
  watch(page: Page, name: string): void;
  /** The closing step (run even after a failed step): no page reported an error. */
  noPageErrors(): void;
  /** A closing step (run even after a failed step): axe-core finds no violations on these pages (label → page). */
  noAxeViolations(name: string, pages: () => Record<string, Page>): void;
}

/**
 * Sets up a scenario inside a `describe`: a server (optionally on the test clock; `host:
 * 'cloudflare'`: the Cloudflare host under wrangler dev) and a browser before the steps,
 * everything closed after them. Steps share state and run in order.
 */
export function useScenario(options: { testClock?: boolean; args?: () => readonly string[]; host?: 'node' | 'cloudflare' } = {}): Scenario {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const contexts: { close(): Promise<void> }[] = [];
  const errors: string[][] = [];
  let failed = false;

  before(async () => {
    assertBuilt();
    server = options.host === 'cloudflare' ? await startCloudflareServer() : await startServer({ testClock: options.testClock ?? false, args: options.args?.() ?? [] });
    browser = await launchBrowser();
  });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await server?.stop();
  });

  return {
    get server(): RunningServer {
      if (!server) throw new Error('the scenario has not started yet');
      return server;
    },
    step(name, body, always = false, timeoutMs) {
      void it(name, timeoutMs === undefined ? {} : { timeout: timeoutMs }, async (t: TestContext) => {
        if (failed && !always) {
          t.skip('an earlier step failed');
          return;
        }
        try {
          await body();
        } catch (error) {
          failed = true;
          if (server) (error as Error).message += `\n--- server output ---\n${server.output().slice(-4000)}`;
          throw error;
        }
      });
    },
    async newPage(name, pageOptions = {}) {
      if (!browser) throw new Error('the scenario has not started yet');
      const context = await browser.newContext({ viewport: pageOptions.viewport ?? { width: 1440, height: 900 } });
      contexts.push(context);
      // A script source, not a function: tsx's transform would add helpers the page lacks.
      await context.addInitScript({ content: REPORT_CSP_VIOLATIONS });
      if (pageOptions.init) await context.addInitScript({ content: pageOptions.init });
      const page = await context.newPage();
      page.setDefaultTimeout(STEP_TIMEOUT_MS);
      errors.push(watchErrors(page, name));
      return page;
    },
    errors: () => errors.flat(),
    watch(page, name) {
      errors.push(watchErrors(page, name));
    },
    noPageErrors() {
      this.step(
        'no page reported an error',
        () => {
          assert.deepEqual(errors.flat(), []);
          return Promise.resolve();
        },
        true,
      );
    },
    noAxeViolations(name, pages) {
      this.step(
        name,
        async () => {
          const problems: string[] = [];
          for (const [label, page] of Object.entries(pages())) problems.push(...(await axeViolations(page)).map((v) => `${label}: ${v}`));
          assert.deepEqual(problems, [], problems.join('\n'));
        },
        true,
      );
    },
  };
}

/**
 * Signs a demo agent in on the sample CRM page (`name`: e.g. "Erik Johansson"): the page gets a
 * JWT from the demo CRM's backend and exchanges it at `POST /api/auth/jwt`, as an integration does.
 */
export async function signInAgent(page: Page, server: RunningServer, name: string): Promise<void> {
  await page.goto(`${server.url}/demo/`);
  await page.getByRole('radio', { name: new RegExp(name) }).check();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('tab', { name: /^Dashboard/ }).waitFor();
  await page.getByText(name, { exact: true }).first().waitFor();
  // Issue 17 item 6: the sign-in form is gone, and focus must not fall to <body>.
  const focused = await page.evaluate(() => {
    const el = document.activeElement;
    return el === null || el === document.body ? 'body' : el.id || el.tagName.toLowerCase();
  });
  assert.notEqual(focused, 'body', 'after signing in, focus is on the chat panel, not on <body>');
}

/**
 * With no agent Present the demo's channels show the offline form (issue 16's default). A test
 * whose customer chats with nobody online turns that off for Sales and Support through the
 * Manager API, as Anna (their manager) would.
 */
export async function letChatsWaitWithoutAgents(server: RunningServer): Promise<void> {
  const login = await fetch(`${server.url}/api/demo/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ tenant: 'demo', agentId: 'anna' }) });
  const { token } = (await login.json()) as { token: string };
  for (const channel of ['sales', 'support']) {
    const url = `${server.url}/api/channels/${channel}/settings`;
    const got = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    const { settings } = (await got.json()) as { settings: { offline: Record<string, unknown> } };
    const put = await fetch(url, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ settings: { offline: { ...settings.offline, whenNobodyPresent: false } } }),
    });
    assert.equal(put.status, 200, `channel settings ${channel}: ${await put.text()}`);
  }
}

/**
 * A customer opens the widget on the company site and starts a chat (default channel Support).
 * `identityToken`: given to the widget as a website that knows its customer would.
 */
export async function startCustomerChat(
  page: Page,
  server: RunningServer,
  name: string,
  text: string,
  options: { channel?: string; email?: string; identityToken?: string } = {},
): Promise<void> {
  await page.goto(`${server.url}/demo/customer.html`);
  if (options.identityToken !== undefined) {
    await page.evaluate((token) => {
      const widget = document.querySelector('chat-visitor') as (Element & { identityToken: string }) | null;
      if (widget) widget.identityToken = token;
    }, options.identityToken);
  }
  await page.getByRole('button', { name: 'Chat with us' }).first().click();
  await page.getByRole('radio', { name: options.channel ?? 'Support' }).check();
  await page.getByRole('textbox', { name: /^Name/ }).fill(name);
  if (options.email !== undefined) await page.getByRole('textbox', { name: /^E-mail/ }).fill(options.email);
  await page.getByRole('textbox', { name: 'How can we help?' }).fill(text);
  await page.getByRole('button', { name: 'Start chat' }).click();
  await page.locator('chat-visitor').getByText(/Waiting in the queue/).first().waitFor();
}

/** A customer sends a message from the open widget. */
export async function customerSends(page: Page, text: string): Promise<void> {
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
}

/** The agent sends a reply in the shown conversation with `customer`. */
export async function agentSends(page: Page, customer: string, text: string): Promise<void> {
  const box = page.getByRole('textbox', { name: `Message to ${customer}` });
  await box.fill(text);
  await box.press('Enter');
  await page.locator('chat-window').getByText(text).first().waitFor();
}

/** Sets the agent's status with the console's Present/Away control. */
export async function setPresence(page: Page, status: 'Present' | 'Away'): Promise<void> {
  const radio = page.getByRole('radiogroup', { name: 'Status' }).getByRole('radio', { name: status });
  await radio.check();
  await page.waitForFunction(
    (s) => {
      const win = document.querySelector('chat-window') as (Element & { client?: { $agents: { get(): Record<string, { status: string }> }; $agentMe: { get(): { id: string } | undefined } } }) | null;
      const me = win?.client?.$agentMe.get();
      return me !== undefined && win?.client?.$agents.get()[me.id]?.status === s;
    },
    status.toLowerCase(),
  );
}

/** Waits until `check` passes (polling), failing with `what` after the step timeout. */
export async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = STEP_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
