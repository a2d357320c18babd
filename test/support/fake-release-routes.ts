// In-memory rollout state for the fake GitHub: comments and their reactions, collaborator roles,
// git refs (claims), issues, labels and protection-rule answers, served on the REST paths the
// `/release` commands use, plus the one Deployments store (fake-deployment-routes.ts) that the Action
// shares. Writes are atomic per request, as GitHub's are: a second reaction by the same app answers
// 200, a second ref with the same name answers 422.
import { ACTIONS_APP, FAKE_APP, identityOf, paged, viaAppJson, type FakeApp, type FakeIdentity, type Route, type RouteResponse } from "./fake-github.js";
import { ACTIONS_IDENTITY, APP_IDENTITY, FakeDeployments, type FakeContext, type FakeDeployment, type FakeDeploymentStatus } from "./fake-deployment-routes.js";
import type { FakeRepos } from "./fake-readiness-routes.js";

export { ACTIONS_IDENTITY, APP_IDENTITY, type FakeDeployment, type FakeDeploymentStatus };

export const APP_LOGIN = "release-gate[bot]";
/** Who writes with a workflow's GITHUB_TOKEN (no-server mode); tests use tokens starting `ghs_workflow`. */
export const WORKFLOW_LOGIN = "github-actions[bot]";

const accountIds = new Map<string, number>();
/** A stable, distinct account id per login, as GitHub's are (logins can be renamed; ids cannot). */
export function accountId(login: string): number {
  let id = accountIds.get(login);
  if (id === undefined) accountIds.set(login, (id = 10_001 + accountIds.size));
  return id;
}

/**
 * The app GitHub stamps on what a login writes: the one a test names (`given`, from a token or a
 * seed), else the app of a bot account (`<slug>[bot]`; the two bots the fake knows keep their ids).
 * People write as themselves.
 */
export function appOf(login: string, given?: FakeApp | null): FakeApp | null {
  if (given !== undefined) return given;
  if (login === APP_LOGIN) return { ...FAKE_APP };
  if (login === WORKFLOW_LOGIN) return { ...ACTIONS_APP };
  const slug = /^(.+)\[bot\]$/.exec(login)?.[1];
  return slug ? { id: 700_000 + accountId(login), slug } : null;
}

export interface FakeComment {
  id: number;
  owner: string;
  repo: string;
  issueNumber: number;
  body: string;
  user: { login: string; type: string; id: number };
  /** Stamped from the writer, never from the request body: who wrote it is not the writer's to say. */
  viaApp: FakeApp | null;
  updatedAt: string;
  /** Reactions by login → content. */
  reactions: { id: number; login: string; content: string }[];
  edits: number;
  createdAt: string;
}

/** Seeded records may name only a login; the two bots the fake knows get their app, as GitHub would stamp it. */
function identityFor(login: string): FakeIdentity {
  if (login === APP_LOGIN) return APP_IDENTITY;
  if (login === WORKFLOW_LOGIN) return ACTIONS_IDENTITY;
  return { login, type: login.endsWith("[bot]") ? "Bot" : "User", app: null };
}

export interface FakeIssue {
  number: number;
  owner: string;
  repo: string;
  title: string;
  body: string;
  labels: string[];
  /** Stamped from the token that opened it, never from the request. */
  user: FakeIdentity;
  /** GitHub's stamp; a test may seed an issue opened in the past (by the app, as the app would have). */
  createdAt: string;
  state: "open" | "closed";
}

/** A GitHub Release: the tag it names and who published it, stamped from the token. */
export interface FakeGitHubRelease {
  id: number;
  owner: string;
  repo: string;
  tag_name: string;
  target_commitish: string;
  name: string;
  body: string;
  draft: boolean;
  prerelease: boolean;
  created_at: string;
  by: FakeIdentity;
}

export class FakeRelease {
  comments: FakeComment[] = [];
  /** `owner/repo:login` → { permission, role_name }; anyone else is not a collaborator (404). */
  roles = new Map<string, { permission: string; role_name: string }>();
  refs = new Map<string, string>();
  /** The one Deployments store: on the fake's clock, with the repos' check runs as commit contexts. */
  readonly store: FakeDeployments;
  issues: FakeIssue[] = [];
  githubReleases: FakeGitHubRelease[] = [];
  protectionAnswers: { owner: string; repo: string; runId: number; body: any }[] = [];
  private nextId = 5000;
  private clock = Date.parse("2026-11-23T09:00:00Z");

