// Turns gathered facts into the inputs of the rollout guards (pure, in src/core/rollout/guards.ts).
import type { DeploymentPayload } from "./deployment-payload.js";
import { decideAdvance, type AdvanceContext } from "./guards.js";
import { planRollback, type DeploymentStatusUpdate } from "./plan-rollback.js";
import type { Decision } from "./types.js";
import type { ReleaseFacts } from "../../workflows/release/release-facts.js";

export function guardContext(facts: ReleaseFacts, now: Date, override: { sha: string } | null = null): Omit<AdvanceContext, "state" | "requestedStage"> {
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

export function advanceDecision(facts: ReleaseFacts, now: Date, requested: string | undefined): Decision {
  return decideAdvance({ ...guardContext(facts, now), state: facts.rollout, ...(requested ? { requestedStage: requested } : {}) });
}

export type RollbackDecision =
  | { ok: true; sha: string; payload: DeploymentPayload; of: number; reason: string; markFailed?: DeploymentStatusUpdate }
  | { ok: false; code: string; message: string; markFailed?: DeploymentStatusUpdate };

/**
 * Rollback bypasses every guard (planRollback in the core). Of the plan's status updates only the
 * live stage's `failure` is written: GitHub marks every older deployment of the environment inactive
 * by itself when the rollback deployment reports success (`auto_inactive`), so writing `inactive`
 * here would spend a write per earlier stage on what GitHub does for free.
 */
export function rollbackDecision(facts: ReleaseFacts, reason: string, requestedBy?: string): RollbackDecision {
  if (facts.rollout.rolledBack) return { ok: false, code: "rolled-back", message: "This release was already rolled back." };
  const plan = planRollback(facts.rollout, reason, facts.triggers, requestedBy);
  const markFailed = plan.updates.find((u) => u.state === "failure");
  if (!plan.payload || !plan.targetSha) {
    return { ok: false, code: plan.updates.length > 0 ? "no-last-good" : "nothing-deployed", message: plan.note ?? "Nothing to roll back.", ...(markFailed ? { markFailed } : {}) };
  }
  return { ok: true, sha: plan.targetSha, payload: plan.payload, of: plan.payload.rollback!.of, reason: plan.reason, ...(markFailed ? { markFailed } : {}) };
}
