// size-limit 12 config (brotli size of the CDN bundles built by `npm run build`).
// Lives here rather than under "size-limit" in package.json because entries whose bundle does not
// exist yet must be left out (size-limit fails on a missing file). package.json is searched first,
// so do not add a "size-limit" key there as well.
// size-limit also fails on an empty config: scripts/test.mjs skips the size step when
// existingSizeChecks() is empty.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const SIZE_CHECKS = [
  { name: 'customer widget (dist/cdn/chat-visitor.js)', path: 'dist/cdn/chat-visitor.js', limit: '25 kB', brotli: true },
  { name: 'all elements (dist/cdn/chat.js)', path: 'dist/cdn/chat.js', limit: '60 kB', brotli: true },
];

export function existingSizeChecks(root = import.meta.dirname) {
  return SIZE_CHECKS.filter((check) => existsSync(join(root, check.path)));
}

export default existingSizeChecks();
