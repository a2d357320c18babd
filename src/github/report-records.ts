// The reads behind the release report: an environment's whole deployment history, the PR behind each
// release, the check runs on its head, and the follow-up issues the gate opened. Reads only.
import type { GateIdentity } from "../core/identity.js";
import { parseGateIssue } from "../core/report/gate-issues.js";
import type { CheckSummary, GateIssue, PullSummary } from "../core/report/types.js";
import type { DeploymentRecord } from "../core/rollout/types.js";
import type { GitHubClient, RepoRef } from "./client.js";
import { listStatuses, toDeploymentRecord } from "./deployments.js";
import { writtenByGate } from "./gate-identity.js";

/** The repository's web address (GitHub, GitHub Enterprise Server, or a stand-in): links are built under it. */
export async function getRepoUrl(octokit: GitHubClient, ref: RepoRef): Promise<string> {
  const { data } = await octokit.request("GET /repos/{owner}/{repo}", { owner: ref.owner, repo: ref.repo });
  return data.html_url;
}

/**
 * Every deployment of the environment, newest first, up to `max`, each with all its statuses.
 * Reads: one list per 100 deployments + one per deployment.
 */
export async function listEnvironmentHistory(octokit: GitHubClient, ref: RepoRef & { environment: string; max: number }): Promise<{ records: DeploymentRecord[]; truncated: boolean }> {
  const records: DeploymentRecord[] = [];
  const iterator = octokit.paginate.iterator("GET /repos/{owner}/{repo}/deployments", {
    owner: ref.owner,
    repo: ref.repo,
    environment: ref.environment,
    per_page: 100,
  });
  for await (const page of iterator) {
    for (const deployment of page.data) {
      if (records.length >= ref.max) return { records, truncated: true };
      records.push(toDeploymentRecord(deployment, await listStatuses(octokit, { ...ref, deploymentId: Number(deployment.id) })));
    }
  }
  return { records, truncated: false };
}

/** The PR and the author date of its oldest commit (GitHub lists a PR's commits oldest first). Reads: 2. */
export async function getPullSummary(octokit: GitHubClient, ref: RepoRef & { pullNumber: number }): Promise<PullSummary | undefined> {
  let pull;
  try {
    ({ data: pull } = await octokit.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", { owner: ref.owner, repo: ref.repo, pull_number: ref.pullNumber }));
  } catch (error) {
    // A release number with no PR behind it (deleted repository history, a hand-made payload): the story stays, without the PR.
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
  const { data: commits } = await octokit.request("GET /repos/{owner}/{repo}/pulls/{pull_number}/commits", {
    owner: ref.owner,
    repo: ref.repo,
    pull_number: ref.pullNumber,
    per_page: 100,
  });
  const dates = commits.map((c) => c.commit.author?.date ?? c.commit.committer?.date).filter((d): d is string => typeof d === "string" && !Number.isNaN(Date.parse(d)));
  const first = dates.sort((a, b) => Date.parse(a) - Date.parse(b))[0] ?? null;
  return {
    number: pull.number,
    title: pull.title,
    author: pull.user?.login ?? "",
    url: pull.html_url,
    body: pull.body ?? null,
    headSha: pull.head.sha,
    mergedAt: pull.merged_at ?? null,
    firstCommitAt: first,
  };
}

/** Every check run on a commit (first 100), every app's: shown for reference, never decided on. Reads: 1. */
export async function listCheckSummaries(octokit: GitHubClient, ref: RepoRef & { sha: string }): Promise<Array<CheckSummary & { appId: number | null }>> {
  const { data } = await octokit.request("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", { owner: ref.owner, repo: ref.repo, ref: ref.sha, per_page: 100 });
  return data.check_runs.map((run) => ({
    name: run.name,
    app: run.app?.slug ?? run.app?.name ?? null,
    appId: run.app?.id ?? null,
    status: run.status,
    conclusion: run.conclusion,
    url: run.html_url ?? null,
  }));
}

/**
 * The post-mortem and flag-removal issues the gate opened (open or closed): only issues GitHub says
 * the gate's own identity wrote count, so nobody can add a fake override to the report by opening an
 * issue with the same title. Reads: one per 100 issues, at most `maxPages`.
 */
export async function listGateIssues(octokit: GitHubClient, ref: RepoRef & { identity: GateIdentity; maxPages: number }): Promise<GateIssue[]> {
  const found: GateIssue[] = [];
  let pages = 0;
  const iterator = octokit.paginate.iterator("GET /repos/{owner}/{repo}/issues", {
    owner: ref.owner,
    repo: ref.repo,
    state: "all",
    per_page: 100,
  });
  for await (const page of iterator) {
    for (const issue of page.data) {
      if (issue.pull_request || !writtenByGate(issue, ref.identity)) continue;
      const parsed = parseGateIssue({ number: issue.number, title: issue.title, body: issue.body ?? null, url: issue.html_url });
      if (parsed) found.push(parsed);
    }
    if (++pages >= ref.maxPages) break;
  }
  return found;
}
