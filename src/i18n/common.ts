/** Strings and formats shared by several elements. */
import type { ConnectionStatus } from '../state/types.js';
import { msg } from './localization.js';

export { formatAge, formatTime, formatTimeWithZone, timeZoneName } from './format.js';

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
    case 'server_capacity':
      return msg('The chat service is very busy right now. Trying again shortly…', { id: 'common.connection.limit.capacity' });
    default:
      return '';
  }
}

export const retryLabel = () => msg('Retry', { id: 'common.connection.retry' });
export const restoredText = () => msg('Connection restored', { id: 'common.connection.restored' });
