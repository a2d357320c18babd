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
