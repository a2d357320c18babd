// Overrides (seeds 002, 004): a permitted person asks to release without the readiness check, with a
// reason; a different permitted person, never the PR author, approves; the approval holds only for
// the head SHA it was given on, so a new push voids it.
import type { ReleaseGateConfig } from "../config/schema.js";
import type { Refusal } from "../rollout/types.js";
import { parseCommands } from "./parse-commands.js";
import { checkPermission } from "./permission-policy.js";
import type { RepoRole } from "./types.js";

export interface OverrideRequest {
  requestedBy: string;
  reason: string;
  /** The PR head SHA when it was asked for. */
  sha: string;
  at: string;
  /** CommandOrigin.key of the request (the comment id): lets an adapter re-read the original. */
  key: string;
}

export interface OverrideApproval extends OverrideRequest {
  approvedBy: string;
  approvedAt: string;
  approvalKey: string;
}

export type OverrideResult<T> = { ok: true; value: T } | { ok: false; refusal: Refusal };

/** The longest reason kept; the rest is cut (it is shown in the check title and an issue). */
export const MAX_REASON_CHARS = 500;

interface Actor {
  login: string;
  role: RepoRole | null;
  key: string;
}

export function requestOverride(input: {
  actor: Actor;
  args: readonly string[];
  headSha: string;
  commands: ReleaseGateConfig["commands"];
  now: Date;
}): OverrideResult<OverrideRequest> {
  const permitted = checkPermission("override", input.actor.role, { commands: input.commands });
  if (!permitted.allowed) return { ok: false, refusal: { code: "not-permitted", message: permitted.message } };
  const reason = input.args.join(" ").replace(/\s+/g, " ").trim().slice(0, MAX_REASON_CHARS);
  if (reason === "") {
    return { ok: false, refusal: { code: "no-reason", message: "An override needs a reason: `/release override <why this may ship without the check>`." } };
  }
  return { ok: true, value: { requestedBy: input.actor.login, reason, sha: input.headSha, at: input.now.toISOString(), key: input.actor.key } };
}

export function approveOverride(input: {
  actor: Actor;
  pending: OverrideRequest | null;
  prAuthor: string;
  headSha: string;
  commands: ReleaseGateConfig["commands"];
  now: Date;
  /**
   * The request's comment, read back by `pending.key`. The pending request lives in the editable
   * status comment: without this check one writer could forge a request in someone else's name and
   * approve it. Pass null when the comment is gone; leave undefined only where it cannot be read.
   */
  requestComment?: CommentFact | null;
}): OverrideResult<OverrideApproval> {
  const { actor, pending } = input;
  const permitted = checkPermission("approve-override", actor.role, { commands: input.commands });
  if (!permitted.allowed) return { ok: false, refusal: { code: "not-permitted", message: permitted.message } };
  if (!pending) {
    return { ok: false, refusal: { code: "no-pending-override", message: "There is no override request to approve; one is made with `/release override <reason>`." } };
  }
  if (pending.sha !== input.headSha) {
    return {
      ok: false,
      refusal: {
        code: "stale-override",
        message: `The override was requested for ${pending.sha.slice(0, 7)}, but the head is now ${input.headSha.slice(0, 7)}; request it again for the new commits.`,
      },
    };
  }
  if (input.requestComment !== undefined && !commentSays(input.requestComment, pending.key, pending.requestedBy, "override")) {
    return {
      ok: false,
      refusal: { code: "no-pending-override", message: "The recorded override request does not match its comment; request the override again." },
    };
  }
  if (same(actor.login, input.prAuthor)) {
    return { ok: false, refusal: { code: "own-pull-request", message: "The author of a pull request cannot approve an override of it." } };
  }
  if (same(actor.login, pending.requestedBy)) {
    return { ok: false, refusal: { code: "own-request", message: "An override needs a second person: its requester cannot approve it." } };
  }
  return { ok: true, value: { ...pending, approvedBy: actor.login, approvedAt: input.now.toISOString(), approvalKey: actor.key } };
}

/** Whether an approval still holds for the PR's current head. */
export function overrideHolds(approval: OverrideApproval | null | undefined, headSha: string): approval is OverrideApproval {
  return approval !== null && approval !== undefined && approval.sha === headSha;
}

/** A PR comment as the adapter read it back by id (GET /repos/{owner}/{repo}/issues/comments/{id}). */
export interface CommentFact {
  id: number | string;
  login: string;
  body: string | null;
}

/**
 * Confirms an approval remembered in the (editable) status comment against the two command comments
 * it names: each must exist, be written by the person the record names, and hold the right command.
 * Anyone with write access can edit the status comment, so without this one person could forge the
 * second signature. Costs two reads, no writes.
 */
export function confirmOverride(
  approval: OverrideApproval,
  comments: { request: CommentFact | null; approval: CommentFact | null },
  prAuthor: string,
): OverrideResult<OverrideApproval> {
  const forged = (message: string): OverrideResult<OverrideApproval> => ({ ok: false, refusal: { code: "no-pending-override", message } });
  const says = commentSays;
  if (!says(comments.request, approval.key, approval.requestedBy, "override")) {
    return forged("The recorded override request does not match its comment; request the override again.");
  }
  if (!says(comments.approval, approval.approvalKey, approval.approvedBy, "approve-override")) {
    return forged("The recorded override approval does not match its comment; approve the override again.");
  }
  if (same(approval.approvedBy, prAuthor) || same(approval.approvedBy, approval.requestedBy)) {
    return forged("The recorded override was approved by its author or requester; it does not count.");
  }
  return { ok: true, value: approval };
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The comment is the one the record names, by the person it names, and holds the command. */
function commentSays(c: CommentFact | null, key: string, login: string, verb: "override" | "approve-override"): boolean {
  return c !== null && String(c.id) === key && same(c.login, login) && parseCommands(c.body).some((cmd) => cmd.kind === "command" && cmd.verb === verb);
}
