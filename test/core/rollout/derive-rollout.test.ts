import type { DeploymentPayload } from "../../../src/core/rollout/deployment-payload.js";
import { deriveRollout, lastGoodSha } from "../../../src/core/rollout/derive-rollout.js";
import type { DeploymentRecord, DeploymentState } from "../../../src/core/rollout/types.js";
import { deployment, PLAN, RELEASE } from "../../support/rollout-builders.js";

const derive = (...deployments: ReturnType<typeof deployment>[]) => deriveRollout({ release: RELEASE, plan: PLAN, deployments });

describe("deriveRollout", () => {
  it("starts with every stage pending and nothing started", () => {
    const state = derive();
    expect(state.currentIndex).toBe(-1);
    expect(state.stages.map((s) => [s.name, s.phase, s.observeMs])).toEqual([
      ["canary", "pending", 30 * 60_000],
      ["10-percent", "pending", 2 * 3_600_000],
      ["50-percent", "pending", 4 * 3_600_000],
      ["full", "pending", 24 * 3_600_000],
    ]);
    expect(state).toMatchObject({ release: RELEASE, rolledBack: false, lastGoodSha: null, timeline: [] });
    expect(state.rollback).toBeUndefined();
  });

  it.each([
    [[], "queued"],
    [[["queued", "2026-01-01T10:00:01Z"]], "queued"],
    [[["pending", "2026-01-01T10:00:01Z"]], "queued"],
    [[["in_progress", "2026-01-01T10:00:01Z"]], "in_progress"],
    [[["in_progress", "2026-01-01T10:00:01Z"], ["success", "2026-01-01T10:05:00Z"]], "success"],
    [[["in_progress", "2026-01-01T10:00:01Z"], ["failure", "2026-01-01T10:05:00Z"]], "failure"],
    [[["error", "2026-01-01T10:00:01Z"]], "failure"],
    // GitHub deactivates older successful deployments when a newer one succeeds: still a success.
    [[["success", "2026-01-01T10:05:00Z"], ["inactive", "2026-01-01T12:00:00Z"]], "success"],
    [[["inactive", "2026-01-01T10:05:00Z"]], "failure"],
  ] as const)("reads statuses %j as phase %s", (statuses, phase) => {
    const state = derive(deployment({ id: 1, at: "2026-01-01T10:00:00Z", statuses: [...statuses] }));
    expect(state.currentIndex).toBe(0);
    expect(state.stages[0]).toMatchObject({ phase, deploymentId: 1, startedAt: "2026-01-01T10:00:00Z" });
  });

  it("counts the observation window from the first success status", () => {
    const state = derive(
      deployment({ id: 1, at: "2026-01-01T10:00:00Z", statuses: [["in_progress", "2026-01-01T10:00:05Z"], ["success", "2026-01-01T10:10:00Z"]] }),
    );
    expect(state.stages[0]).toMatchObject({ finishedAt: "2026-01-01T10:10:00Z", observeEndsAt: "2026-01-01T10:40:00.000Z" });
  });

  it("follows the furthest stage and the newest deployment of a retried stage", () => {
    const state = derive(
      deployment({ id: 1, at: "2026-01-01T10:00:00Z", statuses: [["success", "2026-01-01T10:10:00Z"]] }),
      deployment({ id: 2, stage: "10-percent", at: "2026-01-01T11:00:00Z", statuses: [["failure", "2026-01-01T11:10:00Z"]] }),
      deployment({ id: 3, stage: "10-percent", at: "2026-01-01T12:00:00Z", statuses: [["in_progress", "2026-01-01T12:00:05Z"]] }),
    );
    expect(state.currentIndex).toBe(1);
    expect(state.stages[1]).toMatchObject({ phase: "in_progress", deploymentId: 3 });
    expect(state.stages[0]!.phase).toBe("success");
  });

  it("ignores other releases and foreign deployments for the stages, and takes the last good SHA from them", () => {
    const state = derive(
      deployment({ id: 10, release: 7, sha: "old1", at: "2025-12-01T10:00:00Z", statuses: [["success", "2025-12-01T10:10:00Z"]] }),
      deployment({ id: 11, release: 8, sha: "old2", at: "2025-12-02T10:00:00Z", statuses: [["success", "2025-12-02T10:10:00Z"]] }),
      deployment({ id: 12, foreign: true, sha: "hand", at: "2025-12-03T10:00:00Z", statuses: [["failure", "2025-12-03T10:10:00Z"]] }),
      deployment({ id: 13, sha: "ours", at: "2026-01-01T10:00:00Z", statuses: [["success", "2026-01-01T10:10:00Z"]] }),
    );
    expect(state.lastGoodSha).toBe("old2");
    expect(state.stages[0]).toMatchObject({ deploymentId: 13, sha: "ours" });
    expect(state.timeline.map((t) => t.deploymentId)).toEqual([13, 13]);
  });

  it("takes a foreign deployment as good and skips releases that were themselves rolled back", () => {
    const state = derive(
      deployment({ id: 10, foreign: true, sha: "manual", at: "2025-12-01T10:00:00Z", statuses: [["success", "2025-12-01T10:10:00Z"]] }),
      deployment({ id: 11, release: 8, sha: "bad", at: "2025-12-02T10:00:00Z", statuses: [["success", "2025-12-02T10:10:00Z"]] }),
      deployment({ id: 12, release: 8, sha: "manual", at: "2025-12-02T11:00:00Z", rollback: { of: 11, reason: "5xx" }, statuses: [["success", "2025-12-02T11:05:00Z"]] }),
    );
    expect(state.lastGoodSha).toBe("manual");
  });

  it("marks every started stage rolled back once a rollback deployment exists", () => {
    const state = derive(
      deployment({ id: 1, at: "2026-01-01T10:00:00Z", statuses: [["success", "2026-01-01T10:10:00Z"]] }),
      deployment({ id: 2, stage: "10-percent", at: "2026-01-01T11:00:00Z", statuses: [["failure", "2026-01-01T11:10:00Z"]] }),
      deployment({ id: 3, sha: "good", at: "2026-01-01T11:11:00Z", rollback: { of: 2, reason: "error rate" }, creator: "alice" }),
    );
    expect(state.rolledBack).toBe(true);
    expect(state.stages.map((s) => s.phase)).toEqual(["rolled-back", "rolled-back", "pending", "pending"]);
    expect(state.rollback).toEqual({ deploymentId: 3, sha: "good", of: 2, reason: "error rate", at: "2026-01-01T11:11:00Z", by: "alice", state: "pending" });
  });

  it("names who asked for a stage from the payload, not the app that created it", () => {
    const d = deployment({ id: 1, at: "2026-01-01T10:00:00Z" });
    d.payload!.requestedBy = "alice";
    const state = derive(d);
    expect(state.stages[0]!.by).toBe("alice");
    expect(state.timeline[0]).toMatchObject({ by: "alice", description: "created" });
  });

  it("lists every status of the release oldest first in the timeline, with who and links", () => {
    const d = deployment({
      id: 1,
      at: "2026-01-01T10:00:00Z",
      statuses: [["queued", "2026-01-01T10:00:01Z", "alice"], ["success", "2026-01-01T10:10:00Z"]],
    });
    d.statuses[0]!.logUrl = "https://example.test/run/1";
    d.statuses[0]!.description = "canary healthy";
    const state = derive(d, deployment({ id: 2, stage: "10-percent", at: "2026-01-01T11:00:00Z" }));
    expect(state.timeline).toEqual([
      { at: "2026-01-01T10:00:00Z", stage: "canary", percent: 1, state: "pending", by: "release-gate[bot]", deploymentId: 1, description: "created" },
      { at: "2026-01-01T10:00:01Z", stage: "canary", percent: 1, state: "queued", by: "alice", deploymentId: 1 },
      { at: "2026-01-01T10:10:00Z", stage: "canary", percent: 1, state: "success", by: "release-gate[bot]", deploymentId: 1, description: "canary healthy", logUrl: "https://example.test/run/1" },
      { at: "2026-01-01T11:00:00Z", stage: "10-percent", percent: 10, state: "pending", by: "release-gate[bot]", deploymentId: 2, description: "created" },
    ]);
  });
});

