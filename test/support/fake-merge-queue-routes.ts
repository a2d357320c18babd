// The merge queue's side of the fake GitHub: a commit graph per repository, the compare API over it
// and the commit→PR look-up, as strict as GitHub where it matters: unknown commits answer 404 (compare)
// or 422 (look-up), `per_page` caps at 100 with `Link` paging, a comparison lists at most 250 commits
// without paging and 300 files (on the first page only), and only PRs GitHub associates with a commit
// (its head, or commits on its branch) are listed.
import type { Route, RouteResponse } from "./fake-github.js";
import { pullJson, type FakePullFile, type FakeRepos } from "./fake-readiness-routes.js";

export interface FakeCommit {
  sha: string;
  /** First parent first; a merge commit's second parent is the merged branch's head. */
  parents: string[];
  message: string;
  /** What this commit changes, relative to its first parent (paths → how the files listing shows them). */
  files?: Record<string, FakePullFile>;
  /** PR numbers GitHub associates with this commit besides PRs whose head it is (commits on their branch). */
  pulls?: number[];
}

export class FakeMergeQueue {
  private commits = new Map<string, FakeCommit>();

  constructor(private readonly repos: FakeRepos) {}

  addCommit(owner: string, repo: string, commit: FakeCommit): FakeCommit {
    this.commits.set(`${owner}/${repo}@${commit.sha}`, commit);
    return commit;
  }

  private commit(owner: string, repo: string, sha: string): FakeCommit | undefined {
    return this.commits.get(`${owner}/${repo}@${sha}`);
  }

  /** Every commit reachable from `sha`, `sha` included. */
  private ancestors(owner: string, repo: string, sha: string): Set<string> {
    const seen = new Set<string>();
    const stack = [sha];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...(this.commit(owner, repo, next)?.parents ?? []));
    }
    return seen;
  }

  /** `git log base..head`, oldest first (parents before children). */
  private range(owner: string, repo: string, base: string, head: string): FakeCommit[] {
    const excluded = this.ancestors(owner, repo, base);
    const ordered: FakeCommit[] = [];
    const visited = new Set<string>();
    const visit = (sha: string) => {
      if (visited.has(sha) || excluded.has(sha)) return;
      visited.add(sha);
      const c = this.commit(owner, repo, sha);
      if (!c) return;
      for (const p of c.parents) visit(p);
      ordered.push(c);
    };
    visit(head);
    return ordered;
  }

  routes(): Route[] {
    return [
      {
        method: "GET",
        path: "/repos/:owner/:repo/compare/:basehead",
        handle: ({ params, query }) => this.compare(params.owner!, params.repo!, params.basehead!, query),
      },
      {
        method: "GET",
        path: "/repos/:owner/:repo/commits/:commit_sha/pulls",
        handle: ({ params, query }) => {
          const [owner, repo, sha] = [params.owner!, params.repo!, params.commit_sha!];
          const commit = this.commit(owner, repo, sha);
          const pulls = [...this.repos.pulls.values()].filter((p) => p.owner === owner && p.repo === repo);
          const heads = pulls.filter((p) => p.headSha === sha);
          if (!commit && heads.length === 0) return { status: 422, body: { message: `No commit found for SHA: ${sha}`, documentation_url: "https://docs.github.com/rest/commits/commits#list-pull-requests-associated-with-a-commit" } };
          const associated = pulls.filter((p) => p.headSha === sha || (commit?.pulls ?? []).includes(p.number));
          const perPage = Math.min(100, Number(query.get("per_page") ?? 30));
          return { status: 200, body: associated.slice(0, perPage).map(pullJson) };
        },
      },
    ];
  }

  private compare(owner: string, repo: string, basehead: string, query: URLSearchParams): RouteResponse {
    const m = /^([^.]+)\.\.\.([^.]+)$/.exec(basehead);
    if (!m) return { status: 404, body: { message: "Not Found" } };
    const [, base, head] = m as unknown as [string, string, string];
    if (!this.commit(owner, repo, base) || !this.commit(owner, repo, head)) return { status: 404, body: { message: "Not Found" } };
    const all = this.range(owner, repo, base, head);
    const paged = query.has("per_page") || query.has("page");
    const perPage = Math.min(100, Number(query.get("per_page") ?? 30));
    const page = Number(query.get("page") ?? 1);
    const listed = paged ? all.slice((page - 1) * perPage, page * perPage) : all.slice(-250);
    // The group's diff: each path as the newest commit in the range leaves it (enough for these tests).
    const files = new Map<string, FakePullFile>();
    for (const c of all) for (const [path, f] of Object.entries(c.files ?? {})) files.set(path, f);
    const fileList = [...files].slice(0, 300).map(([filename, f]) => ({
      sha: "0".repeat(40),
      filename,
      status: f.status,
      additions: f.additions,
      deletions: f.deletions,
      changes: f.additions + f.deletions,
      blob_url: `https://github.com/${owner}/${repo}/blob/${head}/${filename}`,
      raw_url: `https://github.com/${owner}/${repo}/raw/${head}/${filename}`,
      contents_url: `https://api.github.com/repos/${owner}/${repo}/contents/${filename}?ref=${head}`,
      ...(f.patch !== undefined ? { patch: f.patch } : {}),
      ...(f.previousFilename ? { previous_filename: f.previousFilename } : {}),
    }));
    const headers: Record<string, string> = {};
    if (paged && page * perPage < all.length) {
      headers.link = `<http://127.0.0.1/repos/${owner}/${repo}/compare/${basehead}?per_page=${perPage}&page=${page + 1}>; rel="next"`;
    }
    const commitJson = (c: FakeCommit) => ({
      sha: c.sha,
      node_id: `C_${c.sha}`,
      url: `https://api.github.com/repos/${owner}/${repo}/commits/${c.sha}`,
      html_url: `https://github.com/${owner}/${repo}/commit/${c.sha}`,
      commit: { message: c.message, tree: { sha: "1".repeat(40) }, author: null, committer: null, comment_count: 0 },
      parents: c.parents.map((sha) => ({ sha, url: `https://api.github.com/repos/${owner}/${repo}/commits/${sha}` })),
    });
    return {
      status: 200,
      headers,
      body: {
        url: `https://api.github.com/repos/${owner}/${repo}/compare/${basehead}`,
        html_url: `https://github.com/${owner}/${repo}/compare/${basehead}`,
        permalink_url: `https://github.com/${owner}/${repo}/compare/${basehead}`,
        diff_url: `https://github.com/${owner}/${repo}/compare/${basehead}.diff`,
        patch_url: `https://github.com/${owner}/${repo}/compare/${basehead}.patch`,
        base_commit: commitJson(this.commit(owner, repo, base)!),
        merge_base_commit: commitJson(this.commit(owner, repo, base)!),
        status: all.length > 0 ? "ahead" : "identical",
        ahead_by: all.length,
        behind_by: 0,
        total_commits: all.length,
        commits: listed.map(commitJson),
        ...(page === 1 ? { files: fileList } : {}),
      },
    };
  }
}
