/**
 * The long groups of chat-session-list rendered as a window: each group's row container is as tall
 * as all its rows, and only the rows in and near the listbox's visible part are in the DOM, each
 * placed at its offset (`translateY`). Row heights are known ahead: measured once per session (and
 * for a session not seen yet, the height of the last measured row of its shape: lines shown,
 * badge), so a board update that moves rows or changes their text re-renders those rows and moves
 * the others, with no measuring pass over the rows and no scroll correction (issue 15 item 2:
 * @lit-labs/virtualizer measured every row and read the layout several times in each frame while
 * 200 board updates a second arrived).
 *
 * Geometry is read only where the layout is clean or is about to be laid out anyway: the scroll
 * position, the listbox's height and the containers' offsets before a render (a render runs at the
 * start of a frame or in a scroll event), and the height of rows never measured right after the
 * render that added them (the layout that the frame would do next). A ResizeObserver on the shown
 * rows catches later changes of a row's height (a narrower list wraps a line, fonts load) and
 * renders again in the next frame.
 */
import type { ReactiveController, ReactiveControllerHost, TemplateResult } from 'lit';
import { html } from 'lit';
import { repeat } from 'lit/directives/repeat.js';

import type { SessionSummary } from '../../protocol/model.js';

/**
 * Rows kept in the DOM beyond each edge of the visible part, in pixels: about 22 rows in all for
 * an 800 px list, as the virtualizer kept (the benchmark reads the rows just below the visible part).
 */
const OVERSCAN_PX = 800;
/** Height assumed for a row before any row of its shape has been measured. */
const ROW_ESTIMATE_PX = 64;
/** Offset assumed for a container before it has been laid out (its group's heading above it). */
const HEADING_ESTIMATE_PX = 32;

interface Viewport {
  scrollTop: number;
  height: number;
}

/** One group's rows: their tops (prefix sums of their heights) for one items array. */
interface Placement {
  items: readonly SessionSummary[];
  version: number;
  /** `tops[i]` is row i's offset in the container; `tops[n]` the container's height. */
  tops: Float64Array;
}

export interface RowWindowHost extends ReactiveControllerHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
}

export class RowWindows implements ReactiveController {
  /** Measured border-box height of a session's row, with the shape it was measured in. */
  private readonly heights = new Map<string, { shape: string; height: number }>();
  /** Height of the last measured row of each shape. */
  private readonly shapeHeights = new Map<string, number>();
  /** Each summary's shape, and its height as of a version of the heights. */
  private rows = new WeakMap<SessionSummary, { shape: string; version: number; height: number }>();
  /** Changes whenever a height is learned: placements made before are out of date. */
  private version = 0;
  private readonly placements = new Map<string, Placement>();
  /** Each container's offset in the listbox's scrolled content, as last read. */
  private readonly containerTops = new Map<string, number>();
  private viewport: Viewport | undefined;
  /** Rows observed for later size changes. */
  private readonly observed = new Set<Element>();
  private observer: ResizeObserver | undefined;
  private frame = 0;

  constructor(
    private readonly host: RowWindowHost,
    private readonly listbox: () => HTMLElement | null,
    /** A session's shape: the rows of one shape have one height. */
    private readonly shapeOf: (s: SessionSummary) => string,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.observer ??= new ResizeObserver((entries) => {
      let changed = false;
      for (const entry of entries) {
        const row = entry.target as HTMLElement;
        const height = entry.borderBoxSize[0]?.blockSize;
        if (row.isConnected && height !== undefined && height > 0) changed = this.learn(row, height) || changed;
      }
      // The next frame renders with the new heights: rendering here, inside the browser's
      // observation loop, would leave the new rows' observations undelivered.
      if (changed && this.frame === 0) {
        this.frame = requestAnimationFrame(() => {
          this.frame = 0;
          this.host.requestUpdate();
        });
      }
    });
  }

