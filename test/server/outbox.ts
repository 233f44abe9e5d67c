/**
 * A customer's widget as the client library behaves, for tests that stop, overload or break the
 * server under it: the outbox (one message in flight per session, the same cmid until
 * acknowledged, `retryAfterMs` honoured), connecting with retries on 4429, and reading a
 * session's whole history. Used by overload.test.ts and edge-workers.test.ts.
 */
import assert from 'node:assert/strict';

import { CLOSE } from '../../src/protocol/limits.js';
import { answerTo, type AckFrame, type Api, type NackFrame, type StartedChat, type TestClient } from './helpers.js';

export function assertOverloadNack(n: NackFrame): void {
  assert.equal(n.code, 'overloaded', `code of ${JSON.stringify(n)}`);
  assert.equal(n.retryable, true);
  assert.ok((n.retryAfterMs ?? 0) >= 1, 'says when to retry');
  assert.equal(n.limit, 'server_capacity', 'names the limit');
}

export interface Item {
  cmid: string;
  text: string;
  ack?: AckFrame;
}

/**
 * A customer's outbox as the client library keeps it (src/state/outbox.ts): one message in flight
 * per session (stop-and-wait, so a refusal never lets a later message overtake it), the same cmid
 * until it is acknowledged, a retryable `nack` waits `retryAfterMs` plus up to 30 % jitter, and a
 * closed socket ends the run (the rest is sent again after the next connect).
 */
export class Outbox {
  readonly items: Item[];
  next = 0;
  refusals = 0;
  /** Called after every acknowledgement (the test waits on progress, never on time). */
  onAck: () => void = () => undefined;

  constructor(
    readonly chat: StartedChat,
    count: number,
  ) {
    this.items = Array.from({ length: count }, (_, i) => ({ cmid: `ov-${chat.sessionId.slice(-8)}-${String(i)}`, text: `overload ${String(i)}` }));
  }

  get done(): boolean {
    return this.next >= this.items.length;
  }

  /** Sends until everything is acknowledged or the socket closes. */
  async run(client: TestClient): Promise<void> {
    while (!this.done && client.isOpen) {
      const item = this.items[this.next]!;
      const from = client.mark();
      client.post(this.chat.sessionId, item.text, { cmid: item.cmid });
      let answer: AckFrame | NackFrame;
      try {
        answer = await client.waitFor(answerTo(item.cmid), { from, timeoutMs: 20_000, label: `answer to ${item.cmid}` });
      } catch (error) {
        if (client.closeInfo) return; // shut down: sent again after the next connect
        throw error;
      }
      if (answer.t === 'ack') {
        if (item.ack && item.ack.msgId !== answer.msgId) throw new Error(`${item.cmid} stored twice: ${item.ack.msgId} and ${answer.msgId}`);
        item.ack ??= answer;
        this.next += 1;
        this.onAck();
        continue;
      }
      assertOverloadNack(answer);
      this.refusals += 1;
      await new Promise((resolve) => setTimeout(resolve, (answer.retryAfterMs ?? 1000) * (1 + Math.random() * 0.3)));
    }
  }
}

/**
 * A customer's widget that connects as the client does: a 4429 (the server at capacity) is
 * answered by waiting its `retryAfterMs` (plus jitter) and connecting again with a fresh ticket.
 * Returns the client and how many times it was turned away.
 */
export async function connect(api: Api, chat: StartedChat): Promise<{ client: TestClient; refused: number }> {
  for (let refused = 0; refused < 50; refused += 1) {
    const ticket = await api.ticket(chat.token);
    const client = await api.open('demo', ticket, { label: `customer ${chat.sessionId}` });
    try {
      await client.hello();
      return { client, refused };
    } catch (error) {
      const info = await client.waitClose();
      if (info.code !== CLOSE.OVERLOADED) throw error;
      const why = client.frames.find((f) => f.t === 'error');
      assert.equal(why?.t === 'error' ? why.limit : undefined, 'server_capacity', 'the refusal names the limit');
      const wait = why?.t === 'error' ? (why.retryAfterMs ?? 1000) : 1000;
      await new Promise((resolve) => setTimeout(resolve, wait * (1 + Math.random() * 0.5)));
    }
  }
  throw new Error(`customer ${chat.sessionId} was refused 50 times`);
}

/** Every message of a session in the customer's numbering (history pages of 100). */
export async function history(client: TestClient, sessionId: string): Promise<{ id: string; seq: number; cmid?: string; text: string }[]> {
  const out: { id: string; seq: number; cmid?: string; text: string }[] = [];
  let afterSeq = 0;
  for (;;) {
    const page = (await client.ok({ t: 'history', sessionId, afterSeq, limit: 100 })) as { messages: { id: string; seq: number; cmid?: string; text: string }[]; hasMore: boolean };
    out.push(...page.messages);
    if (!page.hasMore || page.messages.length === 0) return out;
    afterSeq = page.messages.at(-1)!.seq;
  }
}
