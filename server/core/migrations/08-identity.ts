import type { Migration } from './index.js';

export const m08: Migration = {
  version: 8,
  name: 'identity: agent sign-in with a CRM-signed JWT, its replay window, customer identity verification',
  sql: `
      -- How a tenant's CRM signs its agents in (JWT). Secrets are write-only: never read back by the
      -- API. public_keys: a JWKS (JSON) or a PEM public key; jwks_url: keys fetched from there.
      CREATE TABLE tenant_sign_in (
        tenant_id TEXT PRIMARY KEY REFERENCES tenants(id),
        algorithms TEXT NOT NULL DEFAULT '[]',
        hs256_secret TEXT,
        jwks TEXT,
        jwks_url TEXT,
        public_key_pem TEXT,
        issuer TEXT NOT NULL,
        audience TEXT NOT NULL,
        clock_skew_s INTEGER NOT NULL DEFAULT 30,
        max_lifetime_s INTEGER NOT NULL DEFAULT 600,
        jit INTEGER NOT NULL DEFAULT 0,
        jit_channels TEXT NOT NULL DEFAULT '{}',
        role_mapping TEXT,
        updated_at INTEGER NOT NULL
      );

      -- The secret a tenant's website signs its customers' identity tokens with (HS256; write-only).
      CREATE TABLE tenant_customer_identity (
        tenant_id TEXT PRIMARY KEY REFERENCES tenants(id),
        secret TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );

      -- Every jti a sign-in token was accepted with, until the token expires: a second use is refused
      -- (kept in the database, so a restart does not reopen the window).
      CREATE TABLE used_jwt_ids (
        tenant_id TEXT NOT NULL,
        jti TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        PRIMARY KEY (tenant_id, jti)
      );
      CREATE INDEX used_jwt_ids_expiry ON used_jwt_ids (expires_at);

      -- The customer's identity as the company's website vouched for it (a signed token) when the
      -- chat started: 'verified', or 'unverified' when a token was given but did not verify (its
      -- claims are kept only to be shown as such, never to match).
      ALTER TABLE sessions ADD COLUMN identity_status TEXT;
      ALTER TABLE sessions ADD COLUMN identity_external_id TEXT;
      ALTER TABLE sessions ADD COLUMN identity_name TEXT;
      ALTER TABLE sessions ADD COLUMN identity_email TEXT;
      CREATE INDEX sessions_identity ON sessions (tenant_id, identity_external_id) WHERE identity_status = 'verified';
    `,
};
