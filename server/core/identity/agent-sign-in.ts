/**
 * Agent sign-in from the host CRM: the CRM's backend signs a short-lived JWT naming the agent,
 * the chat server checks it with `jose` against the tenant's settings (provisioning/sign-in.ts)
 * and exchanges it for its own access token (`POST /api/auth/jwt`, docs/integration.md).
 *
 * Checks, in this order, each refusal with a stable `reason`:
 * 1. the tenant accepts JWT sign-in (`sign_in_not_configured`) and the text is a JWT (`token_malformed`);
 * 2. the header's `alg` is one the tenant allows (`algorithm_not_allowed`);
 * 3. the signature, with the HS256 secret or the public key the header's `kid` names in the JWKS
 *    (`bad_signature`, `unknown_key`; `keys_unavailable` when a JWKS URL cannot be fetched);
 * 4. `iss` and `aud` are the configured ones (`wrong_issuer`, `wrong_audience`); `exp` has not
 *    passed and `nbf`/`iat` are not in the future, each with the tenant's clock skew
 *    (`token_expired`, `token_not_yet_valid`); `exp` is at most `maxLifetimeSeconds` ahead
 *    (`token_lifetime_too_long`); `sub`, `exp` and `jti` are present and well-formed
 *    (`claim_missing`, `claim_invalid`);
 * 5. the `jti` was never accepted before (`token_replayed`): used ids are kept in `used_jwt_ids`
 *    until the token expires, in the database, so a restart does not reopen the window;
 * 6. the agent (`sub` = the CRM's user id = the agent's external id) exists and may sign in
 *    (`unknown_agent` unless the tenant creates agents just in time, `agent_deleted`,
 *    `agent_disabled`).
 *
 * Then `name` and `email` from the token update the agent, and, when the tenant maps roles, the
 * token's `roles` decide the agent's channels (all through the provisioning core, so open consoles
 * learn of the change at once).
 */
import type { CompactJWSHeaderParameters, CryptoKey, FlattenedJWSInput, JWK, JWTPayload, JWTVerifyGetKey, KeyObject } from 'jose';
import { createLocalJWKSet, createRemoteJWKSet, errors, importSPKI, jwtVerify } from 'jose';

import { AGENT_TOKEN_TTL_MS, MAX_EMAIL, MAX_NAME } from '../../../src/protocol/limits.js';
import type { TokenService } from '../auth.js';
import type { Provisioning, SignInAlgorithm, SignInConfig } from '../provisioning/index.js';
import type { Permissions } from '../provisioning/permissions.js';
import type { SqlPort } from '../sql.js';
import { EXTERNAL_ID } from '../provisioning/validate.js';

/** Why a sign-in was refused: stable names for integrators (docs/integration.md § Failures). */
export type SignInReason =
  | 'sign_in_not_configured'
  | 'token_malformed'
  | 'algorithm_not_allowed'
  | 'bad_signature'
  | 'unknown_key'
  | 'keys_unavailable'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'token_expired'
  | 'token_not_yet_valid'
  | 'token_lifetime_too_long'
  | 'claim_missing'
  | 'claim_invalid'
  | 'token_replayed'
  | 'unknown_agent'
  | 'agent_deleted'
  | 'agent_disabled';

/** HTTP status of each refusal: a token problem is 401, an agent who may not sign in 403. */
export const SIGN_IN_STATUS: Record<SignInReason, 401 | 403 | 503> = {
  sign_in_not_configured: 403,
  token_malformed: 401,
  algorithm_not_allowed: 401,
  bad_signature: 401,
  unknown_key: 401,
  keys_unavailable: 503,
  wrong_issuer: 401,
  wrong_audience: 401,
  token_expired: 401,
  token_not_yet_valid: 401,
  token_lifetime_too_long: 401,
  claim_missing: 401,
  claim_invalid: 401,
  token_replayed: 401,
  unknown_agent: 403,
  agent_deleted: 403,
  agent_disabled: 403,
};

export class SignInError extends Error {
  constructor(
    readonly reason: SignInReason,
    message: string,
  ) {
    super(message);
    this.name = 'SignInError';
  }

  get status(): 401 | 403 | 503 {
    return SIGN_IN_STATUS[this.reason];
  }
}

/** Longest JWT accepted (characters); a CRM's sign-in token is far smaller. */
const MAX_TOKEN_LENGTH = 8192;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_ROLES_IN_TOKEN = 100;

