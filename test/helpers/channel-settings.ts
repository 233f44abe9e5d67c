/**
 * The fixture of the chat-channel-settings browser tests: the real server (started by the test
 * runner), Anna (a manager of every demo channel) signed in, the channel's settings read and
 * written through its HTTP API, and the element opened on the channel with a client of its own.
 *
 *   const settings = channelSettings('support');
 *   before(() => settings.start());
 *   afterEach(() => { settings.closeClients(); });
 *   const { el, root, field } = await settings.open();
 */
import { expect, fixture, html } from '@open-wc/testing';

import '../../src/components/chat-channel-settings/chat-channel-settings.js';
import type { ChatChannelSettings } from '../../src/components/chat-channel-settings/chat-channel-settings.js';
import type { ChannelSettingsView } from '../../src/protocol/channel-settings.js';
import type { ChatClient } from '../../src/state/index.js';
import type { ServerInfo } from './chat-server.js';
import { chatServer, loginAgent, testClient, until } from './chat-server.js';

/** A field of the settings form, by its `data-path` (`assignment.mode`, `targets.rules[0].value`). */
type Field = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

export interface OpenedSettings {
  el: ChatChannelSettings;
  root: ShadowRoot;
  /** The form field with this `data-path`. */
  field(path: string): Field;
  /** The button whose text is `text`. */
  button(text: string): HTMLButtonElement;
}

export function channelSettings(channelId: string) {
  let server: ServerInfo | undefined;
  let managerToken = '';
  const clients: ChatClient[] = [];

  const info = (): ServerInfo => {
    if (!server) throw new Error('channelSettings: call start() in before()');
    return server;
  };

  return {
    /** Starts (or reuses) the real server and signs Anna in. */
    async start(): Promise<void> {
      server = await chatServer();
      managerToken = await loginAgent(server, 'anna');
    },

    get server(): ServerInfo {
      return info();
    },

    get token(): string {
      return managerToken;
    },

    /** Reads (`GET`) or writes (`PUT`) the channel's settings as Anna; the answer must be 200. */
    async api(method: 'GET' | 'PUT', body?: unknown, token = managerToken): Promise<ChannelSettingsView> {
      const res = await fetch(`${info().url}/api/channels/${channelId}/settings`, {
        method,
        headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      expect(res.status, await res.clone().text()).to.equal(200);
      return (await res.json()) as ChannelSettingsView;
    },

    /**
     * The element on the channel, with a client signed in with `token` (Anna's by default), once
     * its form is shown (or, with `orAlert`, an alert instead: an agent who may not edit).
     */
    async open(token = managerToken, orAlert = false): Promise<OpenedSettings> {
      const client = testClient(info(), token, { getAccessToken: () => token });
      clients.push(client);
      const el = await fixture<ChatChannelSettings>(html`<chat-channel-settings .client=${client} channel-id=${channelId}></chat-channel-settings>`);
      const root = el.shadowRoot;
      if (!root) throw new Error('chat-channel-settings has no shadow root');
      await until(() => root.querySelector('form') !== null || (orAlert && root.querySelector('[role=alert]') !== null), 'loaded');
      return {
        el,
        root,
        field: (path) => root.querySelector<Field>(`[data-path="${path}"]`)!,
        button: (text) => [...root.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent.trim() === text)!,
      };
    },

    /** Ends the clients the opened elements used. */
    closeClients(): void {
      for (const c of clients.splice(0)) c.destroy();
    },
  };
}
