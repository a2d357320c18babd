// The pause label on a PR: adding it pauses the rollout, removing it resumes. The label is the state.
import type { GitHubClient, RepoRef } from "./client.js";
import { isStatus } from "./repo-file.js";

export async function addPullLabel(octokit: GitHubClient, ref: RepoRef & { issueNumber: number; label: string }): Promise<void> {
  await octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/labels", {
    owner: ref.owner,
    repo: ref.repo,
    issue_number: ref.issueNumber,
    labels: [ref.label],
  });
}

/** Removing a label that is not there is not an error: the PR is resumed either way. */
export async function removePullLabel(octokit: GitHubClient, ref: RepoRef & { issueNumber: number; label: string }): Promise<void> {
  try {
    await octokit.request("DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}", {
      owner: ref.owner,
      repo: ref.repo,
      issue_number: ref.issueNumber,
      name: ref.label,
    });
  } catch (error) {
    if (!isStatus(error, 404)) throw error;
  }
}
