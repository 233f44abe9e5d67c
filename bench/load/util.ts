/** Small helpers of the load benchmark. */
import { fileURLToPath } from 'node:url';

/** The repository root (cwd of every child process). */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** This environment without what a test runner or the shell set for this process only. */
export function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  delete env.NODE_OPTIONS;
  delete env.CHAT_TOKEN_SECRET;
  return env;
}

/** `items[i]`, which must exist (an index the caller computed from the array's own length). */
export function item<T>(items: readonly T[], i: number): T {
  const v = items[i];
  if (v === undefined) throw new Error(`index ${String(i)} out of range (${String(items.length)})`);
  return v;
}

/** A command-line value that must be a positive number; exits with a message naming the flag. */
export function positive(tool: string, name: string, value: string | boolean | undefined): number {
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isFinite(n) || n <= 0) {
    console.error(`${tool}: --${name} must be a positive number, not "${String(value)}"`);
    process.exit(2);
  }
  return n;
}

/** Runs `fn` over `items`, at most `limit` at a time. */
export async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  const it = items[Symbol.iterator]();
  const worker = async () => {
    for (let x = it.next(); !x.done; x = it.next()) await fn(x.value);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
