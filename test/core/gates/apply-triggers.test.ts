import { gateSchema, type Gate } from "../../../src/core/config/schema.js";
import { applyTriggers, metricSlug, sustainedBounds } from "../../../src/core/gates/apply-triggers.js";
import { parseTriggers, type RollbackTrigger } from "../../../src/core/plan/parse-triggers.js";

const gate = (name: string, extra: Record<string, unknown>): Gate => gateSchema.parse({ name, command: "echo 0", ...extra });
const triggers = (text: string): RollbackTrigger[] => parseTriggers([{ line: 1, text }]);

describe("applyTriggers", () => {
  it("maps 'error rate > 1%' onto a ratio gate named error-rate, tightening its max", () => {
    const plan = applyTriggers([gate("error-rate", { max: 0.02, unit: "ratio" })], triggers("error rate > 1%"));
    expect(plan.gates[0]!.max).toBeCloseTo(0.01);
    expect(plan.applied).toMatchObject([{ gate: "error-rate", bound: "max", tightened: true }]);
    expect(plan.applied[0]!.forMs).toBeUndefined();
    expect(plan.unapplied).toEqual([]);
  });

  // Before issue 12 "for 5m" was dropped and the trigger tightened `max` like a single sample.
  it("turns 'error rate > 1% for 5m' into a sustained bound and leaves the per-sample max alone", () => {
    const plan = applyTriggers([gate("error-rate", { max: 0.02, unit: "ratio" })], triggers("error rate > 1% for 5m"));
    expect(plan.gates[0]!.max).toBe(0.02);
    expect(plan.applied).toMatchObject([{ gate: "error-rate", bound: "max", tightened: true, forMs: 300_000 }]);
    expect(sustainedBounds(plan, "error-rate")).toEqual([{ bound: "max", limit: 0.01, forMs: 300_000, text: "> 1% for 5m" }]);
    expect(sustainedBounds(plan, "latency")).toEqual([]);
  });

  it("keeps no sustained bound that is looser than the gate's own", () => {
    const plan = applyTriggers([gate("error-rate", { max: 0.005, unit: "ratio" })], triggers("error rate > 1% for 5m"));
    expect(plan.applied).toMatchObject([{ tightened: false, forMs: 300_000 }]);
    expect(sustainedBounds(plan, "error-rate")).toEqual([]);
  });

  it("never loosens a gate", () => {
    const plan = applyTriggers([gate("error-rate", { max: 0.5, unit: "percent" })], triggers("error rate > 1%"));
    expect(plan.gates[0]!.max).toBe(0.5);
    expect(plan.applied).toMatchObject([{ limit: 1, tightened: false }]);
  });

  it("converts milliseconds and seconds", () => {
    const plan = applyTriggers([gate("p99-latency", { max: 2, unit: "s" })], triggers("p99 latency > 800ms"));
    expect(plan.gates[0]!.max).toBe(0.8);
    const ms = applyTriggers([gate("p99-latency", { max: 2000, unit: "ms" })], triggers("p99 latency > 1.5s"));
    expect(ms.gates[0]!.max).toBe(1500);
  });

  it("maps 'x baseline' onto max-ratio-to-baseline, whatever the gate's unit", () => {
    const plan = applyTriggers([gate("p99-latency", { max: 2000 })], triggers("p99 latency > 2x baseline"));
    expect(plan.gates[0]).toMatchObject({ max: 2000, "max-ratio-to-baseline": 2 });
  });

  it("maps lower limits onto min", () => {
    const plan = applyTriggers([gate("success-rate", { min: 99, unit: "percent" })], triggers("success rate drops below 99.5%"));
    expect(plan.gates[0]!.min).toBe(99.5);
  });

  it("matches gate names written in other case or punctuation", () => {
    const plan = applyTriggers([gate("Error Rate", { max: 5, unit: "percent" })], triggers("error rate > 1%"));
    expect(plan.gates[0]!.max).toBe(1);
    expect(metricSlug("P99 latency_ms")).toBe("p99-latency-ms");
  });

  it("explains triggers it cannot apply instead of guessing", () => {
    const plan = applyTriggers(
      [gate("error-rate", { max: 0.02 }), gate("5xx", { max: 5, unit: "ms" }), gate("p99-latency", { max: 800, unit: "ms" })],
      [...triggers("error rate > 1%"), ...triggers("5xx > 0.5%"), ...triggers("checkout failures > 3"), ...triggers("p99 latency below 0.5x baseline")],
    );
    expect(plan.unapplied.map((u) => u.reason)).toEqual(["unit-unknown", "unit-mismatch", "no-gate", "unsupported-comparator"]);
    expect(plan.unapplied[0]!.message).toMatch(/set `unit` on the gate/);
    expect(plan.gates[0]!.max).toBe(0.02);
  });

  it("applies unitless triggers to gates without a unit", () => {
    const plan = applyTriggers([gate("checkout-failures", { max: 10 })], triggers("more than 3 checkout failures"));
    expect(plan.gates[0]!.max).toBe(3);
  });

  it("does not change the configured gates it was given", () => {
    const configured = [gate("error-rate", { max: 0.02, unit: "ratio" })];
    applyTriggers(configured, triggers("error rate > 1%"));
    expect(configured[0]!.max).toBe(0.02);
  });
});
