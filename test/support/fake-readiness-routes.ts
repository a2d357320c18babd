// In-memory repositories for the fake GitHub: pull requests, their files and reviews, files on the
// default branch (config), and check runs, served on the REST paths the readiness check uses.
import { FAKE_APP, identityOf, paged, type Route, type RouteResponse } from "./fake-github.js";

export interface FakePull {
  owner: string;
  repo: string;
  number: number;
  title: string;
  body: string | null;
  headSha: string;
  labels: string[];
  files: string[];
  state?: "open" | "closed";
  merged?: boolean;
  /** A fork's owner: the head branch lives in `<headOwner>/<repo>`. */
  headOwner?: string;
  /** Set with merged: the commit on the base branch. */
  mergeCommitSha?: string;
  author?: string;
  /** The PR's updated_at; bump it when a test edits the PR. */
  updatedAt?: string;
  /** How the files listing shows a file; a file not named here is `modified` with one added line and no patch. */
  fileDetails?: Record<string, FakePullFile>;
  /** Reviews, oldest first, as GET /pulls/{n}/reviews lists them. */
  reviews?: FakeReview[];
  /** Commits, oldest first, as GET /pulls/{n}/commits lists them; one commit at the head when omitted. */
  commits?: Array<{ sha: string; date: string }>;
}

/** One entry of GET /pulls/{n}/files beyond its name. */
export interface FakePullFile {
  status: "added" | "removed" | "modified" | "renamed" | "copied" | "changed" | "unchanged";
  additions: number;
  deletions: number;
  /** GitHub omits the patch for large diffs and binary files. */
  patch?: string;
  previousFilename?: string;
}

export interface FakeReview {
  id: number;
  login: string;
  type?: "User" | "Bot";
  state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED";
  commitId: string;
  submittedAt: string;
}

export interface FakeCheckRun {
  id: number;
  owner: string;
  repo: string;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  external_id: string | null;
  output: { title?: string; summary?: string; annotations?: unknown[] };
  writes: number;
  /** The app that wrote it (from the token); seeded runs without one are the Release Gate app's. */
  app?: { id: number; slug: string };
}

export class FakeRepos {
  pulls = new Map<string, FakePull>();
  /** `owner/repo:path` (default branch) or `owner/repo:path@ref` → file text. */
  files = new Map<string, string>();
  checkRuns: FakeCheckRun[] = [];
  /** Account login → installation id, for the installation-listing endpoints. */
  installations = new Map<string, number>();
  private nextId = 1000;

  addInstallation(owner: string, id: number) {
    this.installations.set(owner, id);
  }

  addPull(pull: FakePull): FakePull {
    this.pulls.set(`${pull.owner}/${pull.repo}#${pull.number}`, pull);
    return pull;
  }

  setFile(owner: string, repo: string, path: string, text: string, ref?: string) {
    this.files.set(`${owner}/${repo}:${path}${ref ? `@${ref}` : ""}`, text);
  }

  runsFor(owner: string, repo: string, sha: string): FakeCheckRun[] {
    return this.checkRuns.filter((r) => r.owner === owner && r.repo === repo && r.head_sha === sha);
  }

