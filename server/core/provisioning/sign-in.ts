/**
 * A tenant's identity settings, set through the provisioning API and the CLI:
 *
 * - **agent sign-in** (`…/sign-in`): how the tenant's CRM signs its agents in with a JWT
 *   (docs/integration.md): the algorithms allowed, the HS256 secret or the public keys (a JWKS, a
 *   JWKS URL or a PEM key) for RS256/ES256, the issuer and audience, the clock skew and the
 *   longest lifetime of a token, just-in-time creation of unknown agents and the channels they
 *   get, and whether roles in the token decide the agent's channels (`roleMapping`).
 * - **customer identity** (`…/customer-identity`): the secret the tenant's website signs its
 *   signed-in customers' identity tokens with (HS256).
 *
 * Secrets are write-only: no answer, listing or CLI output ever contains one (`secretSet: true`
 * says that one is set). The two secrets must differ, so a customer's identity token can never
 * be exchanged for an agent's sign-in.
 */
import { createLocalJWKSet, importSPKI } from 'jose';

import type { SqlPort } from '../sql.js';
import type { Channels } from './channels.js';
import type { Permissions } from './permissions.js';
import { readChannelSet } from './permissions.js';
import { Fields, objectBody, ProvisioningError, throwIfAny } from './validate.js';

export const SIGN_IN_ALGORITHMS = ['HS256', 'RS256', 'ES256'] as const;
export type SignInAlgorithm = (typeof SIGN_IN_ALGORITHMS)[number];

/** Shortest secret accepted (characters): 256 bits of a random base64url text is 43. */
export const MIN_SECRET_LENGTH = 32;
const MAX_SECRET_LENGTH = 512;
const MAX_ROLES = 100;
const MAX_JWKS_BYTES = 64 * 1024;
const MAX_PEM_LENGTH = 8 * 1024;
export const DEFAULT_CLOCK_SKEW_S = 30;
export const DEFAULT_MAX_LIFETIME_S = 600;

/** What the sign-in code reads (secrets included): never sent to a caller. */
export interface SignInConfig {
  tenantId: string;
  algorithms: SignInAlgorithm[];
  hs256Secret: string | null;
  /** A JWKS (`{keys: [...]}`) as stored. */
  jwks: { keys: object[] } | null;
  jwksUrl: string | null;
  publicKeyPem: string | null;
  issuer: string;
  audience: string;
  clockSkewSeconds: number;
  maxLifetimeSeconds: number;
  jitProvisioning: boolean;
  jitChannels: Record<string, Permissions>;
  /** Role → channels with permissions; null: roles in tokens are ignored. */
  roleMapping: Record<string, Record<string, Permissions>> | null;
  updatedAt: number;
}

/** The settings as the API shows them: no secret, only whether one is set. */
export interface SignInView {
  algorithms: SignInAlgorithm[];
  issuer: string;
  audience: string;
  clockSkewSeconds: number;
  maxLifetimeSeconds: number;
  secretSet: boolean;
  /** Key ids (`kid`) of the stored JWKS; null when none is stored. */
  jwksKeyIds: string[] | null;
  jwksUrl: string | null;
  publicKeyPemSet: boolean;
  jitProvisioning: boolean;
  jitChannels: Record<string, Permissions>;
  roleMapping: Record<string, Record<string, Permissions>> | null;
  updatedAt: number;
}

interface SignInRow {
  tenant_id: string;
  algorithms: string;
  hs256_secret: string | null;
  jwks: string | null;
  jwks_url: string | null;
  public_key_pem: string | null;
  issuer: string;
  audience: string;
  clock_skew_s: number;
  max_lifetime_s: number;
  jit: number;
  jit_channels: string;
  role_mapping: string | null;
  updated_at: number;
}

