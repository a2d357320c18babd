// Gathers the facts the readiness rules read, from the live PR (never the webhook's copy).
import { checkLimit, LIMITS } from "../core/limits.js";
import type { PullFacts } from "../core/rules/types.js";
import type { GitHubClient, RepoRef } from "./client.js";

/** A changed `.sql` file as the PR files listing gives it (the patch is kept for SQL files only). */
export interface ChangedSqlFile {
  path: string;
  status: string;
  additions: number;
  /** A renamed file's path on the base branch. */
  previousPath?: string;
  /** Absent when GitHub omits it (large diffs). */
  patch?: string;
}

export interface LivePull {
  facts: PullFacts;
  /** Changed SQL files, for the migration analysis. */
  sqlFiles: ChangedSqlFile[];
  state: "open" | "closed";
  merged: boolean;
  /** The commit a merged PR became on the base branch: what a post-merge rollout deploys. */
  mergeCommitSha: string | null;
  /** The base branch's commit the PR is based on: in the base repository whatever the head's fork. */
  baseSha: string;
  baseRepo: RepoRef;
  headRepo: RepoRef | undefined;
  changedFilesCount: number;
  /** When the PR last changed (body, labels, head...): orders verdicts computed concurrently. */
  updatedAt: string;
}

export async function getPullFacts(octokit: GitHubClient, ref: RepoRef & { pullNumber: number }): Promise<LivePull> {
  const { data: pull } = await octokit.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
    owner: ref.owner,
    repo: ref.repo,
    pull_number: ref.pullNumber,
  });
  const changedFiles: string[] = [];
  const sqlFiles: ChangedSqlFile[] = [];
  let listed = 0;
  const iterator = octokit.paginate.iterator("GET /repos/{owner}/{repo}/pulls/{pull_number}/files", {
    owner: ref.owner,
    repo: ref.repo,
    pull_number: ref.pullNumber,
    per_page: 100,
  });
  for await (const page of iterator) {
    for (const file of page.data) {
      listed++;
      recordChangedFile(file, { changedFiles, sqlFiles });
    }
    // GitHub's listing stops at 3,000 files as well; more pages would only cost memory.
    if (listed >= LIMITS.changedFiles.max) break;
  }
  const tooMany = pull.changed_files > listed ? checkLimit("changedFiles", pull.changed_files, "The PR's list of changed files") : undefined;
  return {
    facts: {
      number: pull.number,
      title: pull.title,
      body: pull.body ?? null,
      author: pull.user?.login ?? "",
      headSha: pull.head.sha,
      labels: pull.labels.map((l) => l.name ?? "").filter(Boolean),
      changedFiles,
      changedFilesTruncated: pull.changed_files > listed,
      ...(tooMany ? { overLimits: [tooMany] } : {}),
    },
    sqlFiles,
    state: pull.state === "open" ? "open" : "closed",
    merged: pull.merged === true,
    mergeCommitSha: pull.merge_commit_sha ?? null,
    baseSha: pull.base.sha,
    baseRepo: { owner: pull.base.repo.owner.login, repo: pull.base.repo.name },
    headRepo: pull.head.repo ? { owner: pull.head.repo.owner.login, repo: pull.head.repo.name } : undefined,
    changedFilesCount: pull.changed_files,
    updatedAt: pull.updated_at,
  };
}

/** Logins whose latest review on the PR approves it (a later "changes requested" or dismissal cancels). */
export async function listApprovers(octokit: GitHubClient, ref: RepoRef & { pullNumber: number }): Promise<string[]> {
  const reviews = await octokit.paginate("GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews", {
    owner: ref.owner,
    repo: ref.repo,
    pull_number: ref.pullNumber,
    per_page: 100,
  });
  const latest = new Map<string, string>();
  for (const review of reviews) {
    const login = review.user?.login;
    // COMMENTED reviews do not change an earlier approval or rejection.
    if (login && review.state !== "COMMENTED" && review.state !== "PENDING") latest.set(login, review.state);
  }
  return [...latest].filter(([, state]) => state === "APPROVED").map(([login]) => login);
}

/** A pull request as a commit's pull list gives it (the fields read here). */
export interface PullOfCommit {
  number: number;
  state: string;
  merged_at: string | null;
  body: string | null;
  head: { sha: string };
}

/**
 * The one commit→PR look-up: pull requests a commit belongs to, as head or as merge commit (merged
 * ones included; fork PRs only once merged). Reads: 1.
 */
export async function listPullsForCommit(octokit: GitHubClient, ref: RepoRef & { sha: string }): Promise<PullOfCommit[]> {
  const { data } = await octokit.request("GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls", {
    owner: ref.owner,
    repo: ref.repo,
    commit_sha: ref.sha,
  });
  return data;
}

/**
 * Open PRs whose head is this commit (check-suite events from forks carry no PR list). The commit's
 * PR list misses fork PRs, so the newest open PRs are searched as well when it finds none.
 */
export async function findOpenPullsForSha(octokit: GitHubClient, ref: RepoRef & { sha: string }): Promise<number[]> {
  const listed = await listPullsForCommit(octokit, ref);
  const direct = listed.filter((p) => p.state === "open" && p.head.sha === ref.sha).map((p) => p.number);
  if (direct.length > 0) return direct;
  const { data: open } = await octokit.request("GET /repos/{owner}/{repo}/pulls", {
    owner: ref.owner,
    repo: ref.repo,
    state: "open",
    sort: "updated",
    direction: "desc",
    per_page: 100,
  });
  return open.filter((p) => p.head.sha === ref.sha).map((p) => p.number);
}

/** The pull request a deployed commit was released from (merged first), with its body for the rollback contract. */
export async function findPullForCommit(octokit: GitHubClient, ref: RepoRef & { sha: string }): Promise<{ number: number; body: string | null } | undefined> {
  const listed = await listPullsForCommit(octokit, ref);
  const pull = listed.find((p) => p.merged_at) ?? listed[0];
  return pull ? { number: pull.number, body: pull.body } : undefined;
}

/** A changed file as GitHub's PR files and compare listings give it. */
export interface ListedFile {
  filename: string;
  status: string;
  additions: number;
  previous_filename?: string | undefined;
  patch?: string | undefined;
}

/** Adds one listed file to the changed paths (both names of a rename) and, for SQL, to the SQL files. */
export function recordChangedFile(file: ListedFile, into: { changedFiles: string[]; sqlFiles: ChangedSqlFile[] }): void {
  into.changedFiles.push(file.filename);
  // A rename moves risk too: `db/migrations/1.sql` renamed away still touches migrations.
  if (file.previous_filename) into.changedFiles.push(file.previous_filename);
  if (/\.sql$/i.test(file.filename)) {
    into.sqlFiles.push({
      path: file.filename,
      status: file.status,
      additions: file.additions,
      ...(file.previous_filename ? { previousPath: file.previous_filename } : {}),
      ...(file.patch ? { patch: file.patch } : {}),
    });
  }
}
