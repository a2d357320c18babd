// The `Release readiness` run on a merge group's head: the group's PRs found from its commits, each
// judged as its own check would (same rules, config from the default branch, live PR body), and the
// group's migrations analysed together. One write, on the group's head SHA; a redelivery or a re-run
// updates the same run.
//
// Reads per group event: 1 compare + 1 per commit on the group's first-parent chain (≤ MAX_GROUP_COMMITS)
// + the config (1-2) + 2 per PR (the PR and its files) + 1 lookup of the group's run; more only for
// what the PR check itself would read (a migration file that is not new, approvals on high-risk paths,
// the PR's own run when it fails, for an approved override) and, when two or more PRs change
// migrations, one per group migration file that is not new.
import { renderEvaluationError, type CheckReport } from "../../core/render/readiness-report.js";
import { renderMergeGroupReport } from "../../core/render/merge-group-report.js";
import { combinedMigrationConflicts, decideMergeGroup, type GroupConflict, type GroupProblem, type GroupPull } from "../../core/rules/merge-group.js";
import { pathMatcher } from "../../core/rules/match-paths.js";
import type { ReviewFact } from "../../core/rules/sql-exceptions.js";
import type { MigrationReport } from "../../core/sql/analyse-migrations.js";
import { findReadinessRun, upsertReadinessRun } from "../../github/check-runs.js";
import type { GitHubClient, RepoRef } from "../../github/client.js";
import { COMPARE_FILES_MAX, compareGroup, pullsOfCommit, type GroupDiff } from "../../github/merge-group.js";
import { readMigrationSources } from "../../github/migration-sources.js";
import { getPullFacts } from "../../github/pull-facts.js";
import { listReviews } from "../../github/reviews.js";
import { loadConfig, type ConfigPluginClient, type LoadedConfig } from "../load-config.js";
import type { Logger } from "../logger.js";
import { serialized } from "../serialize.js";
import { evaluatePull } from "./run-readiness.js";
import { analyseSql } from "./sql-analysis.js";
import { describe } from "./write-evaluation-failure.js";

/** Commits of the group's first-parent chain whose PRs are looked up (one read each). */
export const MAX_GROUP_COMMITS = 20;
/** PRs judged per group (two reads each, at least); GitHub's queue builds groups of up to 100. */
export const MAX_GROUP_PULLS = 10;

export interface MergeGroupTarget extends RepoRef {
  /** This gate's app id: only its own runs are read or updated (core/identity.ts). */
  appId: number;
  baseSha: string;
  headSha: string;
  /** `refs/heads/gh-readonly-queue/<base>/pr-<n>-<sha>` or the bare branch name. */
  headRef: string;
  /** The branch the queue merges into (`refs/heads/main` or `main`); absent on a re-run. */
  baseRef?: string | undefined;
  /** The repository's web address, for the PR links (GitHub Enterprise has its own host). */
  repoUrl?: string | undefined;
  /** The PR number the group's run is keyed by, when known (a re-run passes its run's). */
  runPull?: number | undefined;
}

export type MergeGroupOutcome = {
  kind: "written";
  checkRunId: number;
  created: boolean;
  conclusion: "success" | "failure";
  pulls: number[];
  toPull: number[];
};

/** `gh-readonly-queue/main/pr-12-<sha>` names the PR whose queue entry this group is. */
export function queuedPullFromRef(headRef: string): number | undefined {
  const m = /(?:^|\/)gh-readonly-queue\/.+\/pr-(\d{1,9})-[0-9a-f]{40}$/.exec(headRef);
  return m ? Number(m[1]) : undefined;
}

/** The base branch a queue ref targets: `refs/heads/gh-readonly-queue/<base>/pr-…` → `<base>`. */
function baseFromQueueRef(headRef: string): string | undefined {
  return /(?:^|\/)gh-readonly-queue\/(.+)\/pr-\d{1,9}-[0-9a-f]{40}$/.exec(headRef)?.[1];
}

