// One readiness verdict for one PR: gather live facts, load config, evaluate, write the check run.
// Reads for a small PR: the PR, its files, the config (1-2), the open flag-removal issues, the existing
// run, plus one per changed migration file that is not new (new files are read from their patch);
// writes: one, plus 3 per flag that has just fallen overdue (once per flag, at most 3 flags a verdict). Every
// input the PR author controls is size-capped before it is parsed (src/core/limits.ts), and the SQL
// analysis runs in a worker thread, so no PR can stall the process.
import { createHash } from "node:crypto";
import type { OverrideApproval } from "../../core/commands/override-policy.js";
import { checkLimit, LIMITS } from "../../core/limits.js";
import { parsePlan } from "../../core/plan/parse-plan.js";
import { canonicalPlanText, nextPlanRecord, planChangeSinceApproval, readPlanRecord, withPlanRecord, type PlanChange } from "../../core/plan/plan-record.js";
import { CONFIG_PATH, parseConfigText } from "../../core/config/parse-config.js";
import { applyOverride } from "../../core/render/override-report.js";
import type { FlagDebt } from "../../core/flags/flag-lifetime.js";
import { withFlagDebtNotice } from "../../core/render/flag-debt.js";
import { escalateOverdueFlags, ESCALATIONS_PER_VERDICT, readFlagDebt } from "../flags/flag-debt.js";
import { renderConfigFailure, renderReadinessReport, type CheckReport } from "../../core/render/readiness-report.js";
import { evaluateReadiness, type ReadinessVerdict } from "../../core/rules/evaluate-readiness.js";
import type { ReleaseGateConfig } from "../../core/config/schema.js";
import { needsApprovals } from "../../core/rules/high-risk.js";
import { pathMatcher } from "../../core/rules/match-paths.js";
import type { MigrationReport } from "../../core/sql/analyse-migrations.js";
import { findReadinessRun, upsertReadinessRun, type ApprovedOverride } from "../../github/check-runs.js";
import type { GitHubClient, RepoRef } from "../../github/client.js";
import { getPullFacts, listApprovers, type LivePull } from "../../github/pull-facts.js";
import { readMigrationSources } from "../../github/migration-sources.js";
import { getCollaboratorPermission } from "../../github/collaborator-permission.js";
import { listReviews } from "../../github/reviews.js";
import { hasRole, roleFromPermission } from "../../core/commands/permission-policy.js";
import { acceptingReviews, exceptionsToAccept, type ExceptionAcceptance, type ReviewFact } from "../../core/rules/sql-exceptions.js";
import type { PullFacts } from "../../core/rules/types.js";
import { readRepoFileCapped } from "../../github/repo-file.js";
import { loadConfig, type ConfigPluginClient, type LoadedConfig } from "../load-config.js";
import type { Logger } from "../logger.js";
import { serialized } from "../serialize.js";
import { analyseSql } from "./sql-analysis.js";
import { describe, writeEvaluationFailure } from "./write-evaluation-failure.js";

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
  /** The identity's login where its records carry no app stamp (no-server mode: `github-actions[bot]`); its flag-removal issues count. */
  login?: string;
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
  let reviews: Promise<ReviewFact[]> | undefined;
  const readReviews = () => (reviews ??= listReviews(octokit, target));
  const loaded = await loadConfig(octokit, target);
  const evaluated = await evaluatePull(octokit, target, live, loaded, log, readReviews);
  let report = evaluated.report;
  const verdict = evaluated.verdict;
  const existing = await findReadinessRun(octokit, { ...target, headSha: facts.headSha });
  if (existing?.stamp && existing.stamp > live.updatedAt) {
    // Another replica already wrote a verdict from a newer state of the PR.
    log.info({ pull: target.pullNumber, ours: live.updatedAt, theirs: existing.stamp }, "Release readiness: newer verdict present, not overwriting");
    return { kind: "skipped", reason: "superseded", newerStamp: existing.stamp };
  }
  // An override approved for this SHA outlives re-evaluations of it; a new push gets a new run.
  if (existing?.override) report = applyOverride(report, approvalFromMarker(existing.override, facts.headSha), facts.headSha);
  const debt = loaded.ok ? await flagDebtOf(octokit, target, loaded.config, log) : undefined;
  if (debt && loaded.ok) report = withFlagDebtNotice(report, debt, loaded.config.flags["max-lifetime"]);
  if (loaded.ok) {
    // Reviews are read only once the plan has changed on this head (the record says so).
    const digest = createHash("sha256").update(canonicalPlanText(parsePlan(facts.body, loaded.config.headings))).digest("hex");
    const record = nextPlanRecord(readPlanRecord(existing?.summary), digest, live.updatedAt);
    const change: PlanChange = record.changedAt ? planChangeSinceApproval(record, await readReviews(), facts.author) : { kind: "unchanged" };
    report = withPlanRecord(report, record, change);
  }
  const written = await upsertReadinessRun(
    octokit,
    {
      ...target,
      headSha: facts.headSha,
      stamp: live.updatedAt,
      existingId: existing?.id,
      override: existing?.override,
      // A pending override request is bound to this SHA, not to one verdict: a re-evaluation keeps it.
      overrideRequest: existing?.overrideRequest,
      buttons: target.buttons !== false,
    },
    report,
  );
  log.info(
    { pull: target.pullNumber, sha: facts.headSha, conclusion: report.conclusion, checkRunId: written.id, created: written.created },
    `Release readiness: ${report.title}`,
  );
  // After the verdict, so its one write is never queued behind the escalations' writes.
  if (debt && loaded.ok && debt.overdue.some((f) => !f.labelled)) {
    await escalateOverdueFlags(octokit, { owner: target.owner, repo: target.repo, claimSha: live.baseSha }, debt, loaded.config.flags, { max: ESCALATIONS_PER_VERDICT, log });
  }
  return {
    kind: "written",
    checkRunId: written.id,
    created: written.created,
    conclusion: report.conclusion,
    headSha: facts.headSha,
    ...(verdict ? { verdict } : {}),
  };
}

