/**
 * The dashboard's channel filter: all of my channels, or some of them, remembered per server,
 * tenant and agent in `localStorage` (a choice that cannot be stored still applies now).
 */
import type { ReactiveControllerHost } from 'lit';
import { html, nothing } from 'lit';
import { live } from 'lit/directives/live.js';

import { msg } from '../../i18n/localization.js';
import type { AgentMe } from '../../protocol/index.js';
import type { ChatClient } from '../../state/create-chat-client.js';

/** Where the channel filter is remembered (per server, tenant and agent). */
const FILTER_KEY = 'crm-chat.dashboard.channels';

/** The channels the dashboard shows: all of mine, or some of them. */
export type Selection = 'all' | readonly string[];

export interface ChannelFilterHost extends ReactiveControllerHost {
  readonly client?: ChatClient | undefined;
  me(): AgentMe | undefined;
}

export class ChannelFilter {
  /** The storage key the selection was loaded from. */
  private selectionKey: string | undefined;
  private chosen: Selection = 'all';

  constructor(private readonly host: ChannelFilterHost) {}

  /** 'all', or the channels chosen. */
  get selection(): Selection {
    return this.chosen;
  }

  /** The filter as a key ('*' for all), to notice a change. */
  get key(): string {
    return this.chosen === 'all' ? '*' : this.chosen.join(',');
  }

  /** My channels (from the server's `welcome.me`). */
  get channels(): { id: string; name: string; listen: boolean }[] {
    return (this.host.me()?.channels ?? []).map((c) => ({ id: c.id, name: c.name, listen: c.permissions.listen }));
  }

  /** The ids of the channels shown. */
  get shown(): Set<string> {
    const mine = this.channels.map((c) => c.id);
    if (this.chosen === 'all') return new Set(mine);
    const chosen = this.chosen;
    return new Set(mine.filter((id) => chosen.includes(id)));
  }

  /** The sessions of the channels shown. */
  filter<T extends { channelId: string }>(all: readonly T[]): readonly T[] {
    if (this.chosen === 'all') return all;
    const shown = this.shown;
    return all.filter((s) => shown.has(s.channelId));
  }

  private storageKey(): string | undefined {
    const client = this.host.client;
    const me = this.host.me();
    if (!client || !me) return undefined;
    return `${FILTER_KEY}|${client.options.url}|${client.options.tenant}|${me.id}`;
  }

  /** Before an update: loads the remembered selection once per client and agent. */
  load(): void {
    const key = this.storageKey();
    if (key === this.selectionKey) return;
    this.selectionKey = key;
    let selection: Selection = 'all';
    if (key) {
      try {
        const raw = localStorage.getItem(key);
        const parsed: unknown = raw === null ? null : JSON.parse(raw);
        if (Array.isArray(parsed)) {
          const mine = new Set(this.channels.map((c) => c.id));
          const ids = parsed.filter((x): x is string => typeof x === 'string' && mine.has(x));
          if (ids.length > 0 && ids.length < mine.size) selection = ids;
        }
      } catch {
        // Storage unavailable or garbage: show all channels.
      }
    }
    this.chosen = selection;
  }

  set(next: Selection): void {
    const mine = this.channels.map((c) => c.id);
    const normalised: Selection = next === 'all' || next.length === 0 || mine.every((id) => next.includes(id)) ? 'all' : mine.filter((id) => next.includes(id));
    this.chosen = normalised;
    this.host.requestUpdate();
    const key = this.storageKey();
    if (key) {
      try {
        if (normalised === 'all') localStorage.removeItem(key);
        else localStorage.setItem(key, JSON.stringify(normalised));
      } catch {
        // Not remembered (private mode, quota): the choice still applies now.
      }
    }
  }

  private readonly onFilterAll = (e: Event): void => {
    // "All" is left by choosing channels; unchecking it keeps it (the render restores the box).
    if ((e.target as HTMLInputElement).checked) this.set('all');
    else this.host.requestUpdate();
  };

  private onFilterChannel(e: Event, id: string): void {
    const checked = (e.target as HTMLInputElement).checked;
    const current = this.chosen === 'all' ? [] : [...this.chosen];
    if (this.chosen === 'all') {
      // From "all", a click picks that one channel.
      this.set(checked ? [id] : this.channels.map((c) => c.id).filter((x) => x !== id));
      return;
    }
    this.set(checked ? [...current, id] : current.filter((x) => x !== id));
  }

  render() {
    const channels = this.channels;
    if (channels.length < 2) return nothing;
    const shown = this.shown;
    const all = this.chosen === 'all';
    return html`<fieldset part="filter" class="filter">
      <legend>${msg('Channels', { id: 'chat-dashboard.filter.legend' })}</legend>
      <label part="filter-option" class="filter-option">
        <input type="checkbox" .checked=${live(all)} @change=${this.onFilterAll} />
        <span>${msg('All channels', { id: 'chat-dashboard.filter.all' })}</span>
      </label>
      ${channels.map(
        (c) =>
          html`<label part="filter-option" class="filter-option">
            <input
              type="checkbox"
              .checked=${live(!all && shown.has(c.id))}
              @change=${(e: Event) => {
                this.onFilterChannel(e, c.id);
              }}
            />
            <span>${c.name}</span>
          </label>`,
      )}
    </fieldset>`;
  }
}
