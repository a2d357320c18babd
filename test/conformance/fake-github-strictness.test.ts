// The fake GitHub is only as useful as it is strict: records are stamped with the identity of the
// token that wrote them, lists honour GitHub's filters and its 100-per-page cap, and a success marks
// older deployments inactive only where GitHub does (non-transient, non-production environments).
import { actAs, startFakeGitHub, type FakeGitHub } from "../support/fake-github.js";
import { FakeDeployments } from "../support/fake-deployment-routes.js";
import { FakeRelease } from "../support/fake-release-routes.js";
import { FakeRepos } from "../support/fake-readiness-routes.js";

let github: FakeGitHub;
let repos: FakeRepos;
let release: FakeRelease;
let actionGithub: FakeGitHub;

beforeAll(async () => {
  repos = new FakeRepos();
  release = new FakeRelease(repos);
  github = await startFakeGitHub([...release.routes(), ...repos.routes()]);
  actionGithub = await startFakeGitHub(new FakeDeployments().routes());
});

afterAll(async () => {
  await github?.close();
  await actionGithub?.close();
});

const deploy = (fake: FakeGitHub, token: string, body: Record<string, unknown>) =>
  actAs(fake, token)("POST", "/repos/acme/shop/deployments", { auto_merge: false, required_contexts: [], ...body });

describe.each([
  ["app routes", () => github],
  ["Action routes", () => actionGithub],
])("deployments (%s)", (_name, fake) => {
  it("stamps creator and performed_via_github_app from the token", async () => {
    const byApp = await deploy(fake(), "ghs_fake_installation_token_42", { ref: "1".repeat(40), environment: "stamp" });
    expect(byApp.data).toMatchObject({ creator: { login: "release-gate[bot]" }, performed_via_github_app: { id: 123 } });
    const byWriter = await deploy(fake(), "ghp_bob", { ref: "2".repeat(40), environment: "stamp" });
    expect(byWriter.data).toMatchObject({ creator: { login: "bob" }, performed_via_github_app: null });
    const status = await actAs(fake(), "ghs_workflow_x")("POST", `/repos/acme/shop/deployments/${byApp.data.id}/statuses`, { state: "in_progress" });
    expect(status.data).toMatchObject({ creator: { login: "github-actions[bot]" }, performed_via_github_app: { id: 15368 } });
  });

  it("filters by sha, ref and environment, caps per_page at 100 and pages with Link", async () => {
    for (let i = 0; i < 105; i++) await deploy(fake(), "ghs_workflow_x", { ref: "3".repeat(40), environment: "paging" });
    await deploy(fake(), "ghs_workflow_x", { ref: "4".repeat(40), environment: "paging" });
    const get = actAs(fake(), "ghs_workflow_x");
    const first = await fetch(`${fake().url}/repos/acme/shop/deployments?environment=paging&sha=${"3".repeat(40)}&per_page=500`, { headers: { authorization: "token ghs_workflow_x" } });
    const page = (await first.json()) as unknown[];
    expect(page).toHaveLength(100);
    expect(first.headers.get("link")).toMatch(/page=2>; rel="next"/);
    expect((await get("GET", `/repos/acme/shop/deployments?environment=paging&sha=${"3".repeat(40)}&per_page=100&page=2`)).data).toHaveLength(5);
    expect((await get("GET", `/repos/acme/shop/deployments?ref=${"4".repeat(40)}`)).data).toHaveLength(1);
    expect((await get("GET", "/repos/acme/shop/deployments?environment=nowhere")).data).toHaveLength(0);
  });

  it("marks older successful deployments inactive on a success, except in production or transient environments", async () => {
    const get = actAs(fake(), "ghs_workflow_x");
    const states = async (id: number) => ((await get("GET", `/repos/acme/shop/deployments/${id}/statuses`)).data as { state: string }[]).map((s) => s.state);
    for (const [environment, extra, expected] of [
      ["staging", {}, ["inactive", "success"]],
      ["production", {}, ["success"]],
      ["preview", { transient_environment: true }, ["success"]],
    ] as const) {
      const older = await deploy(fake(), "ghs_workflow_x", { ref: "5".repeat(40), environment, ...extra });
      await get("POST", `/repos/acme/shop/deployments/${older.data.id}/statuses`, { state: "success" });
      const newer = await deploy(fake(), "ghs_workflow_x", { ref: "6".repeat(40), environment, ...extra });
      await get("POST", `/repos/acme/shop/deployments/${newer.data.id}/statuses`, { state: "success" });
      expect(await states(older.data.id)).toEqual(expected);
    }
  });
});

describe("check runs", () => {
  it("carry the writing app, refuse a person's token, and list by app_id", async () => {
    const post = (token: string) =>
      actAs(github, token)("POST", "/repos/acme/shop/check-runs", { name: "Release readiness", head_sha: "7".repeat(40), status: "completed", conclusion: "success" });
    expect((await post("ghs_fake_installation_token_42")).data.app.id).toBe(123);
    expect((await post("ghs_app_777_evil-ci")).data.app.id).toBe(777);
    expect((await post("ghp_bob")).status).toBe(403);
    const list = await actAs(github, "ghs_fake_installation_token_42")("GET", `/repos/acme/shop/commits/${"7".repeat(40)}/check-runs?app_id=123`);
    expect(list.data.check_runs.map((r: { app: { id: number } }) => r.app.id)).toEqual([123]);
  });

  it("lets an app update only its own runs", async () => {
    const foreign = await actAs(github, "ghs_app_777_evil-ci")("POST", "/repos/acme/shop/check-runs", { name: "x", head_sha: "8".repeat(40) });
    expect((await actAs(github, "ghs_fake_installation_token_42")("PATCH", `/repos/acme/shop/check-runs/${foreign.data.id}`, { conclusion: "failure" })).status).toBe(403);
  });
});
