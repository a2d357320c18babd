// "Re-run" on the check (check_run.rerequested) or on the whole suite (check_suite.rerequested).
import type { Context, Probot } from "probot";
import { CHECK_NAME } from "../../core/render/readiness-report.js";
import { pullNumberFromExternalId } from "../../github/check-runs.js";
import { findOpenPullsForSha } from "../../github/pull-facts.js";
import { installationOctokit } from "../installation-octokit.js";
import { runReadiness } from "../readiness.js";

export function checkRunRerequestedHandler(app: Pick<Probot, "auth">) {
  return async (context: Context<"check_run.rerequested">) => {
    const { check_run: run, repository, installation } = context.payload;
    if (run.name !== CHECK_NAME) return;
    const octokit = await installationOctokit(app, installation?.id);
    const repo = { owner: repository.owner.login, repo: repository.name };
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
    const repo = { owner: repository.owner.login, repo: repository.name };
    const listed = suite.pull_requests.map((p) => p.number);
    const numbers = listed.length > 0 ? listed : await findOpenPullsForSha(octokit, { ...repo, sha: suite.head_sha });
    for (const pullNumber of numbers) await runReadiness(octokit, { ...repo, pullNumber, hint: { headSha: suite.head_sha } }, context.log);
  };
}
