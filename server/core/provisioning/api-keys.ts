/**
 * Provisioning API keys. A key is `ccp_<id>.<secret>`: the id (public, 10 hex digits) names the
 * row; the secret is 32 random bytes (256 bits). Only an HMAC-SHA-256 of the whole key is stored,
 * keyed with a per-installation pepper, so the database never holds a usable key and a key is
 * shown exactly once, when it is created (or rotated).
 *
 * Why a fast keyed hash and not a slow password hash (bcrypt, scrypt, Argon2): slow hashes exist
 * to make guessing *low-entropy* secrets expensive. A 256-bit random secret cannot be guessed at
 * any speed, so a slow hash would add nothing but latency to every API call. The HMAC key (the
 * pepper: `CHAT_API_KEY_PEPPER`, else a random value kept in `meta`) means that a stolen copy of
 * the `api_keys` rows alone cannot even be used to check a candidate key; kept in the
 * environment, it is not in the database file at all. Comparison goes through Web Crypto's
 * `verify` (constant time). Web Crypto only: the same code runs in Node and in Workers.
 *
 * Operator keys (`tenant_id` NULL) act on every tenant and may create tenants; tenant keys act on
 * their own tenant only.
 */
import { b64url, fromB64url, hmacKey, metaSecret, randomId } from '../auth.js';
import type { SqlPort } from '../sql.js';
import { Fields, ProvisioningError } from './validate.js';

export const API_KEY_PREFIX = 'ccp_';
const KEY_SHAPE = /^ccp_([0-9a-f]{10})\.([\w-]{43})$/;
/** `last_used_at` is written at most this often per key (a write per call would be wasteful). */
const LAST_USED_GRANULARITY_MS = 60_000;
/** Longest overlap a rotation may give the old key. */
export const MAX_ROTATION_GRACE_S = 7 * 24 * 60 * 60;

/** Who called: the verified key. */
export interface ApiKeyPrincipal {
  id: string;
  /** The key's tenant; null for an operator key. */
  tenantId: string | null;
  name: string;
}

/** A key as listed: never the secret. */
export interface ApiKeyInfo {
  id: string;
  /** The first part of the key (`ccp_<id>`), to recognise it. */
  prefix: string;
  tenantId: string | null;
  name: string;
  createdAt: number;
  createdBy: string;
  lastUsedAt: number | null;
  /** When it stops working (set by a rotation with a grace period); null: no end. */
  expiresAt: number | null;
  revokedAt: number | null;
  /** The key that replaced it by rotation. */
  replacedBy: string | null;
}

interface ApiKeyRow {
  id: string;
  tenant_id: string | null;
  name: string;
  key_hash: string;
  created_at: number;
  created_by: string;
  last_used_at: number | null;
  expires_at: number | null;
  revoked_at: number | null;
  replaced_by: string | null;
}

const enc = new TextEncoder();

