/**
 * Connection slice: the socket's lifecycle (`$connection`), who is connected (`$me`, from the
 * server's `welcome`) and the server's clock (`$clockOffset`), with connect / disconnect /
 * reconnect and the browser's online and offline events. What the frames mean is the other
 * slices' business: they come in through `hooks`.
 */
import { atom, onMount } from 'nanostores';

import type { Me, ServerFrame, WelcomeFrame } from '../protocol/index.js';
import type { ChatSocket } from '../transport/socket.js';
import { createSocket } from '../transport/socket.js';
import type { ConnectionState } from './types.js';

export interface ConnectionOptions {
  url: string;
  tenant: string;
  getToken: () => Promise<string>;
  WebSocket?: unknown;
  autoConnect?: boolean;
  now: () => number;
  socket?: {
    minReconnectDelayMs?: number;
    maxReconnectDelayMs?: number;
    hiddenMaxReconnectDelayMs?: number;
    pingIntervalMs?: number;
    pongTimeoutMs?: number;
  };
}

export interface ConnectionHooks {
  /** The socket is open: say hello (with the positions to resume from). */
  opened(): void;
  /** A validated frame from the server. */
  frame(frame: ServerFrame): void;
  /** The socket went down: whatever was in flight is given up or queued again. */
  down(): void;
  /** `connect()` starts: e.g. load pending messages first; the socket opens when this settles. */
  starting(): Promise<void>;
  /** Whether `starting()` has run at least once (reconnect() before it means connect()). */
  started(): boolean;
  /** `disconnect()`: timers of the other slices stop. */
  stopped(): void;
}

export function uuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
}

/** `stats.invalidFrames` counts the frames dropped by validation. */
export function createConnection(options: ConnectionOptions, hooks: ConnectionHooks, stats: { invalidFrames: number } = { invalidFrames: 0 }) {
  /** Connection lifecycle; observing it opens the socket (when `autoConnect`). */
  const $connection = atom<ConnectionState>({ status: 'idle', attempt: 0 });
  /** Who is connected (agent with permissions, or customer), from the server's welcome. */
  const $me = atom<Me | undefined>(undefined);
  /** Server clock minus client clock, from the welcome (for "waiting for 3 min" displays). */
  const $clockOffset = atom<number>(0);
  let destroyed = false;

  const setConnection = (next: Partial<ConnectionState> & Pick<ConnectionState, 'status'>) => {
    const prev = $connection.get();
    const value: ConnectionState = { attempt: next.attempt ?? prev.attempt, status: next.status };
    if (next.retryAt !== undefined) value.retryAt = next.retryAt;
    if (next.error !== undefined) value.error = next.error;
    $connection.set(value);
  };

  const socket: ChatSocket = createSocket(
    {
      url: options.url,
      tenant: options.tenant,
      getToken: options.getToken,
      clientId: uuid(),
      ...(options.WebSocket ? { WebSocket: options.WebSocket } : {}),
      ...options.socket,
    },
    {
      connecting(attempt) {
        const status = $connection.get().status;
        setConnection({ status: status === 'idle' || status === 'connecting' ? 'connecting' : 'reconnecting', attempt });
      },
      opened() {
        setConnection({ status: 'resuming' });
        hooks.opened();
      },
      frame(frame) {
        hooks.frame(frame);
      },
      invalid() {
        stats.invalidFrames += 1;
      },
      down(state) {
        hooks.down();
        if (state.kind === 'closed') setConnection({ status: 'idle', attempt: 0 });
        else if (state.kind === 'auth-required') setConnection({ status: 'auth-required', error: { code: 'unauthenticated', message: state.message } });
        else if (state.kind === 'fatal') setConnection({ status: 'fatal', error: { code: String(state.code), message: state.message } });
        else if (typeof navigator !== 'undefined' && !navigator.onLine) setConnection({ status: 'offline' });
        else setConnection({ status: 'reconnecting', ...(state.retryAt !== undefined ? { retryAt: state.retryAt } : {}), ...(state.error ? { error: state.error } : {}) });
      },
    },
  );

  const onOnline = () => {
    const status = $connection.get().status;
    if (status === 'offline' || status === 'reconnecting') socket.reconnect();
  };
  const onOffline = () => {
    if ($connection.get().status !== 'live') return;
    setConnection({ status: 'offline' });
  };
  /** The user is back at the tab: a connection waiting to retry tries now. */
  const onShown = () => {
    if (typeof document !== 'undefined' && document.visibilityState === 'hidden') return;
    socket.retryNow();
  };
  const listen = (on: boolean) => {
    if (typeof window === 'undefined') return;
    const method = on ? 'addEventListener' : 'removeEventListener';
    window[method]('online', onOnline);
    window[method]('offline', onOffline);
    window[method]('focus', onShown);
    if (typeof document !== 'undefined') document[method]('visibilitychange', onShown);
  };

  /** Opens the connection (idempotent). Pending messages are loaded from storage first. */
  function connect(): void {
    if (destroyed) return;
    const status = $connection.get().status;
    if (status !== 'idle' && status !== 'auth-required' && status !== 'fatal') return;
    setConnection({ status: 'connecting', attempt: 0 });
    listen(true);
    void hooks.starting().then(() => {
      if (!destroyed && $connection.get().status !== 'idle') socket.open();
    });
  }

  /** Closes the connection; stores keep their data. */
  function disconnect(): void {
    socket.close();
    listen(false);
    hooks.stopped();
    setConnection({ status: 'idle', attempt: 0 });
  }

  /** Connects again now, e.g. from a "Retry" button. */
  function reconnect(): void {
    setConnection({ status: 'reconnecting', attempt: 0 });
    if (!hooks.started()) {
      connect();
      return;
    }
    socket.reconnect();
  }

  if (options.autoConnect !== false) {
    onMount($connection, () => {
      connect();
      return () => {
        disconnect();
      };
    });
  }

  /** The server's welcome: who I am and its clock. */
  function welcome(frame: WelcomeFrame): void {
    $me.set(frame.me);
    $clockOffset.set(frame.serverTime - options.now());
  }

  /** An error frame: shown with the current status. */
  function serverError(code: string, message: string): void {
    setConnection({ status: $connection.get().status, error: { code, message } });
  }

  /** Closes everything; the client cannot be used afterwards. */
  function destroy(): void {
    destroyed = true;
    disconnect();
  }

  const live = () => $connection.get().status === 'live';

  return { $connection, $me, $clockOffset, socket, setConnection, connect, disconnect, reconnect, welcome, serverError, destroy, live };
}

export type Connection = ReturnType<typeof createConnection>;
