// The one in-memory Deployments store of the fake GitHub, shared by every e2e test: the app's
// commands, the no-server step and the bundled Action all create, list and mark deployments here.
// Strict where GitHub is: creator / performed_via_github_app from the token, 202 for `auto_merge` on
// a ref behind the default branch, 409 when required contexts are not green, `auto_inactive` only for
// prior non-transient, non-production deployments that had succeeded, filters and 100-a-page lists.
// Every deployment keeps its statuses newest first, with the real time each arrived (`at`), so tests
// can measure what happened when.
import { ACTIONS_APP, FAKE_APP, identityOf, paged, viaAppJson, type FakeIdentity, type Route, type RouteResponse } from "./fake-github.js";

/** A workflow's GITHUB_TOKEN: what the Action writes stage statuses as, and seeded records' default. */
export const ACTIONS_IDENTITY: FakeIdentity = { login: `${ACTIONS_APP.slug}[bot]`, type: "Bot", app: { ...ACTIONS_APP } };
/** The app's own installation token. */
export const APP_IDENTITY: FakeIdentity = { login: `${FAKE_APP.slug}[bot]`, type: "Bot", app: { ...FAKE_APP } };

export interface FakeDeploymentStatus {
  id: number;
  state: string;
  description: string;
  log_url: string;
  created_at: string;
  /** Real time of arrival (ms), for measurements; `created_at` follows the store's clock. */
  at: number;
  by: FakeIdentity;
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
  /** `transient_environment` / `production_environment` as created (GitHub's defaults when omitted). */
  transient: boolean;
  production: boolean;
  created_at: string;
  at: number;
  /** The request body as sent, for assertions on auto_merge and required_contexts. */
  request: Record<string, unknown>;
  statuses: FakeDeploymentStatus[];
  /** The token's identity that created it (GitHub's `creator` and `performed_via_github_app`). */
  by: FakeIdentity;
}

/** A commit status or check on a ref, as `required_contexts` sees it. */
export interface FakeContext {
  context: string;
  state: "success" | "pending" | "failure" | "error";
}

export interface FakeDeploymentsOptions {
  /** The store's clock for `created_at` (ISO); the real clock when omitted. */
  now?: () => string;
  /** The contexts (statuses, checks) on a ref; none when omitted. */
  contextsOf?: (owner: string, repo: string, ref: string) => FakeContext[];
}

export type DeploymentSeed = Pick<FakeDeployment, "owner" | "repo" | "sha" | "environment" | "payload"> &
  Partial<Pick<FakeDeployment, "id" | "ref" | "task" | "description" | "transient" | "production" | "by">> & {
    /** Oldest first; written by `by` (default: a workflow's token), with auto-inactive as GitHub applies it. */
    statuses?: string[];
    createdAt?: string;
  };

export class FakeDeployments {
  deployments: FakeDeployment[] = [];
  /**
   * `owner/repo@ref` of refs that already contain the default branch's latest commit. Any other ref
   * is behind, so a request with `auto_merge` (GitHub's default, true) is answered 202 and merges
   * instead of deploying, as GitHub does.
   */
  upToDate = new Set<string>();
  private nextId = 5000;

  constructor(private readonly options: FakeDeploymentsOptions = {}) {}

  private now(): string {
    return this.options.now?.() ?? new Date().toISOString();
  }

  add(seed: DeploymentSeed): FakeDeployment {
    const deployment: FakeDeployment = {
      id: seed.id ?? this.nextId++,
      owner: seed.owner,
      repo: seed.repo,
      sha: seed.sha,
      ref: seed.ref ?? seed.sha,
      task: seed.task ?? "deploy",
      environment: seed.environment,
      payload: seed.payload,
      description: seed.description ?? null,
      transient: seed.transient ?? false,
      production: seed.production ?? seed.environment === "production",
      created_at: seed.createdAt ?? this.now(),
      at: Date.now(),
      request: {},
      statuses: [],
      by: seed.by ?? ACTIONS_IDENTITY,
    };
    this.deployments.push(deployment);
    for (const state of seed.statuses ?? []) this.addStatus(deployment.id, state, "", seed.by ?? ACTIONS_IDENTITY);
    return deployment;
  }

  byId(id: number): FakeDeployment | undefined {
    return this.deployments.find((d) => d.id === id);
  }

  /** A release's deployments (payload `release`), oldest first. */
  deploymentsOf(owner: string, repo: string, release?: number): FakeDeployment[] {
    return this.deployments.filter((d) => d.owner === owner && d.repo === repo && (release === undefined || (d.payload as { release?: number } | null)?.release === release));
  }

  /**
   * What a stage runner does: report a deployment's state (as the workflow token unless told otherwise).
   * GitHub's `auto_inactive` (default true): a success adds `inactive` to every prior deployment of the
   * same repository and environment whose latest state is success, if it is non-transient and non-production.
   */
  addStatus(deploymentId: number, state: string, description = state, by: FakeIdentity = ACTIONS_IDENTITY, autoInactive = true, logUrl = ""): FakeDeploymentStatus {
    const deployment = this.byId(deploymentId);
    if (!deployment) throw new Error(`no deployment ${deploymentId}`);
    const status = this.status(state, description, logUrl, by);
    deployment.statuses.unshift(status);
    if (state === "success" && autoInactive) {
      for (const older of this.deployments) {
        if (older === deployment || older.owner !== deployment.owner || older.repo !== deployment.repo || older.environment !== deployment.environment) continue;
        if (older.transient || older.production || older.statuses[0]?.state !== "success") continue;
        older.statuses.unshift({ ...this.status("inactive", "", "", by), created_at: status.created_at });
      }
    }
    return status;
  }

