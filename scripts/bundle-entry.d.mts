// Types of scripts/bundle-entry.mjs for the TypeScript tests.
export interface BundlePart {
  /** The output files (minified). */
  bytes: Uint8Array[];
  /** The source modules in them: paths relative to the root, `node_modules/…` for dependencies. */
  inputs: string[];
}
/** What an app's bundler makes of one entry of the package: what loads at once, and what later. */
export declare function bundleEntry(root: string, entry: { file?: string; stdin?: { contents: string; sourcefile: string } }): Promise<{ initial: BundlePart; lazy: BundlePart }>;
