/**
 * Quote a message in a reply (issue 18): the send frame names the quoted message by id; the server
 * checks it is a message of the same chat that everyone who sees the reply may see, and makes the
 * quote (author, excerpt, the receiver's numbering) itself. A note or whisper is never quoted to the
 * customer; a forged excerpt cannot be sent (the frame has no field for it).
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { afterEach, beforeEach, describe, test } from 'node:test';

import type { ChatMessage } from '../../src/protocol/index.js';
import { MAX_QUOTE_EXCERPT } from '../../src/protocol/index.js';
import { quoteExcerpt } from '../../server/core/room/quote.js';
import type { Harness, NackFrame, ServerFrame, SessionEvent } from './helpers.js';
import { isNack, openActiveChat, refused, sessionEventOf, sessionResetOf, startServer, tempDir } from './helpers.js';

const messageWith = (sessionId: string, text: string) => (f: ServerFrame): f is SessionEvent =>
  sessionEventOf(sessionId)(f) && f.data.text === text;

describe('quote a message in a reply', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startServer();
  });

  afterEach(async () => {
    await h.close();
  });

  test('an agent quotes the customer: both sides get the quote in their own numbering', async () => {
    const c = await openActiveChat(h.api, { agentId: 'erik', channel: 'support' });
    // A note first, so that the agents' and the customer's numbering differ.
    await c.agent.sendOk(c.sessionId, 'VIP customer', { kind: 'note' });
    const asked = await c.customer.sendOk(c.sessionId, 'Where is   my\norder <b>#42</b>?');
    const customerSeq = asked.seq;
    const agentCopy = await c.agent.waitFor(messageWith(c.sessionId, 'Where is   my\norder <b>#42</b>?'));
    const customerFrom = c.customer.mark();

    await c.agent.sendOk(c.sessionId, 'It left today.', { quote: asked.msgId });

    const forAgent = (await c.agent.waitFor(messageWith(c.sessionId, 'It left today.'))).data;
    assert.deepEqual(forAgent.quote, {
      id: asked.msgId,
      seq: agentCopy.data.seq,
      author: { kind: 'customer', name: 'Ada Customer' },
      excerpt: 'Where is my order <b>#42</b>?',
      at: agentCopy.data.at,
    });
    const forCustomer = (await c.customer.waitFor(messageWith(c.sessionId, 'It left today.'), { from: customerFrom })).data;
    const quote = forCustomer.quote;
    assert.ok(quote);
    assert.equal(quote.id, asked.msgId);
    assert.equal(quote.seq, customerSeq, 'the customer numbering');
    assert.notEqual(quote.seq, agentCopy.data.seq, 'the numberings differ after the note');

    // History carries it too, for both.
    const history = (await c.customer.ok({ t: 'history', sessionId: c.sessionId, limit: 100 })) as { messages: ChatMessage[] };
    assert.equal(history.messages.find((m) => m.text === 'It left today.')?.quote?.excerpt, 'Where is my order <b>#42</b>?');
  });

  test('the customer quotes the agent', async () => {
    const c = await openActiveChat(h.api, { agentId: 'erik', channel: 'support' });
    const said = await c.agent.sendOk(c.sessionId, 'Your code is 1234.');
    await c.customer.waitFor(messageWith(c.sessionId, 'Your code is 1234.'));
    await c.customer.sendOk(c.sessionId, 'This one does not work', { quote: said.msgId });
    const got = (await c.agent.waitFor(messageWith(c.sessionId, 'This one does not work'))).data;
    assert.deepEqual(got.quote && { author: got.quote.author, excerpt: got.quote.excerpt }, {
      author: { kind: 'agent', name: 'Erik Johansson' },
      excerpt: 'Your code is 1234.',
    });
  });

  test('a note or a whisper is never quoted to the customer, but may be in a note', async () => {
    const c = await openActiveChat(h.api, { agentId: 'erik', channel: 'support' });
    const note = await c.agent.sendOk(c.sessionId, 'Internal: refund approved', { kind: 'note' });
    const anna = await h.api.agent('anna');
    await anna.ok({ t: 'subscribe', sessionId: c.sessionId, mode: 'listen' });
    await anna.waitFor(sessionResetOf(c.sessionId));
    const whisper = await anna.sendOk(c.sessionId, 'Offer 10 %', { kind: 'whisper' });

    refused(await c.agent.send(c.sessionId, 'As noted:', { quote: note.msgId }), 'forbidden');
    refused(await c.agent.send(c.sessionId, 'As whispered:', { quote: whisper.msgId }), 'forbidden');
    // The customer cannot quote what they never saw (an id learnt some other way).
    refused(await c.customer.send(c.sessionId, 'What note?', { quote: note.msgId }), 'forbidden');
    // Nothing of it reached the customer.
    assert.equal(c.customer.all(messageWith(c.sessionId, 'As noted:')).length, 0);

    // In a note, and in a whisper, quoting a note is fine (agents only).
    await c.agent.sendOk(c.sessionId, 'Done', { kind: 'note', quote: note.msgId });
    const got = (await c.agent.waitFor(messageWith(c.sessionId, 'Done'))).data;
    assert.equal(got.quote?.excerpt, 'Internal: refund approved');
    await anna.sendOk(c.sessionId, 'Good', { kind: 'whisper', quote: whisper.msgId });
  });

  test('only a message of the same chat, never an event, can be quoted', async () => {
    const a = await openActiveChat(h.api, { agentId: 'erik', channel: 'support' });
    const b = await openActiveChat(h.api, { agent: a.agent, channel: 'support', name: 'Bo Other' });
    const elsewhere = await b.customer.sendOk(b.sessionId, 'My secret address');
    refused(await a.agent.send(a.sessionId, 'Quoting another chat', { quote: elsewhere.msgId }), 'not_found');
    refused(await a.customer.send(a.sessionId, 'Quoting another chat', { quote: elsewhere.msgId }), 'not_found');
    refused(await a.agent.send(a.sessionId, 'Quoting nothing', { quote: 'm_doesnotexist' }), 'not_found');
    const joined = a.agentReset.snapshot.messages.find((m) => m.kind === 'event');
    assert.ok(joined, 'the chat has a system event');
    refused(await a.agent.send(a.sessionId, 'Quoting an event', { quote: joined.id }), 'invalid');
    // The frame carries a reference only: an excerpt of one's own is refused by the schema.
    const from = a.agent.mark();
    a.agent.sendJson({ t: 'send', cmid: 'forged-quote-1', sessionId: a.sessionId, kind: 'text', text: 'x', quote: { messageId: elsewhere.msgId, excerpt: 'lies' } });
    const answer = await a.agent.waitFor((f): f is NackFrame => isNack(f), { from });
    assert.equal(answer.code, 'invalid');
  });

  test('a resend with the same cmid must quote the same message; the quote survives a restart', async () => {
    const dataDir = await tempDir();
    try {
      const first = await startServer({ dataDir, keepData: true });
      const c = await openActiveChat(first.api, { agentId: 'erik', channel: 'support' });
      const one = await c.customer.sendOk(c.sessionId, 'First question');
      const two = await c.customer.sendOk(c.sessionId, 'Second question');
      const a1 = await c.agent.sendOk(c.sessionId, 'Yes', { cmid: 'quote-cmid-1', quote: one.msgId });
      const a2 = await c.agent.sendOk(c.sessionId, 'Yes', { cmid: 'quote-cmid-1', quote: one.msgId });
      assert.equal(a2.msgId, a1.msgId);
      assert.equal(a2.duplicate, true);
      refused(await c.agent.send(c.sessionId, 'Yes', { cmid: 'quote-cmid-1', quote: two.msgId }), 'invalid');
      refused(await c.agent.send(c.sessionId, 'Yes', { cmid: 'quote-cmid-1' }), 'invalid');
      await first.close();

      const second = await startServer({ dataDir, keepData: true, clock: first.clock });
      try {
        const erik = await second.api.agent('erik');
        const history = (await erik.ok({ t: 'history', sessionId: c.sessionId, limit: 100 })) as { messages: ChatMessage[] };
        const quoted = history.messages.filter((m) => m.quote !== undefined);
        assert.equal(quoted.length, 1);
        const q = quoted[0]?.quote;
        assert.deepEqual(q && [q.id, q.excerpt], [one.msgId, 'First question']);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('quote excerpt', () => {
  test('collapses white space and keeps short texts whole', () => {
    assert.equal(quoteExcerpt('  a\n\n b\t c  '), 'a b c');
  });

  test('cuts long texts at a word, with an ellipsis, within the limit', () => {
    const long = 'word '.repeat(100);
    const cut = quoteExcerpt(long);
    assert.ok(cut.length <= MAX_QUOTE_EXCERPT, `${String(cut.length)} chars`);
    assert.ok(cut.endsWith('word…'), cut);
  });

  test('never splits an emoji; a text without spaces is cut at the limit', () => {
    const family = '👩‍👩‍👧';
    const cut = quoteExcerpt(family.repeat(MAX_QUOTE_EXCERPT + 20));
    assert.equal(cut, `${family.repeat(MAX_QUOTE_EXCERPT - 1)}…`);
  });

  test('a message of files only shows their names', () => {
    assert.equal(quoteExcerpt('', [{ name: 'invoice.pdf' }, { name: 'photo.png' }]), 'invoice.pdf, photo.png');
  });
});
