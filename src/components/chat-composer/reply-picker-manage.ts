/**
 * The Insert picker's manage view: the agent's own quick replies (and, for managers, the shared
 * ones), each with Edit (the quick-reply form) and Delete, confirmed in its row; what happened is
 * said in the view and announced.
 */
import { html, nothing } from 'lit';

import { msg, str } from '../../i18n/localization.js';
import { announce } from '../../internal/announcer.js';
import type { Reply } from '../../protocol/replies.js';
import { idPart } from './reply-picker-list.js';
import type { ReplyPicker } from './reply-picker.js';

export class ReplyManage {
  /** The reply whose deletion waits for confirmation. */
  private confirmDelete: string | undefined;
  /** What the last deletion did. */
  private notice = '';

  constructor(private readonly picker: ReplyPicker) {}

  /** Shows the manage view. */
  show(): void {
    this.picker.view = 'manage';
    this.notice = '';
    this.picker.moveFocus('picker-manage-heading');
  }

  /** Forgets a pending confirmation (the picker closed). */
  reset(): void {
    this.confirmDelete = undefined;
  }

  /** Back to the list. */
  readonly back = (): void => {
    this.picker.view = 'browse';
    this.confirmDelete = undefined;
    this.notice = '';
    this.picker.moveFocus('picker-search');
  };

  /** Escape in the manage view: out of a pending confirmation (focus back on its Delete), else back to the list. */
  escape(): void {
    if (this.confirmDelete === undefined) {
      this.back();
      return;
    }
    const id = this.confirmDelete;
    this.confirmDelete = undefined;
    this.picker.moveFocus(`manage-delete-${idPart(id)}`);
  }

  private async delete(r: Reply): Promise<void> {
    const client = this.picker.client;
    if (!client) return;
    try {
      await client.deleteReply(r.id);
      this.picker.dropReply(r.id);
      this.confirmDelete = undefined;
      this.notice = msg(str`Quick reply “${r.title}” deleted.`, { id: 'chat-composer.manage.deleted' });
      announce(this.notice);
      this.picker.moveFocus('picker-manage-heading');
    } catch {
      this.notice = msg('The quick reply could not be deleted. Try again.', { id: 'chat-composer.manage.delete-error' });
      announce(this.notice, { assertive: true });
    } finally {
      this.picker.update();
    }
  }

  /** The manage view: the quick replies I may change, each with Edit and Delete (confirmed in the row). */
  render() {
    const mine = this.picker.replies.filter((r) => r.kind === 'quick-reply' && this.picker.mayEdit(r)).sort((a, b) => a.folder.localeCompare(b.folder) || a.title.localeCompare(b.title));
    // Managers may change the shared quick replies too: they are listed here with their own.
    const withShared = this.picker.me()?.manageQuickReplies === true;
    return html`<div class="manage">
      <div class="manage-head">
        <h3 id="picker-manage-heading" class="manage-title" tabindex="-1">
          ${withShared
            ? msg('Your quick replies and the shared ones', { id: 'chat-composer.manage.title-shared' })
            : msg('Your quick replies', { id: 'chat-composer.manage.title' })}
        </h3>
        <button class="btn" type="button" @click=${this.back}>${msg('Back', { id: 'chat-composer.manage.back' })}</button>
      </div>
      <p class="manage-hint">${msg('Titles are only for you and other agents; customers see the text.', { id: 'chat-composer.manage.hint' })}</p>
      ${this.notice !== '' ? html`<p class="manage-notice" part="picker-notice">${this.notice}</p>` : nothing}
      ${mine.length === 0
        ? html`<p class="picker-empty" part="picker-empty">
            ${withShared
              ? msg('There are no shared quick replies and none of your own yet.', { id: 'chat-composer.manage.empty-shared' })
              : msg('You have no quick replies of your own yet.', { id: 'chat-composer.manage.empty' })}
          </p>`
        : html`<ul class="manage-list" part="picker-manage-list">
            ${mine.map((r) => {
              const confirming = this.confirmDelete === r.id;
              return html`<li class="manage-row">
                <span class="manage-name"
                  ><span class="option-title">${r.title}</span
                  ><span class="option-meta"
                    >${r.shortcut !== null ? html`<span>/${r.shortcut}</span>` : nothing}${r.folder !== '' ? html`<span>${r.folder}</span>` : nothing}${r.ownerId === null
                      ? html`<span>${msg('Shared', { id: 'chat-composer.picker.shared' })}</span>`
                      : nothing}</span
                  ></span
                >
                ${confirming
                  ? html`<span class="confirm" role="group" aria-labelledby="confirm-text-${idPart(r.id)}">
                      <span id="confirm-text-${idPart(r.id)}" class="confirm-text">${msg(str`Delete “${r.title}”?`, { id: 'chat-composer.manage.confirm' })}</span>
                      <button id="manage-confirm-${idPart(r.id)}" class="btn btn--danger" part="picker-delete-confirm" type="button" @click=${() => void this.delete(r)}>
                        ${msg('Delete', { id: 'chat-composer.manage.delete' })}
                      </button>
                      <button
                        class="btn"
                        type="button"
                        @click=${() => {
                          this.confirmDelete = undefined;
                          this.picker.moveFocus(`manage-delete-${idPart(r.id)}`);
                        }}
                      >
                        ${msg('Cancel', { id: 'chat-composer.manage.cancel' })}
                      </button>
                    </span>`
                  : html`<button
                        class="btn"
                        part="picker-edit"
                        type="button"
                        aria-label=${msg(str`Edit ${r.title}`, { id: 'chat-composer.manage.edit-label' })}
                        @click=${() => {
                          this.picker.form.open(r, {}, 'manage');
                        }}
                      >
                        ${msg('Edit', { id: 'chat-composer.picker.edit' })}</button
                      ><button
                        id="manage-delete-${idPart(r.id)}"
                        class="btn btn--danger"
                        part="picker-delete"
                        type="button"
                        aria-label=${msg(str`Delete ${r.title}`, { id: 'chat-composer.manage.delete-label' })}
                        @click=${() => {
                          this.confirmDelete = r.id;
                          this.notice = '';
                          this.picker.moveFocus(`manage-confirm-${idPart(r.id)}`);
                        }}
                      >
                        ${msg('Delete', { id: 'chat-composer.manage.delete' })}
                      </button>`}
              </li>`;
            })}
          </ul>`}
      <div class="picker-footer">
        <button
          class="btn"
          part="picker-new"
          type="button"
          @click=${() => {
            this.picker.form.open(undefined, {}, 'manage');
          }}
        >
          ${msg('New quick reply', { id: 'chat-composer.picker.new' })}
        </button>
      </div>
    </div>`;
  }
}
