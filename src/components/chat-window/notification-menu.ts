/**
 * The window's notifications: the `ChatNotifier` (sounds, desktop notifications, the count in the
 * page title) and the Notifications menu in the top bar where the agent turns them on, kept per
 * server, tenant and agent in localStorage. Moved out of chat-window.component.ts.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { html, svg } from 'lit';
import { live } from 'lit/directives/live.js';

import { msg } from '../../i18n/localization.js';
import { announce } from '../../internal/announcer.js';
import type { ChatClient } from '../../state/create-chat-client.js';
import {
  browserSink,
  ChatNotifier,
  DEFAULT_SETTINGS,
  type DesktopPermission,
  loadSettings,
  type NotificationSettings,
  type NotificationSink,
  saveSettings,
  settingsKey,
} from './notifications.js';

const bell = svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round" stroke-linejoin="round"><path d="M4 11.5V7a4 4 0 0 1 8 0v4.5l1.2 1.3H2.8L4 11.5Z"/><path d="M6.5 14.5h3"/></svg>`;

export interface NotificationMenuHost extends ReactiveControllerHost, HTMLElement {
  readonly renderRoot: HTMLElement | DocumentFragment;
  /** Where sounds and desktop notifications go (tests record them); the browser's by default. */
  readonly notificationSink?: NotificationSink | undefined;
}

export interface NotificationMenuOptions {
  /** A desktop notification was clicked: show that chat. */
  select(sessionId: string): void;
  /** The chat is open in front of the agent (no notification for it). */
  isOpen(sessionId: string): boolean;
  /** Runs `fn` in the element's language. */
  localized<T>(fn: () => T): T;
}

export class NotificationMenu implements ReactiveController {
  private settings: NotificationSettings = { ...DEFAULT_SETTINGS };
  private desktopPermission: DesktopPermission = 'default';
  /** localStorage key of the settings shown (per server, tenant and agent). */
  private settingsFor = '';
  private notifiedClient: ChatClient | undefined;
  private defaultSink: NotificationSink | undefined;
  private readonly notifier: ChatNotifier;

  constructor(
    private readonly host: NotificationMenuHost,
    options: NotificationMenuOptions,
  ) {
    host.addController(this);
    this.notifier = new ChatNotifier({
      sink: () => this.sink(),
      settings: () => this.settings,
      select: (id) => {
        options.select(id);
      },
      isOpen: (id) => options.isOpen(id),
      localized: (fn) => options.localized(fn),
    });
  }

  hostConnected(): void {
    this.host.ownerDocument.addEventListener('pointerdown', this.onPointerDown, true);
  }

  hostDisconnected(): void {
    this.host.ownerDocument.removeEventListener('pointerdown', this.onPointerDown, true);
    this.notifier.detach();
    this.notifiedClient = undefined;
    this.defaultSink?.dispose();
    this.defaultSink = undefined;
  }

  private menu(): HTMLDetailsElement | null {
    return this.host.renderRoot.querySelector<HTMLDetailsElement>('details.settings');
  }

  /** Follows `client`'s chats for notifications (idempotent). */
  follow(client: ChatClient | undefined): void {
    if (client === this.notifiedClient) return;
    this.notifiedClient = client;
    this.notifier.attach(client);
  }

  private sink(): NotificationSink {
    if (this.host.notificationSink) return this.host.notificationSink;
    this.defaultSink ??= browserSink(this.host.ownerDocument);
    return this.defaultSink;
  }

  /**
   * Loads the signed-in agent's notification settings once their id is known; returns their
   * localStorage key (per server, tenant and agent; '' before the welcome).
   */
  load(meId: string | undefined, client: ChatClient | undefined): string {
    const key = meId !== undefined && client ? settingsKey(client.options.url, client.options.tenant, meId) : '';
    if (key === this.settingsFor) return key;
    this.settingsFor = key;
    this.settings = key ? loadSettings(key) : { ...DEFAULT_SETTINGS };
    this.desktopPermission = this.sink().permission();
    this.notifier.refresh();
    return key;
  }

  private updateSettings(change: Partial<NotificationSettings>): void {
    this.settings = { ...this.settings, ...change };
    if (this.settingsFor) saveSettings(this.settingsFor, this.settings);
    this.notifier.refresh();
    this.host.requestUpdate();
  }

