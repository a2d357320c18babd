import type { BlackoutWindow } from "../../../src/core/config/schema.js";
import { deriveRollout } from "../../../src/core/rollout/derive-rollout.js";
import { decideAdvance, decideProtectionRule, type AdvanceContext } from "../../../src/core/rollout/guards.js";
import { trustPolicy } from "../../../src/core/rollout/trust.js";
import type { DeploymentRecord } from "../../../src/core/rollout/types.js";
import { deployment, PLAN, RELEASE } from "../../support/rollout-builders.js";

const HEAD = "h".repeat(40);
const MERGE = "m".repeat(40);
const NOW = new Date("2026-01-01T15:00:00Z");
const AN_HOUR_AGO = "2026-01-01T14:00:00Z";
const TEN_MINUTES_AGO = "2026-01-01T14:50:00Z";

const succeeded = (id: number, stage: string, at = AN_HOUR_AGO) =>
  deployment({ id, stage, sha: MERGE, at: "2026-01-01T00:00:00Z", statuses: [["in_progress", "2026-01-01T00:00:01Z"], ["success", at]] });
const withStatus = (id: number, stage: string, state: "queued" | "in_progress" | "failure") =>
  deployment({ id, stage, sha: MERGE, at: "2026-01-01T00:00:00Z", statuses: [[state, "2026-01-01T00:00:01Z"]] });

function ctx(deployments: DeploymentRecord[], over: Partial<AdvanceContext> = {}): AdvanceContext {
  return {
    state: deriveRollout({ release: RELEASE, plan: PLAN, deployments }),
    pull: { merged: true, mergeCommitSha: MERGE, headSha: HEAD, labels: [] },
    readiness: { sha: HEAD, passed: true },
    override: null,
    config: { rollout: { "allow-pre-merge": false, "pause-label": "release:paused", blackout: [] } },
    now: NOW,
    ...over,
  };
}

const codes = (decision: ReturnType<typeof decideAdvance>) => (decision.allowed ? [] : decision.refusals.map((r) => r.code));
const allowedStage = (decision: ReturnType<typeof decideAdvance>) => (decision.allowed ? [decision.stage.name, decision.index, decision.sha] : codes(decision));

describe("decideAdvance: allowed transitions", () => {
  it("starts the first stage on the merge commit", () => {
    expect(allowedStage(decideAdvance(ctx([])))).toEqual(["canary", 0, MERGE]);
  });

  it.each([
    [["canary"], "10-percent", 1],
    [["canary", "10-percent"], "50-percent", 2],
    [["canary", "10-percent", "50-percent"], "full", 3],
  ])("after %j succeeded and was observed, starts %s", (done, next, index) => {
    const deployments = done.map((stage, i) => succeeded(i + 1, stage, "2025-12-31T00:00:00Z"));
    expect(allowedStage(decideAdvance(ctx(deployments)))).toEqual([next, index, MERGE]);
    expect(allowedStage(decideAdvance(ctx(deployments, { requestedStage: next.toUpperCase() })))).toEqual([next, index, MERGE]);
  });

  it("retries a failed stage when it is named", () => {
    const deployments = [succeeded(1, "canary"), withStatus(2, "10-percent", "failure")];
    expect(allowedStage(decideAdvance(ctx(deployments, { requestedStage: "10-percent" })))).toEqual(["10-percent", 1, MERGE]);
  });

  it("deploys the head SHA before merge when pre-merge canaries are allowed", () => {
    const decision = decideAdvance(
      ctx([], { pull: { merged: false, mergeCommitSha: null, headSha: HEAD, labels: [] }, config: { rollout: { "allow-pre-merge": true, "pause-label": "release:paused", blackout: [] } } }),
    );
    expect(allowedStage(decision)).toEqual(["canary", 0, HEAD]);
  });

  it("accepts an approved override bound to the head SHA instead of a passed readiness check", () => {
    const decision = decideAdvance(ctx([], { readiness: { sha: HEAD, passed: false }, override: { sha: HEAD } }));
    expect(allowedStage(decision)).toEqual(["canary", 0, MERGE]);
  });
});

