/**
 * Notifications of the agent console: a short tone and desktop notifications for a new incoming
 * chat or a new customer message while the console is not looked at, and the count of things
 * waiting for the agent in the page title ("(3) Nordlys CRM").
 *
 * Everything that reaches the browser (audio, the Notification API, focus) goes through a
 * `NotificationSink`, so tests observe the calls with a fake sink and nothing ever plays.
 */

import { plural } from '../../i18n/format.js';
import { msg, str } from '../../i18n/localization.js';
import { customerName } from '../../i18n/common.js';
import { announce } from '../../internal/announcer.js';
import type { SessionSummary } from '../../protocol/index.js';
import type { ChatClient } from '../../state/create-chat-client.js';

export type NotifyKind = 'chat' | 'message';

/** `Notification.permission`, or `unsupported` when the browser has no Notification API. */
export type DesktopPermission = NotificationPermission | 'unsupported';

export interface DesktopNotice {
  title: string;
  body: string;
  /** Notices with the same tag replace each other (one per chat). */
  tag: string;
  /** The user clicked the notice (the window is focused already). */
  onClick: () => void;
}

/** Where notifications go. The default is `browserSink()`; tests pass a recording fake. */
export interface NotificationSink {
  /** True while the agent looks at the console: the page is visible and has focus. */
  isAttended(): boolean;
  /** Plays a short tone (`chat`: two rising notes; `message`: one note). */
  playSound(kind: NotifyKind): void;
  /** Lets audio start later; called from a user action (the Sound checkbox). */
  unlockAudio(): void;
  permission(): DesktopPermission;
  /** Asks the browser for permission; only ever called from a click on the Desktop checkbox. */
  requestPermission(): Promise<DesktopPermission>;
  showDesktop(notice: DesktopNotice): void;
  /** Releases what the sink holds (the audio context). */
  dispose(): void;
}

export interface NotificationSettings {
  /** A tone for new chats and messages while the console is not looked at. */
  sound: boolean;
  /** Desktop notifications (needs the browser's permission). */
  desktop: boolean;
  /** The count of waiting chats and unread messages in the page title. */
  titleCount: boolean;
}

export const DEFAULT_SETTINGS: Readonly<NotificationSettings> = Object.freeze({ sound: false, desktop: false, titleCount: false });

const STORAGE_PREFIX = 'crm-chat-elements.notifications:';

/** localStorage key of one agent's settings on one server and tenant. */
export function settingsKey(url: string, tenant: string, agentId: string): string {
  return `${STORAGE_PREFIX}${url}|${tenant}|${agentId}`;
}

function storage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined; // sandboxed frames, privacy modes
  }
}

/** The stored settings of an agent, or the defaults (everything off). */
export function loadSettings(key: string): NotificationSettings {
  try {
    const raw = storage()?.getItem(key);
    if (!raw) return { ...DEFAULT_SETTINGS };
    const data = JSON.parse(raw) as Partial<Record<keyof NotificationSettings, unknown>>;
    return { sound: data.sound === true, desktop: data.desktop === true, titleCount: data.titleCount === true };
  } catch {
    return { ...DEFAULT_SETTINGS };
  }
}

export function saveSettings(key: string, settings: NotificationSettings): void {
  try {
    storage()?.setItem(key, JSON.stringify(settings));
  } catch {
    // Storage full or unavailable: the settings last for this page only.
  }
}

