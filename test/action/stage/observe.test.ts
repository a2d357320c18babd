import { observeStage } from "../../../src/action/stage/observe.js";
import { startStage } from "../../../src/action/stage/start.js";
import { missingReading, valueReading } from "../../../src/core/gates/sample.js";
import { CONTEXT, stageHarness, stageInputs } from "./harness.js";

describe("observeStage", () => {
  it("samples each interval to the window's end and passes when every sample holds", async () => {
    const h = stageHarness(() => valueReading(0.001));
    const inputs = stageInputs({ stage: "canary", percent: "5", observe: "30s", shift: "shift-traffic" });
    const observation = await observeStage(inputs, await startStage(inputs, CONTEXT, h.deps), h.deps);
    expect(h.calls.slice(2)).toEqual(["shell shift-traffic", "sample", "sample", "sample"]);
    expect(observation.verdict.kind).toBe("pass");
    expect(observation.watches[0]!.samples).toHaveLength(3);
  });

  it("stops at the first breach", async () => {
    const h = stageHarness((i) => valueReading(i === 0 ? 0.5 : 0));
    const inputs = stageInputs({ stage: "canary", percent: "5", observe: "1m" });
    const observation = await observeStage(inputs, await startStage(inputs, CONTEXT, h.deps), h.deps);
    expect(observation.verdict.kind).toBe("breach");
    expect(h.calls.filter((c) => c === "sample")).toHaveLength(1);
  });

  it("does not observe when the shift command failed, and never calls no data a pass", async () => {
    const failed = stageHarness(() => valueReading(0), { shellExit: 3 });
    const inputs = stageInputs({ stage: "canary", percent: "5", observe: "30s", shift: "shift-traffic" });
    const observation = await observeStage(inputs, await startStage(inputs, CONTEXT, failed.deps), failed.deps);
    expect(observation).toMatchObject({ shiftFailure: "the shift command exited with 3", verdict: { kind: "watching" } });
    expect(failed.calls).not.toContain("sample");

    const empty = stageHarness(() => missingReading("empty-result", "no series"));
    const quiet = stageInputs({ stage: "canary", percent: "5", observe: "30s" });
    expect((await observeStage(quiet, await startStage(quiet, CONTEXT, empty.deps), empty.deps)).verdict.kind).toBe("inconclusive");
  });
});
