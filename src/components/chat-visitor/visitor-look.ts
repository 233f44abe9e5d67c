/**
 * A channel's look on the customer widget: its colour (with a readable text colour), font and
 * theme, set by the channel's managers (chat-channel-settings) and applied to the widget's base
 * after every update (also before the panel first opens: the launcher wears the colour), and
 * again when the customer's system switches between light and dark while the theme is `auto`.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

import type { WidgetLook } from '../../protocol/channel-settings.js';
import { DEFAULT_LOOK_COLOUR } from '../../protocol/journey.js';

/** The customer's system prefers dark colours (the `auto` theme follows it). */
const DARK = '(prefers-color-scheme: dark)';

/** The fonts a channel may pick (`system`: the page's). */
const FONTS: Record<WidgetLook['font'], string | undefined> = {
  system: undefined,
  sans: "'Helvetica Neue', Arial, 'Liberation Sans', sans-serif",
  serif: "Georgia, 'Times New Roman', serif",
  rounded: "ui-rounded, 'SF Pro Rounded', Nunito, 'Arial Rounded MT Bold', system-ui, sans-serif",
  mono: "ui-monospace, Menlo, Consolas, 'Liberation Mono', monospace",
};

/** White or near-black, whichever reads better on `hex` (WCAG contrast). */
function onColour(hex: string): string {
  const lin = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const l = 0.2126 * lin(1) + 0.7152 * lin(3) + 0.0722 * lin(5);
  // Contrast with white (1.05 / (l + 0.05)) against contrast with #0b1220 (luminance about 0.006).
  return 1.05 / (l + 0.05) >= (l + 0.05) / 0.056 ? '#ffffff' : '#0b1220';
}

function setOrRemove(el: HTMLElement, name: string, value: string | undefined): void {
  if (value === undefined) el.style.removeProperty(name);
  else el.style.setProperty(name, value);
}

/**
 * Applies a channel's look to the widget's base: a colour and a font other than the defaults
 * (the defaults leave the page's theming alone), and the theme (`dark`, or `auto`: the
 * customer's system setting) as `data-look-theme` (styles in chat-visitor.styles.ts). Set
 * through the CSSOM, so strict CSP pages allow it.
 */
export function applyLook(base: Element | null, look: WidgetLook | undefined): void {
  if (!(base instanceof HTMLElement)) return;
  const colour = look && look.colour.toLowerCase() !== DEFAULT_LOOK_COLOUR ? look.colour : undefined;
  const font = look ? FONTS[look.font] : undefined;
  setOrRemove(base, '--chat-color-accent', colour);
  setOrRemove(base, '--chat-color-on-accent', colour && onColour(colour));
  setOrRemove(base, '--chat-focus-ring-color', colour);
  setOrRemove(base, '--chat-font-family', font);
  const dark = look?.theme === 'dark' || (look?.theme === 'auto' && matchMedia(DARK).matches);
  if (dark) base.dataset.lookTheme = 'dark';
  else delete base.dataset.lookTheme;
}


/** Applies the look after each update of the widget, and live when the system's colour scheme changes. */
export class VisitorLook implements ReactiveController {
  private query: MediaQueryList | undefined;

  constructor(
    host: ReactiveControllerHost,
    private readonly base: () => Element | null,
    private readonly look: () => WidgetLook | undefined,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.query = matchMedia(DARK);
    this.query.addEventListener('change', this.apply);
  }

  hostDisconnected(): void {
    this.query?.removeEventListener('change', this.apply);
    this.query = undefined;
  }

  hostUpdated(): void {
    this.apply();
  }

  private readonly apply = (): void => {
    applyLook(this.base(), this.look());
  };
}
