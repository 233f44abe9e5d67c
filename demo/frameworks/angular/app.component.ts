/**
 * Angular and the agent console: `<chat-window>` in a standalone component with
 * CUSTOM_ELEMENTS_SCHEMA. Property bindings (`[getToken]`) set the element's properties, and
 * `(chat-session-answer)` listens to its event; with `strictTemplates`, `$event` is typed from
 * the element's event map (`ChatSessionAnswerEvent`). Type-checked by the tests with ngc.
 * Recipe: docs/frameworks.md.
 */
import { Component, CUSTOM_ELEMENTS_SCHEMA, signal } from '@angular/core';

import 'crm-chat-elements/chat-window.js';
import type { ChatSessionAnswerEvent } from 'crm-chat-elements';

import { type DemoAgent, signInDemoAgent, TENANT } from '../shared/demo-agent.js';

@Component({
  selector: 'app-root',
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `
    <h1>Angular</h1>
    <p class="status" role="status">{{ status() }}</p>
    @if (agent(); as signedIn) {
      <chat-window
        class="console"
        [serverUrl]="origin"
        [tenant]="tenant"
        [getToken]="signedIn.getToken"
        [getAccessToken]="signedIn.getAccessToken"
        (chat-session-answer)="onAnswer($event)"
      ></chat-window>
    }
  `,
})
export class AppComponent {
  protected readonly origin = location.origin;
  protected readonly tenant = TENANT;
  protected readonly agent = signal<DemoAgent | undefined>(undefined);
  protected readonly status = signal('Signing in…');

  constructor() {
    signInDemoAgent().then(
      (signedIn) => {
        this.agent.set(signedIn);
        this.status.set(`Signed in as ${signedIn.name}.`);
      },
      (error: unknown) => {
        this.status.set(`Sign-in failed: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
  }

  protected onAnswer(event: ChatSessionAnswerEvent): void {
    this.status.set(`Answering chat ${event.detail.sessionId}.`);
  }
}
