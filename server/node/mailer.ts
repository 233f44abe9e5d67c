/**
 * Outgoing e-mail of the Node host (the transcript a customer asks for after a chat), over SMTP
 * with nodemailer. Configured by `--smtp-url` (`smtp://user:pass@host:587`, `smtps://…`) and
 * `--mail-from`; without a URL the server sends no mail and the widget does not offer it.
 */
import type { Transporter } from 'nodemailer';

import type { Mailer } from '../core/journey/transcript.js';

export type { Mailer };

export interface MailerOptions {
  /** `smtp://[user:pass@]host[:port]` or `smtps://…`. */
  url: string;
  /** The From address, e.g. `Nordlys chat <chat@nordlys.example>`. */
  from: string;
  /** Give up on a server that does not answer (ms). */
  timeoutMs?: number;
}

export function createMailer(options: MailerOptions): Mailer {
  const timeout = options.timeoutMs ?? 15_000;
  const url = new URL(options.url);
  // Loaded on first use: a server without --smtp-url runs without nodemailer installed.
  let transport: Promise<Transporter> | undefined;
  const open = () =>
    (transport ??= import('nodemailer').then(({ createTransport }) =>
      createTransport({
        host: url.hostname,
        port: url.port === '' ? (url.protocol === 'smtps:' ? 465 : 587) : Number(url.port),
        secure: url.protocol === 'smtps:',
        ...(url.username !== '' ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
        // A local test server offers no TLS: STARTTLS is used when offered (and required with ?tls=required).
        requireTLS: url.searchParams.get('tls') === 'required',
        connectionTimeout: timeout,
        greetingTimeout: timeout,
        socketTimeout: timeout,
      }),
    ));
  return {
    async send(to, mail) {
      await (await open()).sendMail({ from: options.from, to, subject: mail.subject, text: mail.text, html: mail.html });
    },
    close() {
      void transport?.then((t) => {
        t.close();
      });
    },
  };
}
