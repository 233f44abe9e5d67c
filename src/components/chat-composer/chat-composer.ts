import { ChatComposer } from './chat-composer.component.js';

export * from './chat-composer.component.js';

ChatComposer.define('chat-composer');

declare global {
  interface HTMLElementTagNameMap {
    'chat-composer': ChatComposer;
  }
}
