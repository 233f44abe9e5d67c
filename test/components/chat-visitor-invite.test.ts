/**
 * Proactive invitations in <chat-visitor> against the real reference server (issue 18): the
 * channel's manager (Anna, over HTTP) sets a rule; with an agent Present the widget opens by
 * itself with the rule's message (in the widget's language), without moving focus; "No thanks"
 * closes it and no invitation comes again that day (persisted); a rule for returning visitors
 * waits for a later visit; a rule for another page does nothing. Messages stay text; axe passes.
 */
import { expect, fixture, html } from '@open-wc/testing';

import '../../src/components/chat-visitor/chat-visitor.js';
import type { ChatVisitor } from '../../src/components/chat-visitor/chat-visitor.js';
import { setChatLocale } from '../../src/i18n/localization.js';
import type { ChannelSettingsView } from '../../src/protocol/channel-settings.js';
import type { ChatClient } from '../../src/state/index.js';
import type { ServerInfo } from '../helpers/chat-server.js';
import { chatServer, loginAgent, testClient, until } from '../helpers/chat-server.js';

const HOSTILE = '"><img src=x onerror=window.__pwned=1>';

describe('<chat-visitor>: proactive invitations (real server)', function () {
  this.timeout(60_000);
  let server: ServerInfo;
  let anna: string;
  let original: ChannelSettingsView;
  let agent: ChatClient;

  const settingsApi = async (method: string, body?: unknown): Promise<ChannelSettingsView> => {
    const res = await fetch(`${server.url}/api/channels/support/settings`, {
      method,
      headers: { Authorization: `Bearer ${anna}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    expect(res.status, await res.clone().text()).to.equal(200);
    return (await res.json()) as ChannelSettingsView;
  };
  const rule = (over: Record<string, unknown> = {}) => ({
    id: 'welcome',
    enabled: true,
    urlPattern: '',
    secondsOnPage: 0,
    returningOnly: false,
    message: { en: `Can we help? ${HOSTILE}`, sv: 'Kan vi hjälpa dig?' },
    ...over,
  });
  const invitationsKey = () => `crm-chat-visitor-invite|${server.url}|demo`;

  before(async () => {
    server = await chatServer();
    anna = await loginAgent(server, 'anna');
    original = await settingsApi('GET');
    // Sofia is online and Present in Support: the server offers invitations only then.
    agent = testClient(server, await loginAgent(server, 'sofia'));
    agent.connect();
    await until(() => agent.$connection.get().status === 'live', 'agent live');
    await agent.setPresence('present');
  });

  after(async () => {
    await agent.setPresence('away').catch(() => undefined);
    agent.destroy();
    await settingsApi('PUT', { settings: { invitations: original.settings.invitations } });
  });

  afterEach(async () => {
    for (const el of document.querySelectorAll('chat-visitor')) el.remove();
    localStorage.removeItem(invitationsKey());
    sessionStorage.clear();
    delete (window as { __pwned?: unknown }).__pwned;
    await setChatLocale('en');
  });

  const q = (el: ChatVisitor, selector: string) => el.shadowRoot!.querySelector<HTMLElement>(selector);
  const mount = () => fixture<ChatVisitor>(html`<chat-visitor server-url=${server.url} tenant="demo" channel="support"></chat-visitor>`);
  /** The widget has its channel list (with the rules) and has rendered after it. */
  const listed = async (el: ChatVisitor) => {
    await until(() => !q(el, '.base')!.hasAttribute('data-look-pending'), 'the channel list');
    // One more round trip to the server: a timer of 0 s and its check of the list are done by then.
    await fetch(`${server.url}/api/channels?tenant=demo`);
    await el.updateComplete;
  };

  it('opens with the rule’s message without taking focus; No thanks closes it and it is not asked again that day', async () => {
    await settingsApi('PUT', { settings: { invitations: { enabled: true, rules: [rule()] } } });
    const outside = document.createElement('button');
    outside.textContent = 'A button of the page';
    document.body.append(outside);
    outside.focus();
    try {
      const el = await mount();
      await until(() => el.open && q(el, '[part~="invitation"]') !== null, 'the invitation');
      expect(q(el, '.invitation-text')!.textContent).to.equal(`Can we help? ${HOSTILE}`);
      expect(document.activeElement, 'focus stays on the page').to.equal(outside);
      expect(q(el, '#name'), 'the start form under the message').to.not.equal(null);
      await expect(el).to.be.accessible();

      q(el, '[part~="invitation-dismiss"]')!.click();
      await until(() => !el.open, 'closed');
      const stored = JSON.parse(localStorage.getItem(invitationsKey()) ?? '{}') as { dismissed?: string };
      const now = new Date();
      expect(stored.dismissed).to.equal(`${String(now.getFullYear())}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`);
      el.remove();

      // Another page of the site the same day: no invitation.
      const again = await mount();
      await listed(again);
      expect(again.open).to.equal(false);
      expect(q(again, '[part~="invitation"]')).to.equal(null);
      expect((window as { __pwned?: unknown }).__pwned).to.equal(undefined);
    } finally {
      outside.remove();
    }
  });

  it('speaks the widget’s language; a rule for another page or for returning visitors waits', async () => {
    await settingsApi('PUT', {
      settings: { invitations: { enabled: true, rules: [rule({ id: 'pricing', urlPattern: '/pricing*' }), rule({ id: 'back', returningOnly: true })] } },
    });
    // First visit, not on /pricing: nothing.
    const first = await mount();
    await listed(first);
    // The invitations' code loads on demand (a dynamic import) and records the visit when it has:
    // leaving before that would not count as a visit.
    await until(() => (JSON.parse(localStorage.getItem(invitationsKey()) ?? '{}') as { seen?: boolean }).seen === true, 'the first visit recorded');
    expect(first.open).to.equal(false);
    first.remove();

    // A later visit (a new tab session) of the same browser: the returning visitors' rule, in Swedish.
    sessionStorage.clear();
    await setChatLocale('sv');
    const later = await mount();
    await until(() => later.open && q(later, '[part~="invitation"]') !== null, 'the invitation for returning visitors');
    expect(q(later, '.invitation-text')!.textContent).to.equal('Kan vi hjälpa dig?');
    expect(q(later, '[part~="invitation-dismiss"]')!.textContent).to.equal('Nej tack');
    await expect(later).to.be.accessible();
  });
});
