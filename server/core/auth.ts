/**
 * Tokens. Two kinds, both HMAC-SHA256 signed with a per-installation secret (Web Crypto, so the
 * same code runs in Node and in Workers):
 *
 * - **access token** (`a.`): proves a login (agent) or a started chat (customer). Sent as
 *   `Authorization: Bearer` to the HTTP API, never put in a URL. Tied to a row of
 *   `auth_sessions`, so logout revokes it at once.
 * - **connect ticket** (`t.`): minted from an access token, valid for {@link TICKET_TTL_MS} and
 *   accepted once (its `jti` is recorded in `used_tickets`). It is the only credential that
 *   ever appears in a URL (the WebSocket query string), and the server redacts it from logs.
 */
import { TICKET_TTL_MS } from '../../src/protocol/limits.js';
import type { SqlPort } from './sql.js';

export type Role = 'agent' | 'customer';

export interface TokenClaims {
  /** Tenant id. */
  ten: string;
  role: Role;
  /** Agent id, or the customer's session id. */
  sub: string;
  /** Auth session id (row in `auth_sessions`). */
  asid: string;
  /** Expiry, ms since epoch. */
  exp: number;
  /** Ticket id (tickets only). */
  jti?: string;
}

export interface Principal {
  tenantId: string;
  role: Role;
  subjectId: string;
  authSessionId: string;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

export function b64url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

export function fromB64url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[\w-]*$/.test(text)) return undefined;
  try {
    const bin = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

/**
 * Random bytes are drawn from the system's generator 4 KiB at a time: one call per message (an id
 * each) was a measurable share of the message path. Every byte is handed out once.
 */
const pool = new Uint8Array(4096);
let poolAt = pool.length;

/** Random id with `bytes` bytes of entropy, URL-safe. */
export function randomId(bytes = 16): string {
  if (bytes > pool.length) return b64url(crypto.getRandomValues(new Uint8Array(bytes)));
  if (poolAt + bytes > pool.length) {
    crypto.getRandomValues(pool);
    poolAt = 0;
  }
  const id = b64url(pool.subarray(poolAt, poolAt + bytes));
  pool.fill(0, poolAt, poolAt + bytes);
  poolAt += bytes;
  return id;
}

/** A per-installation secret kept in `meta` under `key`, made (256 random bits) on first use. */
export function metaSecret(db: SqlPort, key: string): string {
  const row = db.get<{ value: string }>('SELECT value FROM meta WHERE key = ?', [key]);
  if (row) return row.value;
  db.run('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)', [key, randomId(32)]);
  return db.get<{ value: string }>('SELECT value FROM meta WHERE key = ?', [key])?.value ?? '';
}

/** An HMAC-SHA-256 key for Web Crypto from a secret text. */
export function hmacKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', enc.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
}

export class TokenService {
  private keyPromise: Promise<CryptoKey> | undefined;

  constructor(
    private readonly db: SqlPort,
    private readonly now: () => number,
    private readonly secret: string,
  ) {}

  /** Loads the installation secret from `meta`, creating it on first start. */
  static loadSecret(db: SqlPort): string {
    return metaSecret(db, 'token_secret');
  }

  private key(): Promise<CryptoKey> {
    this.keyPromise ??= hmacKey(this.secret);
    return this.keyPromise;
  }

  private async sign(prefix: 'a' | 't', claims: TokenClaims): Promise<string> {
    const body = `${prefix}.${b64url(enc.encode(JSON.stringify(claims)))}`;
    const sig = new Uint8Array(await crypto.subtle.sign('HMAC', await this.key(), enc.encode(body)));
    return `${body}.${b64url(sig)}`;
  }

