/**
 * `ChatRegistry`: one object per installation (named `installation`). It keeps the **tenant
 * index** (a copy of every tenant's row, pushed by the tenant's object after each change), which
 * answers the operator's `GET /api/provisioning/tenants` and keeps external ids unique across
 * tenants, and the **key index** (which tenant made each API key, so that a tenant's key used on
 * another tenant is refused with 403 as on the Node host, not taken for an unknown key); and it answers every request that no tenant owns: unknown tenants, the public routes
 * without a tenant (`/health`, attachment limits), the demo pages, unknown routes. It runs the
 * same route table, on a database with the same migrations and no tenant of its own.
 */
import { DurableObject } from 'cloudflare:workers';

import { Router, serve } from '../core/http/router.js';
import { ROUTES } from '../core/http/routes/index.js';
import type { ChatRoom } from '../core/room/index.js';
import type { SqlValue } from '../core/sql.js';
import type { Env } from './env.js';
import type { ObjectParts } from './parts.js';
import { foreignKey, httpRequest, objectApp, objectParts } from './parts.js';

const router = new Router(ROUTES);
const NO_ROOMS: ReadonlyMap<string, ChatRoom> = new Map<string, ChatRoom>();
/** Columns of the tenant index, as the migrations define `tenants`. */
const COLUMN = /^[a-z_]{1,64}$/;

export class ChatRegistry extends DurableObject<Env> {
  private readonly parts: ObjectParts;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.parts = objectParts(env, ctx.storage, () => undefined);
    // The registry's own index (not a tenant's schema): which tenant made each API key.
    this.parts.db.exec('CREATE TABLE IF NOT EXISTS registry_api_keys (id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL)');
  }

  /** One request of the HTTP API that no tenant's object owns. */
  async api(request: Request): Promise<Response> {
    const app = objectApp(this.env, this.parts, request, {
      foreignKey: (presented) => foreignKey(this.env, presented),
      room: () => undefined,
      rooms: NO_ROOMS,
    });
    return serve(app, router, httpRequest(request));
  }

  /** The attachment origin for a tenant that does not exist: refused as the core refuses. */
  async download(request: Request): Promise<Response> {
    return this.parts.attachments.download(httpRequest(request), () => undefined);
  }

  /** A tenant's row as its object has it now (insert or replace in the index). */
  indexTenant(row: Record<string, SqlValue>): void {
    const columns = Object.keys(row).filter((c) => COLUMN.test(c));
    if (typeof row.id !== 'string' || columns.length === 0) return;
    const db = this.parts.db;
    db.transaction(() => {
      db.run('DELETE FROM tenants WHERE id = ?', [row.id ?? '']);
      db.run(`INSERT INTO tenants (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`, columns.map((c) => row[c] ?? null));
    });
  }

  /** A tenant made an API key (creation or rotation). */
  indexApiKey(id: string, tenantId: string): void {
    this.parts.db.run('INSERT OR REPLACE INTO registry_api_keys (id, tenant_id) VALUES (?, ?)', [id, tenantId]);
  }

  /** The tenant whose key this id is, if any. */
  apiKeyOwner(id: string): string | undefined {
    return this.parts.db.get<{ tenant_id: string }>('SELECT tenant_id FROM registry_api_keys WHERE id = ?', [id])?.tenant_id;
  }

  /** The tenant that has this external id, if any. */
  externalIdOwner(externalId: string): string | undefined {
    return this.parts.db.get<{ id: string }>('SELECT id FROM tenants WHERE external_id = ?', [externalId])?.id;
  }
}
