import type { RunContext } from "../../src/action/event.js";
import { readInputs, type Inputs } from "../../src/action/inputs.js";
import { runStage } from "../../src/action/run-stage.js";
import type { StageDeps } from "../../src/action/stage/deps.js";
import type { StageGitHub } from "../../src/action/stage-github.js";
import type { Gate } from "../../src/core/config/schema.js";
import { missingReading, valueReading, type SampleReading } from "../../src/core/gates/sample.js";
import type { DeploymentPayload } from "../../src/core/rollout/deployment-payload.js";
import { lastGoodSha } from "../../src/core/rollout/derive-rollout.js";
import type { DeploymentRecord, DeploymentState } from "../../src/core/rollout/types.js";
import { FakeIo } from "./fake-io.js";

const SHA = "c".repeat(40);
const GOOD = "a".repeat(40);
const CONTEXT: RunContext = { owner: "acme", repo: "shop", sha: SHA, eventName: "push", logUrl: "https://github.com/acme/shop/actions/runs/1" };
const GATES = "- { name: error-rate, command: errors, max: 0.01, unit: ratio }";

class MemoryGitHub implements StageGitHub {
  deployments: Array<{ id: number; sha: string; environment: string; payload: DeploymentPayload | null; createdAt?: number; statuses: Array<{ state: DeploymentState; description: string; at: number; logUrl?: string; by?: string }> }> = [];
  pulls = new Map<string, { number: number; body: string | null }>();
  writes = 0;
  constructor(private clock: { now: number }) {}
  async createDeployment(args: { sha: string; environment: string; payload: DeploymentPayload; description: string }) {
    this.writes++;
    const d = { id: 100 + this.deployments.length, sha: args.sha, environment: args.environment, payload: args.payload, createdAt: this.clock.now, statuses: [] };
    this.deployments.push(d);
    return { id: d.id, sha: d.sha };
  }
  async getDeployment(id: number) {
    const d = this.deployments.find((x) => x.id === id);
    if (!d) throw new Error("404");
    return { id: d.id, sha: d.sha, environment: d.environment, payload: d.payload };
  }
  async setStatus(id: number, state: DeploymentState, description: string, logUrl?: string) {
    this.writes++;
    this.deployments.find((x) => x.id === id)!.statuses.unshift({ state, description, at: this.clock.now, logUrl: logUrl ?? CONTEXT.logUrl! });
  }
  /** As GitHub stamps a workflow token's records: github-actions[bot], app 15368; `by` for anyone else's. */
  async listStages(environment: string, keep: (d: { createdAt: string; payload: DeploymentPayload }) => boolean): Promise<DeploymentRecord[]> {
    return [...this.deployments]
      .reverse()
      .filter((d) => d.environment === environment && d.payload && !d.payload.rollback && keep({ createdAt: new Date(d.createdAt ?? 0).toISOString(), payload: d.payload }))
      .map((d) => ({
        id: d.id,
        sha: d.sha,
        environment,
        createdAt: new Date(d.createdAt ?? 0).toISOString(),
        creator: "github-actions[bot]",
        viaApp: 15368,
        payload: d.payload,
        statuses: d.statuses.map((s) => ({ state: s.state, createdAt: new Date(s.at).toISOString(), description: s.description, ...(s.logUrl ? { logUrl: s.logUrl } : {}), creator: s.by ?? "github-actions[bot]", viaApp: s.by ? null : 15368 })),
      }));
  }
  async listRecent(environment: string): Promise<DeploymentRecord[]> {
    return [...this.deployments]
      .reverse()
      .filter((d) => d.environment === environment)
      .map((d) => ({ id: d.id, sha: d.sha, environment, createdAt: "2026-11-23T00:00:00Z", creator: null, payload: d.payload, statuses: d.statuses.map((s) => ({ state: s.state, createdAt: "2026-11-23T00:00:00Z" })) }));
  }
  async findPull(sha: string) {
    return this.pulls.get(sha);
  }
  states(id: number) {
    return this.deployments.find((x) => x.id === id)!.statuses.map((s) => s.state);
  }
}

