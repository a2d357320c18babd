// What a merge group holds: its commits and changed files (one compare read), and the PRs a commit
// belongs to (one read per commit looked up).
import type { GitHubClient, RepoRef } from "./client.js";
import { recordChangedFile, type ChangedSqlFile } from "./pull-facts.js";

export interface GroupCommit {
  sha: string;
  parents: string[];
  message: string;
}

export interface GroupDiff {
  /** Oldest first, as the compare API lists them (at most 250 without paging). */
  commits: GroupCommit[];
  totalCommits: number;
  /** Every changed path (a rename counts under both names). */
  changedFiles: string[];
  sqlFiles: ChangedSqlFile[];
  /** GitHub lists at most 300 files of a comparison. */
  filesListed: number;
}

/** GitHub's own cap on the files of one comparison. */
export const COMPARE_FILES_MAX = 300;

export async function compareGroup(octokit: GitHubClient, ref: RepoRef & { baseSha: string; headSha: string }): Promise<GroupDiff> {
  const { data } = await octokit.request("GET /repos/{owner}/{repo}/compare/{basehead}", {
    owner: ref.owner,
    repo: ref.repo,
    basehead: `${ref.baseSha}...${ref.headSha}`,
  });
  const changedFiles: string[] = [];
  const sqlFiles: ChangedSqlFile[] = [];
  for (const file of data.files ?? []) recordChangedFile(file, { changedFiles, sqlFiles });
  return {
    commits: data.commits.map((c) => ({ sha: c.sha, parents: c.parents.map((p) => p.sha), message: c.commit.message })),
    totalCommits: data.total_commits,
    changedFiles,
    sqlFiles,
    filesListed: data.files?.length ?? 0,
  };
}

export interface CommitPull {
  number: number;
  state: string;
  headSha: string;
  baseRef: string;
}

/** The PRs GitHub associates with a commit (open and merged ones, for a commit off the default branch). */
export async function pullsOfCommit(octokit: GitHubClient, ref: RepoRef & { sha: string }): Promise<CommitPull[]> {
  const { data } = await octokit.request("GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls", {
    owner: ref.owner,
    repo: ref.repo,
    commit_sha: ref.sha,
    per_page: 100,
  });
  return data.map((p) => ({ number: p.number, state: p.state, headSha: p.head.sha, baseRef: p.base.ref }));
}