  /**
   * `clock: "real"` stamps records with the real time (strictly increasing), for tests where a real
   * process (the Action) measures windows against the records; otherwise a synthetic clock.
   */
  constructor(
    private readonly repos: FakeRepos,
    private readonly options: { clock?: "synthetic" | "real" } = {},
  ) {
    this.store = new FakeDeployments({ now: () => this.now(), contextsOf: (owner, repo, ref) => checkContexts(repos, owner, repo, ref) });
  }

  get deployments(): FakeDeployment[] {
    return this.store.deployments;
  }

  /** Timestamps advance one second per write, so "newest first" orderings are strict. */
  now(): string {
    if (this.options.clock === "real") {
      this.clock = Math.max(Date.now(), this.clock + 1);
      return new Date(this.clock).toISOString();
    }
    this.clock += 1000;
    return new Date(this.clock).toISOString();
  }

  /** Sets the clock, e.g. to the real now so that an observation window is still running. */
  setClock(ms: number) {
    this.clock = ms;
  }

  /** Moves the clock, e.g. past an observation window. */
  advanceClock(ms: number) {
    this.clock += ms;
  }

  /** An issue as if `by` had opened it at `createdAt` (an app's removal issue from weeks ago). */
  seedIssue(issue: Omit<FakeIssue, "number" | "user" | "state" | "labels"> & { by: FakeIdentity | string; labels?: string[]; state?: "open" | "closed" }): FakeIssue {
    const { by, ...rest } = issue;
    const seeded: FakeIssue = { number: this.nextId++, labels: [], state: "open", ...rest, user: typeof by === "string" ? identityFor(by) : by };
    this.issues.push(seeded);
    return seeded;
  }

  setRole(owner: string, repo: string, login: string, role: "read" | "triage" | "write" | "maintain" | "admin") {
    const legacy = role === "maintain" ? "write" : role === "triage" ? "read" : role;
    this.roles.set(`${owner}/${repo}:${login}`, { permission: legacy, role_name: role });
  }

  addComment(owner: string, repo: string, issueNumber: number, body: string, user: { login: string; type?: string; app?: FakeApp | null }): FakeComment {
    const at = this.now();
    const comment: FakeComment = {
      id: this.nextId++,
      owner,
      repo,
      issueNumber,
      body,
      user: { login: user.login, type: user.type ?? (user.login.endsWith("[bot]") ? "Bot" : "User"), id: accountId(user.login) },
      viaApp: appOf(user.login, user.app),
      updatedAt: at,
      reactions: [],
      edits: 0,
      createdAt: at,
    };
    this.comments.push(comment);
    return comment;
  }

  /**
   * The gate's comments on a PR other than the release note it posts at 100% (release-record.ts):
   * the status comment, and any copy of it a test looks for.
   */
  statusComments(owner: string, repo: string, issueNumber: number, author = APP_LOGIN): FakeComment[] {
    return this.comments.filter(
      (c) => c.owner === owner && c.repo === repo && c.issueNumber === issueNumber && c.user.login === author && !c.body.startsWith("<!-- release-gate:release-record "),
    );
  }

  deploymentsOf(owner: string, repo: string, release?: number): FakeDeployment[] {
    return this.store.deploymentsOf(owner, repo, release);
  }

  /** What the Action does: report a stage's state (as the workflow token unless told otherwise). */
  addStatus(deploymentId: number, state: string, description = state, by: FakeIdentity | string = ACTIONS_IDENTITY, autoInactive = true): FakeDeploymentStatus {
    return this.store.addStatus(deploymentId, state, description, typeof by === "string" ? identityFor(by) : by, autoInactive);
  }

