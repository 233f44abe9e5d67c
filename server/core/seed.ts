/**
 * Tenants and the demo installation. `seedDemo` is idempotent: it creates the demo tenant on
 * first start and leaves an existing one untouched, so a second start reuses the data.
 */
import { randomId } from './auth.js';
import { parseStored, writeSettings } from './journey/settings.js';
import { insertAgent } from './provisioning/agents.js';
import { insertChannel } from './provisioning/channels.js';
import { insertTenant } from './provisioning/tenants.js';
import type { SqlPort } from './sql.js';
import { TenantStore } from './store/index.js';

export interface TenantSpec {
  id: string;
  name: string;
  timeZone?: string;
  channels: { id: string; name: string; welcomeMessage: string }[];
  agents: {
    id: string;
    name: string;
    email: string;
    maxConcurrentChats: number;
    manageQuickReplies?: boolean;
    status?: 'present' | 'away';
    channels: Record<string, { respond?: boolean; notifications?: boolean; listen?: boolean; manager?: boolean }>;
  }[];
}

/**
 * Creates a tenant with its channels and agents (agents keep the ids of the spec, which are also
 * their external ids). Returns false if it already exists.
 */
export function createTenant(db: SqlPort, spec: TenantSpec, now: number): boolean {
  return db.transaction(() => {
    if (db.get('SELECT id FROM tenants WHERE id = ?', [spec.id])) return false;
    insertTenant(db, { id: spec.id, name: spec.name, timeZone: spec.timeZone }, now);
    spec.channels.forEach((c, i) => {
      insertChannel(db, spec.id, { id: c.id, name: c.name, welcomeMessage: c.welcomeMessage, sort: i });
    });
    const store = new TenantStore(db, spec.id);
    for (const a of spec.agents) {
      insertAgent(
        db,
        spec.id,
        { id: a.id, externalId: a.id, name: a.name, email: a.email, maxConcurrentChats: a.maxConcurrentChats, manageQuickReplies: a.manageQuickReplies ?? false, status: a.status },
        now,
      );
      for (const [channelId, p] of Object.entries(a.channels)) {
        store.setChannelPermissions(a.id, channelId, { respond: p.respond !== false, notifications: p.notifications !== false, listen: p.listen === true, manager: p.manager === true });
      }
    }
    return true;
  });
}

const full = { respond: true, notifications: true, listen: true, manager: true };

/** The demo installation: two channels and four agents, one of them a supervisor. */
export const DEMO_TENANT: TenantSpec = {
  id: 'demo',
  name: 'Nordlys Outdoor AB',
  timeZone: 'Europe/Stockholm',
  channels: [
    { id: 'sales', name: 'Sales', welcomeMessage: 'Welcome to Nordlys Sales! An agent will be with you shortly.' },
    { id: 'support', name: 'Support', welcomeMessage: 'Welcome to Nordlys Support! An agent will be with you shortly.' },
  ],
  agents: [
    {
      id: 'anna',
      name: 'Anna Lindqvist',
      email: 'anna.lindqvist@nordlys.example',
      maxConcurrentChats: 5,
      manageQuickReplies: true,
      channels: { sales: full, support: full },
    },
    { id: 'erik', name: 'Erik Johansson', email: 'erik.johansson@nordlys.example', maxConcurrentChats: 4, channels: { sales: {}, support: {} } },
    { id: 'sofia', name: 'Sofia Berg', email: 'sofia.berg@nordlys.example', maxConcurrentChats: 4, channels: { support: {} } },
    { id: 'lars', name: 'Lars Nilsson', email: 'lars.nilsson@nordlys.example', maxConcurrentChats: 3, channels: { sales: {} } },
  ],
};

export function seedDemo(db: SqlPort, now: number): boolean {
  return createTenant(db, DEMO_TENANT, now);
}

/**
 * Response-time targets and priority rules of the demo's Support channel (issue 18), set by
 * {@link seedDemoTargets} (`--demo-targets`, which `npm start` passes): a waiting row's reply timer
 * changes colour before and after the target, and the Dashboard's statistics show the share of
 * replies within target. The demo shop's signed-in customers (example.com accounts) are answered
 * first; a chat whose customer writes "urgent" in the name field comes before all.
 */
export const DEMO_TARGETS = {
  firstResponseSeconds: 60,
  nextResponseSeconds: 120,
  rules: [
    { field: 'name', match: 'contains', value: 'urgent', priority: 'urgent' },
    { field: 'email', match: 'ends-with', value: '@example.com', priority: 'high' },
  ],
} as const;

/**
 * Gives the demo's Support channel {@link DEMO_TARGETS} while it has no targets and no rules of
 * its own (so once per data folder, unless a manager clears them again). Not part of `--demo`
 * itself: the tests' demo servers keep channels without targets. Returns whether it changed them.
 */
