// Builders for DeploymentRecord fixtures: a stage deployment with its statuses given oldest first
// (as they happen) and stored newest first (as GitHub lists them).
import { DEFAULT_STAGES, type Stage } from "../../src/core/config/schema.js";
import type { DeploymentRecord, DeploymentState } from "../../src/core/rollout/types.js";

export const PLAN: Stage[] = DEFAULT_STAGES.map((s) => ({ ...s }));
export const RELEASE = 42;

export interface DeploymentSpec {
  id: number;
  stage?: string;
  release?: number;
  sha?: string;
  at: string;
  /** Oldest first: [state, ISO time, creator?]. */
  statuses?: ReadonlyArray<readonly [DeploymentState, string] | readonly [DeploymentState, string, string]>;
  rollback?: { of: number; reason: string };
  creator?: string;
  /** A deployment made by something other than Release Gate. */
  foreign?: boolean;
}

export function deployment(spec: DeploymentSpec): DeploymentRecord {
  const stage = PLAN.find((s) => s.name === (spec.stage ?? "canary")) ?? { name: spec.stage ?? "x", percent: 1, observe: "1m" };
  return {
    id: spec.id,
    sha: spec.sha ?? "a".repeat(40),
    environment: "production",
    createdAt: spec.at,
    creator: spec.creator ?? "release-gate[bot]",
    payload: spec.foreign
      ? null
      : {
          stage: stage.name,
          percent: spec.rollback ? 100 : stage.percent,
          release: spec.release ?? RELEASE,
          plan: PLAN,
          triggers: [],
          ...(spec.rollback ? { rollback: spec.rollback } : {}),
        },
    statuses: (spec.statuses ?? [])
      .map(([state, createdAt, creator]) => ({ state, createdAt, creator: creator ?? "release-gate[bot]" }))
      .reverse(),
  };
}