interface Harness {
  io: FakeIo;
  github: MemoryGitHub;
  clock: { now: number };
  commands: Array<{ command: string; env: Record<string, string>; at: number }>;
  sampled: Array<{ gate: string; at: number }>;
  /** What happened, in order: "sample p99", "shell shift-traffic". */
  order: string[];
  deps: StageDeps;
}

function harness(readings: Record<string, (i: number) => SampleReading>, options: { shellExit?: (command: string) => number } = {}): Harness {
  const clock = { now: Date.parse("2026-11-23T12:00:00Z") };
  const io = new FakeIo();
  const github = new MemoryGitHub(clock);
  const commands: Harness["commands"] = [];
  const sampled: Harness["sampled"] = [];
  const counts = new Map<string, number>();
  const order: string[] = [];
  const deps: StageDeps = {
    io,
    github,
    sampleCounters: async (gate) => {
      throw new Error(`compare gate ${gate.name} sampled, but these tests script metric gates only`);
    },
    sample: async (gate: Gate) => {
      const i = counts.get(gate.name) ?? 0;
      counts.set(gate.name, i + 1);
      sampled.push({ gate: gate.name, at: clock.now });
      order.push(`sample ${gate.name}`);
      return readings[gate.name]!(i);
    },
    shell: async (command, env) => {
      commands.push({ command, env, at: clock.now });
      order.push(`shell ${command}`);
      clock.now += 250; // the command takes a quarter of a second
      return { exitCode: options.shellExit ? options.shellExit(command) : 0, stdout: "", stderr: "" };
    },
    now: () => clock.now,
    sleep: async (ms) => void (clock.now += ms),
    lastGoodSha: (records, sha, release) => lastGoodSha(records, { sha, ...(release !== undefined ? { release } : {}) }) ?? undefined,
    runUrl: CONTEXT.logUrl!,
  };
  return { io, github, clock, commands, sampled, order, deps };
}

function inputs(values: Record<string, string>): Inputs {
  const result = readInputs({ getInput: (name) => ({ token: "t", gates: GATES, interval: "10s", ...values })[name] ?? "" });
  if (!result.ok) throw new Error(result.error);
  return result.inputs;
}

const addGood = (h: Harness) => {
  h.github.deployments.push({ id: 1, sha: GOOD, environment: "production", payload: null, statuses: [{ state: "success", description: "", at: 0 }] });
};

