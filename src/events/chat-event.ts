/**
 * Base of the library's events: a typed `detail`, bubbling and crossing shadow roots. Intent
 * events (fired before acting, see docs/contributing.md) pass `cancelable: true`; notification
 * events do not. Each event's class names its type and detail; its entry in
 * `GlobalEventHandlersEventMap` is in ./index.ts.
 */
export abstract class ChatEvent<D> extends Event {
  readonly detail: D;
  protected constructor(type: string, detail: D, cancelable: boolean) {
    super(type, { bubbles: true, composed: true, cancelable });
    this.detail = detail;
  }
}