/** Group evaluations of one head run one at a time, so a redelivery racing the first never makes a second run. */
export function runMergeGroup(octokit: GitHubClient & ConfigPluginClient, target: MergeGroupTarget, log: Logger): Promise<MergeGroupOutcome> {
  return serialized(`${target.owner}/${target.repo}@group:${target.headSha}`, async () => {
    let runPull = target.runPull ?? queuedPullFromRef(target.headRef);
    try {
      const found = await findGroupPulls(octokit, target);
      runPull ??= found.pulls[0];
      const loaded = await loadConfig(octokit, target);
      const judged = await Promise.all(found.pulls.slice(0, MAX_GROUP_PULLS).map((n) => judgePull(octokit, target, n, loaded, log)));
      const problems = [...found.problems];
      if (found.pulls.length > MAX_GROUP_PULLS) problems.push({ kind: "too-many-pulls", pulls: found.pulls.length, max: MAX_GROUP_PULLS });
      const conflicts = await groupMigrationConflicts(octokit, target, found.diff, judged, loaded, problems, log);
      const verdict = decideMergeGroup(
        judged.map((j) => j.pull),
        conflicts,
        problems,
      );
      const report = renderMergeGroupReport(verdict, target, loaded.source);
      const written = await writeGroupRun(octokit, target, runPull, report);
      log.info(
        { group: target.headSha, base: target.baseSha, pulls: found.pulls, conclusion: report.conclusion, checkRunId: written.id, created: written.created },
        `Release readiness (merge group): ${report.title}`,
      );
      return {
        kind: "written",
        checkRunId: written.id,
        created: written.created,
        conclusion: report.conclusion,
        pulls: judged.map((j) => j.pull.number),
        toPull: verdict.kind === "ready" ? [] : verdict.toPull,
      };
    } catch (error) {
      // The queue waits for this run: a failed "not evaluated" run ends the wait with a reason.
      if (runPull !== undefined) {
        await writeGroupRun(octokit, target, runPull, renderEvaluationError(describe(error))).catch((again: unknown) =>
          log.warn({ err: again, group: target.headSha }, "Release readiness (merge group): could not write the failed run either"),
        );
      }
      throw new Error(`readiness evaluation of merge group ${target.headSha} failed: ${describe(error)}`, { cause: error });
    }
  });
}

async function writeGroupRun(octokit: GitHubClient, target: MergeGroupTarget, pullNumber: number | undefined, report: CheckReport) {
  // Without any PR there is nothing to name in the run's id; 1 keeps the id well-formed.
  const number = pullNumber ?? 1;
  const ref = { owner: target.owner, repo: target.repo, appId: target.appId, headSha: target.headSha, pullNumber: number };
  const existing = await findReadinessRun(octokit, ref);
  return upsertReadinessRun(octokit, { ...ref, existingId: existing?.id, groupBase: target.baseSha, buttons: false }, report);
}

interface FoundPulls {
  diff: GroupDiff;
  /** In group order, oldest first; the queued PR last. */
  pulls: number[];
  problems: GroupProblem[];
}

/**
 * Walks the group's first-parent chain from its head to its base: each step is one queue entry's
 * commit (a merge commit, whose second parent is the PR's head; or a squashed or rebased commit).
 * GitHub's commit→PR look-up names the PR; a commit it does not associate falls back to the PR
 * number in its message (`(#12)`, `Merge pull request #12`), which only ever adds a PR to judge.
 */