describe("runStage", () => {
  it("creates the stage, marks it in progress, shifts, samples every interval and ends success", async () => {
    const h = harness({ "error-rate": () => valueReading(0.001) });
    h.github.pulls.set(SHA, { number: 7, body: "## Rollback contract\nProcedure: revert.\nTriggers: error rate > 0.5%\n" });
    const outcome = await runStage(inputs({ stage: "canary", percent: "1", observe: "30s", shift: "shift-traffic" }), CONTEXT, h.deps);

    expect(outcome.verdict).toBe("success");
    const [stage] = h.github.deployments;
    expect(stage!.payload).toMatchObject({ stage: "canary", percent: 1, release: 7, plan: [{ name: "canary", percent: 1, observe: "30s" }], triggers: [{ metric: "error-rate", value: 0.5 }] });
    expect(h.github.states(stage!.id)).toEqual(["success", "in_progress"]);
    expect(h.commands).toEqual([{ command: "shift-traffic", env: expect.objectContaining({ RELEASE_STAGE: "canary", RELEASE_PERCENT: "1", RELEASE_DEPLOYMENT_ID: String(stage!.id), RELEASE_SHA: SHA }), at: expect.any(Number) }]);
    // Samples at 10s, 20s, 30s after the shift.
    const shiftedAt = h.commands[0]!.at + 250;
    expect(h.sampled.map((s) => s.at - shiftedAt)).toEqual([10_000, 20_000, 30_000]);
    expect(outcome.outputs).toMatchObject({ stage: "canary", percent: "1", environment: "production", "deployment-id": String(stage!.id), verdict: "success", "rolled-back": "false" });
    // The PR's trigger tightened the gate to 0.005.
    expect(outcome.report.applied).toMatchObject([{ gate: "error-rate", bound: "max", limit: 0.005 }]);
    expect(h.io.state).toMatchObject({ "deployment-id": String(stage!.id), finished: "verdict" });
  });

  it("on a breach fails the stage, rolls back to the last good commit, and times it", async () => {
    const h = harness({ "error-rate": (i) => valueReading(i === 0 ? 0.002 : 0.2) });
    addGood(h);
    const outcome = await runStage(inputs({ stage: "canary", percent: "5", observe: "1m", shift: "shift-traffic", release: "8" }), CONTEXT, h.deps);

    expect(outcome.verdict).toBe("failure");
    expect(outcome.reason).toBe("canary 5%: breach, error-rate: 0.2 > max 0.01 (1 breach, limit 0)");
    expect(h.sampled).toHaveLength(2); // stopped at the breach
    const stage = h.github.deployments[1]!;
    const rollback = h.github.deployments[2]!;
    expect(h.github.states(stage.id)).toEqual(["failure", "in_progress"]);
    expect(rollback).toMatchObject({ sha: GOOD, payload: { stage: "canary", release: 8, triggers: [], rollback: { of: stage.id } } });
    expect(h.github.states(rollback.id)).toEqual(["success", "in_progress"]);
    // Without a rollback command the shift runs again with 0%.
    expect(h.commands[1]).toMatchObject({ command: "shift-traffic", env: { RELEASE_PERCENT: "0", RELEASE_ROLLBACK: "true" } });
    expect(outcome.outputs).toMatchObject({ "rolled-back": "true", "rollback-seconds": "0.250", "rollback-deployment-id": String(rollback.id) });
    expect(outcome.report.rollback).toMatchObject({ ok: true, ref: GOOD, seconds: 0.25 });
  });

  it("prefers the rollback command, and reports a failed rollback as not rolled back", async () => {
    const h = harness({ "error-rate": () => valueReading(1) }, { shellExit: (c) => (c === "undo" ? 3 : 0) });
    addGood(h);
    const outcome = await runStage(inputs({ stage: "canary", percent: "5", observe: "1m", shift: "shift-traffic", rollback: "undo", release: "8" }), CONTEXT, h.deps);
    expect(h.commands.map((c) => c.command)).toEqual(["shift-traffic", "undo"]);
    expect(outcome.outputs).toMatchObject({ verdict: "failure", "rolled-back": "false", "rollback-seconds": "" });
    expect(h.github.states(h.github.deployments[2]!.id)).toEqual(["failure", "in_progress"]);
  });

  it("ends inconclusive with an error status and no rollback when a gate has no data", async () => {
    const h = harness({ "error-rate": () => missingReading("empty-result", "the query returned no series") });
    const outcome = await runStage(inputs({ stage: "canary", percent: "1", observe: "20s", shift: "shift-traffic", release: "9" }), CONTEXT, h.deps);
    expect(outcome.verdict).toBe("inconclusive");
    expect(h.github.states(h.github.deployments[0]!.id)).toEqual(["error", "in_progress"]);
    expect(h.github.deployments).toHaveLength(1);
    expect(h.commands).toHaveLength(1);
    expect(outcome.outputs["rolled-back"]).toBe("false");
  });

  it("fails and rolls back when the shift command fails", async () => {
    const h = harness({ "error-rate": () => valueReading(0) }, { shellExit: (c) => (c === "shift-traffic" ? 1 : 0) });
    addGood(h);
    const outcome = await runStage(inputs({ stage: "canary", percent: "1", observe: "20s", shift: "shift-traffic", rollback: "undo", release: "9" }), CONTEXT, h.deps);
    expect(outcome.reason).toBe("canary 1%: the shift command exited with 1");
    expect(h.sampled).toHaveLength(0);
    expect(outcome.outputs["rolled-back"]).toBe("true");
  });

  it("samples ratio baselines before the shift and judges against them", async () => {
    const h = harness({ p99: (i) => valueReading(i === 0 ? 200 : 390) });
    const gates = "- { name: p99, command: p99, max-ratio-to-baseline: 2 }";
    const outcome = await runStage(inputs({ stage: "canary", percent: "1", observe: "20s", shift: "shift-traffic", release: "9", gates }), CONTEXT, h.deps);
    expect(h.order).toEqual(["sample p99", "shell shift-traffic", "sample p99", "sample p99"]);
    expect(outcome.verdict).toBe("success");
    expect(outcome.outputs.baseline).toBe('{"p99":200}');
  });

  it("splits into start and observe: start hands off, observe adopts the deployment with the baseline", async () => {
    const h = harness({ p99: (i) => valueReading(i === 0 ? 200 : 500) });
    const gates = "- { name: p99, command: p99, max-ratio-to-baseline: 2 }";
    const started = await runStage(inputs({ stage: "canary", percent: "1", mode: "start", release: "9", gates }), CONTEXT, h.deps);
    expect(started.outputs).toMatchObject({ verdict: "started", baseline: '{"p99":200}' });
    expect(h.io.state.finished).toBe("handoff");
    const id = started.outputs["deployment-id"]!;
    expect(h.github.states(Number(id))).toEqual(["in_progress"]);

    const observed = await runStage(inputs({ mode: "observe", "deployment-id": id, observe: "10s", baseline: started.outputs.baseline!, gates, rollback: "undo" }), CONTEXT, h.deps);
    expect(observed.verdict).toBe("failure");
    expect(observed.reason).toContain("p99: 2.5x baseline > 2x");
    expect(h.github.states(Number(id))).toEqual(["failure", "in_progress"]);
  });

  it("takes stage, percent, window and triggers from an adopted deployment's payload", async () => {
    const h = harness({ "error-rate": () => valueReading(0.004) });
    const payload = {
      stage: "10-percent",
      percent: 10,
      release: 5,
      plan: [{ name: "canary", percent: 1, observe: "10s" }, { name: "10-percent", percent: 10, observe: "20s" }],
      triggers: [{ metric: "error-rate", label: "error rate", comparator: ">" as const, value: 0.3, unit: "percent" as const, line: 3, text: "> 0.3%" }],
    };
    const context = { ...CONTEXT, eventName: "deployment", deployment: { id: 77, sha: SHA, environment: "staging", payload } };
    h.github.deployments.push({ id: 77, sha: SHA, environment: "staging", payload, statuses: [] });
    const outcome = await runStage(inputs({}), context, h.deps);
    expect(outcome.verdict).toBe("failure"); // 0.004 > 0.003
    expect(h.sampled).toHaveLength(1);
    expect(outcome.outputs).toMatchObject({ stage: "10-percent", percent: "10", environment: "staging", "deployment-id": "77" });
  });

  it("writes nothing and runs no command in a dry run", async () => {
    const h = harness({ "error-rate": () => valueReading(1) });
    addGood(h);
    const outcome = await runStage(inputs({ stage: "canary", percent: "1", observe: "10s", shift: "shift-traffic", "dry-run": "true", release: "9" }), CONTEXT, h.deps);
    expect(outcome.verdict).toBe("failure");
    expect(h.github.writes).toBe(0);
    expect(h.commands).toEqual([]);
    expect(h.io.log.filter((l) => l.startsWith("dry run:"))).toHaveLength(4);
  });

  it.each([
    [{ percent: "1", observe: "1m" }, "input `stage`: required"],
    [{ stage: "canary", observe: "1m" }, "input `percent`: required"],
    // "canary" has a documented default window (30m); a stage name without one must be given `observe`.
    [{ stage: "blue", percent: "1" }, 'input `observe`: stage "blue" has no observation window'],
    [{ stage: "canary", percent: "1", observe: "1m" }, "input `release`: no pull request is associated"],
    [{ mode: "observe" }, "input `deployment-id`"],
  ])("refuses to guess: %j", async (values, message) => {
    const h = harness({});
    await expect(runStage(inputs(values), CONTEXT, h.deps)).rejects.toThrow(message);
    expect(h.github.writes).toBe(0);
  });

  it("runs without the PR's triggers when the PR cannot be read, if the release is given", async () => {
    const h = harness({ "error-rate": () => valueReading(0) });
    h.github.findPull = async () => {
      throw new Error("Resource not accessible by integration");
    };
    const outcome = await runStage(inputs({ stage: "canary", percent: "1", observe: "10s", release: "9" }), CONTEXT, h.deps);
    expect(outcome.verdict).toBe("success");
    expect(h.io.log).toContain(`warning: could not read the pull request of ${SHA.slice(0, 7)}, so its rollback triggers do not apply: Resource not accessible by integration`);
  });

  it("runs a minimal payload ({ stage, percent, release }) made by hand: the window from the documented default of its stage name", async () => {
    const h = harness({ "error-rate": () => valueReading(0) });
    const context = { ...CONTEXT, eventName: "deployment", deployment: { id: 9, sha: SHA, environment: "production", payload: { stage: "canary", percent: 1, release: 12 } } };
    h.github.deployments.push({ id: 9, sha: SHA, environment: "production", payload: null, statuses: [] });
    // The whole window watched closely in this run (not the default 15m active phase then soak).
    const outcome = await runStage(inputs({ active: "window" }), context, h.deps);
    expect(outcome.verdict).toBe("success");
    expect(h.io.log).toContain("observation window 30m (from the documented default for canary)");
    // 30 minutes sampled every 10s.
    expect(h.sampled).toHaveLength(180);
    expect(h.github.states(9)).toEqual(["success", "in_progress"]);
  });

  it("runs a minimal payload with a stage name of its own when the step gives `observe`, and refuses it, naming the input, when not", async () => {
    const payload = JSON.stringify({ stage: "eu-west", percent: 20, release: 12 });
    const context = { ...CONTEXT, eventName: "deployment", deployment: { id: 9, sha: SHA, environment: "production", payload } };
    const ok = harness({ "error-rate": () => valueReading(0) });
    ok.github.deployments.push({ id: 9, sha: SHA, environment: "production", payload: null, statuses: [] });
    expect((await runStage(inputs({ observe: "20s" }), context, ok.deps)).verdict).toBe("success");
    expect(ok.io.log).toContain("observation window 20s (from the `observe` input)");

    const refused = harness({});
    await expect(runStage(inputs({}), context, refused.deps)).rejects.toThrow(
      'input `observe`: stage "eu-west" has no observation window: the input is empty, the deployment\'s payload has no plan, and "eu-west" is not one of the documented default stages (canary 30m, 10-percent 2h, 50-percent 4h, full 24h); set `observe` on the step, e.g. observe: 30m',
    );
    expect(refused.github.writes).toBe(0);
  });

  it("refuses a deployment that is not a Release Gate stage", async () => {
    const h = harness({});
    const context = { ...CONTEXT, eventName: "deployment", deployment: { id: 9, sha: SHA, environment: "production", payload: { foo: 1 } } };
    await expect(runStage(inputs({}), context, h.deps)).rejects.toThrow(/deployment 9 is not a Release Gate stage: .*it needs at least \{"stage": "canary", "percent": 1, "release": 42\}/);
  });
});

