// Request shapes of the Unleash driver, against a local HTTP server that answers the few Admin API
// routes the driver uses the way Unleash 7.5 does (shapes taken from the real server: see
// test/e2e/flag-unleash.test.ts), and records every request.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { FlagDriverError } from "../../src/core/flags/driver.js";
import { toCohort } from "../../src/core/flags/cohort-definition.js";
import { ROLLOUT_TITLE, cohortTitle, unleashDriver } from "../../src/flags/unleash.js";

interface Recorded {
  method: string;
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: unknown;
}

interface Strategy {
  id: string;
  name: string;
  title?: string | null;
  disabled?: boolean;
  constraints: unknown[];
  parameters: Record<string, string>;
}

const TOKEN = "*:*.secret-admin-token";
const OPERATORS = ["IN", "NOT_IN", "STR_ENDS_WITH", "STR_STARTS_WITH", "STR_CONTAINS"];

/** One flag `checkout-v2` in project `default`, environments `development` and `production`. */
class FakeUnleash {
  readonly requests: Recorded[] = [];
  environments = new Map<string, { enabled: boolean; strategies: Strategy[] }>([
    ["development", { enabled: false, strategies: [] }],
    ["production", { enabled: false, strategies: [] }],
  ]);
  /** Answer the next request with this instead (status, raw body). */
  failNext: { status: number; body: string } | undefined;
  delayMs = 0;
  private nextId = 1;
  private server!: Server;
  url = "";

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req).then(({ status, body }) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body));
    }));
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }

  add(env: string, strategy: Omit<Strategy, "id">): Strategy {
    const created = { id: `s-${this.nextId++}`, ...strategy };
    this.environments.get(env)!.strategies.push(created);
    return created;
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body?: unknown }> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const body = text ? (JSON.parse(text) as unknown) : undefined;
    const path = req.url!;
    this.requests.push({ method: req.method!, path, authorization: req.headers.authorization, contentType: req.headers["content-type"], body });
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs).unref());
    if (this.failNext) {
      const { status, body: raw } = this.failNext;
      this.failNext = undefined;
      return { status, body: raw };
    }
    if (req.headers.authorization !== TOKEN) return { status: 401, body: { name: "UnauthorizedError", message: "You must log in to use Unleash.", details: [{ message: "You must log in to use Unleash." }] } };
    const feature = "/api/admin/projects/default/features/checkout-v2";
    if (!path.startsWith(feature)) {
      return { status: 404, body: { name: "NotFoundError", message: `There's no feature named "${path.split("/")[6]}" in project "default".` } };
    }
    if (req.method === "GET" && path === feature) {
      return {
        status: 200,
        body: {
          name: "checkout-v2",
          project: "default",
          environments: [...this.environments].map(([name, e], i) => ({ name, enabled: e.enabled, type: name, sortOrder: i, strategies: e.strategies.map((s, j) => ({ ...s, sortOrder: j, segments: [], variants: [] })) })),
        },
      };
    }
    const match = /^\/environments\/([^/]+)\/(on|off|strategies)(?:\/([^/]+))?$/.exec(path.slice(feature.length));
    const env = match && this.environments.get(decodeURIComponent(match[1]!));
    if (!match || !env) return { status: 404, body: { name: "NotFoundError", message: `Could not find environment for feature: checkout-v2` } };
    const [, , verb, id] = match;
    if (verb === "on" || verb === "off") {
      if (req.method !== "POST") return { status: 405 };
      // Unleash adds the project's default strategy (100 % of everyone) when enabling an empty environment.
      if (verb === "on" && env.strategies.length === 0) env.strategies.push({ id: `s-${this.nextId++}`, name: "flexibleRollout", constraints: [], parameters: { rollout: "100", stickiness: "default", groupId: "checkout-v2" } });
      env.enabled = verb === "on";
      return { status: 200 };
    }
    if (req.method === "POST" || req.method === "PUT") {
      const invalid = invalidStrategy(body);
      if (invalid) return { status: 400, body: { name: "BadDataError", message: "Request validation failed: your request body or params contain invalid data. Refer to the `details` list for more information.", details: [{ message: invalid }] } };
    }
    if (req.method === "POST" && !id) {
      return { status: 200, body: this.add(decodeURIComponent(match[1]!), body as Omit<Strategy, "id">) };
    }
    const index = env.strategies.findIndex((s) => s.id === id);
    if (index < 0) return { status: 404, body: { name: "NotFoundError", message: `Could not find strategy with id ${id}` } };
    if (req.method === "PUT") {
      env.strategies[index] = { ...(body as Strategy), id: id! };
      return { status: 200, body: env.strategies[index] };
    }
    if (req.method === "DELETE") {
      env.strategies.splice(index, 1);
      return { status: 200 };
    }
    return { status: 405 };
  }
}

