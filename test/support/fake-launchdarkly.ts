// A local stand-in for LaunchDarkly's flag API, serving the shapes recorded in
// test/fixtures/launchdarkly/ (see its README for where they come from). Strict where LaunchDarkly
// is: the token is the whole Authorization header, a semantic patch needs its Content-Type and an
// environmentKey, rollout weights are variation ids summing to 100000, unknown instructions are 400.
// It applies the instructions it knows to the flag, so a test reads back what it wrote.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "launchdarkly");
export const ldFixture = (name: string): any => JSON.parse(readFileSync(join(fixtures, name), "utf8"));

const OPS = new Set(["in", "endsWith", "startsWith", "matches", "contains", "lessThan", "lessThanOrEqual", "greaterThan", "greaterThanOrEqual", "before", "after", "segmentMatch", "semVerEqual", "semVerLessThan", "semVerGreaterThan"]);

export interface LdRequest {
  method: string;
  path: string;
  query: string;
  headers: IncomingMessage["headers"];
  body: any;
  at: number;
}

export interface FakeLaunchDarkly {
  url: string;
  flag: any;
  requests: LdRequest[];
  /** Delay every answer by this long (ms), to measure or time out. */
  delayMs: number;
  close(): Promise<void>;
}

export async function startFakeLaunchDarkly(options: { token: string; project: string }): Promise<FakeLaunchDarkly> {
  const state: FakeLaunchDarkly = { url: "", flag: ldFixture("flag.json"), requests: [], delayMs: 0, close: async () => undefined };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const [path, query = ""] = (req.url ?? "").split("?");
      const text = Buffer.concat(chunks).toString("utf8");
      let body: any;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
      state.requests.push({ method: req.method ?? "", path: path!, query, headers: req.headers, body, at: Date.now() });
      setTimeout(() => answer(req, res, path!, query, body), state.delayMs);
    });
  });

  const send = (res: ServerResponse, status: number, json: unknown) => {
    res.writeHead(status, { "Content-Type": "application/json" });
    res.end(JSON.stringify(json));
  };
  const invalid = (res: ServerResponse, message: string) => send(res, 400, { ...ldFixture("error-invalid-request.json"), message });

  function answer(req: IncomingMessage, res: ServerResponse, path: string, query: string, body: any) {
    if (req.headers.authorization !== options.token) return send(res, 401, ldFixture("error-unauthorized.json"));
    if (path !== `/api/v2/flags/${options.project}/${state.flag.key}`) return send(res, 404, { code: "not_found", message: "Unknown resource" });
    if (req.method === "GET") {
      const env = new URLSearchParams(query).get("env");
      const flag = structuredClone(state.flag);
      if (env) flag.environments = Object.fromEntries(Object.entries(flag.environments).filter(([k]) => k === env));
      return send(res, 200, flag);
    }
    if (req.method !== "PATCH") return send(res, 405, { code: "method_not_allowed", message: "Method not allowed" });
    if (!String(req.headers["content-type"] ?? "").includes("domain-model=launchdarkly.semanticpatch")) {
      // Without the domain model the body is read as a JSON Patch (an array), which this is not.
      return invalid(res, "Invalid JSON Patch: expected an array of operations");
    }
    if (typeof body !== "object" || body === null || !Array.isArray(body.instructions) || body.instructions.length === 0) return invalid(res, "instructions: required");
    const env = state.flag.environments[body.environmentKey];
    if (!env) return invalid(res, `environmentKey: unknown environment ${JSON.stringify(body.environmentKey)}`);
    const next = structuredClone(env);
    const ids = new Map<string, number>(state.flag.variations.map((v: any, i: number) => [v._id, i]));
    const clauses = (list: any) => {
      if (!Array.isArray(list) || list.length === 0) throw new Error("clauses: required");
      return list.map((c: any) => {
        if (typeof c.attribute !== "string" || !OPS.has(c.op) || !Array.isArray(c.values)) throw new Error(`invalid clause ${JSON.stringify(c)}`);
        return { _id: randomUUID(), contextKind: c.contextKind ?? "user", attribute: c.attribute, op: c.op, negate: Boolean(c.negate), values: c.values };
      });
    };
    const rollout = (weights: any, bucketBy: unknown, contextKind: unknown) => {
      const entries = Object.entries(weights ?? {});
      if (entries.some(([id, w]) => !ids.has(id) || !Number.isInteger(w) || (w as number) < 0)) throw new Error("rolloutWeights: unknown variation id or weight");
      if (entries.reduce((s, [, w]) => s + (w as number), 0) !== 100_000) throw new Error("rolloutWeights: weights must sum to 100000");
      return { variations: entries.map(([id, weight]) => ({ variation: ids.get(id), weight })), ...(bucketBy ? { bucketBy } : {}), contextKind: contextKind ?? "user" };
    };
    try {
      for (const i of body.instructions) {
        switch (i.kind) {
          case "turnFlagOn":
            next.on = true;
            break;
          case "turnFlagOff":
            next.on = false;
            break;
          case "removeRule":
            next.rules = next.rules.filter((r: any) => r._id !== i.ruleId);
            break;
          case "addRule": {
            const rule: any = { _id: randomUUID(), clauses: clauses(i.clauses), trackEvents: false, ...(i.description ? { description: i.description } : {}) };
            if (i.variationId !== undefined) {
              if (!ids.has(i.variationId)) throw new Error("variationId: unknown variation");
              rule.variation = ids.get(i.variationId);
            } else rule.rollout = rollout(i.rolloutWeights, i.rolloutBucketBy, i.rolloutContextKind);
            const before = i.beforeRuleId ? next.rules.findIndex((r: any) => r._id === i.beforeRuleId) : -1;
            if (before >= 0) next.rules.splice(before, 0, rule);
            else next.rules.push(rule);
            break;
          }
          case "updateFallthroughVariationOrRollout":
            if (i.variationId !== undefined) {
              if (!ids.has(i.variationId)) throw new Error("variationId: unknown variation");
              next.fallthrough = { variation: ids.get(i.variationId) };
            } else next.fallthrough = { rollout: rollout(i.rolloutWeights, i.rolloutBucketBy, i.rolloutContextKind) };
            break;
          default:
            throw new Error(`unknown instruction kind ${JSON.stringify(i.kind)}`);
        }
      }
    } catch (error) {
      return invalid(res, (error as Error).message);
    }
    next.version += 1;
    next.lastModified = Date.now();
    state.flag.environments[body.environmentKey] = next;
    state.flag._version += 1;
    return send(res, 200, state.flag);
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () => new Promise((resolve) => server.close(() => resolve()));
  return state;
}
