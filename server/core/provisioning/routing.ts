/**
 * A channel's routing fields in provisioning and the settings editor: automatic assignment
 * (`assignment: {mode, offerSeconds}`), read from and written to the `channels` row (migration 12).
 * The room's assignment engine is server/core/room/assignment.ts.
 */
import type { AssignMode, ChannelAssignment } from '../../../src/protocol/routing.js';
import { ASSIGN_MODES, DEFAULT_ASSIGNMENT, MAX_OFFER_SECONDS, MIN_OFFER_SECONDS } from '../../../src/protocol/routing.js';
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
