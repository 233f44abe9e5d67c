import { consume } from '@lit/context';
import { msg, str } from '../../i18n/localization.js';
import type { PropertyValues } from 'lit';
import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';

import { ChatChannelSettingsSavedEvent } from '../../events/chat-channel-settings-saved-event.js';
import { announce } from '../../internal/announcer.js';
import { ChatElement } from '../../internal/chat-element.js';
import type { ChannelLanguage, ChannelSettingsView } from '../../protocol/channel-settings.js';
import { DEFAULT_TARGETS } from '../../protocol/priority.js';
import type { ChatClient } from '../../state/create-chat-client.js';
import { chatClientContext } from '../../state/context.js';
import { ChatHttpError } from '../../state/types.js';
import { buttonStyles, hostStyles } from '../../styles/host.styles.js';
import { renderHours } from './settings-hours.js';
import { renderInvitations } from './settings-invitations.js';
import { renderTargets } from './settings-targets.js';
import { renderWrapUp } from './settings-wrapup.js';
import type { Draft, Editor } from './settings-sections.js';
import { renderAgents, renderChannel, renderForms, renderLook, renderTexts } from './settings-sections.js';
import { channelSettingsStyles } from './chat-channel-settings.styles.js';

type Status = 'idle' | 'loading' | 'saving' | 'saved' | 'forbidden' | 'failed';

const clone = <T>(value: T): T => structuredClone(value);

/**
 * @summary A channel's settings for its managers: names and customer texts per language (with
 * fallback), opening hours per weekday with time zone, lunch break and closed days, wait warnings,
 * the widget's look, the pre-chat, offline and after-chat forms, closing a chat (wrap-up comment and tags), proactive invitations, and the channel's agents with
 * their permissions and capacity. Saves through the chat server (`PUT /api/channels/<id>/settings`),
 * which checks every value and names the ones it refuses.
 * @tag chat-channel-settings
 * @status experimental
 * @since 0.1
 *
 * @fires {ChatChannelSettingsSavedEvent} chat-channel-settings-saved - The settings were saved; `detail.view` is what the server stored.
 *
 * @csspart base - The wrapper of everything the element shows.
 * @csspart form - The form.
 * @csspart save - The Save button.
 * @cssproperty [--chat-channel-settings-max-width=60rem] - Widest the form grows.
 *
 * @cssstate loading - The settings are being loaded.
 * @cssstate dirty - There are changes not saved yet.
 */
export class ChatChannelSettings extends ChatElement {
  static override styles = [hostStyles, buttonStyles, channelSettingsStyles];

  /** Client whose server and access token are used; provided by an enclosing chat-window or set directly. */
  @consume({ context: chatClientContext, subscribe: true })
  @property({ attribute: false })
  client?: ChatClient;

  /** The channel to edit. */
  @property({ attribute: 'channel-id', reflect: true }) channelId = '';

  @state() private view: ChannelSettingsView | undefined;
  @state() private draft: Draft | undefined;
  @state() private status: Status = 'idle';
  @state() private textLanguage: ChannelLanguage = 'en';
  /** Refused values by path (`settings.look.colour`), from the server. */
  @state() private refused: Readonly<Record<string, string>> = {};

