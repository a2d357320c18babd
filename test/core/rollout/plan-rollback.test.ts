import { deriveRollout } from "../../../src/core/rollout/derive-rollout.js";
import { deploymentPayloadSchema } from "../../../src/core/rollout/deployment-payload.js";
import { planRollback } from "../../../src/core/rollout/plan-rollback.js";
import type { DeploymentRecord } from "../../../src/core/rollout/types.js";
import { deployment, PLAN, RELEASE } from "../../support/rollout-builders.js";

const derive = (...deployments: DeploymentRecord[]) => deriveRollout({ release: RELEASE, plan: PLAN, deployments });
const previous = deployment({ id: 10, release: 7, sha: "good", at: "2025-12-01T10:00:00Z", statuses: [["success", "2025-12-01T10:10:00Z"]] });

describe("planRollback", () => {
  it("redeploys the last good SHA, fails the live stage and deactivates earlier successes", () => {
    const state = derive(
      previous,
      deployment({ id: 1, at: "2026-01-01T10:00:00Z", statuses: [["success", "2026-01-01T10:10:00Z"]] }),
      deployment({ id: 2, stage: "10-percent", at: "2026-01-01T11:00:00Z", statuses: [["in_progress", "2026-01-01T11:00:05Z"]] }),
    );
    const plan = planRollback(state, "  error rate 3% ");
    const payload = { stage: "10-percent", percent: 100, release: RELEASE, plan: PLAN, triggers: [], rollback: { of: 2, reason: "error rate 3%" } };
    expect(plan).toEqual({
      reason: "error rate 3%",
      targetSha: "good",
      payload,
      // A plan that names no environment: its one environment, the newest and only one reached.
      environments: [{ environment: undefined, stage: "10-percent", targetSha: "good", payload }],
      updates: [
        { deploymentId: 2, state: "failure", description: "Rolled back: error rate 3%" },
        { deploymentId: 1, state: "inactive", description: "Rolled back: error rate 3%" },
      ],
    });
    expect(deploymentPayloadSchema.safeParse(plan.payload).success).toBe(true);
  });

  it("does not mark a stage that already failed again, and gives a default reason", () => {
    const state = derive(previous, deployment({ id: 1, at: "2026-01-01T10:00:00Z", statuses: [["failure", "2026-01-01T10:10:00Z"]] }));
    const plan = planRollback(state, "");
    expect(plan.updates).toEqual([]);
    expect(plan.payload?.rollback).toEqual({ of: 1, reason: "rollback requested" });
  });

  it("is allowed after completion and after an earlier rollback", () => {
    const done = derive(previous, ...PLAN.map((s, i) => deployment({ id: i + 1, stage: s.name, at: `2026-01-0${i + 1}T10:00:00Z`, statuses: [["success", `2026-01-0${i + 1}T10:10:00Z`]] })));
    expect(planRollback(done, "late regression", [], "bob").payload).toMatchObject({ rollback: { of: 4 }, requestedBy: "bob" });
    const again = derive(
      previous,
      deployment({ id: 1, at: "2026-01-01T10:00:00Z", statuses: [["success", "2026-01-01T10:10:00Z"]] }),
      deployment({ id: 3, sha: "good", at: "2026-01-01T11:00:00Z", rollback: { of: 1, reason: "x" } }),
    );
    expect(planRollback(again, "again")).toMatchObject({ targetSha: "good", payload: { rollback: { of: 1 } } });
  });

  it("says so when there is no earlier good deployment or nothing was deployed", () => {
    const alone = planRollback(derive(deployment({ id: 1, at: "2026-01-01T10:00:00Z", statuses: [["in_progress", "2026-01-01T10:00:01Z"]] })), "bad");
    expect(alone).toMatchObject({ targetSha: null, payload: null, updates: [{ deploymentId: 1, state: "failure" }] });
    expect(alone.note).toMatch(/nothing can be redeployed/);
    expect(planRollback(derive(previous), "bad")).toMatchObject({ targetSha: "good", payload: null, updates: [], note: expect.stringMatching(/nothing to roll back/) });
  });

  it("keeps status descriptions within GitHub's 140 characters", () => {
    const state = derive(previous, deployment({ id: 1, at: "2026-01-01T10:00:00Z", statuses: [["success", "2026-01-01T10:10:00Z"]] }));
    expect(planRollback(state, "x".repeat(500)).updates[0]!.description).toHaveLength(140);
  });
});
