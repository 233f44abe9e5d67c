/**
 * The load benchmark (`npm run bench:load`, bench/load/) in a tiny size, so that it cannot rot:
 * a real server process, real sockets from two generator processes, a few hundred messages.
 * Asserts correctness only — every message acknowledged once and delivered once to its agent,
 * counts that add up — never a timing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { runEchoScenario, runServerScenario, type ScenarioOptions, type StepReport } from '../../bench/load/harness.js';
import { Histogram } from '../../bench/load/histogram.js';

const quiet = (): void => undefined;

const base: Omit<ScenarioOptions, 'name' | 'agents' | 'chatsPerAgent' | 'steps'> = {
  children: 2,
  // Generous: the suite may share the machine; only correctness is asserted.
  graceMs: 30_000,
  stopOnSaturation: false,
  provisioner: 'api',
  limits: { chatStartsPerMinute: 1000 },
  stopGraceMs: 10_000,
  log: quiet,
};

function assertClean(step: StepReport, expected: number, withDelivery: boolean): void {
  const where = `step ${step.label}: ${JSON.stringify(step)}`;
  assert.equal(step.scheduled, expected, where);
  assert.equal(step.sent, expected, where);
  assert.equal(step.acked, expected, where);
  assert.equal(step.lost, 0, where);
  assert.equal(step.unsent, 0, where);
  assert.equal(step.duplicated, 0, where);
  assert.equal(step.seqRegressions, 0, where);
  assert.equal(step.late, 0, where);
  assert.deepEqual(step.refused, {}, where);
  assert.deepEqual(step.closes, {}, where);
  assert.equal(step.ackMs.count, expected, where);
  if (withDelivery) {
    assert.equal(step.delivered, expected, where);
    assert.equal(step.undelivered, 0, where);
    assert.equal(step.deliveryMs?.count, expected, where);
    // Each message reached its agent as one session event (the board frames are the server's fan-out).
    assert.ok((step.agentFramesPerMessage?.session ?? 0) >= 1, where);
  }
}

describe('load benchmark (tiny run)', () => {
  it('histogram: percentiles within 1/64 above the exact value, merge equals one histogram', () => {
    const values = Array.from({ length: 5000 }, (_, i) => ((i * 7919) % 5000) * 0.37 + (i % 13) * 0.001);
    const whole = new Histogram();
    const a = new Histogram();
    const b = new Histogram();
    values.forEach((v, i) => {
      whole.recordMs(v);
      (i % 2 ? a : b).recordMs(v);
    });
    const merged = Histogram.from(a.toJSON()).merge(b.toJSON());
    const sorted = [...values].sort((x, y) => x - y);
    for (const p of [1, 50, 90, 99, 99.9, 100]) {
      const exact = sorted[Math.ceil((p / 100) * sorted.length) - 1]!;
      const got = whole.percentileMs(p);
      assert.ok(got >= Math.floor(exact * 1000) / 1000 - 1e-9, `p${String(p)}: ${String(got)} < ${String(exact)}`);
      assert.ok(got <= exact * (1 + 1 / 64) + 0.001, `p${String(p)}: ${String(got)} too far above ${String(exact)}`);
      assert.equal(merged.percentileMs(p), got);
    }
    assert.equal(merged.count, values.length);
    assert.equal(new Histogram().percentileMs(50), NaN);
  });

  it('server: 5 agents, 20 customers, stop-and-wait then 200 msg/s open loop for 1 s', async () => {
    const report = await runServerScenario({
      ...base,
      name: 'tiny',
      agents: 5,
      chatsPerAgent: 4,
      steps: [
        { label: 'saw-100', mode: 'saw', rate: 100, durationMs: 1000 },
        { label: '200', mode: 'open', rate: 200, durationMs: 1000 },
      ],
    });
    assert.equal(report.blocked, undefined);
    assert.equal(report.setup.customers, 20);
    assert.equal(report.steps.length, 2);
    assertClean(report.steps[0]!, 100, true);
    assertClean(report.steps[1]!, 200, true);
    assert.equal(report.stop?.killed, false, 'the server stopped on SIGTERM');
  });

  it('echo baseline: 20 sockets, 200 msg/s for 1 s, every frame echoed once', async () => {
    const report = await runEchoScenario({
      ...base,
      name: 'echo',
      agents: 0,
      chatsPerAgent: 0,
      sockets: 20,
      steps: [{ label: '200', mode: 'open', rate: 200, durationMs: 1000 }],
    });
    assert.equal(report.steps.length, 1);
    assertClean(report.steps[0]!, 200, false);
  });
});
