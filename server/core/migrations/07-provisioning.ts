import type { Migration } from './index.js';

export const m07: Migration = {
  version: 7,
  name: 'provisioning: tenant external id and settings, agent external id, disabled and deleted agents, deleted channels, API keys',
  sql: `
      -- The CRM's own id of a tenant (its installation or customer number), and settings (JSON).
      ALTER TABLE tenants ADD COLUMN external_id TEXT;
      ALTER TABLE tenants ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';
      CREATE UNIQUE INDEX tenants_external_id ON tenants (external_id) WHERE external_id IS NOT NULL;

      -- A deleted channel keeps its row (ended chats refer to it) but leaves every list.
      ALTER TABLE channels ADD COLUMN deleted_at INTEGER;

      -- Agents are addressed by the CRM's user id (existing agents: their own id). Disabled agents
      -- keep their permissions for when they are enabled again; deleted ones keep their row (names
      -- in history) and free their external id.
      ALTER TABLE agents ADD COLUMN external_id TEXT;
      UPDATE agents SET external_id = id;
      ALTER TABLE agents ADD COLUMN disabled_at INTEGER;
      ALTER TABLE agents ADD COLUMN deleted_at INTEGER;
      ALTER TABLE agents ADD COLUMN created_at INTEGER;
      ALTER TABLE agents ADD COLUMN updated_at INTEGER;
      CREATE UNIQUE INDEX agents_external_id ON agents (tenant_id, external_id) WHERE deleted_at IS NULL;

      -- Provisioning API keys: only an HMAC of the key is stored. tenant_id NULL: an operator key.
      CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        tenant_id TEXT REFERENCES tenants(id),
        name TEXT NOT NULL,
        key_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        created_by TEXT NOT NULL,
        last_used_at INTEGER,
        expires_at INTEGER,
        revoked_at INTEGER,
        replaced_by TEXT
      );
      CREATE INDEX api_keys_tenant ON api_keys (tenant_id, created_at);

      -- Disabling an agent ends their open auth sessions at once.
      CREATE INDEX auth_sessions_subject ON auth_sessions (tenant_id, role, subject_id) WHERE revoked_at IS NULL;
    `,
};
