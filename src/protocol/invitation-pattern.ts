/**
 * The URL patterns of proactive invitations (src/protocol/invitations.ts), without the schema: the
 * widget matches its page with these in its first file, where valibot must not be loaded.
 */

/** Longest URL pattern (characters). */
export const MAX_URL_PATTERN = 200;

/**
 * A URL pattern: a path on the customer's site, `*` for any characters (`/pricing`, `/products/*`,
 * `*checkout*`), or empty for every page. Only `/`, letters, digits and `-._~%*?=&+`.
 */
export function isUrlPattern(pattern: string): boolean {
  return pattern === '' || (pattern.length <= MAX_URL_PATTERN && /^[\w\-./~%*?=&+]+$/.test(pattern) && (pattern.startsWith('/') || pattern.startsWith('*')));
}

/** Whether a page (its path and query, `location.pathname + location.search`) matches a pattern. */
export function matchesUrlPattern(pattern: string, page: string): boolean {
  if (pattern === '') return true;
  const re = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(page);
}
