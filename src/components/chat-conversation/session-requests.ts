/**
 * The CRM requests created from the shown chat (the header's "#1042" links), loaded with
 * `@lit/task` from the `crmProvider` when the chat, the provider or the agent changes. A change
 * aborts the load in progress (its `AbortSignal` goes to `listSessionRequests`), and a late answer
 * for an earlier chat is never shown. A request created here is shown at once (`added`).
 */
import { Task, TaskStatus } from '@lit/task';
import type { ReactiveController, ReactiveControllerHost } from 'lit';

import type { CrmProvider, CrmRequest } from '../../crm/types.js';

export class SessionRequests implements ReactiveController {
  private readonly task: Task<[CrmProvider | undefined, string | undefined, string | undefined], CrmRequest[]>;
  /** Requests created here since the last load, newest first. */
  private created: { sessionId: string; request: CrmRequest }[] = [];

  /** `args()`: the provider, the shown chat and my agent id (no list without all three). */
  constructor(host: ReactiveControllerHost, args: () => [CrmProvider | undefined, string | undefined, string | undefined]) {
    host.addController(this);
    this.task = new Task(host, {
      args,
      task: async ([provider, sessionId, me], { signal }) => {
        this.created = [];
        if (!provider || sessionId === undefined || me === undefined) return [];
        return provider.listSessionRequests(sessionId, signal);
      },
    });
  }

  hostConnected(): void {
    // Loaded again after a move in the DOM (a load aborted on removal never finished).
    if (this.task.status !== TaskStatus.INITIAL) void this.task.run();
  }

  hostDisconnected(): void {
    this.task.abort();
  }

  /** The requests of chat `sessionId` as known now (none while loading or after a failure). */
  list(sessionId: string | undefined): readonly CrmRequest[] {
    const loaded = this.task.status === TaskStatus.COMPLETE ? (this.task.value ?? []) : [];
    const mine = this.created.filter((c) => c.sessionId === sessionId).map((c) => c.request);
    return mine.length === 0 ? loaded : [...mine, ...loaded.filter((r) => !mine.some((m) => m.id === r.id))];
  }

  /** A request was just created from chat `sessionId`. */
  added(sessionId: string, request: CrmRequest): void {
    this.created = [{ sessionId, request }, ...this.created.filter((c) => c.request.id !== request.id)];
  }
}
