// Gathers what the release report shows from GitHub (reads only) and builds it: the config (for the
// environment, the status writers and the plan headings), the environment's deployments, and for
// every release found among the gate's own deployments its PR, checks, readiness run, status comment
// and follow-up issues. Release numbers come from trusted deployments only, so a forged deployment
// cannot make the report read (or show) a PR of its choosing.
import type { GateIdentity } from "../../core/identity.js";
import { buildReport, type Report } from "../../core/report/build-report.js";
import type { CheckSummary, PullSummary, ReadinessSummary, ReportFacts } from "../../core/report/types.js";
import { CHECK_NAME } from "../../core/render/readiness-report.js";
import { STATUS_MARKER } from "../../core/render/status-comment.js";
import { trustedHistory, trustPolicy } from "../../core/rollout/trust.js";
import { findReadinessRun } from "../../github/check-runs.js";
import type { GitHubClient, RepoRef } from "../../github/client.js";
import { getPullSummary, getRepoUrl, listCheckSummaries, listEnvironmentHistory, listGateIssues } from "../../github/report-records.js";
import { findStatusComment } from "../../github/status-comment.js";
import { loadConfig, type ConfigPluginClient } from "../load-config.js";

export interface ReportRequest extends RepoRef {
  identity: GateIdentity;
  now: Date;
  rollbackSloMs: number;
  /** Overrides the config's `rollout.environment`. */
  environment?: string;
  /** Deployments read at most (newest first). */
  maxDeployments: number;
}

export type ReportResult =
  | { ok: true; report: Report; facts: ReportFacts; truncated: boolean }
  | { ok: false; reason: "invalid-config"; message: string };

export async function gatherReport(octokit: GitHubClient & ConfigPluginClient, request: ReportRequest): Promise<ReportResult> {
  const repo = { owner: request.owner, repo: request.repo };
  const loaded = await loadConfig(octokit, repo);
  if (!loaded.ok) {
    const first = loaded.problems[0];
    return { ok: false, reason: "invalid-config", message: `cannot read ${loaded.source}${first ? `: line ${first.line}, ${first.message}` : ""}` };
  }
  const config = loaded.config;
  const environment = request.environment ?? config.rollout.environment;
  const trust = trustPolicy(request.identity, config.rollout["status-writers"]);
  const [repoUrl, history, issues] = await Promise.all([
    getRepoUrl(octokit, repo),
    listEnvironmentHistory(octokit, { ...repo, environment, max: request.maxDeployments }),
    listGateIssues(octokit, { ...repo, identity: request.identity, maxPages: 10 }),
  ]);
  const releases = new Set<number>();
  for (const d of trustedHistory(history.records, trust).deployments) if (d.payload) releases.add(d.payload.release);

  const pulls: Record<number, PullSummary> = {};
  const readiness: Record<number, ReadinessSummary> = {};
  const checks: Record<number, CheckSummary[]> = {};
  const statusComments: Record<number, string> = {};
  for (const release of [...releases].sort((a, b) => a - b)) {
    const pull = await getPullSummary(octokit, { ...repo, pullNumber: release });
    if (!pull) continue;
    pulls[release] = pull;
    const [runs, run, comment] = await Promise.all([
      listCheckSummaries(octokit, { ...repo, sha: pull.headSha }),
      findReadinessRun(octokit, { ...repo, headSha: pull.headSha, pullNumber: release, appId: request.identity.appId }),
      findStatusComment(octokit, { ...repo, issueNumber: release, marker: STATUS_MARKER, identity: request.identity }),
    ]);
    checks[release] = runs.map(({ appId: _appId, ...summary }) => summary);
    if (run) {
      const listed = runs.find((r) => r.appId === request.identity.appId && r.name === CHECK_NAME);
      readiness[release] = {
        conclusion: run.conclusion,
        title: run.title ?? "",
        summary: run.summary ?? "",
        url: listed?.url ?? null,
        ...(run.override ? { override: run.override } : {}),
      };
    }
    if (comment) statusComments[release] = comment.url;
  }
  const facts: ReportFacts = {
    owner: request.owner,
    repo: request.repo,
    environment,
    repoUrl,
    now: request.now.toISOString(),
    rollbackSloMs: request.rollbackSloMs,
    trust,
    headings: config.headings,
    deployments: history.records,
    pulls,
    readiness,
    checks,
    statusComments,
    issues,
  };
  return { ok: true, report: buildReport(facts), facts, truncated: history.truncated };
}
