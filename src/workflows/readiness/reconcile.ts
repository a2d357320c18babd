// GitHub does not redeliver a webhook whose handler died with the process, so after a restart some
// open PRs may have no verdict. This bounded pass finds open PRs whose head has no `Release readiness`
// run and evaluates them. Reads are cheap; it writes only for the PRs that were missed.
import type { ConfigPluginClient } from "../load-config.js";
import type { Logger } from "../logger.js";
import { runReadiness } from "./run-readiness.js";
import { findReadinessRun } from "../../github/check-runs.js";
import type { GitHubClient } from "../../github/client.js";

export interface ReconcileLimits {
  /** Open PRs looked at in total, most recently updated first per repository. */
  maxPulls: number;
  maxRepositories: number;
}

export const DEFAULT_RECONCILE_LIMITS: ReconcileLimits = { maxPulls: 500, maxRepositories: 200 };

export interface ReconcileAuth {
  /** App-level client (JWT): lists installations. */
  app(): Promise<GitHubClient>;
  /** Installation client: lists repositories and evaluates PRs. */
  installation(id: number): Promise<GitHubClient & ConfigPluginClient>;
  /** The app's id: only its `Release readiness` runs count as a verdict. */
  appId(): Promise<number>;
}

export interface ReconcileReport {
  installations: number;
  repositories: number;
  pulls: number;
  evaluated: number;
  failed: number;
  limited: boolean;
}

export async function reconcileOpenPulls(auth: ReconcileAuth, log: Logger, limits = DEFAULT_RECONCILE_LIMITS): Promise<ReconcileReport> {
  const report: ReconcileReport = { installations: 0, repositories: 0, pulls: 0, evaluated: 0, failed: 0, limited: false };
  const appClient = await auth.app();
  const appId = await auth.appId();
  const installations = await appClient.paginate("GET /app/installations", { per_page: 100 });
  for (const installation of installations) {
    report.installations++;
    const octokit = await auth.installation(installation.id);
    // GitHub lists at most 100 repositories a page; an installation may have many more.
    const repositories = await octokit.paginate("GET /installation/repositories", { per_page: 100 });
    for (const repository of repositories) {
      if (report.repositories >= limits.maxRepositories || report.pulls >= limits.maxPulls) {
        report.limited = true;
        return report;
      }
      report.repositories++;
      const owner = repository.owner.login;
      const repo = repository.name;
      const { data: pulls } = await octokit.request("GET /repos/{owner}/{repo}/pulls", {
        owner,
        repo,
        state: "open",
        sort: "updated",
        direction: "desc",
        per_page: Math.min(100, limits.maxPulls - report.pulls),
      });
      for (const pull of pulls) {
        report.pulls++;
        const target = { owner, repo, pullNumber: pull.number, appId };
        try {
          const existing = await findReadinessRun(octokit, { ...target, headSha: pull.head.sha });
          if (existing) continue;
          await runReadiness(octokit, { ...target, hint: { headSha: pull.head.sha, updatedAt: pull.updated_at } }, log);
          report.evaluated++;
        } catch (error) {
          // One broken PR must not stop the pass; it is logged and the next one is tried.
          report.failed++;
          log.warn({ err: error, pull: `${owner}/${repo}#${pull.number}` }, "reconciliation could not evaluate a PR");
        }
      }
    }
  }
  return report;
}