/** The first words of a message, for a notification (never more than `max` characters). */
export function firstWords(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

// ---- the browser sink --------------------------------------------------------------------------

type AudioContextCtor = new () => AudioContext;

/** Web Audio tones, the Notification API and the document's focus. No audio files. */
export function browserSink(doc: Document = document): NotificationSink {
  let context: AudioContext | undefined;
  const win = doc.defaultView;

  const audio = (): AudioContext | undefined => {
    if (context) return context;
    const Ctor = (win as unknown as { AudioContext?: AudioContextCtor } | null)?.AudioContext;
    if (!Ctor) return undefined;
    try {
      context = new Ctor();
    } catch {
      return undefined;
    }
    return context;
  };

  const NotificationApi = (win as unknown as { Notification?: typeof Notification } | null)?.Notification;

  return {
    isAttended: () => doc.visibilityState === 'visible' && doc.hasFocus(),
    unlockAudio() {
      const ac = audio();
      if (ac?.state === 'suspended') void ac.resume().catch(() => undefined);
    },
    playSound(kind) {
      const ac = audio();
      if (!ac) return;
      if (ac.state === 'suspended') void ac.resume().catch(() => undefined);
      const notes = kind === 'chat' ? [660, 880] : [880];
      const start = ac.currentTime + 0.02;
      notes.forEach((frequency, i) => {
        const osc = ac.createOscillator();
        const gain = ac.createGain();
        const at = start + i * 0.16;
        osc.type = 'sine';
        osc.frequency.value = frequency;
        gain.gain.setValueAtTime(0.0001, at);
        gain.gain.exponentialRampToValueAtTime(0.18, at + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.14);
        osc.connect(gain).connect(ac.destination);
        osc.start(at);
        osc.stop(at + 0.15);
      });
    },
    permission: () => (NotificationApi ? NotificationApi.permission : 'unsupported'),
    async requestPermission() {
      if (!NotificationApi) return 'unsupported';
      try {
        return await NotificationApi.requestPermission();
      } catch {
        return NotificationApi.permission;
      }
    },
    showDesktop(notice) {
      if (NotificationApi?.permission !== 'granted') return;
      try {
        const n = new NotificationApi(notice.title, { body: notice.body, tag: notice.tag });
        n.onclick = () => {
          win?.focus();
          n.close();
          notice.onClick();
        };
      } catch {
        // Some browsers only allow notifications from a service worker: nothing to show then.
      }
    },
    dispose() {
      void context?.close().catch(() => undefined);
      context = undefined;
    },
  };
}

// ---- the page title ----------------------------------------------------------------------------

/**
 * Puts a count in front of the document's title and takes it away again. A title the page
 * changes meanwhile becomes the new original.
 */
export class TitleCount {
  private original: string | undefined;
  private written: string | undefined;

  constructor(private readonly doc: Document = document) {}

  set(count: number): void {
    if (count <= 0) {
      this.restore();
      return;
    }
    if (this.written === undefined || this.doc.title !== this.written) this.original = this.doc.title;
    this.doc.title = `(${String(count)}) ${this.original ?? ''}`.trim();
    // Read back: the browser normalises white space, and that is what a later compare sees.
    this.written = this.doc.title;
  }

  /** Puts the original title back (unless the page has changed it since). */
  restore(): void {
    if (this.written !== undefined && this.doc.title === this.written && this.original !== undefined) this.doc.title = this.original;
    this.written = undefined;
    this.original = undefined;
  }
}

// ---- the notifier ------------------------------------------------------------------------------

export interface NotifierOptions {
  /** The sink to use now (the window's `notificationSink` can change). */
  sink: () => NotificationSink;
  settings: () => NotificationSettings;
  /** The agent clicked a desktop notification: show that chat. */
  select: (sessionId: string) => void;
  /** True when the agent has this chat open (its new messages are announced by the message list). */
  isOpen: (sessionId: string) => boolean;
  /** Runs `fn` in the window's language (the announcement is made outside rendering). */
  localized: (fn: () => string) => string;
  doc?: Document;
}

/** A chat or message that is new since the last board update. */
interface Fresh {
  kind: NotifyKind;
  session: SessionSummary;
  offer: boolean;
}

/**
 * Follows a client's board and notifies about what is new: a chat waiting in my channels, a chat
 * offered to me, a customer message in a chat I handle. What the first board snapshot holds is
 * not new; after a reconnect, chats and messages that arrived meanwhile are.
 */
export class ChatNotifier {
  private readonly title: TitleCount;
  private client: ChatClient | undefined;
  private stop: (() => void) | undefined;
  private recount: (() => void) | undefined;
  private lastTone = 0;

  constructor(private readonly options: NotifierOptions) {
    this.title = new TitleCount(options.doc ?? document);
  }

  /** Follows `client` (and stops following the previous one). */
  attach(client: ChatClient | undefined): void {
    this.detach();
    if (!client) return;
    this.client = client;
    let baseline = true;
    let queuedIds = new Set<string>();
    let offers = new Set<string>();
    /** Time of the newest customer message seen per chat I handle. */
    let lastCustomer = new Map<string, number>();

    const check = () => {
      const queued = client.$queued.get();
      const mine = client.$mine.get();
      const transfers = client.$incomingTransfers.get();
      const fresh: Fresh[] = [];

      for (const s of queued) if (!queuedIds.has(s.id)) fresh.push({ kind: 'chat', session: s, offer: false });
      queuedIds = new Set(queued.map((s) => s.id));

      const offerKey = (s: SessionSummary) => `${s.id}:${String(s.transfer?.at ?? 0)}`;
      for (const s of transfers) if (!offers.has(offerKey(s))) fresh.push({ kind: 'chat', session: s, offer: true });
      offers = new Set(transfers.map(offerKey));

      const nextCustomer = new Map<string, number>();
      for (const s of mine) {
        const at = s.lastMessage?.from === 'customer' ? s.lastMessage.at : 0;
        const before = lastCustomer.get(s.id);
        nextCustomer.set(s.id, Math.max(before ?? 0, at));
        if (before !== undefined && at > before) fresh.push({ kind: 'message', session: s, offer: false });
      }
      lastCustomer = nextCustomer;

      if (client.$connection.get().status === 'live') {
        if (!baseline) {
          for (const f of fresh) this.notify(client, f.kind, f.session, f.offer);
          this.announceFresh(fresh, queued.length);
        }
        baseline = false;
      }
      this.updateTitle(queued.length + mine.reduce((n, s) => n + s.unread, 0));
    };

    const unsubscribe = [client.$queued.listen(check), client.$mine.listen(check), client.$incomingTransfers.listen(check), client.$connection.listen(check)];
    this.stop = () => {
      for (const u of unsubscribe) u();
    };
    this.recount = check;
    check();
  }

  /** Stops following the client and gives the page its title back. */
  detach(): void {
    this.stop?.();
    this.stop = undefined;
    this.recount = undefined;
    this.client = undefined;
    this.title.restore();
  }

  /** Applies changed settings (the title count shows or goes at once). */
  refresh(): void {
    if (this.recount) this.recount();
    else this.title.restore();
  }

  private updateTitle(count: number): void {
    if (this.options.settings().titleCount) this.title.set(count);
    else this.title.restore();
  }

  /**
   * Tells a screen reader about new work, whatever the sound and desktop settings and whether the
   * console is looked at: once per board update, politely, with the counts ("New chat from Kim.
   * 3 chats are waiting."). New messages of the open chat are the message list's to announce.
   */
  private announceFresh(fresh: readonly Fresh[], waiting: number): void {
    const chats = fresh.filter((f) => f.kind === 'chat' && !f.offer);
    const offers = fresh.filter((f) => f.offer);
    const messages = fresh.filter((f) => f.kind === 'message' && !this.options.isOpen(f.session.id));
    if (chats.length + offers.length + messages.length === 0) return;
    const text = this.options.localized(() => {
      const parts: string[] = [];
      const [first] = chats;
      if (first) {
        parts.push(chats.length === 1 ? `${msg(str`New chat from ${customerName(first.session.customer)}`, { id: 'chat-window.notify.chat' })}.` : msg(str`${chats.length} new chats.`, { id: 'chat-window.announce.chats' }));
        parts.push(plural(waiting, { one: msg('1 chat is waiting.', { id: 'chat-window.announce.waiting.one' }), other: msg(str`${waiting} chats are waiting.`, { id: 'chat-window.announce.waiting.other' }) }));
      }
      for (const { session } of offers) {
        parts.push(`${msg(str`${session.transfer?.fromAgentName ?? ''} offers you the chat with ${customerName(session.customer)}`, { id: 'chat-window.notify.transfer' })}.`);
      }
      const [one] = messages;
      if (one && messages.length === 1) {
        const { session } = one;
        const unread = session.unread;
        parts.push(`${msg(str`New message from ${customerName(session.customer)}`, { id: 'chat-window.notify.message' })}.`);
        if (unread > 1) parts.push(msg(str`${unread} unread messages.`, { id: 'chat-window.announce.unread' }));
      } else if (messages.length > 1) {
        parts.push(msg(str`New messages in ${messages.length} chats.`, { id: 'chat-window.announce.messages' }));
      }
      return parts.join(' ');
    });
    announce(text, { doc: this.options.doc ?? document });
  }

  private notify(client: ChatClient, kind: NotifyKind, session: SessionSummary, offer: boolean): void {
    const sink = this.options.sink();
    const { sound, desktop } = this.options.settings();
    if ((!sound && !desktop) || sink.isAttended()) return;
    const now = Date.now();
    // One tone for a burst (several chats in one board update, a reconnect).
    if (sound && now - this.lastTone > 1000) {
      this.lastTone = now;
      sink.playSound(kind);
    }
    if (desktop && sink.permission() === 'granted') {
      const name = customerName(session.customer);
      const title =
        kind === 'message'
          ? msg(str`New message from ${name}`, { id: 'chat-window.notify.message' })
          : offer
            ? msg(str`${session.transfer?.fromAgentName ?? ''} offers you the chat with ${name}`, { id: 'chat-window.notify.transfer' })
            : msg(str`New chat from ${name}`, { id: 'chat-window.notify.chat' });
      const text = session.lastMessage?.from === 'customer' ? session.lastMessage.text : '';
      sink.showDesktop({
        title,
        body: text ? firstWords(text) : '',
        tag: `chat-${session.id}`,
        onClick: () => {
          if (this.client === client) this.options.select(session.id);
        },
      });
    }
  }
}
