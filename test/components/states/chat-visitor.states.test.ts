/**
 * chat-visitor (the customer widget): its states, in the light and the dark theme
 * (test/helpers/a11y-states.ts), against the real reference server: closed, the pre-chat form and
 * its errors, in the queue, an active chat with messages, a file refused, the connection lost,
 * minimised with the new-message badge, the End chat confirmation, and ended.
 */
import { fixture, html } from '@open-wc/testing';

import '../../../src/components/chat-visitor/chat-visitor.js';
import type { ChatVisitor } from '../../../src/components/chat-visitor/chat-visitor.js';
import type { ChatClient } from '../../../src/state/index.js';
import { auditStates, type Shown } from '../../helpers/a11y-states.js';
import { chatServer, letChatsWaitWithoutAgents, loginAgent, testClient, until } from '../../helpers/chat-server.js';

type Widget = Shown & { el: ChatVisitor };

const q = (el: ChatVisitor, selector: string) => el.shadowRoot!.querySelector<HTMLElement>(selector);
const text = (el: ChatVisitor, selector: string) => (q(el, selector)?.textContent ?? '').replace(/\s+/g, ' ').trim();

function fill(el: ChatVisitor, id: string, value: string): void {
  const input = q(el, `#${id}`) as HTMLInputElement;
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
}

/**
 * The widget, closed. No agent is Present here, so the channels would show the offline form
 * (issue 16's default): the chat states need them to let a chat start and wait, which `undo`
 * (called by `done`) puts back for the files after this one.
 */
async function closed(): Promise<Widget & { server: { url: string }; undo: () => Promise<void> }> {
  const server = await chatServer();
  const undo = await letChatsWaitWithoutAgents(server);
  const el = await fixture<ChatVisitor>(html`<chat-visitor server-url=${server.url} tenant="demo"></chat-visitor>`);
  await until(() => q(el, '[part~="launcher"]') !== null, 'launcher');
  return {
    el,
    server,
    undo,
    done: async () => {
      el.remove();
      await undo();
    },
  };
}

async function form(): Promise<Widget> {
  const s = await closed();
  q(s.el, '[part~="launcher"]')!.click();
  await until(() => s.el.shadowRoot!.querySelectorAll('.topic input[type="radio"]').length === 2, 'form with two topics');
  return s;
}

/** The customer has started a chat (in the queue); `answered` has Erik answer it. */
async function chat(answered: boolean): Promise<Widget & { agent?: ChatClient; sessionId: string }> {
  const s = await closed();
  q(s.el, '[part~="launcher"]')!.click();
  await until(() => q(s.el, '.topic input[value=support]') !== null, 'form');
  q(s.el, '.topic input[value=support]')!.click();
  fill(s.el, 'name', 'Axe Anders');
  fill(s.el, 'first-message', 'My tent has a hole');
  await s.el.updateComplete;
  q(s.el, '[part~="start"]')!.click();
  await until(() => s.el.matches(':state(queued)') || s.el.matches(':state(active)'), 'in the queue');
  const saved = JSON.parse(sessionStorage.getItem(`crm-chat-visitor|${s.server.url}|demo`) ?? '{}') as { sessionId?: string };
  const sessionId = saved.sessionId ?? '';
  const end = async (agent?: ChatClient) => {
    await s.el.client?.end(sessionId).catch(() => undefined);
    agent?.destroy();
    s.el.remove();
    await s.undo();
  };
  if (!answered) return { el: s.el, sessionId, done: () => end() };
  const token = await loginAgent(s.server, 'erik');
  const agent = testClient(s.server, token, { getAccessToken: () => token });
  agent.connect();
  await until(() => agent.$connection.get().status === 'live', 'agent live');
  await until(() => agent.$queued.get().some((x) => x.id === sessionId), 'chat on the board');
  await agent.accept(sessionId);
  await agent.send(sessionId, 'Hello Anders, see https://example.com/repairs or call +46 70 123 45 67.');
  await until(() => s.el.matches(':state(active)') && text(s.el, '.panel').includes('Hello Anders') && q(s.el, '[part~="attach"]') !== null, 'active with the answer');
  return { el: s.el, agent, sessionId, done: () => end(agent) };
}

auditStates('chat-visitor', [
  { name: 'closed: the launcher', setup: closed },
  { name: 'the pre-chat form', shows: ['open'], setup: form },
  {
    name: 'the form with field errors',
    shows: ['open'],
    setup: async () => {
      const s = await form();
      fill(s.el, 'email', 'not-an-address');
      q(s.el, '[part~="start"]')!.click();
      await until(() => q(s.el, '#email-error') !== null, 'e-mail error');
      return s;
    },
  },
  {
    name: 'in the queue with the position',
    shows: ['open', 'queued'],
    setup: async () => {
      const s = await chat(false);
      await until(() => text(s.el, '[part~="status"]').includes('position'), 'queue position');
      return s;
    },
  },
  { name: 'an active chat with messages and links', shows: ['open', 'active'], setup: () => chat(true) },
  {
    name: 'a file refused, with the reason and Dismiss',
    shows: ['open', 'active'],
    setup: async () => {
      const s = await chat(true);
      const input = q(s.el, '#file-input') as HTMLInputElement;
      const data = new DataTransfer();
      data.items.add(new File([new Uint8Array(10 * 1024 * 1024 + 1)], 'manual.pdf', { type: 'application/pdf' }));
      input.files = data.files;
      input.dispatchEvent(new Event('change', { bubbles: true }));
      await until(() => q(s.el, '[part~="upload-refused"]') !== null, 'refused');
      return s;
    },
  },
  {
    name: 'the connection lost (browser offline)',
    shows: ['open', 'active'],
    setup: async () => {
      const s = await chat(true);
      window.dispatchEvent(new Event('offline'));
      await until(() => q(s.el, '[part~="connection"]') !== null, 'banner');
      return { el: s.el, done: () => { window.dispatchEvent(new Event('online')); return s.done?.(); } };
    },
  },
  {
    name: 'minimised with the new-message badge',
    shows: ['active'],
    setup: async () => {
      const s = await chat(true);
      q(s.el, '[part~="launcher"]')!.click();
      await until(() => !s.el.open, 'minimised');
      await s.agent!.send(s.sessionId, 'Are you still there?');
      await until(() => q(s.el, '[part~="badge"]') !== null, 'badge');
      return s;
    },
  },
  {
    name: 'the End chat confirmation',
    shows: ['open', 'active'],
    setup: async () => {
      const s = await chat(true);
      q(s.el, '[part~="end"]')!.click();
      await until(() => q(s.el, '[part~="confirm"]') !== null, 'confirmation');
      return s;
    },
  },
  {
    name: 'ended, with New chat',
    shows: ['open', 'ended'],
    setup: async () => {
      const s = await chat(true);
      await s.agent!.end(s.sessionId);
      await until(() => s.el.matches(':state(ended)'), 'ended');
      return s;
    },
  },
]);
