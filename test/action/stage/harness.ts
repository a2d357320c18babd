// A small stand-in for the stage steps' surroundings: a recording GitHub, a manual clock, scripted
// gate readings and shell exits.
import { readInputs, type Inputs } from "../../../src/action/inputs.js";
import type { StageDeps } from "../../../src/action/stage/deps.js";
import type { StageGitHub } from "../../../src/action/stage-github.js";
import type { SampleReading } from "../../../src/core/gates/sample.js";
import type { CounterSample } from "../../../src/core/gates/watch-compare.js";
import type { DeploymentRecord } from "../../../src/core/rollout/types.js";
import { FakeIo } from "../fake-io.js";

export const SHA = "c".repeat(40);
export const CONTEXT = { owner: "acme", repo: "shop", sha: SHA, eventName: "push" };

export function stageInputs(values: Record<string, string>): Inputs {
  const all: Record<string, string> = { token: "t", gates: "- { name: error-rate, command: errors, max: 0.01 }", interval: "10s", ...values };
  const result = readInputs({ getInput: (name) => all[name] ?? "" });
  if (!result.ok) throw new Error(result.error);
  return result.inputs;
}

export function stageHarness(
  reading: (i: number) => SampleReading,
  options: { shellExit?: number; recent?: DeploymentRecord[]; counters?: (i: number) => CounterSample } = {},
) {
  const clock = { now: Date.parse("2026-11-23T12:00:00Z") };
  const io = new FakeIo();
  const calls: string[] = [];
  let next = 100;
  const github: StageGitHub = {
    createDeployment: async (args) => (calls.push(`create ${args.sha.slice(0, 7)} ${args.payload.rollback ? "rollback" : args.payload.stage}`), { id: next++, sha: args.sha }),
    getDeployment: async (id) => {
      throw new Error(`no deployment ${id}`);
    },
    setStatus: async (id, state) => void calls.push(`status ${id} ${state}`),
    listRecent: async () => options.recent ?? [],
    findPull: async () => ({ number: 7, body: null }),
    listStages: async () => [],
  };
  let samples = 0;
  let rounds = 0;
  const deps: StageDeps = {
    io,
    github,
    sample: async () => (calls.push("sample"), reading(samples++)),
    sampleCounters: async (gate) => {
      calls.push(`counters ${gate.name}`);
      if (!options.counters) throw new Error("this test scripted no counter readings");
      return options.counters(rounds++);
    },
    shell: async (command) => (calls.push(`shell ${command}`), { exitCode: options.shellExit ?? 0, stdout: "", stderr: "" }),
    now: () => clock.now,
    sleep: async (ms) => void (clock.now += ms),
    lastGoodSha: (records) => records.find((r) => r.statuses[0]?.state === "success")?.sha,
  };
  return { io, calls, deps, clock };
}
