import { gateSchema } from "../../../src/core/config/schema.js";
import { applyTriggers, sustainedBounds } from "../../../src/core/gates/apply-triggers.js";
import { missingReading, valueReading } from "../../../src/core/gates/sample.js";
import { recordSample, startWatch } from "../../../src/core/gates/watch-gates.js";
import { parseTriggers } from "../../../src/core/plan/parse-triggers.js";
import { renderStageSummary, type StageReport } from "../../../src/core/render/stage-summary.js";

const gate = gateSchema.parse({ name: "error-rate", command: "x", max: 0.05, unit: "ratio", "failure-limit": 1 });
const plan = applyTriggers([gate], parseTriggers([{ line: 2, text: "error rate > 1%; checkout: failures > 3" }]));
let watch = startWatch(plan.gates[0]!);
watch = recordSample(watch, valueReading(0.002), "2026-11-23T12:00:10.000Z");
watch = recordSample(watch, missingReading("empty-result", "no series"), "2026-11-23T12:00:20.000Z");
watch = recordSample(watch, valueReading(0.3), "2026-11-23T12:00:30.000Z");
watch = recordSample(watch, valueReading(0.4), "2026-11-23T12:00:40.000Z");

const report: StageReport = {
  stage: "canary",
  percent: 1,
  environment: "production",
  release: 42,
  sha: "c".repeat(40),
  deploymentId: 9,
  dryRun: false,
  startedAt: "2026-11-23T12:00:00.000Z",
  endedAt: "2026-11-23T12:00:41.000Z",
  verdict: "failure",
  reason: "canary 1%: breach, error-rate: 0.4 > max 0.01 (2 breaches, limit 1)",
  watches: [watch],
  applied: plan.applied,
  unapplied: plan.unapplied,
  earlier: [{ stage: "smoke <b>", percent: 0.5, state: "success", startedAt: "2026-11-23T11:00:00Z", endedAt: "2026-11-23T11:30:00Z", deploymentId: 3 }],
  rollback: { ok: true, ref: "a".repeat(40), deploymentId: 10, seconds: 0.41, detail: "shift command succeeded", at: "2026-11-23T12:00:41.000Z" },
};

describe("renderStageSummary", () => {
  const md = renderStageSummary(report);

  it("shows the rollout so far as a table, this stage last with its gate values", () => {
    expect(md).toContain("### ❌ Release Gate: canary (1%) in production: failure");
    expect(md).toContain("| smoke \\<b\\> | 0.5% | 2026-11-23 11:00:00 UTC | 2026-11-23 11:30:00 UTC | success | |");
    expect(md).toContain("| **canary** | 1% | 2026-11-23 12:00:00 UTC | 2026-11-23 12:00:41 UTC | ❌ failure | error-rate 0.4 |");
  });

  it("lists each gate's readings and breaches", () => {
    expect(md).toContain("| error-rate | ≤ 0.01 ratio | 3 / 4 | 0.002 | 0.4 | 0.4 | 2 (1) | breach |");
  });

  it("writes the unit after each absolute bound and none after a ratio to the baseline", () => {
    const latency = gateSchema.parse({ name: "p99", command: "x", max: 0.8, min: 0.01, "max-ratio-to-baseline": 2, unit: "s" });
    const share = gateSchema.parse({ name: "errors", command: "x", max: 5, unit: "percent" });
    const summary = renderStageSummary({ ...report, watches: [startWatch(latency), startWatch(share)], applied: [], unapplied: [] });
    expect(summary).toContain("| p99 | ≤ 0.8 s, ≥ 0.01 s, ≤ 2x baseline | 0 / 0 |");
    expect(summary).toContain("| errors | ≤ 5% | 0 / 0 |");
    expect(summary).not.toContain("baseline s");
  });

  it("says which triggers became bounds and which could not, and why", () => {
    expect(md).toContain("- `error-rate > 1%` → error-rate max 0.01");
    expect(md).toMatch(/- `failures > 3` not applied: no gate is named failures/);
  });

  it("shows a trigger with a duration as a sustained bound, with its state, and where a window across runs stands", () => {
    const sustainedPlan = applyTriggers([gate], parseTriggers([{ line: 2, text: "error rate > 1% for 5m" }]));
    let w = startWatch(sustainedPlan.gates[0]!, undefined, sustainedBounds(sustainedPlan, "error-rate"));
    w = recordSample(w, valueReading(0.02), "2026-11-23T12:00:10.000Z");
    const summary = renderStageSummary({ ...report, verdict: "observing", endedAt: undefined, watches: [w], applied: sustainedPlan.applied, unapplied: [], window: { start: "2026-11-23T12:00:00.000Z", ms: 86_400_000, phase: "soak", runs: 3 } });
    expect(summary).toContain("### ⏳ Release Gate: canary (1%) in production: observing");
    expect(summary).toContain("- `error-rate > 1% for 5m` → error-rate max 0.01, breaches only when passed for 5m without a break (sustained)");
    expect(summary).toContain("| error-rate | ≤ 0.05 ratio, ≤ 0.01 ratio unless passed for 5m (past it since 2026-11-23 12:00:10 UTC) | 1 / 1 |");
    expect(summary).toContain("**Window**: 24h from 2026-11-23 12:00:00 UTC to 2026-11-24 12:00:00 UTC; run 3 (soak: one check per scheduled run).");
  });

  it("records the rollback and its time", () => {
    expect(md).toContain("**Rollback**: done to `aaaaaaa` (deployment 10), 0.41s from breach detected to rollback success.");
  });

  it("draws a Mermaid timeline whose entries cannot break its colon syntax", () => {
    const timeline = md.slice(md.indexOf("```mermaid"), md.lastIndexOf("```"));
    expect(timeline).toContain("  title Release PR 42 in production");
    expect(timeline).toContain("  12.00.10 : error-rate 0.002 ok");
    expect(timeline).toContain("  12.00.20 : error-rate no data ?");
    expect(timeline).toContain("  12.00.40 : error-rate 0.4 breach");
    expect(timeline).toContain("  12.00.41 : rollback done in 410ms");
    expect(timeline).toContain("  11.00.00 : smoke b 0.5% success");
    for (const line of timeline.split("\n").filter((l) => l.startsWith("  1"))) expect(line.split(" : ").every((part) => !part.slice(9).includes(":"))).toBe(true);
  });
});
