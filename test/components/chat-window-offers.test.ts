/**
 * chat-window: chats offered to me by automatic assignment (issue 18) at the top of the window,
 * with the time left, Accept and Decline; the note after the server set me Away (auto-away).
 */
import { expect, fixture, html } from '@open-wc/testing';

import '../../src/components/chat-window/chat-window.js';
import type { ChatWindow } from '../../src/components/chat-window/chat-window.js';
import { announcerText } from '../../src/internal/announcer.js';
import type { AgentInfo, SessionSummary } from '../../src/protocol/index.js';
import { until } from '../helpers/chat-server.js';
import { fixtureClient, session } from '../helpers/fixture-client.js';

function offered(id: string, name: string, secondsLeft = 25): SessionSummary {
  const at = Date.now() - 5000;
  const { agentId: _a, agentName: _n, acceptedAt: _t, ...rest } = session({ id, status: 'queued', createdAt: at, lastActivityAt: at, customer: { name } });
  return { ...rest, offer: { agentId: 'ann', agentName: 'Ann Agent', at, expiresAt: Date.now() + secondsLeft * 1000 } };
}

function agentInfo(partial: Partial<AgentInfo> = {}): AgentInfo {
  return { id: 'ann', name: 'Ann Agent', status: 'present', online: true, channelIds: ['support'], activeChats: 0, maxConcurrentChats: 5, ...partial };
}

async function setup(sessions: SessionSummary[], options: Parameters<typeof fixtureClient>[0] = {}) {
  const { client, fake } = await fixtureClient({ sessions, ...options });
  const el = await fixture<ChatWindow>(html`<chat-window .client=${client}></chat-window>`);
  await Promise.all(['chat-dashboard', 'chat-session-list', 'chat-conversation', 'chat-connection-status'].map((t) => customElements.whenDefined(t)));
  await el.updateComplete;
  return { client, fake, el, root: el.shadowRoot! };
}

const offers = (root: ShadowRoot) => [...root.querySelectorAll<HTMLElement>('[part~=offer]')];

describe('chat-window: automatic assignment', () => {
  beforeEach(() => {
    sessionStorage.clear();
  });

  it('shows a chat offered to me with the customer, the channel, the time left, Accept and Decline; announced once; accessible', async () => {
    const { el, root } = await setup([offered('q1', 'Kim Andersson'), { ...offered('q2', 'Lea'), offer: { agentId: 'bo', agentName: 'Bo', at: 1, expiresAt: Date.now() + 9000 } }]);
    await until(() => offers(root).length === 1, 'one offer (the other is for Bo)');
    const o = offers(root)[0]!;
    expect(o.getAttribute('role')).to.equal('group');
    expect(root.getElementById(o.getAttribute('aria-labelledby')!)!.textContent.trim()).to.equal('Chat offered to you: Kim Andersson, Support');
    expect(o.querySelector('[part=offer-time]')!.textContent).to.match(/Accept within 2\d sec, or you are set to Away and the chat goes to a colleague\./);
    expect(o.querySelector('[part=offer-accept]')!.textContent.trim()).to.equal('Accept');
    expect(o.querySelector('[part=offer-decline]')!.textContent.trim()).to.equal('Decline');
    expect(root.querySelector('[part=offers]')!.getAttribute('aria-label')).to.equal('Chats offered to you');
    await until(() => announcerText().assertive.includes('New chat offered to you: Kim Andersson, Support.'), 'announced');
    await expect(el).to.be.accessible();
  });

  it('Accept answers the offer, selects the chat and switches to Chats', async () => {
    const { el, root, fake, client } = await setup([offered('q1', 'Kim')]);
    await until(() => offers(root).length === 1, 'offer shown');
    root.querySelector<HTMLButtonElement>('[part=offer-accept]')!.click();
    await until(() => el.tab === 'chats', 'switched to Chats');
    expect(fake.sent('offer-answer').map((f) => [f.sessionId, f.accept])).to.deep.equal([['q1', true]]);
    expect(client.$selectedSessionId.get()).to.equal('q1');
  });

  it('Decline answers no; a refused answer says why (role=alert)', async () => {
    const { root, fake } = await setup([offered('q1', 'Kim')], { refuse: { 'offer-answer': { code: 'conflict', message: 'no offer is pending' } } });
    await until(() => offers(root).length === 1, 'offer shown');
    root.querySelector<HTMLButtonElement>('[part=offer-decline]')!.click();
    await until(() => root.querySelector('[part=offer-error]') !== null, 'error shown');
    expect(fake.sent('offer-answer').map((f) => f.accept)).to.deep.equal([false]);
    const error = root.querySelector('[part=offer-error]')!;
    expect(error.getAttribute('role')).to.equal('alert');
    expect(error.textContent).to.contain('This chat is no longer offered to you');
  });

  it('after auto-away: a note says why, and "Set me Present" sets me Present', async () => {
    const { el, root, fake } = await setup([]);
    expect(root.querySelector('[part=auto-away]')).to.equal(null);
    fake.last.push({ t: 'agents', agents: [agentInfo({ status: 'away', awayReason: 'auto' })] });
    await until(() => root.querySelector('[part=auto-away]') !== null, 'note shown');
    expect(root.querySelector('[part=auto-away]')!.textContent).to.contain('You were set to Away because a chat offered to you was not accepted in time.');
    await expect(el).to.be.accessible();
    root.querySelector<HTMLButtonElement>('[part=auto-away-present]')!.click();
    await until(() => fake.sent('presence').length === 1, 'presence sent');
    expect(fake.sent('presence')[0]!.status).to.equal('present');
    fake.last.push({ t: 'agents', agents: [agentInfo({ status: 'present' })] });
    await until(() => root.querySelector('[part=auto-away]') === null, 'note gone');
  });
});
