/**
 * The dashboard's statistics: asked for (`client.dashboardStats`) when the client, the channel
 * filter or the connection changes, every 30 seconds, and after board changes at most every 2
 * seconds (a late answer to an older request is ignored); shown as cards and as a chart of chats
 * per hour with a table view. Every time is in the agent's time zone, named: "updated 09:05 CET";
 * the chart's hours are the server's day (in the tenant's zone) labelled with the agent's clock.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { html, nothing, svg } from 'lit';

import { msg, str } from '../../i18n/localization.js';
import { formatTime, formatTimeWithZone, timeZoneName } from '../../i18n/common.js';
import { formatDate, formatNumber } from '../../i18n/format.js';
import { StoreController } from '../../internal/store-controller.js';
import type { DashboardStats } from '../../protocol/index.js';
import type { ChatClient } from '../../state/create-chat-client.js';
import { agentViews } from '../../state/agent-views.js';

/** Statistics are asked for again at least this often … */
const STATS_REFRESH_MS = 30_000;
/** … and after board changes, at most this often. */
const STATS_THROTTLE_MS = 2_000;

/** Chart geometry (SVG user units). */
const CHART = { width: 360, height: 150, left: 26, right: 6, top: 10, bottom: 24 };

const HOUR = 3_600_000;

/** The tags card lists this many tags (the most used). */
const TAGS_SHOWN = 6;

/** A duration in words: "45 s", "2 min 5 s", "12 min", "1 h 5 min". Seconds only when asked and under 10 minutes. */
export function formatDuration(ms: number, seconds: boolean): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return msg(str`${h} h ${m} min`, { id: 'chat-dashboard.duration.hours-minutes' });
  if (!seconds) return m < 1 ? msg('< 1 min', { id: 'chat-dashboard.duration.under-minute' }) : msg(str`${m} min`, { id: 'chat-dashboard.duration.minutes' });
  if (m === 0) return msg(str`${s} s`, { id: 'chat-dashboard.duration.seconds' });
  if (m < 10 && s > 0) return msg(str`${m} min ${s} s`, { id: 'chat-dashboard.duration.minutes-seconds' });
  return msg(str`${m} min`, { id: 'chat-dashboard.duration.minutes' });
}

export interface DashboardStatsHost extends ReactiveControllerHost {
  readonly client?: ChatClient | undefined;
  readonly isConnected: boolean;
  live(): boolean;
  /** 'all', or the channels chosen in the filter. */
  filterSelection(): 'all' | readonly string[];
  /** The filter as a key ('*' for all), to notice a change. */
  filterKey(): string;
  /** The channels to ask for (undefined: all of mine). */
  selectedChannels(): string[] | undefined;
  filterChannels(): Set<string>;
  channelLabel(id: string): string;
  serverTime(): number;
}

export class DashboardStatsController implements ReactiveController {
  stats: DashboardStats | undefined;
  failed = false;
  private showTable = false;
  /** Any change of the board refreshes the statistics (throttled), without rendering. */
  private readonly board: StoreController<number>;
  private interval: ReturnType<typeof setInterval> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastAt = 0;
  /** Number of the newest request (older answers are ignored). */
  private request = 0;
  /** What the statistics were last asked for: client, selection and connection seen then. */
  private seen: { client?: ChatClient; selection?: string; live?: boolean } = {};

  constructor(private readonly host: DashboardStatsHost) {
    host.addController(this);
    this.board = new StoreController<number>(host, undefined, () => {
      if (this.host.isConnected && this.seen.client === this.host.client && this.seen.live === true) this.schedule();
    });
  }

  hostConnected(): void {
    this.interval = setInterval(() => {
      void this.load();
    }, STATS_REFRESH_MS);
  }

  hostDisconnected(): void {
    clearInterval(this.interval);
    clearTimeout(this.timer);
    this.interval = undefined;
    this.timer = undefined;
    this.seen = {};
  }

  /** Another client: nothing of the previous one's statistics is shown. */
  reset(): void {
    this.stats = undefined;
    this.failed = false;
  }

  /** Follows the board of the current client (from the host's willUpdate). */
  follow(): void {
    const client = this.host.client;
    this.board.use(client ? agentViews(client).boardChanges : undefined);
  }


