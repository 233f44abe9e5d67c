/**
 * Channels of a tenant: list, read, create or update (`PUT`: by the id the caller chooses),
 * update only (`PATCH`), delete. A deleted channel keeps its row (ended chats refer to it) and
 * leaves every list; its members lose it at once (through the room when it runs). A channel with
 * waiting or ongoing chats cannot be deleted.
 */
import type { ChannelSettings, ChannelSettingsPatch } from '../../../src/protocol/channel-settings.js';
import type { ChannelAssignment } from '../../../src/protocol/routing.js';
import type { ChannelTargets } from '../../../src/protocol/priority.js';
import { assignmentOf, checkAssignment, checkTargets, targetsOf } from './routing.js';
import { applyPatch, checkPatch, parseStored, writeSettings } from '../journey/settings.js';
import type { SqlPort } from '../sql.js';
import type { ChannelRow as StoreChannelRow } from '../store/index.js';
import { checkSlug, Fields, objectBody, ProvisioningError } from './validate.js';
import type { PermissionChange } from './permissions.js';
import { NO_PERMISSIONS } from './permissions.js';

/** A channel as the provisioning API shows it. */
export interface ChannelView {
  id: string;
  name: string;
  /** The first message a customer sees in this channel's chats. */
  welcomeMessage: string;
  /** Waiting longer than this warns the channel's agents (0: never). */
  warnAfterSeconds: number;
  /** Waiting longer than this warns its managers (0: never). */
  managerWarnAfterSeconds: number;
  /** Whether agents see what a customer is typing before it is sent. */
  sneakPeek: boolean;
  /** Position in lists (then by name). */
  sort: number;
  /** The customer's journey: texts per language, opening hours, look, forms (src/protocol/channel-settings.ts). */
  settings: ChannelSettings;
  /** Automatic assignment (off, round robin, least busy) and the time an offer waits (src/protocol/routing.ts). */
  assignment: ChannelAssignment;
  /** Priority (default, rules on pre-chat fields) and response-time targets (src/protocol/priority.ts). */
  targets: ChannelTargets;
}

/** A change of a channel: its fields, and `settings` as a patch (each section given replaces that section). */
type ChannelInput = Partial<Omit<ChannelView, 'settings' | 'assignment' | 'targets'>> & {
  settings?: ChannelSettingsPatch;
  assignment?: Partial<ChannelAssignment>;
  targets?: Partial<ChannelTargets>;
};

interface ChannelRow extends StoreChannelRow {
  sort: number;
  deleted_at: number | null;
  settings: string;
  assign_mode: string;
  offer_timeout_s: number;
  default_priority: string;
  priority_rules: string;
  first_response_s: number;
  next_response_s: number;
}

export const MAX_WELCOME_MESSAGE = 1000;
const MAX_WARN_S = 24 * 60 * 60;

/** Inserts a channel row (no checks: callers validate). Shared by the API and the demo seed. */
export function insertChannel(db: SqlPort, tenantId: string, c: { id: string; name: string; welcomeMessage: string; sort: number }): void {
  db.run('INSERT INTO channels (tenant_id, id, name, welcome_message, sort) VALUES (?, ?, ?, ?, ?)', [tenantId, c.id, c.name, c.welcomeMessage, c.sort]);
}

function view(row: ChannelRow): ChannelView {
  return {
    id: row.id,
    name: row.name,
    welcomeMessage: row.welcome_message,
    warnAfterSeconds: row.warn_after_s,
    managerWarnAfterSeconds: row.manager_warn_after_s,
    sneakPeek: row.sneak_peek === 1,
    sort: row.sort,
    settings: parseStored(row.settings),
    assignment: assignmentOf(row),
    targets: targetsOf(row),
  };
}

function checkChannelInput(raw: unknown): ChannelInput {
  const f = new Fields(objectBody(raw), ['name', 'welcomeMessage', 'warnAfterSeconds', 'managerWarnAfterSeconds', 'sneakPeek', 'sort', 'settings', 'assignment', 'targets']);
  const input: ChannelInput = {};
  const name = f.text('name', { max: 100 });
  if (name !== undefined) input.name = name;
  const welcome = f.text('welcomeMessage', { max: MAX_WELCOME_MESSAGE, min: 0 });
  if (welcome !== undefined) input.welcomeMessage = welcome;
  const warn = f.int('warnAfterSeconds', { min: 0, max: MAX_WARN_S });
  if (warn !== undefined) input.warnAfterSeconds = warn;
  const managerWarn = f.int('managerWarnAfterSeconds', { min: 0, max: MAX_WARN_S });
  if (managerWarn !== undefined) input.managerWarnAfterSeconds = managerWarn;
  const peek = f.bool('sneakPeek');
  if (peek !== undefined) input.sneakPeek = peek;
  const sort = f.int('sort', { min: 0, max: 1_000_000 });
  if (sort !== undefined) input.sort = sort;
  const assignment = checkAssignment(f);
  if (assignment) input.assignment = assignment;
  const targets = checkTargets(f);
  if (targets) input.targets = targets;
  f.done();
  if (f.has('settings')) input.settings = checkPatch(f.raw('settings'));
  return input;
}

