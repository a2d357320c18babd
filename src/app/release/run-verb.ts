// What each verb does once the command is received and permitted. Each returns what it wrote, so
// the caller can log and tests can prove the write budget; the status comment is edited by the caller.
import type { RepoRole } from "../../core/commands/types.js";
import type { DeploymentPayload } from "../../core/rollout/deployment-payload.js";
import type { DeploymentRecord, Refusal } from "../../core/rollout/types.js";
import { claimRefName, claimTransition } from "../../github/claims.js";
import type { GitHubClient } from "../../github/client.js";
import { createStageDeployment, setDeploymentStatus } from "../../github/deployments.js";
import { addPullLabel, removePullLabel } from "../../github/labels.js";
import type { Logger } from "../readiness.js";
import { approveOverride, requestOverride } from "./override.js";
import { advanceDecision, rollbackDecision } from "./decisions.js";
import type { ReleaseFacts } from "./release-facts.js";
import type { CommandRequest } from "./run-release-command.js";
import type { StatusStateUpdate } from "./status-comment-writer.js";

export interface VerbResult {
  result: "done" | "refused" | "unchanged";
  /** Stable reason code (tests, logs): e.g. advanced, already-claimed, not-ready, permission. */
  code: string;
  message: string;
  writes: number;
  links?: { label: string; url: string }[];
  /** The guards' refusals, shown one per line. */
  refusals?: Refusal[];
  /** Changes to the hidden state kept in the status comment (override requests and approvals). */
  stateUpdate?: StatusStateUpdate;
  /** The environment's deployments after this verb, so the comment shows them without a re-read. */
  refreshedDeployments?: DeploymentRecord[];
}

export interface VerbContext {
  facts: ReleaseFacts;
  request: CommandRequest;
  now: Date;
  role: RepoRole;
  log: Logger;
}

/** True when `advance [stage]` would start the last stage of the plan (the 100% step). */
export function targetsFinalStage(facts: ReleaseFacts, requested: string | undefined): boolean {
  const last = facts.plan.length - 1;
  if (requested) return facts.plan.findIndex((s) => s.name.toLowerCase() === requested.toLowerCase()) === last;
  return facts.rollout.currentIndex + 1 === last;
}

export async function runVerb(octokit: GitHubClient, ctx: VerbContext): Promise<VerbResult> {
  const { command } = ctx.request;
  if (command.kind === "unknown") {
    return { result: "refused", code: "unknown-verb", message: command.word, writes: 0 };
  }
  switch (command.verb) {
    case "help":
      return { result: "done", code: "help", message: "", writes: 0 };
    case "status":
      return { result: "done", code: "status", message: "Status refreshed.", writes: 0 };
    case "advance":
      return advance(octokit, ctx, command.args[0]);
    case "rollback":
      return rollback(octokit, ctx, command.args.join(" ").trim());
    case "pause":
      return pause(octokit, ctx, true);
    case "resume":
      return pause(octokit, ctx, false);
    case "override":
      return requestOverride(octokit, ctx, command.args);
    case "approve-override":
      return approveOverride(octokit, ctx);
  }
}

function stageDeploymentsOf(facts: ReleaseFacts, stage: string): number {
  return facts.deployments.filter((d) => d.payload?.release === facts.target.pullNumber && !d.payload.rollback && d.payload.stage === stage).length;
}

async function advance(octokit: GitHubClient, ctx: VerbContext, requested: string | undefined): Promise<VerbResult> {
  const { facts } = ctx;
  if (facts.fromFork && !facts.live.merged) {
    return { result: "refused", code: "fork-pre-merge", message: "A fork's code is never deployed before it is merged.", writes: 0 };
  }
  const decision = advanceDecision(facts, ctx.now, requested);
  if (!decision.allowed) {
    return {
      result: "refused",
      code: decision.refusals[0]?.code ?? "refused",
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
  const payload: DeploymentPayload = {
    stage: stage.name,
    percent: stage.percent,
    release: facts.target.pullNumber,
    plan: facts.plan,
    triggers: facts.triggers,
    // The deployment's creator is the app; the stage table shows who asked.
    requestedBy: ctx.request.origin.actor.login,
  };
  const created = await createStageDeployment(octokit, {
    ...facts.target,
    sha: decision.sha,
    environment: facts.config.rollout.environment,
    payload,
    description: `Release #${facts.target.pullNumber}: ${stage.name} (${stage.percent}%) by ${ctx.request.origin.actor.login}`,
  });
  if (created.kind !== "created") {
    return { result: "refused", code: `deployment-${created.kind}`, message: `GitHub did not create the deployment: ${created.message}`, writes: 2 };
  }
  const record: DeploymentRecord = {
    id: created.id,
    sha: decision.sha,
    environment: facts.config.rollout.environment,
    createdAt: ctx.now.toISOString(),
    creator: null,
    payload,
    statuses: [],
  };
  return {
    result: "done",
    code: "advanced",
    message: `Started ${stage.name} (${stage.percent}%) on ${decision.sha.slice(0, 7)}: deployment ${created.id} in \`${facts.config.rollout.environment}\`.`,
    writes: 2,
    refreshedDeployments: [record, ...facts.deployments],
  };
}

async function rollback(octokit: GitHubClient, ctx: VerbContext, reason: string): Promise<VerbResult> {
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
    { id: created.id, sha: plan.sha, environment: facts.config.rollout.environment, createdAt: ctx.now.toISOString(), creator: null, payload: plan.payload, statuses: [] },
    ...facts.deployments,
  ];
  if (plan.markFailed) {
    // Skipped when the Action already reported the failure (an automatic rollback).
    await setDeploymentStatus(octokit, { ...facts.target, ...plan.markFailed });
    writes++;
    const failed = refreshed.find((d) => d.id === plan.markFailed!.deploymentId);
    failed?.statuses.unshift({ state: "failure", createdAt: ctx.now.toISOString(), description: plan.markFailed.description, creator: null });
  }
  return {
    result: "done",
    code: "rolled-back",
    message: `Rolling back to ${plan.sha.slice(0, 7)} (the last good deployment): deployment ${created.id}. Reason: ${plan.reason}`,
    writes,
    refreshedDeployments: refreshed,
  };
}

async function pause(octokit: GitHubClient, ctx: VerbContext, on: boolean): Promise<VerbResult> {
  const { facts } = ctx;
  const label = facts.config.rollout["pause-label"];
  if (facts.paused === on) {
    return { result: "unchanged", code: on ? "already-paused" : "not-paused", message: on ? `Already paused (label \`${label}\`).` : "The rollout is not paused.", writes: 0 };
  }
  const ref = { ...facts.target, issueNumber: facts.target.pullNumber, label };
  if (on) await addPullLabel(octokit, ref);
  else await removePullLabel(octokit, ref);
  facts.paused = on;
  return {
    result: "done",
    code: on ? "paused" : "resumed",
    message: on ? `Paused: no stage starts until \`/release resume\` (label \`${label}\`). Rollback stays available.` : "Resumed: stages may start again.",
    writes: 1,
  };
}

