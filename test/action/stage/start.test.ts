import { startStage } from "../../../src/action/stage/start.js";
import { valueReading } from "../../../src/core/gates/sample.js";
import { CONTEXT, SHA, stageHarness, stageInputs } from "./harness.js";

describe("startStage", () => {
  it("creates the deployment and marks it in progress before anything moves, recording state and outputs", async () => {
    const h = stageHarness(() => valueReading(0));
    const started = await startStage(stageInputs({ stage: "canary", percent: "5", observe: "1m" }), CONTEXT, h.deps);
    expect(h.calls).toEqual([`create ${SHA.slice(0, 7)} canary`, "status 100 in_progress"]);
    expect(started).toMatchObject({ stage: "canary", percent: 5, release: 7, deploymentId: 100, observeMs: 60_000, label: "canary 5%" });
    expect(h.io.state).toEqual({ "deployment-id": "100", finished: "" });
    expect(h.io.outputs).toEqual({ stage: "canary", percent: "5", cohort: "", environment: "production", "deployment-id": "100", baseline: "{}" });
  });

  it("samples a ratio bound's baseline before the shift and outputs it", async () => {
    const h = stageHarness(() => valueReading(0.25));
    const gates = "- { name: latency, command: p99, max-ratio-to-baseline: 2 }";
    const started = await startStage(stageInputs({ stage: "canary", percent: "5", observe: "1m", gates }), CONTEXT, h.deps);
    expect(h.calls.at(-1)).toBe("sample");
    expect(started.baselines.get("latency")).toEqual(valueReading(0.25));
    expect(h.io.outputs.baseline).toBe('{"latency":0.25}');
  });

  it("refuses `mode: observe` without a deployment to adopt, before any write", async () => {
    const h = stageHarness(() => valueReading(0));
    await expect(startStage(stageInputs({ mode: "observe", observe: "1m" }), CONTEXT, h.deps)).rejects.toThrow("`mode: observe` needs the deployment");
    expect(h.calls).toEqual([]);
  });
});
