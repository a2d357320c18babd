// The contract between the pure command core and the adapters that run commands.
// Parser, permission policy and help text implement these types in src/core/commands/.
import type { PermissionLevel } from "../config/schema.js";

export const VERBS = ["advance", "rollback", "pause", "resume", "status", "override", "approve-override", "help"] as const;
export type Verb = (typeof VERBS)[number];

/** One `/release ...` line of a comment. Lines inside code fences and quoted replies are not commands. */
export type Command =
  | { kind: "command"; verb: Verb; args: string[]; line: number; text: string }
  /** `/release frobnicate`: answered with the help text, never acted on. */
  | { kind: "unknown"; word: string; line: number; text: string };

/** A repository role as GitHub's collaborator-permission endpoint reports it. */
export type RepoRole = PermissionLevel;

/** Where a command came from: a comment line or a check-run button; both take the same path. */
export interface CommandOrigin {
  source: "comment" | "button" | "workflow";
  /** Comment id or `check_run:<id>:<identifier>`; the unit of redelivery de-duplication. */
  key: string;
  actor: { login: string; type: "User" | "Bot" | "Organization" | string };
}

/** The pull request a `/release` command acts on. */
export interface ReleaseTarget {
  owner: string;
  repo: string;
  pullNumber: number;
}

/** One command to run, from a comment, a check-run button or a workflow step. */
export interface CommandRequest {
  target: ReleaseTarget;
  origin: CommandOrigin;
  command: Command;
  /** Further `/release` lines in the same comment, which are not run. */
  ignored: number;
  commentId?: number;
  commentUrl?: string;
  /** The command comment as the created event delivered it (id, author id, digest of its text). */
  comment?: RequestComment;
}

/** Who asked, and the comment they asked in, as the created event delivered it (override-policy binds requests to it). */
export interface RequestComment {
  id: number;
  authorId: number;
  digest: string;
}
