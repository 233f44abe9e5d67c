// Types of scripts/docs-site.mjs for the TypeScript tests that build the site.
/** `https://github.com/owner/repo`, from package.json `repository`. */
export declare const REPOSITORY: string;
/** GitHub's heading ids. */
export declare function slugger(): (text: string) => string;
/** Builds the site into `out` (default docs-site/); returns the page files written. */
export declare function buildSite(out?: string): string[];
