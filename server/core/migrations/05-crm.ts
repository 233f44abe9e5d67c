import type { Migration } from './index.js';

export const m05: Migration = {
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
};
