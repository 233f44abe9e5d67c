/**
 * Tenants and the demo installation. `seedDemo` is idempotent: it creates the demo tenant on
 * first start and leaves an existing one untouched, so a second start reuses the data.
 */
import { randomId } from './auth.js';
import type { SqlPort } from './sql.js';

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

/** Creates a tenant with its channels and agents. Returns false if it already exists. */
export function createTenant(db: SqlPort, spec: TenantSpec, now: number): boolean {
  return db.transaction(() => {
    if (db.get('SELECT id FROM tenants WHERE id = ?', [spec.id])) return false;
    db.run('INSERT INTO tenants (id, name, time_zone, board_epoch, created_at) VALUES (?, ?, ?, ?, ?)', [
      spec.id,
      spec.name,
      spec.timeZone ?? 'Europe/Stockholm',
      randomId(6),
      now,
    ]);
    spec.channels.forEach((c, i) => {
      db.run('INSERT INTO channels (tenant_id, id, name, welcome_message, sort) VALUES (?, ?, ?, ?, ?)', [spec.id, c.id, c.name, c.welcomeMessage, i]);
    });
    for (const a of spec.agents) {
      db.run(
        'INSERT INTO agents (tenant_id, id, name, email, status, max_concurrent_chats, manage_quick_replies) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [spec.id, a.id, a.name, a.email, a.status ?? 'present', a.maxConcurrentChats, a.manageQuickReplies ? 1 : 0],
      );
      for (const [channelId, p] of Object.entries(a.channels)) {
        db.run(
          'INSERT INTO agent_channels (tenant_id, agent_id, channel_id, can_respond, notifications, can_listen, manager) VALUES (?, ?, ?, ?, ?, ?, ?)',
          [spec.id, a.id, channelId, p.respond === false ? 0 : 1, p.notifications === false ? 0 : 1, p.listen ? 1 : 0, p.manager ? 1 : 0],
        );
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
