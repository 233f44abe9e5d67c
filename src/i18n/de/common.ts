/** German strings shared by several elements (ids start with `common.`). */

export const templates = {
  'common.visitor': 'Besucher',
  'common.connection.connecting': 'Verbindung wird hergestellt…',
  'common.connection.resuming': 'Wird synchronisiert…',
  'common.connection.reconnecting': 'Verbindung unterbrochen. Neue Verbindung wird hergestellt…',
  'common.connection.offline': 'Sie sind offline. Die Verbindung wird wiederhergestellt, sobald das Netzwerk wieder da ist.',
  'common.connection.auth': 'Sie wurden abgemeldet. Melden Sie sich erneut an, um weiter zu chatten.',
  'common.connection.fatal': 'Der Server hat die Verbindung beendet.',
  'common.connection.limit.tenant': 'Der Chat-Dienst hat die Zahl der Verbindungen für Ihre Organisation erreicht. Neuer Versuch in Kürze…',
  'common.connection.limit.user': 'Sie haben zu viele Chat-Fenster geöffnet. Schließen Sie eines; neuer Versuch in Kürze…',
  'common.connection.limit.frames': 'Zu viele Anfragen in kurzer Zeit. Neuer Versuch in Kürze…',
  'common.connection.limit.capacity': 'Der Chat-Dienst ist gerade stark ausgelastet. Neuer Versuch in Kürze…',
  'common.connection.retry': 'Erneut versuchen',
  'common.connection.restored': 'Verbindung wiederhergestellt',
};
