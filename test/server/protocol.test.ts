/**
 * Frame validators and the safe decoder (src/protocol): strict client→server schemas,
 * lenient-but-typed server→client schemas, size and depth bounds, prototype-pollution keys.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import fc from 'fast-check';
import * as v from 'valibot';

import { ClientFrame, CLIENT_FRAME_TYPES } from '../../src/protocol/client-frames.js';
import { decodeFrame, exceedsBytes } from '../../src/protocol/codec.js';
import { MAX_FRAME_BYTES, MAX_HISTORY_PAGE, MAX_MESSAGE_TEXT, PROTOCOL_VERSION } from '../../src/protocol/limits.js';
import { SERVER_FRAME_TYPES, ServerFrame } from '../../src/protocol/server-frames.js';

const decode = (raw: string) => decodeFrame(raw, ClientFrame, CLIENT_FRAME_TYPES);
const decodeObj = (frame: unknown) => decode(JSON.stringify(frame));

function rejected(raw: string, reason: string): void {
  const r = decode(raw);
  assert.ok(!r.ok, `expected rejection (${reason}) of ${raw.slice(0, 120)}`);
  assert.equal(r.reason, reason, `${raw.slice(0, 120)} → ${r.message}`);
}

/** Object.prototype stays clean (checked after every pollution attempt). */
function assertNoPollution(): void {
  const probe: Record<string, unknown> = {};
  assert.equal(probe.polluted, undefined);
  assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
  assert.equal(Object.getPrototypeOf(probe), Object.prototype);
}

const SID = 's_abcDEF123';
const CMID = 'cmid-0001-abcdef';

/** One valid frame of every client type: the baseline the rejections below deviate from. */
const VALID: Record<string, Record<string, unknown>> = {
  hello: { t: 'hello', v: 1 },
  helloResume: { t: 'hello', v: 1, resume: { board: { epoch: 'E1', seq: 4 }, sessions: [{ id: SID, epoch: 'x', seq: 0 }] } },
  send: { t: 'send', cmid: CMID, sessionId: SID, kind: 'text', text: 'hej' },
  note: { t: 'send', cmid: CMID, sessionId: SID, kind: 'note', text: 'internal' },
  accept: { t: 'accept', rid: 'r1', sessionId: SID },
  next: { t: 'next', rid: 'r1' },
  nextChannels: { t: 'next', rid: 'r1', channelIds: ['sales'] },
  end: { t: 'end', rid: 'r1', sessionId: SID },
  subscribe: { t: 'subscribe', rid: 'r1', sessionId: SID, mode: 'listen' },
  subscribeAfter: { t: 'subscribe', rid: 'r1', sessionId: SID, mode: 'participant', after: { epoch: 'e', seq: 3 } },
  unsubscribe: { t: 'unsubscribe', rid: 'r1', sessionId: SID },
  history: { t: 'history', rid: 'r1', sessionId: SID, afterSeq: 3, limit: 20 },
  typing: { t: 'typing', sessionId: SID, on: true, preview: 'hel' },
  read: { t: 'read', rid: 'r1', sessionId: SID, seq: 7 },
  unread: { t: 'unread', rid: 'r1', sessionId: SID },
  help: { t: 'help', rid: 'r1', sessionId: SID, on: true, note: 'Refund over the limit' },
  hold: { t: 'hold', rid: 'r1', sessionId: SID, on: true },
  requeue: { t: 'requeue', rid: 'r1', sessionId: SID, reason: 'Needs a Norwegian speaker' },
  wrapup: { t: 'wrapup', rid: 'r1', sessionId: SID, comment: 'Refunded', tags: ['Refund'] },
  priority: { t: 'priority', rid: 'r1', sessionId: SID, priority: 'urgent' },
  endWrapUp: { t: 'end', rid: 'r1', sessionId: SID, wrapUp: { comment: 'Spam', tags: ['Spam'] }, notify: false },
  presence: { t: 'presence', rid: 'r1', status: 'away' },
  ping: { t: 'ping', n: 1 },
  transferAgent: { t: 'transfer', rid: 'r1', sessionId: SID, to: { agentId: 'sofia' }, note: 'VIP, knows the order number' },
  transferChannel: { t: 'transfer', rid: 'r1', sessionId: SID, to: { channelId: 'sales' } },
  transferAnswer: { t: 'transfer-answer', rid: 'r1', sessionId: SID, accept: true },
  transferCancel: { t: 'transfer-cancel', rid: 'r1', sessionId: SID },
  offerAnswer: { t: 'offer-answer', rid: 'r1', sessionId: SID, accept: false },
  takeover: { t: 'takeover', rid: 'r1', sessionId: SID },
  stats: { t: 'stats', rid: 'r1', channelIds: ['sales'] },
  search: { t: 'search', rid: 'r1', query: 'order 1234' },
};

