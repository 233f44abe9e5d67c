/** Danish strings of the customer identity badge (src/internal/identity-badge.ts; ids start with `identity.`). */

export const templates = {
  'identity.verified': 'Verificeret',
  'identity.unverified': 'Ikke verificeret',
  'identity.verified.label': 'Verificeret kunde: webstedet har bekræftet, hvem det er',
  'identity.unverified.label': 'Ikke verificeret: webstedet sendte en identitet, der ikke kunne bekræftes',
};
