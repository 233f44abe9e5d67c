/**
 * The three dots of "… is typing" (the agent's conversation and the customer widget): each
 * element sets their size, colour and faintest opacity through private properties on `.dots`
 * (`--_dot-size`, `--_dot-color`, `--_dot-dim`). The animation stops for reduced motion
 * (hostStyles).
 */
import { css } from 'lit';

export const typingDotsStyles = css`
  .dots {
    display: inline-flex;
    gap: 3px;
  }
  .dots span {
    width: var(--_dot-size, 4px);
    height: var(--_dot-size, 4px);
    border-radius: 50%;
    background: var(--_dot-color, currentColor);
    animation: blink 1.2s infinite ease-in-out;
  }
  .dots span:nth-child(2) {
    animation-delay: 0.2s;
  }
  .dots span:nth-child(3) {
    animation-delay: 0.4s;
  }
  @keyframes blink {
    0%,
    80%,
    100% {
      opacity: var(--_dot-dim, 0.25);
    }
    40% {
      opacity: 1;
    }
  }
`;