/** The checks Unleash's own request validation makes on the fields the driver sends. */
function invalidStrategy(body: unknown): string | undefined {
  const s = body as Partial<Strategy> | undefined;
  if (!s || typeof s.name !== "string") return "The `name` property is required.";
  for (const [k, v] of Object.entries(s.parameters ?? {})) if (typeof v !== "string") return `The \`parameters.${k}\` property must be string.`;
  for (const c of (s.constraints ?? []) as { operator?: string; contextName?: string; values?: unknown }[]) {
    if (!c.contextName) return "The `contextName` property is required.";
    if (!OPERATORS.includes(c.operator ?? "")) return `The \`operator\` property must be equal to one of the allowed values. You provided "${c.operator}".`;
  }
  return undefined;
}

const internal = toCohort("internal", { attribute: "email", "ends-with": "@acme.com" });
const beta = toCohort("beta", { attribute: "plan", in: ["beta", "early-access"] });
const vip = toCohort("vip", { attribute: "tenantId", equals: "tenant-42" });
const feature = "/api/admin/projects/default/features/checkout-v2";
const strategies = `${feature}/environments/production/strategies`;

let fake: FakeUnleash;
const driver = (overrides: Partial<Parameters<typeof unleashDriver>[0]> = {}) =>
  unleashDriver({ url: fake.url, project: "default", key: "checkout-v2", environment: "production", token: TOKEN, ...overrides });
const calls = () => fake.requests.map((r) => `${r.method} ${r.path}`);

beforeEach(async () => {
  fake = new FakeUnleash();
  await fake.start();
});
afterEach(() => fake.stop());

