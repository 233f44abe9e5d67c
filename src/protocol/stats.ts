/**
 * Dashboard statistics on the wire (`stats` command → `ok {data}`, `GET /api/stats`).
 *
 * Computed by the server from what it stored (sessions and their system events), on the room's
 * clock, for the channels asked for that the agent belongs to. "Today" is the tenant's calendar
 * day in its time zone (`tenants.time_zone`). Every statistic is defined in docs/dashboard.md.
 * Durations are whole milliseconds; an average over nothing is `null`.
 */
import * as v from 'valibot';

import { Count, Id, Time } from './model.js';

/** One agent's or one channel's customer ratings. */
export const RatingGroup = v.object({
  average: v.number(),
  count: Count,
});

/** Customer ratings (1–5, the post-chat form) given today, to chats of the channels counted. */
export const RatingStats = v.object({
  /** Average rating given today. */
  average: v.number(),
  /** Number of ratings given today. */
  count: Count,
  /** Per agent who handled the rated chats last, by agent id. */
  perAgent: v.optional(v.record(Id, RatingGroup)),
  /** Per channel, by channel id. */
  perChannel: v.optional(v.record(Id, RatingGroup)),
});
export type RatingStats = v.InferOutput<typeof RatingStats>;

/** Answers given today against a response-time target (issue 18): how many, and how many in time. */
export const TargetShare = v.object({
  /** Answers to a wait that had a target. */
  answered: Count,
  /** Of those, given by the due time. */
  within: Count,
});
export type TargetShare = v.InferOutput<typeof TargetShare>;

export const DashboardStats = v.object({
  /** Server time the statistics were computed at ("now"). */
  serverTime: Time,
  /** IANA time zone of the tenant that defines "today" (e.g. `Europe/Stockholm`). */
  timeZone: v.string(),
  /** Start of today (local midnight in `timeZone`), server time. */
  dayStart: Time,
  /** Start of tomorrow; `dayEnd − dayStart` is 23, 24 or 25 hours. */
  dayEnd: Time,
  /** The channels counted: those asked for (all when none were) that the agent belongs to. */
  channelIds: v.array(Id),
  /** Chats waiting in a queue now. */
  waiting: Count,
  /** Longest wait of a chat waiting now, in ms (0 when none waits). */
  longestWaitMs: Count,
  /** Since when the longest-waiting chat waits (server time), or null: lets a view tick live. */
  oldestWaitingSince: v.nullable(Time),
  /** Chats being answered now (`active`). */
  ongoing: Count,
  /** Agents who may answer in the channels and have a console connected (Present or Away). */
  agentsOnline: Count,
  /** Of those, Present. */
  agentsPresent: Count,
  /** Of those, Away. */
  agentsAway: Count,
  /** Chats that ended today after an agent answered them. */
  completedToday: Count,
  /** Chats that ended today before any agent answered them (the customer left the queue). */
  missedToday: Count,
  /** Answers today: queue stays that ended with an agent joining (the samples of `averageWaitMs`). */
  answeredToday: Count,
  /** Average wait from entering a queue to an agent joining, over today's answers; null when none. */
  averageWaitMs: v.nullable(Count),
  /** Average time from the first answer to the end, over `completedToday`; null when none. */
  averageDurationMs: v.nullable(Count),
  /** Chats whose first agent message was written today (the samples of `averageFirstResponseMs`). */
  firstResponsesToday: Count,
  /** Average time from the customer's first message (else the chat's start) to the first agent message; null when none. */
  averageFirstResponseMs: v.nullable(Count),
  /** Chats started today. */
  chatsToday: Count,
  /** Chats started today per tenant-local hour of the day: 24 numbers, index = hour 0–23. */
  chatsPerHour: v.pipe(v.array(Count), v.length(24)),
  /** Customer ratings given today; null when there is none. */
  ratings: v.nullable(RatingStats),
  /**
   * Chats that ended today per tag of their wrap-up (issue 18), most used first (then by name);
   * absent when no chat that ended today has a tag.
   */
  tagsToday: v.optional(v.array(v.object({ tag: v.string(), count: Count }))),
  /**
   * Answers given today against the channels' response-time targets (issue 18): first answers and
   * next answers, each how many and how many within target; absent when no answer today had one.
   */
  responseTargetsToday: v.optional(v.object({ first: TargetShare, next: TargetShare })),
});
export type DashboardStats = v.InferOutput<typeof DashboardStats>;

/** The statistics when `data` is valid, else undefined (never throws). */
export function parseDashboardStats(data: unknown): DashboardStats | undefined {
  const r = v.safeParse(DashboardStats, data);
  return r.success ? r.output : undefined;
}
