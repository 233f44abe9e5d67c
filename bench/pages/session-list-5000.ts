/**
 * chat-session-list with 5,000 sessions from a real client over the scripted socket, then
 * 200 board updates a second for 5 seconds (session upserts that change lastActivityAt, unread
 * and lastMessage, so rows jump to the top of their group).
 *
 * Metrics: initial render (element attached → virtualized rows on screen), DOM rows and nodes
 * while 5,000 rows are listed, updates applied, the longest task and frame gap while updating,
 * and whether the rows really show the updates: at the first frame after each second of updates,
 * the rows of the 8 most recently updated ongoing chats (the top of the Ongoing group) are read
 * from the DOM, and each must be there and show that chat's latest message (`rowsShowingLatest`
 * of `rowsChecked`).
 * The harness adds the long tasks of the whole page, setup included, so the 5,000 setup events go
 * two per task (as they did when the client copied its whole session map on every board event;
 * kept so that figures compare with earlier runs).
 *
 *   node bench/browser.bench.mjs session-list 5
 */
import { ChatSessionList } from '../../src/components/chat-session-list/chat-session-list.component.js';
import type { SessionSummary } from '../../src/protocol/index.js';
import { PROTOCOL_VERSION } from '../../src/protocol/index.js';
import { createChatClient, memoryOutboxStorage } from '../../src/state/index.js';
import { AGENT_ME, FakeServer } from '../../test/helpers/fake-server.js';
import type { FakeSocket } from '../../test/helpers/fake-server.js';

// Registered here rather than by importing chat-session-list.js: package.json's `sideEffects`
// names dist/ only, so esbuild would drop a bare side-effect import of the source file.
ChatSessionList.define('chat-session-list');

const SESSIONS = 5000;
const UPDATES_PER_SECOND = 200;
const UPDATE_SECONDS = 5;
const SETUP_CHUNK = 2;

const frame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));
/** A new task without the ≥ 4 ms clamp of nested timers. */
const channel = new MessageChannel();
const queued: (() => void)[] = [];
channel.port1.onmessage = () => queued.shift()?.();
const postTask = (fn: () => void) => {
  queued.push(fn);
  channel.port2.postMessage(null);
};
const task = () =>
  new Promise<void>((resolve) => {
    postTask(resolve);
  });
async function until(check: () => boolean): Promise<void> {
  while (!check()) await frame();
}

const now = Date.now();
const me = AGENT_ME;

/** 5 transfers waiting, 2,995 ongoing chats, 2,000 completed ones: 5,000 rows in my list. */
function makeSession(i: number): SessionSummary {
  const id = `s${String(i).padStart(5, '0')}`;
  const at = now - i * 7_000;
  const base: SessionSummary = {
    id,
    channelId: i % 3 === 0 ? 'sales' : 'support',
    status: 'active',
    customer: { name: `Customer ${String(i)}`, email: `customer${String(i)}@example.com` },
    agentId: me.id,
    agentName: me.name,
    createdAt: at - 60_000,
    acceptedAt: at - 50_000,
    lastActivityAt: at,
    lastMessage: { from: i % 2 === 0 ? 'customer' : 'agent', text: `Message number ${String(i)} about order ${String(10_000 + i)}`, at },
    unread: i % 5,
    seq: 10,
  };
  if (i < 5) {
    return {
      ...base,
      agentId: 'erik',
      agentName: 'Erik Johansson',
      transfer: { fromAgentId: 'erik', fromAgentName: 'Erik Johansson', toAgentId: me.id, toAgentName: me.name, at, expiresAt: at + 120_000 },
    };
  }
  if (i >= 3000) return { ...base, status: 'ended', endedAt: at };
  return base;
}

const sessions = Array.from({ length: SESSIONS }, (_, i) => makeSession(i));

const fake = new FakeServer();
let boardSeq = 0;
fake.onFrame = (socket: FakeSocket, f) => {
  if (f.t === 'hello') {
    socket.push({ t: 'welcome', v: PROTOCOL_VERSION, connId: 'c1', serverTime: Date.now(), me, resume: [{ stream: 'board', status: 'reset', epoch: 'B1' }] });
    // A 5,000-session snapshot would exceed the 64 KiB frame cap: the board starts empty and
    // the sessions arrive as board events (like a replay).
    socket.push({
      t: 'reset',
      stream: 'board',
      epoch: 'B1',
      reason: 'initial',
      snapshot: { epoch: 'B1', seq: 0, serverTime: Date.now(), sessions: [], agents: [], channels: [{ id: 'sales', name: 'Sales' }, { id: 'support', name: 'Support' }] },
    });
  } else if (f.t === 'ping') {
    socket.push({ t: 'pong', n: f.n });
  } else if (typeof f.rid === 'string') {
    socket.push({ t: 'ok', rid: f.rid });
  }
};
const upsert = (s: SessionSummary) => {
  boardSeq += 1;
  fake.last.push({ t: 'event', stream: 'board', epoch: 'B1', seq: boardSeq, prev: boardSeq - 1, kind: 'session', data: s });
};

const client = createChatClient({
  url: 'http://bench.test',
  tenant: 'demo',
  getToken: () => Promise.resolve('ticket'),
  WebSocket: fake.WebSocket,
  storage: memoryOutboxStorage(),
  outboxKey: `agent:${me.id}`,
  autoConnect: false,
});
client.connect();
await until(() => client.$connection.get().status === 'live');
for (let i = 0; i < SESSIONS; i += SETUP_CHUNK) {
  for (const s of sessions.slice(i, i + SETUP_CHUNK)) upsert(s);
  await task();
}
await until(() => client.$session(sessions[SESSIONS - 1]?.id ?? '').get() !== undefined);
await frame();

