import { gateSchema, type Gate } from "../../../src/core/config/schema.js";
import { missingReading, valueReading, type SampleReading } from "../../../src/core/gates/sample.js";
import { describeBreach, recordSample, stageVerdict, startWatch, gateVerdict, type GateWatch } from "../../../src/core/gates/watch-gates.js";

const gate = (extra: Record<string, unknown>): Gate => gateSchema.parse({ name: "error-rate", command: "echo 0", ...extra });
const feed = (watch: GateWatch, readings: SampleReading[]) => readings.reduce((w, r, i) => recordSample(w, r, `2026-11-23T12:00:0${i}Z`), watch);
const v = valueReading;
const none = missingReading("empty-result", "the query returned no series");

describe("gate verdicts over a window", () => {
  it("passes a healthy window once the window ends, and keeps watching before", () => {
    const w = feed(startWatch(gate({ max: 0.01 })), [v(0.001), v(0.002)]);
    expect(gateVerdict(w, false)).toEqual({ kind: "watching" });
    expect(gateVerdict(w, true)).toEqual({ kind: "pass", gate: "error-rate", valid: 2 });
  });

  it("fails at the first breach with the default failure-limit 0", () => {
    const w = feed(startWatch(gate({ max: 0.01 })), [v(0.001), v(0.05)]);
    expect(gateVerdict(w, false)).toEqual({
      kind: "breach",
      gate: "error-rate",
      breach: { bound: "max", limit: 0.01, observed: 0.05 },
      breaches: 1,
      failureLimit: 0,
      at: "2026-11-23T12:00:01Z",
    });
  });

  it("tolerates failure-limit breaches and fails on the next", () => {
    const g = gate({ max: 0.01, "failure-limit": 2 });
    expect(gateVerdict(feed(startWatch(g), [v(0.05), v(0.05)]), true)).toMatchObject({ kind: "pass" });
    expect(gateVerdict(feed(startWatch(g), [v(0.05), v(0.05), v(0.05)]), false)).toMatchObject({ kind: "breach", breaches: 3 });
  });

  it("never forgives breaches: a flapping metric fails although it recovers between breaches", () => {
    const w = feed(startWatch(gate({ max: 0.01, "failure-limit": 1 })), [v(0.05), v(0), v(0.05), v(0)]);
    expect(w.flips).toBe(3);
    expect(gateVerdict(w, true)).toMatchObject({ kind: "breach", breaches: 2 });
  });

  it("stays failed once breached, whatever comes after", () => {
    const w = feed(startWatch(gate({ max: 0.01 })), [v(0.05), v(0), v(0), v(0)]);
    expect(gateVerdict(w, true)).toMatchObject({ kind: "breach", at: "2026-11-23T12:00:00Z" });
  });

  it("is inconclusive, never a pass, when there is no data", () => {
    const w = feed(startWatch(gate({ max: 0.01 })), [none, none, none]);
    expect(gateVerdict(w, true)).toEqual({ kind: "inconclusive", gate: "error-rate", valid: 0, needed: 1, detail: "empty-result: the query returned no series" });
    expect(gateVerdict(startWatch(gate({ max: 1 })), true)).toMatchObject({ kind: "inconclusive", detail: "no sample was taken" });
  });

  it("needs min-samples good readings; missing ones count neither way", () => {
    const g = gate({ max: 0.01, "min-samples": 3 });
    expect(gateVerdict(feed(startWatch(g), [v(0), none, v(0)]), true)).toMatchObject({ kind: "inconclusive", valid: 2, needed: 3 });
    expect(gateVerdict(feed(startWatch(g), [v(0), none, v(0), v(0)]), true)).toMatchObject({ kind: "pass", valid: 3 });
  });

  it("judges ratio bounds against the baseline and is inconclusive without one", () => {
    const g = gate({ "max-ratio-to-baseline": 2 });
    expect(gateVerdict(feed(startWatch(g, v(200)), [v(300), v(380)]), true)).toMatchObject({ kind: "pass" });
    expect(gateVerdict(feed(startWatch(g, v(200)), [v(300), v(401)]), false)).toMatchObject({ kind: "breach", breach: { bound: "max-ratio-to-baseline", observed: 2.005 } });
    expect(gateVerdict(feed(startWatch(g, none), [v(300)]), true)).toMatchObject({ kind: "inconclusive", detail: "the baseline is missing (empty-result)" });
  });

  it("describes a breach in one line", () => {
    const w = feed(startWatch(gate({ max: 0.01 })), [v(0.05123)]);
    const verdict = gateVerdict(w, false);
    if (verdict.kind !== "breach") throw new Error("expected a breach");
    expect(describeBreach(verdict)).toBe("error-rate: 0.05123 > max 0.01 (1 breach, limit 0)");
  });
});

