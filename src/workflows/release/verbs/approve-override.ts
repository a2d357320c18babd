// `/release approve-override` by another permitted person (never the PR author, never the requester;
// the core's override policy decides) passes the readiness check for the head SHA with the override
// visible, and opens the post-mortem issue every override owes. The request it approves is the one
// recorded on the app's own readiness run (override.ts), never the editable status comment's.
// Reads: the request comment and the requester's role again; writes: issue + check run (2).
import { approveOverride as decideApproval } from "../../../core/commands/override-policy.js";
import { roleFromPermission } from "../../../core/commands/permission-policy.js";
import { applyOverride, renderPostMortemIssue } from "../../../core/render/override-report.js";
import { upsertReadinessRun } from "../../../github/check-runs.js";
import type { GitHubClient } from "../../../github/client.js";
import { getCollaboratorPermission } from "../../../github/collaborator-permission.js";
import { getIssueComment } from "../../../github/issue-comment.js";
import { openIssue } from "../../../github/issues.js";
import type { VerbContext, VerbResult } from "../types.js";
import { actorOf, NO_RUN } from "./override.js";

export async function approveOverride(octokit: GitHubClient, ctx: VerbContext): Promise<VerbResult> {
  const { facts } = ctx;
  const headSha = facts.live.facts.headSha;
  const { target } = facts;
  const run = facts.readiness;
  const record = run?.overrideRequest;
  const pending = record ? { ...record, pullNumber: target.pullNumber, sha: headSha } : null;
  // Re-read what may have changed since the request: its comment (edited? deleted?) and the
  // requester's role (2 reads, only when a request is recorded).
  const [requestComment, requesterPermission] = record
    ? await Promise.all([getIssueComment(octokit, { ...target, commentId: record.commentId }), getCollaboratorPermission(octokit, { ...target, username: record.login })])
    : [null, null];
  const decided = decideApproval({
    actor: actorOf(ctx),
    pending,
    pullNumber: target.pullNumber,
    headSha,
    prAuthor: facts.live.facts.author,
    commands: facts.config.commands,
    now: ctx.now,
    requestComment,
    requesterRole: requesterPermission ? roleFromPermission({ permission: requesterPermission.permission, role_name: requesterPermission.roleName }) : null,
  });
  if (!decided.ok) {
    return {
      result: "refused",
      code: decided.refusal.code,
      message: decided.refusal.message,
      refusals: [decided.refusal],
      writes: 0,
      // A void request no longer shows as pending.
      ...(decided.refusal.code === "override-void" ? { stateUpdate: (previous) => ({ ...previous, pendingOverride: null }) } : {}),
    };
  }
  const approval = decided.value;
  if (!run) return { result: "refused", code: "not-ready", message: NO_RUN, writes: 0 };
  const draft = renderPostMortemIssue(approval, { number: target.pullNumber, title: facts.live.facts.title }, facts.config.overrides.labels);
  const issue = await openIssue(octokit, { ...target, ...draft });
  const override = { approver: approval.approvedBy, requester: approval.requestedBy, issue: issue.number };
  const current = { conclusion: run.conclusion === "success" ? ("success" as const) : ("failure" as const), title: run.title ?? "Release readiness", summary: run.summary ?? "", annotations: [] };
  const report = applyOverride(current, approval, headSha, issue.url);
  // The approval consumes the request: the run now records the override instead.
  await upsertReadinessRun(octokit, { ...target, appId: facts.identity.appId, headSha, existingId: run.id, ...(run.stamp ? { stamp: run.stamp } : {}), override }, report);
  return {
    result: "done",
    code: "override-approved",
    message: `Override approved by @${approval.approvedBy}: the readiness check passes for ${headSha.slice(0, 7)} only. Post-mortem: #${issue.number}.`,
    writes: 2,
    links: [{ label: `post-mortem #${issue.number}`, url: issue.url }],
    stateUpdate: (previous) => ({ ...previous, pendingOverride: null, approvedOverride: approval }),
  };
}
