/** chat-connection-status: its states, in the light and the dark theme (test/helpers/a11y-states.ts). */
import { fixture, html } from '@open-wc/testing';

import '../../../src/components/chat-connection-status/chat-connection-status.js';
import type { ChatConnectionStatus } from '../../../src/components/chat-connection-status/chat-connection-status.js';
import { createChatClient, memoryOutboxStorage } from '../../../src/state/index.js';
import { auditStates } from '../../helpers/a11y-states.js';
import { until } from '../../helpers/chat-server.js';
import { fixtureClient, fixtureServer } from '../../helpers/fixture-client.js';

const shown = (el: ChatConnectionStatus) => el.shadowRoot!.querySelector('[part=base]')?.textContent ?? '';

auditStates('chat-connection-status', [
  {
    name: 'live: the banner is hidden',
    shows: ['live'],
    setup: async () => {
      const { client } = await fixtureClient();
      const el = await fixture<ChatConnectionStatus>(html`<chat-connection-status .client=${client}></chat-connection-status>`);
      return { el, done: () => { client.destroy(); } };
    },
  },
  {
    name: 'connecting, before the first welcome',
    setup: async () => {
      const fake = fixtureServer();
      fake.onFrame = () => undefined;
      const client = createChatClient({ url: 'http://chat.test', tenant: 'demo', getToken: () => new Promise<string>(() => undefined), WebSocket: fake.WebSocket, storage: memoryOutboxStorage(), autoConnect: false });
      const el = await fixture<ChatConnectionStatus>(html`<chat-connection-status .client=${client}></chat-connection-status>`);
      client.connect();
      await until(() => shown(el) !== '', 'connecting shown');
      return { el, done: () => { client.destroy(); } };
    },
  },
  {
    name: 'reconnecting after a lost connection, with Retry',
    shows: ['offline'],
    setup: async () => {
      const { client, fake } = await fixtureClient();
      const el = await fixture<ChatConnectionStatus>(html`<chat-connection-status .client=${client}></chat-connection-status>`);
      fake.refuse = true;
      fake.last.serverClose(1011, 'test');
      await until(() => el.shadowRoot!.querySelector('[part=retry]') !== null, 'reconnecting shown');
      return { el, done: () => { client.destroy(); } };
    },
  },
  {
    name: 'refused for good (fatal), with Retry',
    shows: ['offline'],
    setup: async () => {
      const { client, fake } = await fixtureClient();
      const el = await fixture<ChatConnectionStatus>(html`<chat-connection-status .client=${client}></chat-connection-status>`);
      fake.last.serverClose(4403, 'forbidden');
      await until(() => client.$connection.get().status === 'fatal', 'fatal');
      await el.updateComplete;
      return { el, done: () => { client.destroy(); } };
    },
  },
  {
    name: 'signed out: sign in again',
    shows: ['offline'],
    setup: async () => {
      const fake = fixtureServer();
      const client = createChatClient({
        url: 'http://chat.test',
        tenant: 'demo',
        getToken: () => Promise.reject(Object.assign(new Error('expired'), { status: 401 })),
        WebSocket: fake.WebSocket,
        storage: memoryOutboxStorage(),
        autoConnect: false,
      });
      const el = await fixture<ChatConnectionStatus>(html`<chat-connection-status .client=${client}></chat-connection-status>`);
      client.connect();
      await until(() => client.$connection.get().status === 'auth-required', 'auth-required');
      await el.updateComplete;
      return { el, done: () => { client.destroy(); } };
    },
  },
]);
