/**
 * The agent tools of the client core against the real reference server (started by the test
 * runner): `uploadAttachment` with progress and abort, refusals with the server's message,
 * sending files, signed URLs (a thumbnail loads from the attachment origin), and the reply
 * library calls.
 */
import { expect } from '@open-wc/testing';

import type { ChatClient } from '../../src/state/index.js';
import { ChatError, ChatHttpError } from '../../src/state/index.js';
import type { ServerInfo } from '../helpers/chat-server.js';
import { chatServer, loginAgent, trackClients, startChat, testClient, until } from '../helpers/chat-server.js';
import { canvasPng, named } from '../helpers/files.js';

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('agent tools of the client core against the real server', function () {
  this.timeout(30_000);
  let server: ServerInfo;
  const { track, ends } = trackClients();

  before(async () => {
    server = await chatServer();
  });


  /** Erik has answered a fresh support chat; both clients are live and know their access tokens. */
  async function conversation(name: string) {
    const agentToken = await loginAgent(server, 'erik');
    const agent = track(testClient(server, agentToken, { getAccessToken: () => agentToken }));
    agent.connect();
    await until(() => agent.$connection.get().status === 'live', 'agent live');
    const chat = await startChat(server, 'support', name);
    const customer = track(testClient(server, chat.token, { outboxKey: `customer:${chat.sessionId}`, getAccessToken: () => Promise.resolve(chat.token) }));
    customer.connect();
    await until(() => customer.$connection.get().status === 'live', 'customer live');
    await until(() => agent.$queued.get().some((s) => s.id === chat.sessionId), 'chat queued on the board');
    await agent.accept(chat.sessionId);
    ends.push(() => agent.end(chat.sessionId));
    agent.openSession(chat.sessionId);
    await until(() => agent.$messages.get()[chat.sessionId]?.ready === true, 'agent has the conversation');
    return { agent, customer, sessionId: chat.sessionId };
  }

  it('uploads with progress, sends the file, and both sides get it; the thumbnail loads from the attachment origin', async () => {
    const { agent, customer, sessionId } = await conversation('Upload Ulla');
    const png = await canvasPng(40, 30);
    // Padding after IEND keeps it a valid PNG for decoders and makes the upload big enough to report progress.
    const file = named(new Blob([png, new Uint8Array(2 * 1024 * 1024)], { type: 'image/png' }), 'skadan på tältet.png');
    const progress: { loaded: number; total: number }[] = [];
    const attachment = await customer.uploadAttachment(sessionId, file, { onProgress: (p) => progress.push(p) });
    expect(attachment.name).to.equal('skadan på tältet.png');
    expect(attachment.type).to.equal('image/png');
    expect(attachment.size).to.equal(file.size);
    expect(attachment.id).to.match(/^f_/);
    expect(progress.length).to.be.greaterThan(0);
    expect(progress.at(-1)).to.deep.equal({ loaded: file.size, total: file.size });
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.loaded).to.be.at.least(progress[i - 1]!.loaded);

    await customer.send(sessionId, '', 'text', [attachment.id]);
    const withFile = (c: ChatClient) => c.$messages.get()[sessionId]?.items.find((m) => m.attachments?.some((a) => a.id === attachment.id));
    await until(() => withFile(agent) !== undefined && withFile(customer) !== undefined, 'both sides have the message with the file');
    expect(withFile(agent)?.attachments).to.deep.equal([attachment]);
    expect(withFile(agent)?.text).to.equal('');
    await until(() => customer.$outbox.get().length === 0, 'outbox empty');

    const url = await agent.attachmentUrl(attachment.id);
    const thumb = await agent.attachmentUrl(attachment.id, { inline: true });
    expect(new URL(url).origin).to.not.equal(new URL(server.url).origin);
    expect(new URL(url).origin).to.not.equal(location.origin);
    expect(thumb).to.equal(`${url}&inline=1`);
    expect(await agent.attachmentUrl(attachment.id)).to.equal(url, 'cached while valid');
    const img = new Image();
    await new Promise<void>((resolve, reject) => {
      img.onload = () => {
        resolve();
      };
      img.onerror = () => {
        reject(new Error('thumbnail did not load'));
      };
      img.src = thumb;
    });
    expect([img.naturalWidth, img.naturalHeight]).to.deep.equal([40, 30]);
  });

  it('rejects with ChatHttpError and the server\'s message when a file is refused', async () => {
    const { customer, sessionId } = await conversation('Refused Rolf');
    const html = named(new Blob(['<html><script>parent.__pwned()</script></html>'], { type: 'image/png' }), 'a.png');
    const error = await rejection(customer.uploadAttachment(sessionId, html));
    expect(error).to.be.instanceOf(ChatHttpError);
    expect(error).to.be.instanceOf(ChatError);
    const e = error as ChatHttpError;
    expect([e.status, e.code, e.reason, e.message]).to.deep.equal([415, 'invalid', 'type', 'Only images, PDF, Word, Excel, ZIP, text and CSV files can be sent.']);

    // Over the limit: the server refuses it from its Content-Length …
    const big = named(new Blob([new Uint8Array(10 * 1024 * 1024 + 1)]), 'big.pdf');
    let sent = 0;
    const tooBig = (await rejection(customer.uploadAttachment(sessionId, big, { onProgress: (p) => (sent = p.loaded) }))) as ChatHttpError;
    expect([tooBig.status, tooBig.code, tooBig.reason]).to.deep.equal([413, 'invalid', 'too_large']);
    expect(tooBig.message).to.equal('The file is too large: at most 10 MB.');
    // … and once the limits are known, the client refuses it without sending anything.
    const limits = await customer.attachmentLimits();
    expect(limits.maxFileBytes).to.equal(10 * 1024 * 1024);
    expect(limits.accept).to.contain('.pdf');
    sent = 0;
    const local = (await rejection(customer.uploadAttachment(sessionId, big, { onProgress: (p) => (sent = p.loaded) }))) as ChatHttpError;
    expect([local.status, local.reason, local.message]).to.deep.equal([413, 'too_large', 'The file is too large: at most 10 MB.']);
    expect(sent).to.equal(0);

    const foreign = await startChat(server, 'support', 'Someone Else');
    const forbidden = (await rejection(customer.uploadAttachment(foreign.sessionId, named(new Blob(['hej']), 'a.txt')))) as ChatHttpError;
    expect([forbidden.status, forbidden.code]).to.deep.equal([403, 'forbidden']);
  });

  it('aborts an upload through its signal', async () => {
    const { customer, sessionId } = await conversation('Abort Agnes');
    const file = named(new Blob([new Uint8Array(8 * 1024 * 1024)]), 'large.txt');
    const controller = new AbortController();
    let calls = 0;
    const error = await rejection(
      customer.uploadAttachment(sessionId, file, {
        signal: controller.signal,
        onProgress: () => {
          calls += 1;
          controller.abort();
        },
      }),
    );
    expect(error).to.be.instanceOf(DOMException);
    expect((error as DOMException).name).to.equal('AbortError');
    expect(calls).to.be.greaterThan(0);
    // Already aborted: nothing is sent.
    const pre = new AbortController();
    pre.abort();
    const early = await rejection(customer.uploadAttachment(sessionId, named(new Blob(['x']), 'x.txt'), { signal: pre.signal }));
    expect((early as DOMException).name).to.equal('AbortError');
  });

  it('needs getAccessToken for HTTP calls', async () => {
    const token = await loginAgent(server, 'sofia');
    const client = track(testClient(server, token));
    const error = (await rejection(client.listReplies())) as ChatHttpError;
    expect(error).to.be.instanceOf(ChatHttpError);
    expect(error.code).to.equal('unauthenticated');
  });

  it('reply library: list, create with field errors, favourite, mark used, delete', async () => {
    const token = await loginAgent(server, 'sofia');
    const client = track(testClient(server, token, { getAccessToken: () => token }));
    const faqs = await client.listReplies({ kind: 'faq', language: 'sv' });
    expect(faqs.length).to.be.at.least(6);
    expect(faqs.every((r) => r.kind === 'faq' && r.language === 'sv' && r.url?.startsWith('http'))).to.equal(true);

    const invalid = (await rejection(client.createReply({ kind: 'quick-reply', title: '', text: 'x', shortcut: 'Bad!' }))) as ChatHttpError;
    expect(invalid.status).to.equal(400);
    expect(invalid.fields).to.deep.equal({ title: 'Enter a title.', shortcut: 'Use 1–32 lower-case letters, digits or hyphens.' });
    const shared = (await rejection(client.createReply({ kind: 'template', title: 'T', text: 'x', shared: true }))) as ChatHttpError;
    expect([shared.status, shared.code]).to.deep.equal([403, 'forbidden']);

    const mine = await client.createReply({ kind: 'quick-reply', title: 'Tack', text: 'Tack {{customer.name}}!', shortcut: 'tack-sofia', language: 'sv' });
    expect(mine.ownerId).to.equal('sofia');
    expect((await client.updateReply(mine.id, { folder: 'Mina' })).folder).to.equal('Mina');
    expect((await client.favouriteReply(mine.id, true)).favourite).to.equal(true);
    const used = await client.markReplyUsed(mine.id);
    expect(used.useCount).to.equal(1);
    expect((await client.listReplies({ q: 'tack-sofia' })).map((r) => r.id)).to.deep.equal([mine.id]);
    await client.deleteReply(mine.id);
    const gone = (await rejection(client.deleteReply(mine.id))) as ChatHttpError;
    expect([gone.status, gone.code]).to.deep.equal([404, 'not_found']);
  });
});