export interface SignedIn {
  token: string;
  expiresAt: number;
  agent: { id: string; externalId: string; name: string; email: string };
  /** The agent was created by this sign-in (just-in-time provisioning). */
  created: boolean;
}

interface AgentClaims {
  sub: string;
  jti: string;
  exp: number;
  name?: string | undefined;
  email?: string | undefined;
  /** Present (maybe empty) only when the token has a `roles` claim. */
  roles?: string[] | undefined;
}

type VerifyKey = CryptoKey | KeyObject | JWK | Uint8Array;

/** Keys of one tenant's settings, built once per version of the settings (`updatedAt`). */
interface TenantKeys {
  updatedAt: number;
  jwks?: JWTVerifyGetKey;
  pem: Map<string, Promise<CryptoKey>>;
  secret?: Uint8Array;
}

export interface AgentSignInDeps {
  db: SqlPort;
  now: () => number;
  tokens: TokenService;
  provisioning: Provisioning;
  log?: { info(event: string, fields?: Record<string, string | number | boolean>): void };
}

export class AgentSignIn {
  private readonly keys = new Map<string, TenantKeys>();

  constructor(private readonly deps: AgentSignInDeps) {}

  /**
   * Checks a CRM-signed JWT for `tenantId` and, when it is good, signs the agent in: an access
   * token like any agent's. Throws {@link SignInError}.
   */
  async exchange(tenantId: string, jwt: string): Promise<SignedIn> {
    try {
      const result = await this.signIn(tenantId, jwt);
      this.deps.log?.info('auth.jwt.signed-in', { created: result.created });
      return result;
    } catch (error) {
      if (error instanceof SignInError) this.deps.log?.info('auth.jwt.refused', { reason: error.reason });
      throw error;
    }
  }

  private async signIn(tenantId: string, jwt: string): Promise<SignedIn> {
    const config = this.deps.provisioning.signIn.config(tenantId);
    if (!config) throw new SignInError('sign_in_not_configured', 'This tenant does not accept JWT sign-in (configure it with PUT …/sign-in).');
    if (jwt.length > MAX_TOKEN_LENGTH || !/^[\w-]+\.[\w-]+\.[\w-]+$/.test(jwt)) {
      throw new SignInError('token_malformed', 'The token is not a signed JWT (three base64url parts).');
    }
    const claims = await this.verify(config, jwt);
    this.consumeJti(tenantId, claims, config);
    const { agent, created } = this.resolveAgent(config, claims);
    const { token, expiresAt } = await this.deps.tokens.issueAccess({ tenantId, role: 'agent', subjectId: agent.id }, AGENT_TOKEN_TTL_MS);
    return { token, expiresAt, agent: { id: agent.id, externalId: agent.externalId, name: agent.name, email: agent.email }, created };
  }

  // ---- the token ------------------------------------------------------------------------------

  private tenantKeys(config: SignInConfig): TenantKeys {
    let keys = this.keys.get(config.tenantId);
    if (keys?.updatedAt !== config.updatedAt) {
      keys = { updatedAt: config.updatedAt, pem: new Map() };
      if (config.hs256Secret !== null) keys.secret = new TextEncoder().encode(config.hs256Secret);
      if (config.jwks !== null) keys.jwks = createLocalJWKSet({ keys: config.jwks.keys });
      else if (config.jwksUrl !== null) {
        // jose caches the set, refetches at most every 30 s when a token names an unknown kid.
        keys.jwks = createRemoteJWKSet(new URL(config.jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 });
      }
      this.keys.set(config.tenantId, keys);
    }
    return keys;
  }