// Issue 12: windows longer than one run. The stage run leaves the deployment in progress with a
// checkpoint; `mode: resume` runs (on the same manual clock) pick it up and end it.
describe("long windows across runs", () => {
  const LONG = { stage: "canary", percent: "1", observe: "60s", shift: "shift-traffic", watch: "20s", active: "window" };
  const resume = (extra: Record<string, string> = {}) => inputs({ mode: "resume", watch: "20s", active: "window", shift: "shift-traffic", ...extra });
  const runResume = async (h: Harness, extra: Record<string, string> = {}) => {
    const { resumeStages } = await import("../../src/action/stage/resume.js");
    return resumeStages(resume(extra), CONTEXT, h.deps);
  };

  it("ends observing when the window outlives watch, and succeeds only once the window is over, across resume runs", async () => {
    const h = harness({ "error-rate": () => valueReading(0.001) });
    h.github.pulls.set(SHA, { number: 7, body: null });
    const first = await runStage(inputs(LONG), CONTEXT, h.deps);
    const stage = h.github.deployments[0]!;
    const shiftedAt = h.commands[0]!.at + 250;
    expect(first.verdict).toBe("observing");
    expect(first.outputs).toMatchObject({ verdict: "observing", "rolled-back": "false" });
    expect(h.github.states(stage.id)).toEqual(["in_progress", "in_progress"]);
    expect(stage.statuses[0]!.description).toMatch(/^canary 1%: observing, 20s of 1m watched, no breach/);
    expect(stage.statuses[0]!.logUrl).toMatch(/^https:\/\/github\.com\/acme\/shop\/actions\/runs\/1#release-gate-checkpoint=/);
    // The post step must leave it alone.
    expect(h.io.state).toMatchObject({ finished: "observing" });

    h.clock.now += 1_000;
    const second = await runResume(h);
    expect(second.verdict).toBe("observing");
    expect(h.github.states(stage.id)).toEqual(["in_progress", "in_progress", "in_progress"]);

    h.clock.now += 1_000;
    const third = await runResume(h);
    expect(third.verdict).toBe("success");
    expect(h.github.states(stage.id)[0]).toBe("success");
    // Every sample on the window's grid, 10s apart from the shift to its end, each taken once.
    expect(h.sampled.map((s) => s.at - shiftedAt)).toEqual([10_000, 20_000, 30_000, 40_000, 50_000, 60_000]);
    // Success is written only after the window, measured from the stage's start.
    expect(stage.statuses[0]!.at - shiftedAt).toBeGreaterThanOrEqual(60_000);
    expect(JSON.parse(third.outputs.stages!)).toEqual([expect.objectContaining({ deployment: stage.id, stage: "canary", verdict: "success" })]);
    expect(third.summary).toContain("**Window**: 1m from");
    expect(third.summary).toContain("| error-rate | ≤ 0.01 ratio | 6 / 6 |");
  });

  it("resumes a minimal-payload stage with the window its own run chose (kept in the checkpoint), not one the resume step must know", async () => {
    const h = harness({ "error-rate": () => valueReading(0.001) });
    const context = { ...CONTEXT, eventName: "deployment", deployment: { id: 9, sha: SHA, environment: "production", payload: { stage: "eu-west", percent: 20, release: 12 } } };
    // As the gateway hands it over: parsed, so `triggers` has its default.
    h.github.deployments.push({ id: 9, sha: SHA, environment: "production", payload: { stage: "eu-west", percent: 20, release: 12, triggers: [] }, statuses: [] });
    const first = await runStage(inputs({ observe: "60s", watch: "20s", active: "window", shift: "shift-traffic" }), context, h.deps);
    expect(first.verdict).toBe("observing");
    // "eu-west" is no documented stage and the payload has no plan: only the checkpoint knows 60s.
    h.clock.now += 1_000;
    expect((await runResume(h)).verdict).toBe("observing");
    h.clock.now += 1_000;
    const last = await runResume(h);
    expect([last.verdict, last.reason]).toEqual(["success", expect.any(String)]);
    expect(h.github.states(9)[0]).toBe("success");
    expect(last.summary).toContain("**Window**: 1m from");
  });

  it("carries failure-limit across runs: one breach per run fails the stage in the second run, with a rollback", async () => {
    const h = harness({ "error-rate": (i) => valueReading(i === 0 || i === 2 ? 0.05 : 0.001) });
    h.github.pulls.set(SHA, { number: 7, body: null });
    addGood(h);
    const gates = "- { name: error-rate, command: errors, max: 0.01, unit: ratio, failure-limit: 1 }";
    const first = await runStage(inputs({ ...LONG, gates }), CONTEXT, h.deps);
    expect(first.verdict).toBe("observing");
    h.clock.now += 1_000;
    const second = await runResume(h, { gates });
    expect(second.verdict).toBe("failure");
    const stage = h.github.deployments[1]!;
    expect(h.github.states(stage.id)[0]).toBe("failure");
    expect(stage.statuses[0]!.description).toMatch(/error-rate: 0\.05 > max 0\.01 \(2 breaches, limit 1\)/);
    // Rolled back with the shift command at 0%, and a rollback deployment to the last good SHA.
    expect(h.commands.at(-1)!.env).toMatchObject({ RELEASE_PERCENT: "0", RELEASE_ROLLBACK: "true", RELEASE_DEPLOYMENT_ID: String(stage.id) });
    expect(h.github.deployments.at(-1)!).toMatchObject({ sha: GOOD, payload: { rollback: { of: stage.id } } });
    // A fresh count would have tolerated the second run's single breach.
    expect(h.sampled).toHaveLength(3);
  });

  it("ignores a status written by someone else, and keeps counts a later checkpoint lowered", async () => {
    const h = harness({ "error-rate": (i) => valueReading(i === 0 ? 0.05 : 0.001) });
    h.github.pulls.set(SHA, { number: 7, body: null });
    const gates = "- { name: error-rate, command: errors, max: 0.01, unit: ratio, failure-limit: 1 }";
    await runStage(inputs({ ...LONG, gates }), CONTEXT, h.deps);
    const stage = h.github.deployments[0]!;
    const honest = stage.statuses[0]!;
    // A hand-written success by a person is not the gate's: the stage stays open.
    stage.statuses.unshift({ state: "success", description: "looks fine", at: h.clock.now, by: "mallory" });
    // A workflow-token status that resets the breach count cannot lower it.
    const { readCheckpoint, checkpointUrl } = await import("../../src/core/gates/watch-checkpoint.js");
    const read = readCheckpoint(honest.logUrl);
    if (!read.ok) throw new Error(read.detail);
    const reset = { ...read.checkpoint, gates: { "error-rate": { ...read.checkpoint.gates["error-rate"]!, breaches: 0 } } };
    stage.statuses.unshift({ state: "in_progress", description: "reset", at: h.clock.now, logUrl: checkpointUrl(CONTEXT.logUrl!, reset) });
    h.clock.now += 1_000;
    const second = await runResume(h, { gates });
    expect(h.io.log.join("\n")).toContain("written by mallory: not one of deployment-creators or github-actions[bot]");
    expect(h.io.log.join("\n")).toContain("a later checkpoint lowered counts (error-rate breaches 1 → 0); the higher counts stand");
    expect(second.verdict).toBe("observing");
    const after = readCheckpoint(stage.statuses[0]!.logUrl);
    expect(after.ok && after.checkpoint.gates["error-rate"]).toMatchObject({ breaches: 1, taken: 4 });
  });

  it("watches the active phase closely, then takes one sample per scheduled run (soak)", async () => {
    const h = harness({ "error-rate": () => valueReading(0.001) });
    h.github.pulls.set(SHA, { number: 7, body: null });
    await runStage(inputs({ ...LONG, observe: "10m", active: "30s", watch: "5h" }), CONTEXT, h.deps);
    const shiftedAt = h.commands[0]!.at + 250;
    expect(h.sampled.map((s) => s.at - shiftedAt)).toEqual([10_000, 20_000, 30_000]);
    for (const minute of [4, 8]) {
      h.clock.now = shiftedAt + minute * 60_000;
      expect((await runResume(h, { active: "30s", watch: "5h" })).verdict).toBe("observing");
    }
    h.clock.now = shiftedAt + 12 * 60_000;
    expect((await runResume(h, { active: "30s", watch: "5h" })).verdict).toBe("success");
    expect(h.sampled.map((s) => (s.at - shiftedAt) / 1000)).toEqual([10, 20, 30, 240, 480, 720]);
  });

  it("leaves a stage to the run that is still watching it (no checkpoint yet), and takes it over once that run cannot be alive", async () => {
    const h = harness({ "error-rate": () => valueReading(0.001) });
    h.github.pulls.set(SHA, { number: 7, body: null });
    await runStage(inputs({ stage: "canary", percent: "1", observe: "60s", mode: "start" }), CONTEXT, h.deps);
    const stage = h.github.deployments[0]!;
    h.clock.now += 60_000;
    expect((await runResume(h)).verdict).toBe("none");
    expect(h.io.log.join("\n")).toContain(`deployment ${stage.id} (canary of #7) is being watched by its own run`);
    h.clock.now += 6 * 3_600_000;
    const late = await runResume(h);
    // Its window (from the start status) is long over: one last check, then the verdict.
    expect(late.verdict).toBe("success");
    expect(h.sampled).toHaveLength(1);
  });

  it("finds nothing to do when no stage is in progress", async () => {
    const h = harness({ "error-rate": () => valueReading(0.001) });
    const outcome = await runResume(h);
    expect(outcome).toMatchObject({ verdict: "none", outputs: { stages: "[]" } });
    expect(h.sampled).toEqual([]);
  });
});
