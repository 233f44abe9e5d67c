/** Swedish strings of the customer identity badge (src/internal/identity-badge.ts; ids start with `identity.`). */
export const templates = {
  'identity.verified': 'Verifierad',
  'identity.unverified': 'Ej verifierad',
  'identity.verified.label': 'Verifierad kund: webbplatsen har bekräftat vem det är',
  'identity.unverified.label': 'Ej verifierad: webbplatsen skickade en identitet som inte kunde bekräftas',
};
