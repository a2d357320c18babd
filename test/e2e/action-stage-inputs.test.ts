// End to end: the bundled Action, run as the runner runs it against the one in-memory GitHub, on what
// a stage takes in: a deployment made by hand with only `{ stage, percent, release }`, gates read from
// the repository's config (with `_extends`) when the `gates` input is empty, and a deployment history
// a repo writer has tampered with, which a rollback must not follow.
import { actAs, startFakeGitHub, type FakeGitHub } from "../support/fake-github.js";
import { ACTIONS_IDENTITY, type FakeDeployments } from "../support/fake-deployment-routes.js";
import { fakeWorld, type FakeWorld } from "../support/fake-world.js";
import { expectConformingRequests } from "../support/rest-conformance.js";
import { runActionStep, type RunnerSetup } from "../support/run-action.js";
import { webhookExample } from "../support/webhook-examples.js";

/** A workflow's GITHUB_TOKEN: the fake stamps what it writes as github-actions[bot] (app 15368), as GitHub does. */
const WORKFLOW_TOKEN = "ghs_workflow_token_stage_inputs";
/** A repo writer's personal access token. */
const MALLORY = "ghp_mallory";

let github: FakeGitHub;
let world: FakeWorld;
let deployments: FakeDeployments;

beforeAll(async () => {
  world = fakeWorld({ clock: "real" });
  deployments = world.deployments;
  github = await startFakeGitHub(world.routes());
});

afterAll(async () => {
  await github?.close();
});

const setup = (repo: string, overrides: Partial<RunnerSetup> & { inputs: Record<string, string> }): RunnerSetup => ({
  apiUrl: github.url,
  repository: `acme/${repo}`,
  sha: "1".repeat(40),
  eventName: "workflow_dispatch",
  event: { inputs: {} },
  ...overrides,
  inputs: { token: WORKFLOW_TOKEN, interval: "1s", ...overrides.inputs },
});

/** The `deployment` event GitHub sends for a deployment, from the real example payload. */
function deploymentEvent(repo: string, d: { id: number; sha: string; environment: string; payload: unknown }) {
  const event = webhookExample("deployment", "created");
  Object.assign(event.deployment, { id: d.id, sha: d.sha, environment: d.environment, payload: d.payload });
  event.repository.owner.login = "acme";
  event.repository.name = repo;
  return event;
}

describe("a minimal stage payload", () => {
  /** Made by hand, as another tool or a person would: a writer's token, only the three fields. */
  async function handMadeDeployment(repo: string, sha: string, stage: string) {
    const created = await actAs(github, MALLORY)("POST", `/repos/acme/${repo}/deployments`, {
      ref: sha,
      environment: "production",
      auto_merge: false,
      required_contexts: [],
      payload: { stage, percent: 20, release: 12 },
    });
    expect(created.status).toBe(201);
    return created.data as { id: number; sha: string; environment: string; payload: unknown };
  }

  it("runs a deployment whose payload has only { stage, percent, release }, the window from the `observe` input", async () => {
    const sha = "2".repeat(40);
    const made = await handMadeDeployment("minimal", sha, "eu-west");
    const before = github.requests.length;
    const step = await runActionStep(
      setup("minimal", { eventName: "deployment", event: deploymentEvent("minimal", made), sha, inputs: { observe: "3s", gates: "- { name: error-rate, command: echo 0, max: 0.01 }" } }),
    );
    expect(step.stderr).toBe("");
    expect(step.code).toBe(0);
    expect(step.outputs).toMatchObject({ stage: "eu-west", percent: "20", "deployment-id": String(made.id), verdict: "success" });
    expect(step.stdout).toContain("observation window 3s (from the `observe` input)");
    expect(deployments.byId(made.id)!.statuses.map((s) => s.state)).toEqual(["success", "in_progress"]);
    expect(step.summary).toContain("Release Gate: eu-west (20%) in production: success");
    expectConformingRequests(github.requests.slice(before));
  }, 60_000);

  it("fails the step, naming the `observe` input, when neither the step, a plan nor a documented default gives a window", async () => {
    const sha = "3".repeat(40);
    const made = await handMadeDeployment("minimal", sha, "eu-west");
    const step = await runActionStep(setup("minimal", { eventName: "deployment", event: deploymentEvent("minimal", made), sha, inputs: { gates: "[]" } }));
    expect(step.code).toBe(1);
    expect(step.stdout).toContain('::error::input `observe`: stage "eu-west" has no observation window: the input is empty, the deployment\'s payload has no plan, and "eu-west" is not one of the documented default stages (canary 30m, 10-percent 2h, 50-percent 4h, full 24h); set `observe` on the step, e.g. observe: 30m');
    // Nothing was started: the hand-made deployment carries no status of ours.
    expect(deployments.byId(made.id)!.statuses).toEqual([]);
  }, 60_000);
});

