/**
 * Messages between the load benchmark's parent (bench/load/harness.ts) and its generator child
 * processes (bench/load/generator.ts). Every command carries an `id`; the child answers it once.
 */
import type { HistogramData } from './histogram.js';

export interface ServerTarget {
  kind: 'server';
  baseUrl: string;
  tenant: string;
  channelId: string;
  provisioner: string;
  /** Agent ids this child owns; each handles `chatsPerAgent` customers, all owned by this child. */
  agents: string[];
  chatsPerAgent: number;
}

export interface EchoTarget {
  kind: 'echo';
  url: string;
  sockets: number;
}

export interface StepPlan {
  /** Unique within a run (part of every cmid). */
  step: number;
  /** `open`: sends on the clock, never waiting; `saw`: stop-and-wait per customer (one in flight). */
  mode: 'open' | 'saw';
  /** This child's share of the offered rate, messages per second. */
  rate: number;
  /** Wall-clock ms (epoch) of the first scheduled send. */
  startAt: number;
  durationMs: number;
  /** After the last scheduled send: how long to wait for acks and deliveries before counting the rest lost. */
  graceMs: number;
  /** Reporting windows (the soak uses one a minute); `durationMs` for a single one. */
  windowMs: number;
}

export type Command =
  | { id: number; type: 'target'; target: ServerTarget | EchoTarget; child: number; runTag: string }
  | { id: number; type: 'chats' }
  | { id: number; type: 'agents' }
  | { id: number; type: 'customers' }
  | { id: number; type: 'step'; plan: StepPlan }
  /** Wait until the last step's unanswered messages are answered (or the time is up). */
  | { id: number; type: 'drain'; timeoutMs: number }
  | { id: number; type: 'close' };

export interface WindowResult {
  scheduled: number;
  acked: number;
  delivered: number;
  lost: number;
  ack: HistogramData;
  delivery: HistogramData;
}

export interface StepCounts {
  /** Messages scheduled by the clock in the step. */
  scheduled: number;
  /** Written to a socket (at least once). */
  sent: number;
  /** Never written: their sender's socket was closed, or (stop-and-wait) still waiting at the end. */
  unsent: number;
  /** Acknowledged (first ack; `duplicate: true` acks of retries count as duplicates, not again). */
  acked: number;
  /** Refused with a terminal nack (by code). */
  refused: Record<string, number>;
  /** Retryable nacks answered by a resend of the same cmid after `retryAfterMs`. */
  retries: number;
  /** Sent and neither acknowledged nor refused by the end of the grace period. */
  lost: number;
  /** Message events with this step's cmids received by the handling agent (first time). */
  delivered: number;
  /** Acknowledged but never delivered to the agent by the end of the grace period. */
  undelivered: number;
  /** More than one ack for a cmid. */
  duplicateAcks: number;
  /** More than one message event for a cmid at the agent. */
  duplicateDeliveries: number;
  /** Events whose `seq` was not above the last one seen on that stream by that socket (a repeat or a reorder). */
  seqRegressions: number;
  /** Acks or events of messages of an earlier step that arrived during this one. */
  late: number;
  /** Sockets closed by the server during the step, by close code. */
  closes: Record<string, number>;
  /** Frames received during the step by agents (board events, session events, other) and customers. */
  frames: { agentBoard: number; agentSession: number; agentOther: number; customer: number };
}

export interface StepResult extends StepCounts {
  ack: HistogramData;
  delivery: HistogramData;
  windows: WindowResult[];
  /** Epoch ms of the first send, the last ack, the last delivery. */
  firstSentAt: number;
  lastAckAt: number;
  lastDeliveryAt: number;
  /** This child's CPU seconds between `startAt` and `startAt + durationMs`. */
  cpuSeconds: number;
}

export type Reply = { id: number; ok: true; data?: unknown } | { id: number; ok: false; error: string };

/** A command without its id (the caller assigns one). */
export type CommandBody = Command extends infer C ? (C extends Command ? Omit<C, 'id'> : never) : never;
