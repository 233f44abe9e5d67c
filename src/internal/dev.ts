/**
 * Developer warnings (misuse of an element), only in development: when the page defines
 * `process.env.NODE_ENV` as something other than "production" (test runners, dev servers).
 * The CDN bundles and plain pages have no `process`, so nothing is logged there. Each code warns once.
 */
const warned = new Set<string>();

const env = (globalThis as { process?: { env?: { NODE_ENV?: string } } }).process?.env;

export const DEV = env !== undefined && env.NODE_ENV !== 'production';

export function warn(tag: string, code: string, message: string): void {
  if (!DEV || warned.has(`${tag}:${code}`)) return;
  warned.add(`${tag}:${code}`);
  console.warn(`<${tag}> ${message} (crm-chat-elements: ${code}, see docs/${tag}.md)`);
}