describe('client frames: the valid baseline', () => {
  test('every frame type decodes and round-trips unchanged', () => {
    for (const [name, frame] of Object.entries(VALID)) {
      const r = decodeObj(frame);
      assert.ok(r.ok, `${name}: ${r.ok ? '' : r.message}`);
      assert.deepEqual(r.frame, frame, name);
    }
    const types = new Set(Object.values(VALID).map((f) => f.t));
    assert.deepEqual([...types].sort(), [...CLIENT_FRAME_TYPES].sort(), 'the baseline covers every client frame type');
  });

  test('text that merely mentions __proto__ or constructor is accepted', () => {
    const r = decodeObj({ ...VALID.send, text: 'what does __proto__ or constructor.prototype mean?' });
    assert.ok(r.ok);
    assertNoPollution();
  });
});

describe('client frames: rejections', () => {
  test('unknown, missing or non-string t', () => {
    for (const raw of ['{"t":"evil"}', '{"t":"HELLO","v":1}', '{"v":1}', '{"t":1}', '{"t":null}', '{"t":["hello"]}']) {
      rejected(raw, 'unknown_type');
    }
    const r = decode('{"t":"evil","rid":"r9"}');
    assert.ok(!r.ok && r.rid === 'r9', 'the rid of an unknown frame is kept so the server can answer it');
  });

  test('an unknown field on any frame type is refused', () => {
    for (const [name, frame] of Object.entries(VALID)) {
      for (const extra of [{ x: 1 }, { agentId: 'anna' }, { role: 'supervisor' }, { tenantId: 'other' }, { sender: 'agent' }]) {
        const r = decodeObj({ ...frame, ...extra });
        assert.ok(!r.ok, `${name} + ${JSON.stringify(extra)} was accepted`);
        assert.equal(r.reason, 'schema');
        assert.equal(r.t, frame.t);
      }
    }
    // nested strict objects too
    assert.equal(decodeObj({ t: 'hello', v: 1, resume: { board: { epoch: 'e', seq: 1, extra: true } } }).ok, false);
    assert.equal(decodeObj({ t: 'hello', v: 1, resume: { sessions: [], more: [] } }).ok, false);
  });

  test('wrong types: cmid: 1, text: {"$gt":""}, sessionId: []', () => {
    const cases: Record<string, unknown>[] = [
      { ...VALID.send, cmid: 1 },
      { ...VALID.send, text: { $gt: '' } },
      { ...VALID.send, sessionId: [] },
      { ...VALID.send, sessionId: { $ne: null } },
      { ...VALID.send, kind: 'file' },
      { ...VALID.send, kind: 'event' },
      { ...VALID.accept, rid: 5 },
      { ...VALID.typing, on: 'yes' },
      { ...VALID.presence, status: 'busy' },
      { ...VALID.next, channelIds: 'sales' },
      { ...VALID.subscribe, mode: 'owner' },
    ];
    for (const frame of cases) {
      const r = decodeObj(frame);
      assert.ok(!r.ok && r.reason === 'schema', `accepted ${JSON.stringify(frame)}`);
    }
    const r = decodeObj({ ...VALID.send, cmid: 1 });
    assert.ok(!r.ok && r.cmid === undefined, 'a non-string cmid is not echoed back');
  });

  test('strings and ids: empty, too long, bad characters', () => {
    const cases: Record<string, unknown>[] = [
      { ...VALID.send, text: '' },
      { ...VALID.send, text: '   \n\t ' },
      { ...VALID.send, text: 'x'.repeat(MAX_MESSAGE_TEXT + 1) },
      { ...VALID.send, cmid: 'short' },
      { ...VALID.send, cmid: 'has space in it' },
      { ...VALID.send, cmid: 'c'.repeat(65) },
      { ...VALID.send, sessionId: '' },
      { ...VALID.send, sessionId: '../../etc/passwd' },
      { ...VALID.send, sessionId: "s' OR 1=1 --" },
      { ...VALID.accept, rid: '' },
      { ...VALID.accept, rid: 'r'.repeat(33) },
      { ...VALID.accept, rid: '<script>' },
      { ...VALID.typing, preview: 'p'.repeat(501) },
    ];
    for (const frame of cases) assert.equal(decodeObj(frame).ok, false, `accepted ${JSON.stringify(frame).slice(0, 100)}`);
    assert.ok(decodeObj({ ...VALID.send, text: 'x'.repeat(MAX_MESSAGE_TEXT) }).ok, 'exactly the limit is fine');
  });

  test('seq and counts: 2^53+1, negative, fractions, NaN, Infinity, strings', () => {
    const bad = ['9007199254740993', '9007199254740992', '-1', '1.5', '1e400', '-0.5', '"5"', 'null', 'true', '[]'];
    for (const value of bad) {
      rejected(`{"t":"read","rid":"r1","sessionId":"${SID}","seq":${value}}`, 'schema');
      rejected(`{"t":"ping","n":${value}}`, 'schema');
      rejected(`{"t":"hello","v":1,"resume":{"board":{"epoch":"e","seq":${value}}}}`, 'schema');
      rejected(`{"t":"history","rid":"r1","sessionId":"${SID}","afterSeq":${value},"limit":5}`, 'schema');
    }
    // NaN is not JSON at all …
    rejected(`{"t":"read","rid":"r1","sessionId":"${SID}","seq":NaN}`, 'not_json');
    // … and the schema refuses it from a decoded object too.
    for (const n of [Number.NaN, Number.POSITIVE_INFINITY, -1, 2 ** 53, 0.1]) {
      assert.equal(v.is(ClientFrame, { t: 'read', rid: 'r1', sessionId: SID, seq: n }), false, String(n));
    }
    assert.ok(decode(`{"t":"read","rid":"r1","sessionId":"${SID}","seq":9007199254740991}`).ok, 'MAX_SAFE_INTEGER is fine');
    for (const limit of [0, MAX_HISTORY_PAGE + 1, -5, 2.5]) {
      assert.equal(decodeObj({ ...VALID.history, limit }).ok, false, `limit ${String(limit)}`);
    }
  });

  test('hello: any whole version number decodes (the server answers an unsupported one in words); other values do not', () => {
    for (const version of [1, PROTOCOL_VERSION, PROTOCOL_VERSION + 1]) assert.ok(decodeObj({ t: 'hello', v: version }).ok, `v: ${String(version)}`);
    for (const version of [0, -1, 1.5, '2', null, 2 ** 53]) {
      const r = decodeObj({ t: 'hello', v: version });
      assert.ok(!r.ok && r.reason === 'schema' && r.t === 'hello', `v: ${JSON.stringify(version)}`);
    }
  });
});