/** `bytes` random bytes as hex (key ids: never starting with "-", so they read well on a command line). */
function randomHex(bytes: number): string {
  return [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function info(row: ApiKeyRow): ApiKeyInfo {
  return {
    id: row.id,
    prefix: `${API_KEY_PREFIX}${row.id}`,
    tenantId: row.tenant_id,
    name: row.name,
    createdAt: row.created_at,
    createdBy: row.created_by,
    lastUsedAt: row.last_used_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    replacedBy: row.replaced_by,
  };
}

/** The `name` of a new key (what it is for: "CRM sync", "load test"). */
export function checkKeyName(body: Record<string, unknown>): string {
  const f = new Fields(body, ['name']);
  const name = f.text('name', { required: true, max: 100 });
  f.done();
  return name ?? '';
}

export class ApiKeys {
  private keyPromise: Promise<CryptoKey> | undefined;

  constructor(
    private readonly db: SqlPort,
    private readonly now: () => number,
    private readonly pepper: string,
  ) {}

  /** The installation's pepper from `meta`, created on first use. */
  static loadPepper(db: SqlPort): string {
    return metaSecret(db, 'api_key_pepper');
  }

  private hmacKey(): Promise<CryptoKey> {
    this.keyPromise ??= hmacKey(this.pepper);
    return this.keyPromise;
  }

  private async hash(key: string): Promise<string> {
    return b64url(new Uint8Array(await crypto.subtle.sign('HMAC', await this.hmacKey(), enc.encode(key))));
  }

  private row(id: string): ApiKeyRow | undefined {
    return this.db.get<ApiKeyRow>('SELECT * FROM api_keys WHERE id = ?', [id]);
  }

  /** A new key for a tenant (or, `tenantId` null, an operator key): the plain key is returned once. */
  async create(input: { tenantId: string | null; name: string; createdBy: string }): Promise<{ key: string; apiKey: ApiKeyInfo }> {
    if (input.tenantId !== null && !this.db.get('SELECT 1 AS x FROM tenants WHERE id = ?', [input.tenantId])) {
      throw new ProvisioningError('not_found', 'no such tenant');
    }
    const id = randomHex(5);
    const key = `${API_KEY_PREFIX}${id}.${randomId(32)}`;
    const hash = await this.hash(key);
    this.db.transaction(() => {
      this.db.run('INSERT INTO api_keys (id, tenant_id, name, key_hash, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)', [
        id,
        input.tenantId,
        input.name,
        hash,
        this.now(),
        input.createdBy,
      ]);
    });
    const row = this.row(id);
    if (!row) throw new Error('api key insert failed');
    return { key, apiKey: info(row) };
  }

  /** The caller of a request: a key that exists, matches, is neither revoked nor expired. */
  async verify(presented: string): Promise<ApiKeyPrincipal | undefined> {
    const m = KEY_SHAPE.exec(presented);
    if (!m?.[1]) return undefined;
    const row = this.row(m[1]);
    const now = this.now();
    if (row?.revoked_at !== null || (row.expires_at !== null && row.expires_at <= now)) return undefined;
    const stored = fromB64url(row.key_hash);
    const ok = stored !== undefined && (await crypto.subtle.verify('HMAC', await this.hmacKey(), stored, enc.encode(presented)));
    if (!ok) return undefined;
    if (row.last_used_at === null || row.last_used_at < now - LAST_USED_GRANULARITY_MS) {
      this.db.run('UPDATE api_keys SET last_used_at = ? WHERE id = ?', [now, row.id]);
    }
    return { id: row.id, tenantId: row.tenant_id, name: row.name };
  }

  /** The keys of a tenant (`null`: the operator keys), newest first; never a secret. */
  list(tenantId: string | null): ApiKeyInfo[] {
    const rows =
      tenantId === null
        ? this.db.all<ApiKeyRow>('SELECT * FROM api_keys WHERE tenant_id IS NULL ORDER BY created_at DESC, id')
        : this.db.all<ApiKeyRow>('SELECT * FROM api_keys WHERE tenant_id = ? ORDER BY created_at DESC, id', [tenantId]);
    return rows.map(info);
  }

  /** One key of `tenantId` (`null`: an operator key), or not_found. */
  get(tenantId: string | null, id: string): ApiKeyInfo {
    return info(this.owned(tenantId, id));
  }

  private owned(tenantId: string | null, id: string): ApiKeyRow {
    const row = this.row(id);
    if (row?.tenant_id !== tenantId) throw new ProvisioningError('not_found', 'no such API key');
    return row;
  }

  /**
   * Replaces a key: a new key (shown once) for the same tenant and name; the old one stops at
   * once, or after `graceSeconds` so that deployments can switch over.
   */
  async rotate(tenantId: string | null, id: string, graceSeconds: number, createdBy: string): Promise<{ key: string; apiKey: ApiKeyInfo; replaced: ApiKeyInfo }> {
    const old = this.owned(tenantId, id);
    const now = this.now();
    if (old.revoked_at !== null || (old.expires_at !== null && old.expires_at <= now)) throw new ProvisioningError('conflict', 'this API key is already revoked or expired');
    if (old.replaced_by !== null) throw new ProvisioningError('conflict', `this API key was already rotated (replaced by ${old.replaced_by})`);
    const fresh = await this.create({ tenantId: old.tenant_id, name: old.name, createdBy });
    this.db.transaction(() => {
      if (graceSeconds === 0) this.db.run('UPDATE api_keys SET revoked_at = ?, replaced_by = ? WHERE id = ?', [now, fresh.apiKey.id, id]);
      else this.db.run('UPDATE api_keys SET expires_at = ?, replaced_by = ? WHERE id = ?', [now + graceSeconds * 1000, fresh.apiKey.id, id]);
    });
    return { ...fresh, replaced: info(this.owned(tenantId, id)) };
  }

  /** Revokes a key at once (idempotent). */
  revoke(tenantId: string | null, id: string): ApiKeyInfo {
    this.owned(tenantId, id);
    this.db.transaction(() => {
      this.db.run('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [this.now(), id]);
    });
    return info(this.owned(tenantId, id));
  }
}
