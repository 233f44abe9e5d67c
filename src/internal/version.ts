/** Library version, kept in step with package.json by test/internal/version.test.ts. */
export const VERSION = '0.1.0';
