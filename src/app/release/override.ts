// `/release override <reason>` records a request in the status comment's hidden state;
// `/release approve-override` by another permitted person (never the PR author, never the requester;
// the core's override policy decides) passes the readiness check for the head SHA with the override
// visible, and opens the post-mortem issue every override owes.
import { approveOverride as decideApproval, requestOverride as decideRequest } from "../../core/commands/override-policy.js";
import { applyOverride, renderPostMortemIssue } from "../../core/render/override-report.js";
import { upsertReadinessRun } from "../../github/check-runs.js";
import type { GitHubClient } from "../../github/client.js";
import { getIssueComment } from "../../github/issue-comment.js";
import { openIssue } from "../../github/issues.js";
import type { VerbContext, VerbResult } from "./run-verb.js";
import { previousState } from "./status-comment-writer.js";

function actorOf(ctx: VerbContext) {
  return { login: ctx.request.origin.actor.login, role: ctx.role, key: ctx.request.origin.key };
}

export function requestOverride(ctx: VerbContext, args: readonly string[]): VerbResult {
  const { facts } = ctx;
  const decided = decideRequest({ actor: actorOf(ctx), args, headSha: facts.live.facts.headSha, commands: facts.config.commands, now: ctx.now });
  if (!decided.ok) return { result: "refused", code: decided.refusal.code, message: decided.refusal.message, writes: 0 };
  const request = decided.value;
  return {
    result: "done",
    code: "override-requested",
    message: `Override requested by @${request.requestedBy} for ${request.sha.slice(0, 7)}: ${request.reason}. Another person with write access (not the PR author) approves it with \`/release approve-override\`.`,
    writes: 0,
    stateUpdate: (previous) => ({ ...previous, pendingOverride: request }),
  };
}

export async function approveOverride(octokit: GitHubClient, ctx: VerbContext): Promise<VerbResult> {
  const { facts } = ctx;
  const pending = previousState(facts.statusComment).pendingOverride;
  const headSha = facts.live.facts.headSha;
  // The request lives in an editable comment: read back the command comment it names (1 read), so
  // nobody can forge a request in someone else's name by editing the status comment.
  const requestId = Number(pending?.key);
  const requestComment = pending ? (Number.isSafeInteger(requestId) && requestId > 0 ? await getIssueComment(octokit, { ...facts.target, commentId: requestId }) : null) : undefined;
  const decided = decideApproval({
    actor: actorOf(ctx),
    pending,
    prAuthor: facts.live.facts.author,
    headSha,
    commands: facts.config.commands,
    now: ctx.now,
    ...(requestComment !== undefined ? { requestComment } : {}),
  });
  if (!decided.ok) return { result: "refused", code: decided.refusal.code, message: decided.refusal.message, refusals: [decided.refusal], writes: 0 };
  const approval = decided.value;
  const run = facts.readiness;
  if (!run) return { result: "refused", code: "not-ready", message: "There is no Release readiness check on the head commit yet; re-run it first.", writes: 0 };
  const { target } = facts;
  const draft = renderPostMortemIssue(approval, { number: target.pullNumber, title: facts.live.facts.title }, facts.config.overrides.labels);
  const issue = await openIssue(octokit, { ...target, ...draft });
  const override = { approver: approval.approvedBy, requester: approval.requestedBy, issue: issue.number };
  const current = { conclusion: run.conclusion === "success" ? ("success" as const) : ("failure" as const), title: run.title ?? "Release readiness", summary: run.summary ?? "", annotations: [] };
  const report = applyOverride(current, approval, headSha, issue.url);
  await upsertReadinessRun(octokit, { ...target, appId: facts.self.appId, headSha, existingId: run.id, ...(run.stamp ? { stamp: run.stamp } : {}), override }, report);
  return {
    result: "done",
    code: "override-approved",
    message: `Override approved by @${approval.approvedBy}: the readiness check passes for ${headSha.slice(0, 7)} only. Post-mortem: #${issue.number}.`,
    writes: 2,
    links: [{ label: `post-mortem #${issue.number}`, url: issue.url }],
    stateUpdate: (previous) => ({ ...previous, pendingOverride: null, approvedOverride: approval }),
  };
}
