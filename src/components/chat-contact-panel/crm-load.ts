/**
 * One load from the CRM, on `@lit/task`: run by hand (for a chat, a contact, a search), the
 * task's `AbortSignal` passed to the provider. A new run aborts the one in progress and only the
 * latest run's answer is kept (the task's own rules); `stop()` aborts it when the chat changes. An
 * answer that arrives after its signal was aborted (a provider that ignores the signal) is
 * dropped, and an aborted run shows as loading, never as an error. `state` is what the panel
 * renders: loading, the value, or the error's text with Retry (`retry()`).
 */
import { Task, TaskStatus } from '@lit/task';
import type { ReactiveControllerHost } from 'lit';

import type { Load } from './contact-texts.js';
import { errorText, isAbort } from './contact-texts.js';

const LOADING: Load<never> = { state: 'loading' };

export class CrmLoad<A extends readonly unknown[], T> {
  private readonly task: Task<A, T>;
  /** The arguments of the current run; undefined when stopped (or never run). */
  private args: A | undefined;

  /**
   * @param load Asks the CRM, passing `signal` on.
   * @param done Runs with the answer of the latest run (not of an aborted one), before the render.
   */
  constructor(host: ReactiveControllerHost, load: (args: A, signal: AbortSignal) => Promise<T>, done?: (value: T, args: A) => void) {
    this.task = new Task<A, T>(host, {
      autoRun: false,
      task: async (args, { signal }) => {
        const value = await load(args, signal);
        signal.throwIfAborted();
        return value;
      },
      onComplete: (value) => {
        if (this.args !== undefined) done?.(value, this.args);
      },
    });
  }

  /** Loads for `args` (a load in progress is aborted). */
  run(...args: A): void {
    this.args = args;
    void this.task.run(args);
  }

  /** Loads again with the same arguments (Retry). */
  retry(): void {
    if (this.args !== undefined) void this.task.run(this.args);
  }

  /** Aborts the load in progress and forgets it: `state` is loading until the next run. */
  stop(): void {
    this.args = undefined;
    this.task.abort();
  }

  /** Whether the latest run answered. */
  get ready(): boolean {
    return this.state.state === 'ready';
  }

  /** Loading, the answer, or why it failed. */
  get state(): Load<T> {
    if (this.args === undefined) return LOADING;
    switch (this.task.status) {
      case TaskStatus.COMPLETE:
        return { state: 'ready', value: this.task.value as T };
      case TaskStatus.ERROR:
        return isAbort(this.task.error) ? LOADING : { state: 'error', message: errorText(this.task.error) };
      default:
        return LOADING;
    }
  }
}
