// Claims a rollout transition by creating a git ref, e.g. `refs/release-gate/pr-12/a0/canary`.
// Creating a ref that exists fails with 422, atomically on GitHub's side, so of any number of
// concurrent commands on any number of replicas exactly one wins. Claims are never deleted: they cost
// one write, need no expiry, and stay as an audit record of who advanced what.
import type { GitHubClient, RepoRef } from "./client.js";
import { isStatus } from "./repo-file.js";

export const CLAIM_NAMESPACE = "refs/release-gate";

export type ClaimResult = { kind: "claimed"; ref: string } | { kind: "taken"; ref: string };

/** A git-ref-safe path segment: git forbids spaces, `..`, `~^:?*[\`, control characters, a leading dot and `.lock`. */
export function refSegment(text: string): string {
  const safe = text
    .normalize("NFKD")
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/\.{2,}/g, ".")
    .replace(/^[.-]+|[.-]+$/g, "")
    .replace(/\.lock$/i, "-lock")
    .slice(0, 60);
  return safe || "x";
}

/** `refs/release-gate/pr-<n>/<segments...>` */
export function claimRefName(pullNumber: number, ...segments: string[]): string {
  return [CLAIM_NAMESPACE, `pr-${pullNumber}`, ...segments.map(refSegment)].join("/");
}

/** `refs/release-gate/issue-<n>/<segments...>`: a claim on something done once to an issue (a flag's overdue escalation). */
export function issueClaimRefName(issueNumber: number, ...segments: string[]): string {
  return [CLAIM_NAMESPACE, `issue-${issueNumber}`, ...segments.map(refSegment)].join("/");
}

export async function claimTransition(octokit: GitHubClient, ref: RepoRef & { name: string; sha: string }): Promise<ClaimResult> {
  try {
    await octokit.request("POST /repos/{owner}/{repo}/git/refs", { owner: ref.owner, repo: ref.repo, ref: ref.name, sha: ref.sha });
    return { kind: "claimed", ref: ref.name };
  } catch (error) {
    if (isStatus(error, 422) && /already exists/i.test(errorMessage(error))) return { kind: "taken", ref: ref.name };
    throw error;
  }
}

function errorMessage(error: unknown): string {
  const response = (error as { response?: { data?: { message?: unknown } } }).response;
  const message = response?.data?.message ?? (error as { message?: unknown }).message;
  return typeof message === "string" ? message : "";
}
