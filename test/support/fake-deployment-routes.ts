// In-memory Deployments for the fake GitHub: create, read, list (by environment), statuses, and the
// pull requests of a commit, on the REST paths the Action uses. Every deployment keeps its statuses
// newest first, with the time each arrived, so tests can measure what happened when.
import { ACTIONS_APP, identityOf, paged, viaAppJson, type FakeIdentity, type Route } from "./fake-github.js";

/** Who seeded records were written by when a test does not say: a workflow's GITHUB_TOKEN. */
const WORKFLOW: FakeIdentity = { login: "github-actions[bot]", type: "Bot", app: { ...ACTIONS_APP } };

export interface FakeDeploymentStatus {
  id: number;
  state: string;
  description: string;
  log_url: string;
  created_at: string;
  at: number;
  by?: FakeIdentity;
}

export interface FakeDeployment {
  id: number;
  owner: string;
  repo: string;
  sha: string;
  ref: string;
  task: string;
  environment: string;
  payload: unknown;
  description: string | null;
  created_at: string;
  at: number;
  /** The request body as sent, for assertions on auto_merge and required_contexts. */
  request: Record<string, unknown>;
  statuses: FakeDeploymentStatus[];
  /** The token's identity that created it (GitHub's `creator` and `performed_via_github_app`). */
  by?: FakeIdentity;
}

export class FakeDeployments {
  deployments: FakeDeployment[] = [];
  /** `owner/repo@sha` → pull requests the commit belongs to. */
  pulls = new Map<string, Array<{ number: number; body: string | null; merged_at: string | null }>>();
  private nextId = 5000;

  add(d: Omit<FakeDeployment, "id" | "created_at" | "at" | "statuses" | "request" | "ref" | "task" | "description" | "by"> & { statuses?: string[]; createdAt?: string; by?: FakeIdentity }): FakeDeployment {
    const at = Date.now();
    const deployment: FakeDeployment = {
      ...d,
      id: this.nextId++,
      ref: d.sha,
      task: "deploy",
      description: null,
      created_at: d.createdAt ?? new Date(at).toISOString(),
      at,
      request: {},
      statuses: [],
    };
    for (const state of d.statuses ?? []) deployment.statuses.unshift(this.status(state, "", ""));
    this.deployments.push(deployment);
    return deployment;
  }

  byId(id: number): FakeDeployment | undefined {
    return this.deployments.find((d) => d.id === id);
  }

  private status(state: string, description: string, logUrl: string, by: FakeIdentity = WORKFLOW): FakeDeploymentStatus {
    const at = Date.now();
    return { id: this.nextId++, state, description, log_url: logUrl, created_at: new Date(at).toISOString(), at, by };
  }

  /**
   * GitHub's `auto_inactive` (default true): a success marks the older successful deployments of the
   * same environment `inactive`, but only for non-transient, non-production environments.
   */
  private autoInactivate(d: FakeDeployment, by: FakeIdentity) {
    const production = typeof d.request.production_environment === "boolean" ? d.request.production_environment : d.environment === "production";
    if (d.request.transient_environment === true || production) return;
    for (const older of this.deployments) {
      if (older === d || older.owner !== d.owner || older.repo !== d.repo || older.environment !== d.environment) continue;
      if (older.statuses[0]?.state === "success") older.statuses.unshift(this.status("inactive", "", "", by));
    }
  }

