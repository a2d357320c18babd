import { finishStage } from "../../../src/action/stage/finish.js";
import { observeStage } from "../../../src/action/stage/observe.js";
import { startStage } from "../../../src/action/stage/start.js";
import { renderStageSummary } from "../../../src/core/render/stage-summary.js";
import { valueReading } from "../../../src/core/gates/sample.js";
import type { CounterSample } from "../../../src/core/gates/watch-compare.js";
import type { DeploymentRecord } from "../../../src/core/rollout/types.js";
import { CONTEXT, stageHarness, stageInputs } from "./harness.js";

const GOOD = "a".repeat(40);
const recent: DeploymentRecord[] = [{ id: 1, sha: GOOD, environment: "production", createdAt: "2026-11-22T10:00:00Z", creator: null, payload: null, statuses: [{ state: "success", createdAt: "2026-11-22T10:00:00Z" }] }];

const compareGate = (extra = "") =>
  [
    "- name: errors-vs-stable",
    "  compare:",
    "    prometheus: { url: 'http://prom.internal:9090' }",
    "    canary: { errors: 'sum(canary_errors_total)', total: 'sum(canary_requests_total)' }",
    "    baseline: { errors: 'sum(stable_errors_total)', total: 'sum(stable_requests_total)' }",
    "  max-increase: 50%",
    extra,
  ].join("\n");

/** Cumulative counters at round i with `perRound` requests per track per interval. */
const traffic =
  (perRound: number, canaryRate: number, baselineRate: number, missingRounds: number[] = []) =>
  (i: number): CounterSample =>
    missingRounds.includes(i)
      ? { kind: "missing", detail: "canary errors: nan: the query returned NaN" }
      : { kind: "counters", reading: { canaryErrors: Math.round(i * perRound * canaryRate), canaryTotal: i * perRound, baselineErrors: Math.round(i * perRound * baselineRate), baselineTotal: i * perRound } };

async function run(counters: (i: number) => CounterSample, values: Record<string, string>) {
  const h = stageHarness(() => valueReading(0), { recent, counters });
  const inputs = stageInputs({ stage: "canary", percent: "5", observe: "1m", interval: "1s", shift: "shift-traffic", ...values });
  const started = await startStage(inputs, CONTEXT, h.deps);
  const outcome = await finishStage(inputs, started, await observeStage(inputs, started, h.deps), h.deps);
  return { h, outcome, summary: renderStageSummary(outcome.report) };
}

