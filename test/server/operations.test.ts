/**
 * The operator's view of a running server (issue 13, item 5): structured JSON logs with request
 * ids and an access log at the chosen level, `/health` and `/ready`, Prometheus `/metrics` behind
 * its key, `--trust-proxy` for the per-address limits (chat starts, refused sign-ins), and the
 * rate limit on `POST /api/auth/jwt`; static files compressed and cached. In-process servers log through a real pino logger into
 * memory; one real process checks the command-line flags.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { get } from 'node:http';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { brotliCompressSync, brotliDecompressSync, constants as zlibConstants, gunzipSync } from 'node:zlib';
import { after, describe, test } from 'node:test';

import { clientAddress, trustList } from '../../server/node/client-address.js';
import { createLogger, type LogLevel } from '../../server/node/log.js';
import { CLOSE } from '../../src/protocol/limits.js';
import { answerTo, freePort, openActiveChat, ROOT, serverArgs, startServer, tempDir, type Harness } from './helpers.js';

type Line = Record<string, unknown>;

/** A pino destination that keeps the lines and lets a test wait for one. */
class Lines extends Writable {
  readonly lines: Line[] = [];
  private waiters: { pred: (l: Line) => boolean; resolve: (l: Line) => void }[] = [];

  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    for (const text of chunk.toString().split('\n').filter(Boolean)) {
      const line = JSON.parse(text) as Line;
      this.lines.push(line);
      this.waiters = this.waiters.filter((w) => {
        if (!w.pred(line)) return true;
        w.resolve(line);
        return false;
      });
    }
    done();
  }

  waitFor(pred: (l: Line) => boolean, label: string): Promise<Line> {
    const found = this.lines.find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`no log line: ${label}\n${this.lines.map((l) => JSON.stringify(l)).join('\n')}`));
      }, 10_000);
      this.waiters.push({
        pred,
        resolve: (l) => {
          clearTimeout(timer);
          resolve(l);
        },
      });
    });
  }
}

