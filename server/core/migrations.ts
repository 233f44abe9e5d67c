/**
 * Numbered schema migrations (SQLite dialect). Append only: never edit a migration that has
 * shipped; add the next number instead. `migrate()` applies the missing ones in order, each in
 * its own transaction, and records them in `schema_migrations`.
 */
import type { SqlPort } from './sql.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'core: tenants, channels, agents, sessions, messages, board log, auth',
    sql: `
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

      CREATE TABLE tenants (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        time_zone TEXT NOT NULL DEFAULT 'Europe/Stockholm',
        board_epoch TEXT NOT NULL,
        board_seq INTEGER NOT NULL DEFAULT 0,
        allowed_origins TEXT NOT NULL DEFAULT '[]',
        created_at INTEGER NOT NULL
      );

      CREATE TABLE channels (
        tenant_id TEXT NOT NULL REFERENCES tenants(id),
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        welcome_message TEXT NOT NULL DEFAULT '',
        sort INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (tenant_id, id)
      );

      CREATE TABLE agents (
        tenant_id TEXT NOT NULL REFERENCES tenants(id),
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        email TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'present' CHECK (status IN ('present', 'away')),
        max_concurrent_chats INTEGER NOT NULL DEFAULT 5,
        manage_quick_replies INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (tenant_id, id)
      );

      CREATE TABLE agent_channels (
        tenant_id TEXT NOT NULL,
        agent_id TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        can_respond INTEGER NOT NULL DEFAULT 1,
        notifications INTEGER NOT NULL DEFAULT 1,
        can_listen INTEGER NOT NULL DEFAULT 0,
        manager INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (tenant_id, agent_id, channel_id),
        FOREIGN KEY (tenant_id, agent_id) REFERENCES agents(tenant_id, id),
        FOREIGN KEY (tenant_id, channel_id) REFERENCES channels(tenant_id, id)
      );

      CREATE TABLE sessions (
        tenant_id TEXT NOT NULL,
        id TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('queued', 'active', 'ended', 'missed')),
        customer_name TEXT NOT NULL,
        customer_email TEXT,
        customer_phone TEXT,
        agent_id TEXT,
        created_at INTEGER NOT NULL,
        accepted_at INTEGER,
        ended_at INTEGER,
        ended_by TEXT,
        last_activity_at INTEGER NOT NULL,
        epoch TEXT NOT NULL,
        head_seq INTEGER NOT NULL DEFAULT 0,
        head_cseq INTEGER NOT NULL DEFAULT 0,
        last_from TEXT,
        last_text TEXT,
        last_at INTEGER,
        agent_read_seq INTEGER NOT NULL DEFAULT 0,
        customer_read_cseq INTEGER NOT NULL DEFAULT 0,
        unread INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, channel_id) REFERENCES channels(tenant_id, id)
      );
      CREATE INDEX sessions_queue ON sessions (tenant_id, status, channel_id, created_at);
      CREATE INDEX sessions_agent ON sessions (tenant_id, agent_id, status);
      CREATE INDEX sessions_ended ON sessions (tenant_id, ended_at);

      CREATE TABLE messages (
        tenant_id TEXT NOT NULL,
        session_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        cseq INTEGER,
        id TEXT NOT NULL,
        cmid TEXT,
        sender_kind TEXT NOT NULL CHECK (sender_kind IN ('customer', 'agent', 'system')),
        sender_id TEXT,
        author_name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('text', 'note', 'event')),
        text TEXT NOT NULL,
        event TEXT,
        at INTEGER NOT NULL,
        PRIMARY KEY (tenant_id, session_id, seq),
        FOREIGN KEY (tenant_id, session_id) REFERENCES sessions(tenant_id, id)
      );
      CREATE UNIQUE INDEX messages_cmid ON messages (tenant_id, sender_kind, sender_id, cmid) WHERE cmid IS NOT NULL;
      CREATE UNIQUE INDEX messages_cseq ON messages (tenant_id, session_id, cseq) WHERE cseq IS NOT NULL;
      CREATE UNIQUE INDEX messages_id ON messages (tenant_id, id);

      CREATE TABLE board_events (
        tenant_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        kind TEXT NOT NULL,
        channel_id TEXT,
        subject_id TEXT NOT NULL,
        data TEXT NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (tenant_id, seq)
      );

      CREATE TABLE auth_sessions (
        id TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('agent', 'customer')),
        subject_id TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        revoked_at INTEGER
      );

      CREATE TABLE used_tickets (
        jti TEXT PRIMARY KEY,
        expires_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'transfers, handler history, channel warnings and sneak peek, customer read position, internal events',
    sql: `
      ALTER TABLE tenants ADD COLUMN transfer_timeout_ms INTEGER NOT NULL DEFAULT 120000;
      -- Server time of the last "recently completed" sweep (NULL: never swept).
      ALTER TABLE tenants ADD COLUMN recent_swept_at INTEGER;

      ALTER TABLE channels ADD COLUMN warn_after_s INTEGER NOT NULL DEFAULT 60;
      ALTER TABLE channels ADD COLUMN manager_warn_after_s INTEGER NOT NULL DEFAULT 180;
      ALTER TABLE channels ADD COLUMN sneak_peek INTEGER NOT NULL DEFAULT 1;

      -- When the session (last) entered its queue, and the wait warnings already sent for it.
      ALTER TABLE sessions ADD COLUMN queued_at INTEGER;
      UPDATE sessions SET queued_at = created_at;
      ALTER TABLE sessions ADD COLUMN warned_level INTEGER NOT NULL DEFAULT 0;
      -- Pending transfer to another agent (all NULL when none).
      ALTER TABLE sessions ADD COLUMN transfer_to TEXT;
      ALTER TABLE sessions ADD COLUMN transfer_from TEXT;
      ALTER TABLE sessions ADD COLUMN transfer_note TEXT;
      ALTER TABLE sessions ADD COLUMN transfer_at INTEGER;
      ALTER TABLE sessions ADD COLUMN transfer_expires_at INTEGER;
      CREATE INDEX sessions_transfer ON sessions (tenant_id, transfer_to) WHERE transfer_to IS NOT NULL;
      -- Last message the customer has read, in agent numbering.
      ALTER TABLE sessions ADD COLUMN customer_read_seq INTEGER NOT NULL DEFAULT 0;

      -- Agent-only system events (no cseq) and their details.
      ALTER TABLE messages ADD COLUMN internal INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE messages ADD COLUMN meta TEXT;

      -- Agents (besides channel members) who may see a board event: JSON array, NULL = from data.
      ALTER TABLE board_events ADD COLUMN audience TEXT;

      -- Who handled a session, from when to when (and why it stopped).
      CREATE TABLE session_agents (
        tenant_id TEXT NOT NULL,
        session_id TEXT NOT NULL,
        agent_id TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        ended_at INTEGER,
        ended_reason TEXT CHECK (ended_reason IN ('ended', 'transferred', 'taken-over', 'requeued')),
        PRIMARY KEY (tenant_id, session_id, agent_id, started_at),
        FOREIGN KEY (tenant_id, session_id) REFERENCES sessions(tenant_id, id)
      );
      CREATE INDEX session_agents_agent ON session_agents (tenant_id, agent_id, session_id);
      INSERT INTO session_agents (tenant_id, session_id, agent_id, started_at, ended_at, ended_reason)
        SELECT tenant_id, id, agent_id, COALESCE(accepted_at, created_at), ended_at,
               CASE WHEN status IN ('ended', 'missed') THEN 'ended' END
        FROM sessions WHERE agent_id IS NOT NULL;
    `,
  },
  {
    version: 3,
    name: 'listen-in audit',
    sql: `
      -- Every listen-mode subscription of an agent to a session: who, which session (and its
      -- channel at the time), why they could listen, from when to when, and why it stopped.
      CREATE TABLE listen_audit (
        tenant_id TEXT NOT NULL,
        id TEXT NOT NULL,
        agent_id TEXT NOT NULL,
        session_id TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        via TEXT NOT NULL CHECK (via IN ('permission', 'handled', 'transfer')),
        started_at INTEGER NOT NULL,
        ended_at INTEGER,
        end_reason TEXT CHECK (end_reason IN ('unsubscribed', 'disconnected', 'revoked', 'lost-access', 'answered', 'restart')),
        PRIMARY KEY (tenant_id, id)
      );
      CREATE INDEX listen_audit_session ON listen_audit (tenant_id, session_id, started_at);
      CREATE INDEX listen_audit_started ON listen_audit (tenant_id, started_at);
      CREATE INDEX listen_audit_open ON listen_audit (tenant_id, ended_at) WHERE ended_at IS NULL;
    `,
  },
  {
    version: 4,
    name: 'agent tools: reply library (favourites, usage), attachments',
    sql: `
      -- Quick replies, reply templates and FAQ links. owner_id NULL = shared with the tenant.
      CREATE TABLE replies (
        tenant_id TEXT NOT NULL REFERENCES tenants(id),
        id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('quick-reply', 'template', 'faq')),
        owner_id TEXT,
        title TEXT NOT NULL,
        text TEXT NOT NULL,
        shortcut TEXT,
        folder TEXT NOT NULL DEFAULT '',
        language TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'sv')),
        channel_ids TEXT,
        url TEXT,
        created_by TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (tenant_id, id)
      );
      CREATE UNIQUE INDEX replies_shortcut ON replies (tenant_id, COALESCE(owner_id, ''), shortcut) WHERE shortcut IS NOT NULL;
      CREATE INDEX replies_owner ON replies (tenant_id, owner_id);

      -- Per agent: favourites and recently used replies.
      CREATE TABLE reply_favourites (
        tenant_id TEXT NOT NULL,
        agent_id TEXT NOT NULL,
        reply_id TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (tenant_id, agent_id, reply_id),
        FOREIGN KEY (tenant_id, reply_id) REFERENCES replies(tenant_id, id) ON DELETE CASCADE
      );
      CREATE INDEX reply_favourites_reply ON reply_favourites (tenant_id, reply_id);
      CREATE TABLE reply_usage (
        tenant_id TEXT NOT NULL,
        agent_id TEXT NOT NULL,
        reply_id TEXT NOT NULL,
        last_used_at INTEGER NOT NULL,
        use_count INTEGER NOT NULL DEFAULT 1,
        PRIMARY KEY (tenant_id, agent_id, reply_id),
        FOREIGN KEY (tenant_id, reply_id) REFERENCES replies(tenant_id, id) ON DELETE CASCADE
      );
      CREATE INDEX reply_usage_reply ON reply_usage (tenant_id, reply_id);

      -- Uploaded files (bytes in <data>/attachments/<tenant>/<id>); message_id is set when sent.
      CREATE TABLE attachments (
        tenant_id TEXT NOT NULL,
        id TEXT NOT NULL,
        session_id TEXT NOT NULL,
        uploader_kind TEXT NOT NULL CHECK (uploader_kind IN ('agent', 'customer')),
        uploader_id TEXT NOT NULL,
        name TEXT NOT NULL,
        size INTEGER NOT NULL,
        type TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        width INTEGER,
        height INTEGER,
        message_id TEXT,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, session_id) REFERENCES sessions(tenant_id, id)
      );
      CREATE INDEX attachments_session ON attachments (tenant_id, session_id);
      CREATE INDEX attachments_unsent ON attachments (created_at) WHERE message_id IS NULL;

      -- The files a message carries, as sent: JSON [{id, name, size, type}] (NULL = none).
      ALTER TABLE messages ADD COLUMN attachments TEXT;
    `,
  },
  {
    version: 5,
    name: 'crm: demo CRM (companies, persons, requests, sales, activities), chat ↔ contact link, Chat activity when a linked chat ends',
    sql: `
      CREATE TABLE crm_companies (
        tenant_id TEXT NOT NULL REFERENCES tenants(id),
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        org_no TEXT,
        -- org_no with letters and digits only, upper case (unique per tenant).
        org_no_key TEXT,
        phone TEXT,
        domain TEXT,
        street TEXT,
        postal_code TEXT,
        city TEXT,
        country TEXT,
        -- Folded (lower case, no accents) name, org. no., domain and city for searching.
        search_text TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (tenant_id, id)
      );
      CREATE UNIQUE INDEX crm_companies_org_no ON crm_companies (tenant_id, org_no_key) WHERE org_no_key IS NOT NULL;

      CREATE TABLE crm_persons (
        tenant_id TEXT NOT NULL,
        id TEXT NOT NULL,
        company_id TEXT,
        first_name TEXT NOT NULL,
        last_name TEXT NOT NULL,
        title TEXT,
        email TEXT,
        -- Lower-case e-mail, for matching.
        email_key TEXT,
        -- E.164.
        phone TEXT,
        street TEXT,
        postal_code TEXT,
        city TEXT,
        country TEXT,
        -- Folded name words joined by spaces, for fuzzy matching.
        name_key TEXT NOT NULL,
        -- Folded name, e-mail, title, company name and the phone's digits, for searching.
        search_text TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, company_id) REFERENCES crm_companies(tenant_id, id)
      );
      CREATE INDEX crm_persons_email ON crm_persons (tenant_id, email_key);
      CREATE INDEX crm_persons_phone ON crm_persons (tenant_id, phone);
      CREATE INDEX crm_persons_company ON crm_persons (tenant_id, company_id);

      CREATE TABLE crm_requests (
        tenant_id TEXT NOT NULL,
        id TEXT NOT NULL,
        number INTEGER NOT NULL,
        person_id TEXT NOT NULL,
        company_id TEXT,
        title TEXT NOT NULL,
        description TEXT,
        status TEXT NOT NULL CHECK (status IN ('open', 'in-progress', 'closed')),
        session_id TEXT,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, person_id) REFERENCES crm_persons(tenant_id, id)
      );
      CREATE INDEX crm_requests_person ON crm_requests (tenant_id, person_id, created_at);

      CREATE TABLE crm_sales (
        tenant_id TEXT NOT NULL,
        id TEXT NOT NULL,
        person_id TEXT,
        company_id TEXT,
        title TEXT NOT NULL,
        amount INTEGER NOT NULL,
        currency TEXT NOT NULL,
        stage TEXT NOT NULL CHECK (stage IN ('lead', 'proposal', 'negotiation', 'won', 'lost')),
        date INTEGER NOT NULL,
        PRIMARY KEY (tenant_id, id)
      );
      CREATE INDEX crm_sales_company ON crm_sales (tenant_id, company_id, date);
      CREATE INDEX crm_sales_person ON crm_sales (tenant_id, person_id, date);

      CREATE TABLE crm_activities (
        tenant_id TEXT NOT NULL,
        id TEXT NOT NULL,
        person_id TEXT,
        company_id TEXT,
        type TEXT NOT NULL CHECK (type IN ('chat', 'call', 'meeting', 'email', 'task')),
        title TEXT NOT NULL,
        text TEXT,
        at INTEGER NOT NULL,
        owner_name TEXT,
        -- Chat activities: the session whose transcript this is.
        session_id TEXT,
        PRIMARY KEY (tenant_id, id)
      );
      CREATE INDEX crm_activities_person ON crm_activities (tenant_id, person_id, at);
      CREATE INDEX crm_activities_company ON crm_activities (tenant_id, company_id, at);
      CREATE UNIQUE INDEX crm_activities_chat ON crm_activities (tenant_id, session_id) WHERE session_id IS NOT NULL AND type = 'chat';

      -- The contact (and company) a chat is linked to, who linked it when, and the customer's
      -- phone in E.164 (so the next chat of the same customer is recognised).
      ALTER TABLE sessions ADD COLUMN crm_person_id TEXT;
      ALTER TABLE sessions ADD COLUMN crm_company_id TEXT;
      ALTER TABLE sessions ADD COLUMN crm_linked_at INTEGER;
      ALTER TABLE sessions ADD COLUMN crm_linked_by TEXT;
      ALTER TABLE sessions ADD COLUMN crm_customer_phone TEXT;
      CREATE INDEX sessions_crm_person ON sessions (tenant_id, crm_person_id) WHERE crm_person_id IS NOT NULL;
      CREATE INDEX sessions_crm_email ON sessions (tenant_id, lower(customer_email)) WHERE crm_person_id IS NOT NULL;
      CREATE INDEX sessions_crm_phone ON sessions (tenant_id, crm_customer_phone) WHERE crm_person_id IS NOT NULL;

      -- A linked chat that ends becomes a "Chat" activity on its contact and company, in the same
      -- transaction as the end, whichever way it ends (agent, manager, customer).
      CREATE TRIGGER crm_chat_ended AFTER UPDATE OF status ON sessions
      WHEN NEW.status = 'ended' AND OLD.status <> 'ended' AND NEW.crm_person_id IS NOT NULL
      BEGIN
        INSERT OR IGNORE INTO crm_activities (tenant_id, id, person_id, company_id, type, title, text, at, owner_name, session_id)
        VALUES (
          NEW.tenant_id,
          'ac_' || lower(hex(randomblob(8))),
          NEW.crm_person_id,
          NEW.crm_company_id,
          'chat',
          'Chat',
          'Chat with ' || CASE WHEN trim(NEW.customer_name) = '' THEN 'a visitor' ELSE NEW.customer_name END
            || COALESCE(' (' || (SELECT name FROM channels WHERE tenant_id = NEW.tenant_id AND id = NEW.channel_id) || ')', ''),
          COALESCE(NEW.ended_at, NEW.last_activity_at),
          (SELECT name FROM agents WHERE tenant_id = NEW.tenant_id AND id = NEW.agent_id),
          NEW.id
        );
      END;
    `,
  },
  {
    version: 6,
    name: 'crm: requests from chats (contact optional, category, priority, transcript), documents',
    sql: `
      -- A request may come from a chat with a customer who is not in the CRM: person_id becomes
      -- optional (SQLite cannot drop NOT NULL, so the table is rebuilt), and it gains category,
      -- priority and the attached chat transcript. Lookups by chat get an index.
      CREATE TABLE crm_requests_v6 (
        tenant_id TEXT NOT NULL,
        id TEXT NOT NULL,
        number INTEGER NOT NULL,
        person_id TEXT,
        company_id TEXT,
        title TEXT NOT NULL,
        description TEXT,
        status TEXT NOT NULL CHECK (status IN ('open', 'in-progress', 'closed')),
        session_id TEXT,
        category TEXT NOT NULL DEFAULT 'other',
        priority TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
        transcript TEXT,
        created_by TEXT,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, person_id) REFERENCES crm_persons(tenant_id, id)
      );
      INSERT INTO crm_requests_v6 (tenant_id, id, number, person_id, company_id, title, description, status, session_id, created_at)
        SELECT tenant_id, id, number, person_id, company_id, title, description, status, session_id, created_at FROM crm_requests;
      DROP TABLE crm_requests;
      ALTER TABLE crm_requests_v6 RENAME TO crm_requests;
      CREATE INDEX crm_requests_person ON crm_requests (tenant_id, person_id, created_at);
      CREATE INDEX crm_requests_session ON crm_requests (tenant_id, session_id, created_at) WHERE session_id IS NOT NULL;

      -- Documents filed on a contact, a company or nobody, sendable in a chat ("Select a CRM document").
      CREATE TABLE crm_documents (
        tenant_id TEXT NOT NULL,
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        size INTEGER NOT NULL,
        person_id TEXT,
        company_id TEXT,
        content BLOB NOT NULL,
        name_key TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (tenant_id, id)
      );
      CREATE INDEX crm_documents_person ON crm_documents (tenant_id, person_id);
      CREATE INDEX crm_documents_company ON crm_documents (tenant_id, company_id);
    `,
  },
  {
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
  },
  {
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
  },
  {
    version: 9,
    name: 'journey: channel settings (texts per language, opening hours, widget look, forms)',
    sql: `
      -- The customer's journey in a channel (JSON, src/protocol/channel-settings.ts): texts per
      -- language, opening hours with time zone, lunch and closed days, the widget's look, the
      -- pre-chat, offline and post-chat forms. '{}': the defaults.
      ALTER TABLE channels ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';
    `,
  },
  {
    version: 10,
    name: 'journey: the customer\'s language, company and consent; rating and comment; transcript e-mails; returns',
    sql: `
      -- The widget's language when the chat started (texts, the transcript e-mail), what the pre-chat
      -- form asked besides name, e-mail and phone, and when the customer accepted the consent text.
      ALTER TABLE sessions ADD COLUMN language TEXT;
      ALTER TABLE sessions ADD COLUMN customer_company TEXT;
      ALTER TABLE sessions ADD COLUMN consent_at INTEGER;
      -- The post-chat form: a rating 1–5 with an optional comment (the agent who handled the chat
      -- last is sessions.agent_id), transcript e-mails sent, and returns to the chat.
      ALTER TABLE sessions ADD COLUMN rating INTEGER CHECK (rating IS NULL OR rating BETWEEN 1 AND 5);
      ALTER TABLE sessions ADD COLUMN rating_comment TEXT;
      ALTER TABLE sessions ADD COLUMN rated_at INTEGER;
      ALTER TABLE sessions ADD COLUMN transcripts_sent INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE sessions ADD COLUMN returned_at INTEGER;
      CREATE INDEX sessions_rated ON sessions (tenant_id, rated_at) WHERE rating IS NOT NULL;
    `,
  },
  {
    version: 11,
    name: 'peers: ask for help, hold and return to queue, wrap-up with tags (issue 18)',
    sql: `
      -- Ask for help: the handling agent raised a flag (when, who, an optional note); NULL: none.
      -- Cleared when a supervisor joins or takes over, the agent lowers it, or the chat ends.
      ALTER TABLE sessions ADD COLUMN help_at INTEGER;
      ALTER TABLE sessions ADD COLUMN help_by TEXT;
      ALTER TABLE sessions ADD COLUMN help_note TEXT;
      CREATE INDEX sessions_help ON sessions (tenant_id, help_at) WHERE help_at IS NOT NULL;
      -- Hold: since when the handling agent holds the chat (it does not count against capacity).
      ALTER TABLE sessions ADD COLUMN held_at INTEGER;
      -- Returned to the queue with a reason (shown to the next agent): who and when.
      ALTER TABLE sessions ADD COLUMN return_reason TEXT;
      ALTER TABLE sessions ADD COLUMN return_by TEXT;
      ALTER TABLE sessions ADD COLUMN return_at INTEGER;
      -- Wrap-up: the closing comment, the chat's tags (a JSON array of strings) and a close that
      -- did not tell the customer (spam).
      ALTER TABLE sessions ADD COLUMN wrap_comment TEXT;
      ALTER TABLE sessions ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE sessions ADD COLUMN closed_silently INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 12,
    name: 'assignment and response targets: offers, auto-away, priority, first and next response',
    sql: `
      -- Automatic assignment per channel (server/core/room/assignment.ts): off (agents pull), round
      -- robin or least busy; an offer must be accepted within offer_timeout_s, else the agent is
      -- set Away (agents.away_reason = 'auto') and the chat offered to the next.
      ALTER TABLE channels ADD COLUMN assign_mode TEXT NOT NULL DEFAULT 'off' CHECK (assign_mode IN ('off', 'round-robin', 'least-busy'));
      ALTER TABLE channels ADD COLUMN offer_timeout_s INTEGER NOT NULL DEFAULT 30;
      -- Response-time targets (0: none), the default priority and the rules on pre-chat fields
      -- (JSON, server/core/room/priority.ts).
      ALTER TABLE channels ADD COLUMN first_response_s INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE channels ADD COLUMN next_response_s INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE channels ADD COLUMN default_priority TEXT NOT NULL DEFAULT 'normal';
      ALTER TABLE channels ADD COLUMN priority_rules TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE agents ADD COLUMN away_reason TEXT;
      -- The one pending offer of a queued chat (NULL: none).
      ALTER TABLE sessions ADD COLUMN offer_to TEXT;
      ALTER TABLE sessions ADD COLUMN offer_at INTEGER;
      ALTER TABLE sessions ADD COLUMN offer_expires_at INTEGER;
      -- Priority of the chat; since when the customer waits for an answer (NULL: the agent wrote
      -- last); when the first answer came.
      ALTER TABLE sessions ADD COLUMN priority TEXT NOT NULL DEFAULT 'normal';
      ALTER TABLE sessions ADD COLUMN waiting_since INTEGER;
      ALTER TABLE sessions ADD COLUMN first_response_at INTEGER;
      -- Every offer and how it ended (accepted, declined, expired, withdrawn): round robin's order,
      -- and no chat offered twice to an agent who let it pass. At most one pending offer per chat
      -- and per agent, enforced here.
      CREATE TABLE assignment_offers (
        tenant_id TEXT NOT NULL,
        session_id TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        agent_id TEXT NOT NULL,
        offered_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        outcome TEXT CHECK (outcome IS NULL OR outcome IN ('accepted', 'declined', 'expired', 'withdrawn')),
        answered_at INTEGER
      );
      CREATE UNIQUE INDEX assignment_offers_session ON assignment_offers (tenant_id, session_id) WHERE outcome IS NULL;
      CREATE UNIQUE INDEX assignment_offers_agent ON assignment_offers (tenant_id, agent_id) WHERE outcome IS NULL;
      CREATE INDEX assignment_offers_channel ON assignment_offers (tenant_id, channel_id, agent_id, offered_at);
      -- Each answer to a waiting customer: how long they waited against the channel's target then.
      CREATE TABLE response_times (
        tenant_id TEXT NOT NULL,
        session_id TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('first', 'next')),
        waited_ms INTEGER NOT NULL,
        target_ms INTEGER NOT NULL,
        at INTEGER NOT NULL
      );
      CREATE INDEX response_times_at ON response_times (tenant_id, channel_id, at);
    `,
  },
  {
    version: 13,
    name: 'quote a message in a reply (issue 18)',
    sql: `
      -- The message a reply quotes, as the server made it (server/core/room/quote.ts): id, both
      -- numberings, author and a plain-text excerpt, as JSON. NULL: the message quotes nothing.
      ALTER TABLE messages ADD COLUMN quote TEXT;
    `,
  },
  {
    version: 14,
    name: 'priority and response-time targets: due time and who set the priority (issue 18)',
    sql: `
      -- When the answer the customer waits for is due (server/core/room/priority.ts): set with
      -- waiting_since (migration 12) from the channel's target at that moment (a later change of
      -- the target applies to the next wait); NULL: nobody waits, or the channel has no target.
      ALTER TABLE sessions ADD COLUMN response_due_at INTEGER;
      -- Who gave the chat its priority: 'channel' (its default), 'rule' (a rule on the pre-chat
      -- fields), or the id of the agent who set it; and when.
      ALTER TABLE sessions ADD COLUMN priority_by TEXT;
      ALTER TABLE sessions ADD COLUMN priority_at INTEGER;
      -- Open chats when this ran: those answered already have their first answer; the others
      -- wait for it since they started.
      UPDATE sessions SET first_response_at = (SELECT MIN(m.at) FROM messages m WHERE m.tenant_id = sessions.tenant_id AND m.session_id = sessions.id
          AND m.sender_kind = 'agent' AND m.kind = 'text')
        WHERE status IN ('queued', 'active') AND first_response_at IS NULL;
      UPDATE sessions SET waiting_since = created_at WHERE status IN ('queued', 'active') AND waiting_since IS NULL AND first_response_at IS NULL;
    `,
  },
];

