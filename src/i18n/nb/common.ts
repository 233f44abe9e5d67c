/** Norwegian Bokmål strings shared by several elements (ids start with `common.`). */

export const templates = {
  'common.visitor': 'Besøkende',
  'common.connection.connecting': 'Kobler til…',
  'common.connection.resuming': 'Synkroniserer…',
  'common.connection.reconnecting': 'Forbindelsen ble brutt. Kobler til igjen…',
  'common.connection.offline': 'Du er frakoblet. Vi kobler til igjen når nettverket er tilbake.',
  'common.connection.auth': 'Du er logget ut. Logg inn igjen for å fortsette å chatte.',
  'common.connection.fatal': 'Serveren avsluttet forbindelsen.',
  'common.connection.limit.tenant': 'Chattjenesten har nådd antallet tilkoblinger for organisasjonen deres. Prøver igjen straks…',
  'common.connection.limit.user': 'Du har for mange chattevinduer åpne. Lukk ett; vi prøver igjen straks…',
  'common.connection.limit.frames': 'For mange forespørsler på kort tid. Prøver igjen straks…',
  'common.connection.limit.capacity': 'Chattjenesten er svært travel akkurat nå. Prøver igjen straks…',
  'common.connection.retry': 'Prøv igjen',
  'common.connection.restored': 'Forbindelsen er gjenopprettet',
};