  /** Labels of the fields rendered, by path (for the error summary). */
  private readonly labels = new Map<string, string>();
  private loadedFor = '';
  /** What the sections (settings-sections.ts, settings-hours.ts) edit through. */
  private readonly editor: Editor = {
    edit: (change) => {
      this.edit(change);
    },
    invalid: (path) => this.invalid(path),
    label: (path, text) => this.label(path, text),
    setTextLanguage: (lang) => {
      this.textLanguage = lang;
    },
    textLanguage: () => this.textLanguage,
  };

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('client') || changed.has('channelId')) && this.client && this.channelId !== '' && this.loadedFor !== this.channelId) {
      void this.load();
    }
    this.setCustomState('loading', this.status === 'loading');
    this.setCustomState('dirty', this.isDirty());
  }

  /** Loads the channel's settings again (discarding unsaved changes). */
  async load(): Promise<void> {
    const client = this.client;
    const channelId = this.channelId;
    if (!client || channelId === '') return;
    this.loadedFor = channelId;
    this.status = 'loading';
    try {
      const view = await client.getChannelSettings(channelId);
      if (channelId !== this.channelId) return;
      this.accept(view);
      this.status = 'idle';
    } catch (error) {
      this.status = error instanceof ChatHttpError && (error.status === 403 || error.status === 404) ? 'forbidden' : 'failed';
    }
  }

  private accept(view: ChannelSettingsView): void {
    this.view = view;
    this.draft = {
      name: view.name,
      warnAfterSeconds: view.warnAfterSeconds,
      managerWarnAfterSeconds: view.managerWarnAfterSeconds,
      assignment: { ...view.assignment },
      targets: clone(view.targets ?? DEFAULT_TARGETS),
      settings: clone(view.settings),
      agents: clone(view.agents),
    };
    this.textLanguage = view.settings.language;
    this.refused = {};
  }

  private isDirty(): boolean {
    const { view, draft } = this;
    if (!view || !draft) return false;
    return (
      draft.name !== view.name ||
      draft.warnAfterSeconds !== view.warnAfterSeconds ||
      draft.managerWarnAfterSeconds !== view.managerWarnAfterSeconds ||
      JSON.stringify(draft.assignment) !== JSON.stringify(view.assignment) ||
      JSON.stringify(draft.targets) !== JSON.stringify(view.targets ?? DEFAULT_TARGETS) ||
      JSON.stringify(draft.settings) !== JSON.stringify(view.settings) ||
      JSON.stringify(draft.agents) !== JSON.stringify(view.agents)
    );
  }

  /** Applies a change to the draft's settings and re-renders. */
  private edit(change: (d: Draft) => void): void {
    if (!this.draft) return;
    const next = clone(this.draft);
    change(next);
    this.draft = next;
    if (this.status === 'saved') this.status = 'idle';
  }

  private async save(event: Event): Promise<void> {
    event.preventDefault();
    const { client, view, draft } = this;
    if (!client || !view || !draft || this.status === 'saving') return;
    // Every agent, so that a refused `agents[i]` is row i here (the server changes only what differs).
    const agents = draft.agents.map((a) => ({ id: a.id, permissions: a.permissions, maxConcurrentChats: a.maxConcurrentChats }));
    this.status = 'saving';
    try {
      const saved = await client.saveChannelSettings(view.id, {
        name: draft.name,
        warnAfterSeconds: draft.warnAfterSeconds,
        managerWarnAfterSeconds: draft.managerWarnAfterSeconds,
        assignment: draft.assignment,
        targets: draft.targets,
        settings: draft.settings,
        ...(agents.length > 0 ? { agents } : {}),
      });
      const language = this.textLanguage;
      this.accept(saved);
      this.textLanguage = language;
      this.status = 'saved';
      announce(msg('Settings saved.', { id: 'chat-channel-settings.saved' }));
      this.dispatchEvent(new ChatChannelSettingsSavedEvent({ view: saved }));
    } catch (error) {
      this.refused = error instanceof ChatHttpError && error.fields ? error.fields : {};
      this.status = 'failed';
      await this.updateComplete;
      const first = Object.keys(this.refused)[0];
      if (first !== undefined) this.focusField(first);
      else this.renderRoot.querySelector<HTMLElement>('.status')?.focus();
    }
  }

  /** The rendered field for a refused path: the one with the longest matching `data-path`. */
  private fieldFor(path: string): HTMLElement | undefined {
    let best: HTMLElement | undefined;
    let bestLength = -1;
    for (const el of this.renderRoot.querySelectorAll<HTMLElement>('[data-path]')) {
      const p = el.dataset.path ?? '';
      if ((path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`)) && p.length > bestLength) {
        best = el;
        bestLength = p.length;
      }
    }
    return best;
  }

  private focusField(path: string): void {
    this.fieldFor(path)?.focus();
  }

  private invalid(path: string): 'true' | 'false' {
    return Object.keys(this.refused).some((k) => k === path || k.startsWith(`${path}.`) || k.startsWith(`${path}[`)) ? 'true' : 'false';
  }

  /** Remembers a field's label for the error summary and returns it. */
  private label(path: string, text: string): string {
    this.labels.set(path, text);
    return text;
  }

  override render() {
    return html`<div part="base" class="base">${this.renderBody()}</div>`;
  }

  private renderBody() {
    if (this.status === 'forbidden') {
      return html`<p class="status" role="alert">${msg('Only managers of this channel can change its settings.', { id: 'chat-channel-settings.forbidden' })}</p>`;
    }
    const draft = this.draft;
    if (!draft) {
      return this.status === 'failed'
        ? html`<p class="status" data-kind="error" role="alert">
            ${msg('The settings could not be loaded.', { id: 'chat-channel-settings.load-failed' })}
            <button class="btn" type="button" @click=${() => void this.load()}>${msg('Try again', { id: 'chat-channel-settings.retry' })}</button>
          </p>`
        : html`<p class="status" role="status">${msg('Loading settings…', { id: 'chat-channel-settings.loading' })}</p>`;
    }
    this.labels.clear();
    const ed = this.editor;
    const sections = [renderChannel(ed, draft), renderTexts(ed, draft), renderHours(ed, draft), renderLook(ed, draft), renderForms(ed, draft), renderWrapUp(ed, draft), renderInvitations(ed, draft), renderAgents(ed, draft), renderTargets(ed, draft)];
    return html`<form part="form" @submit=${this.save} aria-label=${msg(str`Settings of ${this.view?.name ?? ''}`, { id: 'chat-channel-settings.form' })}>
      ${this.renderErrors()} ${sections}
      <div class="actions">
        <button part="save" class="btn btn--primary" type="submit" ?disabled=${this.status === 'saving'}>${msg('Save', { id: 'chat-channel-settings.save' })}</button>
        <button class="btn" type="button" ?disabled=${!this.isDirty()} @click=${() => {
          if (this.view) this.accept(this.view);
        }}>${msg('Undo changes', { id: 'chat-channel-settings.undo' })}</button>
        ${this.renderStatus()}
      </div>
    </form>`;
  }

  private renderStatus() {
    switch (this.status) {
      case 'saving':
        return html`<p class="status" role="status">${msg('Saving…', { id: 'chat-channel-settings.saving' })}</p>`;
      case 'saved':
        return html`<p class="status" role="status" data-kind="saved">${msg('Settings saved.', { id: 'chat-channel-settings.saved' })}</p>`;
      case 'failed':
        return html`<p class="status" role="alert" data-kind="error" tabindex="-1">${msg('The settings were not saved.', { id: 'chat-channel-settings.save-failed' })}</p>`;
      default:
        return html`<p class="status" role="status"></p>`;
    }
  }

  private renderErrors() {
    const paths = Object.keys(this.refused);
    if (paths.length === 0) return nothing;
    return html`<div class="errors" role="group" aria-label=${msg('Values to check', { id: 'chat-channel-settings.errors' })}>
      ${msg(str`${paths.length} values were not accepted:`, { id: 'chat-channel-settings.errors.count' })}
      <ul>
        ${paths.map((path) => {
          const field = [...this.labels.keys()].filter((p) => path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`)).sort((a, b) => b.length - a.length)[0];
          const name = field === undefined ? path : (this.labels.get(field) ?? path);
          return html`<li><button type="button" @click=${() => { this.focusField(path); }}>${name}</button></li>`;
        })}
      </ul>
    </div>`;
  }
}
