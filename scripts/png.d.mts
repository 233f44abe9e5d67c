/** Types of scripts/png.mjs for the TypeScript that imports it (test/e2e/files.test.ts). */
export declare function pngBytes(w: number, h: number, pixel?: (x: number, y: number, w: number, h: number) => readonly [number, number, number]): Buffer;
