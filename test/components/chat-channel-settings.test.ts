/**
 * chat-channel-settings against the real reference server (started by the test runner): a manager
 * loads the Support channel, edits with the keyboard only and saves with Enter; the server's
 * refusal marks the field and moves focus to it; a hostile text is stored and shown as text; an
 * agent who is not a manager gets an explanation; Swedish labels; axe in each state. Every change
 * to the shared server's demo channel is put back afterwards.
 */
import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';

import { setChatLocale } from '../../src/i18n/localization.js';
import type { ChannelSettingsView } from '../../src/protocol/channel-settings.js';
import { CHANNEL_LANGUAGES } from '../../src/protocol/channel-settings.js';
import { channelSettings } from '../helpers/channel-settings.js';
import { loginAgent, until } from '../helpers/chat-server.js';

const HOSTILE = '"><img src=x onerror=window.__pwned=1>';

describe('chat-channel-settings (real server)', function () {
  this.timeout(30_000);
  const settings = channelSettings('support');
  const api = settings.api;
  let original: ChannelSettingsView | undefined;

  before(async () => {
    await settings.start();
    original = await api('GET');
  });

  afterEach(async () => {
    settings.closeClients();
    delete (window as { __pwned?: unknown }).__pwned;
    await setChatLocale('en');
  });

  after(async () => {
    if (!original) return;
    await api('PUT', {
      name: original.name,
      warnAfterSeconds: original.warnAfterSeconds,
      managerWarnAfterSeconds: original.managerWarnAfterSeconds,
      // Each language given replaces that language: give all six, so texts added here go.
      settings: { ...original.settings, texts: Object.fromEntries(CHANNEL_LANGUAGES.map((l) => [l, original?.settings.texts[l] ?? {}])) },
      agents: original.agents.map((a) => ({ id: a.id, permissions: a.permissions, maxConcurrentChats: a.maxConcurrentChats })),
    });
  });

  /** The element as `agentId` sees it (Anna: a manager); an agent who may not edit gets an alert. */
  const open = async (agentId: string) => settings.open(agentId === 'anna' ? settings.token : await loginAgent(settings.server, agentId), true);

  it('a manager sees the channel, its hours off, its agents with permissions; axe passes', async () => {
    const { el, root, field } = await open('anna');
    expect(field('name').value).to.equal('Support');
    const legends = [...root.querySelectorAll('legend')].map((l) => l.textContent.trim());
    expect(legends).to.include.members(['Channel', 'Texts for customers', 'Opening hours', 'Widget look', 'Before the chat', 'After the chat', 'Agents of the channel']);
    const rows = [...root.querySelectorAll('tbody th[scope=row]')].map((th) => th.textContent.trim());
    expect(rows).to.include.members(['Anna Lindqvist', 'Erik Johansson', 'Sofia Berg', 'Lars Nilsson']);
    const erikRespond = root.querySelector<HTMLInputElement>('input[aria-label="Can respond: Erik Johansson"]');
    expect(erikRespond?.checked).to.equal(true);
    expect(root.querySelector<HTMLInputElement>('input[aria-label="Can respond: Lars Nilsson"]')?.checked).to.equal(false);
    await expect(el).to.be.accessible();
  });

  it('keyboard only: Swedish texts, opening hours and an agent added; Enter saves; the server has it', async () => {
    const { el, root, field } = await open('anna');
    // Texts in Swedish: pick the language with the keyboard.
    const language = root.querySelector<HTMLSelectElement>('fieldset:nth-of-type(2) select')!;
    language.focus();
    language.value = 'sv';
    language.dispatchEvent(new Event('change'));
    await el.updateComplete;
    field('settings.texts.sv.name').focus();
    await sendKeys({ type: 'Kundtjänst' });
    field('settings.texts.sv.welcome').focus();
    await sendKeys({ type: HOSTILE });
    // Opening hours on (Mon–Fri 08–17 with lunch by default), in Stockholm.
    const hoursToggle = root.querySelector<HTMLInputElement>('fieldset:nth-of-type(3) input[type=checkbox]')!;
    hoursToggle.focus();
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    const zone = field('settings.hours.timeZone') as HTMLSelectElement;
    zone.value = 'Europe/Stockholm';
    zone.dispatchEvent(new Event('change'));
    // Lars may respond in Support.
    root.querySelector<HTMLInputElement>('input[aria-label="Can respond: Lars Nilsson"]')!.focus();
    await sendKeys({ press: 'Space' });
    expect(el.matches(':state(dirty)')).to.equal(true);
    // Enter in a text field submits the form.
    field('name').focus();
    await sendKeys({ press: 'Enter' });
    await until(() => root.querySelector('.status[data-kind=saved]') !== null, 'saved');
    expect(el.matches(':state(dirty)')).to.equal(false);
    const stored = await api('GET');
    expect(stored.settings.texts.sv?.name).to.equal('Kundtjänst');
    expect(stored.settings.texts.sv?.welcome).to.equal(HOSTILE);
    expect(stored.settings.hours?.timeZone).to.equal('Europe/Stockholm');
    expect(stored.settings.hours?.days.mon).to.deep.equal({ open: '08:00', close: '17:00', lunch: { from: '12:00', to: '13:00' } });
    expect(stored.agents.find((a) => a.id === 'lars')?.permissions.respond).to.equal(true);
    // The hostile text is a value, never markup.
    expect(root.querySelector('img')).to.equal(null);
    expect((window as { __pwned?: unknown }).__pwned).to.equal(undefined);
    // Put the hours back (other browser tests start chats in Support at any time of day).
    await api('PUT', { settings: { hours: null } });
  });

  it('a refused value is listed, marked invalid and focused; axe passes in that state', async () => {
    const { el, root, field } = await open('anna');
    const hoursToggle = root.querySelector<HTMLInputElement>('fieldset:nth-of-type(3) input[type=checkbox]')!;
    hoursToggle.click();
    await el.updateComplete;
    const closed = field('settings.hours.closedDates') as HTMLTextAreaElement;
    closed.value = '2026-12-24\n2026-13-40';
    closed.dispatchEvent(new Event('change'));
    await el.updateComplete;
    root.querySelector<HTMLButtonElement>('button[part=save]')!.click();
    await until(() => root.querySelector('.errors') !== null, 'refusal shown');
    expect(root.querySelector('.errors')?.textContent).to.contain('Closed days');
    expect(field('settings.hours.closedDates').getAttribute('aria-invalid')).to.equal('true');
    expect(root.activeElement).to.equal(field('settings.hours.closedDates'));
    await expect(el).to.be.accessible();
    expect((await api('GET')).settings.hours).to.equal(null, 'nothing was written');
  });

  it('chatbot first: the demo bot is there but off; a short secret is refused and marked; a good one is saved', async () => {
    const { el, root, field } = await open('anna');
    expect(field('settings.bot.url').value).to.equal('/api/demo/bot');
    const bot = root.querySelector<HTMLElement>('fieldset[data-path="settings.bot"]')!;
    const enabled = bot.querySelector<HTMLInputElement>('input[type=checkbox]')!;
    expect(enabled.checked).to.equal(false);
    enabled.click();
    const secret = field('settings.bot.secret') as HTMLInputElement;
    secret.value = 'short';
    secret.dispatchEvent(new Event('input'));
    await el.updateComplete;
    root.querySelector<HTMLButtonElement>('button[part=save]')!.click();
    await until(() => root.querySelector('.errors') !== null, 'refusal shown');
    expect(root.querySelector('.errors')?.textContent).to.contain('Chatbot first');
    expect(bot.getAttribute('aria-invalid')).to.equal('true');
    expect(root.activeElement).to.equal(bot);
    await expect(el).to.be.accessible();
    secret.value = 'a-secret-of-at-least-16-characters';
    secret.dispatchEvent(new Event('input'));
    await el.updateComplete;
    root.querySelector<HTMLButtonElement>('button[part=save]')!.click();
    await until(() => root.querySelector('.status[data-kind=saved]') !== null, 'saved');
    const stored = await api('GET');
    expect(stored.settings.bot).to.deep.equal({ enabled: true, url: '/api/demo/bot', secret: 'a-secret-of-at-least-16-characters', timeoutMs: 5000 });
    await api('PUT', { settings: { bot: original!.settings.bot } });
  });

  it('proactive invitations: a rule added; a bad page pattern is refused, marked and focused; a good one is saved', async () => {
    await api('PUT', { settings: { invitations: { enabled: false, rules: [] } } });
    const { el, root, field } = await open('anna');
    const section = root.querySelector<HTMLElement>('fieldset[data-path="settings.invitations"]')!;
    section.querySelector<HTMLInputElement>('input[type=checkbox]')!.click();
    section.querySelector<HTMLButtonElement>('.add-rule')!.click();
    await el.updateComplete;
    const pages = field('settings.invitations.rules.0.urlPattern') as HTMLInputElement;
    pages.value = 'javascript:alert(1)';
    pages.dispatchEvent(new Event('input'));
    const message = field('settings.invitations.rules.0.message.en') as HTMLTextAreaElement;
    message.value = 'Questions about our prices?';
    message.dispatchEvent(new Event('input'));
    await el.updateComplete;
    root.querySelector<HTMLButtonElement>('button[part=save]')!.click();
    await until(() => root.querySelector('.errors') !== null, 'refusal shown');
    expect(root.querySelector('.errors')?.textContent).to.contain('Pages');
    expect(pages.getAttribute('aria-invalid')).to.equal('true');
    expect(root.activeElement).to.equal(pages);
    await expect(el).to.be.accessible();
    pages.value = '/pricing*';
    pages.dispatchEvent(new Event('input'));
    await el.updateComplete;
    root.querySelector<HTMLButtonElement>('button[part=save]')!.click();
    await until(() => root.querySelector('.status[data-kind=saved]') !== null, 'saved');
    const stored = await api('GET');
    expect(stored.settings.invitations).to.deep.equal({
      enabled: true,
      rules: [{ id: 'rule-1', enabled: true, urlPattern: '/pricing*', secondsOnPage: 30, returningOnly: false, message: { en: 'Questions about our prices?' } }],
    });
    await api('PUT', { settings: { invitations: original!.settings.invitations } });
  });

  it('an agent who is not a manager gets an explanation, not the form', async () => {
    const { root } = await open('erik');
    expect(root.querySelector('form')).to.equal(null);
    expect(root.querySelector('[role=alert]')?.textContent).to.contain('Only managers');
  });

  it('speaks Swedish', async () => {
    await setChatLocale('sv');
    const { el, root } = await open('anna');
    const legends = [...root.querySelectorAll('legend')].map((l) => l.textContent.trim());
    expect(legends).to.include.members(['Kanal', 'Öppettider', 'Kanalens handläggare']);
    expect(root.querySelector('input[aria-label="Kan svara: Erik Johansson"]')).to.not.equal(null);
    await expect(el).to.be.accessible();
  });
});