const FIELDS = [
  'algorithms',
  'issuer',
  'audience',
  'secret',
  'jwks',
  'jwksUrl',
  'publicKeyPem',
  'clockSkewSeconds',
  'maxLifetimeSeconds',
  'jitProvisioning',
  'jitChannels',
  'roleMapping',
];

/** `https://…`, or `http://` to this machine (development: localhost, 127.0.0.1, [::1]). */
export function isKeyUrl(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  if (url.username !== '' || url.password !== '') return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

function config(row: SignInRow): SignInConfig {
  return {
    tenantId: row.tenant_id,
    algorithms: JSON.parse(row.algorithms) as SignInAlgorithm[],
    hs256Secret: row.hs256_secret,
    jwks: row.jwks === null ? null : (JSON.parse(row.jwks) as { keys: object[] }),
    jwksUrl: row.jwks_url,
    publicKeyPem: row.public_key_pem,
    issuer: row.issuer,
    audience: row.audience,
    clockSkewSeconds: row.clock_skew_s,
    maxLifetimeSeconds: row.max_lifetime_s,
    jitProvisioning: row.jit === 1,
    jitChannels: JSON.parse(row.jit_channels) as Record<string, Permissions>,
    roleMapping: row.role_mapping === null ? null : (JSON.parse(row.role_mapping) as Record<string, Record<string, Permissions>>),
    updatedAt: row.updated_at,
  };
}

export function signInView(c: SignInConfig): SignInView {
  return {
    algorithms: c.algorithms,
    issuer: c.issuer,
    audience: c.audience,
    clockSkewSeconds: c.clockSkewSeconds,
    maxLifetimeSeconds: c.maxLifetimeSeconds,
    secretSet: c.hs256Secret !== null,
    jwksKeyIds: c.jwks === null ? null : c.jwks.keys.map((k) => (k as { kid?: unknown }).kid).filter((kid): kid is string => typeof kid === 'string'),
    jwksUrl: c.jwksUrl,
    publicKeyPemSet: c.publicKeyPem !== null,
    jitProvisioning: c.jitProvisioning,
    jitChannels: c.jitChannels,
    roleMapping: c.roleMapping,
    updatedAt: c.updatedAt,
  };
}

/** A secret field: 32–512 characters, or null (clears). */
function readSecret(f: Fields, name: string): string | null | undefined {
  const value = f.has(name) ? (f.raw(name) ?? null) : undefined;
  if (value === undefined || value === null) return value;
  if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH || value.length > MAX_SECRET_LENGTH || /\s/.test(value)) {
    f.fail(name, `${String(MIN_SECRET_LENGTH)}–${String(MAX_SECRET_LENGTH)} characters without spaces (e.g. 32 random bytes, base64url), or null`);
    return undefined;
  }
  return value;
}

const toObject = (map: ReadonlyMap<string, Permissions>): Record<string, Permissions> => Object.fromEntries(map);

/** The identity settings of tenants: agent sign-in (JWT) and customer identity verification. */
export class SignInSettings {
  constructor(
    private readonly db: SqlPort,
    private readonly now: () => number,
    private readonly channels: Channels,
  ) {}

  private row(tenantId: string): SignInRow | undefined {
    return this.db.get<SignInRow>('SELECT * FROM tenant_sign_in WHERE tenant_id = ?', [tenantId]);
  }

  /** The tenant's sign-in settings with secrets, for the sign-in code only; undefined when off. */
  config(tenantId: string): SignInConfig | undefined {
    const row = this.row(tenantId);
    return row ? config(row) : undefined;
  }

  /** The settings as the API shows them, or null when JWT sign-in is off. */
  get(tenantId: string): SignInView | null {
    const c = this.config(tenantId);
    return c ? signInView(c) : null;
  }