  routes(): Route[] {
    const user = (headers: Record<string, unknown>) => identityOf(headers).login;
    const notFound: RouteResponse = { status: 404, body: { message: "Not Found" } };
    return [
      ...this.store.routes(),
      {
        method: "POST",
        path: "/repos/:owner/:repo/issues/comments/:comment_id/reactions",
        handle: ({ params, body, headers }) => {
          const comment = this.comments.find((c) => c.id === Number(params.comment_id));
          if (!comment) return notFound;
          const login = user(headers);
          const content = (body as { content: string }).content;
          const existing = comment.reactions.find((r) => r.login === login && r.content === content);
          if (existing) return { status: 200, body: reactionJson(existing) };
          const reaction = { id: this.nextId++, login, content };
          comment.reactions.push(reaction);
          return { status: 201, body: reactionJson(reaction) };
        },
      },
      {
        method: "GET",
        path: "/repos/:owner/:repo/collaborators/:username/permission",
        handle: ({ params }) => {
          const role = this.roles.get(`${params.owner}/${params.repo}:${params.username}`);
          if (!role) return { status: 404, body: { message: `${params.username} is not a user` } };
          return { status: 200, body: { permission: role.permission, role_name: role.role_name, user: { login: params.username, type: "User" } } };
        },
      },
      {
        method: "GET",
        path: "/repos/:owner/:repo/issues/:issue_number/comments",
        handle: ({ params }) => ({
          status: 200,
          body: this.comments
            .filter((c) => c.owner === params.owner && c.repo === params.repo && c.issueNumber === Number(params.issue_number))
            .map(commentJson),
        }),
      },
      {
        method: "POST",
        path: "/repos/:owner/:repo/issues/:issue_number/comments",
        handle: ({ params, body, headers }) => {
          // The writer is the token's, never the request's to say.
          const writer = identityOf(headers);
          const comment = this.addComment(params.owner!, params.repo!, Number(params.issue_number), (body as { body: string }).body, writer);
          return { status: 201, body: commentJson(comment) };
        },
      },
      {
        method: "GET",
        path: "/repos/:owner/:repo/issues/comments/:comment_id",
        handle: ({ params }) => {
          const comment = this.comments.find((c) => c.id === Number(params.comment_id));
          return comment ? { status: 200, body: commentJson(comment) } : notFound;
        },
      },
      {
        method: "PATCH",
        path: "/repos/:owner/:repo/issues/comments/:comment_id",
        handle: ({ params, body }) => {
          const comment = this.comments.find((c) => c.id === Number(params.comment_id));
          if (!comment) return notFound;
          comment.body = (body as { body: string }).body;
          comment.edits++;
          comment.updatedAt = this.now();
          return { status: 200, body: commentJson(comment) };
        },
      },
      {
        method: "DELETE",
        path: "/repos/:owner/:repo/issues/comments/:comment_id",
        handle: ({ params }) => {
          const index = this.comments.findIndex((c) => c.id === Number(params.comment_id));
          if (index === -1) return notFound;
          this.comments.splice(index, 1);
          return { status: 204 };
        },
      },
      {
        method: "POST",
        path: "/repos/:owner/:repo/git/refs",
        handle: ({ params, body }) => {
          const { ref, sha } = body as { ref: string; sha: string };
          const key = `${params.owner}/${params.repo}:${ref}`;
          if (!/^refs\/.+\/.+/.test(ref)) return { status: 422, body: { message: "Reference name must start with 'refs' and have at least two slashes." } };
          if (this.refs.has(key)) return { status: 422, body: { message: "Reference already exists" } };
          this.refs.set(key, sha);
          return { status: 201, body: { ref, node_id: "R", url: `http://127.0.0.1/repos/${params.owner}/${params.repo}/git/${ref}`, object: { type: "commit", sha, url: "" } } };
        },
      },
      {
        method: "POST",
        path: "/repos/:owner/:repo/actions/runs/:run_id/deployment_protection_rule",
        handle: ({ params, body }) => {
          this.protectionAnswers.push({ owner: params.owner!, repo: params.repo!, runId: Number(params.run_id), body });
          return { status: 204 };
        },
      },
      {
        method: "POST",
        path: "/repos/:owner/:repo/issues",
        handle: ({ params, body, headers }) => {
          const b = body as Record<string, any>;
          if (typeof b.title !== "string" || b.title === "") return { status: 422, body: { message: "Validation Failed", errors: [{ resource: "Issue", code: "missing_field", field: "title" }] } };
          const issue: FakeIssue = {
            number: this.nextId++,
            owner: params.owner!,
            repo: params.repo!,
            title: b.title,
            body: b.body ?? "",
            labels: b.labels ?? [],
            user: identityOf(headers),
            createdAt: this.now(),
            state: "open",
          };
          this.issues.push(issue);
          return { status: 201, body: issueJson(issue) };
        },
      },
      {
        // GitHub lists pull requests as issues too (with a `pull_request` key); labels filter by all
        // names given, newest first unless asked otherwise, at most 100 a page.
        method: "GET",
        path: "/repos/:owner/:repo/issues",
        handle: ({ params, query, path }) => {
          const state = query.get("state") ?? "open";
          const wanted = (query.get("labels") ?? "").split(",").map((l) => l.trim().toLowerCase()).filter(Boolean);
          const creator = query.get("creator");
          const hasLabels = (labels: string[]) => wanted.every((w) => labels.some((l) => l.toLowerCase() === w));
          const issues = this.issues
            .filter((i) => i.owner === params.owner && i.repo === params.repo && (state === "all" || i.state === state) && hasLabels(i.labels))
            .filter((i) => !creator || i.user.login === creator)
            .map((i) => ({ createdAt: i.createdAt, number: i.number, json: issueJson(i) }));
          const pulls = [...this.repos.pulls.values()]
            .filter((p) => p.owner === params.owner && p.repo === params.repo && (state === "all" || (p.state ?? "open") === state) && hasLabels(p.labels))
            .filter((p) => !creator || (p.author ?? "octocat") === creator)
            .map((p) => ({ createdAt: "2026-11-01T00:00:00Z", number: p.number, json: pullAsIssueJson(p) }));
          const ascending = query.get("direction") === "asc";
          const all = [...issues, ...pulls].sort((a, b) => (ascending ? 1 : -1) * (a.createdAt.localeCompare(b.createdAt) || a.number - b.number));
          const page = paged(
            all.map((x) => x.json),
            query,
            path,
          );
          return { status: 200, body: page.body, headers: page.headers };
        },
      },
      {
        method: "GET",
        path: "/repos/:owner/:repo/releases",
        handle: ({ params, query, path }) => {
          const list = this.githubReleases.filter((r) => r.owner === params.owner && r.repo === params.repo).reverse();
          const page = paged(list.map(releaseJson), query, path);
          return { status: 200, headers: page.headers, body: page.body };
        },
      },
      {
        method: "POST",
        path: "/repos/:owner/:repo/releases",
        handle: ({ params, body, headers }) => {
          const b = body as Record<string, any>;
          if (typeof b.tag_name !== "string" || b.tag_name === "") return { status: 422, body: { message: "Validation Failed", errors: [{ resource: "Release", code: "missing_field", field: "tag_name" }] } };
          if (this.githubReleases.some((r) => r.owner === params.owner && r.repo === params.repo && r.tag_name === b.tag_name)) {
            return { status: 422, body: { message: "Validation Failed", errors: [{ resource: "Release", code: "already_exists", field: "tag_name" }] } };
          }
          if (typeof b.body === "string" && b.body.length > 125_000) return { status: 422, body: { message: "Validation Failed", errors: [{ resource: "Release", code: "custom", field: "body", message: "body is too long (maximum is 125000 characters)" }] } };
          const release: FakeGitHubRelease = {
            id: this.nextId++,
            owner: params.owner!,
            repo: params.repo!,
            tag_name: b.tag_name,
            target_commitish: b.target_commitish ?? "main",
            name: b.name ?? b.tag_name,
            body: b.body ?? "",
            draft: b.draft === true,
            prerelease: b.prerelease === true,
            created_at: this.now(),
            by: identityOf(headers),
          };
          this.githubReleases.push(release);
          return { status: 201, body: releaseJson(release) };
        },
      },
      {
        method: "POST",
        path: "/repos/:owner/:repo/issues/:issue_number/labels",
        handle: ({ params, body }) => {
          const target =
            this.repos.pulls.get(`${params.owner}/${params.repo}#${params.issue_number}`) ??
            this.issues.find((i) => i.owner === params.owner && i.repo === params.repo && i.number === Number(params.issue_number));
          if (!target) return notFound;
          for (const name of (body as { labels: string[] }).labels) if (!target.labels.includes(name)) target.labels.push(name);
          return { status: 200, body: target.labels.map((name, i) => ({ id: i + 1, name })) };
        },
      },
      {
        method: "DELETE",
        path: "/repos/:owner/:repo/issues/:issue_number/labels/:name",
        handle: ({ params }) => {
          const pull = this.repos.pulls.get(`${params.owner}/${params.repo}#${params.issue_number}`);
          if (!pull || !pull.labels.includes(params.name!)) return { status: 404, body: { message: "Label does not exist" } };
          pull.labels = pull.labels.filter((l) => l !== params.name);
          return { status: 200, body: pull.labels.map((name, i) => ({ id: i + 1, name })) };
        },
      },
    ];
  }
}