const harnesses: Harness[] = [];
const dirs: string[] = [];
after(async () => {
  await Promise.all(harnesses.map((h) => h.close()));
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** A temp folder removed when the file's tests end. */
async function folder(prefix: string): Promise<string> {
  const dir = await tempDir(prefix);
  dirs.push(dir);
  return dir;
}

async function serverWithLog(level: LogLevel, options: Parameters<typeof startServer>[0] = {}): Promise<{ h: Harness; out: Lines }> {
  const out = new Lines();
  const h = await startServer({ ...options, logger: createLogger(level, out) });
  harnesses.push(h);
  return { h, out };
}

/** `GET /metrics` as a map from `name{labels}` to its value. */
async function scrape(h: Harness, key: string): Promise<Map<string, number>> {
  const res = await fetch(`${h.api.baseUrl}/metrics`, { headers: { authorization: `Bearer ${key}` } });
  assert.equal(res.status, 200);
  const samples = new Map<string, number>();
  for (const line of (await res.text()).split('\n')) {
    const m = /^(\S+) (\S+)$/.exec(line);
    if (m && !line.startsWith('#')) samples.set(m[1] ?? '', Number(m[2]));
  }
  return samples;
}

const httpLine = (reqId: string) => (l: Line) => l.event === 'http' && l.reqId === reqId;

describe('logs', () => {
  test('one JSON access line per request with its id, which the answer carries too', async () => {
    const { h, out } = await serverWithLog('debug');
    const given = await fetch(`${h.api.baseUrl}/api/channels?tenant=demo`, { headers: { 'X-Request-Id': 'proxy-7f3a', 'User-Agent': 'ops-test' } });
    assert.equal(given.status, 200);
    assert.equal(given.headers.get('x-request-id'), 'proxy-7f3a');
    const line = await out.waitFor(httpLine('proxy-7f3a'), 'the access line of proxy-7f3a');
    assert.equal(line.level, 'info');
    assert.equal(line.msg, 'http');
    assert.equal(line.method, 'GET');
    assert.equal(line.path, '/api/channels');
    assert.equal(line.status, 200);
    assert.equal(line.addr, '127.0.0.1');
    assert.equal(line.ua, 'ops-test');
    assert.equal(typeof line.ms, 'number');
    assert.ok(typeof line.bytes === 'number' && line.bytes > 0);
    assert.match(String(line.time), /^\d{4}-\d\d-\d\dT/);
    assert.equal(line.pid, process.pid);

    // No id, or one that is not plain text: the server makes one.
    const made = await fetch(`${h.api.baseUrl}/api/nothing-here`, { headers: { 'X-Request-Id': 'bad id\twith spaces' } });
    assert.equal(made.status, 404);
    const id = made.headers.get('x-request-id') ?? '';
    assert.match(id, /^[0-9a-f-]{36}$/);
    assert.equal((await out.waitFor(httpLine(id), 'the 404 line')).status, 404);

    // Probes at debug, so info is about traffic.
    const probe = await fetch(`${h.api.baseUrl}/health`);
    const probeLine = await out.waitFor(httpLine(probe.headers.get('x-request-id') ?? ''), 'the /health line');
    assert.equal(probeLine.level, 'debug');
  });

  test('the level filters: at warn there is no access line', async () => {
    const key = 'metrics-key-for-the-test-0123456789';
    const { h, out } = await serverWithLog('warn', { metricsKey: key });
    assert.equal((await fetch(`${h.api.baseUrl}/api/channels?tenant=demo`)).status, 200);
    // The request was counted, so its access line was decided (the same close handler does both).
    for (;;) {
      const text = await (await fetch(`${h.api.baseUrl}/metrics`, { headers: { authorization: `Bearer ${key}` } })).text();
      if (/^crm_chat_http_requests_total\{method="GET",status="2xx"\} [1-9]/m.test(text)) break;
    }
    assert.deepEqual(out.lines.filter((l) => l.event === 'http'), []);
  });

  test('crm-chat-server --log-level: JSON lines on stdout, started and stopped; a bad level is refused', async () => {
    const dataDir = await folder('chat-log-');
    const port = await freePort();
    // A generous shutdown bound: on a loaded machine a clean stop may take longer than the default.
    const args = ['--port', String(port), '--data', dataDir, '--log-level', 'debug', '--shutdown-timeout-ms', '60000'];
    const child = spawn(process.execPath, serverArgs(args), { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    const json = () => stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Line);
    const started = await new Promise<Line>((resolve, reject) => {
      child.stdout.on('data', (s: string) => {
        stdout += s;
        const line = json().find((l) => l.event === 'server.started');
        if (line) resolve(line);
      });
      child.once('exit', (code) => {
        reject(new Error(`exited ${String(code)}: ${stdout}`));
      });
    });
    assert.equal(started.port, port);
    assert.equal(started.logLevel, 'debug');
    const res = await fetch(`http://127.0.0.1:${String(port)}/ready`);
    assert.equal(res.status, 200);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    const lines = json();
    assert.ok(lines.some((l) => l.event === 'http' && l.path === '/ready' && l.level === 'debug'), stdout);
    assert.ok(lines.some((l) => l.event === 'server.stopped'), stdout);

    const bad = spawn(process.execPath, serverArgs(['--log-level', 'loud', '--data', dataDir]), { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    bad.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
    assert.equal(await new Promise((resolve) => bad.once('exit', resolve)), 2);
    assert.match(err, /Invalid --log-level "loud": use one of fatal, error, warn, info, debug, trace, silent\./);
  });
});

describe('health, readiness and metrics', () => {
  test('/ leads to the demo with --demo; without it, a plain-text note of what the server offers', async () => {
    const demo = (await serverWithLog('silent')).h;
    const toDemo = await fetch(`${demo.api.baseUrl}/`, { redirect: 'manual' });
    assert.deepEqual([toDemo.status, toDemo.headers.get('location')], [302, '/demo/']);
    const plain = (await serverWithLog('silent', { demo: false })).h;
    const home = await fetch(`${plain.api.baseUrl}/`, { redirect: 'manual' });
    assert.equal(home.status, 200);
    assert.equal(home.headers.get('content-type'), 'text/plain; charset=utf-8');
    const text = await home.text();
    assert.match(text, /^crm-chat-elements server: running\./);
    for (const path of ['/dist/cdn/chat-visitor.js', '/health', '/ready']) assert.ok(text.includes(path), path);
    const head = await fetch(`${plain.api.baseUrl}/`, { method: 'HEAD' });
    assert.equal(head.status, 200);
  });


  test('/health and /ready answer; /metrics is 404 without a key', async () => {
    const { h } = await serverWithLog('silent');
    const health = await h.api.request('GET', '/health');
    assert.equal(health.status, 200);
    assert.equal((health.body as { status: string }).status, 'ok');
    const ready = await h.api.request('GET', '/ready');
    assert.deepEqual([ready.status, ready.body], [200, { status: 'ready' }]);
    assert.equal((await h.api.request('GET', '/metrics')).status, 404);
  });

  test('/metrics with its key: Prometheus text with connections, requests and refusals', async () => {
    const key = 'metrics-key-for-the-test-0123456789';
    const { h } = await serverWithLog('silent', { metricsKey: key });
    assert.equal((await h.api.request('GET', '/metrics')).status, 401);
    assert.equal((await h.api.request('GET', '/metrics', { headers: { authorization: 'Bearer wrong-key-wrong-key-wrong' } })).status, 401);
    const agent = await h.api.agent('anna');
    await h.api.startChat('support', 'Queued One');
    await h.api.startChat('support', 'Queued Two');
    h.clock.advance(30_000);
    await h.api.request('POST', '/api/auth/jwt', { json: { tenant: 'demo', token: 'not.a.jwt' } });
    const res = await fetch(`${h.api.baseUrl}/metrics`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    assert.match(text, /^# TYPE crm_chat_connections gauge$/m);
    assert.match(text, /^crm_chat_connections\{tenant="demo"\} 1$/m);
    assert.match(text, /^crm_chat_http_requests_total\{method="POST",status="4xx"\} [1-9]\d*$/m);
    assert.match(text, /^crm_chat_sign_in_refusals_total 1$/m);
    assert.match(text, /^crm_chat_queued_chats\{tenant="demo",channel="support"\} 2$/m);
    const wait = Number(/^crm_chat_queue_oldest_wait_seconds\{tenant="demo",channel="support"\} ([\d.]+)$/m.exec(text)?.[1]);
    assert.ok(wait >= 30 && wait < 60, `oldest wait ${String(wait)} s`);
    assert.match(text, /^crm_chat_http_request_duration_seconds_bucket\{le="\+Inf"\} [1-9]\d*$/m);
    assert.match(text, /^crm_chat_database_bytes\{file="db"\} [1-9]\d*$/m);
    // Every sample line is `name{labels} number`.
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) assert.match(line, /^[a-z_]+(\{[^}]*\})? -?[\d.e+-]+$/, line);
    await agent.close();
  });

  test('after real traffic over real sockets the room figures move: frames, messages, acks, latency, commits, inbox, refusals', async () => {
    const key = 'metrics-key-for-the-test-0123456789';
    const { h } = await serverWithLog('silent', {
      metricsKey: key,
      limits: { connectionsPerUser: 1, framesPerMinute: 25, chatStartsPerMinute: 1 },
      overload: { connectionFrames: 2 },
      signInFailuresPerMinute: 1,
    });
    h.clock.toNextMinute();
    const before = await scrape(h, key);
    const active = await openActiveChat(h.api, { agentId: 'erik' });
    let acked = 0;
    for (let i = 0; i < 5; i++) {
      await active.customer.sendOk(active.sessionId, `question ${String(i)}`);
      await active.agent.sendOk(active.sessionId, `answer ${String(i)}`);
      acked += 2;
    }

    // Six sends written at once: the server reads them together, two may wait, the rest are refused.
    const from = active.customer.mark();
    const cmids = Array.from({ length: 6 }, (_, i) => active.customer.post(active.sessionId, `burst ${String(i)}`));
    const answers = await Promise.all(cmids.map((cmid) => active.customer.waitFor(answerTo(cmid), { from, label: `answer to ${cmid}` })));
    const overloaded = answers.filter((a) => a.t === 'nack' && a.code === 'overloaded').length;
    assert.ok(overloaded >= 1, `some of the burst refused: ${JSON.stringify(answers.map((a) => (a.t === 'nack' ? a.code : a.t)))}`);
    acked += answers.filter((a) => a.t === 'ack').length;

    // A second socket of the same agent is over connections_per_user.
    const extra = await h.api.open('demo', await h.api.ticket(await h.api.token('erik')), { label: 'erik again' });
    assert.equal((await extra.waitClose()).code, CLOSE.OVERLOADED);

    // The agent sends until the frame budget of the minute is spent.
    let rateLimited = 0;
    for (let i = 0; i < 60 && rateLimited === 0; i++) {
      const a = await active.agent.send(active.sessionId, `more ${String(i)}`);
      if (a.t === 'ack') acked += 1;
      else if (a.code === 'rate_limited') rateLimited += 1;
    }
    assert.equal(rateLimited, 1, 'the agent reached frames_per_minute');

    // The HTTP side's limits: a second chat start from this address, a second refused sign-in.
    assert.equal((await h.api.request('POST', '/api/chats', { json: { tenant: 'demo', channelId: 'support', name: 'Bo' } })).status, 429);
    const jwt = () => h.api.request('POST', '/api/auth/jwt', { json: { tenant: 'demo', token: 'not.a.jwt' } });
    assert.deepEqual([(await jwt()).status, (await jwt()).status], [401, 429]);

    const after = await scrape(h, key);
    const delta = (name: string) => (after.get(name) ?? NaN) - (before.get(name) ?? 0);
    assert.equal(after.get('crm_chat_connections{tenant="demo"}'), 2, 'the agent and the customer are connected');
    assert.equal(delta('crm_chat_messages_total'), acked, 'every acknowledged message, once');
    assert.ok(delta('crm_chat_acks_total') >= acked);
    assert.ok(delta('crm_chat_frames_total{direction="in"}') >= acked + overloaded + rateLimited + 4, 'hello, accept, subscribe and the sends');
    assert.ok(delta('crm_chat_frames_total{direction="out"}') >= acked, 'at least an ack per message');
    assert.ok(delta('crm_chat_frame_bytes_total{direction="in"}') > 0 && delta('crm_chat_frame_bytes_total{direction="out"}') > 0);
    assert.ok(delta('crm_chat_ack_latency_seconds_count') >= acked, 'a latency per ack');
    assert.ok(delta('crm_chat_commits_total') >= 1);
    assert.equal(delta('crm_chat_commit_duration_seconds_count'), delta('crm_chat_commits_total'), 'a duration per commit');
    assert.ok(delta('crm_chat_committed_frames_total') >= acked);
    assert.ok(delta('crm_chat_inbox_wait_seconds_count') >= acked, 'every processed frame waited in the inbox');
    assert.equal(after.get('crm_chat_inbox_frames'), 0, 'nothing waits once every frame is answered');
    assert.equal(delta('crm_chat_refusals_total{reason="connection_frames"}'), overloaded);
    assert.equal(delta('crm_chat_refusals_total{reason="connections_per_user"}'), 1);
    assert.ok(delta('crm_chat_refusals_total{reason="frames_per_minute"}') >= 1);
    assert.equal(delta('crm_chat_refusals_total{reason="chat_starts_per_minute"}'), 1);
    assert.equal(delta('crm_chat_refusals_total{reason="sign_in_failures_per_minute"}'), 1);
    assert.equal(delta('crm_chat_sign_in_refusals_total'), 1);
    assert.equal(after.get('crm_chat_refusals_total{reason="queue_time"}'), 0, 'reasons that never happened are there, at 0');
    // A histogram's buckets are cumulative and end at its count.
    const buckets = [...after].filter(([k]) => k.startsWith('crm_chat_ack_latency_seconds_bucket')).map(([, v]) => v);
    assert.ok(buckets.every((v, i) => i === 0 || v >= (buckets[i - 1] ?? 0)), 'cumulative');
    assert.equal(buckets.at(-1), after.get('crm_chat_ack_latency_seconds_count'));
  });
});

describe('client address behind a proxy (--trust-proxy)', () => {
  test('X-Forwarded-For is read from the right, only from trusted peers', () => {
    const req = (peer: string, xff?: string) => ({ socket: { remoteAddress: peer }, headers: xff === undefined ? {} : { 'x-forwarded-for': xff } }) as unknown as Parameters<ReturnType<typeof clientAddress>>[0];
    const behind = clientAddress(trustList(['loopback', '10.0.0.0/8']));
    assert.equal(behind(req('127.0.0.1', '203.0.113.7')), '203.0.113.7');
    assert.equal(behind(req('::ffff:127.0.0.1', '203.0.113.7')), '203.0.113.7');
    // The client's own header value stands left of what the proxies append: not believed.
    assert.equal(behind(req('127.0.0.1', '1.1.1.1, 203.0.113.7')), '203.0.113.7');
    // Two trusted proxies in a row are skipped.
    assert.equal(behind(req('127.0.0.1', '198.51.100.2, 10.1.2.3')), '198.51.100.2');
    // An untrusted peer's header is ignored.
    assert.equal(behind(req('192.0.2.9', '203.0.113.7')), '192.0.2.9');
    // Garbage stops the walk.
    assert.equal(behind(req('127.0.0.1', 'evil, 10.1.2.3')), '10.1.2.3');
    assert.equal(clientAddress(undefined)(req('127.0.0.1', '203.0.113.7')), '127.0.0.1');
    assert.throws(() => trustList(['10.0.0.0/33']), /--trust-proxy "10.0.0.0\/33"/);
    assert.throws(() => trustList(['proxy.example']), /use IP addresses, CIDR ranges/);
  });

  test('chat starts are counted per forwarded client address with it, per proxy without it', async () => {
    const start = (h: Harness, addr: string) => h.api.request('POST', '/api/chats', { headers: { 'x-forwarded-for': addr }, json: { tenant: 'demo', channelId: 'support', name: 'Ada' } });
    const trusted = (await serverWithLog('silent', { trustProxy: ['loopback'], limits: { chatStartsPerMinute: 2 } })).h;
    trusted.clock.toNextMinute();
    assert.deepEqual([(await start(trusted, '203.0.113.1')).status, (await start(trusted, '203.0.113.1')).status, (await start(trusted, '203.0.113.1')).status], [201, 201, 429]);
    assert.equal((await start(trusted, '203.0.113.2')).status, 201, 'another client behind the same proxy has its own budget');

    const direct = (await serverWithLog('silent', { limits: { chatStartsPerMinute: 2 } })).h;
    direct.clock.toNextMinute();
    assert.deepEqual([(await start(direct, '203.0.113.1')).status, (await start(direct, '203.0.113.2')).status, (await start(direct, '203.0.113.3')).status], [201, 201, 429], 'a forged header must not buy more starts');
  });

  test('refused agent sign-ins are limited per address: 429 with its reason, others unaffected', async () => {
    const { h, out } = await serverWithLog('info', { trustProxy: ['loopback'], signInFailuresPerMinute: 3 });
    h.clock.toNextMinute();
    const signIn = (addr: string) => h.api.request('POST', '/api/auth/jwt', { headers: { 'x-forwarded-for': addr }, json: { tenant: 'demo', token: 'not.a.jwt' } });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await signIn('203.0.113.9')).status);
    assert.deepEqual(statuses, [401, 401, 401, 429]);
    const limited = await signIn('203.0.113.9');
    assert.deepEqual((limited.body as { error: { code: string; reason: string } }).error.code, 'rate_limited');
    assert.equal((limited.body as { error: { reason: string } }).error.reason, 'sign_in_failures_per_minute');
    assert.equal((await signIn('203.0.113.10')).status, 401, 'another address is still heard');
    h.clock.advance(60_000);
    assert.equal((await signIn('203.0.113.9')).status, 401, 'the next minute starts over');
    const line = await out.waitFor((l) => l.event === 'http' && l.status === 429, 'the 429 line');
    assert.equal(line.addr, '203.0.113.9');
  });
});

describe('static files: compressed, cached by content hash', () => {
  /** A raw GET (fetch would decompress): status, headers and the bytes as sent. */
  function raw(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
    return new Promise((resolve, reject) => {
      get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
        });
      }).on('error', reject);
    });
  }

  test('brotli or gzip as accepted, precompressed files first, immutable hashed chunks, 304 on a matching ETag', async () => {
    const root = await folder('chat-static-');
    const script = `export const text = ${JSON.stringify('hello widget '.repeat(400))};\n`;
    mkdirSync(join(root, 'dist/cdn/chunks'), { recursive: true });
    writeFileSync(join(root, 'dist/cdn/chat-visitor.js'), script);
    // The build's precompressed copy: the same content, compressed at another quality than the
    // server's own (11), so its very bytes show that it is the one sent.
    const prebuilt = brotliCompressSync(script, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 1 } });
    writeFileSync(join(root, 'dist/cdn/chat-visitor.js.br'), prebuilt);
    writeFileSync(join(root, 'dist/cdn/chunks/core-AbCd12_-.js'), script);
    writeFileSync(join(root, 'dist/cdn/tiny.js'), 'export {};\n');
    const { h } = await serverWithLog('silent', { staticRoot: root });
    const url = (path: string) => `${h.api.baseUrl}${path}`;

    const br = await raw(url('/dist/cdn/chat-visitor.js'), { 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(br.status, 200);
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal(br.headers.vary, 'Accept-Encoding');
    assert.equal(Number(br.headers['content-length']), br.body.length);
    assert.deepEqual(br.body, prebuilt, 'the precompressed file as it is');
    assert.equal(br.headers['cache-control'], 'no-cache');
    assert.equal(br.headers['access-control-allow-origin'], '*');

    const gz = await raw(url('/dist/cdn/chat-visitor.js'), { 'accept-encoding': 'gzip' });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(gunzipSync(gz.body).toString(), script, 'no .gz beside it: compressed by the server');
    assert.ok(gz.body.length < script.length / 4);

    const none = await raw(url('/dist/cdn/chat-visitor.js'), { 'accept-encoding': 'br;q=0, identity' });
    assert.equal(none.headers['content-encoding'], undefined);
    assert.equal(none.body.toString(), script);

    // File times do not decide: an installed package's copy older than its source (npm resets
    // times) is still the one sent while its content matches…
    const past = new Date(Date.now() - 3_600_000);
    utimesSync(join(root, 'dist/cdn/chat-visitor.js.br'), past, past);
    const installed = await raw(url('/dist/cdn/chat-visitor.js'), { 'accept-encoding': 'br' });
    assert.deepEqual(installed.body, prebuilt, 'an older time, the same content: still the precompressed copy');
    assert.equal(installed.headers.etag, br.headers.etag, 'the same content keeps its ETag');
    // …and a copy of other content is stale, however new its time: compressed anew from the source.
    const stale = brotliCompressSync(`${script}// an earlier build\n`, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 1 } });
    writeFileSync(join(root, 'dist/cdn/chat-visitor.js.br'), stale);
    const future = new Date(Date.now() + 3_600_000);
    utimesSync(join(root, 'dist/cdn/chat-visitor.js.br'), future, future);
    const fresh = await raw(url('/dist/cdn/chat-visitor.js'), { 'accept-encoding': 'br' });
    assert.equal(brotliDecompressSync(fresh.body).toString(), script);
    // A changed source (same size, its time set back to the old one, as a reinstall does) gets a new ETag.
    const before = statSync(join(root, 'dist/cdn/chat-visitor.js'));
    writeFileSync(join(root, 'dist/cdn/chat-visitor.js'), script.replace('hello', 'HELLO'));
    utimesSync(join(root, 'dist/cdn/chat-visitor.js'), before.atime, before.mtime);
    const changed = await raw(url('/dist/cdn/chat-visitor.js'), { 'accept-encoding': 'br' });
    assert.equal(brotliDecompressSync(changed.body).toString(), script.replace('hello', 'HELLO'));
    assert.notEqual(changed.headers.etag, br.headers.etag, 'other content, another ETag');
    writeFileSync(join(root, 'dist/cdn/chat-visitor.js'), script);

    const chunk = await raw(url('/dist/cdn/chunks/core-AbCd12_-.js'), { 'accept-encoding': 'br' });
    assert.equal(chunk.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(brotliDecompressSync(chunk.body).toString(), script);

    const tiny = await raw(url('/dist/cdn/tiny.js'), { 'accept-encoding': 'br' });
    assert.equal(tiny.headers['content-encoding'], undefined, 'too small to be worth it');

    const etag = String(br.headers.etag);
    assert.match(etag, /^W\/".+-br"$/);
    const again = await raw(url('/dist/cdn/chat-visitor.js'), { 'accept-encoding': 'br', 'if-none-match': etag });
    assert.deepEqual([again.status, again.body.length], [304, 0]);
    const otherEncoding = await raw(url('/dist/cdn/chat-visitor.js'), { 'accept-encoding': 'gzip', 'if-none-match': etag });
    assert.equal(otherEncoding.status, 200, 'an ETag names its encoding');
  });
});
