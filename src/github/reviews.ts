// Lists a PR's reviews as plain facts (who, what, on which commit, when), for decisions that need
// more than the current approvers: accepting SQL exceptions, dating the last approval.
import type { ReviewFact } from "../core/rules/sql-exceptions.js";
import type { GitHubClient, RepoRef } from "./client.js";

export async function listReviews(octokit: GitHubClient, ref: RepoRef & { pullNumber: number }): Promise<ReviewFact[]> {
  const reviews = await octokit.paginate("GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews", {
    owner: ref.owner,
    repo: ref.repo,
    pull_number: ref.pullNumber,
    per_page: 100,
  });
  return reviews.flatMap((r) =>
    r.user
      ? [{ id: r.id, login: r.user.login, isBot: r.user.type === "Bot", state: r.state, commitId: r.commit_id ?? null, submittedAt: r.submitted_at ?? null }]
      : [],
  );
}
