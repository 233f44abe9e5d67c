/** Finnish strings of the customer identity badge (src/internal/identity-badge.ts; ids start with `identity.`). */

export const templates = {
  'identity.verified': 'Vahvistettu',
  'identity.unverified': 'Vahvistamaton',
  'identity.verified.label': 'Vahvistettu asiakas: verkkosivusto on vahvistanut henkilöllisyyden',
  'identity.unverified.label': 'Vahvistamaton: verkkosivusto lähetti henkilöllisyyden, jota ei voitu vahvistaa',
};
