// `/release pause` and `resume`: the pause label on the PR is the rollout's pause state. Writes: 1.
import type { GitHubClient } from "../../../github/client.js";
import { addPullLabel, removePullLabel } from "../../../github/labels.js";
import type { VerbContext, VerbResult } from "../types.js";

export async function pause(octokit: GitHubClient, ctx: VerbContext, on: boolean): Promise<VerbResult> {
  const { facts } = ctx;
  const label = facts.config.rollout["pause-label"];
  if (facts.paused === on) {
    return { result: "unchanged", code: on ? "already-paused" : "not-paused", message: on ? `Already paused (label \`${label}\`).` : "The rollout is not paused.", writes: 0 };
  }
  const ref = { ...facts.target, issueNumber: facts.target.pullNumber, label };
  if (on) await addPullLabel(octokit, ref);
  else await removePullLabel(octokit, ref);
  facts.paused = on;
  return {
    result: "done",
    code: on ? "paused" : "resumed",
    message: on ? `Paused: no stage starts until \`/release resume\` (label \`${label}\`). Rollback stays available.` : "Resumed: stages may start again.",
    writes: 1,
  };
}
