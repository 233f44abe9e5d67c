/**
 * The transcript e-mail a customer asks for after a chat: subject, plain text and HTML in the
 * customer's language, every value from people (names, messages, file names, channel texts)
 * escaped in the HTML. Host-independent: the Node host sends it over SMTP (server/node/mailer.ts).
 */
import type { ChannelLanguage } from '../../../src/protocol/channel-settings.js';
import type { TranscriptLine } from '../../../src/crm/transcript.js';
import { escapeHtml } from '../../../src/crm/html.js';

/** Outgoing mail as a host provides it (Node: server/node/mailer.ts, SMTP). */
export interface Mailer {
  send(to: string, mail: TranscriptMail): Promise<void>;
  close(): void;
}

export interface TranscriptMail {
  subject: string;
  text: string;
  html: string;
}

interface Words {
  subject: (channel: string) => string;
  intro: (channel: string, date: string) => string;
  visitor: string;
  files: string;
  footer: string;
}

/** The mail's words in each language the widget speaks. */
const WORDS: Record<ChannelLanguage, Words> = {
  en: {
    subject: (c) => `Your chat with ${c}`,
    intro: (c, d) => `Here is the transcript of your chat with ${c} on ${d}.`,
    visitor: 'You',
    files: 'Files',
    footer: 'You asked for this e-mail at the end of the chat. Reply to the company, not to this address.',
  },
  sv: {
    subject: (c) => `Din chatt med ${c}`,
    intro: (c, d) => `Här är utskriften av din chatt med ${c} den ${d}.`,
    visitor: 'Du',
    files: 'Filer',
    footer: 'Du bad om det här mejlet när chatten avslutades. Svara till företaget, inte till den här adressen.',
  },
  nb: {
    subject: (c) => `Chatten din med ${c}`,
    intro: (c, d) => `Her er utskriften av chatten din med ${c} ${d}.`,
    visitor: 'Du',
    files: 'Filer',
    footer: 'Du ba om denne e-posten da chatten ble avsluttet. Svar til firmaet, ikke til denne adressen.',
  },
  da: {
    subject: (c) => `Din chat med ${c}`,
    intro: (c, d) => `Her er udskriften af din chat med ${c} den ${d}.`,
    visitor: 'Dig',
    files: 'Filer',
    footer: 'Du bad om denne e-mail, da chatten sluttede. Svar til virksomheden, ikke til denne adresse.',
  },
  de: {
    subject: (c) => `Ihr Chat mit ${c}`,
    intro: (c, d) => `Hier ist der Verlauf Ihres Chats mit ${c} am ${d}.`,
    visitor: 'Sie',
    files: 'Dateien',
    footer: 'Sie haben diese E-Mail am Ende des Chats angefordert. Antworten Sie bitte dem Unternehmen, nicht an diese Adresse.',
  },
  fi: {
    subject: (c) => `Chattisi: ${c}`,
    intro: (c, d) => `Tässä on tallenne chatistasi (${c}) ${d}.`,
    visitor: 'Sinä',
    files: 'Tiedostot',
    footer: 'Pyysit tämän sähköpostin chatin päättyessä. Vastaa yritykselle, älä tähän osoitteeseen.',
  },
};


/** No line breaks in a header (the subject carries a channel name a manager typed). */
const oneLine = (text: string) => text.replace(/[\r\n\u2028\u2029]+/g, ' ').trim();

export interface TranscriptInput {
  language: ChannelLanguage;
  /** The channel's name in that language. */
  channelName: string;
  /** The customer's name as the messages carry it ('' for a visitor without one). */
  customerName: string;
  startedAt: number;
  /** The channel's time zone for times (the tenant's when the channel has no hours). */
  timeZone: string;
  lines: readonly (TranscriptLine & { fromCustomer: boolean })[];
}

/** Builds the e-mail. Times are shown in `timeZone`, named in the mail. */
export function transcriptMail(input: TranscriptInput): TranscriptMail {
  const w = WORDS[input.language];
  const channel = oneLine(input.channelName);
  const date = `${new Intl.DateTimeFormat(input.language, { dateStyle: 'long', timeStyle: 'short', timeZone: input.timeZone }).format(input.startedAt)} (${input.timeZone})`;
  const time = new Intl.DateTimeFormat(input.language, { timeStyle: 'short', timeZone: input.timeZone });
  const rows = input.lines
    .map((l) => ({
      at: time.format(l.at),
      author: l.fromCustomer ? w.visitor : l.author.trim() || channel,
      text: l.text.trim(),
      files: l.files && l.files.length > 0 ? `${w.files}: ${l.files.join(', ')}` : '',
    }))
    .filter((r) => r.text !== '' || r.files !== '');
  const intro = w.intro(channel, date);
  const text = [intro, '', ...rows.map((r) => `[${r.at}] ${r.author}: ${[r.text, r.files].filter((x) => x !== '').join(' ').replace(/\r?\n/g, '\n    ')}`), '', '—', w.footer].join('\n');
  const html = [
    `<!doctype html><html lang="${input.language}"><head><meta charset="utf-8"><title>${escapeHtml(w.subject(channel))}</title></head>`,
    '<body style="font-family:system-ui,sans-serif;line-height:1.4;color:#1b2431">',
    `<p>${escapeHtml(intro)}</p>`,
    '<table role="presentation" cellpadding="4" style="border-collapse:collapse">',
    ...rows.map(
      (r) =>
        `<tr><td style="color:#556070;vertical-align:top;white-space:nowrap">${escapeHtml(r.at)}</td><td style="vertical-align:top"><strong>${escapeHtml(r.author)}</strong><br>${escapeHtml(r.text).replace(/\r?\n/g, '<br>')}${r.files ? `<br><em>${escapeHtml(r.files)}</em>` : ''}</td></tr>`,
    ),
    '</table>',
    `<p style="color:#556070;font-size:0.875em">${escapeHtml(w.footer)}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject: w.subject(channel), text, html };
}
