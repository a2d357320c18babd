// What `/release rollback` does. Always allowed: no guard, no blackout, no pause applies to it.
import type { DeploymentPayload } from "./deployment-payload.js";
import type { RolloutState, StageView } from "./types.js";

export interface DeploymentStatusUpdate {
  deploymentId: number;
  state: "failure" | "inactive";
  description: string;
}

export interface RollbackPlan {
  reason: string;
  /** The SHA to redeploy: the environment's last good SHA; null when there is none. */
  targetSha: string | null;
  /** The rollback deployment to create (with this payload, on targetSha); null when nothing can be redeployed. */
  payload: DeploymentPayload | null;
  /** Status writes on this release's stage deployments, in order: the live stage fails, older successes go inactive. */
  updates: DeploymentStatusUpdate[];
  /** Said in the status comment when the plan cannot redeploy anything. */
  note?: string;
}

const DESCRIPTION_MAX = 140; // GitHub's limit for a deployment status description

/**
 * Rolls the release back to the last good SHA. The newest stage deployment is the one rolled back
 * (`payload.rollback.of`); it is marked `failure` unless already failed, and every other stage
 * deployment of the release that still shows `success` is marked `inactive`, so no stage of the
 * release looks live afterwards.
 */
export function planRollback(
  state: RolloutState,
  reason: string,
  triggers: DeploymentPayload["triggers"] = [],
  requestedBy?: string,
): RollbackPlan {
  const why = reason.trim() || "rollback requested";
  const started = state.stages.filter((s): s is StageView & { deploymentId: number } => s.deploymentId !== undefined);
  const live = started.at(-1);
  const updates: DeploymentStatusUpdate[] = [];
  const description = truncate(`Rolled back: ${why}`);
  if (live && live.phase !== "failure") updates.push({ deploymentId: live.deploymentId, state: "failure", description });
  for (const stage of started) {
    if (stage !== live && (stage.phase === "success" || stage.phase === "rolled-back")) {
      updates.push({ deploymentId: stage.deploymentId, state: "inactive", description });
    }
  }
  const plan: RollbackPlan = { reason: why, targetSha: state.lastGoodSha, payload: null, updates };
  if (!live) {
    plan.note = "No stage of this release was deployed; there is nothing to roll back.";
  } else if (!state.lastGoodSha) {
    plan.note = "No earlier successful deployment exists in the environment, so nothing can be redeployed; the stage is marked failed.";
  } else {
    plan.payload = {
      stage: live.name,
      percent: 100,
      release: state.release,
      plan: state.plan,
      triggers,
      rollback: { of: live.deploymentId, reason: why },
      ...(requestedBy ? { requestedBy } : {}),
    };
  }
  return plan;
}

function truncate(text: string): string {
  return text.length > DESCRIPTION_MAX ? `${text.slice(0, DESCRIPTION_MAX - 1)}…` : text;
}
