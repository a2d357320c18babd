// The stage's flag in the Action's steps: served after the baselines and before the window, turned
// off first on a breach (before any record or command), every change an audit status.
import { runStage } from "../../../src/action/run-stage.js";
import { finishStage } from "../../../src/action/stage/finish.js";
import { observeStage } from "../../../src/action/stage/observe.js";
import { startStage } from "../../../src/action/stage/start.js";
import type { FlagDriver, FlagState, FlagTarget } from "../../../src/core/flags/driver.js";
import { valueReading } from "../../../src/core/gates/sample.js";
import type { DeploymentRecord } from "../../../src/core/rollout/types.js";
import { CONTEXT, stageHarness, stageInputs } from "./harness.js";

const GOOD = "a".repeat(40);
const recent: DeploymentRecord[] = [{ id: 1, sha: GOOD, environment: "production", createdAt: "2026-11-22T00:00:00Z", creator: null, payload: null, statuses: [{ state: "success", createdAt: "2026-11-22T00:00:00Z" }] }];
const FLAG = "{ provider: flagd, path: flags.json, key: new-checkout, stickiness: userId }";

function recordingFlag(calls: string[], options: { failOff?: boolean; offMs?: number; clock?: { now: number } } = {}): FlagDriver & { targets: FlagTarget[] } {
  let state: FlagState = { on: false };
  const targets: FlagTarget[] = [];
  return {
    provider: "flagd",
    key: "new-checkout",
    targets,
    read: async () => state,
    setRollout: async (target) => {
      calls.push(`flag set ${target.percent}`);
      targets.push(target);
      const from = state;
      state = { on: true, percent: target.percent, cohorts: target.cohorts.map((c) => c.name) };
      return { provider: "flagd", key: "new-checkout", from, to: state };
    },
    turnOff: async () => {
      calls.push("flag off");
      if (options.clock) options.clock.now += options.offMs ?? 0;
      if (options.failOff) throw new Error('flagd flag "new-checkout": flags.json: cannot write the flag file (EACCES)');
      const from = state;
      state = { on: false };
      return { provider: "flagd", key: "new-checkout", from, to: state };
    },
  };
}

async function run(h: ReturnType<typeof stageHarness>, values: Record<string, string>) {
  const inputs = stageInputs(values);
  const started = await startStage(inputs, CONTEXT, h.deps);
  return finishStage(inputs, started, await observeStage(inputs, started, h.deps), h.deps);
}

