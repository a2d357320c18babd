// Reads one PR/issue comment back by id, with the digest of its text: an override request is bound to
// its comment as first read, and any repo writer can edit any comment afterwards.
import { createHash } from "node:crypto";
import type { GitHubClient, RepoRef } from "./client.js";
import { isStatus } from "./repo-file.js";

export interface IssueCommentFact {
  id: number;
  login: string;
  authorId: number;
  /** The issue (PR) it belongs to, from `issue_url`; null when GitHub did not say. */
  issueNumber: number | null;
  body: string | null;
  digest: string;
  createdAt: string;
}

/** sha256 of a comment body (base64url: 43 characters, short enough to keep in a check run's external_id). */
export function commentDigest(body: string | null | undefined): string {
  return createHash("sha256").update(body ?? "", "utf8").digest("base64url");
}

export async function getIssueComment(octokit: GitHubClient, ref: RepoRef & { commentId: number }): Promise<IssueCommentFact | null> {
  try {
    const { data } = await octokit.request("GET /repos/{owner}/{repo}/issues/comments/{comment_id}", {
      owner: ref.owner,
      repo: ref.repo,
      comment_id: ref.commentId,
    });
    const issueNumber = Number(/\/issues\/(\d+)$/.exec(data.issue_url ?? "")?.[1]);
    return {
      id: Number(data.id),
      login: data.user?.login ?? "",
      authorId: Number(data.user?.id ?? 0),
      issueNumber: Number.isSafeInteger(issueNumber) && issueNumber > 0 ? issueNumber : null,
      body: data.body ?? null,
      digest: commentDigest(data.body),
      createdAt: data.created_at,
    };
  } catch (error) {
    if (isStatus(error, 404)) return null;
    throw error;
  }
}
