import { deriveRollout } from "../../../src/core/rollout/derive-rollout.js";
import { GITHUB_ACTIONS } from "../../../src/core/identity.js";
import { isAuthoredBy, trustedHistory, trustPolicy } from "../../../src/core/rollout/trust.js";
import type { DeploymentRecord } from "../../../src/core/rollout/types.js";
import { deployment, PLAN, RELEASE } from "../../support/rollout-builders.js";

const APP = { appId: 123 };
const policy = trustPolicy(APP, ["github-actions[bot]"]);

/** A record as the gateway reads it: the app's deployments carry its id in `viaApp`. */
function byApp(d: DeploymentRecord): DeploymentRecord {
  return { ...d, viaApp: 123, statuses: d.statuses.map((s) => ({ ...s, creator: "github-actions[bot]", viaApp: 15368 })) };
}
const byWriter = (d: DeploymentRecord, login = "bob"): DeploymentRecord => ({ ...d, creator: login, viaApp: null });

describe("isAuthoredBy", () => {
  it("matches an app by id and an account by login (case-insensitively), nothing else", () => {
    expect(isAuthoredBy({ creator: "release-gate[bot]", viaApp: 123 }, [APP])).toBe(true);
    expect(isAuthoredBy({ creator: "GitHub-Actions[bot]", viaApp: null }, [{ login: "github-actions[bot]" }])).toBe(true);
    // A login alone never stands in for an app id, and another app's id never matches.
    expect(isAuthoredBy({ creator: "release-gate[bot]", viaApp: null }, [APP])).toBe(false);
    expect(isAuthoredBy({ creator: "evil[bot]", viaApp: 777 }, [APP])).toBe(false);
    expect(isAuthoredBy({ creator: null, viaApp: null }, [APP, { login: "bob" }])).toBe(false);
  });

  it("knows GitHub Actions' identity for no-server mode", () => {
    expect(isAuthoredBy({ creator: "github-actions[bot]", viaApp: 15368 }, [GITHUB_ACTIONS])).toBe(true);
    expect(isAuthoredBy({ creator: "bob", viaApp: null }, [GITHUB_ACTIONS])).toBe(false);
  });
});

describe("trustedHistory", () => {
  it("keeps the app's deployments with the stage runners' statuses and reports the rest", () => {
    const ours = byApp(deployment({ id: 1, at: "2026-01-01T10:00:00Z", statuses: [["in_progress", "2026-01-01T10:00:01Z"]] }));
    const forgedStatus = { state: "success" as const, createdAt: "2026-01-01T10:01:00Z", creator: "bob", viaApp: null };
    const withForgedStatus = { ...ours, statuses: [forgedStatus, ...ours.statuses] };
    const forged = byWriter(deployment({ id: 2, stage: "full", at: "2026-01-01T10:02:00Z", statuses: [["success", "2026-01-01T10:03:00Z", "bob"]] }));
    const split = trustedHistory([withForgedStatus, forged], policy);
    expect(split.deployments).toEqual([ours]);
    expect(split.ignored).toEqual([
      { kind: "status", deploymentId: 1, by: "bob", state: "success", stage: "canary" },
      { kind: "deployment", deploymentId: 2, by: "bob", sha: forged.sha, stage: "full" },
    ]);
  });

  it("keeps everything when every record is the gate's own", () => {
    const records = [byApp(deployment({ id: 1, at: "2026-01-01T10:00:00Z", statuses: [["success", "2026-01-01T10:00:01Z"]] }))];
    expect(trustedHistory(records, policy)).toEqual({ deployments: records, ignored: [] });
  });
});

describe("deriveRollout with a trust policy", () => {
  const goodBefore = byApp(deployment({ id: 10, release: RELEASE - 1, stage: "full", sha: "9".repeat(40), at: "2026-01-01T08:00:00Z", statuses: [["success", "2026-01-01T08:01:00Z"]] }));
  const canary = byApp(deployment({ id: 11, at: "2026-01-01T10:00:00Z", statuses: [["queued", "2026-01-01T10:00:01Z"]] }));

  it("a hand-made success status does not finish the stage", () => {
    const tampered = { ...canary, statuses: [{ state: "success" as const, createdAt: "2026-01-01T10:05:00Z", creator: "bob", viaApp: null }, ...canary.statuses] };
    const state = deriveRollout({ release: RELEASE, plan: PLAN, deployments: [tampered, goodBefore], trust: policy });
    expect(state.stages[0]).toMatchObject({ phase: "queued" });
    expect(state.ignored).toEqual([{ kind: "status", deploymentId: 11, by: "bob", state: "success", stage: "canary" }]);
    // Without the policy (the old behaviour) the same history reads as a finished stage.
    expect(deriveRollout({ release: RELEASE, plan: PLAN, deployments: [tampered, goodBefore] }).stages[0]).toMatchObject({ phase: "success" });
  });

  it("a hand-made success deployment of any commit is not the last good SHA", () => {
    const forgedGood = byWriter(deployment({ id: 12, foreign: true, sha: "6".repeat(40), at: "2026-01-01T09:00:00Z", statuses: [["success", "2026-01-01T09:01:00Z", "bob"]] }));
    const state = deriveRollout({ release: RELEASE, plan: PLAN, deployments: [canary, forgedGood, goodBefore], trust: policy });
    expect(state.lastGoodSha).toBe("9".repeat(40));
    expect(state.ignored).toEqual([{ kind: "deployment", deploymentId: 12, by: "bob", sha: "6".repeat(40), stage: null }]);
    expect(deriveRollout({ release: RELEASE, plan: PLAN, deployments: [canary, forgedGood, goodBefore] }).lastGoodSha).toBe("6".repeat(40));
  });

  it("a hand-made stage deployment does not start a stage", () => {
    const forgedFull = byWriter(deployment({ id: 13, stage: "full", at: "2026-01-01T10:10:00Z" }));
    const state = deriveRollout({ release: RELEASE, plan: PLAN, deployments: [forgedFull, canary], trust: policy });
    expect(state.currentIndex).toBe(0);
    expect(state.stages.at(-1)).toMatchObject({ phase: "pending" });
    expect(state.timeline.every((t) => t.deploymentId !== 13)).toBe(true);
  });
});
