import type { Migration } from './index.js';

export const m06: Migration = {
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
};
