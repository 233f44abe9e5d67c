/**
 * The wrap-up section of chat-channel-settings (issue 18): whether agents write a closing comment
 * when they end a chat (off, optional, required), the tags they choose from (one per line; none:
 * any tag), and whether at least one tag is required. The server checks every value
 * (`WrapUpSettings` in src/protocol/channel-settings.ts) and names refused ones by path; the
 * console's End chat dialog asks for what is set here.
 */
import { html } from 'lit';

import { msg, str } from '../../i18n/localization.js';
import type { WrapUpSettings } from '../../protocol/channel-settings.js';
import { MAX_CHANNEL_TAGS, MAX_TAG } from '../../protocol/limits.js';
import type { Draft, Editor } from './settings-sections.js';
import { check } from './settings-sections.js';

type CommentMode = WrapUpSettings['comment'];
const COMMENT_MODES: readonly CommentMode[] = ['off', 'optional', 'required'];

function commentLabel(mode: CommentMode): string {
  switch (mode) {
    case 'off':
      return msg('Not asked for', { id: 'chat-channel-settings.wrapup.comment-off' });
    case 'optional':
      return msg('Optional', { id: 'chat-channel-settings.wrapup.comment-optional' });
    case 'required':
      return msg('Required', { id: 'chat-channel-settings.wrapup.comment-required' });
  }
}

/** Tags as typed: one per line, trimmed, without empty lines (duplicates are left for the server to name). */
export function tagLines(text: string): string[] {
  return text
    .split('\n')
    .map((t) => t.trim())
    .filter((t) => t !== '');
}

export function renderWrapUp(ed: Editor, d: Draft) {
  const w = d.settings.wrapUp;
  return html`<fieldset data-path="settings.wrapUp" tabindex="-1" aria-invalid=${ed.invalid('settings.wrapUp')}>
    <legend>${ed.label('settings.wrapUp', msg('Closing a chat', { id: 'chat-channel-settings.wrapup.section' }))}</legend>
    <div class="grid">
      <label class="field"
        >${ed.label('settings.wrapUp.comment', msg('Closing comment', { id: 'chat-channel-settings.wrapup.comment' }))}
        <select
          data-path="settings.wrapUp.comment"
          aria-invalid=${ed.invalid('settings.wrapUp.comment')}
          @change=${(e: Event) => {
            ed.edit((x) => (x.settings.wrapUp.comment = (e.target as HTMLSelectElement).value as CommentMode));
          }}
        >
          ${COMMENT_MODES.map((m) => html`<option value=${m} ?selected=${w.comment === m}>${commentLabel(m)}</option>`)}
        </select>
      </label>
    </div>
    <label class="field"
      >${ed.label('settings.wrapUp.tags', msg(str`Tags agents choose from (one per line, at most ${MAX_CHANNEL_TAGS} of ${MAX_TAG} characters; none: any tag)`, { id: 'chat-channel-settings.wrapup.tags' }))}
      <textarea
        data-path="settings.wrapUp.tags"
        rows="4"
        aria-invalid=${ed.invalid('settings.wrapUp.tags')}
        .value=${w.tags.join('\n')}
        @change=${(e: Event) => {
          ed.edit((x) => (x.settings.wrapUp.tags = tagLines((e.target as HTMLTextAreaElement).value)));
        }}
      ></textarea>
    </label>
    ${check(ed, msg('At least one tag is required', { id: 'chat-channel-settings.wrapup.tags-required' }), w.tagsRequired, (x, on) => (x.settings.wrapUp.tagsRequired = on))}
    <p class="hint">
      ${msg('Agents are asked for these when they end a chat they answered. They can also close spam without notifying the customer.', { id: 'chat-channel-settings.wrapup.hint' })}
    </p>
  </fieldset>`;
}
