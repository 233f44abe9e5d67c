/**
 * What the composer says, as plain functions of what it writes (a reply, an internal note or a
 * whisper): the text area's name and placeholder, the keyboard hint, the Send button's words, the
 * character counter and why a send failed. No state here.
 */
import { msg, str } from '../../i18n/localization.js';

/** What the composer writes now. */
export type ComposerKind = 'text' | 'note' | 'whisper';

/** The text area's accessible name: the host's `label` / `note-label` when set. */
export function fieldLabel(kind: ComposerKind, label: string, noteLabel: string): string {
  if (kind === 'whisper') return label || msg('Whisper to the agent', { id: 'chat-composer.whisper-label' });
  if (kind === 'note') return noteLabel || msg('Internal note', { id: 'chat-composer.note-label' });
  return label || msg('Message', { id: 'chat-composer.label' });
}

export function placeholder(kind: ComposerKind, agentTools: boolean): string {
  if (kind === 'whisper') return msg('Whisper to the agent — the customer does not see it…', { id: 'chat-composer.whisper-placeholder' });
  if (kind === 'note') return msg('Write an internal note — only agents see it…', { id: 'chat-composer.note-placeholder' });
  return agentTools
    ? msg('Write a reply… (/ for quick replies)', { id: 'chat-composer.placeholder-tools' })
    : msg('Write a reply…', { id: 'chat-composer.placeholder' });
}

export function hint(kind: ComposerKind): string {
  if (kind === 'whisper') return msg('Only agents see whispers. Enter to whisper, Shift+Enter for a new line', { id: 'chat-composer.whisper-hint' });
  if (kind === 'note') return msg('Only agents see notes. Enter to add, Shift+Enter for a new line', { id: 'chat-composer.note-hint' });
  return msg('Enter to send, Shift+Enter for a new line', { id: 'chat-composer.hint' });
}

export function sendLabel(kind: ComposerKind): string {
  if (kind === 'whisper') return msg('Whisper', { id: 'chat-composer.send-whisper' });
  if (kind === 'note') return msg('Add note', { id: 'chat-composer.add-note' });
  return msg('Send', { id: 'chat-composer.send' });
}

/** Characters left (`left` ≥ 0) or how far over the limit. */
export function counterText(left: number): string {
  const overBy = -left;
  return left < 0
    ? msg(str`Over the limit by ${overBy}`, { id: 'chat-composer.counter.over' })
    : msg(str`Characters left: ${left}`, { id: 'chat-composer.counter.left' });
}

/** Why a send failed (the text is kept either way). */
export function sendErrorText(code: string): string {
  return code === 'offline'
    ? msg('Not connected yet. Your text is kept; send it again when the connection is back.', { id: 'chat-composer.error.offline' })
    : msg('The message could not be sent. Your text is kept; try again.', { id: 'chat-composer.error.other' });
}
