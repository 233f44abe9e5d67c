/**
 * The tenant object's HTTP API around the core's route table (tenant.ts): which requests change
 * what the registry indexes (the tenant's row, its API keys), and the external id check that
 * needs every tenant (the registry's index).
 */
import { asHttpError, errorResponse } from '../core/http/router.js';
import { conflict } from '../core/provisioning/validate.js';
import type { ChatRegistry } from './registry.js';

/** The operator's tenant creation (the one request that sets an object's database up). */
export const isTenantCreation = (request: Request): boolean => request.method === 'POST' && new URL(request.url).pathname === '/api/provisioning/tenants';

/** Requests after which the tenant's row may have changed (the registry's index follows). */
export const changesTenant = (request: Request): boolean =>
  isTenantCreation(request) || (request.method === 'PATCH' && /^\/api\/provisioning\/tenants\/[^/]+$/.test(new URL(request.url).pathname));

/** The creation or rotation of an API key (the registry's key index follows). */
export const makesApiKey = (request: Request): boolean => request.method === 'POST' && /^\/api\/provisioning\/tenants\/[^/]+\/api-keys(\/[^/]+\/rotate)?$/.test(new URL(request.url).pathname);

/** A conflict when the body's `externalId` belongs to another tenant than `self` (the registry knows them all). */
export async function externalIdTaken(request: Request, registry: DurableObjectStub<ChatRegistry>, self: string): Promise<Response | undefined> {
  let externalId: unknown;
  try {
    externalId = (await request.json<{ externalId?: unknown } | null>())?.externalId;
  } catch {
    return undefined; // the route answers the bad body
  }
  if (typeof externalId !== 'string') return undefined;
  const owner = await registry.externalIdOwner(externalId);
  if (owner === undefined || owner === self) return undefined;
  return errorResponse(asHttpError(conflict('externalId', `another tenant ("${owner}") has this external id`)));
}