describe("unleashDriver request shapes", () => {
  it("switches an off flag on only after its strategies exist: one per cohort at 100 %, then the rollout", async () => {
    const change = await driver().setRollout({ cohorts: [internal, beta, vip], percent: 10, stickiness: "userId" });

    expect(calls()).toEqual([`GET ${feature}`, `POST ${strategies}`, `POST ${strategies}`, `POST ${strategies}`, `POST ${strategies}`, `POST ${feature}/environments/production/on`, `GET ${feature}`]);
    for (const r of fake.requests) expect(r.authorization).toBe(TOKEN);
    for (const r of fake.requests.filter((r) => r.body !== undefined)) expect(r.contentType).toBe("application/json");
    const cohort = (title: string, constraint: object) => ({
      name: "flexibleRollout",
      title,
      disabled: false,
      constraints: [{ inverted: false, caseInsensitive: false, ...constraint }],
      parameters: { rollout: "100", stickiness: "default", groupId: "checkout-v2" },
    });
    expect(fake.requests.slice(1, 5).map((r) => r.body)).toEqual([
      cohort("release-gate: cohort internal", { contextName: "email", operator: "STR_ENDS_WITH", values: ["@acme.com"] }),
      cohort("release-gate: cohort beta", { contextName: "plan", operator: "IN", values: ["beta", "early-access"] }),
      cohort("release-gate: cohort vip", { contextName: "tenantId", operator: "IN", values: ["tenant-42"] }),
      { name: "flexibleRollout", title: ROLLOUT_TITLE, disabled: false, constraints: [], parameters: { rollout: "10", stickiness: "userId", groupId: "checkout-v2" } },
    ]);
    // Not Unleash's default 100 % strategy: the environment was switched on with ours in place.
    expect(fake.environments.get("production")!.strategies).toHaveLength(4);
    expect(change).toEqual({ provider: "unleash", key: "checkout-v2", from: { on: false }, to: { on: true, percent: 10, cohorts: ["beta", "internal", "vip"] } });
  });

  it("10 → 50 % is one PUT of its rollout strategy; others' strategies and other environments are never written", async () => {
    const prod = fake.environments.get("production")!;
    prod.enabled = true;
    const foreign = fake.add("production", { name: "flexibleRollout", title: "ops: partner preview", constraints: [], parameters: { rollout: "100", stickiness: "default", groupId: "p" } });
    const cohortOwn = fake.add("production", { name: "flexibleRollout", title: cohortTitle("internal"), disabled: false, constraints: [{ contextName: "email", operator: "STR_ENDS_WITH", values: ["@acme.com"], inverted: false, caseInsensitive: false }], parameters: { rollout: "100", stickiness: "default", groupId: "checkout-v2" } });
    const rollout = fake.add("production", { name: "flexibleRollout", title: ROLLOUT_TITLE, disabled: false, constraints: [], parameters: { rollout: "10", stickiness: "userId", groupId: "checkout-v2" } });
    // Someone's plain default strategy titled nothing, and a look-alike of another kind: not ours.
    const untitled = fake.add("production", { name: "default", constraints: [], parameters: {} });
    const lookalike = fake.add("production", { name: "userWithId", title: ROLLOUT_TITLE, constraints: [], parameters: { userIds: "a" } });
    const dev = fake.add("development", { name: "flexibleRollout", title: ROLLOUT_TITLE, constraints: [], parameters: { rollout: "3", stickiness: "userId", groupId: "checkout-v2" } });

    const change = await driver().setRollout({ cohorts: [internal], percent: 50, stickiness: "userId" });

    expect(calls()).toEqual([`GET ${feature}`, `PUT ${strategies}/${rollout.id}`, `GET ${feature}`]);
    expect(fake.requests[1]!.body).toEqual({ name: "flexibleRollout", title: ROLLOUT_TITLE, disabled: false, constraints: [], parameters: { rollout: "50", stickiness: "userId", groupId: "checkout-v2" } });
    expect(prod.strategies.map((s) => s.id)).toEqual([foreign.id, cohortOwn.id, rollout.id, untitled.id, lookalike.id]);
    expect(fake.environments.get("development")!.strategies).toEqual([dev]);
    expect(change.from).toEqual({ on: true, percent: 10, cohorts: ["internal"] });
    expect(change.to).toEqual({ on: true, percent: 50, cohorts: ["internal"] });
  });

  it("removes only its own strategies it no longer wants (a dropped cohort, a duplicate), after adding the new ones", async () => {
    fake.environments.get("production")!.enabled = true;
    const oldCohort = fake.add("production", { name: "flexibleRollout", title: cohortTitle("beta"), constraints: [{ contextName: "plan", operator: "IN", values: ["beta"] }], parameters: { rollout: "100", stickiness: "default", groupId: "checkout-v2" } });
    const rollout = fake.add("production", { name: "flexibleRollout", title: ROLLOUT_TITLE, constraints: [], parameters: { rollout: "20", stickiness: "userId", groupId: "checkout-v2" } });
    const duplicate = fake.add("production", { name: "flexibleRollout", title: ROLLOUT_TITLE, constraints: [], parameters: { rollout: "90", stickiness: "userId", groupId: "checkout-v2" } });

    const change = await driver().setRollout({ cohorts: [internal], percent: 20, stickiness: "userId" });

    expect(calls()).toEqual([`GET ${feature}`, `POST ${strategies}`, `DELETE ${strategies}/${oldCohort.id}`, `DELETE ${strategies}/${duplicate.id}`, `GET ${feature}`]);
    expect(fake.environments.get("production")!.strategies.map((s) => s.title)).toEqual([ROLLOUT_TITLE, cohortTitle("internal")]);
    expect(fake.environments.get("production")!.strategies[0]!.id).toBe(rollout.id);
    expect(change.to).toEqual({ on: true, percent: 20, cohorts: ["internal"] });
  });

  it("turnOff is one POST …/off between two reads, strategies kept for the next attempt", async () => {
    const prod = fake.environments.get("production")!;
    prod.enabled = true;
    fake.add("production", { name: "flexibleRollout", title: ROLLOUT_TITLE, constraints: [], parameters: { rollout: "50", stickiness: "userId", groupId: "checkout-v2" } });

    const change = await driver().turnOff();

    expect(calls()).toEqual([`GET ${feature}`, `POST ${feature}/environments/production/off`, `GET ${feature}`]);
    expect(fake.requests[1]!.body).toBeUndefined();
    expect(change).toEqual({ provider: "unleash", key: "checkout-v2", from: { on: true, percent: 50 }, to: { on: false, percent: 50 } });
    expect(prod.strategies).toHaveLength(1);
  });

  it("reads state without writing, and encodes names into the path", async () => {
    expect(await driver().read()).toEqual({ on: false });
    await expect(driver({ project: "team a/b", key: "new flag" }).read()).rejects.toThrow(FlagDriverError);
    expect(calls()).toEqual([`GET ${feature}`, "GET /api/admin/projects/team%20a%2Fb/features/new%20flag"]);
  });

  it("accepts the server URL with a trailing /api or slash", async () => {
    await driver({ url: `${fake.url}/api/` }).read();
    await driver({ url: `${fake.url}/` }).read();
    expect(calls()).toEqual([`GET ${feature}`, `GET ${feature}`]);
  });
});

