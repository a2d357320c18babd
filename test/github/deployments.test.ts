import nock from "nock";
import { Octokit } from "@octokit/rest";
import { retry } from "@octokit/plugin-retry";
import { createStageDeployment, statusDescription } from "../../src/github/deployments.js";
import { expectConformingRequests, recordNockRequests } from "../support/rest-conformance.js";

// With the retry plugin on, as in the app: a plain POST that fails with 502 would be resent by it.
const octokit = new (Octokit.plugin(retry))({ auth: "t", retry: { retryAfterBaseValue: 1 } });
const repo = { owner: "acme", repo: "shop" };
const sha = "c".repeat(40);
const payload = { stage: "canary", percent: 1, release: 7, plan: [{ name: "canary", percent: 1, observe: "30m" }], triggers: [] };
const stage = { ...repo, sha, environment: "production", payload, description: "Release Gate: canary 1% of #7" };
const noWait = async () => {};

// A resend the test did not expect reaches nock as "no match"; Octokit would turn that into a 500
// and hide it, so count it here.
let unmatched: string[] = [];
const onNoMatch = (req: { method?: string; path?: string }) => unmatched.push(`${req.method} ${req.path}`);
beforeEach(() => {
  unmatched = [];
  nock.emitter.on("no match", onNoMatch);
});
afterEach(() => {
  nock.emitter.removeListener("no match", onNoMatch);
  expect(unmatched).toEqual([]);
});

describe("createStageDeployment after a lost answer", () => {
  it("adopts the deployment GitHub created instead of creating the stage twice", async () => {
    const scope = nock("https://api.github.com")
      .post("/repos/acme/shop/deployments")
      .reply(502, { message: "Bad Gateway" })
      .get("/repos/acme/shop/deployments")
      .query({ sha, environment: "production", per_page: 30 })
      .reply(200, [
        { id: 40, url: "https://api.github.com/repos/acme/shop/deployments/40", sha, payload: { ...payload, stage: "other" } },
        { id: 41, url: "https://api.github.com/repos/acme/shop/deployments/41", sha, payload },
      ]);
    const recorder = recordNockRequests(scope);
    const result = await createStageDeployment(octokit, stage, noWait);
    expect(result).toEqual({ kind: "created", id: 41, url: "https://api.github.com/repos/acme/shop/deployments/41" });
    expect(recorder.requests().filter((r) => r.method === "POST")).toHaveLength(1);
    expectConformingRequests(recorder.requests());
  });

  it("creates it again when GitHub did not, and gives up after the plugin's number of attempts", async () => {
    const list = { sha, environment: "production", per_page: 30 };
    nock("https://api.github.com")
      .post("/repos/acme/shop/deployments")
      .reply(502, {})
      .get("/repos/acme/shop/deployments")
      .query(list)
      .reply(200, [])
      .post("/repos/acme/shop/deployments")
      .reply(201, { id: 42, url: "u42", sha });
    expect(await createStageDeployment(octokit, stage, noWait)).toEqual({ kind: "created", id: 42, url: "u42" });

    const failing = nock("https://api.github.com").post("/repos/acme/shop/deployments").times(4).reply(503, {}).get("/repos/acme/shop/deployments").query(list).times(3).reply(200, []);
    await expect(createStageDeployment(octokit, stage, noWait)).rejects.toMatchObject({ status: 503 });
    expect(failing.isDone()).toBe(true);
  });

  it("never retries what GitHub refused: a 422 is thrown at once", async () => {
    nock("https://api.github.com").post("/repos/acme/shop/deployments").reply(422, { message: "No ref found for: x" });
    await expect(createStageDeployment(octokit, stage, noWait)).rejects.toMatchObject({ status: 422 });
  });
});

describe("statusDescription", () => {
  it("keeps descriptions under GitHub's 140 characters, whitespace folded, for the app and the Action alike", () => {
    expect(statusDescription("a\n  b")).toBe("a b");
    const long = statusDescription("x".repeat(500));
    expect(long.length).toBe(139);
    expect(long.endsWith("…")).toBe(true);
  });
});
