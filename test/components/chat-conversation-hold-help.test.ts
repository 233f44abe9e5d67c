/**
 * The conversation's toolbar for hold, return to queue and ask for help (issue 18): which buttons
 * show for whom, Put on hold / Resume and Ask for help / Cancel help request as toggle buttons
 * (the frame sent, the server's answer shown as a bar, focus kept, announced), refusals said
 * and fired as `chat-error`, the Return to queue dialog (reason required, the frame, Escape),
 * the reason a returned chat carries, keyboard only, axe in each state, English and Swedish.
 */
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';

import '../../src/components/chat-conversation/chat-conversation.js';
import type { ChatConversation } from '../../src/components/chat-conversation/chat-conversation.js';
import type { ChatErrorEvent } from '../../src/events/chat-error-event.js';
import { announcerText } from '../../src/internal/announcer.js';
import { setChatLocale } from '../../src/i18n/localization.js';
import type { AgentMe, SessionSummary } from '../../src/protocol/index.js';
import { until } from '../helpers/chat-server.js';
import type { FakeServer } from '../helpers/fake-server.js';
import { AGENT_ME } from '../helpers/fake-server.js';
import type { FixtureOptions } from '../helpers/fixture-client.js';
import { chatMessage, fixtureClient, NOW, pushSession, session } from '../helpers/fixture-client.js';

const MANAGER: AgentMe = {
  ...AGENT_ME,
  channels: [{ id: 'support', name: 'Support', permissions: { respond: true, notifications: true, listen: true, manager: true } }],
};

/**
 * Answers `hold`, `help` and `requeue` as the server does: `ok`, then the board event with the
 * chat's new state (unless the test refuses the command).
 */
function serveCare(fake: FakeServer, start: SessionSummary) {
  let current = start;
  let seq = 0;
  const previous = fake.onFrame;
  fake.onFrame = (socket, frame) => {
    const rid = frame.rid as string;
    const next = (change: Partial<SessionSummary>, drop: (keyof SessionSummary)[] = []) => {
      const copy: Record<string, unknown> = { ...current, ...change };
      for (const key of drop) copy[key] = undefined;
      current = JSON.parse(JSON.stringify(copy)) as SessionSummary;
      socket.push({ t: 'ok', rid, data: { sessionId: current.id } });
      seq += 1;
      pushSession(fake, seq, current);
    };
    if (frame.t === 'hold') {
      if (frame.on === true) next({ heldAt: NOW + 1000 });
      else next({}, ['heldAt']);
      return;
    }
    if (frame.t === 'help') {
      if (frame.on === true) next({ help: { at: NOW + 2000, agentId: 'ann', agentName: 'Ann Agent' } });
      else next({}, ['help']);
      return;
    }
    if (frame.t === 'requeue') {
      next({ status: 'queued', returned: { reason: String(frame.reason), agentId: 'ann', agentName: 'Ann Agent', at: NOW + 3000 } }, ['agentId', 'agentName', 'heldAt', 'help']);
      return;
    }
    previous(socket, frame);
  };
}

async function setup(options: { session?: Partial<SessionSummary>; me?: AgentMe; mode?: 'participant' | 'listen'; refuse?: FixtureOptions['refuse'] } = {}) {
  const s1 = session({ id: 's1', customer: { name: 'Kim' }, ...options.session });
  const { client, fake } = await fixtureClient({ sessions: [s1], messages: { s1: [chatMessage('s1', 1, { text: 'Hello' })] }, me: options.me, refuse: options.refuse });
  if (!options.refuse) serveCare(fake, s1);
  client.selectSession('s1');
  const el = await fixture<ChatConversation>(html`<chat-conversation style="height: 560px" .client=${client} mode=${options.mode ?? 'participant'}></chat-conversation>`);
  await until(() => client.$messages.get().s1?.ready === true, 'messages ready');
  await el.updateComplete;
  const root = el.shadowRoot!;
  const part = (name: string) => root.querySelector<HTMLElement>(`[part~="${name}"]`);
  const text = (name: string) => part(name)?.textContent.replace(/\s+/g, ' ').trim();
  const dialog = () => root.querySelector<HTMLDialogElement>('.requeue-dialog')!;
  return { client, fake, el, root, part, text, dialog };
}

