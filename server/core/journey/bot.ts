/**
 * Chatbot first (docs/customer-journey.md § Chatbot): a channel may name a bot's webhook that
 * answers a new chat before it reaches the queue.
 *
 * - The widget sends each customer turn to `POST /api/bot/turn`; the server asks the bot with a
 *   signed request (HMAC-SHA256 of `<timestamp>.<body>` with the channel's bot secret, headers
 *   `X-Chat-Timestamp` and `X-Chat-Signature: sha256=<hex>`) and a timeout.
 * - The bot answers `{text?, handoff?}`. The customer goes to the queue when the bot hands off,
 *   when the customer asks for a person, when the bot fails or is late (`unavailable`), and after
 *   {@link MAX_BOT_TURNS} turns (`gave-up`).
 * - The conversation so far travels with the widget, signed by this server (`proof`, with a
 *   secret of its own): the chat start takes it back and stores it as the chat's first messages,
 *   the bot's marked as the bot's (`author {kind: 'system', id: 'bot'}`), so the agent sees it.
 *   Nothing is kept on the server between turns (both hosts: Node and Cloudflare).
 */
import type { BotSettings, BotTurn, BotTurnResult, ChannelLanguage } from '../../../src/protocol/channel-settings.js';
import { MAX_BOT_TURNS } from '../../../src/protocol/channel-settings.js';
import { MAX_MESSAGE_TEXT } from '../../../src/protocol/limits.js';
import { b64url, fromB64url, hmacKey, metaSecret } from '../auth.js';
import type { SqlPort } from '../sql.js';

const enc = new TextEncoder();

/** What the bot's webhook receives. */
export interface BotRequest {
  tenant: string;
  channelId: string;
  /** The widget's language. */
  language: ChannelLanguage;
  /** The conversation so far, the customer's newest turn last. */
  conversation: { from: 'customer' | 'bot'; text: string }[];
}

/** The HMAC-SHA256 signature of a bot request, hex (`X-Chat-Signature: sha256=<hex>`). */
export async function signBotRequest(secret: string, timestamp: string, body: string): Promise<string> {
  const sig = new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(secret), enc.encode(`${timestamp}.${body}`)));
  return [...sig].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** For bots: true when the signature is the channel's and the timestamp within five minutes of `now`. */
export async function verifyBotRequest(secret: string, headers: { timestamp: string | undefined; signature: string | undefined }, body: string, now: number): Promise<boolean> {
  const { timestamp, signature } = headers;
  if (!timestamp || !signature || !/^\d{1,16}$/.test(timestamp) || Math.abs(now - Number(timestamp)) > 5 * 60_000) return false;
  const hex = /^sha256=([0-9a-f]{64})$/.exec(signature)?.[1];
  if (!hex) return false;
  const bytes = Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));
  return crypto.subtle.verify('HMAC', await hmacKey(secret), bytes, enc.encode(`${timestamp}.${body}`));
}

/** The server's own key for the proofs of bot conversations (made once per database). */
function proofSecret(db: SqlPort): string {
  return metaSecret(db, 'bot_proof_secret');
}

const proofText = (tenantId: string, channelId: string, conversation: readonly BotTurn[]): string => JSON.stringify([tenantId, channelId, conversation]);

/** Signs a bot conversation for the widget to bring back. */
export async function proveConversation(db: SqlPort, tenantId: string, channelId: string, conversation: readonly BotTurn[]): Promise<string> {
  const sig = await crypto.subtle.sign('HMAC', await hmacKey(proofSecret(db)), enc.encode(proofText(tenantId, channelId, conversation)));
  return b64url(new Uint8Array(sig));
}

/** The conversation the widget brought back, when this server signed it for this channel; else undefined. */
export async function checkConversation(db: SqlPort, tenantId: string, channelId: string, raw: unknown): Promise<BotTurn[] | undefined> {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { conversation, proof } = raw as { conversation?: unknown; proof?: unknown };
  if (!Array.isArray(conversation) || typeof proof !== 'string' || conversation.length > 2 * MAX_BOT_TURNS) return undefined;
  const turns: BotTurn[] = [];
  for (const t of conversation as unknown[]) {
    if (typeof t !== 'object' || t === null) return undefined;
    const { from, text, at } = t as Record<string, unknown>;
    if ((from !== 'customer' && from !== 'bot') || typeof text !== 'string' || text.length > MAX_MESSAGE_TEXT || typeof at !== 'number' || !Number.isSafeInteger(at)) return undefined;
    turns.push({ from, text, at });
  }
  const sig = fromB64url(proof);
  if (!sig) return undefined;
  const ok = await crypto.subtle.verify('HMAC', await hmacKey(proofSecret(db)), sig, enc.encode(proofText(tenantId, channelId, turns)));
  return ok ? turns : undefined;
}

/** What the bot answered: a text, a hand-off, or neither. */
export type BotAnswer = { text?: string; handoff?: false } | { text?: string; handoff: true };

/**
 * Asks the bot (its URL, or a path on this server resolved against `base`) with a signed request;
 * undefined when it fails, answers late, or answers something else than `{text?, handoff?}`.
 */
export async function askBot(bot: BotSettings, base: string, request: BotRequest, now: number): Promise<BotAnswer | undefined> {
  const url = bot.url.startsWith('/') ? `${base}${bot.url}` : bot.url;
  const body = JSON.stringify(request);
  const timestamp = String(now);
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Chat-Timestamp': timestamp, 'X-Chat-Signature': `sha256=${await signBotRequest(bot.secret, timestamp, body)}` },
      body,
      // Not followed: a redirect is a failure (`'manual'`, as workerd has no `'error'`: with it the
      // Cloudflare host never reached a bot).
      redirect: 'manual',
      signal: AbortSignal.timeout(bot.timeoutMs),
    });
    if (!res.ok) return undefined;
    const answer = (await res.json()) as unknown;
    if (typeof answer !== 'object' || answer === null) return undefined;
    const { text, handoff } = answer as { text?: unknown; handoff?: unknown };
    if (text !== undefined && typeof text !== 'string') return undefined;
    if (handoff !== undefined && typeof handoff !== 'boolean') return undefined;
    const cut = text?.trim().slice(0, MAX_MESSAGE_TEXT);
    return { ...(cut ? { text: cut } : {}), ...(handoff === true ? { handoff: true as const } : {}) };
  } catch {
    return undefined;
  }
}

/**
 * One turn: the customer's `text` (or, with `handoff`, the customer's wish for a person) after
 * the signed conversation so far; the bot's answer appended; the new proof.
 */
export async function botTurn(
  db: SqlPort,
  input: { tenantId: string; channelId: string; language: ChannelLanguage; bot: BotSettings; base: string; now: number },
  before: BotTurn[],
  text: string,
): Promise<BotTurnResult> {
  const { tenantId, channelId, now } = input;
  const conversation = [...before, { from: 'customer' as const, text, at: now }];
  const customerTurns = conversation.filter((t) => t.from === 'customer').length;
  let handoff: BotTurnResult['handoff'];
  const answer = await askBot(input.bot, input.base, { tenant: tenantId, channelId, language: input.language, conversation: conversation.map(({ from, text: t }) => ({ from, text: t })) }, now);
  if (!answer) handoff = 'unavailable';
  else {
    if (answer.text) conversation.push({ from: 'bot', text: answer.text, at: now });
    if (answer.handoff) handoff = 'asked';
    else if (customerTurns >= MAX_BOT_TURNS) handoff = 'gave-up';
  }
  return { conversation, proof: await proveConversation(db, tenantId, channelId, conversation), ...(handoff ? { handoff } : {}) };
}
