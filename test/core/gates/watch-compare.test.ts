import { compareGateSchema } from "../../../src/core/gates/compare-gate.js";
import { compareVerdict, judgeStage, recordCounters, startCompareWatch, type CompareWatch, type CounterSample } from "../../../src/core/gates/watch-compare.js";
import { recordSample, startWatch } from "../../../src/core/gates/watch-gates.js";
import { gateSchema } from "../../../src/core/config/schema.js";

const gate = (extra: Record<string, unknown> = {}) =>
  compareGateSchema.parse({
    name: "errors-vs-stable",
    compare: { prometheus: { url: "http://prom:9090" }, canary: { errors: "ce", total: "ct" }, baseline: { errors: "be", total: "bt" } },
    "max-increase": "50%",
    ...extra,
  });

/** Cumulative counters after `i` rounds of `perRound` requests per track at the given error rates. */
const counters = (i: number, perRound: number, canaryRate: number, baselineRate: number): CounterSample => ({
  kind: "counters",
  reading: { canaryErrors: Math.round(i * perRound * canaryRate), canaryTotal: i * perRound, baselineErrors: Math.round(i * perRound * baselineRate), baselineTotal: i * perRound },
});

function feed(watch: CompareWatch, samples: CounterSample[]): CompareWatch {
  return samples.reduce((w, s, i) => recordCounters(w, s, `2026-11-30T12:00:${String(i).padStart(2, "0")}Z`), watch);
}

describe("compare gate watch", () => {
  it("takes the first reading as the zero point and judges only the increments after it", () => {
    // A canary that was bad before the stage (100 errors already counted) is not blamed for them.
    const start: CounterSample = { kind: "counters", reading: { canaryErrors: 100, canaryTotal: 1000, baselineErrors: 10, baselineTotal: 1000 } };
    const w = feed(startCompareWatch(gate()), [start, { kind: "counters", reading: { canaryErrors: 110, canaryTotal: 2000, baselineErrors: 20, baselineTotal: 2000 } }]);
    expect(w.tally).toMatchObject({ canary: { errors: 10, total: 1000 }, baseline: { errors: 10, total: 1000 }, looks: 1 });
    expect(w.judgement?.estimate).toBe(1);
  });

  it("breaches on a 3x regression and stops judging after the first decision", () => {
    const samples = Array.from({ length: 30 }, (_, i) => counters(i, 2000, 0.03, 0.01));
    const w = feed(startCompareWatch(gate()), samples);
    const v = compareVerdict(w, false);
    expect(v).toMatchObject({ kind: "breach", gate: "errors-vs-stable", rule: expect.stringContaining("Roll back when the always-valid 95% interval") });
    expect(w.tally!.looks).toBeLessThan(29);
    expect(w.rounds).toBe(30);
  });

  it("passes an A/A comparison and keeps the pass for the rest of the window", () => {
    const w = feed(startCompareWatch(gate()), Array.from({ length: 60 }, (_, i) => counters(i, 5000, 0.02, 0.02)));
    expect(compareVerdict(w, false)).toMatchObject({ kind: "pass" });
    expect(compareVerdict(w, true)).toMatchObject({ kind: "pass" });
  });

  it("never passes on missing rounds, and is inconclusive with the traffic a decision needs at the window's end", () => {
    const missing: CounterSample = { kind: "missing", detail: "canary errors: nan: 0/0" };
    const silent = feed(startCompareWatch(gate()), [missing, missing, missing]);
    expect(compareVerdict(silent, false)).toEqual({ kind: "watching" });
    expect(compareVerdict(silent, true)).toEqual({ kind: "inconclusive", gate: "errors-vs-stable", looks: 0, detail: "no complete counter reading in 3 rounds (canary errors: nan: 0/0)" });

    const low = feed(startCompareWatch(gate()), Array.from({ length: 5 }, (_, i) => counters(i, 100, 0.02, 0.01)));
    const v = compareVerdict(low, true);
    expect(v).toMatchObject({ kind: "inconclusive", looks: 4 });
    expect((v as { detail: string }).detail).toMatch(/^not enough traffic to decide: about \S+× the traffic seen so far \(\d+ more canary and \d+ more baseline requests\) would likely bring a breach/);

    // A counter that is negative or infinite is a broken query, not data.
    const broken = recordCounters(startCompareWatch(gate()), { kind: "counters", reading: { canaryErrors: -1, canaryTotal: 1, baselineErrors: 0, baselineTotal: 1 } }, "t");
    expect(broken).toMatchObject({ missing: 1, lastMissing: "canaryErrors is -1; a counter is a finite number >= 0" });
    expect(broken.tally).toBeUndefined();
  });

  it("in shadow mode records the breach it would have acted on and never fails or holds the stage", () => {
    const w = feed(startCompareWatch(gate({ shadow: true })), Array.from({ length: 30 }, (_, i) => counters(i, 2000, 0.03, 0.01)));
    const v = compareVerdict(w, false);
    expect(v).toMatchObject({ kind: "shadow", wouldHave: { at: w.decided!.at, rule: expect.stringContaining("Roll back when") } });
    expect(judgeStage([], [w], false)).toEqual({ kind: "watching" });
    expect(judgeStage([], [w], true)).toEqual({ kind: "pass", reason: "shadow-only" });
  });

  it("combines with metric gates: any breach fails the stage, an undecided compare gate makes it inconclusive", () => {
    const metric = recordSample(startWatch(gateSchema.parse({ name: "p99", command: "x", max: 1 })), { kind: "value", value: 0.5 }, "t");
    const breach = feed(startCompareWatch(gate()), Array.from({ length: 30 }, (_, i) => counters(i, 2000, 0.03, 0.01)));
    const undecided = feed(startCompareWatch(gate()), [counters(0, 100, 0.01, 0.01), counters(1, 100, 0.01, 0.01)]);
    const pass = feed(startCompareWatch(gate()), Array.from({ length: 60 }, (_, i) => counters(i, 5000, 0.02, 0.02)));
    expect(judgeStage([metric], [breach], false)).toMatchObject({ kind: "compare-breach", compare: { gate: "errors-vs-stable", summary: expect.stringMatching(/^canary\/baseline error-rate ratio \S+, 95% interval \[\S+, \S+\] above 1\.5 after \d+ looks$/) } });
    expect(judgeStage([metric], [undecided], false)).toEqual({ kind: "watching" });
    expect(judgeStage([metric], [undecided], true)).toMatchObject({ kind: "inconclusive", gates: [], compares: [{ gate: "errors-vs-stable" }] });
    expect(judgeStage([metric], [pass], true)).toEqual({ kind: "pass", reason: "gates-passed" });
  });
});
