/**
 * `/api/provisioning/…`: tenants, channels, agents, permissions and API keys for a CRM's backend
 * or an operator (docs/provisioning.md). Callers authenticate with an API key
 * (`Authorization: Bearer ccp_…`); the route table says which kind each endpoint takes. The work
 * is done by the host-independent core (server/core/provisioning/); these handlers only read the
 * request and shape the answer.
 */
import { MAX_ROTATION_GRACE_S } from '../../provisioning/index.js';
import { Fields, objectBody } from '../../provisioning/validate.js';
import { checkKeyName } from '../../provisioning/api-keys.js';
import type { Context, Handler } from '../router.js';

/** Batch bodies (up to 1,000 agents) may be larger than the API's usual 16 KiB. */
const BATCH_BODY_BYTES = 1024 * 1024;
/** Sign-in settings may carry a JWKS (at most 64 KiB of keys). */
const SIGN_IN_BODY_BYTES = 128 * 1024;

const p = (ctx: Context) => ctx.app.provisioning;
const param = (ctx: Context, name: string): string => ctx.params[name] ?? '';

// ---- tenants -----------------------------------------------------------------------------------

export const createTenant: Handler<'operator-key'> = async (ctx) => {
  ctx.json(201, { tenant: p(ctx).tenants.create(await ctx.body()) });
};

export const listTenants: Handler<'operator-key'> = (ctx) => {
  const externalId = ctx.url.searchParams.get('externalId') ?? undefined;
  ctx.json(200, { tenants: p(ctx).tenants.list({ externalId }) });
};

export const getTenant: Handler<'tenant-key'> = (ctx) => {
  ctx.json(200, { tenant: p(ctx).tenants.get(ctx.tenantId) });
};

export const updateTenant: Handler<'tenant-key'> = async (ctx) => {
  ctx.json(200, { tenant: p(ctx).tenants.update(ctx.tenantId, await ctx.body()) });
};

// ---- channels ----------------------------------------------------------------------------------

export const listChannels: Handler<'tenant-key'> = (ctx) => {
  p(ctx).tenants.get(ctx.tenantId);
  ctx.json(200, { channels: p(ctx).channels.list(ctx.tenantId) });
};

export const getChannel: Handler<'tenant-key'> = (ctx) => {
  ctx.json(200, { channel: p(ctx).channels.get(ctx.tenantId, param(ctx, 'channel')) });
};

export const putChannel: Handler<'tenant-key'> = async (ctx) => {
  p(ctx).tenants.get(ctx.tenantId);
  const mode = ctx.method === 'PATCH' ? 'update' : 'upsert';
  const { channel, created } = p(ctx).channels.put(ctx.tenantId, param(ctx, 'channel'), await ctx.body(), mode);
  ctx.json(created ? 201 : 200, { channel, created });
};

export const deleteChannel: Handler<'tenant-key'> = (ctx) => {
  p(ctx).channels.remove(ctx.tenantId, param(ctx, 'channel'));
  ctx.json(200, { ok: true });
};

// ---- agents ------------------------------------------------------------------------------------

export const listAgents: Handler<'tenant-key'> = (ctx) => {
  p(ctx).tenants.get(ctx.tenantId);
  ctx.json(200, { agents: p(ctx).agents.list(ctx.tenantId) });
};

export const putAgents: Handler<'tenant-key'> = async (ctx) => {
  p(ctx).tenants.get(ctx.tenantId);
  ctx.json(200, p(ctx).agents.putMany(ctx.tenantId, await ctx.body(BATCH_BODY_BYTES)));
};

export const getAgent: Handler<'tenant-key'> = (ctx) => {
  ctx.json(200, { agent: p(ctx).agents.get(ctx.tenantId, param(ctx, 'agent')) });
};

export const putAgent: Handler<'tenant-key'> = async (ctx) => {
  p(ctx).tenants.get(ctx.tenantId);
  const mode = ctx.method === 'PATCH' ? 'update' : 'upsert';
  const { agent, created } = p(ctx).agents.put(ctx.tenantId, param(ctx, 'agent'), await ctx.body(), mode);
  ctx.json(created ? 201 : 200, { agent, created });
};

export const disableAgent: Handler<'tenant-key'> = (ctx) => {
  ctx.json(200, { agent: p(ctx).agents.setDisabled(ctx.tenantId, param(ctx, 'agent'), true) });
};

export const enableAgent: Handler<'tenant-key'> = (ctx) => {
  ctx.json(200, { agent: p(ctx).agents.setDisabled(ctx.tenantId, param(ctx, 'agent'), false) });
};

