import { finishStage, rolloutRows } from "../../../src/action/stage/finish.js";
import { observeStage } from "../../../src/action/stage/observe.js";
import { startStage } from "../../../src/action/stage/start.js";
import { valueReading } from "../../../src/core/gates/sample.js";
import type { DeploymentRecord } from "../../../src/core/rollout/types.js";
import { CONTEXT, stageHarness, stageInputs } from "./harness.js";

const GOOD = "a".repeat(40);
const record = (id: number, sha: string, createdAt: string, payload: DeploymentRecord["payload"], state: "success" | "failure"): DeploymentRecord => ({
  id,
  sha,
  environment: "production",
  createdAt,
  creator: null,
  payload,
  statuses: [{ state, createdAt }],
});

async function run(h: ReturnType<typeof stageHarness>, values: Record<string, string>) {
  const inputs = stageInputs(values);
  const started = await startStage(inputs, CONTEXT, h.deps);
  return finishStage(inputs, started, await observeStage(inputs, started, h.deps), h.deps);
}

describe("finishStage", () => {
  it("reports success and records the verdict in the state", async () => {
    const h = stageHarness(() => valueReading(0));
    const outcome = await run(h, { stage: "canary", percent: "5", observe: "10s" });
    expect(outcome).toMatchObject({ verdict: "success", outputs: { verdict: "success", "rolled-back": "false" } });
    expect(h.calls.at(-1)).toBe("status 100 success");
    expect(h.io.state.finished).toBe("verdict");
  });

  it("on a breach fails the stage and rolls back to the last good SHA with the rollback command", async () => {
    const h = stageHarness(() => valueReading(0.5), { recent: [record(1, GOOD, "2026-11-22T00:00:00Z", null, "success")] });
    const outcome = await run(h, { stage: "canary", percent: "5", observe: "10s", rollback: "restore" });
    expect(outcome).toMatchObject({ verdict: "failure", outputs: { "rolled-back": "true", "rollback-deployment-id": "101" } });
    expect(h.calls).toEqual(expect.arrayContaining(["status 100 failure", `create ${GOOD.slice(0, 7)} rollback`, "shell restore", "status 101 success"]));
  });

  it("lists the release's earlier stages oldest first, without rollbacks, other releases or the current stage", () => {
    const payload = (stage: string, release: number, rollback?: boolean) => ({
      stage,
      percent: 1,
      release,
      plan: [],
      triggers: [],
      ...(rollback ? { rollback: { of: 1, reason: "r" } } : {}),
    });
    const rows = rolloutRows(
      [
        record(4, GOOD, "2026-11-23T04:00:00Z", payload("full", 7), "success"),
        record(3, GOOD, "2026-11-23T03:00:00Z", payload("canary", 7, true), "success"),
        record(2, GOOD, "2026-11-23T02:00:00Z", payload("canary", 8), "success"),
        record(1, GOOD, "2026-11-23T01:00:00Z", payload("canary", 7), "failure"),
      ],
      7,
      4,
    );
    expect(rows.map((r) => [r.deploymentId, r.stage, r.state])).toEqual([[1, "canary", "failure"]]);
  });
});
