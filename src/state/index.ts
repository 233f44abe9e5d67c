export * from './create-chat-client.js';
export * from './outbox-storage.js';
export * from './types.js';
export * from './context.js';
export * from './agent-views.js';
export type { KeyedWatcher, ReadonlyKeyed, WorkCounter } from './keyed.js';
export type { ClientViews, VisitorChatView } from './views.js';
