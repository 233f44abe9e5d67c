/**
 * The conversation's toolbar for hold, return to queue and ask for help (issue 18): which buttons
 * show for whom, Put on hold / Resume and Ask for help / Cancel help request as toggle buttons
 * (the frame sent, the server's answer shown as a bar, focus kept, announced), refusals said
 * and fired as `chat-error`, the Return to queue dialog (reason required, the frame, Escape),
 * the reason a returned chat carries, the Ask for help dialog with its note, the chat's tags as chips
 * in the header, keyboard only, axe in each state, English and Swedish.
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

/** chat-conversation's width in the demo console at 1440 px (the session list and the contact panel beside it). */
const CONSOLE_1440_WIDTH = 600;

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
      if (frame.on === true) next({ help: { at: NOW + 2000, agentId: 'ann', agentName: 'Ann Agent', ...(typeof frame.note === 'string' ? { note: frame.note } : {}) } });
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
    it('my active chat: Ask for help…, Put on hold and Return to queue…, as a toggle button and dialog openers', async () => {
      const s = await setup();
      expect(s.text('help-button')).to.equal('Ask for help…');
      expect(s.part('help-button')!.getAttribute('aria-haspopup')).to.equal('dialog');
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
    it('asks with a note from a dialog, with the keyboard: the frame, the bar with the note, the toggle that lowers it', async () => {
      const s = await setup();
      s.part('help-button')!.focus();
      await sendKeys({ press: 'Enter' });
      const dialog = () => s.root.querySelector<HTMLDialogElement>('.help-dialog')!;
      await until(() => dialog().open, 'help dialog open');
      const note = s.part('help-note-input') as HTMLTextAreaElement;
      await until(() => s.root.activeElement === note, 'focus in the note');
      expect(dialog().querySelector('h2')!.textContent.trim()).to.equal('Ask for help in the chat with Kim');
      expect(note.maxLength).to.equal(300, 'length-limited like the frame (MAX_HELP_NOTE)');
      expect(note.labels[0]?.textContent.trim()).to.equal('What do you need? (optional)');
      expect(s.fake.sent('help')).to.have.length(0, 'nothing sent before the dialog is confirmed');
      await expect(s.el).to.be.accessible();

      await sendKeys({ type: '  Refund over my <b>limit</b>  ' });
      s.part('help-confirm')!.focus();
      await sendKeys({ press: 'Enter' });
      await until(() => s.fake.sent('help').length === 1, 'help sent');
      expect(s.fake.sent('help')[0]).to.deep.include({ sessionId: 's1', on: true, note: 'Refund over my <b>limit</b>' });
      await until(() => !dialog().open, 'dialog closed');
      await until(() => s.part('help-bar') !== null, 'help bar');
      expect(s.text('help-bar')).to.match(/^You asked for help at .+\. The supervisors of this channel see it on their Dashboard\. Refund over my <b>limit<\/b>$/);
      expect(s.part('help-note')!.querySelector('b')).to.equal(null, 'the note stays text');
      expect(s.text('help-button')).to.equal('Cancel help request');
      expect(s.part('help-button')!.getAttribute('aria-pressed')).to.equal('true');
      await until(() => s.root.activeElement === s.part('help-button'), 'focus back on the button');
      await until(() => announcerText().polite.includes('You asked for help. The supervisors of this channel see it on their Dashboard.'), 'announced');
      await expect(s.el).to.be.accessible();

      await sendKeys({ press: 'Enter' });
      await until(() => s.fake.sent('help').length === 2, 'lowered');
      expect(s.fake.sent('help')[1]).to.deep.include({ sessionId: 's1', on: false });
      await until(() => s.part('help-bar') === null, 'bar gone');
      expect(s.text('help-button')).to.equal('Ask for help…');
    });

    it('without a note sends none; Escape closes the dialog without asking, focus back on the button', async () => {
      const s = await setup();
      const dialog = () => s.root.querySelector<HTMLDialogElement>('.help-dialog')!;
      s.part('help-button')!.focus();
      await sendKeys({ press: 'Enter' });
      await until(() => dialog().open, 'open');
      await sendKeys({ type: 'x' });
      await sendKeys({ press: 'Escape' });
      await until(() => !dialog().open, 'closed');
      await until(() => s.root.activeElement === s.part('help-button'), 'focus back on the button');
      expect(s.fake.sent('help')).to.have.length(0);

      s.part('help-button')!.click();
      await until(() => dialog().open, 'open again');
      (s.part('help-note-input') as HTMLTextAreaElement).value = '   ';
      s.part('help-note-input')!.dispatchEvent(new Event('input'));
      s.part('help-confirm')!.click();
      await until(() => s.fake.sent('help').length === 1, 'sent');
      expect(s.fake.sent('help')[0]).to.not.have.property('note');
    });

    it("shows a request's note as text, never as markup", async () => {
      const s = await setup({ session: { help: { at: NOW, agentId: 'ann', agentName: 'Ann Agent', note: '<b>Refund</b> over 500?' } } });
      expect(s.text('help-note')).to.equal('<b>Refund</b> over 500?');
      expect(s.part('help-note')!.querySelector('b')).to.equal(null);
    });
  });

  describe('header layout (compact tool buttons)', () => {
    /** The header's buttons: their rows (tops), and whether each shows its label. */
    const layout = (s: Awaited<ReturnType<typeof setup>>) => {
      const title = s.part('title')!.getBoundingClientRect();
      const buttons = [...s.part('actions')!.querySelectorAll<HTMLButtonElement>('button')];
      return {
        buttons,
        tops: new Set(buttons.map((b) => Math.round(b.getBoundingClientRect().top))),
        besideTitle: buttons.every((b) => b.getBoundingClientRect().top < title.bottom && b.getBoundingClientRect().left >= title.right),
        labelShown: (b: HTMLButtonElement) => (b.querySelector('.label')?.getBoundingClientRect().width ?? 99) > 2,
      };
    };

    it('as wide as in the console at 1440 px: one line beside the title, icons with their names as tooltips; End chat keeps its text', async () => {
      const s = await setup();
      s.el.style.width = `${String(CONSOLE_1440_WIDTH)}px`;
      await until(() => layout(s).tops.size === 1, 'one line');
      const l = layout(s);
      expect(l.buttons.map((b) => b.getAttribute('part'))).to.deep.equal(['help-button', 'hold-button', 'requeue-button', 'transfer-button', 'unread-button', 'end-button']);
      expect(l.besideTitle).to.equal(true, 'beside the title, not under it');
      for (const b of l.buttons.filter((x) => x.classList.contains('btn--tool'))) {
        expect(l.labelShown(b)).to.equal(false, `${String(b.getAttribute('part'))} shows its icon only`);
        expect(b.title).to.equal(b.textContent.trim(), 'the label is the tooltip');
        expect(b.getBoundingClientRect().width).to.be.at.least(24);
      }
      expect(l.labelShown(s.part('end-button') as HTMLButtonElement)).to.equal(true, 'End chat keeps its text');
      expect(s.text('end-button')).to.equal('End chat');
      // Keyboard: each is still a tab stop, in order, with its name.
      s.part('help-button')!.focus();
      for (const name of ['hold-button', 'requeue-button', 'transfer-button', 'unread-button', 'end-button']) {
        await sendKeys({ press: 'Tab' });
        expect(s.root.activeElement?.getAttribute('part')).to.equal(name);
      }
      await expect(s.el).to.be.accessible();
      // A pressed toggle is marked by more than its (hidden) label.
      const held = await setup({ session: { heldAt: NOW } });
      held.el.style.width = `${String(CONSOLE_1440_WIDTH)}px`;
      await until(() => layout(held).tops.size === 1, 'one line');
      expect(getComputedStyle(held.part('hold-button')!).boxShadow).to.not.equal('none');
      await expect(held.el).to.be.accessible();
    });

    it('wide: every button shows its label', async () => {
      const s = await setup();
      s.el.style.width = '1200px';
      await until(() => layout(s).tops.size === 1, 'one line');
      const l = layout(s);
      for (const b of l.buttons) expect(l.labelShown(b) || !b.querySelector('.label')).to.equal(true, String(b.getAttribute('part')));
    });
  });

  describe('tags in the header', () => {
    it("shows the chat's tags as chips of text in a labelled list; none without tags", async () => {
      const s = await setup({ session: { tags: ['Refund', '<i>VIP</i> customer'] } });
      const list = s.part('tags')!;
      expect(list.localName).to.equal('ul');
      expect(list.getAttribute('aria-label')).to.equal('Tags');
      const chips = [...s.root.querySelectorAll('[part~="tag"]')];
      expect(chips.map((c) => c.textContent.trim())).to.deep.equal(['Refund', '<i>VIP</i> customer']);
      expect(list.querySelector('i')).to.equal(null, 'a tag stays text');
      expect(s.part('header')!.contains(list)).to.equal(true);
      await expect(s.el).to.be.accessible();
      const none = await setup();
      expect(none.part('tags')).to.equal(null);
    });

    it('Swedish label', async () => {
      await setChatLocale('sv');
      const s = await setup({ session: { tags: ['Retur'] } });
      await until(() => s.part('tags')?.getAttribute('aria-label') === 'Taggar', 'Swedish');
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