  routes(): Route[] {
    const pullOr404 = (p: Record<string, string>): FakePull | RouteResponse => {
      const pull = this.pulls.get(`${p.owner}/${p.repo}#${p.pull_number}`);
      return pull ?? { status: 404, body: { message: "Not Found" } };
    };
    const isResponse = (x: FakePull | RouteResponse): x is RouteResponse => "status" in x;
    return [
      {
        method: "GET",
        path: "/app/installations",
        handle: ({ query, path }) => {
          const page = paged([...this.installations].map(([login, id]) => ({ id, account: { login, id, type: "Organization" }, app_id: 123 })), query, path);
          return { status: 200, headers: page.headers, body: page.body };
        },
      },
      {
        method: "GET",
        path: "/installation/repositories",
        handle: ({ headers, query, path }) => {
          const id = Number(/ghs_fake_installation_token_(\d+)/.exec(String(headers.authorization ?? ""))?.[1]);
          const owners = [...this.installations].filter(([, i]) => i === id).map(([login]) => login);
          const names = new Set([...this.pulls.values()].filter((p) => owners.includes(p.owner)).map((p) => `${p.owner}/${p.repo}`));
          const repositories = [...names].map((full, i) => {
            const [owner, name] = full.split("/");
            return { id: i + 1, name, full_name: full, owner: { login: owner, id: 1, type: "Organization" } };
          });
          // Like every GitHub list: at most 100 a page, the rest behind `Link: rel="next"`.
          const page = paged(repositories, query, path);
          return { status: 200, headers: page.headers, body: { total_count: repositories.length, repositories: page.body } };
        },
      },
      {
        method: "GET",
        path: "/repos/:owner/:repo/pulls",
        handle: ({ params, query, path }) => {
          const open = [...this.pulls.values()].filter((p) => p.owner === params.owner && p.repo === params.repo && (p.state ?? "open") === "open");
          // GitHub's order: `sort` created (default; the number stands for it) or updated, `direction` desc by default.
          const key = (p: FakePull) => (query.get("sort") === "updated" ? Date.parse(p.updatedAt ?? "2026-11-23T00:00:00Z") : p.number);
          open.sort((a, b) => (query.get("direction") === "asc" ? key(a) - key(b) : key(b) - key(a)));
          const page = paged(open.map(pullJson), query, path);
          return { status: 200, headers: page.headers, body: page.body };
        },
      },
      {
        method: "GET",
        path: "/repos/:owner/:repo/pulls/:pull_number",
        handle: ({ params }) => {
          const pull = pullOr404(params);
          return isResponse(pull) ? pull : { status: 200, body: pullJson(pull) };
        },
      },
      {
        method: "GET",
        path: "/repos/:owner/:repo",
        handle: ({ params }) => {
          const known = [...this.pulls.values()].some((p) => p.owner === params.owner && p.repo === params.repo);
          if (!known) return { status: 404, body: { message: "Not Found" } };
          const full = `${params.owner}/${params.repo}`;
          return {
            status: 200,
            body: { id: 1, name: params.repo, full_name: full, owner: { login: params.owner, id: 1, type: "Organization" }, private: false, html_url: `https://github.com/${full}`, default_branch: "main" },
          };
        },
      },
      {
        method: "GET",
        path: "/repos/:owner/:repo/pulls/:pull_number/commits",
        handle: ({ params, query, path }) => {
          const pull = pullOr404(params);
          if (isResponse(pull)) return pull;
          // Oldest first, at most 250 in all (GitHub's cap for this list), 100 a page.
          const commits = (pull.commits ?? [{ sha: pull.headSha, date: pull.updatedAt ?? "2026-11-23T00:00:00Z" }]).slice(0, 250);
          const page = paged(commits, query, path);
          return {
            status: 200,
            headers: page.headers,
            body: page.body.map((c) => ({
              sha: c.sha,
              node_id: `C_${c.sha.slice(0, 8)}`,
              html_url: `https://github.com/${pull.owner}/${pull.repo}/commit/${c.sha}`,
              commit: { message: "change", author: { name: "A", email: "a@example.com", date: c.date }, committer: { name: "A", email: "a@example.com", date: c.date } },
              parents: [],
            })),
          };
        },
      },
      {
        method: "GET",
        path: "/repos/:owner/:repo/pulls/:pull_number/files",
        handle: ({ params, query }) => {
          const pull = pullOr404(params);
          if (isResponse(pull)) return pull;
          const perPage = Number(query.get("per_page") ?? 30);
          const page = Number(query.get("page") ?? 1);
          const listed = pull.files.slice(0, 3000);
          const slice = listed.slice((page - 1) * perPage, page * perPage);
          const headers: Record<string, string> = {};
          if (page * perPage < listed.length) {
            headers.link = `<http://127.0.0.1/repos/${params.owner}/${params.repo}/pulls/${params.pull_number}/files?per_page=${perPage}&page=${page + 1}>; rel="next"`;
          }
          return { status: 200, headers, body: slice.map((filename) => fileJson(filename, pull.fileDetails?.[filename])) };
        },
      },
      {
        method: "GET",
        path: "/repos/:owner/:repo/pulls/:pull_number/reviews",
        handle: ({ params, query }) => {
          const pull = pullOr404(params);
          if (isResponse(pull)) return pull;
          // GitHub serves at most 100 per page and links the next one.
          const perPage = Math.min(100, Number(query.get("per_page") ?? 30));
          const page = Number(query.get("page") ?? 1);
          const reviews = pull.reviews ?? [];
          const headers: Record<string, string> = {};
          if (page * perPage < reviews.length) {
            headers.link = `<http://127.0.0.1/repos/${params.owner}/${params.repo}/pulls/${params.pull_number}/reviews?per_page=${perPage}&page=${page + 1}>; rel="next"`;
          }
          return { status: 200, headers, body: reviews.slice((page - 1) * perPage, page * perPage).map((r) => reviewJson(pull, r)) };
        },
      },
      {
        method: "GET",
        path: "/repos/:owner/:repo/contents/*",
        handle: ({ params, query, headers }) => {
          const ref = query.get("ref");
          const text = this.files.get(`${params.owner}/${params.repo}:${params.rest}${ref ? `@${ref}` : ""}`);
          if (text === undefined) return { status: 404, body: { message: "Not Found" } };
          if (/\.raw\b/.test(String(headers.accept ?? ""))) return { status: 200, body: text, headers: { "content-type": "text/plain; charset=utf-8" } };
          return { status: 200, body: contentsJson(params.owner!, params.repo!, params.rest!, text) };
        },
      },
      {
        method: "GET",
        path: "/repos/:owner/:repo/commits/:ref/check-runs",
        handle: ({ params, query, path }) => {
          const name = query.get("check_name");
          const appId = query.get("app_id");
          const runs = this.runsFor(params.owner!, params.repo!, params.ref!)
            .filter((r) => !name || r.name === name)
            .filter((r) => appId === null || (r.app ?? FAKE_APP).id === Number(appId))
            .slice()
            .reverse();
          const page = paged(runs, query, path);
          return { status: 200, headers: page.headers, body: { total_count: runs.length, check_runs: page.body.map(runJson) } };
        },
      },
      {
        method: "POST",
        path: "/repos/:owner/:repo/check-runs",
        handle: ({ params, body, headers }) => {
          const b = body as Record<string, any>;
          const identity = identityOf(headers);
          // Only GitHub Apps write check runs; a person's token is refused.
          if (!identity.app) return { status: 403, body: { message: "Resource not accessible by personal access token" } };
          const run: FakeCheckRun = {
            id: this.nextId++,
            owner: params.owner!,
            repo: params.repo!,
            name: b.name,
            head_sha: b.head_sha,
            status: b.status ?? "queued",
            conclusion: b.conclusion ?? null,
            external_id: b.external_id ?? null,
            output: b.output ?? {},
            writes: 1,
            app: identity.app,
          };
          this.checkRuns.push(run);
          return { status: 201, body: runJson(run) };
        },
      },
      {
        method: "PATCH",
        path: "/repos/:owner/:repo/check-runs/:check_run_id",
        handle: ({ params, body, headers }) => {
          const run = this.checkRuns.find((r) => r.id === Number(params.check_run_id));
          if (!run) return { status: 404, body: { message: "Not Found" } };
          // An app may update only its own runs.
          if (identityOf(headers).app?.id !== (run.app ?? FAKE_APP).id) return { status: 403, body: { message: "Resource not accessible by integration" } };
          const b = body as Record<string, any>;
          Object.assign(run, {
            status: b.status ?? run.status,
            conclusion: b.conclusion ?? run.conclusion,
            external_id: b.external_id ?? run.external_id,
            output: b.output ? { ...b.output, annotations: [...(run.output.annotations ?? []), ...(b.output.annotations ?? [])] } : run.output,
            writes: run.writes + 1,
          });
          return { status: 200, body: runJson(run) };
        },
      },
      {
        method: "GET",
        path: "/repos/:owner/:repo/commits/:sha/pulls",
        handle: ({ params, query, path }) => {
          // A PR's head commit, or the commit its merge made on the base branch; full PR objects, `head` included.
          const pulls = [...this.pulls.values()].filter(
            (p) => p.owner === params.owner && p.repo === params.repo && (p.headSha === params.sha || (p.merged && p.mergeCommitSha === params.sha)),
          );
          const page = paged(pulls.map(pullJson), query, path);
          return { status: 200, headers: page.headers, body: page.body };
        },
      },
    ];
  }
}

