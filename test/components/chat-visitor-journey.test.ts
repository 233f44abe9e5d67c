/**
 * The customer's journey in <chat-visitor> against the real reference server (started by the test
 * runner), the channels set up by their manager (Anna, over HTTP): the Swedish widget shows the
 * channel's Swedish texts; a closed channel shows the offline form with when it opens next and
 * takes a request whose number is shown; the pre-chat form asks what the channel requires;
 * after the chat the customer rates it and returns to it. Hostile texts stay text; axe passes in
 * each state. Every setting changed here is put back.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';

import '../../src/components/chat-visitor/chat-visitor.js';
import type { ChatVisitor } from '../../src/components/chat-visitor/chat-visitor.js';
import { setChatLocale } from '../../src/i18n/localization.js';
import type { ChannelSettingsView } from '../../src/protocol/channel-settings.js';
import { CHANNEL_LANGUAGES } from '../../src/protocol/channel-settings.js';
import type { ChatClient } from '../../src/state/index.js';
import type { ServerInfo } from '../helpers/chat-server.js';
import { chatServer, letChatsWaitWithoutAgents, loginAgent, testClient, until } from '../helpers/chat-server.js';

const HOSTILE = '"><img src=x onerror=window.__pwned=1>';

/** Parts rendered in the widget that custom-elements.json does not document for <chat-visitor>. */
async function undocumentedParts(el: ChatVisitor): Promise<string[]> {
  const manifest = (await (await fetch('/custom-elements.json')).json()) as { modules: { declarations?: { tagName?: string; cssParts?: { name: string }[] }[] }[] };
  const documented = new Set(manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.tagName === 'chat-visitor')?.cssParts?.map((p) => p.name));
  const rendered = [...el.shadowRoot!.querySelectorAll('[part]')].flatMap((e) => (e.getAttribute('part') ?? '').split(/\s+/)).filter(Boolean);
  return [...new Set(rendered)].filter((p) => !documented.has(p));
}

