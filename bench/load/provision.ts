/**
 * The one place where the load benchmark creates its tenant, agents and channel, and where its
 * clients get their credentials. Everything goes through the server's own code, never raw SQL;
 * nothing else in bench/load/ knows how the tenant came to be.
 *
 * Through the provisioning API (docs/provisioning.md): before the server starts, an operator
 * key is made with the operator's CLI (`crm-chat-server admin key create --operator`) on the fresh data
 * directory; once it runs, the key creates the tenant (`POST /tenants`), the channel
 * (`PUT …/channels/support`) and the agents in batches of 1,000 (`PUT …/agents`), which answer
 * the agents' ids. The server runs with `--demo`, whose `POST /api/demo/login {tenant, agentId}` gives any
 * agent its access token (until CRM sign-in exists); customers start chats with
 * `POST /api/chats` like the widget.
 */
import { spawnSync } from 'node:child_process';

import { childEnv, ROOT } from './util.js';

export interface TenantPlan {
  tenant: string;
  channelId: string;
  channelName: string;
  agents: number;
  /** Each agent's `maxConcurrentChats`; every agent handles this many chats. */
  chatsPerAgent: number;
}

export interface StartedChat {
  sessionId: string;
  token: string;
}

export interface Provisioner {
  readonly name: string;
  /** How the tenant is made, for the results. */
  readonly describe: string;
  /** Extra server flags this way of provisioning needs. */
  readonly serverArgs: readonly string[];
  /** Before the server starts, with its (empty) data directory; returns what `afterStart` needs. */
  prepare(dataDir: string, plan: TenantPlan): string;
  /** After the server is up: the agents' ids (as protocol frames and sign-in name them), in order. */
  afterStart(baseUrl: string, plan: TenantPlan, prepared: string): Promise<string[]>;
  /** An agent's access token (Bearer), for tickets. */
  agentToken(baseUrl: string, tenant: string, agentId: string): Promise<string>;
  /**
   * A customer starts a chat, as the widget does. `name` is unique in the run; `lookupAs` is an
   * agent of the channel whose board may be read to tell whether a start whose answer was lost
   * took place (then it is not made again).
   */
  startChat(baseUrl: string, tenant: string, channelId: string, name: string, lookupAs?: string): Promise<StartedChat>;
}

export const agentIdOf = (i: number): string => `agent-${String(i).padStart(5, '0')}`;

/**
 * wrangler dev's local proxy sometimes answers a POST with this 503 although the Worker never saw
 * it (cloudflare/workers-sdk#14641; there is no such proxy in production), and under load also
 * when workerd did restart mid-request, after which the request may or may not have committed.
 * Requests whose repeat only makes another credential (tickets, demo sign-in) are sent again;
 * a chat start only once it is known not to have happened ({@link widgetStart}). At most three
 * attempts.
 */
export const PROXY_LOST = 'Your worker restarted mid-request';

/**
 * `retryProxyLoss`: whether a request that wrangler dev's proxy lost is sent again: `true`, or a
 * check run before each repeat (it throws when the repeat would not be safe).
 */
async function requestJson<T>(method: string, baseUrl: string, path: string, body: unknown, token?: string, retryProxyLoss: boolean | (() => Promise<void>) = false): Promise<T> {
  let res: Response;
  let text: string;
  for (let attempt = 1; ; attempt++) {
    res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    text = await res.text();
    if (!(retryProxyLoss !== false && res.status === 503 && text.startsWith(PROXY_LOST) && attempt < 3)) break;
    if (retryProxyLoss !== true) await retryProxyLoss();
  }
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${String(res.status)} ${text.slice(0, 200)}`);
  return JSON.parse(text) as T;
}

const postJson = <T>(baseUrl: string, path: string, body: unknown, token?: string): Promise<T> => requestJson<T>('POST', baseUrl, path, body, token);

/** A connect ticket for an access token (`POST /api/tickets`). */
export async function ticketFor(baseUrl: string, token: string): Promise<string> {
  return (await requestJson<{ ticket: string }>('POST', baseUrl, '/api/tickets', {}, token, true)).ticket;
}

const demoLogin = async (baseUrl: string, tenant: string, agentId: string): Promise<string> =>
  (await requestJson<{ token: string }>('POST', baseUrl, '/api/demo/login', { tenant, agentId }, undefined, true)).token;
/**
 * `POST /api/chats` as the widget sends it. The API has no idempotency key for a start, so a start
 * whose answer wrangler dev's proxy lost is sent again only after the board of `lookupAs` (an
 * agent of the channel: `GET /api/snapshot`) shows no chat of this customer's name (unique in a
 * run): then nothing was started. A chat that did start cannot be taken over (its customer's
 * token was in the lost answer), so that is an error, not a second chat. Without `lookupAs` a
 * lost start is an error too.
 */
export async function widgetStart(baseUrl: string, tenant: string, channelId: string, name: string, lookupAs?: string): Promise<StartedChat> {
  const notStarted = async (): Promise<void> => {
    if (lookupAs === undefined) throw new Error(`POST /api/chats: the answer for "${name}" was lost (wrangler dev's proxy) and there is no board to check it on`);
    const token = await demoLogin(baseUrl, tenant, lookupAs);
    const board = await requestJson<{ sessions: { customer: { name?: string } }[] }>('GET', baseUrl, '/api/snapshot', undefined, token, true);
    if (board.sessions.some((session) => session.customer.name === name)) {
      throw new Error(`POST /api/chats: the chat of "${name}" started, but wrangler dev's proxy lost the answer with its customer's token; not started again`);
    }
  };
  return requestJson<StartedChat>('POST', baseUrl, '/api/chats', { tenant, channelId, name }, undefined, notStarted);
}

