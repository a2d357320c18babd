// A `release-gate: allow <rule> because <reason>` comment is written by whoever writes the migration,
// usually the PR author, so it only proposes an exception: someone else accepts it (config
// `migrations.exceptions.accepted-by`). Acceptance is bound to the head SHA, so a push after the
// approval (a new exception, say) needs a fresh review.
import type { SqlFinding } from "../sql/findings.js";

/** One pull-request review as GitHub lists it (only what the decision reads). */
export interface ReviewFact {
  id: number;
  login: string;
  /** GitHub's `user.type`: apps approve as "Bot" and never accept an exception (a workflow the author writes could approve). */
  isBot: boolean;
  /** APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED or PENDING. */
  state: string;
  /** The commit the review was submitted on. */
  commitId: string | null;
  submittedAt: string | null;
}

export type AcceptedBy = "non-author-approval" | "anyone";

export type ExceptionAcceptance =
  /** `accepted-by: anyone`: the allow comment with its reason is enough. */
  | { kind: "comment-suffices" }
  | { kind: "accepted"; by: string; reviewId: number; submittedAt: string }
  /** Nobody else accepted yet; `author` and `headSha` say who may not, and on which commit. */
  | { kind: "awaiting"; author: string; headSha: string };

/** Suppressed findings that would otherwise fail the migration item: these need acceptance. */
export function exceptionsToAccept(findings: readonly SqlFinding[], failOnAdvisory: boolean): SqlFinding[] {
  return findings.filter((f) => f.suppressed && (f.class === "breaking" || failOnAdvisory));
}

/**
 * Reviews that may accept the exceptions, newest first: each person's latest review that decides
 * (a later "changes requested" or a dismissal cancels an approval) is an approval of the head SHA,
 * from a person who is not the PR author. The caller still checks each reviewer's write access.
 */
export function acceptingReviews(reviews: readonly ReviewFact[], pull: { author: string; headSha: string }): ReviewFact[] {
  const latest = new Map<string, ReviewFact>();
  for (const review of reviews) {
    if (review.state === "COMMENTED" || review.state === "PENDING") continue;
    const key = review.login.toLowerCase();
    const before = latest.get(key);
    if (!before || newer(review, before) >= 0) latest.set(key, review);
  }
  return [...latest.values()]
    .filter((r) => r.state === "APPROVED" && r.commitId === pull.headSha && !r.isBot && r.login.toLowerCase() !== pull.author.toLowerCase() && r.submittedAt)
    .sort((a, b) => newer(b, a));
}

/** Positive when `a` was submitted after `b` (then by id: GitHub's ids grow); GitHub lists oldest first. */
function newer(a: ReviewFact, b: ReviewFact): number {
  const at = (r: ReviewFact) => (r.submittedAt ? Date.parse(r.submittedAt) || 0 : 0);
  return at(a) - at(b) || a.id - b.id;
}
