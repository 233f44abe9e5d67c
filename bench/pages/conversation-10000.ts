/**
 * Opening a conversation of 10,000 messages.
 *
 * A real client over the scripted socket (test/helpers/fake-server.ts) follows one session whose
 * 10,000 messages are all in its store (the snapshot's last 50, then every older page, as scrolling
 * up would load them; frames stay under the 64 KiB cap). Measured: from setting `session-id` on a
 * fresh, connected chat-conversation to the newest message being in the DOM (looked for after
 * every task and at the start of every frame) and to the end of the first frame that contains it
 * ("painted": a task posted from that frame's animation frame callback; see ../frame-timing.ts),
 * and how many message nodes the virtualized list keeps in the DOM. Targets: ≤ 50 ms to painted,
 * ≤ 500 message nodes.
 */
import { ChatConversation } from '../../src/components/chat-conversation/chat-conversation.component.js';
import type { ChatMessage } from '../../src/protocol/index.js';
import { createChatClient, memoryOutboxStorage } from '../../src/state/index.js';
import { fixtureServer, NOW, session } from '../../test/helpers/fixture-server.js';
import { formatTime } from '../../src/i18n/common.js';
import { warmLinkify } from '../../src/internal/linkify.js';
import { nextFrame, nextTask, whenShown } from '../frame-timing.js';

const COUNT = 10_000;

const messages: ChatMessage[] = Array.from({ length: COUNT }, (_, i) => {
  const seq = i + 1;
  const agent = seq % 3 === 0;
  return {
    id: `m${String(seq)}`,
    sessionId: 's1',
    seq,
    author: agent ? { kind: 'agent', id: 'ann', name: 'Ann Agent' } : { kind: 'customer', name: 'Kim' },
    kind: 'text',
    text: seq % 7 === 0 ? `Message ${String(seq)}: a longer one that wraps onto a second line in the transcript, see https://shop.example/o/${String(seq)}` : `Message ${String(seq)}`,
    at: NOW - (COUNT - i) * 30_000,
  };
});

// The element tests' scripted server: the board with the one chat, its snapshot (last 50), history pages.
const fake = fixtureServer({
  sessions: [session({ id: 's1', customer: { name: 'Kim' }, createdAt: NOW - 3_600_000, lastActivityAt: NOW, seq: COUNT })],
  messages: { s1: messages },
  channels: [{ id: 'support', name: 'Support' }],
});

const client = createChatClient({
  url: 'http://chat.test',
  tenant: 'demo',
  getToken: () => Promise.resolve('ticket'),
  WebSocket: fake.WebSocket,
  storage: memoryOutboxStorage(),
  outboxKey: 'agent:ann',
  autoConnect: false,
  now: () => NOW,
});

// Registered here: the bundler drops a bare side-effect import of src/ (package.json "sideEffects").
ChatConversation.define('chat-conversation');

async function run() {
  client.connect();
  while (client.$connection.get().status !== 'live') await nextTask();
  client.openSession('s1');
  while (client.$messages.get().s1?.ready !== true) await nextTask();
  while (client.$messages.get().s1?.hasMore === true) await client.loadOlder('s1');
  if (client.$messages.get().s1?.items.length !== COUNT) throw new Error('the store does not hold every message');

  // A console has shown times before a chat is opened (the session list): its time formatter
  // exists by then, so it is made here too, outside the measurement.
  formatTime(NOW);

  const el = document.createElement('chat-conversation');
  el.style.cssText = 'display:block;height:720px;width:900px';
  el.client = client;
  document.body.append(el);
  await el.updateComplete;
  // The list compiles linkify-it's patterns in idle time once it is in the page: a chat opened
  // later (as here) finds them ready.
  await warmLinkify();
  await nextFrame();
  await nextFrame();
  // Open from a task of its own, as a click in the session list would (not from inside a frame).
  await nextTask();

  // Long tasks of the setup (paging 10,000 messages in) do not count: only the opening does.
  (window as unknown as { __longTasks: number[] }).__longTasks.length = 0;
  const lastRow = () => el.shadowRoot?.querySelector('chat-message-list')?.shadowRoot?.querySelector(`[data-key="m:m${String(COUNT)}"]`) ?? null;
  performance.mark('open');
  // Recorded with BENCH_PROFILE=1 (see bench/browser.bench.mjs); a no-op otherwise.
  console.profile('open');
  const start = performance.now();
  el.sessionId = 's1';
  // Looked for after every task and at the start of every frame (see ../frame-timing.ts).
  const shown = await whenShown(lastRow);
  const inDom = shown.inDom - start;
  const painted = shown.painted - start;
  performance.mark('newest-painted');
  console.profileEnd('open');

  const listRoot = el.shadowRoot?.querySelector('chat-message-list')?.shadowRoot;
  const messageNodes = listRoot?.querySelectorAll('[role=listitem]').length ?? 0;
  const listNodes = listRoot?.querySelectorAll('*').length ?? 0;
  const box = lastRow()?.getBoundingClientRect();
  const view = listRoot?.querySelector('[part~=messages]')?.getBoundingClientRect();
  (window as unknown as { __bench: unknown }).__bench = {
    metrics: { openToLastMessagePaintedMs: painted, openToLastMessageInDomMs: inDom, messageNodes, listElementNodes: listNodes },
    notes: {
      messages: COUNT,
      newestVisible: box !== undefined && view !== undefined && box.bottom <= view.bottom + 1 && box.top >= view.top - 1,
      target: '≤ 50 ms to painted, ≤ 500 message nodes',
    },
  };
}

void run();
