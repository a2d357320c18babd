// One `/release` command, from a comment or a button, end to end: receipt (the redelivery key),
// facts, permission, the verb, and one edit of the status comment. Writes per verb are listed in
// docs/rollout.md; the most any verb costs is 4 (reaction, claim, deployment, status comment), rollback of a
// stage still running 5 (it also marks that stage failed), plus 1 per further environment (region)
// the release reached, each of which gets its own rollback deployment.
import { checkPermission, roleFromPermission } from "../../core/commands/permission-policy.js";
import type { RefusedCode } from "../../core/commands/command-answer.js";
import type { CommandRequest } from "../../core/commands/types.js";
import type { GateIdentity } from "../../core/identity.js";
import { rememberProcessed, wasProcessed } from "../../core/render/status-comment.js";
import type { GitHubClient } from "../../github/client.js";
import { getCollaboratorPermission } from "../../github/collaborator-permission.js";
import { acknowledgeComment } from "../../github/reactions.js";
import type { ConfigPluginClient } from "../load-config.js";
import { targetsFinalStage } from "../../core/rollout/decisions.js";
import type { Logger } from "../logger.js";
import { serialized } from "../serialize.js";
import { gatherReleaseFacts } from "./release-facts.js";
import { runVerb } from "./run-verb.js";
import { previousState, STATUS_MARKER, writeStatusComment } from "./status-comment-writer.js";
import type { VerbResult } from "./types.js";

export type CommandOutcome =
  | { kind: "duplicate" }
  | ({ kind: "answered"; verb: string; writes: number } & (Pick<VerbResult, "result" | "code"> | { result: "refused"; code: RefusedCode }));

export async function runReleaseCommand(
  octokit: GitHubClient & ConfigPluginClient,
  request: CommandRequest,
  log: Logger,
  identity: GateIdentity,
): Promise<CommandOutcome> {
  if (request.commentId !== undefined) {
    // The receipt is the idempotency key: GitHub answers 200 to a second eyes reaction by this app,
    // so a redelivered webhook, or the same delivery on a second replica, stops here at one write.
    const receipt = await acknowledgeComment(octokit, { ...request.target, commentId: request.commentId });
    if (receipt.kind === "duplicate") {
      log.info({ pull: request.target.pullNumber, comment: request.commentId }, "/release: comment already handled (redelivery); nothing to do");
      return { kind: "duplicate" };
    }
  }
  const { owner, repo, pullNumber } = request.target;
  // One command per PR at a time in this process, so status-comment edits never interleave. Across
  // replicas the claim refs decide; this only keeps one process tidy.
  return serialized(`release:${owner}/${repo}#${pullNumber}`, () => execute(octokit, request, log, identity));
}

async function execute(octokit: GitHubClient & ConfigPluginClient, request: CommandRequest, log: Logger, identity: GateIdentity): Promise<CommandOutcome> {
  const receiptWrites = request.commentId !== undefined ? 1 : 0;
  const verb = request.command.kind === "command" ? request.command.verb : "help";
  const gathered = await gatherReleaseFacts(octokit, request.target, { marker: STATUS_MARKER, identity });
  if (!gathered.ok) {
    const writes = await writeStatusComment(octokit, {
      target: request.target,
      existing: gathered.statusComment,
      request,
      answer: { result: "refused", code: "invalid-config", message: gathered.message },
    });
    return { kind: "answered", verb, result: "refused", code: "invalid-config", writes: receiptWrites + writes };
  }
  const facts = gathered.facts;
  // A button press has no comment to react to: its delivery id, remembered in the status comment's
  // hidden state, is the redelivery key instead (the claim refs still hold across replicas).
  if (request.origin.source !== "comment" && wasProcessed(previousState(facts.statusComment), request.origin.key)) {
    log.info({ pull: request.target.pullNumber, key: request.origin.key }, "/release: button press already handled (redelivery); nothing to do");
    return { kind: "duplicate" };
  }
  const now = new Date();
  const permission = await getCollaboratorPermission(octokit, { ...request.target, username: request.origin.actor.login });
  const role = roleFromPermission({ permission: permission.permission, role_name: permission.roleName });
  const finalStage = request.command.kind === "command" && request.command.verb === "advance" && targetsFinalStage(facts, request.command.args[0]);
  const allowed = checkPermission(verb, role, { commands: facts.config.commands, finalStage });
  let result: VerbResult;
  if (!allowed.allowed) {
    result = { result: "refused", code: "permission", message: allowed.message, writes: 0 };
  } else {
    result = await runVerb(octokit, { facts, request, now, role: allowed.role, log });
  }
  const commentWrites = await writeStatusComment(octokit, {
    target: request.target,
    existing: facts.statusComment,
    facts,
    request,
    answer: result,
    now,
    stateUpdate: (previous) => {
      const next = result.stateUpdate ? result.stateUpdate(previous) : previous;
      // Comments are de-duplicated by their reaction; only other origins need remembering.
      return request.origin.source === "comment" ? next : rememberProcessed(next, request.origin.key);
    },
    ...(result.refreshedDeployments ? { refreshedDeployments: result.refreshedDeployments } : {}),
  });
  const writes = receiptWrites + result.writes + commentWrites;
  log.info(
    { pull: request.target.pullNumber, verb, actor: request.origin.actor.login, source: request.origin.source, result: result.result, code: result.code, writes },
    `/release ${verb}: ${result.result} (${result.code}); ${writes} write(s)`,
  );
  return { kind: "answered", verb, result: result.result, code: result.code, writes };
}
