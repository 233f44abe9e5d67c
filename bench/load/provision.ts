/**
 * The one place where the load benchmark creates its tenant, agents and channel, and where its
 * clients get their credentials. Everything goes through the server's own code, never raw SQL.
 *
 * Today (`seed`): before the server starts, the tenant is created in the fresh data directory by
 * `createTenant` (server/core/seed.ts: the same function that creates the demo tenant), then the
 * server runs with `--demo`, whose `POST /api/demo/login {tenant, agentId}` gives agents of any
 * tenant their access token. Customers start chats with `POST /api/chats` like the widget.
 *
 * When the provisioning HTTP API of issue 13 lands on main, add a provisioner here that creates
 * the tenant in `afterStart` and logs agents in through it, and make it the default: nothing
 * else in bench/load/ knows how the tenant came to be.
 */
import { join } from 'node:path';

import { migrate } from '../../server/core/migrations.js';
import { createTenant, type TenantSpec } from '../../server/core/seed.js';
import { openSqlite } from '../../server/node/sqlite.js';

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
  /** Before the server starts, with its (empty) data directory. */
  prepare(dataDir: string, plan: TenantPlan): void;
  /** After the server is up. */
  afterStart(baseUrl: string, plan: TenantPlan): Promise<void>;
  /** An agent's access token (Bearer), for tickets. */
  agentToken(baseUrl: string, tenant: string, agentId: string): Promise<string>;
  /** A customer starts a chat, as the widget does. */
  startChat(baseUrl: string, tenant: string, channelId: string, name: string): Promise<StartedChat>;
}

export const agentIdOf = (i: number): string => `agent-${String(i).padStart(5, '0')}`;

async function postJson<T>(baseUrl: string, path: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${path}: HTTP ${String(res.status)} ${text.slice(0, 200)}`);
  return JSON.parse(text) as T;
}

/** A connect ticket for an access token (`POST /api/tickets`). */
export async function ticketFor(baseUrl: string, token: string): Promise<string> {
  return (await postJson<{ ticket: string }>(baseUrl, '/api/tickets', {}, token)).ticket;
}

export function tenantSpec(plan: TenantPlan): TenantSpec {
  return {
    id: plan.tenant,
    name: `Load test (${String(plan.agents)} agents)`,
    channels: [{ id: plan.channelId, name: plan.channelName, welcomeMessage: 'Welcome! An agent will be with you shortly.' }],
    agents: Array.from({ length: plan.agents }, (_, i) => ({
      id: agentIdOf(i),
      name: `Agent ${String(i)}`,
      email: `${agentIdOf(i)}@load.example`,
      maxConcurrentChats: plan.chatsPerAgent,
      channels: { [plan.channelId]: {} }, // respond + notifications, no listen/manager
    })),
  };
}

export const seedProvisioner: Provisioner = {
  name: 'seed',
  describe:
    'tenant, channel and agents created before the server starts by the server\'s createTenant() (server/core/seed.ts, as the demo tenant is); agents log in with POST /api/demo/login (server started with --demo); customers start chats with POST /api/chats',
  serverArgs: ['--demo'],
  prepare(dataDir, plan) {
    const db = openSqlite(join(dataDir, 'chat.db'));
    try {
      migrate(db);
      if (!createTenant(db, tenantSpec(plan), Date.now())) throw new Error(`tenant ${plan.tenant} already exists in ${dataDir}`);
    } finally {
      db.close();
    }
  },
  async afterStart() {
    // nothing: the tenant is in the database the server opened
  },
  async agentToken(baseUrl, tenant, agentId) {
    return (await postJson<{ token: string }>(baseUrl, '/api/demo/login', { tenant, agentId })).token;
  },
  async startChat(baseUrl, tenant, channelId, name) {
    return postJson<StartedChat>(baseUrl, '/api/chats', { tenant, channelId, name });
  },
};

const PROVISIONERS: Record<string, Provisioner> = { seed: seedProvisioner };

export function provisioner(name: string): Provisioner {
  const p = PROVISIONERS[name];
  if (!p) throw new Error(`unknown provisioner "${name}" (known: ${Object.keys(PROVISIONERS).join(', ')})`);
  return p;
}
