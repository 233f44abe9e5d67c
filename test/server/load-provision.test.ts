/**
 * The load benchmark's chat start (bench/load/provision.ts, `widgetStart`) when `wrangler dev`'s
 * local proxy loses the answer (`503 Your worker restarted mid-request`, as `bench:load --host
 * cloudflare` met it under load): a real server behind a proxy of this test that loses one answer
 * of `POST /api/chats` in either way the real proxy can, before the request reached the server or
 * after the server committed it.
 *
 * - Lost before: the chat is not on the agent's board, so the start is sent again: one chat.
 * - Lost after: the chat is on the board; its customer's token went with the lost answer, so the
 *   start fails with that reason instead of making a second chat.
 */
import assert from 'node:assert/strict';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { after, before, test } from 'node:test';

import { PROXY_LOST, widgetStart } from '../../bench/load/provision.js';
import type { Harness } from './helpers.js';
import { startServer } from './helpers.js';

let h: Harness;
let proxy: Server;
let proxyUrl: string;
/** How the proxy loses the next `POST /api/chats`: before forwarding it, after its answer, or not at all. */
let lose: 'before' | 'after' | undefined;

function forward(req: IncomingMessage, body: Buffer, res: ServerResponse | undefined): Promise<void> {
  const target = new URL(h.api.baseUrl);
  return new Promise((resolve, reject) => {
    const out = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('end', () => {
        res?.writeHead(answer.statusCode ?? 502, answer.headers);
        res?.end(Buffer.concat(chunks));
        resolve();
      });
    });
    out.on('error', reject);
    out.end(body);
  });
}

before(async () => {
  h = await startServer();
  proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const losing = req.method === 'POST' && req.url === '/api/chats' ? lose : undefined;
      lose = undefined;
      const lost = () => {
        res.writeHead(503, { 'content-type': 'text/plain' });
        res.end(`${PROXY_LOST}. Please retry.`);
      };
      if (losing === 'before') lost();
      else if (losing === 'after') void forward(req, body, undefined).then(lost);
      else void forward(req, body, res);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${String((proxy.address() as AddressInfo).port)}`;
});

after(async () => {
  await new Promise((resolve) => proxy.close(resolve));
  await h.close();
});

/** The chats of this customer name on Erik's board (Support's queue). */
async function chatsNamed(name: string): Promise<number> {
  const token = await h.api.token('erik', 'demo');
  const board = await h.api.request('GET', '/api/snapshot', { headers: { authorization: `Bearer ${token}` } });
  assert.equal(board.status, 200, JSON.stringify(board.body));
  return (board.body as { sessions: { customer: { name: string } }[] }).sessions.filter((s) => s.customer.name === name).length;
}

test('a start lost before it reached the server is sent again: one chat, with its token', async () => {
  lose = 'before';
  const chat = await widgetStart(proxyUrl, 'demo', 'support', 'Lost before 1', 'erik');
  assert.ok(chat.sessionId && chat.token, 'the chat of the repeat');
  assert.equal(await chatsNamed('Lost before 1'), 1);
});

test('a start lost after the server committed it is not sent again: an error, and still one chat', async () => {
  lose = 'after';
  await assert.rejects(widgetStart(proxyUrl, 'demo', 'support', 'Lost after 1', 'erik'), /started, but wrangler dev's proxy lost the answer/);
  assert.equal(await chatsNamed('Lost after 1'), 1);
});