describe("the Action's stage with a compare gate", () => {
  it("reads compare gates from the `gates` input next to metric gates", () => {
    const inputs = stageInputs({ gates: `${compareGate()}\n- { name: p99, command: latency, max: 1 }` });
    expect(inputs.gates.map((g) => g.name)).toEqual(["p99"]);
    expect(inputs.compare).toMatchObject([{ name: "errors-vs-stable", "max-increase": 0.5, confidence: 0.95, shadow: false }]);
  });

  it("takes a zero point after the shift, rolls back on a 3x regression inside the window and stops sampling", async () => {
    const { h, outcome, summary } = await run(traffic(2000, 0.03, 0.01), { gates: compareGate() });
    expect(outcome).toMatchObject({ verdict: "failure", outputs: { "rolled-back": "true" } });
    expect(outcome.reason).toMatch(/^canary 5%: breach, errors-vs-stable: canary\/baseline error-rate ratio \S+, 95% interval \[\S+, \S+\] above 1\.5 after \d+ looks$/);
    const rounds = h.calls.filter((c) => c === "counters errors-vs-stable").length;
    expect(h.calls.indexOf("shell shift-traffic")).toBeLessThan(h.calls.indexOf("counters errors-vs-stable"));
    expect(rounds).toBeLessThan(60);
    // Rollback: the failed stage, a rollback deployment of the last good SHA, the rollback command.
    expect(h.calls.slice(-5)).toEqual(expect.arrayContaining(["status 100 failure", `create ${GOOD.slice(0, 7)} rollback`, "shell shift-traffic", "status 101 success"]));
    expect(summary).toMatch(/❌ failure \| errors-vs-stable ratio \S+ \|/);
    expect(summary).toContain("**Canary vs baseline**");
    expect(summary).toMatch(/\| errors-vs-stable \| ≤ 1\.5x at 95% \| \S+ \| \[\S+, \S+\] \| \d+ \(0\) \| \d+ \/ \d+ \| \d+ \/ \d+ \| breach at 2026-11-23 12:00:\d\d UTC \|/);
    expect(summary).toContain("errors-vs-stable: Roll back when the always-valid 95% interval");
  });

  it("passes an A/A comparison, but the stage still waits for its whole window", async () => {
    const { h, outcome, summary } = await run(traffic(5000, 0.02, 0.02), { gates: compareGate(), observe: "2m" });
    expect(outcome).toMatchObject({ verdict: "success", reason: "canary 5%: every gate passed over 2m" });
    const rounds = h.calls.filter((c) => c === "counters errors-vs-stable").length;
    expect(rounds).toBeLessThan(120); // not sampled after the pass ...
    expect(h.clock.now - Date.parse("2026-11-23T12:00:00Z")).toBe(120_000); // ... yet the window ran to its end
    expect(summary).toMatch(/\| pass at 2026-11-23 12:0\d:\d\d UTC \|/);
  });

  it("ends inconclusive, never success, on low traffic and on missing data, saying how much more traffic is needed", async () => {
    const low = await run(traffic(5, 0.04, 0.02), { gates: compareGate(), observe: "10s" });
    expect(low.outcome.verdict).toBe("inconclusive");
    expect(low.outcome.reason).toMatch(/^canary 5%: inconclusive, errors-vs-stable undecided after 10 looks: not enough traffic to decide: about \S+× the traffic seen so far \(\d+ more canary and \d+ more baseline requests\)/);
    expect(low.h.calls.at(-1)).toBe("status 100 error");
    expect(low.summary).toContain("errors-vs-stable undecided: not enough traffic to decide");

    // Every other round missing: the missing ones are not looks, and still nothing passes.
    const gaps = await run(traffic(5, 0.04, 0.02, [1, 3, 5, 7, 9]), { gates: compareGate(), observe: "10s" });
    expect(gaps.outcome.verdict).toBe("inconclusive");
    expect(gaps.outcome.report.compares![0]).toMatchObject({ missing: 5, tally: { looks: 5 } });
    expect(gaps.summary).toContain("errors-vs-stable: 5 rounds without data (last: canary errors: nan: the query returned NaN); a missing round is never a pass");
  });

  it("in shadow mode records 'would have rolled back at …' in the log and summary and does not roll back", async () => {
    const { h, outcome, summary } = await run(traffic(2000, 0.03, 0.01), { gates: compareGate("  shadow: true"), observe: "30s" });
    expect(outcome.verdict).toBe("success");
    expect(outcome.reason).toMatch(/^canary 5%: observed 30s with shadow gates only, which never act; shadow gate errors-vs-stable would have rolled back at 2026-11-23T12:00:\d\d\.000Z$/);
    expect(h.calls.filter((c) => c.includes("rollback"))).toEqual([]);
    expect(h.calls.filter((c) => c === "shell shift-traffic")).toHaveLength(1);
    expect(h.io.log.filter((l) => l.startsWith("warning: "))).toEqual([expect.stringMatching(/^warning: errors-vs-stable \(shadow, no action taken\): would have rolled back at 2026-11-23T12:00:\d\d\.000Z: Roll back when/)]);
    expect(summary).toMatch(/errors-vs-stable \(shadow, no action taken\): would have rolled back at 2026-11-23T12:00:\d\d\.000Z: Roll back when/);
    expect(summary).toContain("| errors-vs-stable (shadow) |");
  });

  it("neutralises Markdown in a compare gate's name in the summary", async () => {
    const gates = compareGate().replace("name: errors-vs-stable", "name: '**bold** [x](http://evil)'");
    const { summary } = await run(traffic(5, 0.04, 0.02), { gates, observe: "3s" });
    expect(summary).not.toContain("**bold**");
    expect(summary).not.toContain("[x](http://evil)");
  });
});

describe("a compare gate in a `mode: start` step", () => {
  it("is listed as watching in the started stage's summary, and no counter is read before the shift", async () => {
    const { runStage } = await import("../../../src/action/run-stage.js");
    const h = stageHarness(() => valueReading(0), { recent, counters: traffic(100, 0.01, 0.01) });
    const inputs = stageInputs({ mode: "start", stage: "canary", percent: "5", gates: compareGate() });
    const outcome = await runStage(inputs, CONTEXT, h.deps);
    expect(outcome.verdict).toBe("started");
    expect(h.calls.filter((c) => c.startsWith("counters"))).toEqual([]);
    expect(renderStageSummary(outcome.report)).toMatch(/\| errors-vs-stable \| ≤ 1\.5x at 95% \| – \| – \| 0 \(0\) \| – \| – \| watching \|/);
  });
});
