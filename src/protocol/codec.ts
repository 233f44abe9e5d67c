/**
 * Decoding frames safely: size cap, JSON, prototype-pollution keys, then schema.
 * Used by the server for client frames and by the client for server frames.
 */
import * as v from 'valibot';

import { MAX_FRAME_BYTES } from './limits.js';

export type DecodeResult<T> =
  | { ok: true; frame: T }
  | {
      ok: false;
      /** `too_large`, `not_json`, `not_object`, `forbidden_key`, `unknown_type` or `schema`. */
      reason: 'too_large' | 'not_json' | 'not_object' | 'forbidden_key' | 'unknown_type' | 'schema';
      message: string;
      /** The frame's `t`, `rid` and `cmid` when they could be read, so the error can be answered. */
      t?: string;
      rid?: string;
      cmid?: string;
    };

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const encoder = new TextEncoder();

/** True when the UTF-8 encoding of `text` is larger than `limit` bytes. Avoids encoding small strings. */
export function exceedsBytes(text: string, limit: number = MAX_FRAME_BYTES): boolean {
  // A UTF-16 code unit encodes to at least 1 and at most 3 UTF-8 bytes.
  if (text.length > limit) return true;
  if (text.length * 3 <= limit) return false;
  return encoder.encode(text).length > limit;
}

function forbiddenKeyReviver(this: unknown, key: string, value: unknown): unknown {
  if (FORBIDDEN_KEYS.has(key)) throw new ForbiddenKeyError(key);
  return value;
}

class ForbiddenKeyError extends Error {
  constructor(readonly key: string) {
    super(`forbidden key "${key}"`);
  }
}

function idField(value: unknown): string | undefined {
  return typeof value === 'string' && value.length <= 64 ? value : undefined;
}

/** Turns valibot issues into one short, readable sentence ("text: Invalid length: …"). */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  return issues
    .slice(0, 3)
    .map((issue) => {
      const path = v.getDotPath(issue);
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

/**
 * Parses one text frame. Never throws.
 * @param raw the frame as received
 * @param schema the schema of the frames accepted here
 * @param knownTypes the accepted values of `t`, to tell "unknown type" from "bad fields"
 * @param maxBytes the largest frame accepted (client frames: 64 KiB; server frames carry snapshots)
 */
export function decodeFrame<S extends v.GenericSchema>(
  raw: string,
  schema: S,
  knownTypes: ReadonlySet<string> | readonly string[],
  maxBytes: number = MAX_FRAME_BYTES,
): DecodeResult<v.InferOutput<S>> {
  if (exceedsBytes(raw, maxBytes)) {
    return { ok: false, reason: 'too_large', message: `frame larger than ${String(maxBytes)} bytes` };
  }
  let data: unknown;
  try {
    // A key may also be spelled with JSON escapes (`"\u005f_proto__"`), so any `\u` escape
    // sends the frame through the checking reviver too.
    const risky = raw.includes('__proto__') || raw.includes('constructor') || raw.includes('prototype') || raw.includes('\\u');
    data = risky ? JSON.parse(raw, forbiddenKeyReviver) : JSON.parse(raw);
  } catch (error) {
    if (error instanceof ForbiddenKeyError) {
      return { ok: false, reason: 'forbidden_key', message: error.message };
    }
    return { ok: false, reason: 'not_json', message: 'frame is not valid JSON' };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, reason: 'not_object', message: 'frame must be a JSON object' };
  }
  const record = data as Record<string, unknown>;
  const ids = { t: idField(record.t), rid: idField(record.rid), cmid: idField(record.cmid) };
  const types: ReadonlySet<string> = knownTypes instanceof Set ? knownTypes : new Set(knownTypes);
  if (typeof record.t !== 'string' || !types.has(record.t)) {
    return { ok: false, reason: 'unknown_type', message: `unknown frame type ${JSON.stringify(record.t ?? null)}`, ...ids };
  }
  const result = v.safeParse(schema, data);
  if (!result.success) {
    return { ok: false, reason: 'schema', message: `${record.t}: ${describeIssues(result.issues)}`, ...ids };
  }
  return { ok: true, frame: result.output };
}
