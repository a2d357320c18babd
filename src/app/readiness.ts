// One readiness verdict for one PR: gather live facts, load config, evaluate, write the check run.
// Reads for a small PR: the PR, its files, the config (1-2), the existing run, plus one per changed
// migration file that is not new (new files are read from their patch); writes: exactly one.
import type { OverrideApproval } from "../core/commands/override-policy.js";
import { CONFIG_PATH, parseConfigText } from "../core/config/parse-config.js";
import { applyOverride } from "../core/render/override-report.js";
import { renderConfigFailure, renderReadinessReport, type CheckReport } from "../core/render/readiness-report.js";
import { evaluateReadiness, type ReadinessVerdict } from "../core/rules/evaluate-readiness.js";
import type { ReleaseGateConfig } from "../core/config/schema.js";
import { needsApprovals } from "../core/rules/high-risk.js";
import { pathMatcher } from "../core/rules/match-paths.js";
import { analyseMigrations, type MigrationReport } from "../core/sql/analyse-migrations.js";
import { keywordOnlyParser, type SqlParser } from "../core/sql/parser.js";
import { loadPostgresParser } from "../core/sql/postgres-parser.js";
import { findReadinessRun, upsertReadinessRun, type ApprovedOverride } from "../github/check-runs.js";
import type { GitHubClient, RepoRef } from "../github/client.js";
import { getPullFacts, listApprovers, type LivePull } from "../github/pull-facts.js";
import { readMigrationSources } from "../github/migration-sources.js";
import { readRepoFile } from "../github/repo-file.js";
import { loadConfig, type ConfigPluginClient } from "./load-config.js";
import { serialized } from "./serialize.js";
import { describe, writeEvaluationFailure } from "./write-evaluation-failure.js";

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

/** The check run keeps who approved and the post-mortem issue; the reason lives in that issue. */
function approvalFromMarker(marker: ApprovedOverride, headSha: string): OverrideApproval {
  return {
    requestedBy: marker.requester,
    approvedBy: marker.approver,
    reason: `recorded in the post-mortem issue ${marker.issue}`,
    sha: headSha,
    at: "",
    approvedAt: "",
    key: "",
    approvalKey: "",
  };
}

export type ReadinessOutcome =
  | { kind: "skipped"; reason: "closed-unmerged" }
  | { kind: "skipped"; reason: "superseded"; newerStamp: string }
  | { kind: "skipped"; reason: "already-evaluated"; checkRunId: number }
  | { kind: "written"; checkRunId: number; created: boolean; conclusion: "success" | "failure"; headSha: string; verdict?: ReadinessVerdict };

export interface ReadinessTarget extends RepoRef {
  pullNumber: number;
  /** What the triggering event knew (payload head SHA and `updated_at`); used only if GitHub cannot be read. */
  hint?: { headSha?: string | undefined; updatedAt?: string | undefined };
  /** Evaluate only if the hinted head SHA has no readiness run yet (second chances such as check_suite.requested). */
  onlyIfMissing?: boolean;
  /** Offer the rollout buttons on a passing check (default); off where no app receives their events. */
  buttons?: boolean;
  /** The app whose `Release readiness` runs are ours (no-server mode: the workflow identity's app). */
  appId: number;
}

/**
 * Evaluations of one PR run one at a time in this process, so concurrent events never create two runs.
 * If GitHub still fails after Octokit's retries, the run becomes a clearly failed "not evaluated" one
 * (see write-evaluation-failure.ts) and the error is rethrown, so the delivery is logged as failed.
 */
export function runReadiness(octokit: GitHubClient & ConfigPluginClient, target: ReadinessTarget, log: Logger): Promise<ReadinessOutcome> {
  return serialized(`${target.owner}/${target.repo}#${target.pullNumber}`, async () => {
    const seen: { headSha?: string; updatedAt?: string } = {};
    try {
      if (target.onlyIfMissing && target.hint?.headSha) {
        const existing = await findReadinessRun(octokit, { ...target, headSha: target.hint.headSha });
        if (existing) return { kind: "skipped", reason: "already-evaluated", checkRunId: existing.id };
      }
      return await evaluateAndWrite(octokit, target, log, seen);
    } catch (error) {
      const headSha = seen.headSha ?? target.hint?.headSha;
      const pull = `${target.owner}/${target.repo}#${target.pullNumber}`;
      if (!headSha) {
        log.warn({ err: error, pull }, "Release readiness: evaluation failed and the head SHA is unknown; no run written");
        throw error;
      }
      const failure = await writeEvaluationFailure(octokit, { ...target, headSha, stamp: seen.updatedAt ?? target.hint?.updatedAt }, error);
      const what =
        failure.kind === "written"
          ? `wrote a failed "not evaluated" run ${failure.checkRunId}`
          : failure.kind === "kept"
            ? `kept the verdict from a newer state (${failure.stamp})`
            : `could not write a failed run either (${describe(failure.error)}); the next event, a re-run or the startup reconciliation writes it`;
      log.warn({ err: error, pull, sha: headSha, failure: failure.kind }, `Release readiness: evaluation failed after retries (${describe(error)}); ${what}`);
      throw new Error(`readiness evaluation of ${pull} failed: ${describe(error)}`, { cause: error });
    }
  });
}

