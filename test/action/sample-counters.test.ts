import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { sampleCounters } from "../../src/action/sample-gate.js";
import { compareGateSchema } from "../../src/core/gates/compare-gate.js";

// A Prometheus stand-in that answers a query only once all four of a round have arrived: a sampler
// that sent them one after another would time out here.
let server: Server;
let base: string;
let values: Record<string, string> = {};
let held: Array<{ query: string; res: ServerResponse }> = [];
let errorFor: string | undefined;

function answer({ query, res }: { query: string; res: ServerResponse }) {
  if (query === errorFor) {
    res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ status: "error", errorType: "bad_data", error: "parse error" }));
    return;
  }
  const value = values[query];
  const result = value === undefined ? [] : [{ metric: {}, value: [1, value] }];
  res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "success", data: { resultType: "vector", result } }));
}

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const query = new URL(req.url ?? "/", "http://127.0.0.1").searchParams.get("query") ?? "";
    held.push({ query, res });
    if (held.length === 4) {
      const round = held;
      held = [];
      round.forEach(answer);
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

const gate = () =>
  compareGateSchema.parse({
    name: "errors-vs-stable",
    compare: { prometheus: { url: base }, canary: { errors: "ce", total: "ct" }, baseline: { errors: "be", total: "bt" } },
    "max-increase": "50%",
  });

describe("sampleCounters", () => {
  beforeEach(() => {
    values = { ce: "3", ct: "1000", be: "2", bt: "990" };
    errorFor = undefined;
    held = [];
  });

  it("sends the four counter queries at the same moment and returns them as one reading", async () => {
    expect(await sampleCounters(gate(), { timeoutMs: 2000 })).toEqual({ kind: "counters", reading: { canaryErrors: 3, canaryTotal: 1000, baselineErrors: 2, baselineTotal: 990 } });
  });

  it("makes the whole round missing when any one counter has no data, is NaN or fails, naming which", async () => {
    values.be = "NaN";
    expect(await sampleCounters(gate(), { timeoutMs: 2000 })).toEqual({ kind: "missing", detail: expect.stringMatching(/^baseline errors: nan: /) });
    delete values.be;
    expect(await sampleCounters(gate(), { timeoutMs: 2000 })).toEqual({ kind: "missing", detail: "baseline errors: empty-result: the query returned no series" });
    errorFor = "ct";
    expect(await sampleCounters(gate(), { timeoutMs: 2000 })).toMatchObject({ kind: "missing", detail: expect.stringMatching(/^canary total: query-error: bad_data: parse error/) });
  });
});
