// "Re-run" on the check (check_run.rerequested) or on the whole suite (check_suite.rerequested).
import type { Context, Probot } from "probot";
import { CHECK_NAME } from "../../core/render/readiness-report.js";
import { findReadinessRun, groupBaseFromExternalId, pullNumberFromExternalId } from "../../github/check-runs.js";
import { findOpenPullsForSha } from "../../github/pull-facts.js";
import { appIdentity, installationOctokit } from "../installation-octokit.js";
import { runReadiness } from "../../workflows/readiness/run-readiness.js";
import { queuedPullFromRef, runMergeGroup } from "../../workflows/readiness/merge-group.js";

export function checkRunRerequestedHandler(app: Pick<Probot, "auth">) {
  return async (context: Context<"check_run.rerequested">) => {
    const { check_run: run, repository, installation } = context.payload;
    if (run.name !== CHECK_NAME) return;
    const octokit = await installationOctokit(app, installation?.id);
    const { appId } = await appIdentity(app);
    // GitHub sends `rerequested` to the app that made the run, but a redelivered or forged payload
    // names any run: only ours is re-run (another app's run carries its own app id).
    if (run.app?.id !== undefined && run.app.id !== appId) return;
    const repo = { owner: repository.owner.login, repo: repository.name, appId };
    // A merge group's run remembers the group's base; its head is the run's SHA, its branch the suite's.
    const groupBase = groupBaseFromExternalId(run.external_id);
    if (groupBase !== undefined) {
      const headRef = run.check_suite.head_branch ?? "";
      await runMergeGroup(octokit, { ...repo, baseSha: groupBase, headSha: run.head_sha, headRef, repoUrl: repository.html_url, runPull: pullNumberFromExternalId(run.external_id) }, context.log);
      return;
    }
    // Our external id names the PR even for forks, whose runs carry an empty pull_requests list.
    const fromId = pullNumberFromExternalId(run.external_id);
    const pulls = fromId !== undefined ? [fromId] : run.pull_requests.map((p) => p.number);
    const numbers = pulls.length > 0 ? pulls : await findOpenPullsForSha(octokit, { ...repo, sha: run.head_sha });
    for (const pullNumber of numbers) await runReadiness(octokit, { ...repo, pullNumber, hint: { headSha: run.head_sha } }, context.log);
  };
}

export function checkSuiteRerequestedHandler(app: Pick<Probot, "auth">) {
  return async (context: Context<"check_suite.rerequested">) => {
    const { check_suite: suite, repository, installation } = context.payload;
    const octokit = await installationOctokit(app, installation?.id);
    const repo = { owner: repository.owner.login, repo: repository.name, appId: (await appIdentity(app)).appId };
    // "Re-run all" on a merge group: our run on its head remembers the group's base.
    const queued = queuedPullFromRef(suite.head_branch ?? "");
    if (queued !== undefined) {
      const run = await findReadinessRun(octokit, { ...repo, headSha: suite.head_sha, pullNumber: queued });
      if (run?.groupBase === undefined) return;
      const target = { ...repo, baseSha: run.groupBase, headSha: suite.head_sha, headRef: suite.head_branch ?? "", repoUrl: repository.html_url, runPull: queued };
      await runMergeGroup(octokit, target, context.log);
      return;
    }
    const listed = suite.pull_requests.map((p) => p.number);
    const numbers = listed.length > 0 ? listed : await findOpenPullsForSha(octokit, { ...repo, sha: suite.head_sha });
    for (const pullNumber of numbers) await runReadiness(octokit, { ...repo, pullNumber, hint: { headSha: suite.head_sha } }, context.log);
  };
}

/** At most this many PRs of one push are looked at; a push rarely heads more than one or two. */
export const MAX_SUITE_PULLS = 10;

/**
 * `check_suite.requested` (GitHub sends it on every push): a second chance for a PR whose
 * `synchronize` delivery was lost with a crashed process. It costs one read per PR of the push and
 * writes only when the head has no `Release readiness` run. Fork pushes list no PRs and are left to
 * the startup reconciliation.
 */
export function checkSuiteRequestedHandler(app: Pick<Probot, "auth">) {
  return async (context: Context<"check_suite.requested">) => {
    const { check_suite: suite, repository, installation } = context.payload;
    const numbers = suite.pull_requests.map((p) => p.number).slice(0, MAX_SUITE_PULLS);
    if (numbers.length === 0) return;
    const octokit = await installationOctokit(app, installation?.id);
    const repo = { owner: repository.owner.login, repo: repository.name, appId: (await appIdentity(app)).appId };
    for (const pullNumber of numbers) {
      const outcome = await runReadiness(octokit, { ...repo, pullNumber, hint: { headSha: suite.head_sha }, onlyIfMissing: true }, context.log);
      if (outcome.kind === "skipped" && outcome.reason === "already-evaluated") {
        context.log.debug({ pull: pullNumber, sha: suite.head_sha }, "check_suite.requested: the head already has a readiness run");
      }
    }
  };
}