  /**
   * Creates or changes the tenant's sign-in settings (fields left out keep their value). On
   * creation `algorithms`, `issuer` and `audience` are required. Every algorithm must have its
   * key: HS256 a `secret`, RS256/ES256 one of `jwks`, `jwksUrl`, `publicKeyPem` (setting one of
   * those three replaces the others).
   */
  async put(tenantId: string, body: unknown): Promise<{ signIn: SignInView; created: boolean }> {
    const f = new Fields(objectBody(body), FIELDS);
    const current = this.config(tenantId);
    const creating = current === undefined;
    const algorithms = f.array('algorithms', SIGN_IN_ALGORITHMS.length);
    let algs: SignInAlgorithm[] | undefined;
    if (algorithms !== undefined) {
      const bad = algorithms.find((a) => !(SIGN_IN_ALGORITHMS as readonly unknown[]).includes(a));
      if (bad !== undefined || algorithms.length === 0) f.fail('algorithms', `a list of ${SIGN_IN_ALGORITHMS.join(', ')} (at least one)`);
      else algs = [...new Set(algorithms as SignInAlgorithm[])];
    } else if (creating) f.fail('algorithms', `required, a list of ${SIGN_IN_ALGORITHMS.join(', ')}`);
    const issuer = f.text('issuer', { required: creating, max: 300 });
    const audience = f.text('audience', { required: creating, max: 300 });
    const secret = readSecret(f, 'secret');
    const clockSkew = f.int('clockSkewSeconds', { min: 0, max: 300 });
    const maxLifetime = f.int('maxLifetimeSeconds', { min: 30, max: 3600 });
    const jit = f.bool('jitProvisioning');
    const channelIds = this.channels.ids(tenantId);
    const jitRaw = f.object('jitChannels');
    const jitChannels = jitRaw ? toObject(readChannelSet(jitRaw, f.path('jitChannels'), f, channelIds)) : undefined;
    let roleMapping: Record<string, Record<string, Permissions>> | null | undefined;
    if (f.has('roleMapping') && f.raw('roleMapping') === null) roleMapping = null;
    else {
      const raw = f.object('roleMapping');
      if (raw) {
        const roles = Object.entries(raw);
        if (roles.length > MAX_ROLES) f.fail('roleMapping', `at most ${String(MAX_ROLES)} roles`);
        roleMapping = {};
        for (const [role, set] of roles) {
          const at = f.path(`roleMapping.${role}`);
          if (role === '' || role.length > 100) f.absorbProblem(at, 'a role name of 1–100 characters');
          else if (typeof set !== 'object' || set === null || Array.isArray(set)) f.absorbProblem(at, 'an object {"<channel>": {respond?, notifications?, listen?, manager?}}');
          else roleMapping[role] = toObject(readChannelSet(set as Record<string, unknown>, at, f, channelIds));
        }
      }
    }
    const keys = await this.readPublicKeys(f, algs ?? current?.algorithms ?? []);
    f.done();

    const next = {
      algorithms: algs ?? current?.algorithms ?? [],
      hs256Secret: secret === undefined ? (current?.hs256Secret ?? null) : secret,
      jwks: keys ? keys.jwks : (current?.jwks ?? null),
      jwksUrl: keys ? keys.jwksUrl : (current?.jwksUrl ?? null),
      publicKeyPem: keys ? keys.publicKeyPem : (current?.publicKeyPem ?? null),
    };
    const problems: Record<string, string> = {};
    if (next.algorithms.includes('HS256') && next.hs256Secret === null) problems.secret = 'required for HS256';
    const hasPublic = next.jwks !== null || next.jwksUrl !== null || next.publicKeyPem !== null;
    const asym = next.algorithms.filter((a) => a !== 'HS256');
    if (asym.length > 0 && !hasPublic) problems.jwks = `${asym.join(' and ')} need public keys: jwks, jwksUrl or publicKeyPem`;
    if (next.hs256Secret !== null && next.hs256Secret === this.customerSecret(tenantId)) {
      problems.secret = 'must differ from the customer identity secret (a customer token must never sign an agent in)';
    }
    throwIfAny(problems);

    const now = this.now();
    this.db.transaction(() => {
      if (creating) {
        this.db.run('INSERT INTO tenant_sign_in (tenant_id, issuer, audience, updated_at) VALUES (?, ?, ?, ?)', [tenantId, issuer ?? '', audience ?? '', now]);
      }
      const set = (column: string, value: string | number | null | undefined) => {
        if (value !== undefined) this.db.run(`UPDATE tenant_sign_in SET ${column} = ? WHERE tenant_id = ?`, [value, tenantId]);
      };
      set('algorithms', JSON.stringify(next.algorithms));
      set('hs256_secret', next.hs256Secret);
      set('jwks', next.jwks === null ? null : JSON.stringify(next.jwks));
      set('jwks_url', next.jwksUrl);
      set('public_key_pem', next.publicKeyPem);
      set('issuer', issuer);
      set('audience', audience);
      set('clock_skew_s', clockSkew);
      set('max_lifetime_s', maxLifetime);
      set('jit', jit === undefined ? undefined : jit ? 1 : 0);
      set('jit_channels', jitChannels === undefined ? undefined : JSON.stringify(jitChannels));
      set('role_mapping', roleMapping === undefined ? undefined : roleMapping === null ? null : JSON.stringify(roleMapping));
      set('updated_at', now);
    });
    const signIn = this.get(tenantId);
    if (!signIn) throw new Error('sign-in settings were not written');
    return { signIn, created: creating };
  }

