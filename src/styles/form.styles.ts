/**
 * Form fields of the dialogs and forms inside the elements (Create request, the quick-reply form):
 * a `.field` holds a label, its control and, below it, a `.field-hint` and a `.field-error`
 * (invalid controls say `aria-invalid="true"` and get a thick danger border); `.field-row` puts
 * two fields side by side (stacked in narrow spaces); `.field--check` is a checkbox with its label
 * and hint; `.field-error--general` is an error of the whole form.
 */
import { css } from 'lit';

export const formStyles = css`
  .field {
    display: flex;
    flex-direction: column;
    gap: 2px;
    min-width: 0;
  }
  .field label {
    font-weight: 600;
  }
  .field input[type='text'],
  .field select,
  .field textarea {
    min-height: 32px;
    padding: 4px 8px;
    border: 1px solid var(--_border);
    border-radius: var(--_radius-s);
    font: inherit;
    color: inherit;
    background: var(--_surface);
  }
  .field [aria-invalid='true']:not([type='checkbox']) {
    border: 2px solid var(--_danger);
  }
  .field-row {
    display: grid;
    grid-template-columns: 1fr 1fr;
    gap: var(--_space-m);
  }
  .field--check {
    display: grid;
    grid-template-columns: auto 1fr;
    align-items: center;
    gap: 2px var(--_space-s);
  }
  .field--check input {
    width: 18px;
    height: 18px;
    margin: 3px;
  }
  /* The label is the checkbox's pointer target: at least 24 px high (WCAG 2.5.8). */
  .field--check label {
    display: flex;
    align-items: center;
    min-height: 24px;
  }
  .field--check .field-hint,
  .field--check .field-error {
    grid-column: 2;
  }
  .field-hint {
    margin: 0;
    font-size: var(--_font-size-s);
    color: var(--_muted);
  }
  .field-error {
    margin: 2px 0 0;
    color: var(--_danger);
    font-size: var(--_font-size-s);
    font-weight: 600;
  }
  .field-error--general {
    padding: var(--_space-s);
    border: 1px solid var(--_danger);
    border-radius: var(--_radius-s);
  }
  @media (max-width: 560px) {
    .field-row {
      grid-template-columns: 1fr;
    }
  }
`;
