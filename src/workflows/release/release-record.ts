// At 100% after the verify window (the final stage's success: the runner reports it only once the
// window passed), the release gets its record where people already look: a GitHub Release when the
// repository publishes releases, else a release-note comment on the PR. Claimed first with a git ref,
// so replicas, redeliveries and a re-run of the last stage write one record in all.
// Write budget: claim (1) + release or comment (1) = 2 writes, once per release; 1 read (releases).
import { renderReleaseRecord } from "../../core/render/release-record.js";
import { claimRefName, claimTransition } from "../../github/claims.js";
import type { GitHubClient } from "../../github/client.js";
import { createRelease, usesReleases } from "../../github/releases.js";
import { upsertStatusComment } from "../../github/status-comment.js";
import type { ReleaseFacts } from "./release-facts.js";

export type ReleaseRecordOutcome =
  | { kind: "release"; id: number; url: string; writes: number }
  | { kind: "comment"; url: string; writes: number; why: "no-releases" | "tag-taken" }
  | { kind: "already-recorded"; writes: number };

export async function recordRelease(octokit: GitHubClient, facts: ReleaseFacts, deployment: { sha: string }): Promise<ReleaseRecordOutcome> {
  const { target } = facts;
  const claim = await claimTransition(octokit, { owner: target.owner, repo: target.repo, name: claimRefName(target.pullNumber, "release-record"), sha: deployment.sha });
  if (claim.kind === "taken") return { kind: "already-recorded", writes: 1 };
  const record = renderReleaseRecord({
    pull: { number: target.pullNumber, title: facts.live.facts.title },
    environment: facts.config.rollout.environment,
    sha: deployment.sha,
    rollout: facts.rollout,
    ...(facts.readiness?.override ? { override: facts.readiness.override } : {}),
    ...(facts.statusComment ? { statusCommentUrl: facts.statusComment.url } : {}),
  });
  let why: "no-releases" | "tag-taken" = "no-releases";
  if (await usesReleases(octokit, target)) {
    const created = await createRelease(octokit, { owner: target.owner, repo: target.repo, tag: record.tag, sha: deployment.sha, name: record.name, body: record.body });
    if (created.kind === "created") return { kind: "release", id: created.id, url: created.url, writes: 2 };
    // Someone else's release holds the tag: the log still lands on the PR rather than nowhere.
    why = "tag-taken";
  }
  const comment = await upsertStatusComment(octokit, { owner: target.owner, repo: target.repo, issueNumber: target.pullNumber, existingId: undefined, body: record.body });
  return { kind: "comment", url: comment.url, writes: why === "tag-taken" ? 3 : 2, why };
}