async function evaluateAndWrite(
  octokit: GitHubClient & ConfigPluginClient,
  target: ReadinessTarget,
  log: Logger,
  seen: { headSha?: string; updatedAt?: string },
): Promise<ReadinessOutcome> {
  const live = await getPullFacts(octokit, target);
  seen.headSha = live.facts.headSha;
  seen.updatedAt = live.updatedAt;
  if (live.state === "closed" && !live.merged) {
    log.info({ pull: target.pullNumber }, "PR is closed without merge; no readiness verdict");
    return { kind: "skipped", reason: "closed-unmerged" };
  }
  const facts = live.facts;
  const loaded = await loadConfig(octokit, target);
  let report: CheckReport;
  let verdict: ReadinessVerdict | undefined;
  if (!loaded.ok) {
    report = renderConfigFailure(loaded.problems, (file) => (file === CONFIG_PATH ? CONFIG_PATH : undefined));
  } else {
    const config = loaded.config;
    if (needsApprovals(facts.changedFiles, config["high-risk"])) facts.approvers = await listApprovers(octokit, target);
    if (facts.changedFiles.includes(CONFIG_PATH)) {
      // The proposed file lives on the head branch, which for a fork is in the fork.
      const source = live.headRepo ?? live.baseRepo;
      const text = await readRepoFile(octokit, { ...source, path: CONFIG_PATH, ref: facts.headSha });
      const parsed = text === undefined ? undefined : parseConfigText({ file: CONFIG_PATH, text });
      facts.proposedConfigProblems = parsed && !parsed.ok ? parsed.problems : [];
    }
    facts.migrationReport = await analyseChangedMigrations(octokit, live, config, log);
    verdict = evaluateReadiness(facts, config);
    report = renderReadinessReport(verdict, loaded.source);
  }
  const existing = await findReadinessRun(octokit, { ...target, headSha: facts.headSha });
  if (existing?.stamp && existing.stamp > live.updatedAt) {
    // Another replica already wrote a verdict from a newer state of the PR.
    log.info({ pull: target.pullNumber, ours: live.updatedAt, theirs: existing.stamp }, "Release readiness: newer verdict present, not overwriting");
    return { kind: "skipped", reason: "superseded", newerStamp: existing.stamp };
  }
  // An override approved for this SHA outlives re-evaluations of it; a new push gets a new run.
  if (existing?.override) report = applyOverride(report, approvalFromMarker(existing.override, facts.headSha), facts.headSha);
  const written = await upsertReadinessRun(
    octokit,
    { ...target, headSha: facts.headSha, stamp: live.updatedAt, existingId: existing?.id, override: existing?.override, buttons: target.buttons !== false },
    report,
  );
  log.info(
    { pull: target.pullNumber, sha: facts.headSha, conclusion: report.conclusion, checkRunId: written.id, created: written.created },
    `Release readiness: ${report.title}`,
  );
  return {
    kind: "written",
    checkRunId: written.id,
    created: written.created,
    conclusion: report.conclusion,
    headSha: facts.headSha,
    ...(verdict ? { verdict } : {}),
  };
}

/** The SQL analysis of the changed migration files at the head (undefined when there are none). */
async function analyseChangedMigrations(
  octokit: GitHubClient,
  live: LivePull,
  config: ReleaseGateConfig,
  log: Logger,
): Promise<MigrationReport | undefined> {
  const settings = config.migrations;
  if (!settings.analyse) return undefined;
  const isMigration = pathMatcher(settings.paths);
  const changed = live.sqlFiles.filter((f) => isMigration(f.path));
  if (changed.length === 0) return undefined;
  const kept = changed.slice(0, settings["max-files"]);
  const source = live.headRepo ?? live.baseRepo;
  const { sources } = await readMigrationSources(octokit, { ...source, headSha: live.facts.headSha }, kept);
  const report = analyseMigrations(sources, {
    parser: await sqlParser(settings.dialect, log),
    rules: settings.rules,
    requireDown: settings["require-down"],
    changedFiles: live.facts.changedFiles,
  });
  for (const f of changed.slice(kept.length)) report.skipped.push({ path: f.path, reason: `over migrations.max-files (${settings["max-files"]})` });
  return report;
}

async function sqlParser(dialect: ReleaseGateConfig["migrations"]["dialect"], log: Logger): Promise<SqlParser> {
  try {
    return await loadPostgresParser();
  } catch (error) {
    // The keyword fallback still catches the common breaking statements; say so in the log.
    log.warn({ err: String(error), dialect }, "SQL parser unavailable; migrations are checked by keywords only");
    return keywordOnlyParser(dialect, error instanceof Error ? error.message : String(error));
  }
}
