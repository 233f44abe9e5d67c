/**
 * Styles of the journey's forms (FAQ suggestions, offline form, opening hours, after the chat).
 * They load with visitor-journey.ts, not with the widget's first bundle, and are added to the
 * widget's shadow root when the journey starts (they use the widget's private tokens).
 */
import { css } from 'lit';

export const journeyStyles = css`
  .faq-title,
  .offline-title {
    margin: 0;
    font-size: var(--_font-size-l);
  }
  .faq-list {
    margin: 0;
    padding-inline-start: 18px;
    display: grid;
    gap: 8px;
  }
  .offline {
    padding: var(--_space-l);
    overflow-y: auto;
  }
  .offline .form {
    padding: 0;
  }
  /* The consent box is one option in a column: its own height, not the topics' flex basis. */
  .consent .option {
    flex: none;
  }
  /* The topics and the offline form scroll together (one scroll container, not two halves). */
  .offline-view > .form {
    flex: none;
    min-height: auto;
    overflow: visible;
    padding: 0;
  }
  .opens {
    margin: 4px 0;
    font-weight: 600;
  }
  .hours ul {
    margin: 4px 0 8px;
    padding-inline-start: 18px;
    font-size: var(--_font-size-s);
  }
  .after {
    display: grid;
    gap: 10px;
    margin-bottom: 12px;
    text-align: start;
  }
  .stars {
    border: 0;
    padding: 0;
    margin: 0;
    display: flex;
    gap: 2px;
  }
  .stars .label {
    width: 100%;
  }
  .star {
    font-size: 1.6rem;
    line-height: 1;
    cursor: pointer;
    color: var(--_accent);
  }
  .star input {
    position: absolute;
    opacity: 0;
  }
  .star:has(input:focus-visible) {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }
  .after .row {
    display: flex;
    gap: 8px;
  }
  .after .row .control {
    flex: 1;
  }
  .after-done {
    margin: 0;
    color: var(--_success);
  }
  .bot-log {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 8px;
  }
  .bot-turn {
    display: grid;
    gap: 2px;
    max-width: 85%;
  }
  .bot-turn--customer {
    justify-self: end;
    text-align: end;
  }
  .bot-who {
    color: var(--_muted);
    font-size: 0.75rem;
    font-weight: 600;
  }
  .bot-turn .bubble {
    margin: 0;
    padding: 8px 12px;
    border-radius: 14px;
    background: var(--chat-visitor-agent-bubble, var(--_surface-alt));
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    text-align: start;
  }
  .bot-turn--customer .bubble {
    background: var(--chat-visitor-customer-bubble, var(--_accent));
    color: var(--chat-visitor-customer-bubble-color, var(--_on-accent));
  }
  .bot-ask .row {
    display: flex;
    gap: 8px;
  }
  .bot-ask .row .control {
    flex: 1;
  }
`;