describe('decoder: malformed input', () => {
  test('non-JSON is refused', () => {
    for (const raw of ['', ' ', 'not json', '{', '{"t":"ping",}', "{'t':'ping'}", 'undefined', '\u0000', '{"t":"ping","n":1}garbage']) {
      rejected(raw, 'not_json');
    }
  });

  test('arrays and primitives are not frames', () => {
    for (const raw of ['[]', '[{"t":"ping","n":1}]', 'null', '1', '"ping"', 'true']) rejected(raw, 'not_object');
  });

  test('__proto__, constructor and prototype keys are refused and pollute nothing', () => {
    const attacks = [
      '{"t":"ping","n":1,"__proto__":{"polluted":true}}',
      `{"t":"send","cmid":"${CMID}","sessionId":"${SID}","kind":"text","text":"x","__proto__":{"polluted":1}}`,
      '{"t":"hello","v":1,"resume":{"__proto__":{"polluted":true}}}',
      '{"t":"ping","n":1,"constructor":{"prototype":{"polluted":true}}}',
      '{"t":"hello","v":1,"resume":{"sessions":[{"constructor":{"prototype":{"polluted":true}}}]}}',
      '{"t":"ping","n":1,"prototype":{"polluted":true}}',
      // the same key spelled with JSON escapes
      '{"t":"ping","n":1,"\\u005f_proto__":{"polluted":true}}',
      '{"t":"ping","n":1,"\\u0063onstructor":{"prototype":{"polluted":true}}}',
    ];
    for (const raw of attacks) {
      rejected(raw, 'forbidden_key');
      assertNoPollution();
    }
    // A server frame (client side: lenient about unknown fields) gets the same protection.
    const r = decodeFrame('{"t":"ok","rid":"r1","data":{"\\u005f_proto__":{"polluted":true}}}', ServerFrame, SERVER_FRAME_TYPES);
    assert.ok(!r.ok && r.reason === 'forbidden_key');
    assertNoPollution();
  });

  test(`frames over ${String(MAX_FRAME_BYTES)} bytes are refused before parsing`, () => {
    const big = JSON.stringify({ ...VALID.send, text: 'x'.repeat(MAX_FRAME_BYTES) });
    rejected(big, 'too_large');
    // multi-byte characters count as UTF-8 bytes: 22 000 '€' are 66 000 bytes in 22 000 code units
    const euros = JSON.stringify({ ...VALID.send, text: '€'.repeat(22_000) });
    assert.ok(euros.length < MAX_FRAME_BYTES);
    rejected(euros, 'too_large');
    // not JSON and too large: size is checked first
    rejected('{'.repeat(MAX_FRAME_BYTES + 1), 'too_large');
    // a 10 MB frame is refused without being parsed
    const parse = JSON.parse;
    let parsed = 0;
    JSON.parse = ((...args: Parameters<typeof JSON.parse>): unknown => {
      parsed += 1;
      return parse(...args);
    }) as typeof JSON.parse;
    try {
      rejected(`{"t":"send","text":"${'a'.repeat(10 * 1024 * 1024)}"}`, 'too_large');
    } finally {
      JSON.parse = parse;
    }
    assert.equal(parsed, 0, 'the frame was not parsed');
  });

  test('exceedsBytes counts UTF-8 bytes', () => {
    assert.equal(exceedsBytes('a'.repeat(MAX_FRAME_BYTES)), false);
    assert.equal(exceedsBytes('a'.repeat(MAX_FRAME_BYTES + 1)), true);
    assert.equal(exceedsBytes('é'.repeat(MAX_FRAME_BYTES / 2)), false); // 2 bytes each: exactly the limit
    assert.equal(exceedsBytes('é'.repeat(MAX_FRAME_BYTES / 2 + 1)), true);
    assert.equal(exceedsBytes('😀'.repeat(MAX_FRAME_BYTES / 4)), false); // 4 bytes, 2 code units each
    assert.equal(exceedsBytes('😀'.repeat(MAX_FRAME_BYTES / 4 + 1)), true);
    assert.equal(exceedsBytes('abc', 2), true);
  });

  test('10 000-deep nesting is refused without throwing (no stack overflow)', () => {
    const depth = 10_000;
    const samples = [
      '['.repeat(depth) + ']'.repeat(depth),
      '{"t":"ping","n":1,"x":' + '['.repeat(depth) + ']'.repeat(depth) + '}',
      '{"t":"ping","n":1,"x":' + '{"a":'.repeat(depth) + '1' + '}'.repeat(depth) + '}',
      // forces the checking reviver (recursive) over the deep structure
      '{"t":"ping","n":1,"x":' + '['.repeat(depth) + ']'.repeat(depth) + ',"constructor":1}',
      `{"t":"send","cmid":"${CMID}","sessionId":"${SID}","kind":"text","text":` + '['.repeat(depth) + ']'.repeat(depth) + '}',
      // unbalanced
      '{"t":"ping","n":' + '['.repeat(depth),
    ];
    for (const raw of samples) {
      assert.ok(raw.length <= MAX_FRAME_BYTES, 'each sample fits in one frame');
      let r: ReturnType<typeof decode> | undefined;
      assert.doesNotThrow(() => {
        r = decode(raw);
      });
      assert.equal(r?.ok, false);
    }
    assertNoPollution();
  });
});