async function findGroupPulls(octokit: GitHubClient, target: MergeGroupTarget): Promise<FoundPulls> {
  const diff = await compareGroup(octokit, target);
  const bySha = new Map(diff.commits.map((c) => [c.sha, c]));
  const chain = [];
  for (let c = bySha.get(target.headSha); c && chain.length <= diff.commits.length; c = c.parents[0] ? bySha.get(c.parents[0]) : undefined) chain.push(c);
  const problems: GroupProblem[] = [];
  const looked = chain.slice(0, MAX_GROUP_COMMITS);
  if (chain.length > looked.length || diff.totalCommits > diff.commits.length) {
    problems.push({ kind: "too-many-commits", commits: Math.max(chain.length, diff.totalCommits), max: MAX_GROUP_COMMITS });
  }
  const base = target.baseRef?.replace(/^refs\/heads\//, "") ?? baseFromQueueRef(target.headRef);
  const perCommit = await Promise.all(
    looked.map(async (commit) => {
      const sha = commit.parents.length >= 2 ? commit.parents[1]! : commit.sha;
      const pulls = await pullsOfCommit(octokit, { owner: target.owner, repo: target.repo, sha });
      const open = pulls.filter((p) => p.state === "open" && (base === undefined || p.baseRef === base)).map((p) => p.number);
      if (open.length > 0) return { commit, numbers: open };
      const hinted = /\(#(\d{1,9})\)\s*$/m.exec(commit.message.split("\n", 1)[0] ?? "") ?? /^Merge pull request #(\d{1,9})\b/.exec(commit.message);
      return { commit, numbers: hinted ? [Number(hinted[1])] : [] };
    }),
  );
  const unattributed = perCommit.filter((c) => c.numbers.length === 0).map((c) => c.commit.sha);
  if (unattributed.length > 0) problems.push({ kind: "unattributed-commits", shas: unattributed });
  const ordered = [...perCommit].reverse().flatMap((c) => c.numbers);
  const queued = queuedPullFromRef(target.headRef);
  if (queued !== undefined) ordered.push(queued);
  // Oldest first; the queued PR (named by the queue's own ref) last.
  const pulls = [...new Set(ordered.reverse())].reverse();
  return { diff, pulls, problems };
}

interface JudgedPull {
  pull: GroupPull;
  migrationReport: MigrationReport | undefined;
  changedFiles: string[];
}

async function judgePull(octokit: GitHubClient, target: MergeGroupTarget, pullNumber: number, loaded: LoadedConfig, log: Logger): Promise<JudgedPull> {
  const ref = { owner: target.owner, repo: target.repo, appId: target.appId, pullNumber };
  const live = await getPullFacts(octokit, ref);
  const url = `${(target.repoUrl ?? `https://github.com/${target.owner}/${target.repo}`).replace(/\/$/, "")}/pull/${pullNumber}`;
  const base = { number: pullNumber, title: live.facts.title, url };
  if (live.state !== "open") {
    return { pull: { ...base, verdict: { kind: "not-open", state: live.merged ? "merged" : "closed" } }, migrationReport: undefined, changedFiles: live.facts.changedFiles };
  }
  let reviews: Promise<ReviewFact[]> | undefined;
  const { report } = await evaluatePull(octokit, ref, live, loaded, log, () => (reviews ??= listReviews(octokit, ref)));
  const judged = { migrationReport: live.facts.migrationReport, changedFiles: live.facts.changedFiles };
  if (report.conclusion === "success") return { pull: { ...base, verdict: { kind: "ready", title: report.title } }, ...judged };
  // An override approved on the PR's head holds in the queue too; it lives on the PR's own run.
  const own = await findReadinessRun(octokit, { ...ref, headSha: live.facts.headSha });
  if (own?.override) return { pull: { ...base, verdict: { kind: "overridden", title: report.title, approver: own.override.approver } }, ...judged };
  return { pull: { ...base, verdict: { kind: "not-ready", title: report.title } }, ...judged };
}

/**
 * The group's migrations analysed together, at the group's head. Only a combination of two or more
 * PRs' migrations can conflict; one PR's alone are exactly what its own check analysed.
 */
async function groupMigrationConflicts(
  octokit: GitHubClient,
  target: MergeGroupTarget,
  diff: GroupDiff,
  judged: readonly JudgedPull[],
  loaded: LoadedConfig,
  problems: GroupProblem[],
  log: Logger,
): Promise<GroupConflict[]> {
  if (!loaded.ok || !loaded.config.migrations.analyse) return [];
  const settings = loaded.config.migrations;
  const isMigration = pathMatcher(settings.paths);
  const owners = new Map<string, number>();
  const changing = new Set<number>();
  for (const j of judged) {
    for (const path of j.changedFiles) {
      if (!/\.sql$/i.test(path) || !isMigration(path)) continue;
      owners.set(path, j.pull.number);
      changing.add(j.pull.number);
    }
  }
  if (changing.size < 2) return [];
  if (diff.filesListed >= COMPARE_FILES_MAX) problems.push({ kind: "files-truncated", listed: diff.filesListed });
  const files = diff.sqlFiles.filter((f) => isMigration(f.path)).slice(0, settings["max-files"]);
  const { sources } = await readMigrationSources(octokit, { owner: target.owner, repo: target.repo, headSha: target.headSha }, files);
  const unreadable = sources.filter((s) => s.text === undefined).map((s) => s.path);
  if (unreadable.length > 0) problems.push({ kind: "migrations-unreadable", paths: unreadable });
  const report = await analyseSql(
    {
      sources,
      dialect: settings.dialect,
      rules: settings.rules,
      requireDown: settings["require-down"],
      changedFiles: diff.changedFiles,
      context: { postgresVersion: settings["postgres-version"], transaction: settings.transaction },
    },
    log,
  );
  return combinedMigrationConflicts(
    report,
    judged.map((j) => j.migrationReport),
    owners,
    settings["fail-on-advisory"],
  );
}
