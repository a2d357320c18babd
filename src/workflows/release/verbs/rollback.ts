// `/release rollback [reason]`: bypasses every guard, redeploys the last good SHA of every environment
// the release reached and marks a live stage failed. Writes: claim + one deployment per environment
// reached (2 in one environment), plus 1 when a stage is still running.
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
  // Every environment the release reached, newest first: each gets its own rollback deployment, to
  // its own last good SHA. One claim above covers them all.
  let writes = 1;
  const refreshed: DeploymentRecord[] = [...facts.deployments];
  const done: string[] = [];
  const multiRegion = new Set(facts.plan.map((s) => s.environment)).size > 1;
  for (const step of plan.steps) {
    const environment = step.environment ?? facts.config.rollout.environment;
    const created = await createStageDeployment(octokit, {
      ...facts.target,
      sha: step.sha,
      environment,
      payload: step.payload,
      description: `Rollback of release #${facts.target.pullNumber} to ${step.sha.slice(0, 7)} by ${ctx.request.origin.actor.login}`,
    });
    writes++;
    if (created.kind !== "created") {
      const partial = done.length > 0 ? ` Already rolling back: ${done.join("; ")}.` : "";
      return {
        result: "refused",
        code: `deployment-${created.kind}`,
        message: `GitHub did not create the rollback deployment${multiRegion ? ` in \`${environment}\`` : ""}: ${created.message}${partial}`,
        writes,
        ...(done.length > 0 ? { refreshedDeployments: refreshed } : {}),
      };
    }
    refreshed.unshift({ id: created.id, sha: step.sha, environment, createdAt: ctx.now.toISOString(), ...ownAuthor(facts.identity), payload: step.payload, statuses: [] });
    done.push(`\`${environment}\` to ${step.sha.slice(0, 7)} (deployment ${created.id})`);
  }
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
    message: multiRegion
      ? `Rolling back every environment the release reached, newest first: ${done.join("; ")}, each to its last good deployment.${plan.notes.length > 0 ? ` ${plan.notes.join(" ")}` : ""} Reason: ${plan.reason}`
      : `Rolling back to ${plan.sha.slice(0, 7)} (the last good deployment): deployment ${refreshed[0]!.id}. Reason: ${plan.reason}`,
    writes,
    refreshedDeployments: refreshed,
  };
}
