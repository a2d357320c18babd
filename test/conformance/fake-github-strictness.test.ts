// The fake GitHub is only as useful as it is strict: records are stamped with the identity of the
// token that wrote them, lists honour GitHub's filters and its 100-per-page cap, a success marks
// older deployments inactive only where GitHub does (non-transient, non-production environments), and
// deployment creation answers 202/409 where GitHub does. One store serves the app and the Action.
import { actAs, startFakeGitHub, type FakeGitHub } from "../support/fake-github.js";
import { FakeRelease } from "../support/fake-release-routes.js";
import { FakeRepos } from "../support/fake-readiness-routes.js";
import { fakeWorld, type FakeWorld } from "../support/fake-world.js";

let github: FakeGitHub;
let repos: FakeRepos;
let release: FakeRelease;
let world: FakeWorld;
let actionGithub: FakeGitHub;

beforeAll(async () => {
  repos = new FakeRepos();
  release = new FakeRelease(repos);
  github = await startFakeGitHub([...release.routes(), ...repos.routes()]);
  // What the Action e2e tests start: the same store, on the real clock.
  world = fakeWorld({ clock: "real" });
  actionGithub = await startFakeGitHub(world.routes());
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

describe("one store", () => {
  it("the commands' records and the Action's requests are the same deployments", async () => {
    const created = await deploy(github, "ghs_fake_installation_token_42", { ref: "9".repeat(40), environment: "one-store", payload: { release: 99 } });
    expect(release.deploymentsOf("acme", "shop", 99).map((d) => d.id)).toEqual([created.data.id]);
    await actAs(github, "ghs_workflow_x")("POST", `/repos/acme/shop/deployments/${created.data.id}/statuses`, { state: "success" });
    expect(release.store.byId(created.data.id)!.statuses.map((s) => [s.state, s.by.login])).toEqual([["success", "github-actions[bot]"]]);
  });
});

describe.each([
  ["app routes", () => github, () => release.store],
  ["Action routes", () => actionGithub, () => world.deployments],
])("deployment creation (%s)", (_name, fake, store) => {
  const post = (body: Record<string, unknown>) => actAs(fake(), "ghs_fake_installation_token_42")("POST", "/repos/acme/shop/deployments", body);

  it("answers 202 and deploys nothing when auto_merge (default true) would merge the default branch into a behind ref", async () => {
    const before = store().deployments.length;
    const merged = await post({ ref: "a".repeat(40), environment: "merge", required_contexts: [] });
    expect(merged.status).toBe(202);
    expect(merged.data.message).toMatch(/^Auto-merged main into/);
    expect(store().deployments).toHaveLength(before);
    store().upToDate.add(`acme/shop@${"a".repeat(40)}`);
    expect((await post({ ref: "a".repeat(40), environment: "merge", required_contexts: [] })).status).toBe(201);
  });

  it("answers 409 when a required context is not green; an empty list skips the check", async () => {
    const sha = "b".repeat(40);
    const fail = await actAs(fake(), "ghs_app_777_ci")("POST", "/repos/acme/shop/check-runs", { name: "ci/tests", head_sha: sha, status: "completed", conclusion: "failure" });
    expect(fail.status).toBe(201);
    const omitted = await post({ ref: sha, auto_merge: false });
    expect(omitted.status).toBe(409);
    expect(omitted.data.errors[0]).toMatchObject({ field: "required_contexts", contexts: [{ context: "ci/tests", state: "failure" }] });
    expect((await post({ ref: sha, auto_merge: false, required_contexts: ["ci/deploy-ok"] })).status).toBe(409);
    expect((await post({ ref: sha, auto_merge: false, required_contexts: [] })).status).toBe(201);
  });
});

describe("commit → pull requests", () => {
  it("lists the merged PR of a merge commit and the PR of a head commit, each with head", async () => {
    world.repos.addPull({ owner: "acme", repo: "shop", number: 31, title: "t", body: "b", headSha: "c".repeat(40), labels: [], files: [], state: "closed", merged: true, mergeCommitSha: "d".repeat(40) });
    const get = actAs(actionGithub, "ghs_workflow_x");
    for (const sha of ["c".repeat(40), "d".repeat(40)]) {
      const { data } = await get("GET", `/repos/acme/shop/commits/${sha}/pulls`);
      expect(data).toHaveLength(1);
      expect(data[0]).toMatchObject({ number: 31, head: { sha: "c".repeat(40) }, merged_at: expect.any(String) });
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
