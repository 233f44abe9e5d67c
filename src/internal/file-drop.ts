/**
 * Files dragged over an element and dropped on it: a reactive controller that counts the nested
 * `dragenter` / `dragleave` of the element's children, says whether files are over it now
 * (`dropping`, for a drop zone) and hands the dropped files on. Only drags that carry files count,
 * and only while `canDrop()` says the element can take them.
 *
 * Used by chat-conversation (files for the composer) and chat-visitor's files (the panel). Bind
 * the four handlers on the element that files are dropped on:
 * `@dragenter=${drop.onDragEnter} @dragover=${drop.onDragOver} @dragleave=${drop.onDragLeave} @drop=${drop.onDrop}`.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface FileDropOptions {
  /** Whether files can be taken now (default: always). */
  canDrop?: () => boolean;
  /** The files dropped. */
  onFiles: (files: File[]) => void;
}

const hasFiles = (event: DragEvent): boolean => Array.from(event.dataTransfer?.types ?? []).includes('Files');

export class FileDropController implements ReactiveController {
  private depth = 0;
  private over = false;

  /** `host`: an element (the controller then forgets a drag when it is removed) or anything that renders again on `requestUpdate()`. */
  constructor(
    private readonly host: Pick<ReactiveControllerHost, 'requestUpdate'> & Partial<Pick<ReactiveControllerHost, 'addController'>>,
    private readonly options: FileDropOptions,
  ) {
    host.addController?.(this);
  }

  /** Files are being dragged over the element (show the drop zone). */
  get dropping(): boolean {
    return this.over;
  }

  hostDisconnected(): void {
    this.reset();
  }

  /** Forgets a drag in progress (the element now shows something else). */
  reset(): void {
    this.depth = 0;
    this.set(false);
  }

  private accepts(event: DragEvent): boolean {
    return hasFiles(event) && (this.options.canDrop?.() ?? true);
  }

  private set(over: boolean): void {
    if (this.over === over) return;
    this.over = over;
    this.host.requestUpdate();
  }

  readonly onDragEnter = (event: DragEvent): void => {
    if (!this.accepts(event)) return;
    event.preventDefault();
    this.depth += 1;
    this.set(true);
  };

  /** Files may be dropped here (a copy). */
  readonly onDragOver = (event: DragEvent): void => {
    if (!this.accepts(event)) return;
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    this.set(true);
  };

  readonly onDragLeave = (event: DragEvent): void => {
    if (!hasFiles(event)) return;
    this.depth = Math.max(0, this.depth - 1);
    if (this.depth === 0) this.set(false);
  };

  readonly onDrop = (event: DragEvent): void => {
    this.reset();
    if (!this.accepts(event)) return;
    event.preventDefault();
    this.options.onFiles([...(event.dataTransfer?.files ?? [])]);
  };
}
