// Who may run which command. GitHub's collaborator-permission endpoint
// (GET /repos/{owner}/{repo}/collaborators/{username}/permission) answers two fields:
// `permission` is the legacy base role (maintain shows as "write", triage as "read"), `role_name` is
// the real one, or the name of a custom role. The real role wins; a custom role falls back to its base.
import type { ReleaseGateConfig } from "../config/schema.js";
import type { RepoRole, Verb } from "./types.js";

export const ROLE_ORDER: readonly RepoRole[] = ["read", "triage", "write", "maintain", "admin"];

/** The part of the endpoint's answer we read. */
export interface CollaboratorPermission {
  permission: string;
  role_name?: string | null;
}

/** The commenter's role; null when they have no access at all ("none") or the answer is unknown. */
export function roleFromPermission(response: CollaboratorPermission | null | undefined): RepoRole | null {
  if (!response) return null;
  const real = asRole(response.role_name);
  if (real) return real;
  return asRole(response.permission);
}

function asRole(value: string | null | undefined): RepoRole | null {
  const lower = value?.trim().toLowerCase();
  // Older GitHub Enterprise versions name the roles pull/triage/push/maintain/admin.
  const legacy: Record<string, RepoRole> = { pull: "read", push: "write" };
  if (!lower) return null;
  if ((ROLE_ORDER as readonly string[]).includes(lower)) return lower as RepoRole;
  return legacy[lower] ?? null;
}

export interface RequiredRoleOptions {
  commands: Pick<ReleaseGateConfig["commands"], "permission" | "final-stage-permission">;
  /** True when this `advance` would start the last stage of the plan (the 100% step). */
  finalStage?: boolean;
}

/**
 * The least role a verb needs. `status` and `help` only read; every other verb needs
 * `commands.permission` (default write); `advance` into the last stage needs the stricter of that and
 * `commands.final-stage-permission` (default maintain: the step that exposes every user is taken by
 * someone trusted with the repository's settings, while rollback stays open to every writer).
 */
export function requiredRole(verb: Verb, options: RequiredRoleOptions): RepoRole {
  if (verb === "status" || verb === "help") return "read";
  const base = options.commands.permission;
  if (verb === "advance" && options.finalStage) return stricter(base, options.commands["final-stage-permission"]);
  return base;
}

export function hasRole(actual: RepoRole | null, required: RepoRole): boolean {
  return actual !== null && ROLE_ORDER.indexOf(actual) >= ROLE_ORDER.indexOf(required);
}

export function stricter(a: RepoRole, b: RepoRole): RepoRole {
  return ROLE_ORDER.indexOf(a) >= ROLE_ORDER.indexOf(b) ? a : b;
}

export type PermissionDecision =
  | { allowed: true; role: RepoRole; required: RepoRole }
  | { allowed: false; role: RepoRole | null; required: RepoRole; message: string };

/** The whole check in one call, with the message the status comment shows on refusal. */
export function checkPermission(verb: Verb, role: RepoRole | null, options: RequiredRoleOptions): PermissionDecision {
  const required = requiredRole(verb, options);
  if (role !== null && hasRole(role, required)) return { allowed: true, role, required };
  const has = role === null ? "no access to this repository" : `the ${role} role`;
  const what = verb === "advance" && options.finalStage ? "advance to the final stage" : verb;
  return { allowed: false, role, required, message: `\`/release ${what}\` needs the ${required} role or higher; the commenter has ${has}.` };
}
