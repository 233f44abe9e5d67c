/**
 * Styles of the shared file markup (src/internal/files.ts): file names whose stem is cut and whose
 * extension always shows (`fileNameTemplate`), the compact kind icons (`fileIcon` in
 * `.file-icon`), the sizes (`.file-meta`) and the widget's tag icons (`fileTagIcon`). Listed by
 * every element that shows files: chat-message-list, chat-composer, chat-visitor. `fileCardStyles`:
 * the layout of a file in a message (thumbnail, then a row of icon, name and size, and download),
 * shared by the transcript (chat-message-list) and the customer widget.
 */
import { css } from 'lit';

export const fileStyles = css`
  .file-icon {
    display: inline-flex;
    flex: none;
    color: var(--_muted);
  }
  .file-icon svg {
    width: 22px;
    height: 22px;
  }
  .file-name {
    display: flex;
    min-width: 0;
    font-weight: 600;
    white-space: nowrap;
  }
  .file-shown {
    display: flex;
    min-width: 0;
    /* The name is shown left to right as stored: a name's own direction cannot move the extension. */
    direction: ltr;
    unicode-bidi: isolate;
  }
  .file-stem {
    overflow: hidden;
    text-overflow: ellipsis;
    min-width: 1ch;
  }
  .file-ext {
    flex: none;
  }
  .file-meta {
    font-size: var(--_font-size-s);
    color: var(--_muted);
  }

  /* ---- tag icons (the customer widget): a page with the type's label ---- */
  .ficon {
    display: inline-flex;
    flex: none;
    color: var(--_muted);
    --_tag: #5b6472;
  }
  .ficon svg {
    width: 24px;
    height: 24px;
  }
  .ficon .page {
    fill: var(--_surface);
    stroke: currentColor;
    stroke-width: 1.4;
    stroke-linejoin: round;
  }
  .ficon .fold {
    fill: none;
    stroke: currentColor;
    stroke-width: 1.4;
    stroke-linejoin: round;
  }
  .ficon .tag {
    fill: var(--_tag);
  }
  .ficon text {
    fill: #fff;
    font: 700 6.2px/1 system-ui, sans-serif;
    letter-spacing: 0.02em;
  }
  .ficon--pdf {
    --_tag: #b42318;
  }
  .ficon--word {
    --_tag: #1d5fbf;
  }
  .ficon--excel {
    --_tag: #067647;
  }
  .ficon--image {
    color: var(--_accent);
  }
`;

/** A file in a message: the thumbnail's image fills its box; the row, and the name and size in it, may shrink. */
export const fileCardStyles = css`
  .thumb img {
    display: block;
    width: 100%;
    height: 100%;
    object-fit: contain;
  }
  .file-row {
    display: flex;
    align-items: center;
    min-width: 0;
  }
  .file-text {
    display: flex;
    flex-direction: column;
    min-width: 0;
  }
`;