// ---- initial render ------------------------------------------------------------------------
const el = new ChatSessionList();
el.style.height = '800px';
el.style.width = '380px';
el.client = client;
performance.mark('bench:attach');
const t0 = performance.now();
document.body.append(el);
const root = el.shadowRoot;
if (!root) throw new Error('no shadow root');
await el.updateComplete;
await until(() => root.querySelector('.group--ongoing .rows--virtual [role=option]') !== null && root.querySelectorAll('[role=option]').length > 10);
await frame();
const initialRenderMs = performance.now() - t0;
const domRows = root.querySelectorAll('[role=option]').length;
const domNodes = root.querySelectorAll('*').length;

// ---- 200 upserts a second for 5 seconds -----------------------------------------------------
const tasks: number[] = [];
const observer = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) tasks.push(e.duration);
});
try {
  observer.observe({ type: 'longtask' });
} catch {
  // no long task support: the harness reports none either
}
const gaps: number[] = [];
const state = { running: true };
void (async () => {
  let last = await frame();
  while (state.running) {
    const t = await frame();
    gaps.push(t - last);
    last = t;
  }
})();
const total = UPDATES_PER_SECOND * UPDATE_SECONDS;
const interval = 1000 / UPDATES_PER_SECOND;
let sent = 0;
/** The number of the latest update sent for each session, and the ongoing chats in the order last updated. */
const latest = new Map<string, number>();
const ongoingOrder: string[] = [];
const SAMPLE = 8;
const proof = { checked: 0, showing: 0, missing: 0 };
const updateNumber = (text: string) => Number(/Update (\d+):/.exec(text)?.[1] ?? -1);
/**
 * After a second of updates: the 8 most recently updated ongoing chats (the top of the Ongoing
 * group) as of the next frame, and once the frame after that has been rendered, their rows read
 * from the DOM: each must be there and show that update or a later one (the list renders the
 * updates of a frame by the next).
 */
const checkRows = () => {
  requestAnimationFrame(() => {
    const sample: [string, number][] = [];
    for (let k = ongoingOrder.length - 1; k >= 0 && sample.length < SAMPLE; k--) {
      const id = ongoingOrder[k] ?? '';
      if (!sample.some(([s]) => s === id)) sample.push([id, latest.get(id) ?? 0]);
    }
    requestAnimationFrame(() => {
      postTask(() => {
        for (const [id, expected] of sample) {
          proof.checked += 1;
          const row = root.querySelector(`[role=option][data-id="${id}"]`);
          if (!row) proof.missing += 1;
          else if (updateNumber(row.textContent) >= expected) proof.showing += 1;
        }
      });
    });
  });
};
performance.mark('bench:updates');
console.profile('updates');
const start = performance.now();
// One upsert per task, like socket messages: each one is due at start + n × 5 ms; when the page
// falls behind, the next one follows at once (still in a task of its own).
await new Promise<void>((resolve) => {
  const next = () => {
    sent += 1;
    const current = client.$session(sessions[(sent * 7919) % SESSIONS]?.id ?? '').get();
    if (current) {
      const at = Date.now();
      const from = sent % 3 === 0 ? 'agent' : 'customer';
      const text = `Update ${String(sent)}: where is my parcel?`;
      latest.set(current.id, sent);
      if (current.status === 'active' && !current.transfer) ongoingOrder.push(current.id);
      upsert({
        ...current,
        lastActivityAt: at,
        unread: from === 'customer' ? current.unread + 1 : 0,
        lastMessage: { from, text, at },
      });
    }
    if (sent % UPDATES_PER_SECOND === 0) checkRows();
    if (sent >= total) {
      resolve();
      return;
    }
    const wait = start + sent * interval - performance.now();
    if (wait > 1) setTimeout(next, wait);
    else postTask(next);
  };
  next();
});
// The last check of the rows needs two more frames and a task.
await frame();
await frame();
await frame();
await task();
state.running = false;
console.profileEnd('updates');
performance.mark('bench:updates-end');
// Applied: the client's state of every updated session holds the last message sent for it.
let current = 0;
for (const [id, n] of latest) if (updateNumber(client.$session(id).get()?.lastMessage?.text ?? '') === n) current += 1;
observer.disconnect();
const updateSeconds = (performance.now() - start) / 1000;
const sorted = [...gaps].sort((a, b) => a - b);

(window as unknown as { __bench: unknown }).__bench = {
  metrics: {
    initialRenderMs: Math.round(initialRenderMs * 10) / 10,
    domRows,
    domNodes,
    domRowsAfterUpdates: root.querySelectorAll('[role=option]').length,
    updatesSent: sent,
    sessionsUpdated: latest.size,
    sessionsCurrent: current,
    rowsChecked: proof.checked,
    rowsShowingLatest: proof.showing,
    rowsMissing: proof.missing,
    updatesPerSecond: Math.round(sent / updateSeconds),
    maxLongTaskDuringUpdatesMs: Math.round(Math.max(0, ...tasks)),
    longTasksDuringUpdates: tasks.length,
    frameGapP95Ms: Math.round((sorted[Math.floor(sorted.length * 0.95)] ?? 0) * 10) / 10,
    frameGapMaxMs: Math.round(Math.max(0, ...gaps) * 10) / 10,
  },
  notes: { sessions: SESSIONS, groups: '5 transfers, 2,995 ongoing, 2,000 completed', updates: `${String(UPDATES_PER_SECOND)}/s for ${String(UPDATE_SECONDS)} s`, viewport: '380×800 list' },
};