describe('server frames (what the client accepts)', () => {
  const decodeServer = (frame: unknown) => decodeFrame(JSON.stringify(frame), ServerFrame, SERVER_FRAME_TYPES);
  const ack = { t: 'ack', cmid: CMID, sessionId: SID, msgId: 'm_1', seq: 3, at: 1700000000000, duplicate: false };

  test('unknown fields from a newer server are ignored; unknown types are not frames', () => {
    assert.ok(decodeServer(ack).ok);
    assert.ok(decodeServer({ ...ack, newField: { nested: true } }).ok);
    const unknown = decodeServer({ t: 'shiny-new-frame' });
    assert.ok(!unknown.ok && unknown.reason === 'unknown_type');
  });

  test('wrong types in server frames are refused', () => {
    for (const frame of [
      { ...ack, seq: -1 },
      { ...ack, seq: '3' },
      { ...ack, msgId: '<img src=x onerror=alert(1)>' },
      { ...ack, duplicate: 'no' },
      { t: 'event', stream: 'board', epoch: 'e', seq: 1, prev: 0, kind: 'agent', data: { id: 'x' } },
      { t: 'event', stream: 'board', epoch: 'e', seq: 2, prev: 1, kind: 'skip' },
      { t: 'event', stream: 'board', epoch: 'e', seq: 2, kind: 'session-remove', data: { id: 'x' } },
      { t: 'reset-part', stream: 'board', epoch: 'e', part: 1, parts: 2, sessions: [] },
      { t: 'activity', sessions: [{ id: 'x', lastActivityAt: 1, unread: -1, seq: 1 }] },
      { t: 'agents', agents: [{ id: 'x' }] },
      { t: 'event', stream: 'session:s1', epoch: 'e', seq: 1, kind: 'message', data: { id: 'm', text: 1 } },
      { t: 'nack', code: 'made_up', retryable: false, message: 'x' },
    ]) {
      assert.equal(decodeServer(frame).ok, false, JSON.stringify(frame));
    }
  });
});

