/**
 * The composer's Reply / Note choice (a labelled radio group) and the icons the composer shows.
 */
import { html, svg } from 'lit';

import { msg } from '../../i18n/localization.js';
import type { ComposerMode } from './composer-drafts.js';

export const composerIcons = {
  send: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="currentColor"><path d="M1.7 1.6a.6.6 0 0 1 .7-.1l12 6a.6.6 0 0 1 0 1l-12 6a.6.6 0 0 1-.8-.7L3 8.6h5.5a.6.6 0 0 0 0-1.2H3L1.6 2.2a.6.6 0 0 1 .1-.6Z"/></svg>`,
  info: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="currentColor"><path d="M8 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13Zm.8 10H7.2V7h1.6v4.5ZM8 6a1 1 0 1 1 0-2 1 1 0 0 1 0 2Z"/></svg>`,
  reply: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linejoin="round"><path d="M2.5 3.5h11v7h-6l-3 2.5v-2.5h-2z"/></svg>`,
  lock: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="currentColor"><path d="M4.5 7V5a3.5 3.5 0 0 1 7 0v2h.5a1 1 0 0 1 1 1v6a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1h.5Zm1.5 0h4V5a2 2 0 0 0-4 0v2Z"/></svg>`,
};

/** The Reply / Note radio group; `onChange` gets the chosen mode. */
export function renderModes(mode: ComposerMode, disabled: boolean, onChange: (mode: ComposerMode) => void) {
  const change = (event: Event) => {
    onChange((event.target as HTMLInputElement).value === 'note' ? 'note' : 'reply');
  };
  const choice = (value: ComposerMode, label: string, icon: unknown) => {
    const selected = mode === value;
    return html`<label class="mode ${selected ? 'mode--selected' : ''}" part="mode mode--${value}${selected ? ' mode--selected' : ''}">
      <input type="radio" name="mode" value=${value} .checked=${selected} ?disabled=${disabled} @change=${change} />${icon}<span>${label}</span>
    </label>`;
  };
  return html`<div class="modes" part="modes" role="radiogroup" aria-label=${msg('Message type', { id: 'chat-composer.modes' })}>
    ${choice('reply', msg('Reply', { id: 'chat-composer.mode.reply' }), composerIcons.reply)}
    ${choice('note', msg('Note', { id: 'chat-composer.mode.note' }), composerIcons.lock)}
  </div>`;
}
