// Regions as environments in the pure rollout core: state, last good SHA, rollback, order and windows
// are read per environment of the plan.
import type { BlackoutWindow, Stage } from "../../../src/core/config/schema.js";
import { blackoutWindowSchema } from "../../../src/core/config/schema.js";
import { rollbackDecision } from "../../../src/core/rollout/decisions.js";
import { deriveRollout } from "../../../src/core/rollout/derive-rollout.js";
import { decideAdvance, decideProtectionRule, type AdvanceContext } from "../../../src/core/rollout/guards.js";
import { planRollback } from "../../../src/core/rollout/plan-rollback.js";
import type { DeploymentRecord, DeploymentState } from "../../../src/core/rollout/types.js";
import { renderStatusComment, emptyStatusState } from "../../../src/core/render/status-comment.js";

const EU = "production-eu";
const US = "production-us";
const RELEASE = 9;
const MERGE = "m".repeat(40);
const PLAN: Stage[] = [
  { name: "internal", cohort: "internal", environment: EU, percent: 100, observe: "0s" },
  { name: "eu-10", environment: EU, percent: 10, observe: "0s" },
  { name: "eu-100", environment: EU, percent: 100, observe: "0s" },
  { name: "us-100", environment: US, percent: 100, observe: "0s" },
];

function record(id: number, environment: string, stage: string, states: DeploymentState[], options: { release?: number; sha?: string; rollback?: { of: number; reason: string } } = {}): DeploymentRecord {
  return {
    id,
    sha: options.sha ?? MERGE,
    environment,
    createdAt: `2026-01-01T00:${String(id % 60).padStart(2, "0")}:00Z`,
    creator: "release-gate[bot]",
    payload: { stage, percent: 100, release: options.release ?? RELEASE, plan: PLAN, triggers: [], ...(options.rollback ? { rollback: options.rollback } : {}) },
    statuses: states.map((state, i) => ({ state, createdAt: `2026-01-01T00:${String(id % 60).padStart(2, "0")}:${String(10 + i)}Z` })).reverse(),
  };
}

/** The last good release of each region: different SHAs. */
const GOOD = [record(1, EU, "eu-100", ["success"], { release: 8, sha: "e".repeat(40) }), record(2, US, "us-100", ["success"], { release: 8, sha: "u".repeat(40) })];
const derive = (...deployments: DeploymentRecord[]) => deriveRollout({ release: RELEASE, plan: PLAN, deployments: [...GOOD, ...deployments] });

function ctx(deployments: DeploymentRecord[], rollout: Partial<AdvanceContext["config"]["rollout"]> = {}, now = new Date("2026-01-05T12:00:00Z")): AdvanceContext {
  return {
    state: derive(...deployments),
    pull: { merged: true, mergeCommitSha: MERGE, headSha: "h".repeat(40), labels: [] },
    readiness: { sha: "h".repeat(40), passed: true },
    override: null,
    config: { rollout: { "allow-pre-merge": false, "pause-label": "release:paused", blackout: [], ...rollout } },
    now,
  };
}
const window = (w: Record<string, unknown>): BlackoutWindow => blackoutWindowSchema.parse(w);
const codes = (d: ReturnType<typeof decideAdvance>) => (d.allowed ? [d.stage.name] : d.refusals.map((r) => r.code));