/** GitHub embeds the content only up to 1 MB; larger files come with an empty `content` and `encoding: "none"`. */
export const CONTENTS_INLINE_MAX_BYTES = 1_000_000;

/**
 * A nock reply for the contents API that answers like GitHub: the raw text for the raw media type,
 * else the object answer with `size` (and the base64 content up to 1 MB).
 */
export function contentsReply(path: string, text: string) {
  return function (this: { req: { headers: Record<string, string | string[] | undefined> } }): [number, unknown, Record<string, string>] {
    return /\.raw\b/.test(String(this.req.headers.accept ?? ""))
      ? [200, text, { "content-type": "text/plain; charset=utf-8" }]
      : [200, contentsJson("acme", "repo", path, text), { "content-type": "application/json; charset=utf-8" }];
  };
}

/** The contents API's object answer for a file, as GitHub gives it (base64 in 60-character lines). */
export function contentsJson(owner: string, repo: string, path: string, text: string) {
  const bytes = Buffer.from(text, "utf8");
  const inline = bytes.length <= CONTENTS_INLINE_MAX_BYTES;
  const url = `https://api.github.com/repos/${owner}/${repo}/contents/${path}`;
  return {
    type: "file",
    encoding: inline ? "base64" : "none",
    size: bytes.length,
    name: path.split("/").pop(),
    path,
    content: inline ? (bytes.toString("base64").match(/.{1,60}/g) ?? []).join("\n") : "",
    sha: "f".repeat(40),
    url,
    git_url: null,
    html_url: null,
    download_url: null,
    _links: { self: url, git: null, html: null },
  };
}

