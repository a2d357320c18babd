// The one status comment per PR that the app keeps editing. It is found by a hidden marker in its
// body, written by this app (a bot), so a person quoting the marker cannot hijack it.
import type { GitHubClient, RepoRef } from "./client.js";

export interface StatusCommentRef {
  id: number;
  body: string;
  url: string;
}

/** The oldest bot comment carrying `marker`; if replicas ever raced to create two, all converge on it. */
export async function findStatusComment(
  octokit: GitHubClient,
  ref: RepoRef & { issueNumber: number; marker: string },
): Promise<StatusCommentRef | undefined> {
  const iterator = octokit.paginate.iterator("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", {
    owner: ref.owner,
    repo: ref.repo,
    issue_number: ref.issueNumber,
    per_page: 100,
  });
  for await (const page of iterator) {
    for (const comment of page.data) {
      if (comment.user?.type === "Bot" && comment.body?.includes(ref.marker)) {
        return { id: Number(comment.id), body: comment.body, url: comment.html_url };
      }
    }
  }
  return undefined;
}

export async function upsertStatusComment(
  octokit: GitHubClient,
  ref: RepoRef & { issueNumber: number; existingId: number | undefined; body: string },
): Promise<StatusCommentRef & { created: boolean }> {
  if (ref.existingId !== undefined) {
    const { data } = await octokit.request("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", {
      owner: ref.owner,
      repo: ref.repo,
      comment_id: ref.existingId,
      body: ref.body,
    });
    return { id: Number(data.id), body: data.body ?? ref.body, url: data.html_url, created: false };
  }
  const { data } = await octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
    owner: ref.owner,
    repo: ref.repo,
    issue_number: ref.issueNumber,
    body: ref.body,
  });
  return { id: Number(data.id), body: data.body ?? ref.body, url: data.html_url, created: true };
}
