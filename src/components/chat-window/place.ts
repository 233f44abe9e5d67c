/**
 * The console's place in this browser tab: the tab shown and the chat open. It is kept in
 * sessionStorage per server, tenant and agent, so a reload opens the same tab and chat again
 * (and two console tabs keep places of their own). `WindowPlace` is the window's side: it restores
 * the place once the agent is known, switches to Chats when a chat is selected anywhere (the
 * restored chat keeps its tab) and keeps the place shown after each change.
 */
import type { ChatClient } from '../../state/create-chat-client.js';

export type PlaceTab = 'dashboard' | 'chats';

export interface Place {
  tab: PlaceTab;
  sessionId?: string;
}

function storage(): Storage | undefined {
  try {
    return globalThis.sessionStorage;
  } catch {
    return undefined; // storage blocked
  }
}

function parse(raw: string | null | undefined): Place | undefined {
  if (!raw) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<Place>;
    if (value.tab !== 'dashboard' && value.tab !== 'chats') return undefined;
    return typeof value.sessionId === 'string' ? { tab: value.tab, sessionId: value.sessionId } : { tab: value.tab };
  } catch {
    return undefined;
  }
}

export class PlaceKeeper {
  /** The agent whose place is kept, as the window names them ('' until known). */
  private agent = '';
  /** Its storage key. */
  private key = '';
  /** What was stored last (so an unchanged place is not written again). */
  private stored = '';
  /** A restored chat that the selection has not reached yet. */
  private pending: string | undefined;

  /**
   * Once the agent is known (`agentKey` set; it changes with the agent): selects the chat of the
   * place saved for them and returns that place, for the window to show its tab.
   */
  restore(agentKey: string, client: ChatClient | undefined): Place | undefined {
    if (agentKey === this.agent) return undefined;
    this.agent = agentKey;
    this.key = agentKey ? `crm-chat-place|${agentKey}` : '';
    this.stored = '';
    this.pending = undefined;
    if (!this.key || !client) return undefined;
    const place = parse(storage()?.getItem(this.key));
    if (!place) return undefined;
    this.stored = JSON.stringify(place);
    if (place.sessionId !== undefined && client.$selectedSessionId.get() === undefined) {
      this.pending = place.sessionId;
      client.selectSession(place.sessionId);
    }
    return place;
  }

  /** True (once) when `sessionId` is the restored chat reaching the selection: not a new choice. */
  arrived(sessionId: string | undefined): boolean {
    if (this.pending === undefined || sessionId === undefined) return false;
    const restored = sessionId === this.pending;
    this.pending = undefined;
    return restored;
  }

  /** Keeps the place shown now. */
  save(tab: PlaceTab, sessionId: string | undefined): void {
    if (!this.key || this.pending !== undefined) return;
    const value = JSON.stringify(sessionId === undefined ? { tab } : { tab, sessionId });
    if (value === this.stored) return;
    this.stored = value;
    try {
      storage()?.setItem(this.key, value);
    } catch {
      // storage full or blocked: the place is just not kept
    }
  }
}

/** What the window's place needs from it. */
export interface WindowPlaceHost {
  tab: PlaceTab;
}

export class WindowPlace {
  private readonly keeper = new PlaceKeeper();
  /** The selection the window followed last. */
  private lastSelected: string | undefined;

  constructor(private readonly host: WindowPlaceHost) {}

  /** Another client: its selection is new. */
  reset(): void {
    this.lastSelected = undefined;
  }

  /**
   * Before each render: restores the place saved for `agentKey` (once it is known) and follows
   * the selection. Returns true when a newly selected chat switched the window to Chats.
   */
  follow(agentKey: string, client: ChatClient | undefined, selected: string | undefined): boolean {
    const restored = this.keeper.restore(agentKey, client);
    if (restored) this.host.tab = restored.tab;
    if (selected === this.lastSelected) return false;
    this.lastSelected = selected;
    // A chat selected anywhere opens Chats; the chat of a restored place keeps its tab.
    const restoredChat = this.keeper.arrived(selected);
    if (selected === undefined || this.host.tab === 'chats' || restoredChat) return false;
    this.host.tab = 'chats';
    return true;
  }

  /** Keeps the place shown now. */
  save(selected: string | undefined): void {
    this.keeper.save(this.host.tab, selected);
  }
}