function fileJson(filename: string, details: FakePullFile | undefined) {
  const d = details ?? { status: "modified", additions: 1, deletions: 0 };
  return {
    sha: "0".repeat(40),
    filename,
    status: d.status,
    additions: d.additions,
    deletions: d.deletions,
    changes: d.additions + d.deletions,
    ...(d.patch !== undefined ? { patch: d.patch } : {}),
    ...(d.previousFilename ? { previous_filename: d.previousFilename } : {}),
  };
}

function reviewJson(pull: FakePull, review: FakeReview) {
  const url = `https://github.com/${pull.owner}/${pull.repo}/pull/${pull.number}`;
  return {
    id: review.id,
    node_id: `PRR_${review.id}`,
    user: { login: review.login, id: review.id, type: review.type ?? "User" },
    body: "",
    state: review.state,
    html_url: `${url}#pullrequestreview-${review.id}`,
    pull_request_url: `https://api.github.com/repos/${pull.owner}/${pull.repo}/pulls/${pull.number}`,
    author_association: "COLLABORATOR",
    submitted_at: review.submittedAt,
    commit_id: review.commitId,
    _links: { html: { href: `${url}#pullrequestreview-${review.id}` }, pull_request: { href: `https://api.github.com/repos/${pull.owner}/${pull.repo}/pulls/${pull.number}` } },
  };
}

function runJson(run: FakeCheckRun) {
  return {
    id: run.id,
    name: run.name,
    head_sha: run.head_sha,
    status: run.status,
    conclusion: run.conclusion,
    external_id: run.external_id,
    output: { title: run.output.title ?? null, summary: run.output.summary ?? null, annotations_count: run.output.annotations?.length ?? 0 },
    app: { ...(run.app ?? FAKE_APP), name: (run.app ?? FAKE_APP).slug },
    html_url: `https://github.com/${run.owner}/${run.repo}/runs/${run.id}`,
  };
}

export function pullJson(pull: FakePull) {
  const repo = { id: 1, name: pull.repo, full_name: `${pull.owner}/${pull.repo}`, owner: { login: pull.owner, id: 1, type: "Organization" } };
  return {
    id: pull.number,
    number: pull.number,
    state: pull.state ?? "open",
    title: pull.title,
    body: pull.body,
    html_url: `https://github.com/${pull.owner}/${pull.repo}/pull/${pull.number}`,
    user: { login: pull.author ?? "octocat", id: 583231, type: "User" },
    labels: pull.labels.map((name, i) => ({ id: i + 1, name })),
    merged: pull.merged ?? false,
    merged_at: pull.merged ? (pull.updatedAt ?? "2026-11-23T00:00:00Z") : null,
    merge_commit_sha: pull.mergeCommitSha ?? null,
    updated_at: pull.updatedAt ?? "2026-11-23T00:00:00Z",
    changed_files: pull.files.length,
    head: {
      sha: pull.headSha,
      ref: "feature",
      repo: pull.headOwner ? { ...repo, id: 2, full_name: `${pull.headOwner}/${pull.repo}`, owner: { login: pull.headOwner, id: 2, type: "User" } } : repo,
    },
    base: { sha: "b".repeat(40), ref: "main", repo },
  };
}