export class Channels {
  constructor(
    private readonly db: SqlPort,
    private readonly now: () => number,
    private readonly applyPermissions: (tenantId: string, changes: readonly PermissionChange[]) => void,
  ) {}

  private row(tenantId: string, id: string): ChannelRow | undefined {
    return this.db.get<ChannelRow>('SELECT * FROM channels WHERE tenant_id = ? AND id = ?', [tenantId, id]);
  }

  /** The tenant's channels (not deleted), in list order. */
  list(tenantId: string): ChannelView[] {
    return this.db.all<ChannelRow>('SELECT * FROM channels WHERE tenant_id = ? AND deleted_at IS NULL ORDER BY sort, name', [tenantId]).map(view);
  }

  /** Ids of the tenant's channels (not deleted). */
  ids(tenantId: string): Set<string> {
    return new Set(this.db.all<{ id: string }>('SELECT id FROM channels WHERE tenant_id = ? AND deleted_at IS NULL', [tenantId]).map((r) => r.id));
  }

  get(tenantId: string, id: string): ChannelView {
    const row = this.row(tenantId, id);
    if (row?.deleted_at !== null) throw new ProvisioningError('not_found', 'no such channel');
    return view(row);
  }

  /**
   * `PUT` (`mode: 'upsert'`): creates the channel (name required) or changes the fields given;
   * a deleted channel of that id comes back. `PATCH` (`mode: 'update'`): only an existing one.
   */
  put(tenantId: string, id: string, body: unknown, mode: 'upsert' | 'update'): { channel: ChannelView; created: boolean } {
    checkSlug(id, 'channelId');
    const input = checkChannelInput(body);
    const created = this.db.transaction(() => {
      const row = this.row(tenantId, id);
      const exists = row?.deleted_at === null;
      if (!exists && mode === 'update') throw new ProvisioningError('not_found', 'no such channel');
      if (!exists && input.name === undefined) throw new ProvisioningError('invalid', 'name: required when the channel is created', { name: 'required when the channel is created' });
      if (!row) {
        const sort = input.sort ?? (this.db.get<{ n: number }>('SELECT COALESCE(MAX(sort) + 1, 0) AS n FROM channels WHERE tenant_id = ?', [tenantId])?.n ?? 0);
        insertChannel(this.db, tenantId, { id, name: input.name ?? id, welcomeMessage: input.welcomeMessage ?? '', sort });
      } else if (row.deleted_at !== null) {
        this.db.run('UPDATE channels SET deleted_at = NULL WHERE tenant_id = ? AND id = ?', [tenantId, id]);
      }
      const set = (column: string, value: string | number | undefined) => {
        if (value !== undefined) this.db.run(`UPDATE channels SET ${column} = ? WHERE tenant_id = ? AND id = ?`, [value, tenantId, id]);
      };
      set('name', input.name);
      set('welcome_message', input.welcomeMessage);
      set('warn_after_s', input.warnAfterSeconds);
      set('manager_warn_after_s', input.managerWarnAfterSeconds);
      set('sneak_peek', input.sneakPeek === undefined ? undefined : input.sneakPeek ? 1 : 0);
      set('sort', input.sort);
      set('assign_mode', input.assignment?.mode);
      set('offer_timeout_s', input.assignment?.offerSeconds);
      set('default_priority', input.targets?.defaultPriority);
      set('priority_rules', input.targets?.rules ? JSON.stringify(input.targets.rules) : undefined);
      set('first_response_s', input.targets?.firstResponseSeconds);
      set('next_response_s', input.targets?.nextResponseSeconds);
      if (input.settings) writeSettings(this.db, tenantId, id, applyPatch(parseStored(this.row(tenantId, id)?.settings), input.settings));
      return !exists;
    });
    return { channel: this.get(tenantId, id), created };
  }

  /**
   * Deletes a channel: refused (conflict) while chats wait or run in it; its members leave it
   * (open consoles are told), then it leaves every list. Deleting it again is a no-op.
   */
  remove(tenantId: string, id: string): void {
    checkSlug(id, 'channelId');
    const row = this.row(tenantId, id);
    if (row?.deleted_at !== null) throw new ProvisioningError('not_found', 'no such channel');
    const busy = this.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM sessions WHERE tenant_id = ? AND channel_id = ? AND status IN ('queued', 'active')", [tenantId, id])?.n ?? 0;
    if (busy > 0) {
      throw new ProvisioningError('conflict', `the channel has ${String(busy)} waiting or ongoing chat(s): end or transfer them first`);
    }
    const members = this.db.all<{ agent_id: string }>('SELECT agent_id FROM agent_channels WHERE tenant_id = ? AND channel_id = ?', [tenantId, id]);
    this.applyPermissions(
      tenantId,
      members.map((m) => ({ agentId: m.agent_id, channelId: id, permissions: NO_PERMISSIONS })),
    );
    // Synchronous from the check to here: no chat can start in between on this thread.
    this.db.transaction(() => {
      this.db.run('DELETE FROM agent_channels WHERE tenant_id = ? AND channel_id = ?', [tenantId, id]);
      this.db.run('UPDATE channels SET deleted_at = ? WHERE tenant_id = ? AND id = ?', [this.now(), tenantId, id]);
    });
  }
}

