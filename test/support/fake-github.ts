// A local stand-in for GitHub's REST API on 127.0.0.1, for end-to-end tests and benchmarks that run
// real processes (`probot run`, `node action/dist/index.js`). Routes are plain tables; every request is
// recorded so tests can assert what arrived. Serves both `/api/v3/...` (GHE_HOST mode) and bare paths.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: unknown;
  at: number;
}

export interface RouteResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteRequest extends RecordedRequest {
  params: Record<string, string>;
}

export interface Route {
  method: string;
  /** Express-style pattern: `/repos/:owner/:repo/pulls/:pull_number`. A trailing `*` param takes the rest. */
  path: string;
  handle(req: RouteRequest): RouteResponse | Promise<RouteResponse>;
}

/**
 * What a fault hook may do to one request (fault tests): answer instead of the route, "hang" (never
 * answer), "lose-response" (run the route, then drop the connection: GitHub did the write but the
 * client never hears), `{ delayMs }` (answer normally, late), or undefined (answer normally).
 */
export type Fault = RouteResponse | "hang" | "lose-response" | { delayMs: number } | undefined;
export type FaultInjector = (req: RecordedRequest) => Fault | Promise<Fault>;

export interface FakeGitHub {
  url: string;
  port: number;
  requests: RecordedRequest[];
  routes: Route[];
  fault: FaultInjector | undefined;
  close(): Promise<void>;
}

export function installationTokenRoute(): Route {
  return {
    method: "POST",
    path: "/app/installations/:installation_id/access_tokens",
    handle: ({ params }) => ({
      status: 201,
      body: {
        token: `ghs_fake_installation_token_${params.installation_id}`,
        expires_at: new Date(Date.now() + 3600_000).toISOString(),
        permissions: { checks: "write", pull_requests: "read", contents: "read", metadata: "read" },
        repository_selection: "all",
      },
    }),
  };
}

