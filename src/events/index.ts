export * from './chat-error-event.js';