describe('property tests (fast-check)', () => {
  test('decodeFrame never throws on random JSON', () => {
    fc.assert(
      fc.property(fc.json({ maxDepth: 6 }), (raw) => {
        const r = decode(raw);
        assert.equal(typeof r.ok, 'boolean');
        if (r.ok) assert.ok(CLIENT_FRAME_TYPES.includes(r.frame.t));
      }),
      { numRuns: 1000 },
    );
  });

  test('decodeFrame never throws on random strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (raw) => {
        assert.equal(typeof decode(raw).ok, 'boolean');
      }),
      { numRuns: 1000 },
    );
  });

  test('random objects with a known t and random (also hostile) keys never throw or pollute', () => {
    const key = fc.oneof(
      fc.constantFrom('__proto__', 'constructor', 'prototype', 'cmid', 'sessionId', 'text', 'rid', 'seq', 'kind', 'resume', 'v', 'n'),
      fc.string({ maxLength: 8 }),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.jsonValue({ maxDepth: 1 }),
        fc.dictionary(key, tie('node'), { maxKeys: 3 }),
        fc.array(tie('node'), { maxLength: 3 }),
      ),
    })).node;
    const frame = fc.tuple(fc.constantFrom(...CLIENT_FRAME_TYPES), fc.dictionary(key, value, { maxKeys: 6 }));
    fc.assert(
      fc.property(frame, ([t, fields]) => {
        // Build the JSON by hand so that "__proto__" really is a key in the text.
        const body = Object.entries(fields).map(([k, val]) => `${JSON.stringify(k)}:${JSON.stringify(val)}`);
        const raw = `{${[`"t":${JSON.stringify(t)}`, ...body].join(',')}}`;
        const r = decode(raw);
        if (r.ok) assert.ok(!/"(__proto__|constructor|prototype)"\s*:/.test(raw), `accepted a forbidden key: ${raw}`);
        assertNoPollution();
      }),
      { numRuns: 1000 },
    );
  });

  test('valid send frames always decode to themselves', () => {
    const id = fc.stringMatching(/^[\w.:-]{1,64}$/);
    const cmid = fc.stringMatching(/^[\w-]{8,64}$/);
    const text = fc.string({ minLength: 1, maxLength: 300 }).filter((s) => s.trim().length > 0);
    fc.assert(
      fc.property(cmid, id, fc.constantFrom('text', 'note'), text, (c, sid, kind, body) => {
        const frame = { t: 'send', cmid: c, sessionId: sid, kind, text: body };
        const r = decodeObj(frame);
        assert.ok(r.ok, r.ok ? '' : r.message);
        assert.deepEqual(r.frame, frame);
      }),
      { numRuns: 500 },
    );
  });
});