/** Agents per batch call (the API's maximum). */
const AGENT_BATCH = 1000;

export const apiProvisioner: Provisioner = {
  name: 'api',
  describe:
    'an operator key made with the CLI (crm-chat-server admin key create --operator) before the server starts; then the provisioning API: POST /api/provisioning/tenants, PUT …/channels/<id>, PUT …/agents in batches of 1,000; agents log in with POST /api/demo/login (server started with --demo); customers start chats with POST /api/chats',
  serverArgs: ['--demo'],
  prepare(dataDir) {
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'server/node/cli.ts', 'admin', 'key', 'create', '--operator', '--name', 'load benchmark', '--data', dataDir],
      { cwd: ROOT, env: childEnv(), encoding: 'utf8', timeout: 60_000 },
    );
    const key = run.stdout.trim();
    if (run.status !== 0 || !key.startsWith('ccp_')) throw new Error(`crm-chat-server admin key create failed (${String(run.status)}): ${run.stderr.slice(0, 300)}`);
    return key;
  },
  async afterStart(baseUrl, plan, key) {
    const base = `/api/provisioning/tenants`;
    await postJson(baseUrl, base, { id: plan.tenant, name: `Load test (${String(plan.agents)} agents)` }, key);
    await requestJson('PUT', baseUrl, `${base}/${plan.tenant}/channels/${plan.channelId}`, { name: plan.channelName, welcomeMessage: 'Welcome! An agent will be with you shortly.' }, key);
    const ids: string[] = [];
    for (let from = 0; from < plan.agents; from += AGENT_BATCH) {
      const agents = Array.from({ length: Math.min(AGENT_BATCH, plan.agents - from) }, (_, k) => {
        const i = from + k;
        return { externalId: agentIdOf(i), name: `Agent ${String(i)}`, email: `${agentIdOf(i)}@load.example`, maxConcurrentChats: plan.chatsPerAgent, channels: { [plan.channelId]: {} } };
      });
      const answer = await requestJson<{ agents: { externalId: string; id: string }[] }>('PUT', baseUrl, `${base}/${plan.tenant}/agents`, { agents }, key);
      ids.push(...answer.agents.map((a) => a.id));
    }
    return ids;
  },
  agentToken: demoLogin,
  startChat: widgetStart,
};

/**
 * A tenant's own limits (`settings.limits`, docs/provisioning.md) through the provisioning API:
 * the Cloudflare host has no server flags, so the benchmark raises its limits this way (each
 * clamped to the API's range).
 */
export async function setTenantLimits(baseUrl: string, key: string, tenant: string, limits: Record<string, number | undefined>): Promise<Record<string, number>> {
  const max: Record<string, number> = { chatStartsPerMinute: 100_000, framesPerMinute: 1_000_000, connectionsPerTenant: 1_000_000 };
  const wanted: Record<string, number> = Object.fromEntries(Object.entries(limits).flatMap(([k, v]) => (v === undefined ? [] : [[k, Math.min(v, max[k] ?? v)]])));
  await requestJson('PATCH', baseUrl, `/api/provisioning/tenants/${tenant}`, { settings: { limits: wanted } }, key);
  return wanted;
}

const PROVISIONERS: Record<string, Provisioner> = { api: apiProvisioner };

export function provisioner(name: string): Provisioner {
  const p = PROVISIONERS[name];
  if (!p) throw new Error(`unknown provisioner "${name}" (known: ${Object.keys(PROVISIONERS).join(', ')})`);
  return p;
}
