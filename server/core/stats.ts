/**
 * Dashboard statistics of one tenant, computed from what the server stored: the sessions and
 * their system events (`queued`, `joined`) and messages, on the room's clock. Never from a
 * client's clock. Definitions: docs/dashboard.md.
 *
 * "Today" is the tenant's calendar day in its IANA time zone (`tenants.time_zone`): from local
 * midnight to the next local midnight, found with `Intl.DateTimeFormat`, so days with a daylight
 * saving change last 23 or 25 hours and the hour buckets follow the wall clock.
 */
import type { AgentStatus, DashboardStats } from '../../src/protocol/index.js';
import type { SqlPort, SqlValue } from './sql.js';

const HOUR_MS = 3_600_000;

// ---- time zone helpers ------------------------------------------------------------------------

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when `timeZone` is an IANA zone this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Wall-clock date and time of an instant in a time zone. */
export function localParts(at: number, timeZone: string): LocalParts {
  const out: LocalParts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const p of formatter(timeZone).formatToParts(at)) {
    if (p.type in out) out[p.type as keyof LocalParts] = Number(p.value);
  }
  // Some engines print midnight as 24 even with h23; normalise.
  if (out.hour === 24) out.hour = 0;
  return out;
}

/** The tenant-local hour (0–23) of an instant. */
export function localHour(at: number, timeZone: string): number {
  return localParts(at, timeZone).hour;
}

/** Comparable key of a calendar date (year, month, day). */
const dateKey = (y: number, m: number, d: number): number => y * 10_000 + m * 100 + d;

/**
 * First instant (ms) of the calendar date `y-m-d` in `timeZone`: local midnight, or the end of a
 * daylight-saving gap when midnight does not exist that day. Binary search over the 30 hours
 * around the UTC midnight of that date (offsets stay within ±15 h), to the millisecond.
 */
export function startOfLocalDate(year: number, month: number, day: number, timeZone: string): number {
  // Normalise (day 32 → next month) through UTC arithmetic.
  const wall = Date.UTC(year, month - 1, day);
  const norm = new Date(wall);
  const target = dateKey(norm.getUTCFullYear(), norm.getUTCMonth() + 1, norm.getUTCDate());
  const keyAt = (t: number) => {
    const p = localParts(t, timeZone);
    return dateKey(p.year, p.month, p.day);
  };
  let lo = wall - 15 * HOUR_MS; // certainly the day before
  let hi = wall + 15 * HOUR_MS; // certainly the day itself (or later)
  // Invariant: keyAt(lo) < target <= keyAt(hi). Seconds first (zone offsets are whole seconds).
  lo = Math.floor(lo / 1000);
  hi = Math.ceil(hi / 1000);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (keyAt(mid * 1000) < target) lo = mid;
    else hi = mid;
  }
  return hi * 1000;
}

/** Start of the tenant-local day that contains `at`, and the start of the next one. */
export function localDay(at: number, timeZone: string): { start: number; end: number } {
  const p = localParts(at, timeZone);
  return { start: startOfLocalDate(p.year, p.month, p.day, timeZone), end: startOfLocalDate(p.year, p.month, p.day + 1, timeZone) };
}

// ---- statistics -------------------------------------------------------------------------------

export interface StatsInput {
  db: SqlPort;
  tenantId: string;
  /** Server time (the room's clock). */
  now: number;
  /** IANA zone of the tenant; an unknown zone falls back to UTC. */
  timeZone: string;
  /** The channels to count (already limited to the agent's own). */
  channelIds: readonly string[];
  /** Whether an agent has a console connected now (the room knows). */
  isOnline: (agentId: string) => boolean;
}

interface SessionStatRow {
  id: string;
  status: 'queued' | 'active' | 'ended' | 'missed';
  created_at: number;
  ended_at: number | null;
  queued_at: number | null;
}

interface EventRow {
  session_id: string;
  event: 'queued' | 'joined';
  at: number;
}

const round = (sum: number, n: number): number | null => (n === 0 ? null : Math.round(sum / n));

/**
 * Every dashboard statistic for `channelIds` at `now`. A chat counts in the channel it is in now
 * (a chat moved to another channel's queue counts there). See docs/dashboard.md.
 */
