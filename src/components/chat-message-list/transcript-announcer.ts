/**
 * What chat-message-list reads out: each new customer message once (not the first snapshot, not
 * older pages), files a customer sent, and transfer news that concerns me.
 */
import { msg, str } from '../../i18n/localization.js';
import { announce } from '../../internal/announcer.js';
import type { ChatMessage } from '../../protocol/model.js';
import type { SessionMessages } from '../../state/types.js';
import { eventText } from './message-rows.js';

/** Longest text read out for one new message. */
const ANNOUNCE_CHARS = 300;

/** Transfer news for me: my offer was declined, expired or accepted, an offer to me went away, my chat was taken over. */
function concernsMe(m: ChatMessage, me: string | undefined): boolean {
  if (me === undefined) return false;
  const from = m.meta?.fromAgentId;
  const to = m.meta?.toAgentId;
  switch (m.event) {
    case 'transfer-declined':
    case 'transferred':
    case 'taken-over':
      return from === me;
    case 'transfer-expired':
      return from === me || to === me;
    case 'transfer-cancelled':
      return to === me;
    default:
      return false;
  }
}

export class TranscriptAnnouncer {
  /** Newest `seq` already considered for announcements, per shown session. */
  private announced: { sessionId?: string; epoch?: string; seq: number } = { seq: 0 };

  /** Speaks new customer messages once (not the first snapshot, not older pages), and transfer news that concerns me. */
  follow(sessionId: string | undefined, m: SessionMessages | undefined, me: string | undefined): void {
    if (!m?.ready) return;
    const a = this.announced;
    const last = m.items.at(-1)?.seq ?? 0;
    if (a.sessionId !== sessionId || a.epoch !== m.epoch) {
      this.announced = { seq: last, ...(sessionId !== undefined ? { sessionId } : {}), ...(m.epoch !== undefined ? { epoch: m.epoch } : {}) };
      return;
    }
    if (last <= a.seq) return;
    const fresh: ChatMessage[] = [];
    for (let i = m.items.length - 1; i >= 0; i -= 1) {
      const item = m.items[i];
      if (!item || item.seq <= a.seq) break;
      fresh.push(item);
    }
    a.seq = last;
    for (const item of fresh.reverse()) {
      if (item.kind === 'event' && item.internal === true) {
        if (concernsMe(item, me)) announce(eventText(item));
        continue;
      }
      if (item.author.kind !== 'customer') continue;
      if (item.kind === 'text') {
        const text = item.text.length > ANNOUNCE_CHARS ? `${item.text.slice(0, ANNOUNCE_CHARS)}…` : item.text;
        const files = item.attachments ?? [];
        const names = files.map((f) => f.name).join(', ');
        const sent =
          files.length === 0
            ? ''
            : files.length === 1
              ? msg(str`${item.author.name} sent a file: ${names}`, { id: 'chat-message-list.announce.file' })
              : msg(str`${item.author.name} sent ${files.length} files: ${names}`, { id: 'chat-message-list.announce.files' });
        if (text !== '') announce(`${item.author.name}: ${text}`);
        if (sent !== '') announce(sent);
      } else if (item.kind === 'event') {
        announce(eventText(item));
      }
    }
  }
}
