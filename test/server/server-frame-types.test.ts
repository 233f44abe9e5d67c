/**
 * The client's list of server frame types (`SERVER_FRAME_TYPES`, used by the transport to tell
 * an unknown frame type from a malformed known one) cannot drift from the `ServerFrame` union
 * the server's sends are typed with: the `t` values are read out of the valibot schemas.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';

import * as v from 'valibot';

import { SERVER_FRAME_TYPES, ServerFrame } from '../../src/protocol/server-frames.js';

type AnySchema = v.GenericSchema;

/** The `t` literal of every object schema reachable through unions and variants. */
function frameTypes(schema: AnySchema, path = 'ServerFrame'): string[] {
  if (schema.type === 'union' || schema.type === 'variant') {
    const { options } = schema as unknown as { options: AnySchema[] };
    return options.flatMap((option, i) => frameTypes(option, `${path}[${String(i)}]`));
  }
  if (schema.type === 'object') {
    const t = (schema as unknown as { entries: Record<string, AnySchema | undefined> }).entries.t;
    assert.ok(t?.type === 'literal', `${path}: a server frame schema without a literal t`);
    const literal = (t as unknown as { literal: unknown }).literal;
    assert.equal(typeof literal, 'string', `${path}: t is not a string literal`);
    return [literal as string];
  }
  assert.fail(`${path}: unexpected schema type ${schema.type} in the ServerFrame union`);
}

test('SERVER_FRAME_TYPES is exactly the set of t values of the ServerFrame union', () => {
  const fromSchemas = new Set(frameTypes(ServerFrame));
  assert.ok(fromSchemas.size >= 14, `found ${String(fromSchemas.size)} frame types`);
  assert.deepEqual([...SERVER_FRAME_TYPES].sort(), [...fromSchemas].sort());
});

test('the introspection sees through variants (board events, resets) and notices a missing t', () => {
  const board = frameTypes(v.variant('kind', [v.object({ t: v.literal('x'), kind: v.literal('a') }), v.object({ t: v.literal('y'), kind: v.literal('b') })]));
  assert.deepEqual(board, ['x', 'y']);
  assert.throws(() => frameTypes(v.union([v.object({ t: v.literal('x') }), v.object({ kind: v.string() })])), /without a literal t/);
});