function issueJson(i: FakeIssue) {
  return {
    id: i.number,
    node_id: "I",
    number: i.number,
    title: i.title,
    body: i.body,
    state: i.state,
    labels: i.labels.map((name, n) => ({ id: n + 1, name, color: "ededed", default: false })),
    user: { login: i.user.login, id: accountId(i.user.login), type: i.user.type },
    html_url: `http://127.0.0.1/${i.owner}/${i.repo}/issues/${i.number}`,
    created_at: i.createdAt,
    updated_at: i.createdAt,
    performed_via_github_app: viaAppJson(i.user),
  };
}

function pullAsIssueJson(p: { owner: string; repo: string; number: number; title: string; body: string | null; labels: string[]; state?: string; author?: string }) {
  const login = p.author ?? "octocat";
  return {
    id: p.number,
    node_id: "PR",
    number: p.number,
    title: p.title,
    body: p.body,
    state: p.state ?? "open",
    labels: p.labels.map((name, n) => ({ id: n + 1, name, color: "ededed", default: false })),
    user: { login, id: accountId(login), type: "User" },
    html_url: `http://127.0.0.1/${p.owner}/${p.repo}/pull/${p.number}`,
    created_at: "2026-11-01T00:00:00Z",
    updated_at: "2026-11-01T00:00:00Z",
    performed_via_github_app: null,
    pull_request: { url: `http://127.0.0.1/repos/${p.owner}/${p.repo}/pulls/${p.number}`, html_url: `http://127.0.0.1/${p.owner}/${p.repo}/pull/${p.number}` },
  };
}

