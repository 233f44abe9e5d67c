/**
 * Signs in a demo agent of the demo server (`npm start` runs it with `--demo`) and returns what
 * `<chat-window>` needs: a ticket provider and the access token for its HTTP calls.
 *
 * A real CRM does the same against its own backend: the backend signs the agent in and mints a
 * single-use connect ticket for every (re)connect (docs/security.md § 2.1). Nothing here is
 * specific to a framework; every example under demo/frameworks/ uses it.
 */
export interface DemoAgent {
  name: string;
  /** A fresh single-use connect ticket (called before every connect and reconnect). */
  getToken: () => Promise<string>;
  /** The agent's access token, for file downloads, the reply library and the CRM panel. */
  getAccessToken: () => string;
}

export const TENANT = 'demo';

async function post<T>(path: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
    cache: 'no-store',
  });
  if (!res.ok) throw Object.assign(new Error(`${path}: HTTP ${String(res.status)}`), { status: res.status });
  return (await res.json()) as T;
}

/** Signs in the first demo agent (`?agent=<name>` on the page's URL picks another). */
export async function signInDemoAgent(): Promise<DemoAgent> {
  const wanted = new URLSearchParams(location.search).get('agent');
  const res = await fetch(`/api/demo/agents?tenant=${TENANT}`, { cache: 'no-store' });
  if (!res.ok) throw new Error(`the demo agents could not be loaded (HTTP ${String(res.status)}); is the server running with --demo?`);
  const { agents } = (await res.json()) as { agents: { id: string; name: string }[] };
  const agent = agents.find((a) => a.name === wanted) ?? agents[0];
  if (!agent) throw new Error('the demo tenant has no agents');
  const { token } = await post<{ token: string }>('/api/demo/login', { tenant: TENANT, agentId: agent.id });
  return {
    name: agent.name,
    getToken: async () => (await post<{ ticket: string }>('/api/tickets', {}, token)).ticket,
    getAccessToken: () => token,
  };
}