  routes(): Route[] {
    const notFound = { status: 404, body: { message: "Not Found" } };
    return [
      {
        method: "POST",
        path: "/repos/:owner/:repo/deployments",
        handle: ({ params, body, headers }) => {
          const b = body as Record<string, any>;
          if (typeof b.ref !== "string" || b.ref === "") return { status: 422, body: { message: "ref is required" } };
          const by = identityOf(headers);
          const at = Date.now();
          const d: FakeDeployment = {
            id: this.nextId++,
            owner: params.owner!,
            repo: params.repo!,
            sha: /^[0-9a-f]{40}$/.test(b.ref) ? b.ref : "f".repeat(40),
            ref: b.ref,
            task: b.task ?? "deploy",
            environment: b.environment ?? "production",
            payload: b.payload ?? {},
            description: b.description ?? null,
            created_at: new Date(at).toISOString(),
            at,
            request: b,
            statuses: [],
            by,
          };
          this.deployments.push(d);
          return { status: 201, body: deploymentJson(d) };
        },
      },
      {
        method: "GET",
        path: "/repos/:owner/:repo/deployments",
        handle: ({ params, query, path }) => {
          // GitHub's filters: sha, ref, task, environment (each exact); newest first.
          const wanted = (field: string, value: string) => query.get(field) === null || query.get(field) === value;
          const list = this.deployments
            .filter((d) => d.owner === params.owner && d.repo === params.repo)
            .filter((d) => wanted("environment", d.environment) && wanted("sha", d.sha) && wanted("ref", d.ref) && wanted("task", d.task))
            .sort((a, b) => b.at - a.at || b.id - a.id);
          const page = paged(list, query, path);
          return { status: 200, headers: page.headers, body: page.body.map(deploymentJson) };
        },
      },
      {
        method: "GET",
        path: "/repos/:owner/:repo/deployments/:deployment_id",
        handle: ({ params }) => {
          const d = this.byId(Number(params.deployment_id));
          return d ? { status: 200, body: deploymentJson(d) } : notFound;
        },
      },
      {
        method: "GET",
        path: "/repos/:owner/:repo/deployments/:deployment_id/statuses",
        handle: ({ params, query, path }) => {
          const d = this.byId(Number(params.deployment_id));
          if (!d) return notFound;
          const page = paged(d.statuses, query, path);
          return { status: 200, headers: page.headers, body: page.body.map((s) => statusJson(d, s)) };
        },
      },
      {
        method: "POST",
        path: "/repos/:owner/:repo/deployments/:deployment_id/statuses",
        handle: ({ params, body, headers }) => {
          const d = this.byId(Number(params.deployment_id));
          if (!d) return notFound;
          const b = body as Record<string, any>;
          if (typeof b.description === "string" && b.description.length > 140) return { status: 422, body: { message: "description is too long (maximum is 140 characters)" } };
          const by = identityOf(headers);
          const s = this.status(b.state, b.description ?? "", b.log_url ?? "", by);
          d.statuses.unshift(s);
          if (b.state === "success" && b.auto_inactive !== false) this.autoInactivate(d, by);
          return { status: 201, body: statusJson(d, s) };
        },
      },
      {
        method: "GET",
        path: "/repos/:owner/:repo/commits/:sha/pulls",
        handle: ({ params }) => {
          const pulls = this.pulls.get(`${params.owner}/${params.repo}@${params.sha}`) ?? [];
          return {
            status: 200,
            body: pulls.map((p) => ({ id: p.number, number: p.number, state: "closed", title: "release", body: p.body, merged_at: p.merged_at, user: { login: "octocat", id: 1 } })),
          };
        },
      },
    ];
  }
}

function deploymentJson(d: FakeDeployment) {
  return {
    id: d.id,
    node_id: `DE_${d.id}`,
    url: `http://127.0.0.1/repos/${d.owner}/${d.repo}/deployments/${d.id}`,
    sha: d.sha,
    ref: d.ref,
    task: d.task,
    payload: d.payload,
    environment: d.environment,
    description: d.description,
    creator: { login: (d.by ?? WORKFLOW).login, id: 41898282, type: (d.by ?? WORKFLOW).type },
    performed_via_github_app: viaAppJson(d.by ?? WORKFLOW),
    transient_environment: d.request.transient_environment === true,
    production_environment: typeof d.request.production_environment === "boolean" ? d.request.production_environment : d.environment === "production",
    created_at: d.created_at,
    updated_at: d.created_at,
    statuses_url: `http://127.0.0.1/repos/${d.owner}/${d.repo}/deployments/${d.id}/statuses`,
    repository_url: `http://127.0.0.1/repos/${d.owner}/${d.repo}`,
  };
}

function statusJson(d: FakeDeployment, s: FakeDeploymentStatus) {
  return {
    id: s.id,
    node_id: `DES_${s.id}`,
    state: s.state,
    description: s.description,
    environment: d.environment,
    log_url: s.log_url,
    target_url: s.log_url,
    created_at: s.created_at,
    updated_at: s.created_at,
    deployment_url: `http://127.0.0.1/repos/${d.owner}/${d.repo}/deployments/${d.id}`,
    creator: { login: (s.by ?? WORKFLOW).login, id: 41898282, type: (s.by ?? WORKFLOW).type },
    performed_via_github_app: viaAppJson(s.by ?? WORKFLOW),
  };
}
