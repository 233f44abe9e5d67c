/** Finnish strings shared by several elements (ids start with `common.`). */

export const templates = {
  'common.visitor': 'Vierailija',
  'common.connection.connecting': 'Yhdistetään…',
  'common.connection.resuming': 'Synkronoidaan…',
  'common.connection.reconnecting': 'Yhteys katkesi. Yhdistetään uudelleen…',
  'common.connection.offline': 'Olet offline-tilassa. Yhdistämme uudelleen, kun verkko palaa.',
  'common.connection.auth': 'Sinut on kirjattu ulos. Kirjaudu uudelleen sisään jatkaaksesi keskustelua.',
  'common.connection.fatal': 'Palvelin sulki yhteyden.',
  'common.connection.limit.tenant': 'Chat-palvelun yhteyksien enimmäismäärä organisaatiollenne on täynnä. Yritetään pian uudelleen…',
  'common.connection.limit.user': 'Sinulla on liian monta chat-ikkunaa auki. Sulje yksi; yritetään pian uudelleen…',
  'common.connection.limit.frames': 'Liian monta pyyntöä lyhyessä ajassa. Yritetään pian uudelleen…',
  'common.connection.limit.capacity': 'Chat-palvelu on juuri nyt hyvin kuormittunut. Yritetään pian uudelleen…',
  'common.connection.retry': 'Yritä uudelleen',
  'common.connection.restored': 'Yhteys palautui',
};