export async function startFakeGitHub(routes: Route[], options: { fault?: FaultInjector } = {}): Promise<FakeGitHub> {
  const requests: RecordedRequest[] = [];
  const hanging = new Set<ServerResponse>();
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = url.pathname.replace(/^\/api\/v3(?=\/)/, "");
    let body: unknown = raw;
    if (raw && (req.headers["content-type"] ?? "").includes("json")) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    const recorded: RecordedRequest = { method: req.method ?? "GET", path, query: url.searchParams, headers: req.headers, body, at: Date.now() };
    requests.push(recorded);
    try {
      const injected = fake.fault ? await fake.fault(recorded) : undefined;
      if (injected === "hang") {
        hanging.add(res);
        return;
      }
      if (typeof injected === "object" && "delayMs" in injected) await new Promise((r) => setTimeout(r, injected.delayMs));
      const response = (typeof injected === "object" && "status" in injected ? injected : undefined) ?? (await dispatchRoute(fake.routes, recorded));
      if (injected === "lose-response") {
        res.socket?.destroy();
        return;
      }
      // Routes write `Link` host-relative; GitHub's are absolute URLs a client follows as given.
      const link = response.headers?.link;
      if (link) {
        const base = `${fake.url}${(url.pathname.match(/^\/api\/v3(?=\/)/) ?? [""])[0]}`;
        response.headers = { ...response.headers, link: link.replaceAll("<http://127.0.0.1/", `<${base}/`) };
      }
      send(res, response);
    } catch (error) {
      send(res, { status: 500, body: { message: `fake GitHub route failed: ${(error as Error).message}` } });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const fake: FakeGitHub = {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    routes: [installationTokenRoute(), ...routes],
    fault: options.fault,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fake;
}

/** Serves one request from a route table (also used to back nock interceptors with the same routes). */
export async function dispatchRoute(routes: Route[], recorded: RecordedRequest): Promise<RouteResponse> {
  const match = routes
    .filter((route) => route.method === recorded.method)
    .map((route) => ({ route, params: compiledFor(route).match(recorded.path) }))
    .find((m) => m.params !== undefined);
  return match
    ? await match.route.handle({ ...recorded, params: match.params! })
    : { status: 404, body: { message: `Not Found (fake GitHub has no route for ${recorded.method} ${recorded.path})` } };
}

const compiledRoutes = new WeakMap<Route, ReturnType<typeof compile>>();

function compiledFor(route: Route) {
  let compiled = compiledRoutes.get(route);
  if (!compiled) compiledRoutes.set(route, (compiled = compile(route.path)));
  return compiled;
}

function send(res: ServerResponse, response: RouteResponse) {
  const headers: Record<string, string> = { "x-github-request-id": "FAKE", ...response.headers };
  if (response.body === undefined) {
    res.writeHead(response.status, headers);
    res.end();
    return;
  }
  const isText = typeof response.body === "string";
  headers["content-type"] ??= isText ? "text/plain; charset=utf-8" : "application/json; charset=utf-8";
  res.writeHead(response.status, headers);
  res.end(isText ? (response.body as string) : JSON.stringify(response.body));
}

function compile(pattern: string) {
  const names: string[] = [];
  const source = pattern
    .split("/")
    .map((segment) => {
      if (segment === "*") {
        names.push("rest");
        return "(.+)";
      }
      if (segment.startsWith(":")) {
        names.push(segment.slice(1));
        return "([^/]+)";
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/");
  const regex = new RegExp(`^${source}$`);
  return {
    match(path: string): Record<string, string> | undefined {
      const m = regex.exec(path);
      if (!m) return undefined;
      const params: Record<string, string> = {};
      names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1]!)));
      return params;
    },
  };
}

/** The GitHub App behind a bot account, as GitHub stamps it on what the bot writes (`performed_via_github_app`, a check run's `app`). */
export interface FakeApp {
  id: number;
  slug: string;
}

/** Who a token writes as, as GitHub stamps records: `creator`/`user`, `performed_via_github_app`, a check run's `app`. */
export interface FakeIdentity {
  login: string;
  type: "Bot" | "User";
  /** The app the token belongs to; null for a person's token (a PAT). */
  app: FakeApp | null;
}

/** The app the e2e tests run as (APP_ID 123). */
export const FAKE_APP: Readonly<FakeApp> = { id: 123, slug: "release-gate" };
/** GitHub Actions' app: what a workflow's GITHUB_TOKEN writes as. */
export const ACTIONS_APP: Readonly<FakeApp> = { id: 15368, slug: "github-actions" };

/**
 * Token conventions of the fake: `ghs_fake_installation_token_<id>` is the app's installation token,
 * `ghs_workflow…` a workflow's GITHUB_TOKEN, `ghs_app_<id>_<slug>` another app's installation token,
 * `ghp_<login>` a person's PAT. Anything else answers as an unknown person, `someone`.
 */
export function identityOf(headers: IncomingMessage["headers"] | Record<string, unknown>): FakeIdentity {
  const token = String(headers.authorization ?? "").replace(/^(token|bearer)\s+/i, "");
  if (token.startsWith("ghs_fake_installation_token")) return { login: `${FAKE_APP.slug}[bot]`, type: "Bot", app: { ...FAKE_APP } };
  if (token.startsWith("ghs_workflow")) return { login: `${ACTIONS_APP.slug}[bot]`, type: "Bot", app: { ...ACTIONS_APP } };
  const other = /^ghs_app_(\d+)_([a-z0-9-]+)$/.exec(token);
  if (other) return { login: `${other[2]}[bot]`, type: "Bot", app: { id: Number(other[1]), slug: other[2]! } };
  const pat = /^ghp_([A-Za-z0-9-]+)$/.exec(token);
  return { login: pat ? pat[1]! : "someone", type: "User", app: null };
}

/** `performed_via_github_app` as GitHub lists it on deployments and statuses. */
export function viaAppJson(identity: FakeIdentity) {
  return identity.app ? { id: identity.app.id, slug: identity.app.slug, name: identity.app.slug, owner: { login: "acme", id: 1 } } : null;
}

/** GitHub caps `per_page` at 100 (default 30) and pages with `Link: <…&page=n>; rel="next"`. */
export function paged<T>(items: readonly T[], query: URLSearchParams, path: string): { body: T[]; headers: Record<string, string> } {
  const perPage = Math.min(100, Math.max(1, Number(query.get("per_page") ?? 30) || 30));
  const page = Math.max(1, Number(query.get("page") ?? 1) || 1);
  const body = items.slice((page - 1) * perPage, page * perPage);
  const headers: Record<string, string> = {};
  if (page * perPage < items.length) {
    const next = new URLSearchParams(query);
    next.set("per_page", String(perPage));
    next.set("page", String(page + 1));
    headers.link = `<http://127.0.0.1${path}?${next.toString()}>; rel="next"`;
  }
  return { body, headers };
}

/**
 * Acts as another token against the fake (a writer's PAT, another app's installation token), so a
 * test can forge records the way a hostile writer would: through the same REST routes, stamped with
 * that token's identity.
 */
export function actAs(fake: Pick<FakeGitHub, "url">, token: string) {
  return async (method: string, path: string, body?: unknown): Promise<{ status: number; data: any }> => {
    const response = await fetch(`${fake.url}${path}`, {
      method,
      headers: { authorization: `token ${token}`, accept: "application/vnd.github+json", ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, data: text ? JSON.parse(text) : undefined };
  };
}
