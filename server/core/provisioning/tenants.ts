/**
 * Tenants: create (operator keys), read, update. Validation names every field; the tenant id is
 * chosen by the caller (it is the `tenant` of the console and the widget, and part of the
 * WebSocket path), the CRM's own id of the tenant is `externalId`.
 */
import { randomId } from '../auth.js';
import type { SqlPort } from '../sql.js';
import { checkSlug, conflict, EXTERNAL_ID, EXTERNAL_ID_RULE, Fields, isTimeZone, objectBody, ORIGIN, ProvisioningError, SLUG, SLUG_RULE } from './validate.js';

/**
 * Per-tenant limits: each one set here replaces the server's value for this tenant (its option or
 * default, docs/protocol.md § 9.1); absent: the server's. Applied to the next connection, frame
 * and chat start (the server reads them afresh when they change).
 */
export interface TenantLimits {
  connectionsPerTenant?: number;
  connectionsPerUser?: number;
  framesPerMinute?: number;
  typingPerSecond?: number;
  chatStartsPerMinute?: number;
}

export interface TenantSettings {
  /** How long a transfer offer to another agent waits for an answer. */
  transferTimeoutSeconds: number;
  limits: TenantLimits;
}

/** A tenant as the provisioning API shows it. */
export interface TenantView {
  id: string;
  name: string;
  externalId: string | null;
  timeZone: string;
  allowedOrigins: string[];
  settings: TenantSettings;
  createdAt: number;
}

interface TenantRow {
  id: string;
  name: string;
  external_id: string | null;
  time_zone: string;
  allowed_origins: string;
  settings: string;
  transfer_timeout_ms: number;
  created_at: number;
}

const LIMIT_RULES: Record<keyof TenantLimits, { min: number; max: number }> = {
  connectionsPerTenant: { min: 1, max: 1_000_000 },
  connectionsPerUser: { min: 1, max: 1_000 },
  framesPerMinute: { min: 1, max: 1_000_000 },
  typingPerSecond: { min: 1, max: 100 },
  chatStartsPerMinute: { min: 1, max: 100_000 },
};
const MAX_ORIGINS = 50;
const DEFAULT_TIME_ZONE = 'Europe/Stockholm';

/** Inserts a tenant row (no checks: callers validate). Shared by the API and the demo seed. */
export function insertTenant(db: SqlPort, t: { id: string; name: string; timeZone?: string | undefined; externalId?: string | null | undefined; allowedOrigins?: readonly string[] | undefined }, now: number): void {
  db.run('INSERT INTO tenants (id, name, time_zone, board_epoch, allowed_origins, external_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
    t.id,
    t.name,
    t.timeZone ?? DEFAULT_TIME_ZONE,
    randomId(6),
    JSON.stringify(t.allowedOrigins ?? []),
    t.externalId ?? null,
    now,
  ]);
}

function view(row: TenantRow): TenantView {
  const stored = JSON.parse(row.settings) as { limits?: TenantLimits };
  return {
    id: row.id,
    name: row.name,
    externalId: row.external_id,
    timeZone: row.time_zone,
    allowedOrigins: JSON.parse(row.allowed_origins) as string[],
    settings: { transferTimeoutSeconds: Math.round(row.transfer_timeout_ms / 1000), limits: stored.limits ?? {} },
    createdAt: row.created_at,
  };
}

interface TenantInput {
  id?: string | undefined;
  name?: string | undefined;
  externalId?: string | null | undefined;
  timeZone?: string | undefined;
  allowedOrigins?: string[] | undefined;
  transferTimeoutSeconds?: number | undefined;
  /** Limits to set (a number) or clear (null). */
  limits?: Partial<Record<keyof TenantLimits, number | null>> | undefined;
}

function checkTenantInput(raw: unknown, creating: boolean): TenantInput {
  const body = objectBody(raw);
  const f = new Fields(body, creating ? ['id', 'name', 'externalId', 'timeZone', 'allowedOrigins', 'settings'] : ['name', 'externalId', 'timeZone', 'allowedOrigins', 'settings']);
  const input: TenantInput = {};
  if (creating) input.id = f.text('id', { required: true, max: 64, pattern: SLUG, patternRule: SLUG_RULE });
  input.name = f.text('name', { required: creating, max: 100 });
  input.externalId = f.clearableText('externalId', { max: 200, pattern: EXTERNAL_ID, patternRule: EXTERNAL_ID_RULE });
  const zone = f.text('timeZone', { max: 64 });
  if (zone !== undefined && !isTimeZone(zone)) f.fail('timeZone', 'an IANA time zone such as Europe/Stockholm');
  else input.timeZone = zone;
  const origins = f.array('allowedOrigins', MAX_ORIGINS);
  if (origins) {
    const bad = origins.findIndex((o) => typeof o !== 'string' || !ORIGIN.test(o));
    if (bad >= 0) f.fail(`allowedOrigins[${String(bad)}]`, 'an origin such as https://www.example.com (scheme, host, optional port; no path)');
    else input.allowedOrigins = [...new Set(origins as string[])];
  }
  const settings = f.object('settings');
  if (settings) {
    const s = new Fields(settings, ['transferTimeoutSeconds', 'limits'], f.path('settings.'));
    input.transferTimeoutSeconds = s.int('transferTimeoutSeconds', { min: 10, max: 3600 });
    const limits = s.object('limits');
    if (limits) {
      const l = new Fields(limits, Object.keys(LIMIT_RULES), s.path('limits.'));
      input.limits = {};
      for (const [name, rule] of Object.entries(LIMIT_RULES) as [keyof TenantLimits, { min: number; max: number }][]) {
        if (limits[name] === null) input.limits[name] = null;
        else {
          const n = l.int(name, rule);
          if (n !== undefined) input.limits[name] = n;
        }
      }
      s.absorb(l);
    }
    f.absorb(s);
  }
  f.done();
  return input;
}