export function computeStats(input: StatsInput): DashboardStats {
  const { db, tenantId, now } = input;
  const timeZone = isValidTimeZone(input.timeZone) ? input.timeZone : 'UTC';
  const day = localDay(now, timeZone);
  const channelIds = [...new Set(input.channelIds)].sort();
  const empty: DashboardStats = {
    serverTime: now,
    timeZone,
    dayStart: day.start,
    dayEnd: day.end,
    channelIds,
    waiting: 0,
    longestWaitMs: 0,
    oldestWaitingSince: null,
    ongoing: 0,
    agentsOnline: 0,
    agentsPresent: 0,
    agentsAway: 0,
    completedToday: 0,
    missedToday: 0,
    answeredToday: 0,
    averageWaitMs: null,
    averageDurationMs: null,
    firstResponsesToday: 0,
    averageFirstResponseMs: null,
    chatsToday: 0,
    chatsPerHour: Array.from({ length: 24 }, () => 0),
    ratings: null,
  };
  if (channelIds.length === 0) return empty;
  const marks = channelIds.map(() => '?').join(', ');

  // Sessions that can matter today: open ones, and those with any activity since local midnight
  // (every event and message moves `last_activity_at`, so a chat answered, written in or ended
  // today is among them).
  const sessions = db.all<SessionStatRow>(
    `SELECT id, status, created_at, ended_at, queued_at FROM sessions
     WHERE tenant_id = ? AND channel_id IN (${marks}) AND (status IN ('queued', 'active') OR last_activity_at >= ? OR created_at >= ?)`,
    [tenantId, ...channelIds, day.start, day.start] satisfies SqlValue[],
  );
  const stats = { ...empty, chatsPerHour: [...empty.chatsPerHour] };
  if (sessions.length > 0) {
    const ids = sessions.map((s) => s.id);
    const idMarks = ids.map(() => '?').join(', ');
    const events = db.all<EventRow>(
      `SELECT session_id, event, at FROM messages
       WHERE tenant_id = ? AND session_id IN (${idMarks}) AND kind = 'event' AND event IN ('queued', 'joined')
       ORDER BY session_id, seq`,
      [tenantId, ...ids],
    );
    const firsts = db.all<{ session_id: string; agent_at: number | null; customer_at: number | null }>(
      `SELECT session_id,
         MIN(CASE WHEN sender_kind = 'agent' THEN at END) AS agent_at,
         MIN(CASE WHEN sender_kind = 'customer' THEN at END) AS customer_at
       FROM messages WHERE tenant_id = ? AND session_id IN (${idMarks}) AND kind = 'text'
       GROUP BY session_id`,
      [tenantId, ...ids],
    );
    const eventsOf = new Map<string, EventRow[]>();
    for (const e of events) {
      let list = eventsOf.get(e.session_id);
      if (!list) eventsOf.set(e.session_id, (list = []));
      list.push(e);
    }
    const firstOf = new Map(firsts.map((f) => [f.session_id, f]));
    const today = (t: number | null): t is number => t !== null && t >= day.start && t < day.end && t <= now;

    let waitSum = 0;
    let durationSum = 0;
    let responseSum = 0;
    for (const s of sessions) {
      // Queue stays: from the first `queued` after the last `joined` to the next `joined`.
      let queuedSince: number | null = null;
      let firstJoined: number | null = null;
      for (const e of eventsOf.get(s.id) ?? []) {
        if (e.event === 'queued') {
          queuedSince ??= e.at;
        } else {
          firstJoined ??= e.at;
          if (queuedSince !== null && today(e.at)) {
            stats.answeredToday += 1;
            waitSum += e.at - queuedSince;
          }
          queuedSince = null;
        }
      }
      if (s.status === 'queued') {
        stats.waiting += 1;
        const since = queuedSince ?? s.queued_at ?? s.created_at;
        if (stats.oldestWaitingSince === null || since < stats.oldestWaitingSince) stats.oldestWaitingSince = since;
      } else if (s.status === 'active') {
        stats.ongoing += 1;
      } else if (today(s.ended_at)) {
        if (s.status === 'ended') {
          stats.completedToday += 1;
          durationSum += s.ended_at - (firstJoined ?? s.ended_at);
        } else {
          stats.missedToday += 1;
        }
      }
      if (today(s.created_at)) {
        stats.chatsToday += 1;
        const hour = localHour(s.created_at, timeZone);
        stats.chatsPerHour[hour] = (stats.chatsPerHour[hour] ?? 0) + 1;
      }
      const first = firstOf.get(s.id);
      if (first && today(first.agent_at)) {
        const start = first.customer_at !== null && first.customer_at <= first.agent_at ? first.customer_at : s.created_at;
        stats.firstResponsesToday += 1;
        responseSum += first.agent_at - start;
      }
    }
    stats.longestWaitMs = stats.oldestWaitingSince === null ? 0 : Math.max(0, now - stats.oldestWaitingSince);
    stats.averageWaitMs = round(waitSum, stats.answeredToday);
    stats.averageDurationMs = round(durationSum, stats.completedToday);
    stats.averageFirstResponseMs = round(responseSum, stats.firstResponsesToday);
  }

  // Customer ratings given today (the post-chat form), overall, per agent and per channel.
  const rated = db.all<{ rating: number; agent_id: string | null; channel_id: string }>(
    `SELECT rating, agent_id, channel_id FROM sessions
     WHERE tenant_id = ? AND rating IS NOT NULL AND rated_at >= ? AND rated_at < ? AND channel_id IN (${marks})`,
    [tenantId, day.start, day.end, ...channelIds] satisfies SqlValue[],
  );
  if (rated.length > 0) {
    const group = (key: (r: (typeof rated)[number]) => string | null) => {
      const sums = new Map<string, { sum: number; count: number }>();
      for (const r of rated) {
        const k = key(r);
        if (k === null) continue;
        const g = sums.get(k) ?? { sum: 0, count: 0 };
        g.sum += r.rating;
        g.count += 1;
        sums.set(k, g);
      }
      return Object.fromEntries([...sums].sort(([a], [b]) => a.localeCompare(b)).map(([k, g]) => [k, { average: g.sum / g.count, count: g.count }]));
    };
    stats.ratings = {
      average: rated.reduce((n, r) => n + r.rating, 0) / rated.length,
      count: rated.length,
      perAgent: group((r) => r.agent_id),
      perChannel: group((r) => r.channel_id),
    };
  }

  // Agents who may answer in these channels, online now, by status.
  const agents = db.all<{ id: string; status: AgentStatus }>(
    `SELECT DISTINCT a.id, a.status FROM agents a JOIN agent_channels ac ON ac.tenant_id = a.tenant_id AND ac.agent_id = a.id
     WHERE a.tenant_id = ? AND ac.can_respond = 1 AND ac.channel_id IN (${marks})`,
    [tenantId, ...channelIds],
  );
  for (const a of agents) {
    if (!input.isOnline(a.id)) continue;
    stats.agentsOnline += 1;
    if (a.status === 'present') stats.agentsPresent += 1;
    else stats.agentsAway += 1;
  }
  // Chats that ended today per wrap-up tag (issue 18, migration 11), most used first.
  const tags = db.all<{ tag: string; n: number }>(
    `SELECT j.value AS tag, COUNT(*) AS n FROM sessions s, json_each(s.tags) j
     WHERE s.tenant_id = ? AND s.channel_id IN (${marks}) AND s.status = 'ended' AND s.ended_at >= ? AND s.ended_at < ? AND json_valid(s.tags)
     GROUP BY j.value ORDER BY n DESC, j.value`,
    [tenantId, ...channelIds, day.start, day.end] satisfies SqlValue[],
  );
  if (tags.length > 0) stats.tagsToday = tags.map((t) => ({ tag: t.tag, count: t.n }));
  // Answers today against a response-time target (issue 18, migration 12: response_times).
  const answers = db.all<{ kind: 'first' | 'next'; answered: number; within: number }>(
    `SELECT kind, COUNT(*) AS answered, SUM(CASE WHEN waited_ms <= target_ms THEN 1 ELSE 0 END) AS within FROM response_times
     WHERE tenant_id = ? AND channel_id IN (${marks}) AND target_ms > 0 AND at >= ? AND at < ? AND at <= ?
     GROUP BY kind`,
    [tenantId, ...channelIds, day.start, day.end, now] satisfies SqlValue[],
  );
  if (answers.length > 0) {
    const share = (kind: 'first' | 'next') => {
      const a = answers.find((r) => r.kind === kind);
      return { answered: a?.answered ?? 0, within: a?.within ?? 0 };
    };
    stats.responseTargetsToday = { first: share('first'), next: share('next') };
  }
  return stats;
}
