// Answers GitHub's `deployment_protection_rule` request by the same guards as `/release advance`.
// Writes: 1 (the answer), plus 1 status-comment edit when the answer is a rejection. Reads one role
// (the person who asked for the deployment) besides the release facts.
import { parseDeploymentPayload } from "../../core/rollout/deployment-payload.js";
import { phaseOf } from "../../core/rollout/derive-rollout.js";
import { roleFromPermission } from "../../core/commands/permission-policy.js";
import { decideProtectionRule, type ProtectionDecision, type Requester } from "../../core/rollout/guards.js";
import { isTrustedDeployment } from "../../core/rollout/trust.js";
import { getCollaboratorPermission } from "../../github/collaborator-permission.js";
import type { GateIdentity } from "../../core/identity.js";
import type { DeploymentRecord } from "../../core/rollout/types.js";
import type { GitHubClient } from "../../github/client.js";
import { answerProtectionRule, runIdFromCallbackUrl } from "../../github/protection-rule.js";
import { listPullsForCommit } from "../../github/pull-facts.js";
import type { ConfigPluginClient } from "../load-config.js";
import type { Logger } from "../logger.js";
import { guardContext } from "../../core/rollout/decisions.js";
import { gatherReleaseFacts } from "./release-facts.js";
import { STATUS_MARKER, writeStatusComment } from "./status-comment-writer.js";

export interface ProtectionRequest {
  owner: string;
  repo: string;
  environment: string;
  /** The workflow's triggering event: deployment, workflow_dispatch, push... */
  event: string;
  callbackUrl: string;
  deployment: { id: number; sha: string; payload: unknown; createdAt: string; creator: string | null; viaApp: number | null } | undefined;
  pullNumbers: number[];
}

export type ProtectionOutcome =
  | { kind: "ignored"; reason: "no-run-id" }
  | { kind: "answered"; state: ProtectionDecision["state"]; release: number | null; writes: number };

export async function answerProtectionRequest(
  octokit: GitHubClient & ConfigPluginClient,
  request: ProtectionRequest,
  log: Logger,
  identity: GateIdentity,
): Promise<ProtectionOutcome> {
  const runId = runIdFromCallbackUrl(request.callbackUrl);
  if (runId === undefined) {
    log.warn({ callbackUrl: request.callbackUrl }, "deployment_protection_rule without a run id in deployment_callback_url; cannot answer");
    return { kind: "ignored", reason: "no-run-id" };
  }
  const repo = { owner: request.owner, repo: request.repo };
  const answer = async (decision: ProtectionDecision) => {
    await answerProtectionRule(octokit, { ...repo, runId, environment: request.environment, state: decision.state, comment: decision.comment });
  };
  const parsed = parseDeploymentPayload(request.deployment?.payload);
  let release: number | undefined = parsed.ok ? parsed.payload.release : request.pullNumbers[0];
  if (release === undefined && request.deployment) release = (await listPullsForCommit(octokit, { ...repo, sha: request.deployment.sha }))[0]?.number;
  if (release === undefined || !request.deployment) {
    const decision: ProtectionDecision = {
      state: "rejected",
      comment: "No Release Gate release (pull request) owns this commit; start stages with `/release advance` on the pull request.",
      refusals: [],
    };
    await answer(decision);
    log.info({ runId, environment: request.environment }, "deployment protection rule: rejected (no release)");
    return { kind: "answered", state: "rejected", release: null, writes: 1 };
  }
  const target = { ...repo, pullNumber: release };
  const gathered = await gatherReleaseFacts(octokit, target, { marker: STATUS_MARKER, identity });
  if (!gathered.ok) {
    await answer({ state: "rejected", comment: gathered.message, refusals: [] });
    return { kind: "answered", state: "rejected", release, writes: 1 };
  }
  const facts = gathered.facts;
  const now = new Date();
  const own = request.deployment;
  let record: DeploymentRecord = facts.deployments.find((d) => d.id === own.id) ?? {
    id: own.id,
    sha: own.sha,
    environment: request.environment,
    createdAt: own.createdAt,
    creator: own.creator,
    viaApp: own.viaApp,
    payload: parsed.ok ? parsed.payload : null,
    statuses: [],
  };
  const ownIsOurs = isTrustedDeployment(record, facts.trust);
  if (!parsed.ok) {
    // A job bound to the Environment gets its own deployment from GitHub, without our payload. When a
    // stage deployment of this release for the same commit is waiting to run, that is the one asked
    // about; only one Release Gate created counts (a hand-made one must not lend the job its payload).
    const waiting = facts.deployments.find(
      (d) => d.payload?.release === release && d.sha === own.sha && d.id !== own.id && phaseOf(d) === "queued" && isTrustedDeployment(d, facts.trust),
    );
    if (waiting) record = waiting;
  }
  // The person who asked: whoever made the job's own deployment, unless that was Release Gate itself,
  // which records who asked it (`requestedBy`) and checked their role then; it is checked again here.
  const askedBy = ownIsOurs ? (record.payload?.requestedBy ?? null) : own.creator;
  let requester: Requester | undefined;
  if (askedBy && !record.payload?.rollback) {
    const permission = await getCollaboratorPermission(octokit, { ...repo, username: askedBy });
    requester = { login: askedBy, role: roleFromPermission({ permission: permission.permission, role_name: permission.roleName }), commands: facts.config.commands };
  }
  const decision = decideProtectionRule({
    ...guardContext(facts, now),
    rollout: { release, plan: facts.plan, deployments: facts.deployments, trust: facts.trust },
    deployment: record,
    ...(requester ? { requester } : {}),
  });
  await answer(decision);
  let writes = 1;
  if (decision.state === "rejected") {
    writes += await writeStatusComment(octokit, {
      target,
      existing: facts.statusComment,
      facts,
      trigger: { what: `GitHub asked whether workflow run ${runId} (${request.event || "workflow"}) may deploy to \`${request.environment}\``, actor: "GitHub" },
      answer: { result: "refused", code: decision.refusals[0]?.code ?? "rejected", message: `Rejected: ${decision.comment}`, refusals: decision.refusals },
      now,
    });
  }
  log.info({ runId, release, environment: request.environment, state: decision.state, writes }, `deployment protection rule: ${decision.state}`);
  return { kind: "answered", state: decision.state, release, writes };
}