describe("unleashDriver errors", () => {
  it("names the flag and repeats the server's message and details", async () => {
    fake.failNext = { status: 400, body: JSON.stringify({ name: "BadDataError", message: "Request validation failed.", details: [{ message: "The `rollout` property must be a string." }] }) };
    await expect(driver().read()).rejects.toThrow(
      new FlagDriverError("unleash", "checkout-v2", `GET ${feature} failed with 400: Request validation failed. The \`rollout\` property must be a string.`),
    );
  });

  it("answers 401 with a hint about the token, and never shows the token, even when the server echoes it", async () => {
    await expect(driver({ token: "*:*.wrong" }).read()).rejects.toThrow(/401: You must log in to use Unleash\. \(is `token` an Admin API token of this server\?\)/);
    fake.failNext = { status: 403, body: JSON.stringify({ message: `token ${TOKEN} may not update feature flags` }) };
    const message = await driver().turnOff().then(
      () => "",
      (e: Error) => e.message,
    );
    expect(message).toContain("403: token *** may not update feature flags");
    expect(message).toContain("change requests");
    expect(message).not.toContain("secret-admin-token");
  });

  it("says when the environment is not on the flag, and lists the ones that are", async () => {
    await expect(driver({ environment: "staging" }).read()).rejects.toThrow('unleash flag "checkout-v2": environment "staging" is not enabled in project "default" (the flag has: development, production)');
  });

  it("turns a proxy's HTML error page into its first words, and a non-feature answer into a schema error", async () => {
    fake.failNext = { status: 502, body: "<html>Bad Gateway</html>" };
    await expect(driver().read()).rejects.toThrow(`GET ${feature} failed with 502: <html>Bad Gateway</html>`);
    fake.failNext = { status: 200, body: JSON.stringify({ features: [] }) };
    await expect(driver().read()).rejects.toThrow(/the Admin API's answer for the flag is not a feature/);
  });

  it("gives up on a silent server after timeoutMs, and on a closed port at once", async () => {
    fake.delayMs = 2_000;
    await expect(driver({ timeoutMs: 200 }).read()).rejects.toThrow(`could not reach Unleash at ${fake.url} (GET ${feature}): no answer within 0.2 s`);
    fake.delayMs = 0;
    const closed = fake.url;
    await fake.stop();
    await expect(unleashDriver({ url: closed, project: "default", key: "checkout-v2", environment: "production", token: TOKEN }).read()).rejects.toThrow(/could not reach Unleash at .*ECONNREFUSED/);
    await fake.start();
  });

  it("refuses a percent Unleash cannot serve, before any request", async () => {
    for (const percent of [0.5, 2.5, -1, 101]) {
      await expect(driver().setRollout({ cohorts: [], percent, stickiness: "userId" })).rejects.toThrow(`Unleash's flexible rollout serves whole percents from 0 to 100, not ${percent}`);
    }
    expect(fake.requests).toEqual([]);
  });

  it("refuses settings it cannot use, naming the field", () => {
    expect(() => unleashDriver({ url: "ftp://unleash", project: "default", key: "k", environment: "production", token: TOKEN })).toThrow(/unleash flag "k": invalid settings: .*http\(s\) URL[\s\S]*url/);
    expect(() => unleashDriver({ url: "https://unleash.example.com", project: "", key: "k", environment: "production", token: "" })).toThrow(/project id[\s\S]*Admin API token/);
  });
});
