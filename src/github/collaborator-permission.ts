// Reads a user's role on a repository. GitHub reports the legacy base role in `permission` (maintain
// shows as write, triage as read) and the real one, custom roles included, in `role_name`; both are
// returned raw and the command core's permission policy decides which counts.
import { isStatus } from "./repo-file.js";
import type { GitHubClient, RepoRef } from "./client.js";

export interface CollaboratorPermission {
  /** Legacy base role: admin, write, read or none. */
  permission: string;
  /** The assigned role: admin, maintain, write, triage, read or a custom role name; null when absent. */
  roleName: string | null;
}

export async function getCollaboratorPermission(octokit: GitHubClient, ref: RepoRef & { username: string }): Promise<CollaboratorPermission> {
  try {
    const { data } = await octokit.request("GET /repos/{owner}/{repo}/collaborators/{username}/permission", {
      owner: ref.owner,
      repo: ref.repo,
      username: ref.username,
    });
    return { permission: data.permission, roleName: data.role_name ?? null };
  } catch (error) {
    // Not a collaborator (or no such user): no role at all.
    if (isStatus(error, 404)) return { permission: "none", roleName: null };
    throw error;
  }
}