  /** Asks for statistics when the client, the selection or the connection changed; throttled on board changes. */
  maybeLoad(): void {
    const client = this.host.client;
    if (!this.host.isConnected) return;
    const live = this.host.live();
    const selection = this.host.filterKey();
    const seen = this.seen;
    if (seen.client !== client || seen.selection !== selection || (live && !seen.live)) {
      this.seen = { client, selection, live };
      clearTimeout(this.timer);
      this.timer = undefined;
      if (seen.client !== client || seen.selection !== selection) this.stats = undefined;
      if (live) queueMicrotask(() => void this.load());
      return;
    }
    this.seen = { ...seen, live };
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    const wait = Math.max(0, this.lastAt + STATS_THROTTLE_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.load();
    }, wait);
  }

  private async load(): Promise<void> {
    const client = this.host.client;
    if (!client || !this.host.live()) return;
    this.lastAt = Date.now();
    const n = ++this.request;
    const ids = this.host.selectedChannels();
    try {
      const stats = await client.dashboardStats(ids);
      if (n !== this.request || this.host.client !== client) return;
      this.stats = stats;
      this.failed = false;
      this.host.requestUpdate();
    } catch {
      if (n !== this.request || this.host.client !== client) return;
      this.failed = true;
      this.host.requestUpdate();
    }
  }

  private card(kind: string, label: string, value: string, note?: string) {
    return html`<div part="card card--${kind}" class="card">
      <dt part="card-label" class="card-label">${label}</dt>
      <dd part="card-value" class="card-value">${value}</dd>
      ${note ? html`<dd part="card-note" class="card-note">${note}</dd>` : nothing}
    </div>`;
  }

  /** The cards (waiting, answered, missed, times) and the chart of chats per hour. */
  render() {
    const stats = this.stats;
    const none = msg('No chats yet', { id: 'chat-dashboard.card.none' });
    const avg = (ms: number | null) => (ms === null ? '—' : formatDuration(ms, true));
    const scope =
      this.host.filterSelection() === 'all'
        ? msg('All channels', { id: 'chat-dashboard.filter.all' })
        : [...this.host.filterChannels()].map((id) => this.host.channelLabel(id)).join(', ');
    let meta: string;
    if (this.failed) meta = msg('The statistics could not be updated. They refresh again automatically.', { id: 'chat-dashboard.stats.failed' });
    else if (stats) meta = msg(str`${scope} · today · updated ${formatTimeWithZone(stats.serverTime)}`, { id: 'chat-dashboard.stats.meta' });
    else meta = msg('Loading statistics…', { id: 'chat-dashboard.stats.loading' });
    const longest = stats && stats.oldestWaitingSince !== null ? Math.max(stats.longestWaitMs, this.host.serverTime() - stats.oldestWaitingSince) : 0;
    return html`<section part="stats" class="stats" aria-labelledby="stats-heading">
      <h2 part="stats-heading" class="section-heading" id="stats-heading">${msg('Statistics', { id: 'chat-dashboard.stats.heading' })}</h2>
      <p part="stats-meta" class=${this.failed ? 'stats-meta stats-meta--failed' : 'stats-meta'}>${meta}</p>
      <div class="stats-body">
      ${stats
        ? html`<dl part="cards" class="cards">
            ${this.card('waiting', msg('Waiting now', { id: 'chat-dashboard.card.waiting' }), String(stats.waiting))}
            ${this.card(
              'longest-wait',
              msg('Longest wait now', { id: 'chat-dashboard.card.longest-wait' }),
              stats.oldestWaitingSince === null ? '—' : formatDuration(longest, false),
              stats.oldestWaitingSince === null ? msg('No one is waiting', { id: 'chat-dashboard.card.nobody-waits' }) : undefined,
            )}
            ${this.card('ongoing', msg('Ongoing now', { id: 'chat-dashboard.card.ongoing' }), String(stats.ongoing))}
            ${this.card(
              'agents',
              msg('Agents online', { id: 'chat-dashboard.card.agents' }),
              String(stats.agentsOnline),
              msg(str`${stats.agentsPresent} present, ${stats.agentsAway} away`, { id: 'chat-dashboard.card.agents-note' }),
            )}
            ${this.card('completed', msg('Completed today', { id: 'chat-dashboard.card.completed' }), String(stats.completedToday))}
            ${this.card('missed', msg('Missed today', { id: 'chat-dashboard.card.missed' }), String(stats.missedToday))}
            ${this.card(
              'avg-wait',
              msg('Average wait today', { id: 'chat-dashboard.card.avg-wait' }),
              avg(stats.averageWaitMs),
              stats.averageWaitMs === null ? none : msg(str`${stats.answeredToday} answered`, { id: 'chat-dashboard.card.answered-note' }),
            )}
            ${this.card(
              'avg-duration',
              msg('Average chat length today', { id: 'chat-dashboard.card.avg-duration' }),
              avg(stats.averageDurationMs),
              stats.averageDurationMs === null ? none : undefined,
            )}
            ${this.card(
              'avg-response',
              msg('Average first response today', { id: 'chat-dashboard.card.avg-response' }),
              avg(stats.averageFirstResponseMs),
              stats.averageFirstResponseMs === null ? none : undefined,
            )}
            ${stats.ratings
              ? this.card(
                  'rating',
                  msg('Average rating today', { id: 'chat-dashboard.card.rating' }),
                  stats.ratings.average.toFixed(1),
                  msg(str`${stats.ratings.count} ratings`, { id: 'chat-dashboard.card.rating-note' }),
                )
              : nothing}
            ${stats.responseTargetsToday ? this.targetCards(stats.responseTargetsToday) : nothing}
            ${stats.tagsToday && stats.tagsToday.length > 0 ? this.tagsCard(stats.tagsToday) : nothing}
          </dl>`
        : nothing}
      ${stats ? this.chart(stats) : nothing}
      ${stats?.ratings ? this.ratings(stats.ratings) : nothing}
      </div>
    </section>`;
  }

  /**
   * The share of today's answers given within the channels' response-time targets (issue 18):
   * first answers and next answers, as a percentage with the counts.
   */
  private targetCards(targets: NonNullable<DashboardStats['responseTargetsToday']>) {
    const share = (kind: 'first-target' | 'next-target', label: string, s: { answered: number; within: number }) =>
      s.answered === 0
        ? this.card(kind, label, '—', msg('No answers with a target yet', { id: 'chat-dashboard.card.target-none' }))
        : this.card(
            kind,
            label,
            formatNumber(s.within / s.answered, { style: 'percent', maximumFractionDigits: 0 }),
            msg(str`${s.within} of ${s.answered} within target`, { id: 'chat-dashboard.card.target-note' }),
          );
    return html`${share('first-target', msg('First replies within target today', { id: 'chat-dashboard.card.first-target' }), targets.first)}
    ${share('next-target', msg('Next replies within target today', { id: 'chat-dashboard.card.next-target' }), targets.next)}`;
  }

  /**
   * Today's ended chats per wrap-up tag (issue 18), most used first: at most {@link TAGS_SHOWN},
   * then how many more. Tags are shown as text.
   */
  private tagsCard(tags: NonNullable<DashboardStats['tagsToday']>) {
    const shown = tags.slice(0, TAGS_SHOWN);
    const more = tags.length - shown.length;
    return html`<div part="card card--tags" class="card card--tags">
      <dt part="card-label" class="card-label">${msg('Chats per tag today', { id: 'chat-dashboard.card.tags' })}</dt>
      <dd part="card-tags" class="card-tags">
        <ul>
          ${shown.map((t) => html`<li part="tag-count"><span class="tag-name">${t.tag}</span> <span class="tag-number">${t.count}</span></li>`)}
          ${more > 0 ? html`<li class="tag-more">${msg(str`and ${more} more`, { id: 'chat-dashboard.card.tags-more' })}</li>` : nothing}
        </ul>
      </dd>
    </div>`;
  }

  /** Today's customer ratings per agent (who handled the chat last) and per channel. */
  private ratings(ratings: NonNullable<DashboardStats['ratings']>) {
    const agents = this.host.client?.$agents.get() ?? {};
    const table = (kind: 'agent' | 'channel', caption: string, column: string, groups: Record<string, { average: number; count: number }> | undefined, label: (id: string) => string) => {
      const rows = Object.entries(groups ?? {});
      if (rows.length === 0) return nothing;
      return html`<table part=${`ratings-table ratings-table--${kind}`} class="chart-table ratings-table">
        <caption>${caption}</caption>
        <thead>
          <tr>
            <th scope="col">${column}</th>
            <th scope="col">${msg('Average', { id: 'chat-dashboard.ratings.col.average' })}</th>
            <th scope="col">${msg('Ratings', { id: 'chat-dashboard.ratings.col.count' })}</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            ([id, g]) => html`<tr>
              <th scope="row">${label(id)}</th>
              <td>${g.average.toFixed(1)}</td>
              <td>${g.count}</td>
            </tr>`,
          )}
        </tbody>
      </table>`;
    };
    return html`<div part="ratings" class="ratings">
      ${table('agent', msg('Ratings today by agent', { id: 'chat-dashboard.ratings.by-agent' }), msg('Agent', { id: 'chat-dashboard.ratings.col.agent' }), ratings.perAgent, (id) => agents[id]?.name ?? id)}
      ${table('channel', msg('Ratings today by channel', { id: 'chat-dashboard.ratings.by-channel' }), msg('Channel', { id: 'chat-dashboard.ratings.col.channel' }), ratings.perChannel, (id) => this.host.channelLabel(id))}
    </div>`;
  }

  /** The start of hour `h` of the statistics' day, on the agent's clock (`09:00`; `14:30` across a half-hour offset). */
  private hourLabel(stats: DashboardStats, h: number): string {
    return formatTime(stats.dayStart + h * HOUR);
  }

  private chartSummary(stats: DashboardStats): string {
    const perHour = stats.chatsPerHour;
    const hourLabel = (h: number) => this.hourLabel(stats, h);
    const total = perHour.reduce((a, b) => a + b, 0);
    if (total === 0) return msg('Chats per hour today: no chats yet.', { id: 'chat-dashboard.chart.summary-empty' });
    const max = Math.max(...perHour);
    const busiest = perHour.indexOf(max);
    return msg(str`Chats per hour today: ${total} in total. The busiest hour is ${hourLabel(busiest)}–${hourLabel(busiest + 1)} with ${max}.`, {
      id: 'chat-dashboard.chart.summary',
    });
  }

  private chart(stats: DashboardStats) {
    const perHour = stats.chatsPerHour;
    const max = Math.max(1, ...perHour);
    const top = max <= 5 ? max : Math.ceil(max / 5) * 5;
    const plotW = CHART.width - CHART.left - CHART.right;
    const plotH = CHART.height - CHART.top - CHART.bottom;
    const slot = plotW / 24;
    const barW = slot * 0.7;
    const y = (n: number) => CHART.top + plotH - (n / top) * plotH;
    const grid = top % 2 === 0 ? [0, top / 2, top] : [0, top];
    const summary = this.chartSummary(stats);
    const hourLabel = (h: number) => this.hourLabel(stats, h);
    const zone = timeZoneName(stats.dayStart);
    return html`<div part="chart-section" class="chart-section">
      <div class="chart-head">
        <h3 class="chart-heading" id="chart-heading">
          ${msg('Chats per hour today', { id: 'chat-dashboard.chart.heading' })}
          <span class="chart-zone">${msg(str`(hours in ${zone} time)`, { id: 'chat-dashboard.chart.zone' })}</span>
        </h3>
        <button
          part="chart-toggle"
          class="btn btn--quiet chart-toggle"
          type="button"
          aria-expanded=${this.showTable ? 'true' : 'false'}
          aria-controls="chart-table"
          @click=${() => {
            this.showTable = !this.showTable;
              this.host.requestUpdate();
          }}
        >
          ${this.showTable ? msg('Hide table', { id: 'chat-dashboard.chart.hide-table' }) : msg('Show as table', { id: 'chat-dashboard.chart.show-table' })}
        </button>
      </div>
      <svg part="chart" class="chart" role="img" aria-label=${summary} viewBox="0 0 ${CHART.width} ${CHART.height}" preserveAspectRatio="xMidYMid meet">
        ${grid.map(
          (n) => svg`<line class="grid" x1=${CHART.left} x2=${CHART.width - CHART.right} y1=${y(n)} y2=${y(n)}></line>
            <text class="axis" x=${CHART.left - 6} y=${y(n) + 4} text-anchor="end">${n}</text>`,
        )}
        ${perHour.map((n, h) => {
          const height = (n / top) * plotH;
          return svg`<rect part="chart-bar" class="bar" x=${CHART.left + h * slot + (slot - barW) / 2} y=${y(n)} width=${barW} height=${height}></rect>
            ${h % 3 === 0 ? svg`<text class="axis" x=${CHART.left + h * slot + slot / 2} y=${CHART.height - 7} text-anchor="middle">${formatDate(stats.dayStart + h * HOUR, { hour: 'numeric' })}</text>` : nothing}`;
        })}
      </svg>
      <table part="chart-table" class="chart-table" id="chart-table" ?hidden=${!this.showTable}>
        <caption>${msg('Chats per hour today', { id: 'chat-dashboard.chart.heading' })}</caption>
        <thead>
          <tr>
            <th scope="col">${msg('Hour', { id: 'chat-dashboard.chart.col.hour' })}</th>
            <th scope="col">${msg('Chats', { id: 'chat-dashboard.chart.col.chats' })}</th>
          </tr>
        </thead>
        <tbody>
          ${perHour.map(
            (n, h) => html`<tr>
              <th scope="row">${hourLabel(h)}–${hourLabel(h + 1)}</th>
              <td>${n}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }
}
