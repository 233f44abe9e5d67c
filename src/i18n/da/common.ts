/** Danish strings shared by several elements (ids start with `common.`). */

export const templates = {
  'common.visitor': 'Besøgende',
  'common.connection.connecting': 'Forbinder…',
  'common.connection.resuming': 'Synkroniserer…',
  'common.connection.reconnecting': 'Forbindelsen blev afbrudt. Forbinder igen…',
  'common.connection.offline': 'Du er offline. Vi forbinder igen, når netværket er tilbage.',
  'common.connection.auth': 'Du er blevet logget ud. Log ind igen for at fortsætte med at chatte.',
  'common.connection.fatal': 'Serveren lukkede forbindelsen.',
  'common.connection.limit.tenant': 'Chattjenesten har nået sit antal forbindelser for jeres organisation. Prøver igen om lidt…',
  'common.connection.limit.user': 'Du har for mange chatvinduer åbne. Luk et; vi prøver igen om lidt…',
  'common.connection.limit.frames': 'For mange forespørgsler på kort tid. Prøver igen om lidt…',
  'common.connection.limit.capacity': 'Chattjenesten er meget travl lige nu. Prøver igen om lidt…',
  'common.connection.retry': 'Prøv igen',
  'common.connection.restored': 'Forbindelsen er genoprettet',
};
