/** Types of scripts/chromium.mjs for the TypeScript that imports it (test/e2e/helpers.ts). */
export declare const CHROME_PATH: string;
export declare const CHROME_ARGS: readonly string[];
