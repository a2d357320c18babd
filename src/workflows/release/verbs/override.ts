// `/release override <reason>` records a request in the status comment's hidden state (no write of
// its own); `/release approve-override` (approve-override.ts) decides it.
import { requestOverride as decideRequest } from "../../../core/commands/override-policy.js";
import type { VerbContext, VerbResult } from "../types.js";

/** The person acting, as the core's override policy reads them. */
export function actorOf(ctx: VerbContext) {
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
