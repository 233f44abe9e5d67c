/**
 * Provisioning: tenants, channels, agents, their permissions, and the API keys that allow it,
 * over the SQL port (host-independent: the Node host's HTTP routes and the operator CLI use the
 * same code). Docs: docs/provisioning.md.
 *
 * Changes that open consoles must see go through the tenant's running room and its public
 * methods: permissions through `applyPermissions` (an online agent's consoles get `me`, `gone` and
 * a fresh board at once; every console's roster the new channels; chats of a channel where the
 * agent may no longer answer go back to the queue), a disabled or deleted agent through
 * `dropAuthSession` and `agentCutOff`, a new display name through `agentRenamed`. Everything else goes straight to the database, in one
 * transaction per call, where rooms read it (so 1,000 agents are written in well under a second).
 * With no room running, a room that starts later releases what it finds (docs/provisioning.md § 9).
 */
import { revokeAuthSessionsOf } from '../auth.js';
import type { SqlPort } from '../sql.js';
import { Agents } from './agents.js';
import { ApiKeys } from './api-keys.js';
import { Channels } from './channels.js';
import type { PermissionChange } from './permissions.js';
import { writePermissions } from './permissions.js';
import { SignInSettings } from './sign-in.js';
import { Tenants } from './tenants.js';

export type { AgentView } from './agents.js';
export type { ApiKeyInfo, ApiKeyPrincipal } from './api-keys.js';
export type { ChannelView } from './channels.js';
export type { TenantView } from './tenants.js';
export type { SignInAlgorithm, SignInConfig, SignInView } from './sign-in.js';
export { SIGN_IN_ALGORITHMS } from './sign-in.js';
export { ProvisioningError } from './validate.js';
export { API_KEY_PREFIX, MAX_ROTATION_GRACE_S } from './api-keys.js';
export { MAX_BATCH_AGENTS } from './agents.js';

/** What provisioning needs of a running room (a subset of ChatRoom's public methods). */
export interface RunningRoom {
  /** Applies permission changes at once (open consoles, other consoles' rosters, chats that go back to the queue). */
  applyPermissions(changes: readonly PermissionChange[]): void;
  dropAuthSession(authSessionId: string): void;
  /** A disabled or deleted agent: sockets closed, chats back to the queue, offers cancelled. */
  agentCutOff(agentId: string): void;
  /** An agent's display name changed: rosters, the agent's own consoles and the boards that name them. */
  agentRenamed(agentId: string): void;
}

export interface ProvisioningDeps {
  now: () => number;
  /** HMAC key of the stored API key hashes (see api-keys.ts). */
  pepper: string;
  /** The tenant's room if one is running in this process. */
  runningRoom?: (tenantId: string) => RunningRoom | undefined;
  /** A tenant's settings (its limits) were created or changed: the host reads them afresh. */
  settingsChanged?: (tenantId: string) => void;
}

export class Provisioning {
  readonly keys: ApiKeys;
  readonly tenants: Tenants;
  readonly channels: Channels;
  readonly agents: Agents;
  /** Agent sign-in (JWT) and customer identity settings. */
  readonly signIn: SignInSettings;

  constructor(
    private readonly db: SqlPort,
    private readonly deps: ProvisioningDeps,
  ) {
    this.keys = new ApiKeys(db, deps.now, deps.pepper);
    this.tenants = new Tenants(db, deps.now, (tenantId) => deps.settingsChanged?.(tenantId));
    const applyPermissions = (tenantId: string, changes: readonly PermissionChange[]) => {
      this.applyPermissions(tenantId, changes);
    };
    this.channels = new Channels(db, deps.now, applyPermissions);
    this.agents = new Agents(db, deps.now, this.channels, {
      applyPermissions,
      cutOff: (tenantId, agentId) => {
        this.cutOff(tenantId, agentId);
      },
      renamed: (tenantId, agentId) => {
        this.deps.runningRoom?.(tenantId)?.agentRenamed(agentId);
      },
    });
    this.signIn = new SignInSettings(db, deps.now, this.channels);
  }

  /** Writes permission changes; those of agents online go through the running room (consoles learn them at once). */
  applyPermissions(tenantId: string, changes: readonly PermissionChange[]): void {
    if (changes.length === 0) return;
    const room = this.deps.runningRoom?.(tenantId);
    if (room) room.applyPermissions(changes);
    else writePermissions(this.db, tenantId, changes);
  }

  /** Ends the agent's auth sessions and closes the sockets opened with them. */
  private cutOff(tenantId: string, agentId: string): void {
    const ended = revokeAuthSessionsOf(this.db, tenantId, 'agent', agentId, this.deps.now());
    const room = this.deps.runningRoom?.(tenantId);
    // The room closes the agent's sockets saying why, then drops anything left of those sessions.
    room?.agentCutOff(agentId);
    for (const id of ended) room?.dropAuthSession(id);
  }
}
