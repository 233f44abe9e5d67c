/** Strings and formats shared by several elements. */
import { msg, str } from '@lit/localize';

import type { ConnectionStatus } from '../state/types.js';
import { getFormatLocale } from './localization.js';

/** Name to show for a customer; "Visitor" when they gave none. */
export function customerName(customer: { name: string } | undefined): string {
  const name = customer?.name.trim() ?? '';
  return name === '' ? msg('Visitor', { id: 'common.visitor' }) : name;
}

/**
 * Sentence describing a connection that is not live, or '' when live / idle. While it reconnects
 * after the server refused it for a limit (`error.limit`), the sentence names that limit.
 */
export function connectionText(status: ConnectionStatus, error?: { limit?: string }): string {
  const refused = status === 'reconnecting' ? limitText(error?.limit) : '';
  if (refused) return refused;
  switch (status) {
    case 'connecting':
      return msg('Connecting…', { id: 'common.connection.connecting' });
    case 'resuming':
      return msg('Syncing…', { id: 'common.connection.resuming' });
    case 'reconnecting':
      return msg('Connection lost. Reconnecting…', { id: 'common.connection.reconnecting' });
    case 'offline':
      return msg('You are offline. We will reconnect when the network is back.', { id: 'common.connection.offline' });
    case 'auth-required':
      return msg('You have been signed out. Sign in again to keep chatting.', { id: 'common.connection.auth' });
    case 'fatal':
      return msg('The server closed the connection.', { id: 'common.connection.fatal' });
    default:
      return '';
  }
}

/** A server limit that refused the connection, in words ('' for none or one this version does not know). */
function limitText(limit: string | undefined): string {
  switch (limit) {
    case 'connections_per_tenant':
      return msg('The chat service has reached its number of connections for your organisation. Trying again shortly…', { id: 'common.connection.limit.tenant' });
    case 'connections_per_user':
      return msg('Too many chat windows are open for you. Close one; trying again shortly…', { id: 'common.connection.limit.user' });
    case 'frames_per_minute':
      return msg('Too many requests in a short time. Trying again shortly…', { id: 'common.connection.limit.frames' });
    default:
      return '';
  }
}

export const retryLabel = () => msg('Retry', { id: 'common.connection.retry' });
export const restoredText = () => msg('Connection restored', { id: 'common.connection.restored' });

/** One clock-time formatter per locale (creating an Intl.DateTimeFormat is slow). */
let timeFormat: { locale: string; format: Intl.DateTimeFormat } | undefined;

/** Clock time of a timestamp in the current locale (e.g. "14:05"). */
export function formatTime(at: number): string {
  const locale = getFormatLocale();
  if (timeFormat?.locale !== locale) {
    // 24-hour clocks write the hour with two digits (09:05); 12-hour clocks do not (9:05 AM).
    const twelve = new Intl.DateTimeFormat(locale, { hour: 'numeric' }).resolvedOptions().hour12 === true;
    timeFormat = { locale, format: new Intl.DateTimeFormat(locale, { hour: twelve ? 'numeric' : '2-digit', minute: '2-digit' }) };
  }
  return timeFormat.format.format(at);
}

/** Compact age: "now", "5 min", "3 h", or a date for older times. */
export function formatAge(at: number, now: number): string {
  const minutes = Math.floor((now - at) / 60_000);
  if (minutes < 1) return msg('now', { id: 'common.time.now' });
  if (minutes < 60) return msg(str`${minutes} min`, { id: 'common.time.minutes' });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return msg(str`${hours} h`, { id: 'common.time.hours' });
  return new Intl.DateTimeFormat(getFormatLocale(), { day: 'numeric', month: 'short' }).format(at);
}
