/**
 * The demo's small rule-based bot for the Support channel (`POST /api/demo/bot`, demo only): it
 * plays a bot's webhook as any bot would (journey/bot.ts): it checks the request's signature with
 * the channel's bot secret, answers a few questions (delivery, returns, opening hours) in English
 * or Swedish, hands off when the customer asks for a person, and gives up (hands off) when it did
 * not understand twice.
 */
import type { BotRequest } from '../../journey/bot.js';
import { verifyBotRequest } from '../../journey/bot.js';
import { readSettings } from '../../journey/settings.js';
import type { Handler } from '../router.js';
import { HttpError, readBytes, roomOf } from '../router.js';

interface Rule {
  words: RegExp;
  en: string;
  sv: string;
}

const RULES: readonly Rule[] = [
  {
    words: /deliver|parcel|shipping|leverans|paket|frakt/i,
    en: 'Deliveries take 2–4 working days. You find the tracking link in your order confirmation.',
    sv: 'Leveranser tar 2–4 arbetsdagar. Spårningslänken finns i din orderbekräftelse.',
  },
  {
    words: /return|refund|retur|återbetal|ångra/i,
    en: 'You can return an item within 30 days. Start the return under "My orders" on our website.',
    sv: 'Du kan returnera en vara inom 30 dagar. Starta returen under "Mina ordrar" på webbplatsen.',
  },
  {
    words: /open|hours|öppe|tider/i,
    en: 'Our customer service is open on weekdays from 08:00 to 17:00.',
    sv: 'Vår kundtjänst har öppet vardagar 08.00–17.00.',
  },
];

const PERSON = /person|human|agent|someone|människa|handläggare|någon/i;

const SAY = {
  handoff: { en: 'I will connect you with a person. Please wait a moment.', sv: 'Jag kopplar dig till en person. Vänta ett ögonblick.' },
  again: {
    en: 'Sorry, I did not understand. Ask me about delivery, returns or opening hours, or write "person" to talk to someone.',
    sv: 'Förlåt, det förstod jag inte. Fråga mig om leverans, returer eller öppettider, eller skriv "person" för att prata med någon.',
  },
  giveUp: { en: 'I cannot help with that. I will connect you with a person.', sv: 'Det kan jag inte hjälpa till med. Jag kopplar dig till en person.' },
};

export const demoBot: Handler<'demo'> = async (ctx) => {
  const raw = new TextDecoder().decode(await readBytes(ctx.request, 64 * 1024));
  let request: BotRequest;
  try {
    request = JSON.parse(raw) as BotRequest;
  } catch {
    throw new HttpError(400, 'invalid', 'body is not valid JSON');
  }
  const r = roomOf(ctx.app, typeof request.tenant === 'string' ? request.tenant : '');
  const settings = readSettings(ctx.app.db, r.tenantId, typeof request.channelId === 'string' ? request.channelId : '');
  const signed = { timestamp: ctx.request.header('x-chat-timestamp'), signature: ctx.request.header('x-chat-signature') };
  if (!settings || settings.bot.secret === '' || !(await verifyBotRequest(settings.bot.secret, signed, raw, ctx.app.clock.now()))) {
    throw new HttpError(401, 'unauthenticated', 'not signed with the channel’s bot secret');
  }
  const lang = request.language === 'sv' ? 'sv' : 'en';
  const turns = Array.isArray(request.conversation) ? request.conversation : [];
  const last = turns.at(-1)?.text ?? '';
  if (PERSON.test(last)) {
    ctx.json(200, { text: SAY.handoff[lang], handoff: true });
    return;
  }
  const rule = RULES.find((x) => x.words.test(last));
  if (rule) {
    ctx.json(200, { text: rule[lang] });
    return;
  }
  const confused = turns.filter((t) => t.from === 'bot' && (t.text === SAY.again.en || t.text === SAY.again.sv)).length;
  ctx.json(200, confused >= 1 ? { text: SAY.giveUp[lang], handoff: true } : { text: SAY.again[lang] });
};