  private async verify(prefix: 'a' | 't', token: string): Promise<TokenClaims | undefined> {
    if (token.length > 2048) return undefined;
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== prefix) return undefined;
    const [, payload = '', sigText = ''] = parts;
    const sig = fromB64url(sigText);
    const raw = fromB64url(payload);
    if (!sig || !raw) return undefined;
    const ok = await crypto.subtle.verify('HMAC', await this.key(), sig, enc.encode(`${prefix}.${payload}`));
    if (!ok) return undefined;
    let claims: unknown;
    try {
      claims = JSON.parse(dec.decode(raw));
    } catch {
      return undefined;
    }
    if (!isClaims(claims) || claims.exp <= this.now()) return undefined;
    return claims;
  }

  /** Starts an auth session (login or chat start) and returns its access token. */
  async issueAccess(principal: Omit<Principal, 'authSessionId'>, ttlMs: number): Promise<{ token: string; expiresAt: number }> {
    const asid = randomId();
    const now = this.now();
    const exp = now + ttlMs;
    this.db.run(
      'INSERT INTO auth_sessions (id, tenant_id, role, subject_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
      [asid, principal.tenantId, principal.role, principal.subjectId, now, exp],
    );
    const token = await this.sign('a', { ten: principal.tenantId, role: principal.role, sub: principal.subjectId, asid, exp });
    return { token, expiresAt: exp };
  }

  /** Checks an access token: signature, expiry and that its auth session is still open. */
  async verifyAccess(token: string): Promise<Principal | undefined> {
    const claims = await this.verify('a', token);
    if (!claims || !this.authSessionOpen(claims.asid)) return undefined;
    return toPrincipal(claims);
  }

  /** True while the auth session exists, is not revoked and has not expired. */
  authSessionOpen(asid: string): boolean {
    const row = this.db.get<{ expires_at: number; revoked_at: number | null }>(
      'SELECT expires_at, revoked_at FROM auth_sessions WHERE id = ?',
      [asid],
    );
    return !!row && row.revoked_at === null && row.expires_at > this.now();
  }

  /** Ends an auth session (logout, chat ended): its tokens stop working at once. */
  revoke(asid: string): void {
    this.db.run('UPDATE auth_sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [this.now(), asid]);
  }

  /** Mints a single-use connect ticket for an authenticated principal. */
  async issueTicket(principal: Principal): Promise<{ ticket: string; expiresAt: number }> {
    const exp = this.now() + TICKET_TTL_MS;
    const ticket = await this.sign('t', {
      ten: principal.tenantId,
      role: principal.role,
      sub: principal.subjectId,
      asid: principal.authSessionId,
      exp,
      jti: randomId(),
    });
    return { ticket, expiresAt: exp };
  }

  /**
   * Redeems a connect ticket: valid signature, not expired, auth session open, and never used
   * before (the use is recorded in the same call, so a second redemption fails).
   */
  async redeemTicket(ticket: string): Promise<Principal | undefined> {
    const claims = await this.verify('t', ticket);
    if (!claims?.jti || !this.authSessionOpen(claims.asid)) return undefined;
    const inserted = this.db.run('INSERT OR IGNORE INTO used_tickets (jti, expires_at) VALUES (?, ?)', [claims.jti, claims.exp]);
    if (inserted.changes !== 1) return undefined;
    return toPrincipal(claims);
  }

  /** Deletes expired ticket records and auth sessions (housekeeping). */
  prune(): void {
    const now = this.now();
    this.db.run('DELETE FROM used_tickets WHERE expires_at < ?', [now]);
    this.db.run('DELETE FROM auth_sessions WHERE expires_at < ?', [now - 24 * 60 * 60 * 1000]);
  }
}

/**
 * Ends every open auth session of one subject (an agent disabled or deleted): their access
 * tokens and outstanding tickets stop working at once. Returns the ids, so the host can close
 * the sockets opened with them.
 */
export function revokeAuthSessionsOf(db: SqlPort, tenantId: string, role: Role, subjectId: string, now: number): string[] {
  return db.transaction(() => {
    const ids = db
      .all<{ id: string }>('SELECT id FROM auth_sessions WHERE tenant_id = ? AND role = ? AND subject_id = ? AND revoked_at IS NULL', [tenantId, role, subjectId])
      .map((r) => r.id);
    db.run('UPDATE auth_sessions SET revoked_at = ? WHERE tenant_id = ? AND role = ? AND subject_id = ? AND revoked_at IS NULL', [now, tenantId, role, subjectId]);
    return ids;
  });
}

/**
 * The tenant an access token claims, without checking its signature: for routing a request to the
 * tenant's unit only (a Durable Object host); that unit verifies the token as every host does.
 */
export function claimedTenant(token: string): string | undefined {
  const parts = token.split('.');
  if (token.length > 2048 || parts.length !== 3 || parts[0] !== 'a') return undefined;
  const raw = fromB64url(parts[1] ?? '');
  if (!raw) return undefined;
  try {
    const claims: unknown = JSON.parse(dec.decode(raw));
    return isClaims(claims) ? claims.ten : undefined;
  } catch {
    return undefined;
  }
}

function isClaims(value: unknown): value is TokenClaims {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Record<string, unknown>;
  return (
    typeof c.ten === 'string' &&
    (c.role === 'agent' || c.role === 'customer') &&
    typeof c.sub === 'string' &&
    typeof c.asid === 'string' &&
    typeof c.exp === 'number' &&
    (c.jti === undefined || typeof c.jti === 'string')
  );
}

function toPrincipal(claims: TokenClaims): Principal {
  return { tenantId: claims.ten, role: claims.role, subjectId: claims.sub, authSessionId: claims.asid };
}
