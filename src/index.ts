/**
 * crm-chat-elements: classes, types and the client factory. Importing this module registers no
 * custom elements; import `crm-chat-elements/define.js` (or one component's module) for that.
 */
export * from './protocol/index.js';
export * from './state/index.js';
