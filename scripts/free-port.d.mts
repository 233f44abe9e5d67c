/** Types of scripts/free-port.mjs for the TypeScript that imports it (test and bench helpers). */
export declare function freePort(): Promise<number>;