describe('chat-conversation: hold, return to queue, ask for help', function () {
  this.timeout(20_000);

  afterEach(async () => {
    await setChatLocale('en');
  });

  describe('which buttons show', () => {
    it('my active chat: Ask for help, Put on hold and Return to queue…, as toggle buttons and a dialog opener', async () => {
      const s = await setup();
      expect(s.text('help-button')).to.equal('Ask for help');
      expect(s.part('help-button')!.getAttribute('aria-pressed')).to.equal('false');
      expect(s.text('hold-button')).to.equal('Put on hold');
      expect(s.part('hold-button')!.getAttribute('aria-pressed')).to.equal('false');
      expect(s.text('requeue-button')).to.equal('Return to queue…');
      expect(s.part('requeue-button')!.getAttribute('aria-haspopup')).to.equal('dialog');
      await expect(s.el).to.be.accessible();
    });

    it("someone else's chat: none for an agent; Return to queue only for a manager of the channel", async () => {
      const plain = await setup({ session: { agentId: 'bob', agentName: 'Bob Berg' } });
      expect(plain.part('help-button')).to.equal(null);
      expect(plain.part('hold-button')).to.equal(null);
      expect(plain.part('requeue-button')).to.equal(null);
      const manager = await setup({ session: { agentId: 'bob', agentName: 'Bob Berg' }, me: MANAGER });
      expect(manager.part('help-button')).to.equal(null);
      expect(manager.part('hold-button')).to.equal(null);
      expect(manager.text('requeue-button')).to.equal('Return to queue…');
    });

    it('none while listening in, in a queued or ended chat, or while a transfer waits', async () => {
      const listening = await setup({ session: { agentId: 'bob', agentName: 'Bob Berg' }, me: MANAGER, mode: 'listen' });
      expect(listening.part('requeue-button')).to.equal(null);
      const ended = await setup({ session: { status: 'ended', endedAt: NOW } });
      expect(ended.part('hold-button')).to.equal(null);
      expect(ended.part('requeue-button')).to.equal(null);
      const pending = await setup({ session: { transfer: { fromAgentId: 'ann', fromAgentName: 'Ann Agent', toAgentId: 'bob', toAgentName: 'Bob Berg', at: NOW, expiresAt: NOW + 60_000 } } });
      expect(pending.part('requeue-button')).to.equal(null, 'not while a transfer waits');
      expect(pending.part('hold-button')).to.not.equal(null);
    });
  });

  describe('hold', () => {
    it('Put on hold with the keyboard: the frame, the bar, Resume in the same place with focus kept; Resume undoes it', async () => {
      const s = await setup();
      s.part('hold-button')!.focus();
      await sendKeys({ press: 'Enter' });
      await until(() => s.fake.sent('hold').length === 1, 'hold sent');
      expect(s.fake.sent('hold')[0]).to.deep.include({ sessionId: 's1', on: true });
      await until(() => s.part('hold-bar') !== null, 'hold bar shown');
      expect(s.text('hold-bar')).to.match(/^On hold since .+\. The customer was told; the chat does not count against your capacity until you resume it\.$/);
      expect(s.text('hold-button')).to.equal('Resume');
      expect(s.part('hold-button')!.getAttribute('aria-pressed')).to.equal('true');
      expect(s.root.activeElement).to.equal(s.part('hold-button'), 'focus stays on the button');
      await until(() => announcerText().polite.includes('The chat with Kim is on hold. The customer was told.'), 'announced');
      await expect(s.el).to.be.accessible();

      await sendKeys({ press: 'Space' });
      await until(() => s.fake.sent('hold').length === 2, 'resume sent');
      expect(s.fake.sent('hold')[1]).to.deep.include({ sessionId: 's1', on: false });
      await until(() => s.part('hold-bar') === null, 'bar gone');
      expect(s.text('hold-button')).to.equal('Put on hold');
      await until(() => announcerText().polite.includes('You resumed the chat with Kim. The customer was told.'), 'announced');
    });

    it('a refused resume (at capacity) is said under the header, announced and fired as chat-error', async () => {
      const s = await setup({ session: { heldAt: NOW - 60_000 }, refuse: { hold: { code: 'at_capacity', message: 'full' } } });
      expect(s.text('hold-button')).to.equal('Resume');
      const fired = oneEvent<ChatErrorEvent>(s.el, 'chat-error');
      s.part('hold-button')!.click();
      const event = await fired;
      expect(event.detail.code).to.equal('at_capacity');
      await until(() => s.part('hold-error') !== null, 'error shown');
      const said = 'You cannot resume: your other chats fill your capacity. End one or put one on hold first.';
      expect(s.text('hold-error')).to.equal(said);
      await until(() => announcerText().assertive.includes(said), 'announced');
      expect(s.part('hold-bar')).to.not.equal(null, 'still on hold');
      await expect(s.el).to.be.accessible();
    });
  });

  describe('ask for help', () => {
    it('raises and lowers the flag: the frames, the bar with the note, the toggle', async () => {
      const s = await setup();
      s.part('help-button')!.focus();
      await sendKeys({ press: 'Enter' });
      await until(() => s.fake.sent('help').length === 1, 'help sent');
      expect(s.fake.sent('help')[0]).to.deep.include({ sessionId: 's1', on: true });
      await until(() => s.part('help-bar') !== null, 'help bar');
      expect(s.text('help-bar')).to.match(/^You asked for help at .+\. The supervisors of this channel see it on their Dashboard\.$/);
      expect(s.text('help-button')).to.equal('Cancel help request');
      expect(s.part('help-button')!.getAttribute('aria-pressed')).to.equal('true');
      expect(s.root.activeElement).to.equal(s.part('help-button'));
      await until(() => announcerText().polite.includes('You asked for help. The supervisors of this channel see it on their Dashboard.'), 'announced');
      await expect(s.el).to.be.accessible();

      await sendKeys({ press: 'Enter' });
      await until(() => s.fake.sent('help').length === 2, 'lowered');
      expect(s.fake.sent('help')[1]).to.deep.include({ sessionId: 's1', on: false });
      await until(() => s.part('help-bar') === null, 'bar gone');
      expect(s.text('help-button')).to.equal('Ask for help');
    });

    it("shows a request's note as text, never as markup", async () => {
      const s = await setup({ session: { help: { at: NOW, agentId: 'ann', agentName: 'Ann Agent', note: '<b>Refund</b> over 500?' } } });
      expect(s.text('help-note')).to.equal('<b>Refund</b> over 500?');
      expect(s.part('help-note')!.querySelector('b')).to.equal(null);
    });
  });

  describe('return to queue', () => {
    it('asks for the reason in a modal dialog (required), sends it, and the chat leaves me', async () => {
      const s = await setup();
      s.part('requeue-button')!.focus();
      await sendKeys({ press: 'Enter' });
      await until(() => s.dialog().open, 'dialog open');
      const reason = s.part('requeue-reason') as HTMLTextAreaElement;
      await until(() => s.root.activeElement === reason, 'focus in the reason');
      expect(s.dialog().querySelector('h2')!.textContent.trim()).to.equal('Return the chat with Kim to the queue');
      await expect(s.el).to.be.accessible();

      // Blank: said next to the field, nothing sent.
      s.part('requeue-confirm')!.click();
      await s.el.updateComplete;
      expect(s.text('requeue-error')).to.equal('Say why the chat goes back to the queue: the next agent sees it.');
      expect(reason.getAttribute('aria-invalid')).to.equal('true');
      expect(reason.getAttribute('aria-describedby')).to.equal('requeue-error');
      expect(s.fake.sent('requeue')).to.have.length(0);
      await expect(s.el).to.be.accessible();

      await sendKeys({ type: 'Needs the Norwegian desk' });
      await s.el.updateComplete;
      expect(s.part('requeue-error')).to.equal(null, 'the error goes once there is a reason');
      s.part('requeue-confirm')!.focus();
      await sendKeys({ press: 'Enter' });
      await until(() => s.fake.sent('requeue').length === 1, 'requeue sent');
      expect(s.fake.sent('requeue')[0]).to.deep.include({ sessionId: 's1', reason: 'Needs the Norwegian desk' });
      await until(() => !s.dialog().open, 'dialog closed');
      await until(() => announcerText().polite.includes('The chat with Kim is back in the queue.'), 'announced');
      await until(() => s.part('requeue-button') === null, 'no longer mine');
    });

    it('Escape closes the dialog without sending, focus back on the button', async () => {
      const s = await setup();
      s.part('requeue-button')!.focus();
      await sendKeys({ press: 'Enter' });
      await until(() => s.dialog().open, 'open');
      await sendKeys({ type: 'x' });
      await sendKeys({ press: 'Escape' });
      await until(() => !s.dialog().open, 'closed');
      expect(s.root.activeElement).to.equal(s.part('requeue-button'));
      expect(s.fake.sent('requeue')).to.have.length(0);
    });

    it('a chat answered after a return shows who returned it and why, as text', async () => {
      const s = await setup({ session: { returned: { reason: 'Wrong <i>language</i>', agentId: 'bob', agentName: 'Bob Berg', at: NOW - 60_000 } } });
      expect(s.text('returned-bar')).to.equal('Bob Berg returned this chat to the queue: Wrong <i>language</i>');
      expect(s.part('returned-reason')!.querySelector('i')).to.equal(null);
      await expect(s.el).to.be.accessible();
    });
  });

  it('Swedish: the buttons, the bars and the dialog', async () => {
    await setChatLocale('sv');
    const s = await setup({ session: { heldAt: NOW, help: { at: NOW, agentId: 'ann', agentName: 'Ann Agent' } } });
    await until(() => s.text('hold-button') === 'Återuppta', 'Swedish');
    expect(s.text('help-button')).to.equal('Återkalla hjälpbegäran');
    expect(s.text('requeue-button')).to.equal('Tillbaka till kön…');
    expect(s.text('hold-bar')).to.match(/^Parkerad sedan /);
    expect(s.text('help-bar')).to.match(/^Du bad om hjälp kl\. /);
    s.part('requeue-button')!.click();
    await until(() => s.dialog().open, 'open');
    expect(s.dialog().querySelector('h2')!.textContent.trim()).to.equal('Skicka tillbaka chatten med Kim till kön');
    expect(s.text('requeue-confirm')).to.equal('Tillbaka till kön');
    await expect(s.el).to.be.accessible();
  });
});