function releaseJson(r: FakeGitHubRelease) {
  return {
    id: r.id,
    node_id: `RE_${r.id}`,
    tag_name: r.tag_name,
    target_commitish: r.target_commitish,
    name: r.name,
    body: r.body,
    draft: r.draft,
    prerelease: r.prerelease,
    created_at: r.created_at,
    published_at: r.draft ? null : r.created_at,
    author: { login: r.by.login, id: accountId(r.by.login), type: r.by.type },
    html_url: `https://github.com/${r.owner}/${r.repo}/releases/tag/${encodeURIComponent(r.tag_name)}`,
    url: `http://127.0.0.1/repos/${r.owner}/${r.repo}/releases/${r.id}`,
    assets: [],
  };
}

function reactionJson(r: { id: number; login: string; content: string }) {
  return { id: r.id, node_id: "RE", content: r.content, user: { login: r.login, type: "Bot" }, created_at: "2026-11-23T09:00:00Z" };
}

function commentJson(c: FakeComment) {
  return {
    id: c.id,
    node_id: "IC",
    body: c.body,
    user: { login: c.user.login, id: c.user.id, type: c.user.type },
    html_url: `https://github.com/${c.owner}/${c.repo}/pull/${c.issueNumber}#issuecomment-${c.id}`,
    issue_url: `http://127.0.0.1/repos/${c.owner}/${c.repo}/issues/${c.issueNumber}`,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    performed_via_github_app: c.viaApp ? { id: c.viaApp.id, slug: c.viaApp.slug, name: c.viaApp.slug, owner: { login: "acme", id: 1, type: "Organization" } } : null,
  };
}

/** Check runs on a ref as commit contexts (`required_contexts`): green only when completed with success. */
function checkContexts(repos: FakeRepos, owner: string, repo: string, ref: string): FakeContext[] {
  return repos.runsFor(owner, repo, ref).map((run) => ({
    context: run.name,
    state: run.status !== "completed" ? "pending" : run.conclusion === "success" || run.conclusion === "neutral" || run.conclusion === "skipped" ? "success" : "failure",
  }));
}