/** Applies the migrations this database has not seen yet. Returns the versions applied. */
/**
 * The database was written by a newer server: it has migrations this code does not know. Nothing
 * is changed; the message says what to do (start the newer version, or restore a backup taken
 * before the upgrade: docs/operations.md § Upgrades).
 */
export class SchemaTooNew extends Error {
  readonly code = 'ESCHEMA';
  constructor(
    readonly databaseVersion: number,
    readonly knownVersion: number,
  ) {
    super(
      `The database has schema version ${String(databaseVersion)}, newer than this server knows (${String(knownVersion)}): ` +
        'it was upgraded by a newer crm-chat-server. Start that version (or newer), or restore a backup taken before the upgrade. Nothing was changed.',
    );
  }
}

/** The highest migration applied to a database (0 for a new one). */
export function schemaVersion(db: SqlPort): number {
  const table = db.get<{ n: number }>("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'");
  if (!table?.n) return 0;
  return db.get<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations')?.v ?? 0;
}

export function migrate(db: SqlPort, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const known = Math.max(0, ...migrations.map((m) => m.version));
  const current = schemaVersion(db);
  if (current > known) throw new SchemaTooNew(current, known);
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
  const done = new Set(db.all<{ version: number }>('SELECT version FROM schema_migrations').map((r) => r.version));
  const applied: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (done.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [m.version, m.name, Date.now()]);
    });
    applied.push(m.version);
  }
  return applied;
}