describe('<chat-visitor>: the customer’s journey (real server)', function () {
  this.timeout(60_000);
  let server: ServerInfo;
  let anna: string;
  const originals = new Map<string, ChannelSettingsView>();
  const defaults = new Map<string, ChannelSettingsView>();
  let undoWaiting: () => Promise<void>;
  const clients: ChatClient[] = [];

  const settingsApi = async (channel: string, method: string, body?: unknown): Promise<ChannelSettingsView> => {
    const res = await fetch(`${server.url}/api/channels/${channel}/settings`, {
      method,
      headers: { Authorization: `Bearer ${anna}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    expect(res.status, await res.clone().text()).to.equal(200);
    return (await res.json()) as ChannelSettingsView;
  };

  before(async () => {
    server = await chatServer();
    anna = await loginAgent(server, 'anna');
    for (const c of ['sales', 'support']) defaults.set(c, await settingsApi(c, 'GET'));
    // No agent is online here: the tests of the pre-chat form and the chat let chats wait in the
    // queue; the first test checks the default (the offline form).
    undoWaiting = await letChatsWaitWithoutAgents(server);
    for (const c of ['sales', 'support']) originals.set(c, await settingsApi(c, 'GET'));
  });

  after(async () => {
    await undoWaiting();
  });

  it('by default a channel with no agent Present shows the offline form, and the chat once an agent is Present', async () => {
    for (const [c, view] of defaults) expect(view.settings.offline.whenNobodyPresent, c).to.equal(true);
    await settingsApi('support', 'PUT', { settings: { offline: defaults.get('support')!.settings.offline } });
    const el = await open();
    topic(el, 'support')!.click();
    await until(() => q(el, '[part~="offline"]') !== null, 'offline form');
    expect(text(el, '.offline-title')).to.equal('No one can answer right now');
    expect(q(el, '#name'), 'no pre-chat form').to.equal(null);
    // Erik signs in (Present): the widget, opened again, offers the chat.
    const token = await loginAgent(server, 'erik');
    const erik = testClient(server, token, { getAccessToken: () => token });
    clients.push(erik);
    erik.connect();
    await until(() => erik.$connection.get().status === 'live', 'erik live');
    el.remove();
    const again = await open();
    topic(again, 'support')!.click();
    await until(() => q(again, '#name') !== null, 'pre-chat form once erik is Present');
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    for (const el of document.querySelectorAll('chat-visitor')) el.remove();
    sessionStorage.clear();
    delete (window as { __pwned?: unknown }).__pwned;
    await setChatLocale('en');
    for (const [channel, view] of originals) {
      await settingsApi(channel, 'PUT', { settings: { ...view.settings, texts: Object.fromEntries(CHANNEL_LANGUAGES.map((l) => [l, view.settings.texts[l] ?? {}])) } });
    }
  });

  const q = (el: ChatVisitor, selector: string) => el.shadowRoot!.querySelector<HTMLElement>(selector);
  const text = (el: ChatVisitor, selector = '.panel') => (q(el, selector)?.textContent ?? '').replace(/\s+/g, ' ').trim();
  const topic = (el: ChatVisitor, id: string) => [...el.shadowRoot!.querySelectorAll<HTMLInputElement>('.topic input')].find((i) => i.value === id);
  function fill(el: ChatVisitor, selector: string, value: string) {
    const input = q(el, selector) as HTMLInputElement;
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  }

  async function open(): Promise<ChatVisitor> {
    const el = await fixture<ChatVisitor>(html`<chat-visitor server-url=${server.url} tenant="demo"></chat-visitor>`);
    q(el, '[part~="launcher"]')!.click();
    await until(() => topic(el, 'support') !== undefined, 'topics');
    await el.updateComplete;
    return el;
  }

  it('the Swedish widget shows the channel’s Swedish name, description and welcome text', async () => {
    const support = originals.get('support')!;
    await settingsApi('support', 'PUT', {
      settings: { texts: { ...support.settings.texts, sv: { name: 'Kundtjänst', description: `Order och returer ${HOSTILE}`, welcome: 'Välkommen till kundtjänst!' } } },
    });
    await setChatLocale('sv');
    const el = await open();
    await until(() => text(el, '.topic').includes('Kundtjänst'), 'Swedish channel name');
    expect(text(el, '.topic')).to.contain(`Order och returer ${HOSTILE}`);
    expect(el.shadowRoot!.querySelector('img')).to.equal(null);
    await expect(el).to.be.accessible();
    topic(el, 'support')!.click();
    fill(el, '#name', 'Kim');
    await el.updateComplete;
    q(el, '[part~="start"]')!.click();
    await until(() => text(el, '.messages').includes('Välkommen till kundtjänst!'), 'the Swedish welcome text');
    const saved = JSON.parse(sessionStorage.getItem(`crm-chat-visitor|${server.url}|demo`)!) as { sessionId: string; token: string };
    const customer = testClient(server, saved.token, { outboxKey: `c:${saved.sessionId}` });
    clients.push(customer);
    customer.connect();
    await until(() => customer.$connection.get().status === 'live', 'customer live');
    await customer.end(saved.sessionId);
    expect((window as { __pwned?: unknown }).__pwned).to.equal(undefined);
  });

  it('a closed channel shows the offline form, when it opens next, and the request number', async () => {
    const sales = originals.get('sales')!;
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'UTC' }).format(Date.now());
    const day = { open: '00:00', close: '24:00' };
    await settingsApi('sales', 'PUT', {
      settings: {
        hours: { timeZone: 'UTC', days: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day }, closedDates: [today] },
        offline: { ...sales.settings.offline, request: true, categories: ['order', 'return'], priority: true, email: 'required' },
        texts: { ...sales.settings.texts, en: { ...(sales.settings.texts.en ?? {}), offlineHeader: HOSTILE } },
      },
    });
    const el = await open();
    topic(el, 'sales')!.click();
    await until(() => q(el, '[part~="offline"]') !== null, 'offline form');
    expect(text(el, '.offline-title')).to.equal(HOSTILE);
    expect(text(el, '[part~="opens"]')).to.match(/^We open again .+\.$/);
    expect(q(el, '#name'), 'no pre-chat form').to.equal(null);
    await expect(el).to.be.accessible();
    // Required e-mail and message.
    (q(el, '.offline [part~="start"]') as HTMLButtonElement).click();
    await until(() => q(el, '#offline-email-error') !== null, 'field errors');
    expect(el.shadowRoot!.activeElement).to.equal(q(el, '#offline-email'));
    fill(el, '#offline-email', 'kim@example.com');
    fill(el, '#offline-message', 'Where is my parcel?');
    (q(el, '.offline [part~="start"]') as HTMLButtonElement).click();
    await until(() => /Your request number is \d+\./.test(text(el, '[part~="offline"]')), 'request number');
    // The other channel is open: its pre-chat form is back.
    topic(el, 'support')!.click();
    await until(() => q(el, '#name') !== null, 'pre-chat form of Support');
  });

  it('the pre-chat form asks what the channel requires; after the chat the customer rates it and returns to it', async () => {
    const support = originals.get('support')!;
    await settingsApi('support', 'PUT', {
      settings: {
        preChat: { ...support.settings.preChat, name: 'required', phone: 'optional', consent: true },
        postChat: { rating: true, transcript: false, returnMinutes: 10 },
        texts: { ...support.settings.texts, en: { ...(support.settings.texts.en ?? {}), consent: `I agree ${HOSTILE}` } },
      },
    });
    const el = await open();
    topic(el, 'support')!.click();
    await until(() => q(el, '#consent') !== null, 'consent');
    expect(text(el, 'label[for="name"]')).to.equal('Name (required)');
    expect(text(el, 'label[for="phone"]')).to.equal('Phone (optional)');
    await expect(el).to.be.accessible();
    q(el, '[part~="start"]')!.click();
    await until(() => q(el, '#consent-error') !== null && q(el, '#name[aria-invalid="true"]') !== null, 'required errors');
    fill(el, '#name', 'Robin');
    (q(el, '#consent') as HTMLInputElement).click();
    await el.updateComplete;
    q(el, '[part~="start"]')!.click();
    await until(() => el.hasCustomState('queued'), 'queued');
    expect(text(el, '[part~="end"]')).to.equal('Leave the queue');
    const saved = JSON.parse(sessionStorage.getItem(`crm-chat-visitor|${server.url}|demo`)!) as { sessionId: string };
    // Sofia answers and ends the chat.
    const token = await loginAgent(server, 'sofia');
    const agent = testClient(server, token);
    clients.push(agent);
    agent.connect();
    await until(() => agent.$connection.get().status === 'live', 'agent live');
    // Present (another file may have left her Away): a returned chat comes back to her only then.
    await agent.setPresence('present');
    await agent.accept(saved.sessionId);
    await until(() => el.hasCustomState('active') || text(el, '.header').includes('Sofia'), 'active');
    await agent.end(saved.sessionId);
    await until(() => q(el, '.rate') !== null, 'the rating form');
    await expect(el).to.be.accessible();
    // No stars chosen: the widget says so and sends nothing.
    (q(el, '.rate-send') as HTMLButtonElement).click();
    await until(() => text(el, '.after').includes('Choose a rating from 1 to 5.'), 'the rating is required');
    (el.shadowRoot!.querySelectorAll<HTMLInputElement>('.stars input')[3]!).click();
    fill(el, '#rating-comment', HOSTILE);
    (q(el, '.rate-send') as HTMLButtonElement).click();
    await until(() => text(el, '.after').includes('Thank you for your rating!'), 'rated');
    // Return to the chat: Sofia is online and Present, so it is active with her again.
    (q(el, '[part~="return"]') as HTMLButtonElement).click();
    await until(() => q(el, '#input') !== null, 'the composer is back');
    // The composer is back at once; the chat is Sofia's again once the widget says it is active.
    await until(() => q(el, '[part~="status"]')?.getAttribute('data-phase') === 'active', 'active with Sofia again');
    await agent.end(saved.sessionId);
    expect((window as { __pwned?: unknown }).__pwned).to.equal(undefined);
  });

  it('chatbot first: the demo bot answers the first message, marked as the bot; asked for a person it hands off to the queue', async () => {
    const support = originals.get('support')!;
    expect(support.settings.bot.url, 'the demo configures its bot for Support').to.equal('/api/demo/bot');
    await settingsApi('support', 'PUT', {
      settings: { bot: { ...support.settings.bot, enabled: true }, texts: { ...support.settings.texts, en: { ...(support.settings.texts.en ?? {}), botName: HOSTILE } } },
    });
    const el = await open();
    topic(el, 'support')!.click();
    await el.updateComplete;
    fill(el, '#name', 'Robin');
    fill(el, '#first-message', 'Where is my parcel?');
    await el.updateComplete;
    q(el, '[part~="start"]')!.click();
    await until(() => text(el, '[part~="bot"]').includes('2–4 working days'), 'the bot’s answer');
    expect(el.hasCustomState('queued'), 'no chat yet').to.equal(false);
    expect(text(el, '#bot-title')).to.equal(`${HOSTILE} Bot`);
    const turns = [...el.shadowRoot!.querySelectorAll('.bot-log li')].map((li) => li.getAttribute('part'));
    expect(turns).to.deep.equal(['message message--customer', 'message message--bot']);
    expect([...el.shadowRoot!.querySelectorAll('.bot-log .bubble')].map((b) => b.getAttribute('part'))).to.deep.equal(['bubble bubble--customer', 'bubble bubble--agent bubble--bot']);
    expect(await undocumentedParts(el), 'parts of the bot conversation not in custom-elements.json').to.deep.equal([]);
    expect(el.shadowRoot!.activeElement).to.equal(q(el, '#bot-input'));
    await expect(el).to.be.accessible();
    fill(el, '#bot-input', 'I want to talk to a person');
    (q(el, '.bot-ask button[type="submit"]') as HTMLButtonElement).click();
    await until(() => el.hasCustomState('queued'), 'queued after the hand-off');
    await until(() => el.shadowRoot!.querySelectorAll('[part~="message--bot"]').length === 2, 'the bot part in the chat');
    const bubbles = [...el.shadowRoot!.querySelectorAll('[part~="message--customer"] .bubble')].map((b) => b.textContent.trim());
    expect(bubbles, 'the first message once, in the bot part').to.deep.equal(['Where is my parcel?', 'I want to talk to a person']);
    expect(text(el, '[part~="message--bot"] .author')).to.contain(HOSTILE);
    expect([...el.shadowRoot!.querySelectorAll('[part~="bubble--bot"]')]).to.have.length(2);
    expect(await undocumentedParts(el), 'parts of the chat not in custom-elements.json').to.deep.equal([]);
    await expect(el).to.be.accessible();
    const saved = JSON.parse(sessionStorage.getItem(`crm-chat-visitor|${server.url}|demo`)!) as { sessionId: string; token: string };
    const customer = testClient(server, saved.token, { outboxKey: `c:${saved.sessionId}` });
    clients.push(customer);
    customer.connect();
    await until(() => customer.$connection.get().status === 'live', 'customer live');
    await customer.end(saved.sessionId);
    expect((window as { __pwned?: unknown }).__pwned).to.equal(undefined);
  });

  it('the channel’s look is applied: theme, colour, font, logo, header text; the agent’s initials only when the channel shows them', async () => {
    const support = originals.get('support')!;
    const logoUrl = `${server.url}/demo/customer/favicon.svg`;
    await settingsApi('support', 'PUT', {
      settings: {
        look: { theme: 'dark', colour: '#ffcc00', font: 'serif', logoUrl, agentPhoto: false },
        texts: { ...support.settings.texts, en: { ...(support.settings.texts.en ?? {}), header: HOSTILE, message: `Hello ${HOSTILE}` } },
      },
    });
    const el = await open();
    topic(el, 'support')!.click();
    await until(() => text(el, '#title') === HOSTILE, 'the channel’s header text');
    await el.updateComplete;
    const base = q(el, '.base')!;
    expect(base.dataset.lookTheme).to.equal('dark');
    expect(getComputedStyle(q(el, '.header')!).backgroundColor).to.equal('rgb(255, 204, 0)');
    expect(getComputedStyle(q(el, '.header')!).color, 'dark text on a light colour').to.equal('rgb(11, 18, 32)');
    expect(getComputedStyle(q(el, '.panel')!).backgroundColor, 'the dark surface').to.equal('rgb(22, 27, 34)');
    expect(getComputedStyle(base).fontFamily).to.contain('Georgia');
    expect(text(el, '.intro')).to.equal(`Hello ${HOSTILE}`);
    const logo = q(el, '[part~="logo"]') as HTMLImageElement;
    expect(logo.getAttribute('src')).to.equal(logoUrl);
    await expect(el).to.be.accessible();
    // Sales keeps the default look: nothing of Support's stays.
    topic(el, 'sales')!.click();
    await until(() => q(el, '.base')!.dataset.lookTheme === undefined, 'the default look');
    expect(text(el, '#title')).to.equal('Chat with us');
    expect(q(el, '.base')!.style.getPropertyValue('--chat-color-accent')).to.equal('');
    // An agent answers in Support: the header keeps the logo (agentPhoto off) and shows the agent's name.
    topic(el, 'support')!.click();
    await el.updateComplete;
    fill(el, '#name', 'Robin');
    await el.updateComplete;
    q(el, '[part~="start"]')!.click();
    await until(() => el.hasCustomState('queued'), 'queued');
    const saved = JSON.parse(sessionStorage.getItem(`crm-chat-visitor|${server.url}|demo`)!) as { sessionId: string };
    const token = await loginAgent(server, 'sofia');
    const agent = testClient(server, token);
    clients.push(agent);
    agent.connect();
    await until(() => agent.$connection.get().status === 'live', 'agent live');
    await agent.accept(saved.sessionId);
    await until(() => text(el, '#title').includes('Sofia'), 'the agent’s name in the header');
    expect(q(el, '.avatar [part~="logo"]'), 'the logo, not the agent’s initials').to.not.equal(null);
    await agent.end(saved.sessionId);
    expect((window as { __pwned?: unknown }).__pwned).to.equal(undefined);
  });

  it('the launcher shows the channel’s badge text in the widget’s language before the panel opens', async () => {
    const support = originals.get('support')!;
    await settingsApi('support', 'PUT', {
      settings: { texts: { ...support.settings.texts, en: { ...(support.settings.texts.en ?? {}), badge: 'Ask customer service' }, sv: { ...(support.settings.texts.sv ?? {}), badge: '<b>Fråga</b> kundtjänst' } } },
    });
    await setChatLocale('sv');
    const el = await fixture<ChatVisitor>(html`<chat-visitor server-url=${server.url} tenant="demo" channel="support"></chat-visitor>`);
    await until(() => text(el, '[part~="launcher"]') === '<b>Fråga</b> kundtjänst', 'the Swedish badge text');
    expect(el.open).to.equal(false);
    expect(el.shadowRoot!.querySelector('img')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('the launcher wears the channel’s colour from its first showing, before the panel opens; the auto theme follows the system live', async () => {
    await settingsApi('support', 'PUT', { settings: { look: { ...originals.get('support')!.settings.look, theme: 'auto', colour: '#ffcc00' } } });
    await emulateMedia({ colorScheme: 'light' });
    // Every mutation of the widget's base (attributes, inline style) is checked as it happens:
    // whenever the launcher is visible it already has the channel's colour (no default-coloured flash).
    const seen: string[] = [];
    let observer: MutationObserver | undefined;
    const watch = (el: ChatVisitor) => {
      const check = () => {
        const launcher = q(el, '[part~="launcher"]');
        if (launcher && getComputedStyle(launcher).visibility === 'visible') seen.push(getComputedStyle(launcher).backgroundColor);
      };
      check();
      observer = new MutationObserver(check);
      observer.observe(q(el, '.base')!, { attributes: true });
    };
    const el = document.createElement('chat-visitor');
    el.setAttribute('server-url', server.url);
    el.setAttribute('tenant', 'demo');
    el.setAttribute('channel', 'support');
    document.body.append(el);
    await el.updateComplete;
    watch(el);
    await until(() => seen.length > 0, 'the launcher shown');
    observer?.disconnect();
    expect(el.open).to.equal(false);
    expect(new Set(seen), 'only ever the channel’s colour').to.deep.equal(new Set(['rgb(255, 204, 0)']));
    const base = q(el, '.base')!;
    expect(base.dataset.lookTheme, 'auto on a light system').to.equal(undefined);
    try {
      // The customer's system turns dark while the page is open: the widget follows without a reload.
      await emulateMedia({ colorScheme: 'dark' });
      await until(() => base.dataset.lookTheme === 'dark', 'the dark theme');
      q(el, '[part~="launcher"]')!.click();
      await until(() => el.open && q(el, '#name') !== null, 'the panel open');
      expect(getComputedStyle(q(el, '.panel')!).backgroundColor, 'the dark surface').to.equal('rgb(22, 27, 34)');
      expect(getComputedStyle(q(el, '.header')!).backgroundColor, 'the channel’s colour stays').to.equal('rgb(255, 204, 0)');
      await expect(el).to.be.accessible();
      await emulateMedia({ colorScheme: 'light' });
      await until(() => base.dataset.lookTheme === undefined, 'back to light');
      expect(getComputedStyle(q(el, '.panel')!).backgroundColor, 'the light surface').to.not.equal('rgb(22, 27, 34)');
    } finally {
      await emulateMedia({ colorScheme: 'light' });
    }
  });

  it('a channel with the default look shows the launcher once its list has loaded, in the page’s colours', async () => {
    const el = await fixture<ChatVisitor>(html`<chat-visitor server-url=${server.url} tenant="demo" channel="sales"></chat-visitor>`);
    await until(() => !q(el, '.base')!.hasAttribute('data-look-pending'), 'the launcher shown');
    expect(getComputedStyle(q(el, '[part~="launcher"]')!).visibility).to.equal('visible');
    expect(q(el, '.base')!.style.getPropertyValue('--chat-color-accent')).to.equal('');
    await expect(el).to.be.accessible();
  });
});
