// Reads one PR/issue comment: the command comments an override record names are re-read, since the
// record itself lives in an editable comment.
import type { GitHubClient, RepoRef } from "./client.js";
import { isStatus } from "./repo-file.js";

export interface IssueCommentFact {
  id: number;
  login: string;
  body: string | null;
}

export async function getIssueComment(octokit: GitHubClient, ref: RepoRef & { commentId: number }): Promise<IssueCommentFact | null> {
  try {
    const { data } = await octokit.request("GET /repos/{owner}/{repo}/issues/comments/{comment_id}", {
      owner: ref.owner,
      repo: ref.repo,
      comment_id: ref.commentId,
    });
    return { id: Number(data.id), login: data.user?.login ?? "", body: data.body ?? null };
  } catch (error) {
    if (isStatus(error, 404)) return null;
    throw error;
  }
}
