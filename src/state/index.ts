export * from './create-chat-client.js';
export * from './outbox-storage.js';
export * from './types.js';
export * from './context.js';