describe("decideAdvance: refused transitions", () => {
  it("refuses anything after a rollback", () => {
    const deployments = [succeeded(1, "canary"), deployment({ id: 2, at: "2026-01-01T14:30:00Z", rollback: { of: 1, reason: "x" } })];
    expect(codes(decideAdvance(ctx(deployments)))).toEqual(["rolled-back"]);
    expect(codes(decideAdvance(ctx(deployments, { requestedStage: "canary" })))).toEqual(["rolled-back"]);
  });

  it("refuses when the last stage succeeded: the rollout is complete", () => {
    const deployments = PLAN.map((s, i) => succeeded(i + 1, s.name, "2025-12-01T00:00:00Z"));
    expect(codes(decideAdvance(ctx(deployments)))).toEqual(["already-complete"]);
    expect(codes(decideAdvance(ctx(deployments, { requestedStage: "full" })))).toEqual(["already-complete"]);
  });

  it("refuses an unknown stage and names the real ones", () => {
    const decision = decideAdvance(ctx([], { requestedStage: "half" }));
    expect(codes(decision)).toEqual(["unknown-stage"]);
    expect(!decision.allowed && decision.refusals[0]!.message).toContain("canary, 10-percent, 50-percent, full");
  });

  it("refuses to skip a stage or repeat one that started", () => {
    expect(codes(decideAdvance(ctx([], { requestedStage: "50-percent" })))).toEqual(["stage-order"]);
    const skip = decideAdvance(ctx([succeeded(1, "canary")], { requestedStage: "full" }));
    expect(!skip.allowed && skip.refusals[0]!.message).toBe("stages cannot be skipped; the next stage is 10-percent.");
    expect(codes(decideAdvance(ctx([succeeded(1, "canary")], { requestedStage: "canary" })))).toEqual(["stage-order"]);
  });

  it.each(["queued", "in_progress"] as const)("refuses while a stage is %s", (state) => {
    expect(codes(decideAdvance(ctx([withStatus(1, "canary", state)])))).toEqual(["in-progress"]);
  });

  it("refuses to go past a failed stage and says how to retry", () => {
    const decision = decideAdvance(ctx([withStatus(1, "canary", "failure")]));
    expect(codes(decision)).toEqual(["previous-stage-not-successful"]);
    expect(!decision.allowed && decision.refusals[0]!.message).toContain("/release advance canary");
    expect(codes(decideAdvance(ctx([withStatus(1, "canary", "failure")], { requestedStage: "10-percent" })))).toEqual(["previous-stage-not-successful"]);
  });

  it("refuses a plain advance after the last stage failed", () => {
    const deployments = [...PLAN.slice(0, 3).map((s, i) => succeeded(i + 1, s.name, "2025-12-01T00:00:00Z")), withStatus(4, "full", "failure")];
    expect(codes(decideAdvance(ctx(deployments)))).toEqual(["previous-stage-not-successful"]);
    expect(allowedStage(decideAdvance(ctx(deployments, { requestedStage: "full" })))).toEqual(["full", 3, MERGE]);
  });

  it("refuses inside the previous stage's observation window and says until when", () => {
    const decision = decideAdvance(ctx([succeeded(1, "canary", TEN_MINUTES_AGO)]));
    expect(decision).toEqual({
      allowed: false,
      refusals: [
        {
          code: "observation-window",
          message: "Stage canary is under observation for 30m until 2026-01-01 15:20 UTC.",
          until: "2026-01-01T15:20:00.000Z",
        },
      ],
    });
    // The window ends exactly: at its end the next stage may start.
    expect(allowedStage(decideAdvance(ctx([succeeded(1, "canary", TEN_MINUTES_AGO)], { now: new Date("2026-01-01T15:20:00Z") })))).toEqual([
      "10-percent",
      1,
      MERGE,
    ]);
  });

  it("refuses before merge unless pre-merge canaries are allowed, and always after closing unmerged", () => {
    const open = { merged: false, mergeCommitSha: null, headSha: HEAD, labels: [] };
    expect(codes(decideAdvance(ctx([], { pull: open })))).toEqual(["not-merged"]);
    const closed = decideAdvance(
      ctx([], { pull: { ...open, closed: true }, config: { rollout: { "allow-pre-merge": true, "pause-label": "release:paused", blackout: [] } } }),
    );
    expect(codes(closed)).toEqual(["not-merged"]);
  });

  it.each([
    ["failed", { sha: HEAD, passed: false }, null],
    ["passed on an older SHA", { sha: "o".repeat(40), passed: true }, null],
    ["missing", null, null],
    ["failed with an override from before the last push", { sha: HEAD, passed: false }, { sha: "o".repeat(40) }],
  ])("refuses when the readiness check %s", (_name, readiness, override) => {
    expect(codes(decideAdvance(ctx([], { readiness, override })))).toEqual(["not-ready"]);
  });

  it("refuses while the pause label is on, whatever its case", () => {
    const decision = decideAdvance(ctx([], { pull: { merged: true, mergeCommitSha: MERGE, headSha: HEAD, labels: ["bug", "Release:Paused"] } }));
    expect(codes(decision)).toEqual(["paused"]);
  });

  it("refuses inside a blackout window and says when it ends", () => {
    const window: BlackoutWindow = { name: "new-year", "time-zone": "UTC", from: "2026-01-01", to: "2026-01-01" };
    const decision = decideAdvance(ctx([], { config: { rollout: { "allow-pre-merge": false, "pause-label": "release:paused", blackout: [window] } } }));
    expect(decision).toEqual({
      allowed: false,
      refusals: [{ code: "blackout", message: "Blackout window new-year is in force until 2026-01-02 00:00 UTC.", until: "2026-01-02T00:00:00.000Z" }],
    });
  });

  it("reports every guard that fails at once", () => {
    const decision = decideAdvance(
      ctx([succeeded(1, "canary", TEN_MINUTES_AGO)], {
        pull: { merged: false, mergeCommitSha: null, headSha: HEAD, labels: ["release:paused"] },
        readiness: null,
        config: { rollout: { "allow-pre-merge": false, "pause-label": "release:paused", blackout: [{ name: "all", "time-zone": "UTC", start: "00:00", end: "23:59" }] } },
      }),
    );
    expect(codes(decision)).toEqual(["observation-window", "not-merged", "not-ready", "paused", "blackout"]);
  });
});