describe("gates from the repository's configuration", () => {
  it("reads `rollout.gates` at the default branch, through `_extends`, when the `gates` input is empty, and says so in the summary", async () => {
    // The org's shared defaults carry the gate; the repo's file extends them.
    world.repos.setFile("acme", ".github", ".github/release-gate.yml", ["rollout:", "  gates:", "    - name: error-rate", "      command: echo 0.2", "      max: 0.01", "      unit: ratio"].join("\n"));
    world.repos.setFile("acme", "configured", ".github/release-gate.yml", "_extends: .github\nrollout:\n  environment: production\n");
    // The PR head's copy is not what counts: only the default branch's.
    world.repos.setFile("acme", "configured", ".github/release-gate.yml", "rollout:\n  gates: []\n", "4".repeat(40));
    const before = github.requests.length;
    const step = await runActionStep(setup("configured", { sha: "4".repeat(40), inputs: { stage: "canary", percent: "1", observe: "3s", release: "5", gates: "" } }));
    expect(step.code).toBe(1);
    expect(step.outputs).toMatchObject({ verdict: "failure" });
    expect(step.outputs.reason).toMatch(/^canary 1%: breach, error-rate: 0\.2 > max 0\.01/);
    const source = "1 gate from `rollout.gates` of `.github/release-gate.yml + acme/.github:.github/release-gate.yml` at the default branch (the `gates` input is empty)";
    expect(step.stdout).toContain(`gates: ${source}`);
    expect(step.summary).toContain(`Gates: ${source}`);
    // Both files read from the default branch (no `ref`).
    const reads = github.requests.slice(before).filter((r) => r.method === "GET" && r.path.includes("/contents/"));
    expect(reads.map((r) => `${decodeURIComponent(r.path)}${r.query.get("ref") ? `@${r.query.get("ref")}` : ""}`)).toEqual([
      "/repos/acme/configured/contents/.github/release-gate.yml",
      "/repos/acme/.github/contents/.github/release-gate.yml",
    ]);
    expectConformingRequests(github.requests.slice(before));
  }, 60_000);

  it("takes the `gates` input over the config, and says that it did", async () => {
    const step = await runActionStep(
      setup("configured", { sha: "5".repeat(40), inputs: { stage: "canary", percent: "1", observe: "2s", release: "5", gates: "- { name: latency, command: echo 1, max: 5 }" } }),
    );
    expect(step.code).toBe(0);
    expect(step.summary).toContain("Gates: 1 gate from the step's `gates` input");
    expect(step.stdout).not.toContain("error-rate");
  }, 60_000);

  it("refuses a config file over the app's cap (64 KiB) before parsing it, and creates nothing", async () => {
    world.repos.setFile("acme", "huge", ".github/release-gate.yml", `# ${"x".repeat(70 * 1024)}\nrollout:\n  gates: []\n`);
    const before = deployments.deployments.length;
    const step = await runActionStep(setup("huge", { sha: "6".repeat(40), inputs: { stage: "canary", percent: "1", observe: "2s", release: "5" } }));
    expect(step.code).toBe(1);
    // Told as a problem of the configuration, naming the file and the cap.
    expect(step.stdout).toMatch(/::error::input `gates` is empty, so the gates come from the repository's configuration, which is invalid .*`acme\/huge:\.github\/release-gate\.yml` \(read for its configuration\) is 70\.0 KiB; the limit is 64 KiB; it was not parsed/);
    expect(deployments.deployments.length).toBe(before);
  }, 60_000);

  it("fails, naming file, line and key, when the config is invalid: no gates is not a pass", async () => {
    world.repos.setFile("acme", "broken", ".github/release-gate.yml", "rollout:\n  gates:\n    - name: error-rate\n      command: echo 0\n      maximum: 0.01\n");
    const step = await runActionStep(setup("broken", { sha: "7".repeat(40), inputs: { stage: "canary", percent: "1", observe: "2s", release: "5" } }));
    expect(step.code).toBe(1);
    expect(step.stdout).toContain("::error::input `gates` is empty, so the gates come from the repository's configuration, which is invalid (.github/release-gate.yml)");
    expect(step.stdout).toContain(".github/release-gate.yml:5:7 rollout.gates[0]: unknown key `maximum`");
  }, 60_000);
});

describe("the rollback target", () => {
  it("comes only from deployments and statuses written by trusted identities, never from records a writer forged", async () => {
    const GOOD = "a".repeat(40);
    const FORGED = "e".repeat(40);
    const FAILED = "f".repeat(40);
    const mallory = actAs(github, MALLORY);
    // The last release the workflow token deployed and marked good.
    deployments.add({ owner: "acme", repo: "trust", sha: GOOD, environment: "production", payload: {}, statuses: ["in_progress", "success"], createdAt: "2026-11-22T10:00:00Z", by: ACTIONS_IDENTITY });
    // A release that failed, later "marked good" by the writer.
    const failed = deployments.add({ owner: "acme", repo: "trust", sha: FAILED, environment: "production", payload: {}, statuses: ["in_progress", "failure"], createdAt: "2026-11-22T11:00:00Z", by: ACTIONS_IDENTITY });
    // The writer's own "successful" deployment of a commit of their choosing, the newest of all.
    const forged = await mallory("POST", "/repos/acme/trust/deployments", { ref: FORGED, environment: "production", auto_merge: false, required_contexts: [], payload: {} });
    expect(forged.status).toBe(201);
    expect((await mallory("POST", `/repos/acme/trust/deployments/${forged.data.id}/statuses`, { state: "success" })).status).toBe(201);
    expect((await mallory("POST", `/repos/acme/trust/deployments/${failed.id}/statuses`, { state: "success" })).status).toBe(201);

    const before = github.requests.length;
    const step = await runActionStep(
      setup("trust", { sha: "8".repeat(40), inputs: { stage: "canary", percent: "5", observe: "5s", release: "21", rollback: "true", gates: "- { name: error-rate, command: echo 1, max: 0.01 }" } }),
    );
    expect(step.code).toBe(1);
    expect(step.outputs).toMatchObject({ verdict: "failure", "rolled-back": "true" });
    const rollback = deployments.byId(Number(step.outputs["rollback-deployment-id"]))!;
    expect({ rollbackTo: rollback.sha }).toEqual({ rollbackTo: GOOD });
    expect(rollback.by.login).toBe("github-actions[bot]");
    // What was ignored is said, once each.
    expect(step.stdout).toContain(`::warning::ignored deployment ${forged.data.id} of eeeeeee by mallory: not created by a trusted identity`);
    expect(step.stdout).toContain(`::warning::ignored success status on deployment ${failed.id} by mallory: not written by a trusted identity`);
    expect(step.summary).toContain("**Rollback**: done to `aaaaaaa`");
    expect(step.summary).toContain("**Ignored records**");
    expect(step.summary).toContain(`- ignored deployment ${forged.data.id} of eeeeeee by mallory: not created by a trusted identity`);
    expectConformingRequests(github.requests.slice(before));
  }, 60_000);

  it("follows the Release Gate app's deployments when `deployment-creators` names it (app mode)", async () => {
    const APP_GOOD = "b".repeat(40);
    // The app created the stage (its installation token), the stage workflow marked it good.
    const byApp = deployments.add({ owner: "acme", repo: "appmode", sha: APP_GOOD, environment: "production", payload: { stage: "full", percent: 100, release: 30 }, createdAt: "2026-11-22T10:00:00Z", by: { login: "release-gate[bot]", type: "Bot", app: { id: 123, slug: "release-gate" } } });
    deployments.addStatus(byApp.id, "in_progress");
    deployments.addStatus(byApp.id, "success");
    const run = (creators: string) =>
      runActionStep(
        setup("appmode", { sha: "9".repeat(40), inputs: { stage: "canary", percent: "5", observe: "3s", release: "31", "deployment-creators": creators, gates: "- { name: error-rate, command: echo 1, max: 0.01 }" } }),
      );
    const named = await run("github-actions[bot], release-gate[bot]");
    expect(named.code).toBe(1);
    expect(deployments.byId(Number(named.outputs["rollback-deployment-id"]))!.sha).toBe(APP_GOOD);
    // Not named: the app's deployment is ignored, so there is nothing trusted to return to.
    const unnamed = await run("");
    expect(unnamed.code).toBe(1);
    expect(unnamed.outputs["rollback-deployment-id"]).toBe("");
    expect(unnamed.stdout).toContain(`::warning::ignored deployment ${byApp.id} of bbbbbbb by release-gate[bot]`);
  }, 90_000);
});
