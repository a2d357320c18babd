// The one status comment per PR that the app keeps editing. It is found by a hidden marker in its
// body among the comments this app wrote (GitHub stamps the writer), so a person, another bot or a
// workflow posting the marker cannot hijack it.
import type { GitHubClient, RepoRef } from "./client.js";
import type { GateIdentity } from "../core/identity.js";
import { writtenByGate } from "./gate-identity.js";
import { isStatus } from "./repo-file.js";

export interface StatusCommentRef {
  id: number;
  body: string;
  url: string;
  /** Newer copies: two replicas answering a PR's very first command at the same instant both create one. */
  duplicates?: number[];
}

/** The oldest comment of ours carrying `marker` (every replica converges on it) and the ids of newer copies. */
export async function findStatusComment(
  octokit: GitHubClient,
  ref: RepoRef & { issueNumber: number; marker: string; identity: GateIdentity },
): Promise<StatusCommentRef | undefined> {
  const iterator = octokit.paginate.iterator("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", {
    owner: ref.owner,
    repo: ref.repo,
    issue_number: ref.issueNumber,
    per_page: 100,
  });
  let found: StatusCommentRef | undefined;
  for await (const page of iterator) {
    for (const comment of page.data) {
      if (!comment.body?.includes(ref.marker) || !writtenByGate(comment, ref.identity)) continue;
      // Comments list oldest first.
      if (!found) found = { id: Number(comment.id), body: comment.body, url: comment.html_url };
      else (found.duplicates ??= []).push(Number(comment.id));
    }
  }
  return found;
}

/** Removes copies left by a creation race; a copy another replica removed first is already gone. */
export async function deleteStatusComments(octokit: GitHubClient, ref: RepoRef & { ids: number[] }): Promise<number> {
  let writes = 0;
  for (const id of ref.ids) {
    try {
      await octokit.request("DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}", { owner: ref.owner, repo: ref.repo, comment_id: id });
    } catch (error) {
      if (!isStatus(error, 404)) throw error;
    }
    writes++;
  }
  return writes;
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
