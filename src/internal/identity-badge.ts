/**
 * The customer's identity badge: **Verified** when the company's website vouched for the
 * customer with a signed token the server checked (`SessionSummary.identity.verified`),
 * **Unverified** when a token was given but did not verify (its claims are not to be trusted),
 * nothing for anonymous visitors. Used by the session list, the conversation header and the
 * contact panel; each adds {@link identityBadgeStyles} to its styles.
 */
import { css, html, nothing, svg } from 'lit';

import { msg } from '../i18n/localization.js';
import type { CustomerIdentity } from '../protocol/model.js';
import { pillStyles } from '../styles/pill.styles.js';

const check = svg`<svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><path d="m3.5 8.5 3 3 6-7"/></svg>`;
const warning = svg`<svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" fill="currentColor"><path d="M8 1.5 15 14H1Zm-.8 4.5v4h1.6V6Zm0 5v1.6h1.6V11Z"/></svg>`;

/** The badge's accessible name (also its tooltip). */
export function identityLabel(identity: CustomerIdentity): string {
  return identity.verified
    ? msg('Verified customer: the website confirmed who this is', { id: 'identity.verified.label' })
    : msg('Unverified: the website sent an identity that could not be confirmed', { id: 'identity.unverified.label' });
}

/** The badge for a session's identity, or nothing when the website sent none. */
export function identityBadge(identity: CustomerIdentity | undefined) {
  if (!identity) return nothing;
  const label = identityLabel(identity);
  return html`<span
    class=${identity.verified ? 'pill identity identity--verified' : 'pill identity identity--unverified'}
    part=${identity.verified ? 'identity identity--verified' : 'identity identity--unverified'}
    role="img"
    aria-label=${label}
    title=${label}
    >${identity.verified ? check : warning}<span aria-hidden="true"
      >${identity.verified ? msg('Verified', { id: 'identity.verified' }) : msg('Unverified', { id: 'identity.unverified' })}</span
    ></span
  >`;
}

export const identityBadgeStyles = [
  pillStyles,
  css`
    .identity--verified {
      background: var(--chat-identity-verified-background, #e3f4ea);
      color: var(--chat-identity-verified-color, #14532d);
    }
    .identity--unverified {
      background: var(--chat-identity-unverified-background, #fff4e5);
      color: var(--chat-identity-unverified-color, #7a3e00);
    }
  `,
];