describe("lastGoodSha (the app's rollback and the Action's use the same rule)", () => {
  const record = (id: number, sha: string, statuses: Array<[DeploymentState, string]>, payload: Partial<DeploymentPayload> | null): DeploymentRecord => ({
    id,
    sha,
    environment: "production",
    createdAt: statuses.at(-1)![1],
    creator: null,
    payload: payload as DeploymentPayload | null,
    statuses: statuses.map(([state, createdAt]) => ({ state, createdAt })),
  });
  const GOOD = "1".repeat(40);
  const NOW = "c".repeat(40);

  it("prefers a commit that served all traffic over a newer canary of another release", () => {
    const records = [
      record(3, "e".repeat(40), [["success", "2026-11-23T03:00:00Z"]], { release: 5, stage: "canary", percent: 1 }),
      record(2, "b".repeat(40), [["failure", "2026-11-23T02:00:00Z"]], null),
      record(1, GOOD, [["success", "2026-11-23T01:00:00Z"]], null),
    ];
    expect(lastGoodSha(records, { sha: NOW, release: 9 })).toBe(GOOD);
    expect(lastGoodSha(records.slice(0, 1), { sha: NOW, release: 9 })).toBe("e".repeat(40));
    expect(lastGoodSha([], { release: 9 })).toBeNull();
  });

  it("counts a deployment GitHub later marked inactive by the success it had before", () => {
    const records = [record(1, GOOD, [["inactive", "2026-11-23T05:00:00Z"], ["success", "2026-11-23T01:00:00Z"]], null)];
    expect(lastGoodSha(records, { release: 9 })).toBe(GOOD);
  });

  it("skips this release, the commit being deployed, and stages of releases rolled back; a rollback itself redeployed a good commit", () => {
    const records = [
      record(5, "e".repeat(40), [["success", "2026-11-23T05:00:00Z"]], { release: 3, stage: "canary", percent: 1 }),
      record(4, "d".repeat(40), [["success", "2026-11-23T04:00:00Z"]], { release: 3, stage: "canary", percent: 1, rollback: { of: 5, reason: "x" } }),
      record(3, NOW, [["success", "2026-11-23T03:00:00Z"]], null),
      record(2, "9".repeat(40), [["success", "2026-11-23T02:00:00Z"]], { release: 9, stage: "full", percent: 100 }),
      record(1, GOOD, [["success", "2026-11-23T01:00:00Z"]], null),
    ];
    expect(lastGoodSha(records, { sha: NOW, release: 9 })).toBe("d".repeat(40));
    expect(lastGoodSha(records.slice(2), { sha: NOW, release: 9 })).toBe(GOOD);
  });
});