  private async keyFor(config: SignInConfig, header: CompactJWSHeaderParameters, input: FlattenedJWSInput): Promise<VerifyKey> {
    const keys = this.tenantKeys(config);
    const alg = header.alg as SignInAlgorithm;
    if (alg === 'HS256') {
      if (!keys.secret) throw new SignInError('bad_signature', 'The tenant has no HS256 secret.');
      return keys.secret;
    }
    if (keys.jwks) {
      try {
        return (await keys.jwks(header, input));
      } catch (error) {
        if (error instanceof errors.JWKSNoMatchingKey) {
          throw new SignInError('unknown_key', `No public key of this tenant fits the token (kid ${header.kid === undefined ? 'absent' : `"${header.kid}"`}, alg ${alg}).`);
        }
        if (error instanceof errors.JWKSMultipleMatchingKeys) throw new SignInError('unknown_key', 'Several public keys fit the token: give it a "kid".');
        if (config.jwksUrl !== null && config.jwks === null) throw new SignInError('keys_unavailable', 'The tenant\'s JWKS URL could not be fetched; try again later.');
        throw error;
      }
    }
    const pem = config.publicKeyPem;
    if (pem === null) throw new SignInError('bad_signature', `The tenant has no public key for ${alg}.`);
    let imported = keys.pem.get(alg);
    if (!imported) {
      imported = importSPKI(pem, alg);
      keys.pem.set(alg, imported);
    }
    try {
      return await imported;
    } catch {
      keys.pem.delete(alg);
      throw new SignInError('bad_signature', `The tenant's public key is not a ${alg} key.`);
    }
  }

  private async verify(config: SignInConfig, jwt: string): Promise<AgentClaims> {
    const now = this.deps.now();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(jwt, (header, input) => this.keyFor(config, header, input), {
        algorithms: config.algorithms,
        issuer: config.issuer,
        audience: config.audience,
        clockTolerance: config.clockSkewSeconds,
        currentDate: new Date(now),
        requiredClaims: ['sub', 'exp', 'jti'],
      }));
    } catch (error) {
      throw refusal(error, config);
    }
    const skew = config.clockSkewSeconds;
    const nowS = Math.floor(now / 1000);
    const exp = payload.exp ?? 0;
    if (typeof payload.iat === 'number' && payload.iat > nowS + skew) throw new SignInError('token_not_yet_valid', 'The token was issued in the future (iat); check the clocks.');
    if (exp - nowS > config.maxLifetimeSeconds + skew) {
      throw new SignInError('token_lifetime_too_long', `The token is valid too long: exp may be at most ${String(config.maxLifetimeSeconds)} s ahead.`);
    }
    const sub = payload.sub ?? '';
    if (!EXTERNAL_ID.test(sub)) throw new SignInError('claim_invalid', 'The "sub" claim must be the CRM user id: 1–200 characters, no control characters.');
    const jti = payload.jti ?? '';
    if (jti === '' || jti.length > 200) throw new SignInError('claim_invalid', 'The "jti" claim must be a unique id of 1–200 characters.');
    const claims: AgentClaims = { sub, jti, exp };
    const name = payload.name;
    if (name !== undefined) {
      if (typeof name !== 'string' || name.trim() === '' || name.trim().length > MAX_NAME) throw new SignInError('claim_invalid', `The "name" claim must be text of 1–${String(MAX_NAME)} characters.`);
      claims.name = name.trim();
    }
    const email = payload.email;
    if (email !== undefined && email !== '') {
      if (typeof email !== 'string' || email.length > MAX_EMAIL || !EMAIL.test(email)) throw new SignInError('claim_invalid', 'The "email" claim must be an e-mail address.');
      claims.email = email;
    }
    const roles = payload.roles;
    if (roles !== undefined) {
      if (!Array.isArray(roles) || roles.length > MAX_ROLES_IN_TOKEN || roles.some((r) => typeof r !== 'string')) {
        throw new SignInError('claim_invalid', `The "roles" claim must be a list of at most ${String(MAX_ROLES_IN_TOKEN)} role names.`);
      }
      claims.roles = roles as string[];
    }
    return claims;
  }

  /** Records the token's `jti` until it expires; a second use is refused. */
  private consumeJti(tenantId: string, claims: AgentClaims, config: SignInConfig): void {
    const until = (claims.exp + config.clockSkewSeconds) * 1000;
    const inserted = this.deps.db.run('INSERT OR IGNORE INTO used_jwt_ids (tenant_id, jti, expires_at) VALUES (?, ?, ?)', [tenantId, claims.jti, until]);
    if (inserted.changes !== 1) throw new SignInError('token_replayed', 'This token (its jti) was used before: sign a new token for every sign-in.');
  }

  // ---- the agent ------------------------------------------------------------------------------

  private resolveAgent(config: SignInConfig, claims: AgentClaims): { agent: { id: string; externalId: string; name: string; email: string }; created: boolean } {
    const { provisioning, db } = this.deps;
    const tenantId = config.tenantId;
    const live = db.get<{ id: string; disabled_at: number | null }>('SELECT id, disabled_at FROM agents WHERE tenant_id = ? AND external_id = ? AND deleted_at IS NULL', [
      tenantId,
      claims.sub,
    ]);
    const channels = this.channelsFromRoles(config, claims);
    if (!live) {
      const deleted = db.get('SELECT 1 AS x FROM agents WHERE tenant_id = ? AND external_id = ? AND deleted_at IS NOT NULL', [tenantId, claims.sub]);
      if (deleted) throw new SignInError('agent_deleted', 'This agent was deleted; create them again through provisioning first.');
      if (!config.jitProvisioning) throw new SignInError('unknown_agent', 'No agent has this user id (sub) and the tenant does not create agents at sign-in.');
      if (claims.name === undefined) throw new SignInError('claim_missing', 'The "name" claim is required to create the agent at first sign-in.');
      const { agent } = provisioning.agents.put(
        tenantId,
        claims.sub,
        { name: claims.name, ...(claims.email !== undefined ? { email: claims.email } : {}), channels: channels ?? config.jitChannels },
        'upsert',
      );
      return { agent, created: true };
    }
    if (live.disabled_at !== null) throw new SignInError('agent_disabled', 'This agent is disabled.');
    const patch = {
      ...(claims.name !== undefined ? { name: claims.name } : {}),
      ...(claims.email !== undefined ? { email: claims.email } : {}),
      ...(channels !== undefined ? { channels } : {}),
    };
    const agent = Object.keys(patch).length > 0 ? provisioning.agents.put(tenantId, claims.sub, patch, 'update').agent : provisioning.agents.get(tenantId, claims.sub);
    return { agent, created: false };
  }

  /**
   * The channels the token's roles give (every mapped role's channels, flags combined), or
   * undefined when roles do not decide (no mapping, or no `roles` claim). Channels deleted since
   * the mapping was set are left out.
   */
  private channelsFromRoles(config: SignInConfig, claims: AgentClaims): Record<string, Permissions> | undefined {
    if (config.roleMapping === null || claims.roles === undefined) return undefined;
    const exists = this.deps.provisioning.channels.ids(config.tenantId);
    const out: Record<string, Permissions> = {};
    for (const role of claims.roles) {
      for (const [channelId, p] of Object.entries(config.roleMapping[role] ?? {})) {
        if (!exists.has(channelId)) continue;
        const was = out[channelId];
        out[channelId] = {
          respond: p.respond || (was?.respond ?? false),
          notifications: p.notifications || (was?.notifications ?? false),
          listen: p.listen || (was?.listen ?? false),
          manager: p.manager || (was?.manager ?? false),
        };
      }
    }
    return out;
  }

  /** Deletes the records of tokens that have expired (housekeeping). */
  prune(): void {
    this.deps.db.run('DELETE FROM used_jwt_ids WHERE expires_at < ?', [this.deps.now()]);
  }
}

