/**
 * The customer's journey without schemas (those are channel-settings.ts), so that the widget's
 * first bundle and its journey chunk need no validation library: what marks a message as the
 * channel's bot's (chatbot first, docs/customer-journey.md), and the default accent colour of a
 * channel's look.
 */

/** A channel's accent colour by default: the widget then keeps the page's own theming. */
export const DEFAULT_LOOK_COLOUR = '#1f5fbf';

/** `author.id` of a bot's messages (`author.kind` is `system`, the message a `text`). */
export const BOT_SENDER_ID = 'bot';

/** True for a message the channel's bot wrote (marked as such in the widget and the console). */
export function isBotMessage(m: { kind: string; author: { kind: string; id?: string | undefined } }): boolean {
  return m.kind === 'text' && m.author.kind === 'system' && m.author.id === BOT_SENDER_ID;
}