/**
 * The repo's flag debt for the notice on this PR's check. A failure to read it is logged and leaves the
 * notice out: the debt is the repository's, and must not fail (nor hold up) this PR's verdict.
 */
async function flagDebtOf(octokit: GitHubClient, target: ReadinessTarget, config: ReleaseGateConfig, log: Logger): Promise<FlagDebt | undefined> {
  try {
    const gate = [{ appId: target.appId, ...(target.login ? { login: target.login } : {}) }];
    return await readFlagDebt(octokit, { owner: target.owner, repo: target.repo, gate }, config.flags, Date.now());
  } catch (error) {
    log.warn({ err: error, pull: target.pullNumber }, "flag debt: could not list the open flag-removal issues; the check names no overdue flag this time");
    return undefined;
  }
}

/**
 * The verdict of one live PR under a loaded config, written nowhere: the PR check writes it on the
 * PR head, the merge queue combines the verdicts of a group's PRs.
 */
export async function evaluatePull(
  octokit: GitHubClient,
  target: RepoRef & { pullNumber: number },
  live: LivePull,
  loaded: LoadedConfig,
  log: Logger,
  readReviews: () => Promise<ReviewFact[]>,
): Promise<{ report: CheckReport; verdict?: ReadinessVerdict }> {
  const facts = live.facts;
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
      // Its size is checked before it is downloaded or parsed: a fork can push any file it likes.
      const file = await readRepoFileCapped(octokit, { ...source, path: CONFIG_PATH, ref: facts.headSha }, LIMITS.config.max);
      const tooLarge = file.kind === "too-large" ? checkLimit("config", file.bytes, `\`${CONFIG_PATH}\` at the PR head`) : undefined;
      if (tooLarge) (facts.overLimits ??= []).push(tooLarge);
      const parsed = file.kind === "text" ? parseConfigText({ file: CONFIG_PATH, text: file.text }) : undefined;
      facts.proposedConfigProblems = parsed && !parsed.ok ? parsed.problems : [];
    }
    facts.migrationReport = await analyseChangedMigrations(octokit, live, config, log);
    const exceptions = exceptionsToAccept(facts.migrationReport?.findings ?? [], config.migrations["fail-on-advisory"]);
    if (exceptions.length > 0 && config.migrations.exceptions["accepted-by"] === "non-author-approval") {
      facts.sqlExceptions = await findExceptionAcceptance(octokit, target, facts, await readReviews());
    }
    verdict = evaluateReadiness(facts, config);
    report = renderReadinessReport(verdict, loaded.source);
  }
  return { report, ...(verdict ? { verdict } : {}) };
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
  const { sources, overLimits } = await readMigrationSources(octokit, { ...source, headSha: live.facts.headSha }, kept);
  if (overLimits.length > 0) (live.facts.overLimits ??= []).push(...overLimits);
  const report = await analyseSql(
    {
      sources,
      dialect: settings.dialect,
      rules: settings.rules,
      requireDown: settings["require-down"],
      changedFiles: live.facts.changedFiles,
      context: { postgresVersion: settings["postgres-version"], transaction: settings.transaction },
    },
    log,
  );
  for (const f of changed.slice(kept.length)) report.skipped.push({ path: f.path, reason: `over migrations.max-files (${settings["max-files"]})` });
  return report;
}

/** Reviewers whose write access is checked before one counts (each costs a read); newer approvals first. */
const MAX_ACCEPTANCE_CANDIDATES = 3;

/**
 * The newest approval of the head SHA from someone other than the author who can write to the
 * repository (on a public repository anyone can leave an approving review).
 */
async function findExceptionAcceptance(octokit: GitHubClient, target: RepoRef, facts: PullFacts, reviews: readonly ReviewFact[]): Promise<ExceptionAcceptance> {
  const candidates = acceptingReviews(reviews, facts).slice(0, MAX_ACCEPTANCE_CANDIDATES);
  for (const review of candidates) {
    const permission = await getCollaboratorPermission(octokit, { ...target, username: review.login });
    const role = roleFromPermission({ permission: permission.permission, role_name: permission.roleName });
    if (hasRole(role, "write")) return { kind: "accepted", by: review.login, reviewId: review.id, submittedAt: review.submittedAt ?? "" };
  }
  return { kind: "awaiting", author: facts.author, headSha: facts.headSha };
}