/** The refusal for an error of `jose` (or one of ours from the key lookup). */
function refusal(error: unknown, config: SignInConfig): SignInError {
  if (error instanceof SignInError) return error;
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return new SignInError('algorithm_not_allowed', `The token's algorithm is not allowed for this tenant (allowed: ${config.algorithms.join(', ')}).`);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return new SignInError('bad_signature', 'The token\'s signature does not verify with the tenant\'s key.');
  if (error instanceof errors.JWTExpired) return new SignInError('token_expired', 'The token has expired (exp); sign a fresh one just before signing in.');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return new SignInError(error.reason === 'missing' ? 'claim_missing' : 'wrong_issuer', `The token's issuer (iss) must be "${config.issuer}".`);
    if (error.claim === 'aud') return new SignInError(error.reason === 'missing' ? 'claim_missing' : 'wrong_audience', `The token's audience (aud) must be "${config.audience}".`);
    if (error.claim === 'nbf' && error.reason === 'check_failed') return new SignInError('token_not_yet_valid', 'The token is not valid yet (nbf); check the clocks.');
    if (error.reason === 'missing') return new SignInError('claim_missing', `The token has no "${error.claim}" claim.`);
    return new SignInError('claim_invalid', `The token's "${error.claim}" claim is not valid.`);
  }
  if (error instanceof errors.JOSEError) return new SignInError('token_malformed', 'The token is not a valid signed JWT.');
  throw error;
}
