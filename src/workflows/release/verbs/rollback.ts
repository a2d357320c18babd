// `/release rollback [reason]`: bypasses every guard, redeploys the last good SHA and marks a live
// stage failed. Writes: claim + deployment (2), plus 1 when a stage is still running.
import { ownAuthor } from "../../../core/rollout/trust.js";
import { rollbackDecision } from "../../../core/rollout/decisions.js";
import type { DeploymentRecord } from "../../../core/rollout/types.js";
import { claimRefName, claimTransition } from "../../../github/claims.js";
import type { GitHubClient } from "../../../github/client.js";
import { createStageDeployment, setDeploymentStatus } from "../../../github/deployments.js";
import type { VerbContext, VerbResult } from "../types.js";

export async function rollback(octokit: GitHubClient, ctx: VerbContext, reason: string): Promise<VerbResult> {
  const { facts } = ctx;
  const plan = rollbackDecision(facts, reason || `requested by ${ctx.request.origin.actor.login}`, ctx.request.origin.actor.login);
  if (!plan.ok) {
    // Nothing to redeploy, but a live stage is still marked failed so that nothing advances from it.
    if (plan.markFailed) {
      await setDeploymentStatus(octokit, { ...facts.target, ...plan.markFailed });
      return { result: "done", code: plan.code, message: plan.message, writes: 1 };
    }
    return { result: "refused", code: plan.code, message: plan.message, writes: 0 };
  }
  const attempt = facts.deployments.filter((d) => d.payload?.release === facts.target.pullNumber && d.payload.rollback).length + 1;
  const claim = await claimTransition(octokit, { ...facts.target, name: claimRefName(facts.target.pullNumber, `rollback-${attempt}`), sha: plan.sha });
  if (claim.kind === "taken") {
    return { result: "unchanged", code: "already-claimed", message: "A rollback was just started by another command; nothing more to do.", writes: 1 };
  }
  const created = await createStageDeployment(octokit, {
    ...facts.target,
    sha: plan.sha,
    environment: facts.config.rollout.environment,
    payload: plan.payload,
    description: `Rollback of release #${facts.target.pullNumber} to ${plan.sha.slice(0, 7)} by ${ctx.request.origin.actor.login}`,
  });
  if (created.kind !== "created") {
    return { result: "refused", code: `deployment-${created.kind}`, message: `GitHub did not create the rollback deployment: ${created.message}`, writes: 2 };
  }
  let writes = 2;
  const refreshed: DeploymentRecord[] = [
    { id: created.id, sha: plan.sha, environment: facts.config.rollout.environment, createdAt: ctx.now.toISOString(), ...ownAuthor(facts.identity), payload: plan.payload, statuses: [] },
    ...facts.deployments,
  ];
  if (plan.markFailed) {
    // Skipped when the Action already reported the failure (an automatic rollback).
    await setDeploymentStatus(octokit, { ...facts.target, ...plan.markFailed });
    writes++;
    const failed = refreshed.find((d) => d.id === plan.markFailed!.deploymentId);
    failed?.statuses.unshift({ state: "failure", createdAt: ctx.now.toISOString(), description: plan.markFailed.description, ...ownAuthor(facts.identity) });
  }
  return {
    result: "done",
    code: "rolled-back",
    message: `Rolling back to ${plan.sha.slice(0, 7)} (the last good deployment): deployment ${created.id}. Reason: ${plan.reason}`,
    writes,
    refreshedDeployments: refreshed,
  };
}
