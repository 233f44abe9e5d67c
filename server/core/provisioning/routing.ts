/**
 * A channel's routing fields in provisioning and the settings editor: automatic assignment
 * (`assignment: {mode, offerSeconds}`) and priority with response-time targets (`targets`), read
 * from and written to the `channels` row (migration 12).
 * The room's assignment engine is server/core/room/assignment.ts.
 */
import type { AssignMode, ChannelAssignment } from '../../../src/protocol/routing.js';
import { ASSIGN_MODES, DEFAULT_ASSIGNMENT, MAX_OFFER_SECONDS, MIN_OFFER_SECONDS } from '../../../src/protocol/routing.js';
import type { ChannelTargets, ChatPriority, PriorityRule, RuleField, RuleMatch } from '../../../src/protocol/priority.js';
import {
  CHAT_PRIORITIES,
  DEFAULT_TARGETS,
  isChatPriority,
  MAX_PRIORITY_RULES,
  MAX_RULE_VALUE,
  MAX_TARGET_SECONDS,
  RULE_FIELDS,
  RULE_MATCHES,
} from '../../../src/protocol/priority.js';
import { Fields } from './validate.js';

const isMode = (value: unknown): value is AssignMode => typeof value === 'string' && (ASSIGN_MODES as readonly string[]).includes(value);

/** The assignment of a channel row (unknown values read as the defaults). */
export function assignmentOf(row: { assign_mode?: string | null; offer_timeout_s?: number | null }): ChannelAssignment {
  return {
    mode: isMode(row.assign_mode) ? row.assign_mode : DEFAULT_ASSIGNMENT.mode,
    offerSeconds: row.offer_timeout_s ?? DEFAULT_ASSIGNMENT.offerSeconds,
  };
}

/** Checks `assignment` of a channel body (problems go to `f`); undefined when absent or invalid. */
export function checkAssignment(f: Fields): Partial<ChannelAssignment> | undefined {
  const raw = f.object('assignment');
  if (!raw) return undefined;
  const a = new Fields(raw, ['mode', 'offerSeconds'], 'assignment.');
  const out: Partial<ChannelAssignment> = {};
  const mode = a.raw('mode');
  if (mode !== undefined) {
    if (isMode(mode)) out.mode = mode;
    else a.fail('mode', `one of ${ASSIGN_MODES.join(', ')}`);
  }
  const seconds = a.int('offerSeconds', { min: MIN_OFFER_SECONDS, max: MAX_OFFER_SECONDS });
  if (seconds !== undefined) out.offerSeconds = seconds;
  f.absorb(a);
  return Object.keys(a.problems).length > 0 ? undefined : out;
}

/**
 * A channel's priority settings and response-time targets (issue 18; src/protocol/priority.ts):
 * `targets: {defaultPriority, rules, firstResponseSeconds, nextResponseSeconds}`, stored in the
 * `channels` row (migration 12). Unknown or broken stored values read as the defaults.
 */
export function targetsOf(row: { default_priority?: string | null; priority_rules?: string | null; first_response_s?: number | null; next_response_s?: number | null }): ChannelTargets {
  let rules: PriorityRule[] = [];
  try {
    const parsed: unknown = JSON.parse(row.priority_rules ?? '[]');
    if (Array.isArray(parsed)) rules = parsed.map((r) => readRule(r, undefined)).filter((r): r is PriorityRule => r !== undefined);
  } catch {
    rules = [];
  }
  return {
    defaultPriority: isChatPriority(row.default_priority) ? row.default_priority : DEFAULT_TARGETS.defaultPriority,
    rules,
    firstResponseSeconds: row.first_response_s ?? 0,
    nextResponseSeconds: row.next_response_s ?? 0,
  };
}

const RULE_KEYS: readonly string[] = ['field', 'match', 'value', 'priority'];

/** One rule of a body, or undefined (problems go to `f` when given). */
function readRule(raw: unknown, f: Fields | undefined): PriorityRule | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    if (f) f.absorbProblem(f.path('').replace(/\.$/, ''), 'an object {field, match, value, priority}');
    return undefined;
  }
  const r = raw as Record<string, unknown>;
  for (const key of Object.keys(r)) if (!RULE_KEYS.includes(key)) f?.fail(key, `unknown field (allowed: ${RULE_KEYS.join(', ')})`);
  const field = r.field;
  const match = r.match;
  const value = r.value ?? '';
  const priority = r.priority;
  let ok = true;
  if (typeof field !== 'string' || !(RULE_FIELDS as readonly string[]).includes(field)) {
    f?.fail('field', `one of ${RULE_FIELDS.join(', ')}`);
    ok = false;
  }
  if (typeof match !== 'string' || !(RULE_MATCHES as readonly string[]).includes(match)) {
    f?.fail('match', `one of ${RULE_MATCHES.join(', ')}`);
    ok = false;
  }
  if (typeof value !== 'string' || value.trim().length > MAX_RULE_VALUE || (match !== 'present' && value.trim() === '')) {
    f?.fail('value', `1–${String(MAX_RULE_VALUE)} characters (empty only with match "present")`);
    ok = false;
  }
  if (!isChatPriority(priority)) {
    f?.fail('priority', `one of ${CHAT_PRIORITIES.join(', ')}`);
    ok = false;
  }
  if (!ok) return undefined;
  return { field: field as RuleField, match: match as RuleMatch, value: (value as string).trim(), priority: priority as ChatPriority };
}

/** Checks `targets` of a channel body (problems go to `f`); undefined when absent or invalid. */
export function checkTargets(f: Fields): Partial<ChannelTargets> | undefined {
  const raw = f.object('targets');
  if (!raw) return undefined;
  const t = new Fields(raw, ['defaultPriority', 'rules', 'firstResponseSeconds', 'nextResponseSeconds'], 'targets.');
  const out: Partial<ChannelTargets> = {};
  const def = t.raw('defaultPriority');
  if (def !== undefined) {
    if (isChatPriority(def)) out.defaultPriority = def;
    else t.fail('defaultPriority', `one of ${CHAT_PRIORITIES.join(', ')}`);
  }
  const first = t.int('firstResponseSeconds', { min: 0, max: MAX_TARGET_SECONDS });
  if (first !== undefined) out.firstResponseSeconds = first;
  const next = t.int('nextResponseSeconds', { min: 0, max: MAX_TARGET_SECONDS });
  if (next !== undefined) out.nextResponseSeconds = next;
  const list = t.array('rules', MAX_PRIORITY_RULES);
  if (list) {
    const rules: PriorityRule[] = [];
    for (const [i, item] of list.entries()) {
      const rf = new Fields({}, [], `targets.rules[${String(i)}].`);
      const rule = readRule(item, rf);
      t.absorb(rf);
      if (rule) rules.push(rule);
    }
    out.rules = rules;
  }
  f.absorb(t);
  return Object.keys(t.problems).length > 0 ? undefined : out;
}