export const deleteAgent: Handler<'tenant-key'> = (ctx) => {
  p(ctx).agents.remove(ctx.tenantId, param(ctx, 'agent'));
  ctx.json(200, { ok: true });
};

export const putAgentChannel: Handler<'tenant-key'> = async (ctx) => {
  ctx.json(200, { agent: p(ctx).agents.setChannel(ctx.tenantId, param(ctx, 'agent'), param(ctx, 'channel'), await ctx.body()) });
};

export const deleteAgentChannel: Handler<'tenant-key'> = (ctx) => {
  ctx.json(200, { agent: p(ctx).agents.removeChannel(ctx.tenantId, param(ctx, 'agent'), param(ctx, 'channel')) });
};

// ---- identity: agent sign-in (JWT) and customer identity -----------------------------------------

/** `GET …/sign-in` → `{signIn}` (null when JWT sign-in is off); never a secret. */
export const getSignIn: Handler<'tenant-key'> = (ctx) => {
  p(ctx).tenants.get(ctx.tenantId);
  ctx.json(200, { signIn: p(ctx).signIn.get(ctx.tenantId) });
};

/** `PUT …/sign-in {algorithms, issuer, audience, secret | jwks | jwksUrl | publicKeyPem, …}` → 201/200 `{signIn, created}`. */
export const putSignIn: Handler<'tenant-key'> = async (ctx) => {
  p(ctx).tenants.get(ctx.tenantId);
  const { signIn, created } = await p(ctx).signIn.put(ctx.tenantId, await ctx.body(SIGN_IN_BODY_BYTES));
  ctx.json(created ? 201 : 200, { signIn, created });
};

export const deleteSignIn: Handler<'tenant-key'> = (ctx) => {
  p(ctx).tenants.get(ctx.tenantId);
  p(ctx).signIn.remove(ctx.tenantId);
  ctx.json(200, { ok: true });
};

/** `GET …/customer-identity` → `{customerIdentity}` (`{secretSet, updatedAt}` or null); never the secret. */
export const getCustomerIdentity: Handler<'tenant-key'> = (ctx) => {
  p(ctx).tenants.get(ctx.tenantId);
  ctx.json(200, { customerIdentity: p(ctx).signIn.getCustomerIdentity(ctx.tenantId) });
};

/** `PUT …/customer-identity {secret}` → 201/200 `{customerIdentity, created}`. */
export const putCustomerIdentity: Handler<'tenant-key'> = async (ctx) => {
  p(ctx).tenants.get(ctx.tenantId);
  const { customerIdentity, created } = p(ctx).signIn.putCustomerIdentity(ctx.tenantId, await ctx.body());
  ctx.json(created ? 201 : 200, { customerIdentity, created });
};

export const deleteCustomerIdentity: Handler<'tenant-key'> = (ctx) => {
  p(ctx).tenants.get(ctx.tenantId);
  p(ctx).signIn.removeCustomerIdentity(ctx.tenantId);
  ctx.json(200, { ok: true });
};

// ---- API keys ----------------------------------------------------------------------------------

export const listKeys: Handler<'tenant-key'> = (ctx) => {
  p(ctx).tenants.get(ctx.tenantId);
  ctx.json(200, { apiKeys: p(ctx).keys.list(ctx.tenantId) });
};

/** `POST …/api-keys {name}` → 201 `{apiKey, key}`: the key is in this answer only. */
export const createKey: Handler<'tenant-key'> = async (ctx) => {
  p(ctx).tenants.get(ctx.tenantId);
  const name = checkKeyName(objectBody(await ctx.body()));
  const { key, apiKey } = await p(ctx).keys.create({ tenantId: ctx.tenantId, name, createdBy: `api-key:${ctx.key.id}` });
  ctx.json(201, { apiKey, key });
};

/** `POST …/api-keys/:key/rotate {graceSeconds?}` → 201 `{apiKey, key, replaced}`. */
export const rotateKey: Handler<'tenant-key'> = async (ctx) => {
  const body = ctx.request.header('content-type') === undefined ? {} : await ctx.body();
  const f = new Fields(body, ['graceSeconds']);
  const grace = f.int('graceSeconds', { min: 0, max: MAX_ROTATION_GRACE_S }) ?? 0;
  f.done();
  ctx.json(201, await p(ctx).keys.rotate(ctx.tenantId, param(ctx, 'key'), grace, `api-key:${ctx.key.id}`));
};

export const revokeKey: Handler<'tenant-key'> = (ctx) => {
  ctx.json(200, { apiKey: p(ctx).keys.revoke(ctx.tenantId, param(ctx, 'key')) });
};
