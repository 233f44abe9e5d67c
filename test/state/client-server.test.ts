/**
 * The client core against the real reference server (a separate process started by the test
 * runner): live connection, restart and resume, the IndexedDB outbox across a real page
 * reload, and a lost ack.
 */
import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import sinon from 'sinon';

import type { ChatClient } from '../../src/state/index.js';
import type { ServerInfo } from '../helpers/chat-server.js';
import { chatServer, loginAgent, trackClients, restartChatServer, startChat, testClient, ticketsFor, until } from '../helpers/chat-server.js';
import { runningClock } from '../helpers/clock.js';

describe('chat client against the real server', function () {
  this.timeout(30_000);
  let server: ServerInfo;
  const { track, ends } = trackClients();

  before(async () => {
    server = await chatServer();
  });


  /** An agent (erik) who has answered a fresh support chat, and the customer of that chat. */
  async function conversation(name: string) {
    const agent = track(testClient(server, await loginAgent(server, 'erik')));
    agent.connect();
    await until(() => agent.$connection.get().status === 'live', 'agent live');
    const chat = await startChat(server, 'support', name);
    const customer = track(testClient(server, chat.token, { outboxKey: `customer:${chat.sessionId}` }));
    customer.connect();
    await until(() => customer.$connection.get().status === 'live', 'customer live');
    await until(() => agent.$queued.get().some((s) => s.id === chat.sessionId), 'chat queued on the board');
    await agent.accept(chat.sessionId);
    ends.push(() => agent.end(chat.sessionId));
    agent.openSession(chat.sessionId);
    await until(() => agent.$messages.get()[chat.sessionId]?.ready === true, 'agent has the conversation');
    return { agent, customer, sessionId: chat.sessionId, customerToken: chat.token };
  }

  const texts = (c: ChatClient, id: string) => c.$messages.get()[id]?.items.filter((m) => m.kind === 'text').map((m) => m.text) ?? [];

  it('goes live with the board snapshot and sees its own presence', async () => {
    const agent = track(testClient(server, await loginAgent(server, 'sofia')));
    agent.connect();
    await until(() => agent.$connection.get().status === 'live', 'live');
    expect(agent.$me.get()?.kind).to.equal('agent');
    expect(agent.$channels.get().map((c) => c.name)).to.include.members(['Sales', 'Support']);
    expect(agent.$agents.get().sofia?.online).to.equal(true);
  });

  it('reconnects after a server restart and resumes without losing or doubling messages', async () => {
    const { agent, customer, sessionId } = await conversation('Restart Rita');
    await agent.send(sessionId, 'before restart');
    await until(() => texts(customer, sessionId).includes('before restart'), 'customer got the first message');

    const restarted = restartChatServer(400);
    await until(() => agent.$connection.get().status !== 'live', 'agent noticed the restart');
    // Written while the server is down: kept in the outbox, sent after the resume.
    await customer.send(sessionId, 'written while down');
    expect(customer.$outbox.get().map((i) => i.text)).to.deep.equal(['written while down']);
    await restarted;

    await until(() => agent.$connection.get().status === 'live' && customer.$connection.get().status === 'live', 'both live again').catch((e: unknown) => {
      throw new Error(`${String(e)} agent=${JSON.stringify(agent.$connection.get())} customer=${JSON.stringify(customer.$connection.get())}`);
    });
    await until(() => texts(agent, sessionId).includes('written while down'), 'agent got the message written while down');
    await agent.send(sessionId, 'after restart');
    await until(() => texts(customer, sessionId).includes('after restart'), 'customer got the message after the restart');
    expect(texts(agent, sessionId)).to.deep.equal(['before restart', 'written while down', 'after restart']);
    expect(texts(customer, sessionId)).to.deep.equal(['before restart', 'written while down', 'after restart']);
    const seqs = agent.$messages.get()[sessionId]?.items.map((m) => m.seq) ?? [];
    expect(seqs).to.deep.equal([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).to.equal(seqs.length);
    expect(customer.$outbox.get()).to.have.length(0);
  });

  it('while the server is down, waits at most 4 s between attempts (jittered), and tries at once on online and focus', async () => {
    // The default timing (no test overrides): the backoff grows, but never past 4 s while visible.
    const agent = track(testClient(server, await loginAgent(server, 'erik'), { socket: {} }));
    agent.connect();
    await until(() => agent.$connection.get().status === 'live', 'agent live');
    const state = () => agent.$connection.get();
    /** Polls each frame (not with timers: these are fake and move only when the test says). */
    const when = async (check: () => boolean, what: string) => {
      const deadline = performance.now() + 15_000;
      while (!check()) {
        if (performance.now() > deadline) throw new Error(`timed out waiting for: ${what} (${JSON.stringify(state())})`);
        await new Promise(requestAnimationFrame);
        // Timers due now run (a connect "at once" is one: fake timers make a 0 ms timer set
        // inside a tick 1 ms); the clock moves 1 ms a frame, far less than any backoff wait.
        await clock.tickAsync(1);
      }
    };
    const waiting = () => state().status === 'reconnecting' && state().retryAt !== undefined;
    const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    let down = false;
    try {
      await executeServerCommand('chat-server-stop');
      down = true;
      const waits: number[] = [];
      let attempt = state().attempt;
      for (let i = 0; i < 8; i++) {
        await when(waiting, `retry ${String(i)} scheduled`);
        const wait = (state().retryAt ?? 0) - Date.now();
        waits.push(wait);
        await clock.tickAsync(wait);
        await when(() => state().attempt > attempt, `attempt ${String(i + 1)} made`);
        attempt = state().attempt;
      }
      expect(Math.max(...waits), `waits ${waits.join(', ')}`).to.be.at.most(4000);
      expect(new Set(waits).size, `jittered: ${waits.join(', ')}`).to.be.greaterThan(4);
      // Online again: the next attempt starts now, not when the pending wait ends.
      await when(waiting, 'waiting to retry');
      window.dispatchEvent(new Event('online'));
      await when(() => state().attempt > attempt, 'attempt on online');
      attempt = state().attempt;
      await when(waiting, 'that attempt failed too');
      // The server is back and the tab gets focus: connected without waiting out the backoff.
      await executeServerCommand('chat-server-start');
      down = false;
      window.dispatchEvent(new Event('focus'));
      await when(() => state().status === 'live', 'live again on focus');
    } finally {
      clock.restore();
      if (down) await executeServerCommand('chat-server-start');
    }
  });

  /** Loads the outbox fixture page in an iframe and follows what it reports. */
  function fixturePage(params: Record<string, string>) {
    const frame = document.createElement('iframe');
    frame.title = 'outbox fixture';
    const state = {
      outbox: [] as { cmid: string; state: string; text: string }[],
      stream: [] as string[],
      status: '',
      errors: [] as string[],
      mine: [] as string[],
      rows: { ids: [] as string[], empty: false },
    };
    const onMessage = (e: MessageEvent) => {
      if (e.source !== frame.contentWindow) return;
      const data = e.data as { type: string; items?: typeof state.outbox; texts?: string[]; status?: string; message?: string; ids?: string[]; empty?: boolean };
      if (data.type === 'mine' && data.ids) state.mine = data.ids;
      if (data.type === 'rows' && data.ids) state.rows = { ids: data.ids, empty: data.empty === true };
      if (data.type === 'outbox' && data.items) state.outbox = data.items;
      if (data.type === 'stream' && data.texts) state.stream = data.texts;
      if (data.type === 'connection' && data.status) state.status = data.status;
      if (data.type === 'send-error') state.errors.push(data.message ?? '');
    };
    window.addEventListener('message', onMessage);
    const load = (p: Record<string, string>) => {
      state.outbox = [];
      state.stream = [];
      state.status = '';
      state.mine = [];
      state.rows = { ids: [], empty: false };
      frame.src = `/test/fixtures/outbox-page.html?${new URLSearchParams(p).toString()}`;
    };
    document.body.append(frame);
    load(params);
    return {
      state,
      reload: (p: Record<string, string>) => {
        load(p);
      },
      /** Asks the page's session list for its rows (answered as `state.rows`). */
      askRows: () => {
        frame.contentWindow?.postMessage('rows?', '*');
      },
      remove: () => {
        window.removeEventListener('message', onMessage);
        frame.remove();
      },
    };
  }

  it('agent console: a message written after a reload while offline is kept (IndexedDB) and sent exactly once when the server is back', async () => {
    const { customer, sessionId } = await conversation('Offline Olga');
    // erik's console in a page of its own, with the real IndexedDB outbox; it has been live once.
    const base = { url: server.url, token: await loginAgent(server, 'erik'), session: sessionId, agent: '1' };
    const page = fixturePage(base);
    let down = false;
    try {
      await until(() => page.state.status === 'live', 'console live');
      await executeServerCommand('chat-server-stop');
      down = true;
      await until(() => page.state.status !== '' && page.state.status !== 'live', 'console lost the connection');
      // Reloaded while the server is down, the agent writes: no welcome yet, still kept for erik.
      page.reload({ ...base, now: 'written offline' });
      await until(() => page.state.outbox.some((i) => i.text === 'written offline') || page.state.errors.length > 0, 'kept in the outbox');
      expect(page.state.errors).to.deep.equal([]);
      // Another reload, still offline: it is still there.
      page.reload(base);
      await until(() => page.state.outbox.some((i) => i.text === 'written offline'), 'restored from IndexedDB after a reload');
      await executeServerCommand('chat-server-start');
      down = false;
      await until(() => page.state.status === 'live' && page.state.outbox.length === 0, 'sent once the server is back');
      await until(() => texts(customer, sessionId).includes('written offline'), 'the customer got it');
      await customer.send(sessionId, 'marker');
      await until(() => texts(customer, sessionId).includes('marker'), 'marker');
      expect(texts(customer, sessionId).filter((t) => t === 'written offline')).to.have.length(1);
    } finally {
      page.remove();
      if (down) await executeServerCommand('chat-server-start');
    }
  });

  it('agent console: a reload while offline shows the chats kept on the device (IndexedDB), then the server board replaces them', async () => {
    const { sessionId } = await conversation('Board Bodil');
    const base = { url: server.url, token: await loginAgent(server, 'erik'), session: sessionId, agent: '1', list: '1' };
    const page = fixturePage(base);
    let down = false;
    const rowsShow = (want: (rows: { ids: string[]; empty: boolean }) => boolean) => () => {
      page.askRows();
      return want(page.state.rows);
    };
    try {
      await until(() => page.state.status === 'live' && page.state.mine.includes(sessionId), 'console live with the chat');
      await until(rowsShow((r) => r.ids.includes(sessionId)), 'the chat in the list');
      await executeServerCommand('chat-server-stop');
      down = true;
      await until(() => page.state.status !== '' && page.state.status !== 'live', 'console lost the connection');
      page.reload(base);
      await until(() => page.state.status !== '', 'reloaded page started');
      await until(() => page.state.mine.includes(sessionId), 'the chat restored from IndexedDB while offline');
      expect(page.state.status).to.not.equal('live');
      await until(rowsShow((r) => r.ids.includes(sessionId) && !r.empty), 'the list shows it, not "You have no ongoing chats."');
      await executeServerCommand('chat-server-start');
      down = false;
      await until(() => page.state.status === 'live', 'live again');
      expect(page.state.mine).to.include(sessionId);
    } finally {
      page.remove();
      if (down) await executeServerCommand('chat-server-start');
    }
  });

  it('keeps an unsent message in IndexedDB across a page reload and stores it once', async () => {
    const { agent, sessionId, customerToken } = await conversation('Reload Rosa');
    const base = { url: server.url, token: customerToken, session: sessionId };
    const page = fixturePage({ ...base, mode: 'hold', text: 'survives the reload' });
    try {
      await until(() => page.state.outbox.some((i) => i.text === 'survives the reload'), 'message in the outbox');
      // The send frame never reached the server; reload the page as a user would.
      page.reload({ ...base, mode: 'normal' });
      await until(() => page.state.status === 'live', 'reloaded page live');
      await until(() => texts(agent, sessionId).includes('survives the reload'), 'agent received it after the reload');
      await until(() => page.state.outbox.length === 0 && page.state.stream.includes('survives the reload'), 'outbox emptied');
      expect(texts(agent, sessionId).filter((t) => t === 'survives the reload')).to.have.length(1);
    } finally {
      page.remove();
    }
  });

  it('does not store a message twice when its ack was lost and the page reloaded', async () => {
    const { agent, sessionId, customerToken } = await conversation('Lost Ack Linn');
    const base = { url: server.url, token: customerToken, session: sessionId };
    const page = fixturePage({ ...base, mode: 'drop-ack', text: 'ack gets lost' });
    try {
      // The server commits it (the agent sees it) but the page never hears back.
      await until(() => texts(agent, sessionId).includes('ack gets lost'), 'server committed the message');
      expect(page.state.outbox.map((i) => i.text)).to.deep.equal(['ack gets lost']);
      page.reload({ ...base, mode: 'normal' });
      await until(() => page.state.status === 'live' && page.state.outbox.length === 0, 'resent and confirmed after reload');
      expect(page.state.stream.filter((t) => t === 'ack gets lost')).to.have.length(1);
      // Give a duplicate every chance to show up on the agent's side before counting.
      await agent.send(sessionId, 'marker');
      await until(() => texts(agent, sessionId).includes('marker'), 'marker arrived');
      expect(texts(agent, sessionId).filter((t) => t === 'ack gets lost')).to.have.length(1);
    } finally {
      page.remove();
    }
  });

  it('resends after a lost ack on a live socket without creating a duplicate', async () => {
    // The agent's socket loses one ack: the server committed the message, then the connection
    // dropped before the ack arrived. The outbox resends with the same cmid after the resume.
    const NativeWS = window.WebSocket;
    let dropping = false;
    let dropped = 0;
    class AckLosingSocket extends NativeWS {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        super.addEventListener('message', (e: MessageEvent) => {
          if (dropping && typeof e.data === 'string' && e.data.includes('"t":"ack"')) {
            dropped += 1;
            dropping = false;
            e.stopImmediatePropagation();
            this.close(4000, 'simulated drop after commit');
          }
        });
      }
    }
    const token = await loginAgent(server, 'anna');
    const supervisor = track(testClient(server, token, { WebSocket: AckLosingSocket, getToken: ticketsFor(server, token) }));
    supervisor.connect();
    await until(() => supervisor.$connection.get().status === 'live', 'supervisor live');
    const chat = await startChat(server, 'sales', 'Ack Alva');
    await until(() => supervisor.$queued.get().some((s) => s.id === chat.sessionId), 'queued');
    await supervisor.accept(chat.sessionId);
    ends.push(() => supervisor.end(chat.sessionId));
    supervisor.openSession(chat.sessionId);
    await until(() => supervisor.$messages.get()[chat.sessionId]?.ready === true, 'conversation ready');
    dropping = true;
    await supervisor.send(chat.sessionId, 'exactly once');
    await until(() => dropped === 1, 'ack dropped');
    await until(() => supervisor.$connection.get().status === 'live' && supervisor.$outbox.get().length === 0, 'resumed and confirmed');
    expect(texts(supervisor, chat.sessionId).filter((t) => t === 'exactly once')).to.have.length(1);
  });

  it('asks the host to sign in again when tickets are refused twice in a row', async () => {
    let calls = 0;
    const client = track(
      testClient(server, 'unused', {
        getToken: () => {
          calls += 1;
          return Promise.resolve('t.forged.ticket');
        },
      }),
    );
    const clock = runningClock();
    try {
      client.connect();
      await until(() => client.$connection.get().status === 'auth-required', 'auth-required');
      expect(calls).to.equal(2);
      // Every timer of the next minute run (the longest back-off included).
      await clock.tickAsync(60_000);
    } finally {
      clock.restore();
    }
    expect(calls, 'no further attempts').to.equal(2);
  });

  it('stops at once when the ticket provider reports refused credentials', async () => {
    let calls = 0;
    const client = track(
      testClient(server, 'unused', {
        getToken: () => {
          calls += 1;
          return Promise.reject(Object.assign(new Error('HTTP 401'), { status: 401 }));
        },
      }),
    );
    const clock = runningClock();
    try {
      client.connect();
      await until(() => client.$connection.get().status === 'auth-required', 'auth-required');
      await clock.tickAsync(60_000);
    } finally {
      clock.restore();
    }
    expect(calls).to.equal(1);
  });

  it('keeps retrying with backoff while the ticket endpoint is unreachable, then recovers', async () => {
    const token = await loginAgent(server, 'sofia');
    const real = ticketsFor(server, token);
    let down = true;
    const calls: number[] = [];
    const client = track(
      testClient(server, token, {
        getToken: () => {
          calls.push(performance.now());
          return down ? Promise.reject(new TypeError('Failed to fetch')) : real();
        },
      }),
    );
    client.connect();
    await until(() => calls.length >= 4, 'several attempts');
    expect(client.$connection.get().status).to.be.oneOf(['connecting', 'reconnecting']);
    const gaps = calls.slice(1).map((t, i) => t - (calls[i] ?? 0));
    expect(gaps.at(-1) ?? 0, `later attempts wait longer: ${gaps.join(', ')}`).to.be.greaterThan(gaps[0] ?? 0);
    down = false;
    await until(() => client.$connection.get().status === 'live', 'live once the endpoint is back');
  });

  it('transfers a chat: the receiver accepts, the sender keeps a read-only transcript, the customer sees the new agent', async () => {
    const { agent: erik, customer, sessionId } = await conversation('Transfer Tove');
    const sofia = track(testClient(server, await loginAgent(server, 'sofia')));
    sofia.connect();
    await until(() => sofia.$connection.get().status === 'live', 'sofia live');
    await erik.send(sessionId, 'Let me hand you to Sofia');
    const offer = await erik.transfer(sessionId, { agentId: 'sofia' }, 'Needs support');
    expect(offer.expiresAt).to.be.a('number');
    await until(() => sofia.$incomingTransfers.get().some((s) => s.id === sessionId), 'offer on sofia\'s board');
    expect(sofia.$sessions.get()[sessionId]?.transfer?.note).to.equal('Needs support');
    sofia.openSession(sessionId);
    await until(() => sofia.$messages.get()[sessionId]?.ready === true, 'sofia reads the chat before answering');
    await sofia.answerTransfer(sessionId, true);
    ends.push(() => sofia.end(sessionId));
    await until(() => erik.$sessions.get()[sessionId]?.agentId === 'sofia', 'erik sees the new handler');
    await until(() => customer.$visitor.get()?.agentName === 'Sofia Berg', 'the customer sees sofia join');
    await sofia.send(sessionId, 'Hi, Sofia here');
    await until(() => texts(erik, sessionId).includes('Hi, Sofia here'), 'erik still reads along');
    expect(erik.$mine.get().some((s) => s.id === sessionId)).to.equal(false);
    expect(erik.$messages.get()[sessionId]?.items.some((m) => m.event === 'transferred' && m.internal === true)).to.equal(true);
    expect(customer.$messages.get()[sessionId]?.items.some((m) => m.internal === true || m.event === 'transferred')).to.equal(false);
  });

  it('maps the customer\'s read position into agent numbering (customerReadSeq)', async () => {
    const { agent, customer, sessionId } = await conversation('Seen Sigrid');
    await agent.send(sessionId, 'a private note', 'note');
    await agent.send(sessionId, 'Did you see this?');
    await until(() => texts(customer, sessionId).includes('Did you see this?'), 'the customer has it');
    customer.markRead(sessionId);
    const agentSeq = () => agent.$messages.get()[sessionId]?.items.find((m) => m.text === 'Did you see this?')?.seq;
    await until(() => agentSeq() !== undefined && agent.$sessions.get()[sessionId]?.customerReadSeq === agentSeq(), 'seen, in agent numbering');
    const customerSeq = customer.$messages.get()[sessionId]?.items.find((m) => m.text === 'Did you see this?')?.seq;
    expect(customerSeq).to.not.equal(agentSeq());
  });

  it('purges pending messages on logout', async () => {
    const { customer, sessionId } = await conversation('Logout Lo');
    customer.disconnect();
    await customer.send(sessionId, 'never sent');
    expect(customer.$outbox.get()).to.have.length(1);
    await customer.logout();
    expect(customer.$outbox.get()).to.have.length(0);
    expect(customer.$messages.get()).to.deep.equal({});
  });
});
