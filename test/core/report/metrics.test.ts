// Every release metric against values computed by hand from test/support/report-history.ts.
import { distribution, releaseMetrics } from "../../../src/core/report/metrics.js";
import { releaseStories } from "../../../src/core/report/release-stories.js";
import { reportHistory } from "../../support/report-history.js";

const MIN = 60_000;
const HOUR = 60 * MIN;

function metrics() {
  const facts = reportHistory();
  const stories = releaseStories(facts);
  return { stories, m: releaseMetrics(stories, { now: facts.now, rollbackSloMs: facts.rollbackSloMs }) };
}

describe("release stories", () => {
  it("give each release its state from trusted records only", () => {
    const { stories } = metrics();
    expect(stories.map((s) => [s.number, s.state])).toEqual([
      [5, "rolling-out"],
      [4, "rolled-back"],
      [3, "complete"],
      [2, "rolled-back"],
      [1, "complete"],
    ]);
    // The forged rollback of #1 and the forged success of #5 are listed, not used.
    const one = stories.find((s) => s.number === 1)!;
    expect(one.rollback).toBeUndefined();
    expect(one.ignored).toEqual([expect.objectContaining({ kind: "deployment", by: "mallory" })]);
    expect(stories.find((s) => s.number === 5)!.ignored).toEqual([expect.objectContaining({ kind: "status", state: "success", by: "mallory" })]);
  });

  it("read the rollback log: trigger, breach, seconds to revert", () => {
    const two = metrics().stories.find((s) => s.number === 2)!;
    expect(two.rollback).toMatchObject({
      reason: "error-rate breach",
      breach: { at: "2026-11-04T10:10:00Z", stage: "canary", description: "error-rate 2% > 1%" },
      startedAt: "2026-11-04T10:11:00Z",
      restoredAt: "2026-11-04T10:13:00Z",
      durationMs: 120_000,
      restoreMs: 180_000,
      withinSlo: true,
    });
  });

  it("read an override's request and approval back from the post-mortem issue the app wrote", () => {
    const three = metrics().stories.find((s) => s.number === 3)!;
    expect(three.override).toEqual({
      requester: "alice",
      approver: "bob",
      requestedAt: "2026-11-09T08:00:00Z",
      approvedAt: "2026-11-09T08:45:00Z",
      latencyMs: 45 * MIN,
      reason: "hotfix <b>now</b>",
      issue: { number: 90, url: "https://github.com/acme/shop/issues/90" },
    });
  });
});

describe("release metrics (hand-computed)", () => {
  it("deployment frequency: 2 completed over ceil(13.58 days / 7) = 2 weeks", () => {
    expect(metrics().m.deploymentFrequency).toEqual({
      completed: 2,
      weeks: 2,
      perWeek: 1,
      series: [
        { week: "2026-11-02", count: 1 },
        { week: "2026-11-09", count: 1 },
        { week: "2026-11-16", count: 0 },
      ],
    });
  });

  it("lead time: #1 08:00 → 12:00 = 4 h, #3 Nov 5 00:00 → Nov 9 13:00 = 109 h", () => {
    const lead = metrics().m.leadTime;
    expect(lead.series).toEqual([
      { release: 1, ms: 4 * HOUR },
      { release: 3, ms: 109 * HOUR },
    ]);
    expect(lead).toMatchObject({ count: 2, median: 56.5 * HOUR, mean: 56.5 * HOUR, max: 109 * HOUR });
  });

  it("change failure rate: #2 and #4 rolled back of 4 concluded (#5 still rolling out) = 50 %", () => {
    expect(metrics().m.changeFailureRate).toEqual({ failed: 2, concluded: 4, rate: 0.5 });
  });

  it("time to restore: #2 10:10 → 10:13 = 180 s, #4 10:20 → 10:35 = 900 s; MTTR 540 s", () => {
    expect(metrics().m.timeToRestore).toMatchObject({ count: 2, mean: 540_000, median: 540_000, max: 900_000 });
  });

  it("rollback duration vs a 5-minute SLO: 120 s within, 600 s over", () => {
    expect(metrics().m.rollbackDuration).toEqual({
      count: 2,
      mean: 360_000,
      median: 360_000,
      max: 600_000,
      sloMs: 300_000,
      withinSlo: 1,
      series: [
        { release: 2, ms: 120_000 },
        { release: 4, ms: 600_000 },
      ],
    });
  });

  it("approval latency: 45 min and 30 min, median 37.5 min; 2 overrides in November", () => {
    const { m } = metrics();
    expect(m.approvalLatency).toMatchObject({ count: 2, median: 37.5 * MIN, max: 45 * MIN });
    expect(m.overridesPerMonth).toEqual([{ month: "2026-11", count: 2 }]);
  });

  it("an overridden release that failed a stage counts as a change failure even without a rollback", () => {
    const facts = reportHistory();
    // Drop #4's rollback: it stays failed (stage failure) and overridden.
    facts.deployments = facts.deployments.filter((d) => !(d.payload?.release === 4 && d.payload.rollback));
    const stories = releaseStories(facts);
    expect(stories.find((s) => s.number === 4)!.state).toBe("failed");
    expect(releaseMetrics(stories, { now: facts.now, rollbackSloMs: 1 }).changeFailureRate).toEqual({ failed: 2, concluded: 4, rate: 0.5 });
  });

  it("distribution: median of an even count is the mean of the middle two; nothing measured is empty", () => {
    expect(distribution([4, 1, 3, 2])).toEqual({ count: 4, mean: 2.5, median: 2.5, max: 4 });
    expect(distribution([7])).toEqual({ count: 1, mean: 7, median: 7, max: 7 });
    expect(distribution([])).toEqual({ count: 0 });
  });
});
