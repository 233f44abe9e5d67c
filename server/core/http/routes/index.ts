/**
 * Every HTTP endpoint of both hosts (Node and Cloudflare), one line each: method, path, who may
 * call it, handler. The router (../router.ts) checks `auth` before the handler runs; `Auth` there
 * defines each level. The WebSocket route `/parties/chat/<tenant>?_pk=&token=<ticket>` is
 * ../../socket-session.ts (and each host's upgrade: server/node/sockets.ts, server/cloudflare/tenant.ts).
 */
import type { Route } from '../router.js';
import { route } from '../router.js';
import * as attachments from './attachments.js';
import * as auth from './auth.js';
import * as chats from './chats.js';
import { crm } from './crm.js';
import * as demo from './demo.js';
import { demoBot } from './demo-bot.js';
import * as journey from './journey.js';
import { health, metrics, ready } from './operations.js';
import * as prov from './provisioning.js';
import { replies } from './replies.js';
import { home, staticFile } from './static.js';
import { advanceClock } from './test-clock.js';

export const ROUTES: readonly Route[] = [
  // auth (agent sign-in with the CRM's JWT: server/core/identity/, docs/integration.md)
  route({ method: 'POST', path: '/api/auth/jwt', auth: 'public', handler: auth.jwtSignIn }),
  route({ method: 'POST', path: '/api/tickets', auth: 'agent-or-customer', handler: auth.ticket }),
  route({ method: 'POST', path: '/api/logout', auth: 'agent-or-customer', handler: auth.logout }),

  // chats
  route({ method: 'GET', path: '/api/channels', auth: 'public', handler: journey.channels }),
  route({ method: 'POST', path: '/api/chats', auth: 'public', handler: chats.startChat }),
  route({ method: 'GET', path: '/api/snapshot', auth: 'agent-or-customer', handler: chats.snapshot }),
  route({ method: 'GET', path: '/api/stats', auth: 'agent', handler: chats.stats }),
  route({ method: 'GET', path: '/api/audit/listen', auth: 'agent', handler: chats.listenAudit }),
  route({ method: 'POST', path: '/api/admin/permissions', auth: 'agent', handler: chats.managerSetsPermissions }),

  // the customer's journey: channel settings of a channel's managers (server/core/journey/)
  route({ method: 'GET', path: '/api/channels/:channel/settings', auth: 'agent', handler: journey.getSettings }),
  route({ method: 'PUT', path: '/api/channels/:channel/settings', auth: 'agent', handler: journey.putSettings }),
  route({ method: 'GET', path: '/api/channels/:channel/wrap-up', auth: 'agent', handler: journey.wrapUpSettings }),
  // …and the customer's side: before the chat (FAQ suggestions, offline request), after it (rating, transcript, return)
  route({ method: 'GET', path: '/api/faq-suggestions', auth: 'public', handler: journey.faq }),
  route({ method: 'POST', path: '/api/offline-requests', auth: 'public', handler: journey.offlineRequest }),
  route({ method: 'POST', path: '/api/bot/turn', auth: 'public', handler: journey.botTurnHandler }),
  route({ method: 'POST', path: '/api/chats/feedback', auth: 'agent-or-customer', handler: journey.feedback }),
  route({ method: 'POST', path: '/api/chats/transcript', auth: 'agent-or-customer', handler: journey.transcript }),
  route({ method: 'POST', path: '/api/chats/return', auth: 'agent-or-customer', handler: journey.returnToChat }),

  // provisioning (server/core/provisioning/, docs/provisioning.md)
  route({ method: 'POST', path: '/api/provisioning/tenants', auth: 'operator-key', handler: prov.createTenant }),
  route({ method: 'GET', path: '/api/provisioning/tenants', auth: 'operator-key', handler: prov.listTenants }),
  route({ method: 'GET', path: '/api/provisioning/tenants/:tenant', auth: 'tenant-key', handler: prov.getTenant }),
  route({ method: 'PATCH', path: '/api/provisioning/tenants/:tenant', auth: 'tenant-key', handler: prov.updateTenant }),
  route({ method: 'GET', path: '/api/provisioning/tenants/:tenant/channels', auth: 'tenant-key', handler: prov.listChannels }),
  route({ method: 'GET', path: '/api/provisioning/tenants/:tenant/channels/:channel', auth: 'tenant-key', handler: prov.getChannel }),
  route({ method: ['PUT', 'PATCH'], path: '/api/provisioning/tenants/:tenant/channels/:channel', auth: 'tenant-key', handler: prov.putChannel }),
  route({ method: 'DELETE', path: '/api/provisioning/tenants/:tenant/channels/:channel', auth: 'tenant-key', handler: prov.deleteChannel }),
  route({ method: 'GET', path: '/api/provisioning/tenants/:tenant/agents', auth: 'tenant-key', handler: prov.listAgents }),
  route({ method: 'PUT', path: '/api/provisioning/tenants/:tenant/agents', auth: 'tenant-key', handler: prov.putAgents }),
  route({ method: 'GET', path: '/api/provisioning/tenants/:tenant/agents/:agent', auth: 'tenant-key', handler: prov.getAgent }),
  route({ method: ['PUT', 'PATCH'], path: '/api/provisioning/tenants/:tenant/agents/:agent', auth: 'tenant-key', handler: prov.putAgent }),
  route({ method: 'DELETE', path: '/api/provisioning/tenants/:tenant/agents/:agent', auth: 'tenant-key', handler: prov.deleteAgent }),
  route({ method: 'POST', path: '/api/provisioning/tenants/:tenant/agents/:agent/disable', auth: 'tenant-key', handler: prov.disableAgent }),
  route({ method: 'POST', path: '/api/provisioning/tenants/:tenant/agents/:agent/enable', auth: 'tenant-key', handler: prov.enableAgent }),
  route({ method: 'PUT', path: '/api/provisioning/tenants/:tenant/agents/:agent/channels/:channel', auth: 'tenant-key', handler: prov.putAgentChannel }),
  route({ method: 'DELETE', path: '/api/provisioning/tenants/:tenant/agents/:agent/channels/:channel', auth: 'tenant-key', handler: prov.deleteAgentChannel }),
  route({ method: 'GET', path: '/api/provisioning/tenants/:tenant/sign-in', auth: 'tenant-key', handler: prov.getSignIn }),
  route({ method: 'PUT', path: '/api/provisioning/tenants/:tenant/sign-in', auth: 'tenant-key', handler: prov.putSignIn }),
  route({ method: 'DELETE', path: '/api/provisioning/tenants/:tenant/sign-in', auth: 'tenant-key', handler: prov.deleteSignIn }),
  route({ method: 'GET', path: '/api/provisioning/tenants/:tenant/customer-identity', auth: 'tenant-key', handler: prov.getCustomerIdentity }),
  route({ method: 'PUT', path: '/api/provisioning/tenants/:tenant/customer-identity', auth: 'tenant-key', handler: prov.putCustomerIdentity }),
  route({ method: 'DELETE', path: '/api/provisioning/tenants/:tenant/customer-identity', auth: 'tenant-key', handler: prov.deleteCustomerIdentity }),
  route({ method: 'GET', path: '/api/provisioning/tenants/:tenant/api-keys', auth: 'tenant-key', handler: prov.listKeys }),
  route({ method: 'POST', path: '/api/provisioning/tenants/:tenant/api-keys', auth: 'tenant-key', handler: prov.createKey }),
  route({ method: 'POST', path: '/api/provisioning/tenants/:tenant/api-keys/:key/rotate', auth: 'tenant-key', handler: prov.rotateKey }),
  route({ method: 'DELETE', path: '/api/provisioning/tenants/:tenant/api-keys/:key', auth: 'tenant-key', handler: prov.revokeKey }),

  // CRM (server/core/crm-api.ts routes below /api/crm/)
  route({ method: ['GET', 'POST', 'DELETE'], path: '/api/crm/*', auth: 'agent', handler: crm }),

  // replies (server/core/replies.ts)
  route({ method: ['GET', 'POST'], path: '/api/replies', auth: 'agent', handler: replies }),
  route({ method: ['PATCH', 'DELETE'], path: '/api/replies/:id', auth: 'agent', handler: replies }),
  route({ method: 'POST', path: '/api/replies/:id/favourite', auth: 'agent', handler: replies }),
  route({ method: 'POST', path: '/api/replies/:id/used', auth: 'agent', handler: replies }),

  // attachments (server/core/attachment-service.ts)
  route({ method: 'GET', path: '/api/attachments/limits', auth: 'public', handler: attachments.limits }),
  route({ method: 'GET', path: '/api/attachments/:id/url', auth: 'agent-or-customer', handler: attachments.signedUrl }),
  route({ method: 'POST', path: '/api/attachments', auth: 'agent-or-customer', handler: attachments.upload }),

  // operations
  route({ method: ['GET', 'HEAD'], path: '/health', auth: 'public', handler: health }),
  route({ method: ['GET', 'HEAD'], path: '/ready', auth: 'public', handler: ready }),
  route({ method: 'GET', path: '/metrics', auth: 'metrics-key', handler: metrics }),

  // demo only (--demo): the sample pages' CRM and shop backends, the picker, the test/bench sign-in helper
  route({ method: 'GET', path: '/api/demo/agents', auth: 'demo', handler: demo.demoAgents }),
  route({ method: 'POST', path: '/api/demo/crm-token', auth: 'demo', handler: demo.demoCrmToken }),
  route({ method: 'POST', path: '/api/demo/shop-identity', auth: 'demo', handler: demo.demoShopIdentity }),
  route({ method: 'POST', path: '/api/demo/login', auth: 'demo', handler: demo.demoLogin }),
  route({ method: 'GET', path: '/api/demo/superoffice', auth: 'demo', handler: demo.demoSuperOffice }),
  route({ method: 'POST', path: '/api/demo/superoffice/token', auth: 'agent', handler: demo.demoSuperOfficeToken }),
  route({ method: 'POST', path: '/api/demo/bot', auth: 'demo', handler: demoBot }),

  // test clock
  route({ method: 'POST', path: '/api/test/clock', auth: 'test-only', handler: advanceClock }),

  // static files
  route({ method: ['GET', 'HEAD'], path: '/', auth: 'public', handler: home }),
  route({ method: ['GET', 'HEAD'], path: '/demo', auth: 'public', handler: staticFile }),
  route({ method: ['GET', 'HEAD'], path: '/demo/*', auth: 'public', handler: staticFile }),
  route({ method: ['GET', 'HEAD'], path: '/dist/*', auth: 'public', handler: staticFile }),
  route({ method: ['GET', 'HEAD'], path: '/themes/*', auth: 'public', handler: staticFile }),
];
