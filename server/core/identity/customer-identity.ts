/**
 * Customer identity verification: a company's website that knows its signed-in customer gives
 * `<chat-visitor>` a token it signed (a JWT, HS256, with the tenant's customer identity secret;
 * docs/integration.md § Customers). The server checks it when the chat starts:
 *
 * - **verified**: good signature (`jose`), `exp` not passed and at most 24 h ahead, `nbf`/`iat`
 *   not in the future (30 s of clock skew), `sub` (the site's customer id) present. Its `sub`,
 *   `name` and `email` become the session's verified identity, which the console marks and the
 *   contact panel matches first.
 * - **unverified**: a token was given but is forged, tampered with, expired, signed with another
 *   secret or the tenant has no secret. Its claims (read without trusting them) are kept only to
 *   be shown as unverified; they never become the customer's name or e-mail and are never used
 *   to match a CRM contact.
 */
import { decodeJwt, errors, jwtVerify } from 'jose';

import { MAX_EMAIL, MAX_NAME } from '../../../src/protocol/limits.js';
import { EXTERNAL_ID } from '../provisioning/validate.js';

/** Clock skew allowed on `exp`, `nbf` and `iat` (seconds). */
export const CUSTOMER_TOKEN_SKEW_S = 30;
/** Longest a customer identity token may still be valid for (a page view, a visit): 24 h. */
export const CUSTOMER_TOKEN_MAX_LIFETIME_S = 24 * 60 * 60;
/** Longest token text read. */
export const MAX_IDENTITY_TOKEN_LENGTH = 4096;

export type CustomerIdentityReason =
  | 'not_configured'
  | 'token_malformed'
  | 'algorithm_not_allowed'
  | 'bad_signature'
  | 'token_expired'
  | 'token_not_yet_valid'
  | 'token_lifetime_too_long'
  | 'claim_missing'
  | 'claim_invalid';

/** The identity a session records: verified claims, or unverified claims shown only as such. */
export interface SessionIdentity {
  status: 'verified' | 'unverified';
  externalId?: string | undefined;
  name?: string | undefined;
  email?: string | undefined;
  /** Why it is unverified (for logs and the start answer; not stored). */
  reason?: CustomerIdentityReason | undefined;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** `sub`, `name` and `email` of a claims set, each only when it has the expected shape. */
function claimsOf(payload: Record<string, unknown>): { externalId?: string; name?: string; email?: string } {
  const out: { externalId?: string; name?: string; email?: string } = {};
  if (typeof payload.sub === 'string' && EXTERNAL_ID.test(payload.sub)) out.externalId = payload.sub;
  if (typeof payload.name === 'string' && payload.name.trim() !== '') out.name = payload.name.trim().slice(0, MAX_NAME);
  if (typeof payload.email === 'string' && payload.email.length <= MAX_EMAIL && EMAIL.test(payload.email)) out.email = payload.email;
  return out;
}

/** Claims of a token that failed, read without trusting them (display only). */
function unverified(token: string, reason: CustomerIdentityReason): SessionIdentity {
  let claims = {};
  try {
    claims = claimsOf(decodeJwt(token));
  } catch {
    // not even a readable JWT: nothing to show
  }
  return { status: 'unverified', ...claims, reason };
}

/**
 * Checks a customer identity token against the tenant's secret (`undefined`: the tenant has
 * none). Never throws: a token that does not verify gives an unverified identity.
 */
export async function verifyCustomerToken(token: string, secret: string | undefined, now: number): Promise<SessionIdentity> {
  if (token.length > MAX_IDENTITY_TOKEN_LENGTH || !/^[\w-]+\.[\w-]+\.[\w-]*$/.test(token)) return unverified('', 'token_malformed');
  if (secret === undefined) return unverified(token, 'not_configured');
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
      algorithms: ['HS256'],
      clockTolerance: CUSTOMER_TOKEN_SKEW_S,
      currentDate: new Date(now),
      requiredClaims: ['sub', 'exp'],
    }));
  } catch (error) {
    if (error instanceof errors.JOSEAlgNotAllowed) return unverified(token, 'algorithm_not_allowed');
    if (error instanceof errors.JWSSignatureVerificationFailed) return unverified(token, 'bad_signature');
    if (error instanceof errors.JWTExpired) return unverified(token, 'token_expired');
    if (error instanceof errors.JWTClaimValidationFailed) {
      if (error.claim === 'nbf') return unverified(token, 'token_not_yet_valid');
      return unverified(token, error.reason === 'missing' ? 'claim_missing' : 'claim_invalid');
    }
    return unverified(token, 'token_malformed');
  }
  const nowS = Math.floor(now / 1000);
  if (typeof payload.iat === 'number' && payload.iat > nowS + CUSTOMER_TOKEN_SKEW_S) return unverified(token, 'token_not_yet_valid');
  if (typeof payload.exp === 'number' && payload.exp - nowS > CUSTOMER_TOKEN_MAX_LIFETIME_S + CUSTOMER_TOKEN_SKEW_S) return unverified(token, 'token_lifetime_too_long');
  const claims = claimsOf(payload);
  if (claims.externalId === undefined) return unverified(token, 'claim_invalid');
  if (payload.email !== undefined && payload.email !== '' && claims.email === undefined) return unverified(token, 'claim_invalid');
  return { status: 'verified', ...claims };
}