describe("stage verdicts", () => {
  const latency = (extra: Record<string, unknown>) => gateSchema.parse({ name: "p99-latency", command: "echo 0", ...extra });

  it("ends at once on any gate's breach, even mid-window", () => {
    const ok = feed(startWatch(gate({ max: 0.01 })), [v(0)]);
    const bad = feed(startWatch(latency({ max: 800 })), [v(900)]);
    expect(stageVerdict([ok, bad], false)).toMatchObject({ kind: "breach", breach: { gate: "p99-latency" } });
  });

  it("passes only when every gate passes; one silent gate makes the stage inconclusive", () => {
    const ok = feed(startWatch(gate({ max: 0.01 })), [v(0)]);
    const silent = feed(startWatch(latency({ max: 800 })), [none]);
    expect(stageVerdict([ok], true)).toEqual({ kind: "pass", reason: "gates-passed" });
    expect(stageVerdict([ok, silent], true)).toMatchObject({ kind: "inconclusive", gates: [{ gate: "p99-latency" }] });
    expect(stageVerdict([ok, silent], false)).toEqual({ kind: "watching" });
  });

  it("passes a stage without gates on time alone, and says so", () => {
    expect(stageVerdict([], true)).toEqual({ kind: "pass", reason: "no-gates" });
  });
});

// Issue 12, item 6: "error rate > 1% for 5m" breaches only when passed for 5 minutes without a break.
describe("sustained bounds (rollback triggers with a duration)", () => {
  const sustained = { bound: "max" as const, limit: 0.01, forMs: 300_000, text: "> 1% for 5m" };
  const at = (minute: number) => new Date(Date.UTC(2026, 10, 23, 12, minute)).toISOString();
  const feedAt = (watch: GateWatch, readings: Array<[number, SampleReading]>) => readings.reduce((w, [m, r]) => recordSample(w, r, at(m)), watch);
  const fresh = () => startWatch(gate({ max: 0.05 }), undefined, [sustained]);

  it("does not breach on a single sample past the bound, nor on one lasting less than the duration", () => {
    expect(gateVerdict(feedAt(fresh(), [[0, v(0.02)]]), false)).toEqual({ kind: "watching" });
    const w = feedAt(fresh(), [[0, v(0.02)], [2, v(0.03)], [4, v(0.02)]]);
    expect(gateVerdict(w, false)).toEqual({ kind: "watching" });
    expect(gateVerdict(w, true)).toMatchObject({ kind: "pass" });
    expect(w.sustained[0]!.since).toBe(at(0));
  });

  it("breaches once passed for the whole duration, and says for how long", () => {
    const w = feedAt(fresh(), [[0, v(0.001)], [1, v(0.02)], [3, v(0.02)], [6, v(0.03)]]);
    const verdict = gateVerdict(w, false);
    expect(verdict).toMatchObject({ kind: "breach", gate: "error-rate", at: at(6), breach: { bound: "max", limit: 0.01, observed: 0.03 }, sustained: { forMs: 300_000, since: at(1) } });
    expect(describeBreach(verdict as Extract<typeof verdict, { kind: "breach" }>)).toBe('error-rate: 0.03 > max 0.01 sustained 5m (trigger "> 1% for 5m")');
  });

  it("starts over after a sample within the bound; a missing sample neither confirms nor breaks the streak", () => {
    const broken = feedAt(fresh(), [[0, v(0.02)], [3, v(0.005)], [5, v(0.02)], [9, v(0.02)]]);
    expect(gateVerdict(broken, false)).toEqual({ kind: "watching" });
    const gap = feedAt(fresh(), [[0, v(0.02)], [3, none], [5, v(0.02)]]);
    expect(gateVerdict(gap, false)).toMatchObject({ kind: "breach", sustained: { since: at(0) } });
  });

  it("leaves the gate's own per-sample bound in force: a sample past max still breaches at once", () => {
    expect(gateVerdict(feedAt(fresh(), [[0, v(0.2)]]), false)).toMatchObject({ kind: "breach", breach: { bound: "max", limit: 0.05 } });
    expect(gateVerdict(feedAt(fresh(), [[0, v(0.2)]]), false)).not.toHaveProperty("sustained");
  });
});