  hostDisconnected(): void {
    this.observer?.disconnect();
    this.observer = undefined;
    this.observed.clear();
    cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  /** The shapes worked out so far no longer hold (who I am changed: transfers read differently). */
  forgetShapes(): void {
    this.rows = new WeakMap();
    this.version += 1;
  }

  /** Before a render: where the listbox is scrolled, its height and where each container starts. */
  hostUpdate(): void {
    this.readGeometry();
  }

  /** After a render: measures the rows never measured, observes the new ones, lets go of the gone ones. */
  hostUpdated(): void {
    const containers = this.host.renderRoot.querySelectorAll<HTMLElement>('.rows--virtual');
    let changed = false;
    for (const container of containers) {
      for (const row of container.children) {
        if (!(row instanceof HTMLElement) || this.observed.has(row)) continue;
        this.observed.add(row);
        this.observer?.observe(row);
        const id = row.dataset.id;
        const known = id !== undefined ? this.heights.get(id) : undefined;
        if (known === undefined || known.shape !== row.dataset.shape) changed = this.learn(row, row.getBoundingClientRect().height) || changed;
      }
    }
    for (const row of this.observed) {
      if (!row.isConnected) {
        this.observed.delete(row);
        this.observer?.unobserve(row);
      }
    }
    // Rows of a height not known before, or a container laid out for the first time: render again
    // with what is now known (before this frame is painted).
    const before = new Map(this.containerTops);
    if (changed || containers.length !== before.size) {
      this.readGeometry();
      const moved = [...this.containerTops].some(([key, top]) => Math.abs((before.get(key) ?? -Infinity) - top) >= 1);
      if (changed || moved) this.host.requestUpdate();
    }
  }

  /** Keeps a row's height; true when it was not known so. */
  private learn(row: HTMLElement, height: number): boolean {
    const id = row.dataset.id;
    const shape = row.dataset.shape ?? '';
    if (id === undefined || height <= 0) return false;
    this.shapeHeights.set(shape, height);
    const known = this.heights.get(id);
    if (known?.shape === shape && known.height === height) return false;
    this.heights.set(id, { shape, height });
    this.version += 1;
    return true;
  }

  private readGeometry(): void {
    const listbox = this.listbox();
    if (!listbox) {
      this.viewport = undefined;
      return;
    }
    this.viewport = { scrollTop: listbox.scrollTop, height: listbox.clientHeight };
    this.containerTops.clear();
    const containers = this.host.renderRoot.querySelectorAll<HTMLElement>('.rows--virtual');
    if (containers.length === 0) return;
    const origin = listbox.getBoundingClientRect().top + listbox.clientTop - listbox.scrollTop;
    for (const container of containers) {
      const key = container.dataset.group;
      if (key !== undefined) this.containerTops.set(key, container.getBoundingClientRect().top - origin);
    }
  }

  private heightOf(s: SessionSummary): number {
    // Summaries are immutable: a row's shape and height are worked out once per version of the heights.
    let row = this.rows.get(s);
    if (row?.version === this.version) return row.height;
    const shape = row?.shape ?? this.shapeOf(s);
    const known = this.heights.get(s.id);
    const height = known?.shape === shape ? known.height : (this.shapeHeights.get(shape) ?? this.shapeHeights.values().next().value ?? ROW_ESTIMATE_PX);
    row = { shape, version: this.version, height };
    this.rows.set(s, row);
    return height;
  }

  private placement(key: string, items: readonly SessionSummary[]): Placement {
    const last = this.placements.get(key);
    if (last?.items === items && last.version === this.version) return last;
    const tops = new Float64Array(items.length + 1);
    items.forEach((s, i) => {
      tops[i + 1] = (tops[i] ?? 0) + this.heightOf(s);
    });
    const placement = { items, version: this.version, tops };
    this.placements.set(key, placement);
    return placement;
  }

  /**
   * Where row `index` of group `key` is in the listbox's scrolled content (top and height), or
   * undefined when its container has not been laid out yet.
   */
  rowBox(key: string, items: readonly SessionSummary[], index: number): { top: number; height: number } | undefined {
    const containerTop = this.containerTops.get(key);
    if (containerTop === undefined || index < 0 || index >= items.length) return undefined;
    const { tops } = this.placement(key, items);
    const top = tops[index] ?? 0;
    return { top: containerTop + top, height: (tops[index + 1] ?? top) - top };
  }

  /**
   * A long group's rows: the container (sized to every row) with the rows near the visible part,
   * `renderRow` giving each row with its place.
   */
  render(
    key: string,
    items: readonly SessionSummary[],
    renderRow: (s: SessionSummary, index: number, place: string) => TemplateResult,
    before: number,
  ): TemplateResult {
    const { tops } = this.placement(key, items);
    const total = tops[items.length] ?? 0;
    const viewport = this.viewport ?? { scrollTop: 0, height: 0 };
    // A container not laid out yet is taken to follow the groups before it.
    const containerTop = this.containerTops.get(key) ?? before + HEADING_ESTIMATE_PX;
    const from = viewport.scrollTop - containerTop - OVERSCAN_PX;
    const to = viewport.scrollTop - containerTop + Math.max(viewport.height, 1) + OVERSCAN_PX;
    const first = Math.max(0, firstAfter(tops, from) - 1);
    let end = first;
    while (end < items.length && (tops[end] ?? 0) < to) end += 1;
    const shown = items.slice(first, end);
    return html`<div class="rows rows--virtual" data-group=${key} style=${`height:${String(total)}px`}>
      ${repeat(
        shown,
        (s) => s.id,
        (s, i) => renderRow(s, first + i, `transform:translateY(${String(tops[first + i] ?? 0)}px)`),
      )}
    </div>`;
  }

  /** The height of a group's container as placed now (for estimating where the next one starts). */
  heightOfGroup(key: string, items: readonly SessionSummary[]): number {
    return this.placement(key, items).tops[items.length] ?? 0;
  }
}

/** The first index i with tops[i] > y (binary search; tops ascending). */
function firstAfter(tops: Float64Array, y: number): number {
  let lo = 0;
  let hi = tops.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((tops[mid] ?? 0) > y) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
