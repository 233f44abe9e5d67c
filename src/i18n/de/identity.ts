/** German strings of the customer identity badge (src/internal/identity-badge.ts; ids start with `identity.`). */

export const templates = {
  'identity.verified': 'Verifiziert',
  'identity.unverified': 'Nicht verifiziert',
  'identity.verified.label': 'Verifizierter Kunde: Die Website hat bestätigt, wer das ist',
  'identity.unverified.label': 'Nicht verifiziert: Die Website hat eine Identität gesendet, die nicht bestätigt werden konnte',
};
