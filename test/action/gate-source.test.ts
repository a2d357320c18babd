// Where a stage's gates come from, with the real config loader over nock: the Action's own client
// (config plugin, size cap) reading the default branch, `_extends` included.
import nock from "nock";
import { resolveGates } from "../../src/action/gate-source.js";
import { readInputs, type Inputs } from "../../src/action/inputs.js";
import { actionOctokit } from "../../src/action/octokit.js";
import { loadConfig } from "../../src/workflows/load-config.js";

const API = "https://api.github.com";
const repo = { owner: "acme", repo: "shop" };
const FILE = "/repos/acme/shop/contents/.github%2Frelease-gate.yml";

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

function inputs(gates: string): Inputs {
  const result = readInputs({ getInput: (name) => ({ token: "t", gates })[name] ?? "" });
  if (!result.ok) throw new Error(result.error);
  return result.inputs;
}

const load = () => loadConfig(actionOctokit("t", API), repo);

describe("resolveGates", () => {
  it("takes a set `gates` input and never reads the config", async () => {
    const sourced = await resolveGates(inputs("- { name: error-rate, command: echo 0, max: 0.01 }"), async () => {
      throw new Error("the config must not be read");
    });
    expect(sourced).toMatchObject({ gates: [{ name: "error-rate" }], compare: [], source: { kind: "input" } });
  });

  it("takes `[]` as the input's own answer (no gates), not as empty", async () => {
    const sourced = await resolveGates(inputs("[]"), async () => {
      throw new Error("the config must not be read");
    });
    expect(sourced).toEqual({ gates: [], compare: [], source: { kind: "input" } });
  });

  it("reads `rollout.gates` from the default branch, through `_extends`, when the input is empty", async () => {
    nock(API).get(FILE).reply(200, "_extends: .github\nrollout:\n  environment: production\n", { "content-type": "text/plain" });
    nock(API)
      .get("/repos/acme/.github/contents/.github%2Frelease-gate.yml")
      .reply(200, "rollout:\n  gates:\n    - { name: error-rate, command: echo 0, max: 0.01 }\n", { "content-type": "text/plain" });
    const sourced = await resolveGates(inputs(""), load);
    expect(sourced).toMatchObject({ gates: [{ name: "error-rate", max: 0.01 }], source: { kind: "config", files: ".github/release-gate.yml + acme/.github:.github/release-gate.yml" } });
  });

  it("says the documented defaults (no gates) apply when no file exists anywhere", async () => {
    nock(API).get(FILE).reply(404, { message: "Not Found" });
    nock(API).get("/repos/acme/.github/contents/.github%2Frelease-gate.yml").reply(404, { message: "Not Found" });
    expect(await resolveGates(inputs(""), load)).toEqual({ gates: [], compare: [], source: { kind: "defaults" } });
  });

  it("fails on an invalid config, naming file, line and key: watching no gates would pass", async () => {
    const text = "rollout:\n  gates:\n    - { name: error-rate, command: echo 0, max: high }\n";
    nock(API).get(FILE).times(2).reply(200, text, { "content-type": "text/plain" });
    await expect(resolveGates(inputs(""), load)).rejects.toThrow(/^input `gates` is empty, so the gates come from the repository's configuration, which is invalid \(\.github\/release-gate\.yml\); fix it on the default branch or pass `gates`:\n\.github\/release-gate\.yml:3:\d+ rollout\.gates\[0\]\.max: /);
  });

  it("refuses a file over the app's cap (LIMITS.config, 64 KiB) before parsing it", async () => {
    nock(API).get(FILE).reply(200, `rollout:\n  gates: []\n# ${"x".repeat(64 * 1024)}\n`, { "content-type": "text/plain" });
    await expect(resolveGates(inputs(""), load)).rejects.toThrow("`acme/shop:.github/release-gate.yml` (read for its configuration) is 64.0 KiB; the limit is 64 KiB; it was not parsed");
  });

  it("accepts a file right at the cap", async () => {
    const body = "rollout:\n  gates: []\n# ";
    nock(API).get(FILE).reply(200, `${body}${"x".repeat(64 * 1024 - body.length)}`, { "content-type": "text/plain" });
    expect(await resolveGates(inputs(""), load)).toMatchObject({ gates: [], source: { kind: "config" } });
  });
});

describe("the Action's client", () => {
  it("retries a 502 but not a 404: a repository without a config file costs one request, not three", async () => {
    const octokit = actionOctokit("t", API);
    nock(API).get("/repos/acme/shop/deployments/1").reply(502, { message: "Bad Gateway" });
    nock(API).get("/repos/acme/shop/deployments/1").reply(200, { id: 1 });
    expect((await octokit.request("GET /repos/{owner}/{repo}/deployments/{deployment_id}", { owner: "acme", repo: "shop", deployment_id: 1 })).data).toEqual({ id: 1 });
    nock(API).get("/repos/acme/shop/deployments/2").reply(404, { message: "Not Found" });
    const started = Date.now();
    await expect(octokit.request("GET /repos/{owner}/{repo}/deployments/{deployment_id}", { owner: "acme", repo: "shop", deployment_id: 2 })).rejects.toMatchObject({ status: 404 });
    expect(Date.now() - started).toBeLessThan(900);
  });
});
