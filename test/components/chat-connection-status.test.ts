/**
 * `<chat-connection-status>` says in words which server limit refused the connection, against the
 * real reference server: a customer who opens more widgets of one chat than the per-user limit
 * (10 by default) is refused with `error.limit: 'connections_per_user'` and close 4429.
 */
import { expect, fixture, html } from '@open-wc/testing';

import '../../src/components/chat-connection-status/chat-connection-status.js';
import type { ChatConnectionStatus } from '../../src/components/chat-connection-status/chat-connection-status.js';
import { setChatLocale } from '../../src/i18n/localization.js';
import { MAX_CONNECTIONS_PER_USER } from '../../src/protocol/limits.js';
import type { ChatClient } from '../../src/state/index.js';
import { chatServer, startChat, testClient, until } from '../helpers/chat-server.js';

describe('chat-connection-status: a refused connection names the limit', () => {
  const clients: ChatClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await setChatLocale('en');
  });

  it('too many widgets of one chat: "Too many chat windows are open for you" (and in Swedish)', async () => {
    const server = await chatServer();
    const chat = await startChat(server, 'support', 'Many Tabs Mia');
    for (let i = 0; i < MAX_CONNECTIONS_PER_USER; i++) {
      const c = testClient(server, chat.token);
      clients.push(c);
      c.connect();
    }
    await until(() => clients.every((c) => c.$connection.get().status === 'live'), `${String(MAX_CONNECTIONS_PER_USER)} widgets live`);

    const extra = testClient(server, chat.token);
    clients.push(extra);
    const el = await fixture<ChatConnectionStatus>(html`<chat-connection-status .client=${extra}></chat-connection-status>`);
    extra.connect();
    await until(() => extra.$connection.get().error?.limit === 'connections_per_user', 'refused for connections_per_user');
    expect(extra.$connection.get().status).to.equal('reconnecting');
    await el.updateComplete;
    const text = () => el.shadowRoot!.querySelector('[part="base"]')?.textContent ?? '';
    expect(text()).to.contain('Too many chat windows are open for you.');
    await expect(el).to.be.accessible();

    await setChatLocale('sv');
    el.requestUpdate();
    await el.updateComplete;
    expect(text()).to.contain('Du har för många chattfönster öppna.');
  });
});