describe("the stage's flag", () => {
  it("serves the stage's percent after the deployment is in progress and the baselines are read, before the first sample", async () => {
    const h = stageHarness(() => valueReading(0));
    const flag = recordingFlag(h.calls);
    h.deps.flag = flag;
    h.deps.actor = "alice";
    const outcome = await run(h, { stage: "canary", percent: "5", observe: "10s", flag: FLAG });
    expect(outcome.verdict).toBe("success");
    expect(flag.targets).toEqual([{ cohorts: [], percent: 5, stickiness: "userId" }]);
    const at = h.calls.indexOf("flag set 5");
    expect(h.calls.slice(0, at)).toEqual(["create ccccccc canary", "status 100 in_progress"]);
    expect(h.calls[at + 1]).toBe("status 100 in_progress");
    expect(h.calls[at + 2]).toBe("sample");
    expect(h.io.log).toContain("flag new-checkout (flagd) off → 5% by @alice");
  });

  it("on a breach turns the flag off before anything else, and rollback-seconds is breach → flag off", async () => {
    const h = stageHarness(() => valueReading(0.5), { recent });
    h.deps.flag = recordingFlag(h.calls, { clock: h.clock, offMs: 120 });
    const outcome = await run(h, { stage: "canary", percent: "5", observe: "10s", rollback: "restore", flag: FLAG });
    const off = h.calls.indexOf("flag off");
    expect(h.calls[off - 1]).toBe("sample");
    expect(h.calls.slice(off + 1, off + 3)).toEqual(["status 100 in_progress", "status 100 failure"]);
    expect(h.calls).toEqual(expect.arrayContaining(["shell restore", "status 101 success"]));
    expect(outcome.outputs).toMatchObject({ verdict: "failure", "rolled-back": "true", "rollback-seconds": "0.120" });
    expect(outcome.report.rollback?.detail).toBe("flag new-checkout off in 0.120s; rollback command succeeded");
  });

  it("with no rollback command the flag alone is the rollback", async () => {
    const h = stageHarness(() => valueReading(0.5), { recent: [] });
    h.deps.flag = recordingFlag(h.calls, { clock: h.clock, offMs: 40 });
    const outcome = await run(h, { stage: "canary", percent: "5", observe: "10s", flag: FLAG });
    expect(outcome.outputs).toMatchObject({ "rolled-back": "true", "rollback-seconds": "0.040" });
    expect(h.calls.filter((c) => c.startsWith("shell"))).toEqual([]);
  });

  it("a flag that will not turn off is a failed rollback, said with the provider's reason, and the command still runs", async () => {
    const h = stageHarness(() => valueReading(0.5), { recent });
    h.deps.flag = recordingFlag(h.calls, { failOff: true });
    const outcome = await run(h, { stage: "canary", percent: "5", observe: "10s", rollback: "restore", flag: FLAG });
    expect(outcome.outputs).toMatchObject({ "rolled-back": "false", "rollback-seconds": "" });
    expect(h.calls).toEqual(expect.arrayContaining(["shell restore", "status 101 failure"]));
    expect(outcome.report.rollback?.detail).toMatch(/^the flag could not be turned off \(flagd flag "new-checkout": flags\.json: cannot write the flag file \(EACCES\)\); rollback command succeeded$/);
  });

  it("a dry run moves no flag", async () => {
    const h = stageHarness(() => valueReading(0.5), { recent });
    h.deps.flag = recordingFlag(h.calls);
    await run(h, { stage: "canary", percent: "5", observe: "10s", flag: FLAG, "dry-run": "true" });
    expect(h.calls.filter((c) => c.startsWith("flag"))).toEqual([]);
    expect(h.io.log).toContain("dry run: would set flag new-checkout (flagd) to no cohorts + 5% of the rest, sticky by userId");
  });

  it("the flag input is YAML read by the config schema, with errors that name the field", () => {
    expect(stageInputs({ flag: FLAG }).flag).toEqual({ provider: "flagd", path: "flags.json", key: "new-checkout", stickiness: "userId" });
    expect(() => stageInputs({ flag: "{ provider: launchdarkly, project: p, key: k, environment: production, token: sdk-123 }" })).toThrow(/input `flag`: token: expected a reference to an environment variable/);
    expect(() => stageInputs({ flag: "provider: [" })).toThrow(/input `flag`: is not YAML/);
  });

  it("runs a rollback deployment (the app's /release rollback): flag off first, then the command, then success", async () => {
    const h = stageHarness(() => valueReading(0));
    h.deps.flag = recordingFlag(h.calls, { clock: h.clock, offMs: 30 });
    const payload = { stage: "canary", percent: 10, release: 7, plan: [{ name: "canary", percent: 10, observe: "1h" }], requestedBy: "bob", rollback: { of: 41, reason: "requested by bob" } };
    const context = { ...CONTEXT, eventName: "deployment", deployment: { id: 55, sha: GOOD, environment: "production", payload } };
    const outcome = await runStage(stageInputs({ flag: FLAG, rollback: "restore" }), context, h.deps);
    expect(h.calls).toEqual(["status 55 in_progress", "flag off", "status 55 in_progress", "shell restore", "status 55 success"]);
    expect(outcome.outputs).toMatchObject({ verdict: "success", "rolled-back": "true", "rollback-seconds": "0.030", "deployment-id": "55" });
    expect(h.io.log).not.toContain("sample");
    expect(outcome.reason).toBe("rolled back canary 10% of #7 to aaaaaaa: flag new-checkout off in 0.030s; rollback command succeeded");
  });
});
