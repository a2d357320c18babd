// Overrides (seeds 002, 004): a permitted person asks to release without the readiness check, with a
// reason; a different permitted person, never the PR author, approves; the approval holds only for
// the head SHA it was given on, so a new push voids it.
import type { ReleaseGateConfig } from "../config/schema.js";
import type { Refusal } from "../rollout/types.js";
import { parseCommands } from "./parse-commands.js";
import { checkPermission } from "./permission-policy.js";
import type { RepoRole, RequestComment } from "./types.js";

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

/**
 * What an override request is bound to, as the app first read its command comment (from the
 * `issue_comment.created` delivery): facts no repo writer can change afterwards. Any writer can edit
 * any comment, so the text is kept as a digest and compared at approval time; the record itself is
 * kept where only the app writes (its own readiness check run), never in the editable status comment.
 */
export interface OverrideRequestRecord {
  commentId: number;
  /** The commenter's account id (a login can be renamed; an id cannot). */
  authorId: number;
  login: string;
  /** sha256 of the comment body as first read (the adapter computes it; the core only compares). */
  digest: string;
}

/** A record as found in the app's store: the PR and head SHA of the run that holds it. */
export interface PendingOverride extends OverrideRequestRecord {
  pullNumber: number;
  sha: string;
}

/** The request comment as read back at approval time (GET /repos/{owner}/{repo}/issues/comments/{id}). */
export interface RequestCommentNow {
  id: number;
  authorId: number;
  login: string;
  /** The PR (issue) the comment belongs to, from its `issue_url`; null when GitHub did not say. */
  issueNumber: number | null;
  /** sha256 of the body as it reads now. */
  digest: string;
  body: string | null;
  createdAt: string;
}

export type { RequestComment } from "./types.js";

export function requestOverride(input: {
  actor: Actor;
  args: readonly string[];
  headSha: string;
  commands: ReleaseGateConfig["commands"];
  now: Date;
  /** The command comment; absent when the command did not come from a comment (nothing to bind to). */
  comment?: RequestComment | undefined;
}): OverrideResult<{ request: OverrideRequest; record: OverrideRequestRecord }> {
  const permitted = checkPermission("override", input.actor.role, { commands: input.commands });
  if (!permitted.allowed) return { ok: false, refusal: { code: "not-permitted", message: permitted.message } };
  const reason = reasonOf(input.args);
  if (reason === "") {
    return { ok: false, refusal: { code: "no-reason", message: "An override needs a reason: `/release override <why this may ship without the check>`." } };
  }
  if (!input.comment) {
    return { ok: false, refusal: { code: "no-pending-override", message: "An override is requested in a PR comment (`/release override <reason>`), so that its text can be checked when it is approved." } };
  }
  const request = { requestedBy: input.actor.login, reason, sha: input.headSha, at: input.now.toISOString(), key: input.actor.key };
  const record = { commentId: input.comment.id, authorId: input.comment.authorId, login: input.actor.login, digest: input.comment.digest };
  return { ok: true, value: { request, record } };
}

const reasonOf = (args: readonly string[]) => args.join(" ").replace(/\s+/g, " ").trim().slice(0, MAX_REASON_CHARS);

const voided = (message: string): OverrideResult<never> => ({
  ok: false,
  refusal: { code: "override-void", message: `${message} The request is void; ask again with \`/release override <reason>\`.` },
});

/**
 * Approves the request the app recorded for this PR and head SHA. Everything it rests on was written
 * by the app or by GitHub: the record (from the app's own check run), the request comment's id, author
 * id and text digest as first read, the requester's role now. A request comment edited or deleted
 * since is void, and a requester who lost the role no longer counts as the first person.
 */
export function approveOverride(input: {
  actor: Actor;
  /** The request found in the app's own store for this PR and head SHA (null: none). */
  pending: PendingOverride | null;
  pullNumber: number;
  headSha: string;
  prAuthor: string;
  commands: ReleaseGateConfig["commands"];
  now: Date;
  /** The request comment read back now; null when it is gone. */
  requestComment: RequestCommentNow | null;
  /** The requester's role now (null: no longer a collaborator). */
  requesterRole: RepoRole | null;
}): OverrideResult<OverrideApproval> {
  const { actor, pending } = input;
  const permitted = checkPermission("approve-override", actor.role, { commands: input.commands });
  if (!permitted.allowed) return { ok: false, refusal: { code: "not-permitted", message: permitted.message } };
  if (!pending) {
    return {
      ok: false,
      refusal: {
        code: "no-pending-override",
        message: "There is no override request to approve: Release Gate records one only when `/release override <reason>` is posted on this PR for its current head (the status comment's text does not count).",
      },
    };
  }
  if (pending.pullNumber !== input.pullNumber) return voided(`The recorded request belongs to #${pending.pullNumber}, not #${input.pullNumber}.`);
  if (pending.sha !== input.headSha) {
    return {
      ok: false,
      refusal: {
        code: "stale-override",
        message: `The override was requested for ${pending.sha.slice(0, 7)}, but the head is now ${input.headSha.slice(0, 7)}; request it again for the new commits.`,
      },
    };
  }
  const comment = input.requestComment;
  if (!comment) return voided("The comment that requested the override was deleted.");
  if (comment.id !== pending.commentId || comment.authorId !== pending.authorId || (comment.issueNumber !== null && comment.issueNumber !== input.pullNumber)) {
    return voided("The comment that requested the override is not the one recorded (another comment, author or pull request).");
  }
  if (comment.digest !== pending.digest) return voided("The comment that requested the override was edited after the request was made.");
  const command = parseCommands(comment.body).find((c) => c.kind === "command");
  const reason = command?.kind === "command" && command.verb === "override" ? reasonOf(command.args) : "";
  if (reason === "") return voided("The comment that requested the override no longer holds an override request.");
  const requester = checkPermission("override", input.requesterRole, { commands: input.commands });
  if (!requester.allowed) {
    return {
      ok: false,
      refusal: { code: "requester-not-permitted", message: `${comment.login} asked for the override but no longer has the role to: ${requester.message}` },
    };
  }
  if (same(actor.login, input.prAuthor)) {
    return { ok: false, refusal: { code: "own-pull-request", message: "The author of a pull request cannot approve an override of it." } };
  }
  if (same(actor.login, comment.login) || same(actor.login, pending.login)) {
    return { ok: false, refusal: { code: "own-request", message: "An override needs a second person: its requester cannot approve it." } };
  }
  return {
    ok: true,
    value: {
      requestedBy: comment.login,
      reason,
      sha: pending.sha,
      at: comment.createdAt,
      key: String(pending.commentId),
      approvedBy: actor.login,
      approvedAt: input.now.toISOString(),
      approvalKey: actor.key,
    },
  };
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
