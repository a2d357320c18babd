// A PR comment read as a `/release` command, the same way for the app's `issue_comment` handler and
// the no-server workflow step: bots (the app or the workflow itself above all) and comments made
// through an app are never read; only the first command line runs, the rest are counted.
import { ignoreActor, type IgnoreReason } from "./ignore-actor.js";
import { parseCommands } from "./parse-commands.js";
import type { CommandOrigin, CommandRequest, ReleaseTarget } from "./types.js";

interface Actor {
  login: string;
  type?: string | undefined;
  id?: number | undefined;
}

export interface PullComment {
  target: ReleaseTarget;
  source: CommandOrigin["source"];
  id: number;
  body: string | null;
  url: string;
  author: Actor | null;
  /** Set when an app posted the comment on someone's behalf. */
  viaApp: boolean;
  /** Who caused the delivery, when the event says (webhooks do). */
  sender?: Actor | null;
  /**
   * Digest of `body` as delivered (the adapter computes it with github/issue-comment's
   * `commentDigest`; the core stays free of crypto and only carries it).
   */
  digest: string;
}

export type CommentCommand =
  | { kind: "command"; request: CommandRequest }
  | { kind: "ignored"; why: IgnoreReason | "no-command" };

/** Bots (the app itself above all) and anything that is not a user account never run commands. */
export function isIgnored(actor: Actor | null | undefined): boolean {
  return ignoredWhy(actor) !== null;
}

function ignoredWhy(actor: Actor | null | undefined): IgnoreReason | null {
  return actor ? ignoreActor({ login: actor.login, type: actor.type ?? "User" }) : "not-a-user";
}

export function commentCommand(comment: PullComment): CommentCommand {
  const why = comment.viaApp ? "bot" : (ignoredWhy(comment.author) ?? (comment.sender !== undefined ? ignoredWhy(comment.sender) : null));
  if (why) return { kind: "ignored", why };
  const commands = parseCommands(comment.body);
  const first = commands[0];
  // Ordinary conversation: no reaction, no read, no write.
  if (!first) return { kind: "ignored", why: "no-command" };
  const author = comment.author!;
  return {
    kind: "command",
    request: {
      target: comment.target,
      origin: { source: comment.source, key: String(comment.id), actor: { login: author.login, type: author.type ?? "User" } },
      command: first,
      ignored: commands.length - 1,
      commentId: comment.id,
      commentUrl: comment.url,
      // The comment as first read: an override request is bound to exactly this text and author.
      ...(author.id !== undefined ? { comment: { id: comment.id, authorId: author.id, digest: comment.digest } } : {}),
    },
  };
}
