// Every output and saved state of the Action in one typed place (see action/action.yml).
import type { ActionIo } from "./io.js";

/** `observing`: the window outlives this run; the stage is left in progress for a `mode: resume` run. */
export type Verdict = "success" | "failure" | "inconclusive" | "started" | "dry-run" | "observing" | "none";

export interface Outputs {
  stage: string;
  percent: string;
  /** The cohort a cohort stage turns on; "" on a percent stage (whose percent is of everyone else). */
  cohort: string;
  environment: string;
  "deployment-id": string;
  verdict: Verdict;
  reason: string;
  "rolled-back": "true" | "false";
  "rollback-seconds": string;
  "rollback-deployment-id": string;
  /** JSON object gate name → baseline value, for a later `mode: observe` step. */
  baseline: string;
  /** `mode: resume`: JSON list of the stages handled, each `{ deployment, stage, percent, release, sha, verdict, reason }`. */
  stages: string;
}

export function setOutputs(io: Pick<ActionIo, "setOutput">, outputs: Partial<Outputs>): void {
  for (const [name, value] of Object.entries(outputs)) {
    if (value !== undefined) io.setOutput(name, value);
  }
}

/** What the post step needs to know about the main step. */
export interface SavedState {
  /** Marks that the main step ran, so the same entry runs as the post step next. */
  "is-post": "true";
  "deployment-id": string;
  /**
   * "verdict" once a final status was written; "handoff" when `mode: start` leaves the stage to a later
   * step; "observing" when the window outlives the run and a checkpoint left it for `mode: resume`.
   */
  finished: "verdict" | "handoff" | "observing" | "";
  "log-url": string;
  stage: string;
  "dry-run": "true" | "false";
}

export function saveState<K extends keyof SavedState>(io: Pick<ActionIo, "saveState">, name: K, value: SavedState[K]): void {
  io.saveState(name, value);
}

export function readState<K extends keyof SavedState>(io: Pick<ActionIo, "getState">, name: K): string {
  return io.getState(name);
}
