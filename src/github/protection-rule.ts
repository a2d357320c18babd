// Answers a `deployment_protection_rule` request: the app is a custom protection rule on an
// Environment, and a waiting workflow job runs only once the app approves it.
import type { GitHubClient, RepoRef } from "./client.js";

/** GitHub's comment field on the answer is limited; longer text is cut. */
export const PROTECTION_COMMENT_LIMIT = 1024;

/** The run id from `deployment_callback_url` (…/actions/runs/<run_id>/deployment_protection_rule). */
export function runIdFromCallbackUrl(url: string | undefined | null): number | undefined {
  const match = /\/actions\/runs\/(\d+)\/deployment_protection_rule\/?$/.exec(url ?? "");
  return match ? Number(match[1]) : undefined;
}

export async function answerProtectionRule(
  octokit: GitHubClient,
  ref: RepoRef & { runId: number; environment: string; state: "approved" | "rejected"; comment: string },
): Promise<void> {
  await octokit.request("POST /repos/{owner}/{repo}/actions/runs/{run_id}/deployment_protection_rule", {
    owner: ref.owner,
    repo: ref.repo,
    run_id: ref.runId,
    environment_name: ref.environment,
    state: ref.state,
    comment: ref.comment.slice(0, PROTECTION_COMMENT_LIMIT),
  });
}