export class Tenants {
  constructor(
    private readonly db: SqlPort,
    private readonly now: () => number,
    /** Called after a tenant was created or changed (its limits may have). */
    private readonly changed: (tenantId: string) => void = () => undefined,
  ) {}

  private row(id: string): TenantRow | undefined {
    return this.db.get<TenantRow>('SELECT * FROM tenants WHERE id = ?', [id]);
  }

  /** The tenant, or not_found. */
  get(id: string): TenantView {
    const row = this.row(id);
    if (!row) throw new ProvisioningError('not_found', 'no such tenant');
    return view(row);
  }

  exists(id: string): boolean {
    return this.row(id) !== undefined;
  }

  /** Every tenant (operators), or the one with a given external id. */
  list(filter: { externalId?: string | undefined } = {}): TenantView[] {
    const rows =
      filter.externalId === undefined
        ? this.db.all<TenantRow>('SELECT * FROM tenants ORDER BY id')
        : this.db.all<TenantRow>('SELECT * FROM tenants WHERE external_id = ?', [filter.externalId]);
    return rows.map(view);
  }

  /** Creates a tenant: `{id, name, externalId?, timeZone?, allowedOrigins?, settings?}`; conflict when the id or external id is taken. */
  create(body: unknown): TenantView {
    const input = checkTenantInput(body, true);
    const id = input.id ?? '';
    this.db.transaction(() => {
      if (this.row(id)) throw conflict('id', `a tenant "${id}" exists already`);
      this.checkExternalIdFree(input.externalId, undefined);
      insertTenant(this.db, { id, name: input.name ?? id, timeZone: input.timeZone, externalId: input.externalId, allowedOrigins: input.allowedOrigins }, this.now());
      this.applySettings(id, input);
    });
    this.changed(id);
    return this.get(id);
  }

  /** Changes the fields given; `externalId: null` clears it, a limit set to null is removed. */
  update(id: string, body: unknown): TenantView {
    checkSlug(id, 'tenant');
    const input = checkTenantInput(body, false);
    this.db.transaction(() => {
      if (!this.row(id)) throw new ProvisioningError('not_found', 'no such tenant');
      this.checkExternalIdFree(input.externalId, id);
      if (input.name !== undefined) this.db.run('UPDATE tenants SET name = ? WHERE id = ?', [input.name, id]);
      if (input.timeZone !== undefined) this.db.run('UPDATE tenants SET time_zone = ? WHERE id = ?', [input.timeZone, id]);
      if (input.externalId !== undefined) this.db.run('UPDATE tenants SET external_id = ? WHERE id = ?', [input.externalId, id]);
      if (input.allowedOrigins !== undefined) this.db.run('UPDATE tenants SET allowed_origins = ? WHERE id = ?', [JSON.stringify(input.allowedOrigins), id]);
      this.applySettings(id, input);
    });
    this.changed(id);
    return this.get(id);
  }

  private checkExternalIdFree(externalId: string | null | undefined, self: string | undefined): void {
    if (externalId === undefined || externalId === null) return;
    const other = this.db.get<{ id: string }>('SELECT id FROM tenants WHERE external_id = ?', [externalId]);
    if (other && other.id !== self) throw conflict('externalId', `another tenant ("${other.id}") has this external id`);
  }

  private applySettings(id: string, input: TenantInput): void {
    if (input.transferTimeoutSeconds !== undefined) this.db.run('UPDATE tenants SET transfer_timeout_ms = ? WHERE id = ?', [input.transferTimeoutSeconds * 1000, id]);
    if (input.limits === undefined) return;
    const row = this.row(id);
    const stored = JSON.parse(row?.settings ?? '{}') as { limits?: TenantLimits };
    const merged: Record<string, number | null> = { ...(stored.limits ?? {}), ...input.limits };
    const limits = Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== null));
    this.db.run('UPDATE tenants SET settings = ? WHERE id = ?', [JSON.stringify({ ...stored, limits }), id]);
  }
}
