// What `/release rollback` does. Always allowed: no guard, no blackout, no pause applies to it.
import type { DeploymentPayload } from "./deployment-payload.js";
import type { RolloutState, StageView } from "./types.js";

export interface DeploymentStatusUpdate {
  deploymentId: number;
  state: "failure" | "inactive";
  description: string;
}

/** The rollback of one environment the release reached. */
export interface EnvironmentRollback {
  /** Undefined for a plan that names no environment (the rollout's one environment). */
  environment: string | undefined;
  /** The release's newest stage there: the one its rollback deployment rolls back. */
  stage: string;
  targetSha: string | null;
  payload: DeploymentPayload | null;
  note?: string;
}

export interface RollbackPlan {
  reason: string;
  /**
   * Every environment the release reached, newest first (the plan's order across environments is
   * enforced, so the newest stage's environment is the one furthest along). The fields below are the
   * newest environment's, for callers that know one environment only.
   */
  environments: EnvironmentRollback[];
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
 * Rolls the release back to the last good SHA of every environment it reached. In each environment
 * the newest stage deployment there is the one rolled back (`payload.rollback.of`). The newest stage
 * of all is marked `failure` unless already failed, and every other stage deployment of the release
 * that still shows `success` is marked `inactive`, so no stage of the release looks live afterwards.
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
  const reached: Array<StageView & { deploymentId: number }> = [];
  for (const stage of [...started].reverse()) if (!reached.some((r) => r.environment === stage.environment)) reached.push(stage);
  const environments = reached.map((stage): EnvironmentRollback => {
    const targetSha = stage.environment === undefined ? state.lastGoodSha : (state.lastGood[stage.environment] ?? null);
    const where = stage.environment === undefined ? "the environment" : `\`${stage.environment}\``;
    if (!targetSha) {
      return {
        environment: stage.environment,
        stage: stage.name,
        targetSha: null,
        payload: null,
        note: `No earlier successful deployment exists in ${where}, so nothing can be redeployed there; the stage is marked failed.`,
      };
    }
    return {
      environment: stage.environment,
      stage: stage.name,
      targetSha,
      payload: {
        stage: stage.name,
        percent: 100,
        release: state.release,
        plan: state.plan,
        triggers,
        rollback: { of: stage.deploymentId, reason: why },
        ...(requestedBy ? { requestedBy } : {}),
      },
    };
  });
  const newest = environments[0];
  const plan: RollbackPlan = { reason: why, environments, targetSha: newest ? newest.targetSha : state.lastGoodSha, payload: newest?.payload ?? null, updates };
  if (!live) {
    plan.note = "No stage of this release was deployed; there is nothing to roll back.";
  } else if (newest?.note && environments.length === 1) {
    plan.note = environments[0]!.environment === undefined
      ? "No earlier successful deployment exists in the environment, so nothing can be redeployed; the stage is marked failed."
      : newest.note;
  } else if (environments.every((e) => e.payload === null)) {
    plan.note = "No environment the release reached has an earlier successful deployment, so nothing can be redeployed; the stage is marked failed.";
  }
  return plan;
}

function truncate(text: string): string {
  return text.length > DESCRIPTION_MAX ? `${text.slice(0, DESCRIPTION_MAX - 1)}…` : text;
}
