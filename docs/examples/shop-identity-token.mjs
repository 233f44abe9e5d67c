#!/usr/bin/env node
/**
 * What a company website's backend does for a signed-in customer (docs/integration.md §
 * Customers): sign an identity token with the tenant's customer identity secret and write it into
 * the page as `<chat-visitor identity-token="…">`. The chat server checks it when the chat starts
 * and the agent sees a verified customer.
 *
 *   CHAT_CUSTOMER_SECRET=… node docs/examples/shop-identity-token.mjs shop-1001 "Kim Andersson" kim.andersson@example.com
 *
 * Prints the token. Needs Node 20 or newer and the `jose` package.
 */
import { argv, env, exit, stderr, stdout } from 'node:process';

import { SignJWT } from 'jose';

/** `sub`: the site's customer id; `name` and `email` are shown to the agent as verified. */
export function signCustomerToken({ secret, customerId, name, email }) {
  return new SignJWT({ ...(name ? { name } : {}), ...(email ? { email } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(customerId)
    .setIssuedAt()
    .setExpirationTime('1h') // a page view; at most 24 h
    .sign(new TextEncoder().encode(secret));
}

if (import.meta.url === `file://${argv[1]}`) {
  const [customerId, name, email] = argv.slice(2);
  if (!customerId) {
    stderr.write('usage: node docs/examples/shop-identity-token.mjs <customer-id> [name] [email]\n');
    exit(2);
  }
  stdout.write(`${await signCustomerToken({ secret: env.CHAT_CUSTOMER_SECRET ?? '', customerId, name, email })}\n`);
}
