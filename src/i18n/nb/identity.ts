/** Norwegian Bokmål strings of the customer identity badge (src/internal/identity-badge.ts; ids start with `identity.`). */

export const templates = {
  'identity.verified': 'Verifisert',
  'identity.unverified': 'Ikke verifisert',
  'identity.verified.label': 'Verifisert kunde: nettstedet har bekreftet hvem dette er',
  'identity.unverified.label': 'Ikke verifisert: nettstedet sendte en identitet som ikke kunne bekreftes',
};
