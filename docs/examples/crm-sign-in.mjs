#!/usr/bin/env node
/**
 * What a CRM's backend does to sign one of its users in to the chat console (docs/integration.md):
 *
 *   1. sign a short-lived JWT naming the user (HS256 with the tenant's sign-in secret),
 *   2. exchange it at the chat server for an agent access token (POST /api/auth/jwt),
 *   3. mint a single-use connect ticket with that access token (POST /api/tickets): what the
 *      console's `getToken` does before every (re)connect.
 *
 *   CHAT_URL=https://chat.example.com CHAT_TENANT=acme \
 *   CHAT_JWT_SECRET=… CHAT_JWT_ISSUER=https://crm.acme.example CHAT_JWT_AUDIENCE=crm-chat:acme \
 *   node docs/examples/crm-sign-in.mjs crm-user-1001 "Anna Andersson" anna@acme.example
 *
 * Prints `{"accessToken", "expiresAt", "agent", "ticket"}` as JSON; on a refusal it prints the
 * server's error (`{"error": {"code", "reason", "message"}}`) to stderr and exits 1.
 * Needs Node 20 or newer (global fetch) and the `jose` package.
 */
import { randomUUID } from 'node:crypto';
import { argv, env, exit, stderr, stdout } from 'node:process';

import { SignJWT } from 'jose';

/** Step 1: the JWT. `sub` is the CRM's user id; it must be unique (`jti`) and live briefly. */
export function signAgentToken({ secret, issuer, audience, userId, name, email, roles }) {
  return new SignJWT({ name, ...(email ? { email } : {}), ...(roles ? { roles } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime('60s')
    .setJti(randomUUID())
    .sign(new TextEncoder().encode(secret));
}

async function post(url, body, accessToken) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(accessToken ? { Authorization: `Bearer ${accessToken}` } : {}) },
    body: JSON.stringify(body ?? {}),
  });
  const data = await res.json();
  if (!res.ok) throw Object.assign(new Error(`${url}: HTTP ${res.status}`), { answer: data });
  return data;
}

/** Step 2: the JWT for the chat server's access token (`{token, expiresAt, agent, created}`). */
export function exchange(chatUrl, tenant, jwt) {
  return post(`${chatUrl}/api/auth/jwt`, { tenant, token: jwt });
}

/** Step 3: a connect ticket (`{ticket, expiresAt}`), valid once and for 60 s. */
export function connectTicket(chatUrl, accessToken) {
  return post(`${chatUrl}/api/tickets`, {}, accessToken);
}

async function main() {
  const [userId, name, email] = argv.slice(2);
  if (!userId || !name) {
    stderr.write('usage: node docs/examples/crm-sign-in.mjs <crm-user-id> <name> [email]\n');
    exit(2);
  }
  const chatUrl = (env.CHAT_URL ?? 'http://localhost:8787').replace(/\/+$/, '');
  const jwt = await signAgentToken({
    secret: env.CHAT_JWT_SECRET ?? '',
    issuer: env.CHAT_JWT_ISSUER ?? '',
    audience: env.CHAT_JWT_AUDIENCE ?? '',
    userId,
    name,
    email,
  });
  try {
    const signedIn = await exchange(chatUrl, env.CHAT_TENANT ?? '', jwt);
    const { ticket } = await connectTicket(chatUrl, signedIn.token);
    stdout.write(`${JSON.stringify({ accessToken: signedIn.token, expiresAt: signedIn.expiresAt, agent: signedIn.agent, ticket })}\n`);
  } catch (error) {
    stderr.write(`${JSON.stringify(error.answer ?? { error: { message: error.message } })}\n`);
    exit(1);
  }
}

if (import.meta.url === `file://${argv[1]}`) await main();
