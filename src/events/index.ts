export * from './chat-error-event.js';
export * from './chat-session-select-event.js';
export * from './chat-message-send-event.js';
export * from './chat-session-end-event.js';
export * from './chat-session-answer-event.js';
export * from './chat-session-start-event.js';
