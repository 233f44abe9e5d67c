/** Swedish strings shared by several elements (ids start with `common.`). */

export const templates = {
  'common.visitor': 'Besökare',
  'common.connection.connecting': 'Ansluter…',
  'common.connection.resuming': 'Synkroniserar…',
  'common.connection.reconnecting': 'Anslutningen bröts. Återansluter…',
  'common.connection.offline': 'Du är offline. Vi återansluter när nätverket är tillbaka.',
  'common.connection.auth': 'Du har loggats ut. Logga in igen för att fortsätta chatta.',
  'common.connection.fatal': 'Servern stängde anslutningen.',
  'common.connection.limit.tenant': 'Chattjänsten har nått sitt antal anslutningar för er organisation. Försöker igen strax…',
  'common.connection.limit.user': 'Du har för många chattfönster öppna. Stäng ett; vi försöker igen strax…',
  'common.connection.limit.frames': 'För många förfrågningar på kort tid. Försöker igen strax…',
  'common.connection.limit.capacity': 'Chattjänsten är mycket belastad just nu. Försöker igen strax…',
  'common.connection.retry': 'Försök igen',
  'common.connection.restored': 'Anslutningen är återställd',
};
