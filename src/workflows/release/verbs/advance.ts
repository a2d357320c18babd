// `/release advance [stage]`: the guards decide, a claim ref makes one of any number of concurrent
// commands win, and the stage's deployment is created. Writes: claim + deployment (2).
import { ownAuthor } from "../../../core/rollout/trust.js";
import { advanceDecision } from "../../../core/rollout/decisions.js";
import type { DeploymentPayload } from "../../../core/rollout/deployment-payload.js";
import { stagePayload } from "../../../core/rollout/stage-payload.js";
import type { DeploymentRecord } from "../../../core/rollout/types.js";
import { claimRefName, claimTransition } from "../../../github/claims.js";
import type { GitHubClient } from "../../../github/client.js";
import { createStageDeployment } from "../../../github/deployments.js";
import type { ReleaseFacts } from "../release-facts.js";
import type { VerbContext, VerbResult } from "../types.js";

function stageDeploymentsOf(facts: ReleaseFacts, stage: string): number {
  return facts.deployments.filter((d) => d.payload?.release === facts.target.pullNumber && !d.payload.rollback && d.payload.stage === stage).length;
}

export async function advance(octokit: GitHubClient, ctx: VerbContext, requested: string | undefined): Promise<VerbResult> {
  const { facts } = ctx;
  if (facts.fromFork && !facts.live.merged) {
    return { result: "refused", code: "fork-pre-merge", message: "A fork's code is never deployed before it is merged.", writes: 0 };
  }
  const decision = advanceDecision(facts, ctx.now, requested);
  if (!decision.allowed) {
    return {
      result: "refused",
      code: decision.refusals[0]?.code ?? "not-ready",
      message: decision.refusals.map((r) => r.message).join("\n"),
      refusals: decision.refusals,
      writes: 0,
    };
  }
  const stage = decision.stage;
  // The claim names the stage and its attempt: of any number of concurrent `advance` commands, on any
  // number of replicas, one creates this ref and the rest get 422. A retried stage is a new attempt.
  const attempt = stageDeploymentsOf(facts, stage.name) + 1;
  const claim = await claimTransition(octokit, {
    ...facts.target,
    name: claimRefName(facts.target.pullNumber, `stage-${stage.name}-${attempt}`),
    sha: decision.sha,
  });
  if (claim.kind === "taken") {
    return { result: "unchanged", code: "already-claimed", message: `${stage.name} was just started by another command; nothing more to do.`, writes: 1 };
  }
  const payload: DeploymentPayload = stagePayload({
    plan: facts.plan,
    index: decision.index,
    cohorts: facts.config.rollout.cohorts,
    release: facts.target.pullNumber,
    triggers: facts.triggers,
    // The deployment's creator is the app; the stage table shows who asked.
    requestedBy: ctx.request.origin.actor.login,
  });
  // Regions: the stage deploys to its own environment (the plan fills in the rollout's).
  const environment = stage.environment ?? facts.config.rollout.environment;
  const what = stage.cohort !== undefined ? `cohort ${stage.cohort}` : `${stage.percent}%`;
  const created = await createStageDeployment(octokit, {
    ...facts.target,
    sha: decision.sha,
    environment,
    payload,
    description: `Release #${facts.target.pullNumber}: ${stage.name} (${what}) by ${ctx.request.origin.actor.login}`,
  });
  if (created.kind !== "created") {
    return { result: "refused", code: `deployment-${created.kind}`, message: `GitHub did not create the deployment: ${created.message}`, writes: 2 };
  }
  const record: DeploymentRecord = {
    id: created.id,
    sha: decision.sha,
    environment,
    createdAt: ctx.now.toISOString(),
    ...ownAuthor(facts.identity),
    payload,
    statuses: [],
  };
  return {
    result: "done",
    code: "advanced",
    message: `Started ${stage.name} (${what}) on ${decision.sha.slice(0, 7)}: deployment ${created.id} in \`${environment}\`.`,
    writes: 2,
    refreshedDeployments: [record, ...facts.deployments],
  };
}
