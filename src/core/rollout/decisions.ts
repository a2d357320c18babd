// Turns a release's gathered facts into the inputs of the rollout guards (guards.ts) and the rollback
// planner (plan-rollback.ts).
import type { DeploymentPayload } from "./deployment-payload.js";
import { decideAdvance, type AdvanceContext } from "./guards.js";
import { planRollback, type DeploymentStatusUpdate } from "./plan-rollback.js";
import type { Decision } from "./types.js";
import type { ReleaseGateConfig, Stage } from "../config/schema.js";
import type { RollbackTrigger } from "../plan/parse-triggers.js";
import type { RolloutState } from "./types.js";

/** The part of a release's live facts the decisions read (the workflow's ReleaseFacts has more). */
export interface DecisionFacts {
  live: {
    merged: boolean;
    state: "open" | "closed";
    mergeCommitSha: string | null;
    facts: { headSha: string; labels: string[] };
  };
  config: ReleaseGateConfig;
  plan: Stage[];
  triggers: RollbackTrigger[];
  readiness: { conclusion: string | null } | undefined;
  rollout: RolloutState;
  paused: boolean;
}

export function guardContext(facts: DecisionFacts, now: Date, override: { sha: string } | null = null): Omit<AdvanceContext, "state" | "requestedStage"> {
  const { live } = facts;
  return {
    pull: {
      merged: live.merged,
      closed: live.state === "closed",
      mergeCommitSha: live.mergeCommitSha,
      headSha: live.facts.headSha,
      labels: facts.paused ? [...live.facts.labels, facts.config.rollout["pause-label"]] : live.facts.labels,
    },
    readiness: facts.readiness ? { sha: live.facts.headSha, passed: facts.readiness.conclusion === "success" } : null,
    override,
    config: facts.config,
    now,
  };
}

export function advanceDecision(facts: DecisionFacts, now: Date, requested: string | undefined): Decision {
  return decideAdvance({ ...guardContext(facts, now), state: facts.rollout, ...(requested ? { requestedStage: requested } : {}) });
}

/** One rollback deployment to create: in `environment` (the rollout's own when undefined), on `sha`. */
export interface RollbackStep {
  environment: string | undefined;
  sha: string;
  payload: DeploymentPayload;
  of: number;
}

export type RollbackDecision =
  | {
      ok: true;
      /** The newest environment's step (the only one for a plan in one environment). */
      sha: string;
      payload: DeploymentPayload;
      of: number;
      /** Every environment the release reached that has a last good SHA, newest first. */
      steps: RollbackStep[];
      /** Environments reached that have nothing to redeploy, said in the answer. */
      notes: string[];
      reason: string;
      markFailed?: DeploymentStatusUpdate;
    }
  | { ok: false; code: "rolled-back" | "no-last-good" | "nothing-deployed"; message: string; markFailed?: DeploymentStatusUpdate };

/**
 * Rollback bypasses every guard (planRollback in the core). Of the plan's status updates only the
 * live stage's `failure` is written: GitHub marks every older deployment of the environment inactive
 * by itself when the rollback deployment reports success (`auto_inactive`), so writing `inactive`
 * here would spend a write per earlier stage on what GitHub does for free.
 */
export function rollbackDecision(facts: DecisionFacts, reason: string, requestedBy?: string): RollbackDecision {
  if (facts.rollout.rolledBack) return { ok: false, code: "rolled-back", message: "This release was already rolled back." };
  const plan = planRollback(facts.rollout, reason, facts.triggers, requestedBy);
  const markFailed = plan.updates.find((u) => u.state === "failure");
  const steps = plan.environments.flatMap((e): RollbackStep[] =>
    e.payload && e.targetSha ? [{ environment: e.environment, sha: e.targetSha, payload: e.payload, of: e.payload.rollback!.of }] : [],
  );
  const first = steps[0];
  if (!first) {
    return { ok: false, code: plan.updates.length > 0 ? "no-last-good" : "nothing-deployed", message: plan.note ?? "Nothing to roll back.", ...(markFailed ? { markFailed } : {}) };
  }
  const notes = plan.environments.flatMap((e) => (e.note ? [e.note] : []));
  return { ok: true, sha: first.sha, payload: first.payload, of: first.of, steps, notes, reason: plan.reason, ...(markFailed ? { markFailed } : {}) };
}

/** True when `advance [stage]` would start the last stage of the plan (the 100% step). */
export function targetsFinalStage(facts: Pick<DecisionFacts, "plan" | "rollout">, requested: string | undefined): boolean {
  const last = facts.plan.length - 1;
  if (requested) return facts.plan.findIndex((s) => s.name.toLowerCase() === requested.toLowerCase()) === last;
  return facts.rollout.currentIndex + 1 === last;
}