describe("regions: rollout state per environment", () => {
  it("counts a stage's deployment only in the stage's environment, and keeps a last good SHA per environment", () => {
    // A deployment named eu-100 but made in the US region starts nothing.
    const state = derive(record(10, EU, "internal", ["success"]), record(11, US, "eu-100", ["success"]));
    expect(state.stages.map((s) => [s.name, s.environment, s.cohort ?? null, s.phase])).toEqual([
      ["internal", EU, "internal", "success"],
      ["eu-10", EU, null, "pending"],
      ["eu-100", EU, null, "pending"],
      ["us-100", US, null, "pending"],
    ]);
    expect(state.lastGood).toEqual({ [EU]: "e".repeat(40), [US]: "u".repeat(40) });
    expect(state.lastGoodSha).toBe("e".repeat(40));
  });

  it("does not take another release's cohort stage (100 % of a cohort) for a version that served everyone", () => {
    const cohortOnly = { ...record(5, EU, "internal", ["success"], { release: 8, sha: "c".repeat(40) }) };
    cohortOnly.payload = { ...cohortOnly.payload!, cohort: "internal" };
    expect(derive(cohortOnly).lastGood[EU]).toBe("e".repeat(40));
  });

  it("moves to the next stage whichever environment it is in, and never skips across environments", () => {
    const euDone = [record(10, EU, "internal", ["success"]), record(11, EU, "eu-10", ["success"]), record(12, EU, "eu-100", ["success"])];
    expect(codes(decideAdvance(ctx(euDone)))).toEqual(["us-100"]);
    const skip = decideAdvance({ ...ctx(euDone.slice(0, 2)), requestedStage: "us-100" });
    expect(!skip.allowed && skip.refusals[0]!.message).toBe("stages cannot be skipped; the next stage is eu-100.");
  });

  it("rolls back every environment reached, newest first, each to its own last good SHA", () => {
    const reachedUs = [record(10, EU, "internal", ["success"]), record(12, EU, "eu-100", ["success"]), record(13, US, "us-100", ["in_progress"])];
    const plan = planRollback(derive(...reachedUs), "errors");
    expect(plan.environments.map((e) => [e.environment, e.stage, e.targetSha, e.payload?.rollback?.of])).toEqual([
      [US, "us-100", "u".repeat(40), 13],
      [EU, "eu-100", "e".repeat(40), 12],
    ]);
    expect(plan.updates[0]).toEqual({ deploymentId: 13, state: "failure", description: "Rolled back: errors" });
    const euOnly = planRollback(derive(record(10, EU, "internal", ["success"]), record(12, EU, "eu-100", ["success"])), "x");
    expect(euOnly.environments.map((e) => e.environment)).toEqual([EU]);
  });

  it("rolls back what it can when one environment has no earlier good deployment, and says so", () => {
    const state = deriveRollout({ release: RELEASE, plan: PLAN, deployments: [GOOD[0]!, record(12, EU, "eu-100", ["success"]), record(13, US, "us-100", ["in_progress"])] });
    const decision = rollbackDecision({ rollout: state, triggers: [] } as unknown as Parameters<typeof rollbackDecision>[0], "errors");
    expect(decision.ok && decision.steps.map((s) => [s.environment, s.sha])).toEqual([[EU, "e".repeat(40)]]);
    expect(decision.ok && decision.notes).toEqual(["No earlier successful deployment exists in `production-us`, so nothing can be redeployed there; the stage is marked failed."]);
  });

  it("rejects a stage's deployment made in another environment than the plan's", () => {
    const euDone = [record(10, EU, "internal", ["success"]), record(11, EU, "eu-10", ["success"]), record(12, EU, "eu-100", ["success"])];
    const base = ctx(euDone);
    const ask = (environment: string) =>
      decideProtectionRule({ ...base, rollout: { release: RELEASE, plan: PLAN, deployments: [...GOOD, ...euDone] }, deployment: record(20, environment, "us-100", []) });
    expect(ask(US).state).toBe("approved");
    const wrong = ask(EU);
    expect(wrong.state === "rejected" && wrong.refusals).toEqual([{ code: "wrong-environment", message: "Stage us-100 deploys to production-us, not production-eu." }]);
  });

  it("approves a rollback deployment only onto its own environment's last good SHA", () => {
    const started = [record(12, EU, "eu-100", ["success"]), record(13, US, "us-100", ["in_progress"])];
    const base = ctx(started);
    const ask = (environment: string, sha: string) =>
      decideProtectionRule({ ...base, rollout: { release: RELEASE, plan: PLAN, deployments: [...GOOD, ...started] }, deployment: record(20, environment, "us-100", [], { sha, rollback: { of: 13, reason: "x" } }) }).state;
    expect([ask(EU, "e".repeat(40)), ask(US, "u".repeat(40)), ask(EU, "u".repeat(40))]).toEqual(["approved", "approved", "rejected"]);
  });
});

