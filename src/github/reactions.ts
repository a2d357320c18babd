// The receipt of a `/release` comment: an eyes reaction. It doubles as the idempotency key of the
// command, because GitHub answers 201 when the reaction is new and 200 when this app already reacted
// (a redelivered webhook, a second replica): only the caller that got the 201 acts.
import type { GitHubClient, RepoRef } from "./client.js";

export type ReceiptResult = { kind: "first"; reactionId: number } | { kind: "duplicate"; reactionId: number };

export async function acknowledgeComment(octokit: GitHubClient, ref: RepoRef & { commentId: number }): Promise<ReceiptResult> {
  const response = await octokit.request("POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", {
    owner: ref.owner,
    repo: ref.repo,
    comment_id: ref.commentId,
    content: "eyes",
  });
  const reactionId = Number(response.data.id);
  return (response.status as number) === 201 ? { kind: "first", reactionId } : { kind: "duplicate", reactionId };
}
