/**
 * Priority and response-time targets (issue 18), shared by the server and the console.
 *
 * A chat's priority comes from its channel: the first of the channel's rules on the pre-chat
 * fields that matches, else the channel's default; an agent may change it (`priority` frame).
 * Waiting chats are answered in priority order, then oldest first. Each channel may set a target
 * for the first answer (from the chat's start) and for every next answer (from the customer's
 * message that the agent has not answered yet); the board carries when the awaited answer is due
 * (`SessionSummary.response`), and the rows show how much of the target is used.
 *
 * Stored per channel (migration 12: `default_priority`, `priority_rules`, `first_response_s`,
 * `next_response_s`), per chat (migrations 12 and 14: `priority`, `waiting_since`,
 * `response_due_at`, `priority_by`) and per answer (`response_times`, for the statistics).
 */

/** Priorities, lowest first. */
export const CHAT_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type ChatPriority = (typeof CHAT_PRIORITIES)[number];
export const DEFAULT_PRIORITY: ChatPriority = 'normal';

export const isChatPriority = (value: unknown): value is ChatPriority => typeof value === 'string' && (CHAT_PRIORITIES as readonly string[]).includes(value);

/** Queue order of a priority: smaller is answered first. */
export function priorityRank(p: ChatPriority | undefined): number {
  switch (p) {
    case 'urgent':
      return 0;
    case 'high':
      return 1;
    case 'low':
      return 3;
    default:
      return 2;
  }
}

/** The pre-chat fields a rule may look at. */
export const RULE_FIELDS = ['name', 'email', 'phone', 'company', 'language'] as const;
export type RuleField = (typeof RULE_FIELDS)[number];
/** How a rule compares (case-insensitively, trimmed): `present` needs no value. */
export const RULE_MATCHES = ['contains', 'equals', 'ends-with', 'present'] as const;
export type RuleMatch = (typeof RULE_MATCHES)[number];

/** One rule: when the field matches, the chat gets `priority`. The first matching rule wins. */
export interface PriorityRule {
  field: RuleField;
  match: RuleMatch;
  /** What to compare with ('' for `present`). */
  value: string;
  priority: ChatPriority;
}

export const MAX_PRIORITY_RULES = 20;
export const MAX_RULE_VALUE = 100;
/** Longest response target (a day). */
export const MAX_TARGET_SECONDS = 24 * 60 * 60;

/** A channel's priority settings and response-time targets (0: no target). */
export interface ChannelTargets {
  defaultPriority: ChatPriority;
  rules: PriorityRule[];
  /** The first answer is due this long after the chat started (0: no target). */
  firstResponseSeconds: number;
  /** Each next answer is due this long after the customer's unanswered message (0: no target). */
  nextResponseSeconds: number;
}

export const DEFAULT_TARGETS: ChannelTargets = { defaultPriority: DEFAULT_PRIORITY, rules: [], firstResponseSeconds: 0, nextResponseSeconds: 0 };

/** The pre-chat values a rule is matched against. */
export type RuleInput = Partial<Record<RuleField, string | null | undefined>>;

/** Whether one rule matches the pre-chat values. */
export function ruleMatches(rule: PriorityRule, input: RuleInput): boolean {
  const have = (input[rule.field] ?? '').trim().toLowerCase();
  const want = rule.value.trim().toLowerCase();
  switch (rule.match) {
    case 'present':
      return have !== '';
    case 'equals':
      return have !== '' && have === want;
    case 'contains':
      return want !== '' && have.includes(want);
    case 'ends-with':
      return want !== '' && have.endsWith(want);
  }
}

/** The priority a new chat gets: the first matching rule's, else the channel's default. */
export function initialPriority(targets: Pick<ChannelTargets, 'defaultPriority' | 'rules'>, input: RuleInput): { priority: ChatPriority; by: 'rule' | 'channel' } {
  const rule = targets.rules.find((r) => ruleMatches(r, input));
  return rule ? { priority: rule.priority, by: 'rule' } : { priority: targets.defaultPriority, by: 'channel' };
}

/** A row's timer starts warning when this share of the target has passed. */
export const WARNING_SHARE = 0.75;

/** How an awaited answer stands against its target at `now` (server time). */
export type ResponseState = 'ok' | 'warning' | 'breached';

export function responseState(response: { since: number; due: number }, now: number): ResponseState {
  if (now >= response.due) return 'breached';
  const span = response.due - response.since;
  return span > 0 && now - response.since >= span * WARNING_SHARE ? 'warning' : 'ok';
}

/** When a row's state changes next after `now` (undefined: breached, it no longer changes). */
export function nextResponseChange(response: { since: number; due: number }, now: number): number | undefined {
  const warnAt = response.since + Math.ceil((response.due - response.since) * WARNING_SHARE);
  if (now < warnAt) return warnAt;
  if (now < response.due) return response.due;
  return undefined;
}