describe("decideProtectionRule", () => {
  const base = (deployments: DeploymentRecord[], target: DeploymentRecord, over: Partial<AdvanceContext> = {}) => {
    const { state: _state, ...rest } = ctx([], over);
    return decideProtectionRule({ ...rest, rollout: { release: RELEASE, plan: PLAN, deployments: [...deployments, target] }, deployment: target });
  };
  const waiting = (id: number, stage: string, sha = MERGE) =>
    deployment({ id, stage, sha, at: "2026-01-01T14:59:00Z", statuses: [["queued", "2026-01-01T14:59:01Z"]] });

  it("approves the next stage on the right SHA, not counting the deployment being asked about", () => {
    expect(base([], waiting(1, "canary"))).toMatchObject({ state: "approved", stage: { name: "canary" } });
    expect(base([succeeded(1, "canary")], waiting(2, "10-percent"))).toMatchObject({ state: "approved", stage: { name: "10-percent" } });
  });

  it("rejects a skipped stage, a wrong SHA and a paused rollout, explaining why", () => {
    expect(base([], waiting(1, "full"))).toMatchObject({ state: "rejected", refusals: [{ code: "stage-order" }] });
    expect(base([], waiting(1, "canary", "f".repeat(40)))).toMatchObject({ state: "rejected", refusals: [{ code: "wrong-sha" }] });
    const paused = base([], waiting(1, "canary"), { pull: { merged: true, mergeCommitSha: MERGE, headSha: HEAD, labels: ["release:paused"] } });
    expect(paused).toMatchObject({ state: "rejected", comment: expect.stringContaining("paused") });
  });

  it("rejects a deployment without a Release Gate payload and says how to start a stage", () => {
    const decision = base([], deployment({ id: 9, foreign: true, at: "2026-01-01T14:59:00Z" }));
    expect(decision).toMatchObject({ state: "rejected", refusals: [{ code: "not-release-gate" }], comment: expect.stringContaining("/release advance") });
  });

  // A rollback onto the last good commit passes every guard; any other target is refused (a writer's
  // hand-made "rollback" must not deploy an arbitrary commit).
  const lastGood = deployment({ id: 0, release: RELEASE - 1, stage: "full", sha: "9".repeat(40), at: "2026-01-01T09:00:00Z", statuses: [["success", "2026-01-01T09:01:00Z"]] });

  it("approves a rollback onto the last good commit, even when every guard would refuse", () => {
    const rollback = deployment({ id: 5, sha: "9".repeat(40), at: "2026-01-01T14:59:00Z", rollback: { of: 1, reason: "error rate > 1%" } });
    const decision = base([lastGood, withStatus(1, "canary", "failure")], rollback, { readiness: null, pull: { merged: false, mergeCommitSha: null, headSha: HEAD, labels: ["release:paused"] } });
    expect(decision).toEqual({ state: "approved", comment: "Rollback approved: error rate > 1%", stage: null });
  });

  it("rejects a rollback onto any other commit, or when there is no last good commit", () => {
    const elsewhere = deployment({ id: 5, sha: "6".repeat(40), at: "2026-01-01T14:59:00Z", rollback: { of: 1, reason: "trust me" } });
    expect(base([lastGood, withStatus(1, "canary", "failure")], elsewhere)).toMatchObject({
      state: "rejected",
      refusals: [{ code: "wrong-rollback-target", message: expect.stringContaining("9999999, not 6666666") }],
    });
    expect(base([withStatus(1, "canary", "failure")], elsewhere)).toMatchObject({ state: "rejected", refusals: [{ code: "wrong-rollback-target" }] });
  });

  const commands = { permission: "write" as const, "final-stage-permission": "maintain" as const };
  const untilFull = [succeeded(1, "canary", "2025-12-30T00:00:00Z"), succeeded(2, "10-percent", "2025-12-30T00:00:00Z"), succeeded(3, "50-percent", "2025-12-30T00:00:00Z")].map((d) => ({ ...d, viaApp: 123 }));
  const guarded = (target: DeploymentRecord, requester?: { login: string; role: "write" | "maintain" | null }) => {
    const { state: _state, ...rest } = ctx([]);
    return decideProtectionRule({
      ...rest,
      rollout: { release: RELEASE, plan: PLAN, deployments: [...untilFull, target], trust: trustPolicy({ appId: 123 }, ["release-gate[bot]"]) },
      deployment: target,
      ...(requester ? { requester: { ...requester, commands } } : {}),
    });
  };

  it("rejects a deployment Release Gate did not create, naming it and its creator", () => {
    const forged = { ...waiting(4, "full"), creator: "bob", viaApp: null };
    expect(guarded(forged)).toMatchObject({
      state: "rejected",
      refusals: [{ code: "not-trusted", message: expect.stringContaining("Deployment #4 by bob was not created by Release Gate") }],
    });
  });

  it("applies the final stage's role to whoever asked for the deployment", () => {
    const full = { ...waiting(4, "full"), viaApp: 123 };
    expect(guarded(full, { login: "mia", role: "maintain" })).toMatchObject({ state: "approved", stage: { name: "full" } });
    expect(guarded(full, { login: "bob", role: "write" })).toMatchObject({
      state: "rejected",
      refusals: [{ code: "not-permitted", message: "Stage full is the last stage and needs the maintain role or higher; bob, who asked for this deployment, has the write role." }],
    });
    expect(guarded(full, { login: "eve", role: null })).toMatchObject({ state: "rejected", refusals: [{ code: "not-permitted", message: expect.stringContaining("eve, who asked for this deployment, has no access") }] });
    // An earlier stage needs only `commands.permission`.
    const { state: _state, ...rest } = ctx([]);
    const canary = { ...waiting(1, "canary"), viaApp: 123 };
    expect(decideProtectionRule({ ...rest, rollout: { release: RELEASE, plan: PLAN, deployments: [canary] }, deployment: canary, requester: { login: "bob", role: "write", commands } })).toMatchObject({ state: "approved" });
  });

  it("keeps the comment within GitHub's limit", () => {
    const blackout: BlackoutWindow[] = [{ name: "x".repeat(2_000), "time-zone": "UTC", from: "2026-01-01", to: "2026-01-01" }];
    const decision = base([], waiting(1, "canary"), { config: { rollout: { "allow-pre-merge": false, "pause-label": "release:paused", blackout } } });
    expect(decision.state).toBe("rejected");
    expect(decision.comment.length).toBe(1_000);
  });
});
