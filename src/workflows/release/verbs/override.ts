// `/release override <reason>` records a request on the app's own readiness run of the head SHA (only
// this app can update that run; the status comment, which any writer can edit, only shows it);
// `/release approve-override` (approve-override.ts) decides it. Writes: the run (1).
import { requestOverride as decideRequest } from "../../../core/commands/override-policy.js";
import { recordOverrideRequest } from "../../../github/check-runs.js";
import type { GitHubClient } from "../../../github/client.js";
import type { VerbContext, VerbResult } from "../types.js";

/** The person acting, as the core's override policy reads them. */
export function actorOf(ctx: VerbContext) {
  return { login: ctx.request.origin.actor.login, role: ctx.role, key: ctx.request.origin.key };
}

export const NO_RUN = "There is no Release readiness check on the head commit yet; re-run it first.";

export async function requestOverride(octokit: GitHubClient, ctx: VerbContext, args: readonly string[]): Promise<VerbResult> {
  const { facts } = ctx;
  const headSha = facts.live.facts.headSha;
  const decided = decideRequest({ actor: actorOf(ctx), args, headSha, commands: facts.config.commands, now: ctx.now, comment: ctx.request.comment });
  if (!decided.ok) return { result: "refused", code: decided.refusal.code, message: decided.refusal.message, writes: 0 };
  const run = facts.readiness;
  if (!run) return { result: "refused", code: "not-ready", message: NO_RUN, writes: 0 };
  if (run.override) {
    return { result: "unchanged", code: "already-overridden", message: `An override for ${headSha.slice(0, 7)} is already approved; it lapses with the next push.`, writes: 0 };
  }
  const { request, record } = decided.value;
  // The one record that counts: kept on the app's own run, bound to this PR and head SHA.
  await recordOverrideRequest(octokit, { ...facts.target, run, request: record });
  return {
    result: "done",
    code: "override-requested",
    message: `Override requested by @${request.requestedBy} for ${request.sha.slice(0, 7)}: ${request.reason}. Another person with write access (not the PR author) approves it with \`/release approve-override\`. Editing or deleting the request comment voids it.`,
    writes: 1,
    // Shown in the status comment only; approvals never read it from there.
    stateUpdate: (previous) => ({ ...previous, pendingOverride: request }),
  };
}