  /** JWT sign-in off: tokens of this tenant are refused from now on (agents signed in stay). */
  remove(tenantId: string): void {
    this.db.run('DELETE FROM tenant_sign_in WHERE tenant_id = ?', [tenantId]);
  }

  /**
   * Reads `jwks`, `jwksUrl` and `publicKeyPem`: undefined when none is given (keep the stored
   * ones); otherwise the new public-key source (the other two cleared).
   */
  private async readPublicKeys(f: Fields, algorithms: readonly SignInAlgorithm[]): Promise<{ jwks: { keys: object[] } | null; jwksUrl: string | null; publicKeyPem: string | null } | undefined> {
    const given = ['jwks', 'jwksUrl', 'publicKeyPem'].filter((name) => f.has(name) && f.raw(name) !== null);
    const cleared = ['jwks', 'jwksUrl', 'publicKeyPem'].filter((name) => f.has(name) && f.raw(name) === null);
    if (given.length > 1) {
      f.fail(given[1] ?? 'jwks', 'give one public-key source: jwks, jwksUrl or publicKeyPem');
      return undefined;
    }
    if (given.length === 0) return cleared.length > 0 ? { jwks: null, jwksUrl: null, publicKeyPem: null } : undefined;
    const none = { jwks: null, jwksUrl: null, publicKeyPem: null };
    if (given[0] === 'jwksUrl') {
      const url = f.text('jwksUrl', { max: 2000 });
      if (url === undefined) return undefined;
      if (!isKeyUrl(url)) {
        f.fail('jwksUrl', 'an https:// URL (http:// only to localhost)');
        return undefined;
      }
      return { ...none, jwksUrl: url };
    }
    if (given[0] === 'jwks') {
      const jwks = f.object('jwks');
      if (!jwks) return undefined;
      const keys = jwks.keys;
      const kinds = Array.isArray(keys) ? keys.map((k) => (typeof k === 'object' && k !== null ? (k as { kty?: unknown; d?: unknown; k?: unknown }) : {})) : [];
      if (!Array.isArray(keys) || keys.length === 0 || keys.length > 20 || JSON.stringify(jwks).length > MAX_JWKS_BYTES) {
        f.fail('jwks', 'a JSON Web Key Set {"keys": [...]} with 1–20 public keys');
        return undefined;
      }
      if (kinds.some((k) => k.kty !== 'RSA' && k.kty !== 'EC')) {
        f.fail('jwks', 'RSA or EC public keys only (kty "RSA" or "EC")');
        return undefined;
      }
      if (kinds.some((k) => k.d !== undefined || k.k !== undefined)) {
        f.fail('jwks', 'public keys only: a key has private parts ("d")');
        return undefined;
      }
      try {
        createLocalJWKSet({ keys: keys as never[] });
      } catch {
        f.fail('jwks', 'not a valid JSON Web Key Set');
        return undefined;
      }
      return { ...none, jwks: { keys: keys as object[] } };
    }
    const pem = f.text('publicKeyPem', { max: MAX_PEM_LENGTH });
    if (pem === undefined) return undefined;
    const candidates = algorithms.filter((a) => a !== 'HS256');
    if (!pem.startsWith('-----BEGIN PUBLIC KEY-----')) {
      f.fail('publicKeyPem', 'a PEM public key (-----BEGIN PUBLIC KEY-----, SPKI)');
      return undefined;
    }
    let usable = false;
    for (const alg of candidates.length > 0 ? candidates : (['RS256', 'ES256'] as const)) {
      try {
        await importSPKI(pem, alg);
        usable = true;
        break;
      } catch {
        // try the next algorithm
      }
    }
    if (!usable) {
      f.fail('publicKeyPem', `not a public key for ${candidates.join(' or ') || 'RS256 or ES256'}`);
      return undefined;
    }
    return { ...none, publicKeyPem: pem };
  }

