/** Types of scripts/server-bundle.mjs for the TypeScript that imports it (test helpers). */
export declare const ROOT: string;
export declare const TEST_SERVER_ENV: string;
export declare function bundleServer(outdir: string, options?: { sourcemap?: boolean }): Promise<unknown>;
export declare function bundleServerForTests(): Promise<{ bin: string; remove(): void }>;
export declare function serverArgs(args: readonly string[], env?: NodeJS.ProcessEnv): string[];
