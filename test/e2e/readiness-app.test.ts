// End to end: the real `npm start` process receives signed webhooks over HTTP and writes the
// `Release readiness` check to a local GitHub stand-in.
import { startFakeGitHub, type FakeGitHub } from "../support/fake-github.js";
import { expectConformingRequests } from "../support/rest-conformance.js";
import { FakeRepos } from "../support/fake-readiness-routes.js";
import { eventually, startApp, type RunningApp } from "../support/start-app.js";
import { pullRequestEvent } from "../support/webhook-examples.js";

const OWNER = "acme";
const REPO = "shop";
const GOOD_BODY = "## Rollback contract\nProcedure: turn off the `saved-cards` flag.\nTriggers: error rate > 1% for 5m\n";

let github: FakeGitHub;
let repos: FakeRepos;
let app: RunningApp;

function prPayload(number: number, sha: string, action = "opened") {
  return pullRequestEvent({ owner: OWNER, repo: REPO, number, headSha: sha, action, installation: 42 });
}

beforeAll(async () => {
  repos = new FakeRepos();
  github = await startFakeGitHub(repos.routes());
  app = await startApp({ githubPort: github.port });
}, 90_000);

afterAll(async () => {
  await app?.stop();
  await github?.close();
});

it("answers a signed pull_request webhook with a completed check run on the head SHA", async () => {
  const sha = "1".repeat(40);
  repos.addPull({ owner: OWNER, repo: REPO, number: 1, title: "fix: carts", body: GOOD_BODY, headSha: sha, labels: [], files: ["src/cart.ts"] });
  const status = await app.send("pull_request", prPayload(1, sha));
  expect(status).toBe(200);
  const run = await eventually("check run", () => repos.runsFor(OWNER, REPO, sha)[0]);
  expect(run).toMatchObject({ name: "Release readiness", status: "completed", conclusion: "success", external_id: "release-gate:pr-1@2026-11-23T00:00:00Z", writes: 1 });
  // The installation token was minted for this installation, and used for the writes.
  expect(github.requests.some((r) => r.method === "POST" && r.path === "/app/installations/42/access_tokens")).toBe(true);
  const write = github.requests.find((r) => r.method === "POST" && r.path.endsWith("/check-runs"))!;
  expect(write.headers.authorization).toBe("token ghs_fake_installation_token_42");
});

it("updates the same run when the description is edited, never adding a second", async () => {
  const sha = "2".repeat(40);
  const pull = repos.addPull({ owner: OWNER, repo: REPO, number: 2, title: "feat: saved cards", body: GOOD_BODY, headSha: sha, labels: [], files: ["src/ui.ts"] });
  await app.send("pull_request", prPayload(2, sha));
  const first = await eventually("first verdict", () => repos.runsFor(OWNER, REPO, sha)[0]);
  expect(first.conclusion).toBe("failure");
  expect(first.output.title).toBe("Not ready: communication note");

  pull.updatedAt = "2026-11-23T00:05:00Z";
  pull.body = `${GOOD_BODY}## Communication\nAudience: customers and support. Checkout offers saved cards.\n`;
  await app.send("pull_request", prPayload(2, sha, "edited"));
  await eventually("updated verdict", () => repos.runsFor(OWNER, REPO, sha)[0]?.conclusion === "success");
  expect(repos.runsFor(OWNER, REPO, sha)).toHaveLength(1);
});

it("reports an invalid config file with its line and column instead of crashing", async () => {
  const owner = "broken-config";
  const sha = "3".repeat(40);
  repos.setFile(owner, REPO, ".github/release-gate.yml", "rollout:\n  stages:\n    - name: canary\n      percent: 150\n      observe: 30m\n");
  repos.addPull({ owner, repo: REPO, number: 3, title: "fix", body: GOOD_BODY, headSha: sha, labels: [], files: ["a.ts"] });
  const payload = prPayload(3, sha);
  payload.repository.owner.login = owner;
  await app.send("pull_request", payload);
  const run = await eventually("config failure", () => repos.runsFor(owner, REPO, sha)[0]);
  expect(run.conclusion).toBe("failure");
  expect(run.output.title).toMatch(/^Invalid config: \.github\/release-gate\.yml:4:16: `rollout\.stages\[0\]\.percent`/);
  // Still alive and answering.
  expect(await app.send("pull_request", prPayload(1, "1".repeat(40), "labeled"))).toBe(200);
});

describe("webhook signatures", () => {
  const sha = "4".repeat(40);
  beforeAll(() => {
    repos.addPull({ owner: OWNER, repo: REPO, number: 4, title: "fix", body: GOOD_BODY, headSha: sha, labels: [], files: ["a.ts"] });
  });

  it.each([
    ["a wrong secret", { secret: "not-the-secret" }],
    ["no signature", { signature: null }],
    ["a malformed signature", { signature: "sha256=zzzz" }],
  ])("rejects %s and changes nothing", async (_name, opts) => {
    const before = github.requests.length;
    const status = await app.send("pull_request", prPayload(4, sha), opts);
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);
    await new Promise((r) => setTimeout(r, 300));
    expect(github.requests.length).toBe(before);
    expect(repos.runsFor(OWNER, REPO, sha)).toHaveLength(0);
  });

  it("rejects a replayed signature over an altered body", async () => {
    const original = JSON.stringify(prPayload(4, sha));
    const altered = original.replace('"opened"', '"reopened"');
    const { sign } = await import("../support/start-app.js");
    const before = github.requests.length;
    const status = await app.send("pull_request", undefined, { rawBody: altered, signature: sign(original) });
    expect(status).toBeGreaterThanOrEqual(400);
    await new Promise((r) => setTimeout(r, 300));
    expect(github.requests.length).toBe(before);
  });
});

it("sends GitHub only requests that exist in its REST API, with valid fields", async () => {
  // Declared last: jest runs tests in order, so this sees every request the app made above.
  expect(github.requests.length).toBeGreaterThan(0);
  expectConformingRequests(github.requests.map((r) => ({ method: r.method, path: r.path, query: r.query, body: r.body })));
});
