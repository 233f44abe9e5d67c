/**
 * The Insert picker's keyboard: the combobox keys (↑ ↓ Home End move, Enter inserts) on the search
 * field or, while "/" searches, on the composer's text area (Tab then moves into the picker's tabs,
 * Escape closes and keeps the text); Escape anywhere in the panel: out of the form or the
 * manage view, else close. The kind tabs' keys are the shared tab list's (src/internal/tab-list.ts).
 */
import { comboboxMove } from '../../internal/composer-popover.js';
import type { ReplyPicker } from './reply-picker.js';

export class PickerKeys {
  constructor(private readonly picker: ReplyPicker) {}

  /**
   * Keys in the text area while "/" searches. Returns true when the key was used.
   */
  inputKey(event: KeyboardEvent): boolean {
    const p = this.picker;
    if (!p.open || p.mode !== 'slash' || p.view !== 'browse') return false;
    if (event.key === 'Tab' && !event.shiftKey) {
      event.preventDefault();
      p.mode = 'button';
      p.moveFocus(`picker-tab-${p.kind}`);
      return true;
    }
    if (event.key === 'Escape') {
      event.preventDefault();
      p.close('input');
      return true;
    }
    return this.listKey(event);
  }

  /** ↑ ↓ Home End Enter on the combobox (search field or, for "/", the text area). */
  private listKey(event: KeyboardEvent): boolean {
    const p = this.picker;
    if (event.key === 'Enter') {
      if (event.shiftKey || event.isComposing) return false;
      event.preventDefault();
      p.insert(p.activeReply());
      return true;
    }
    const next = comboboxMove(event.key, p.active, p.filtered().length);
    if (next === undefined) return false;
    event.preventDefault();
    p.active = next;
    p.update();
    return true;
  }

  /** Keys on the search field and the list: Escape closes, the rest are the combobox's. */
  readonly onSearchKeydown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      this.picker.close(true);
      return;
    }
    this.listKey(event);
  };

  /** Escape anywhere in the panel: out of the form or the manage view, else close. */
  readonly onPanelKeydown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    event.preventDefault();
    const p = this.picker;
    if (p.view === 'form') p.form.leave(false);
    else if (p.view === 'manage') p.manage.escape();
    else p.close(true);
  };
}
