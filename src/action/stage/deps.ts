// What a stage's steps are given (everything outside: GitHub, clock, gate providers, shell) and what
// the stage ends with.
import type { Gate } from "../../core/config/schema.js";
import type { FlagDriver } from "../../core/flags/driver.js";
import type { CommandResult } from "../../core/gates/parse-command-output.js";
import type { CompareGate } from "../../core/gates/compare-gate.js";
import type { SampleReading } from "../../core/gates/sample.js";
import type { CounterSample } from "../../core/gates/watch-compare.js";
import type { StageReport } from "../../core/render/stage-summary.js";
import type { DeploymentRecord } from "../../core/rollout/types.js";
import type { ActionIo } from "../io.js";
import type { Outputs, Verdict } from "../outputs.js";
import type { StageGitHub } from "../stage-github.js";

export interface StageDeps {
  io: ActionIo;
  github: StageGitHub;
  sample(gate: Gate, env: Record<string, string>, timeoutMs: number): Promise<SampleReading>;
  /** One sampling round of a compare gate: its four counters at the same moment. */
  sampleCounters(gate: CompareGate, timeoutMs: number): Promise<CounterSample>;
  shell(command: string, env: Record<string, string>, onLine: (line: string) => void): Promise<CommandResult>;
  now(): number;
  sleep(ms: number): Promise<void>;
  lastGoodSha(records: readonly DeploymentRecord[], sha: string, release?: number): string | undefined;
  /** The flag the stage moves (input `flag`), when there is one. */
  flag?: FlagDriver | undefined;
  /** Who the audit records name when the payload does not (the run's actor). */
  actor?: string | undefined;
  /** This run's link: checkpoints are written after it, so the status still opens the run. */
  runUrl?: string;
}

export interface StageOutcome {
  verdict: Verdict;
  reason: string;
  outputs: Partial<Outputs>;
  report: StageReport;
}

/** What a whole run ends with: one stage, or every stage a `mode: resume` run handled. */
export interface RunOutcome {
  verdict: Verdict;
  reason: string;
  outputs: Partial<Outputs>;
  /** The job summary (Markdown). */
  summary: string;
}