  // ---- customer identity ----------------------------------------------------------------------

  /** The secret the tenant's website signs customer identity tokens with; undefined when off. */
  customerSecret(tenantId: string): string | undefined {
    return this.db.get<{ secret: string }>('SELECT secret FROM tenant_customer_identity WHERE tenant_id = ?', [tenantId])?.secret;
  }

  /** Customer identity as the API shows it: whether a secret is set, never the secret. */
  getCustomerIdentity(tenantId: string): { secretSet: true; updatedAt: number } | null {
    const row = this.db.get<{ updated_at: number }>('SELECT updated_at FROM tenant_customer_identity WHERE tenant_id = ?', [tenantId]);
    return row ? { secretSet: true, updatedAt: row.updated_at } : null;
  }

  /** Sets the customer identity secret (`{secret}`), which must differ from the agent sign-in secret. */
  putCustomerIdentity(tenantId: string, body: unknown): { customerIdentity: { secretSet: true; updatedAt: number }; created: boolean } {
    const f = new Fields(objectBody(body), ['secret']);
    const secret = readSecret(f, 'secret');
    if (secret === undefined && !f.has('secret')) f.fail('secret', `required, ${String(MIN_SECRET_LENGTH)}–${String(MAX_SECRET_LENGTH)} characters`);
    if (secret === null) f.fail('secret', 'required (to turn customer identity off, DELETE it)');
    f.done();
    if (secret !== undefined && secret !== null && secret === this.config(tenantId)?.hs256Secret) {
      throw new ProvisioningError('invalid', 'secret: must differ from the agent sign-in secret', { secret: 'must differ from the agent sign-in secret' });
    }
    const created = this.getCustomerIdentity(tenantId) === null;
    this.db.run(
      'INSERT INTO tenant_customer_identity (tenant_id, secret, updated_at) VALUES (?, ?, ?) ON CONFLICT (tenant_id) DO UPDATE SET secret = excluded.secret, updated_at = excluded.updated_at',
      [tenantId, secret ?? '', this.now()],
    );
    const view = this.getCustomerIdentity(tenantId);
    if (!view) throw new Error('customer identity was not written');
    return { customerIdentity: view, created };
  }

  /** Customer identity off: tokens are no longer verified (chats with one start unverified). */
  removeCustomerIdentity(tenantId: string): void {
    this.db.run('DELETE FROM tenant_customer_identity WHERE tenant_id = ?', [tenantId]);
  }
}