export function seedDemoTargets(db: SqlPort): boolean {
  return db.transaction(() => {
    const row = db.get<{ first_response_s: number; next_response_s: number; priority_rules: string }>(
      "SELECT first_response_s, next_response_s, priority_rules FROM channels WHERE tenant_id = ? AND id = 'support'",
      [DEMO_TENANT.id],
    );
    if (row?.first_response_s !== 0 || row.next_response_s !== 0 || row.priority_rules !== '[]') return false;
    db.run("UPDATE channels SET first_response_s = ?, next_response_s = ?, priority_rules = ? WHERE tenant_id = ? AND id = 'support'", [
      DEMO_TARGETS.firstResponseSeconds,
      DEMO_TARGETS.nextResponseSeconds,
      JSON.stringify(DEMO_TARGETS.rules),
      DEMO_TENANT.id,
    ]);
    return true;
  });
}

/** The demo shop's signed-in customer accounts (demo/customer.html can sign in as one). */
export const DEMO_SHOP_CUSTOMERS: readonly { id: string; name: string; email: string }[] = [
  { id: 'shop-1001', name: 'Kim Andersson', email: 'kim.andersson@example.com' },
];

/** Where the demo's rule-based bot for Support answers (a path on the chat server itself). */
export const DEMO_BOT_PATH = '/api/demo/bot';

/** The demo CRM's issuer and the audience its sign-in tokens name. */
export const DEMO_SIGN_IN = { issuer: 'https://crm.nordlys.example', audience: 'crm-chat:demo' } as const;

/**
 * The demo tenant's identity settings, made once per data folder (random secrets, kept in the
 * database): its CRM signs agents in with HS256 JWTs (new CRM users are created at first sign-in,
 * in Support), and its shop signs customer identity tokens.
 */
export function seedDemoIdentity(db: SqlPort, now: number): void {
  db.transaction(() => {
    if (!db.get('SELECT 1 AS x FROM tenants WHERE id = ?', [DEMO_TENANT.id])) return;
    if (!db.get('SELECT 1 AS x FROM tenant_sign_in WHERE tenant_id = ?', [DEMO_TENANT.id])) {
      db.run(
        `INSERT INTO tenant_sign_in (tenant_id, algorithms, hs256_secret, issuer, audience, jit, jit_channels, updated_at)
         VALUES (?, '["HS256"]', ?, ?, ?, 1, ?, ?)`,
        [DEMO_TENANT.id, randomId(32), DEMO_SIGN_IN.issuer, DEMO_SIGN_IN.audience, JSON.stringify({ support: { respond: true, notifications: true, listen: false, manager: false } }), now],
      );
    }
    if (!db.get('SELECT 1 AS x FROM tenant_customer_identity WHERE tenant_id = ?', [DEMO_TENANT.id])) {
      db.run('INSERT INTO tenant_customer_identity (tenant_id, secret, updated_at) VALUES (?, ?, ?)', [DEMO_TENANT.id, randomId(32), now]);
    }
    // Support's rule-based bot (routes/demo-bot.ts), configured but off: a manager turns it on in
    // the channel settings (demo/admin.html). Its secret is made here, once per data folder.
    const support = db.get<{ settings: string | null }>("SELECT settings FROM channels WHERE tenant_id = ? AND id = 'support'", [DEMO_TENANT.id]);
    if (support) {
      const settings = parseStored(support.settings);
      if (settings.bot.url === '') {
        settings.bot = { enabled: false, url: DEMO_BOT_PATH, secret: randomId(32), timeoutMs: 5000 };
        settings.texts = { ...settings.texts, en: { ...settings.texts.en, botName: 'Nordlys bot' }, sv: { ...settings.texts.sv, botName: 'Nordlys-boten' } };
        writeSettings(db, DEMO_TENANT.id, 'support', settings);
      }
      // A proactive invitation on the demo shop (issue 18): for a returning visitor (a later tab
      // of the same browser), after 10 s on the shop's page, while Support is open and staffed.
      const now = parseStored(db.get<{ settings: string | null }>("SELECT settings FROM channels WHERE tenant_id = ? AND id = 'support'", [DEMO_TENANT.id])?.settings);
      if (now.invitations.rules.length === 0 && !now.invitations.enabled) {
        now.invitations = {
          enabled: true,
          rules: [
            {
              id: 'shop-welcome-back',
              enabled: true,
              urlPattern: '/demo/customer.html*',
              secondsOnPage: 10,
              returningOnly: true,
              message: { en: 'Welcome back! Questions about an order or a product? We are here.', sv: 'Välkommen tillbaka! Frågor om en beställning eller en produkt? Vi finns här.' },
            },
          ],
        };
        writeSettings(db, DEMO_TENANT.id, 'support', now);
      }
    }
  });
}
