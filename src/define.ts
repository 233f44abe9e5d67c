/**
 * Side-effect entry: registers every custom element of the library under its default tag.
 * Also re-exports everything of the main entry, so the CDN bundle is one file.
 */
export * from './index.js';
