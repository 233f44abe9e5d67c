import { css } from 'lit';

/** Styles of the widget's files (visitor-files.ts); adopted when that module loads. */
export const filesStyles = css`
  .panel {
    position: relative;
  }

  /* ---- composer: attach button, uploads, refusals, chips ---- */
  .attach {
    width: 42px;
    height: 42px;
    color: var(--_muted);
  }
  .attach:hover {
    background: var(--_surface-alt);
    color: var(--_text);
  }
  .attach svg {
    width: 22px;
    height: 22px;
  }
  .tray {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    flex-basis: 100%;
    order: -1;
    max-height: 40%;
    max-height: min(168px, 30vh);
    margin: 0;
    padding: 0;
    overflow-y: auto;
    list-style: none;
  }
  .chip,
  .upload,
  .refused {
    display: flex;
    align-items: center;
    gap: 8px;
    min-width: 0;
    max-width: 100%;
    border-radius: 8px;
    font-size: var(--_font-size-s);
  }
  .chip {
    padding: 3px 3px 3px 8px;
    border: 1px solid var(--_border);
    background: var(--_surface-alt);
  }
  .upload,
  .refused {
    flex-basis: 100%;
    padding: 6px 6px 6px 8px;
    border: 1px solid var(--_border);
  }
  .refused {
    align-items: flex-start;
    border-color: var(--_danger);
    background: var(--_danger-soft);
    color: var(--_danger);
  }
  .refused > svg {
    width: 16px;
    height: 16px;
    margin-top: 2px;
  }
  .refused-text {
    display: flex;
    flex: 1;
    flex-direction: column;
    min-width: 0;
  }
  .refused .file-name {
    color: var(--_text);
    font-weight: 600;
  }
  .refused-reason {
    color: var(--_danger);
    font-weight: 500;
  }
  .upload-main {
    display: flex;
    flex: 1;
    flex-direction: column;
    gap: 3px;
    min-width: 0;
  }
  .upload-bar {
    display: flex;
    align-items: center;
    gap: 8px;
  }
  .upload progress {
    flex: 1;
    height: 6px;
    border: 0;
    border-radius: 3px;
    background: var(--_border);
    color: var(--_accent);
    accent-color: var(--_accent);
    appearance: none;
  }
  .upload progress::-webkit-progress-bar {
    border-radius: 3px;
    background: var(--_border);
  }
  .upload progress::-webkit-progress-value {
    border-radius: 3px;
    background: var(--_accent);
  }
  .upload progress::-moz-progress-bar {
    border-radius: 3px;
    background: var(--_accent);
  }
  .upload-pct {
    min-width: 4ch;
    color: var(--_muted);
    font-variant-numeric: tabular-nums;
    text-align: end;
  }
  .chip-btn {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    flex: none;
    width: 28px;
    height: 28px;
    padding: 0;
    border: 0;
    border-radius: 6px;
    background: transparent;
    color: inherit;
    cursor: pointer;
  }
  .chip-btn:hover {
    background: rgb(0 0 0 / 0.08);
  }
  .chip-btn svg {
    width: 14px;
    height: 14px;
  }
  .fsize {
    flex: none;
    color: var(--_muted);
    white-space: nowrap;
  }

  /* ---- files of a message ---- */
  .files {
    display: flex;
    flex-direction: column;
    gap: 4px;
    width: 260px;
    max-width: 100%;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .msg .bubble + .files {
    margin-top: 4px;
  }
  .file {
    display: flex;
    flex-direction: column;
    overflow: hidden;
    border: 1px solid var(--_border);
    border-radius: 8px;
    background: var(--_surface);
    color: var(--_text);
  }
  .msg--pending .file {
    border-style: dashed;
    border-color: var(--_accent);
  }
  .msg--failed .file {
    border-color: var(--_danger);
  }
  .thumb {
    display: block;
    width: 100%;
    height: 160px;
    border-bottom: 1px solid var(--_border);
    background: var(--_surface-alt);
  }
  .file-row {
    gap: 8px;
    padding: 6px 4px 6px 8px;
  }
  .file-text {
    flex: 1;
  }
  .file-text .file-name {
    font-weight: 500;
  }
  .file-text .fsize {
    font-size: 0.75rem;
  }
  .download {
    border: 1px solid var(--_border);
    background: var(--_surface);
    color: var(--_accent);
  }
  .download:hover {
    background: var(--_accent-soft);
  }
  .download svg {
    width: 18px;
    height: 18px;
  }
  .file-error {
    display: flex;
    align-items: center;
    gap: 4px;
    padding: 0 8px 6px;
    color: var(--_danger);
    font-size: 0.75rem;
  }
  .file-error svg {
    width: 12px;
    height: 12px;
  }

  /* ---- drop zone ---- */
  .drop-zone {
    position: absolute;
    inset: 0;
    z-index: 2;
    display: flex;
    align-items: center;
    justify-content: center;
    padding: 16px;
    border-radius: inherit;
    background: rgb(255 255 255 / 0.9);
    pointer-events: none;
  }
  .drop-zone p {
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: 10px;
    width: 100%;
    height: 100%;
    margin: 0;
    border: 2px dashed var(--_accent);
    border-radius: 12px;
    background: var(--_accent-soft);
    color: var(--_accent);
    font-size: var(--_font-size-l);
    font-weight: 600;
    text-align: center;
  }
  .drop-zone svg {
    width: 36px;
    height: 36px;
  }
`;
