import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { prometheusQueryUrl, redact, sampleGate } from "../../src/action/sample-gate.js";
import { gateSchema } from "../../src/core/config/schema.js";

let server: Server;
let base: string;
const routes: Record<string, { status: number; body: string }> = {};
let lastAuthorization: string | undefined;

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    lastAuthorization = req.headers.authorization;
    const route = routes[url.pathname] ?? { status: 404, body: "not found" };
    if (url.pathname === "/api/v1/query") route.body = JSON.stringify({ status: "success", data: { resultType: "vector", result: [{ metric: {}, value: [1, url.searchParams.get("query")!.length.toString()] }] } });
    res.writeHead(route.status, { "content-type": "application/json" }).end(route.body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

const gate = (g: Record<string, unknown>) => gateSchema.parse({ name: "g", max: 1, ...g });
const options = { timeoutMs: 2000, env: { RELEASE_PERCENT: "7" } };

describe("sampleGate", () => {
  it("queries Prometheus' instant-query endpoint with the query", async () => {
    routes["/api/v1/query"] = { status: 200, body: "" };
    expect(await sampleGate(gate({ prometheus: { url: base, query: "up == 1" } }), options)).toEqual({ kind: "value", value: 7 });
  });

  it("reads a JSON document by path, and treats HTTP errors as missing", async () => {
    routes["/metrics.json"] = { status: 200, body: JSON.stringify({ data: { errors: "0.25" } }) };
    routes["/broken"] = { status: 503, body: "down" };
    expect(await sampleGate(gate({ http: { url: `${base}/metrics.json`, path: "data.errors" } }), options)).toEqual({ kind: "value", value: 0.25 });
    expect(await sampleGate(gate({ http: { url: `${base}/broken`, path: "a" } }), options)).toMatchObject({ kind: "missing", reason: "request-failed", detail: `GET ${base}/broken answered HTTP 503` });
  });

  it("is missing, not a crash, when nothing listens", async () => {
    const reading = await sampleGate(gate({ http: { url: "http://127.0.0.1:1/x", path: "a" } }), options);
    expect(reading).toMatchObject({ kind: "missing", reason: "request-failed" });
  });

  it("runs a command with the stage's variables and reads the number it prints", async () => {
    expect(await sampleGate(gate({ command: 'echo "$RELEASE_PERCENT"' }), options)).toEqual({ kind: "value", value: 7 });
    expect(await sampleGate(gate({ command: "echo oops >&2; exit 4" }), options)).toEqual({ kind: "missing", reason: "command-failed", detail: "the command exited with 4: oops" });
    expect(await sampleGate(gate({ command: "sleep 5" }), { ...options, timeoutMs: 200 })).toMatchObject({ kind: "missing", reason: "command-failed" });
  });
});

describe("credentials in a gate URL", () => {
  it("are sent as HTTP Basic authentication (fetch refuses them in the URL)", async () => {
    routes["/api/v1/query"] = { status: 200, body: "" };
    const url = base.replace("http://", "http://metrics-user:p%40ss@");
    expect(await sampleGate(gate({ prometheus: { url, query: "up" } }), options)).toEqual({ kind: "value", value: 2 });
    expect(lastAuthorization).toBe(`Basic ${Buffer.from("metrics-user:p@ss").toString("base64")}`);
  });

  it("never appear in a missing reading's reason", async () => {
    const reading = await sampleGate(gate({ http: { url: "http://u:s3cret@127.0.0.1:1/x?token=t0k3n", path: "v" } }), options);
    expect(reading).toMatchObject({ kind: "missing" });
    expect(JSON.stringify(reading)).not.toMatch(/s3cret|t0k3n|u:/);
  });
});

describe("URLs", () => {
  it("accepts a base URL with a path prefix or the endpoint itself", () => {
    expect(prometheusQueryUrl("http://p:9090/prom/", "a b")).toBe("http://p:9090/prom/api/v1/query?query=a+b");
    expect(prometheusQueryUrl("http://p:9090/api/v1/query", "x")).toBe("http://p:9090/api/v1/query?query=x");
  });

  it("keeps credentials out of logs", () => {
    expect(redact("https://user:pass@metrics.example.com/v1?token=abc")).toBe("https://metrics.example.com/v1");
  });
});
