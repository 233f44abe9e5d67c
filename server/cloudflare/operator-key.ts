/**
 * The operator key of a Cloudflare installation. On the Node host operator keys are rows made with
 * the CLI on the server's machine; a Worker has no such machine, so the operator key is a secret
 * (`wrangler secret put CHAT_OPERATOR_KEY`), in the same shape as stored keys. It may create and
 * list tenants and act on every tenant; tenant keys are made over the API as on Node.
 */
import type { ApiKeyPrincipal } from '../core/provisioning/index.js';

const KEY_SHAPE = /^ccp_([0-9a-f]{10})\.([\w-]{43})$/;
const enc = new TextEncoder();

/** The operator principal when `presented` is the configured operator key (compared in constant time). */
export function operatorKey(configured: string | undefined, presented: string): ApiKeyPrincipal | undefined {
  const m = configured === undefined ? null : KEY_SHAPE.exec(configured);
  if (!m?.[1] || configured === undefined || !KEY_SHAPE.test(presented)) return undefined;
  const a = enc.encode(configured);
  const b = enc.encode(presented);
  if (a.length !== b.length || !crypto.subtle.timingSafeEqual(a, b)) return undefined;
  return { id: m[1], tenantId: null, name: 'operator key (CHAT_OPERATOR_KEY)' };
}