  private status(state: string, description: string, logUrl: string, by: FakeIdentity): FakeDeploymentStatus {
    return { id: this.nextId++, state, description, log_url: logUrl, created_at: this.now(), at: Date.now(), by };
  }

  /** GitHub's checks before it creates a deployment: 202 (auto-merge) or 409 (required contexts). */
  private refuse(owner: string, repo: string, b: Record<string, any>): RouteResponse | undefined {
    if (b.auto_merge !== false && !this.upToDate.has(`${owner}/${repo}@${b.ref}`)) {
      return { status: 202, body: { message: `Auto-merged main into ${b.ref} on deployment.` } };
    }
    const contexts = this.options.contextsOf?.(owner, repo, b.ref) ?? [];
    // Omitted: every context on the ref must be green. A list: each named one must exist and be green.
    const required: string[] | undefined = Array.isArray(b.required_contexts) ? b.required_contexts : undefined;
    const failing =
      required === undefined
        ? contexts.filter((c) => c.state !== "success")
        : required.map((name) => contexts.find((c) => c.context === name) ?? { context: name, state: "missing" }).filter((c) => c.state !== "success");
    if (failing.length > 0) {
      return {
        status: 409,
        body: { message: `Conflict: Commit status checks failed for ${b.ref}.`, errors: [{ contexts: failing, resource: "Deployment", field: "required_contexts" }] },
      };
    }
    return undefined;
  }

  routes(): Route[] {
    const notFound: RouteResponse = { status: 404, body: { message: "Not Found" } };
    return [
      {
        method: "POST",
        path: "/repos/:owner/:repo/deployments",
        handle: ({ params, body, headers }) => {
          const b = body as Record<string, any>;
          if (typeof b.ref !== "string" || b.ref === "") return { status: 422, body: { message: "ref is required" } };
          const refused = this.refuse(params.owner!, params.repo!, b);
          if (refused) return refused;
          const deployment = this.add({
            owner: params.owner!,
            repo: params.repo!,
            sha: /^[0-9a-f]{40}$/.test(b.ref) ? b.ref : "f".repeat(40),
            ref: b.ref,
            task: b.task ?? "deploy",
            environment: b.environment ?? "production",
            payload: b.payload ?? {},
            description: b.description ?? null,
            ...(typeof b.transient_environment === "boolean" ? { transient: b.transient_environment } : {}),
            ...(typeof b.production_environment === "boolean" ? { production: b.production_environment } : {}),
            by: identityOf(headers),
          });
          deployment.request = b;
          return { status: 201, body: deploymentJson(deployment) };
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
            .reverse();
          const page = paged(list, query, path);
          return { status: 200, headers: page.headers, body: page.body.map(deploymentJson) };
        },
      },
      {
        method: "GET",
        path: "/repos/:owner/:repo/deployments/:deployment_id",
        handle: ({ params }) => {
          const d = this.byId(Number(params.deployment_id));
          return d && d.owner === params.owner && d.repo === params.repo ? { status: 200, body: deploymentJson(d) } : notFound;
        },
      },
      {
        method: "GET",
        path: "/repos/:owner/:repo/deployments/:deployment_id/statuses",
        handle: ({ params, query, path }) => {
          const d = this.byId(Number(params.deployment_id));
          if (!d || d.owner !== params.owner || d.repo !== params.repo) return notFound;
          const page = paged(d.statuses, query, path);
          return { status: 200, headers: page.headers, body: page.body.map((s) => statusJson(d, s)) };
        },
      },
      {
        method: "POST",
        path: "/repos/:owner/:repo/deployments/:deployment_id/statuses",
        handle: ({ params, body, headers }) => {
          const d = this.byId(Number(params.deployment_id));
          if (!d || d.owner !== params.owner || d.repo !== params.repo) return notFound;
          const b = body as Record<string, any>;
          const states = ["error", "failure", "inactive", "in_progress", "queued", "pending", "success"];
          if (!states.includes(b.state)) return { status: 422, body: { message: `state is not included in the list: ${states.join(", ")}` } };
          if (typeof b.description === "string" && b.description.length > 140) return { status: 422, body: { message: "description is too long (maximum is 140 characters)" } };
          const s = this.addStatus(d.id, b.state, b.description ?? "", identityOf(headers), b.auto_inactive !== false, b.log_url ?? b.target_url ?? "");
          return { status: 201, body: statusJson(d, s) };
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
    original_environment: d.environment,
    description: d.description,
    creator: { login: d.by.login, id: 41898282, type: d.by.type },
    performed_via_github_app: viaAppJson(d.by),
    transient_environment: d.transient,
    production_environment: d.production,
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
    repository_url: `http://127.0.0.1/repos/${d.owner}/${d.repo}`,
    creator: { login: s.by.login, id: 41898282, type: s.by.type },
    performed_via_github_app: viaAppJson(s.by),
  };
}
