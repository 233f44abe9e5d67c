import { css } from 'lit';

/**
 * A small rounded label beside a name (`class="pill …"`): the identity badge, a chat's priority
 * and its response timer. Each adds its own colours.
 */
export const pillStyles = css`
  .pill {
    display: inline-flex;
    flex: none;
    align-items: center;
    gap: 3px;
    padding: 0 6px;
    border-radius: 999px;
    font-size: 0.75rem;
    font-weight: 600;
    line-height: 1.5;
    white-space: nowrap;
    vertical-align: middle;
  }
`;
