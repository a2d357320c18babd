// Follow-up issues the app opens: the post-mortem an override owes, the removal of a release flag.
import type { GitHubClient, RepoRef } from "./client.js";

export interface CreatedIssue {
  number: number;
  url: string;
}

export async function openIssue(
  octokit: GitHubClient,
  ref: RepoRef & { title: string; body: string; labels?: string[]; assignees?: string[] },
): Promise<CreatedIssue> {
  const { data } = await octokit.request("POST /repos/{owner}/{repo}/issues", {
    owner: ref.owner,
    repo: ref.repo,
    title: ref.title.slice(0, 256),
    body: ref.body,
    ...(ref.labels && ref.labels.length > 0 ? { labels: ref.labels } : {}),
    ...(ref.assignees && ref.assignees.length > 0 ? { assignees: ref.assignees } : {}),
  });
  return { number: data.number, url: data.html_url };
}