describe("regions: windows scoped to environments", () => {
  const euDone = [record(10, EU, "internal", ["success"]), record(11, EU, "eu-10", ["success"]), record(12, EU, "eu-100", ["success"])];
  // Monday 2026-01-05 12:00 UTC = 07:00 in New York, 13:00 in Berlin.
  const usDay = window({ name: "us-day", environments: [US], "time-zone": "America/New_York", start: "06:00", end: "18:00" });

  it("holds only stages of the environments a blackout names", () => {
    expect(codes(decideAdvance(ctx(euDone.slice(0, 1), { blackout: [usDay] })))).toEqual(["eu-10"]);
    const held = decideAdvance(ctx(euDone, { blackout: [usDay] }));
    expect(!held.allowed && held.refusals[0]).toEqual({
      code: "blackout",
      message: "Blackout window us-day for `production-us` is in force until 2026-01-05 23:00 UTC.",
      until: "2026-01-05T23:00:00.000Z",
    });
  });

  it("lets a stage start only inside its environment's release window, and says when the next opens", () => {
    const euNight = window({ name: "eu-night", environments: [EU], "time-zone": "Europe/Berlin", start: "22:00", end: "06:00" });
    const refused = decideAdvance(ctx(euDone.slice(0, 1), { "release-windows": [euNight] }));
    expect(!refused.allowed && refused.refusals).toEqual([
      { code: "release-window", message: "Stages in `production-eu` start only inside its release window (eu-night); the next opens at 2026-01-05 21:00 UTC.", until: "2026-01-05T21:00:00.000Z" },
    ]);
    expect(codes(decideAdvance(ctx(euDone.slice(0, 1), { "release-windows": [euNight] }, new Date("2026-01-05T23:30:00Z"))))).toEqual(["eu-10"]);
    // A five-minute window on Wednesdays in a half-hour zone opens at its own start, not a minute off.
    const short = window({ name: "short", environments: [EU], "time-zone": "Asia/Kolkata", days: ["wed"], start: "10:00", end: "10:05" });
    const wait = decideAdvance(ctx(euDone.slice(0, 1), { "release-windows": [short] }));
    expect(!wait.allowed && wait.refusals[0]!.until).toBe("2026-01-07T04:30:00.000Z");
    // A window that never opens again (dates in the past) says so instead of naming a time.
    const past = window({ name: "past", environments: [EU], from: "2020-01-01", to: "2020-01-02" });
    const never = decideAdvance(ctx(euDone.slice(0, 1), { "release-windows": [past] }));
    expect(!never.allowed && never.refusals[0]!.message).toBe("Stages in `production-eu` start only inside its release window (past); none opens within a week.");
    // The US has no window of its own: its stage is not held by the EU's.
    expect(codes(decideAdvance(ctx(euDone, { "release-windows": [euNight] })))).toEqual(["us-100"]);
  });
});

describe("regions: the status comment", () => {
  it("shows each stage's environment and cohort, and each environment's last good SHA", () => {
    const body = renderStatusComment({ rollout: derive(record(10, EU, "internal", ["success"])), stored: emptyStatusState(), help: "", now: new Date("2026-01-05T12:00:00Z") });
    expect(body).toContain("| Stage | Environment | Cohort | Traffic | State | By | Started | Deployment |");
    expect(body).toMatch(/\| internal \| production-eu \| internal \| whole cohort \| ✅ success/);
    expect(body).toContain("| us-100 | production-us |  | 100% | ⏳ pending |");
    expect(body).toContain("A rollback redeploys each environment's last good version: `eeeeeee` in `production-eu`, `uuuuuuu` in `production-us`.");
  });
});
