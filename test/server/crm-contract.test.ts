/**
 * The CrmProvider contract (test/crm/contract.ts) against both providers of the library: the REST
 * provider talking to the reference server (in process, real HTTP, demo CRM seeded) as agent
 * Sofia (Support only), and the in-memory provider.
 */
import assert from 'node:assert/strict';

import { SignJWT } from 'jose';

import { CrmStore } from '../../server/core/crm-store.js';
import { createMemoryCrmProvider } from '../../src/crm/memory-provider.js';
import { createRestCrmProvider } from '../../src/crm/rest-provider.js';
import type { CrmCustomer } from '../../src/crm/types.js';
import { crmProviderContract } from '../crm/contract.js';
import { startServer } from './helpers.js';

crmProviderContract('REST provider against the reference server', async () => {
  const h = await startServer();
  const token = await h.api.token('sofia');
  const agent = await h.api.agent('sofia');
  const provider = createRestCrmProvider({ url: h.api.baseUrl, getAccessToken: () => token });
  const start = async (channelId: string, customer: CrmCustomer): Promise<string> => {
    // A verified customer: the demo shop's identity token, signed with the demo tenant's secret.
    const secret = h.server.provisioning.signIn.customerSecret('demo') ?? '';
    const identityToken = customer.verified
      ? await new SignJWT({ ...(customer.verified.email ? { email: customer.verified.email } : {}) })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject(customer.verified.externalId)
          .setExpirationTime(Math.floor(h.clock.now() / 1000) + 600)
          .sign(new TextEncoder().encode(secret))
      : undefined;
    const r = await h.api.request('POST', '/api/chats', {
      json: {
        tenant: 'demo',
        channelId,
        name: customer.name,
        ...(customer.email ? { email: customer.email } : {}),
        ...(customer.phone ? { phone: customer.phone } : {}),
        ...(identityToken ? { identityToken } : {}),
      },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    if (identityToken) assert.equal((r.body as { identity?: string }).identity, 'verified');
    return (r.body as { sessionId: string }).sessionId;
  };
  return {
    provider,
    // Queued in Support, where Sofia answers: she may read it.
    newChat: (customer) => start('support', customer),
    endChat: async (sessionId) => {
      await agent.ok({ t: 'accept', sessionId });
      await agent.ok({ t: 'end', sessionId });
    },
    // Sales: Sofia has no permission there and never handled it.
    foreignChat: () => start('sales', { name: 'Someone in Sales' }),
    addDocument: (d) => {
      const id = `doc_${Math.random().toString(36).slice(2, 10)}`;
      new CrmStore(h.server.db, 'demo').insertDocument({ id, name: d.name, type: d.type, content: d.bytes, personId: d.contactId, companyId: d.companyId, updatedAt: Date.now() });
      return Promise.resolve(id);
    },
    close: () => h.close(),
  };
});

crmProviderContract('in-memory provider', () => {
  const provider = createMemoryCrmProvider();
  let n = 0;
  return Promise.resolve({
    provider,
    newChat: (customer) => {
      n += 1;
      return Promise.resolve(provider.addSession({ id: `s-${String(n)}`, customer, status: 'queued', startedAt: Date.now() }));
    },
    endChat: (sessionId) => {
      provider.endSession(sessionId);
      return Promise.resolve();
    },
    foreignChat: () => Promise.resolve(provider.addSession({ id: 'foreign', customer: { name: 'Someone' }, status: 'active', startedAt: Date.now(), readable: false })),
    addDocument: (d) => {
      n += 1;
      const id = `doc-${String(n)}`;
      provider.documents.push({ id, name: d.name, type: d.type, size: d.bytes.byteLength, updatedAt: Date.now(), contactId: d.contactId, companyId: d.companyId, content: d.bytes });
      return Promise.resolve(id);
    },
    close: () => Promise.resolve(),
  });
});