  private readonly onPointerDown = (e: PointerEvent): void => {
    const menu = this.menu();
    if (menu?.open && !e.composedPath().includes(menu)) menu.open = false;
  };

  private readonly onSettingsKeydown = (e: KeyboardEvent): void => {
    const menu = this.menu();
    if (e.key !== 'Escape' || !menu?.open) return;
    e.preventDefault();
    e.stopPropagation();
    menu.open = false;
    menu.querySelector('summary')?.focus();
  }

  /** The browser's permission may have changed in its settings meanwhile: read it when the menu opens. */
  private readonly onSettingsToggle = (): void => {
    if (this.menu()?.open) {
      this.desktopPermission = this.sink().permission();
      this.host.requestUpdate();
    }
  }

  private readonly onSoundChange = (e: Event): void => {
    const on = (e.target as HTMLInputElement).checked;
    this.updateSettings({ sound: on });
    if (on) {
      // A user action: audio may start from now on. Play the tone once so the agent knows it.
      const sink = this.sink();
      sink.unlockAudio();
      sink.playSound('chat');
    }
  }

  private readonly onDesktopChange = async (e: Event): Promise<void> => {
    const input = e.target as HTMLInputElement;
    if (!input.checked) {
      this.updateSettings({ desktop: false });
      return;
    }
    const sink = this.sink();
    let permission = sink.permission();
    // Asked only here, from the agent's click on the checkbox.
    if (permission === 'default') permission = await sink.requestPermission();
    this.desktopPermission = permission;
    this.updateSettings({ desktop: permission === 'granted' });
    if (permission !== 'granted') announce(this.desktopHint(), { assertive: true });
  }

  private readonly onTitleCountChange = (e: Event): void => {
    this.updateSettings({ titleCount: (e.target as HTMLInputElement).checked });
  }

  private desktopHint(): string {
    switch (this.desktopPermission) {
      case 'denied':
        return msg('Your browser blocks notifications from this page. Allow them in the site settings, then turn this on again.', {
          id: 'chat-window.settings.desktop-denied',
        });
      case 'unsupported':
        return msg('This browser cannot show desktop notifications.', { id: 'chat-window.settings.desktop-unsupported' });
      default:
        return msg("Shows the customer's name and first words. Your browser asks for permission the first time.", {
          id: 'chat-window.settings.desktop-hint',
        });
    }
  }

  render() {
    const s = this.settings;
    const unsupported = this.desktopPermission === 'unsupported';
    const desktopOn = s.desktop && this.desktopPermission === 'granted';
    const label = msg('Notifications', { id: 'chat-window.settings.button' });
    return html`<details part="settings" class="settings" @keydown=${this.onSettingsKeydown} @toggle=${this.onSettingsToggle}>
      <summary part="settings-button" class="btn settings-button" title=${label}>
        ${bell}<span class="settings-label">${label}</span>
      </summary>
      <div part="settings-panel" class="settings-panel" role="group" aria-labelledby="settings-heading">
        <p id="settings-heading" class="settings-heading">${msg('Notify me', { id: 'chat-window.settings.heading' })}</p>
        <p id="settings-when" class="hint">
          ${msg('Sounds and desktop notifications come only while you are in another tab or window.', { id: 'chat-window.settings.when' })}
        </p>
        <label class="check">
          <input type="checkbox" .checked=${live(s.sound)} aria-describedby="settings-when" @change=${this.onSoundChange} />
          <span>${msg('Sound for new chats and messages', { id: 'chat-window.settings.sound' })}</span>
        </label>
        <label class="check">
          <input
            type="checkbox"
            .checked=${live(desktopOn)}
            ?disabled=${unsupported}
            aria-describedby="desktop-hint"
            @change=${this.onDesktopChange}
          />
          <span>${msg('Desktop notifications', { id: 'chat-window.settings.desktop' })}</span>
        </label>
        <p id="desktop-hint" class="hint" ?data-problem=${this.desktopPermission === 'denied'}>${this.desktopHint()}</p>
        <label class="check">
          <input type="checkbox" .checked=${live(s.titleCount)} aria-describedby="title-hint" @change=${this.onTitleCountChange} />
          <span>${msg('Count in the page title', { id: 'chat-window.settings.title' })}</span>
        </label>
        <p id="title-hint" class="hint">
          ${msg('Unanswered chats and unread messages, for example "(3) CRM".', { id: 'chat-window.settings.title-hint' })}
        </p>
      </div>
    </details>`;
  }
}
