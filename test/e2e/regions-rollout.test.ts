// Cohort and region stages against the real app (`npm start`) and ONE in-memory GitHub, with the plan
// of docs/cohorts-and-regions.md: internal → beta → eu 10 % → eu 100 % → us 100 %. Each `/release
// advance` must create the stage's deployment in the stage's environment, with its cohort and every
// cohort on so far in the payload; order holds across environments; a rollback rolls back exactly the
// environments the release reached, newest first, each to its own last good SHA. The first stage is
// run by the bundled Action (it must accept the new payload); the later ones report their result over
// the REST API with the workflow's token, as the Action does.
import { startFakeGitHub, type FakeGitHub, type RecordedRequest } from "../support/fake-github.js";
import { APP_IDENTITY, type FakeDeployment } from "../support/fake-deployment-routes.js";
import { fakeWorld, type FakeWorld } from "../support/fake-world.js";
import { examplePlanYaml } from "../support/example-plan.js";
import { deploymentStatusEvent, postComment, seedRelease } from "../support/release-payloads.js";
import { expectConformingRequests } from "../support/rest-conformance.js";
import { runActionStep } from "../support/run-action.js";
import { eventually, startApp, type RunningApp } from "../support/start-app.js";
import { webhookExample } from "../support/webhook-examples.js";

const OWNER = "acme";
const REPO = "regions";
const WORKFLOW_TOKEN = "ghs_workflow_regions_token";
const EU = "production-eu";
const US = "production-us";

/** The documented plan, with windows of 0s so the test need not wait, and without its time windows (the clock is real). */
function config(): string {
  const plan = examplePlanYaml().replace(/observe: \w+/g, "observe: 0s");
  return `${plan.slice(0, plan.indexOf("  blackout:"))}  status-writers: ["github-actions[bot]"]\n`;
}

let world: FakeWorld;
let github: FakeGitHub;
let app: RunningApp;

beforeAll(async () => {
  world = fakeWorld({ clock: "real" });
  github = await startFakeGitHub(world.routes());
  world.repos.setFile(OWNER, REPO, ".github/release-gate.yml", config());
  app = await startApp({ githubPort: github.port, env: { RECONCILE_ON_START: "false" } });
}, 120_000);

afterAll(async () => {
  await app?.stop();
  await github?.close();
});

const isWrite = (r: RecordedRequest) => r.method !== "GET" && !r.path.endsWith("/access_tokens");
const commentWrites = (pull: number) =>
  github.requests.filter(
    (r) =>
      isWrite(r) &&
      (r.path === `/repos/${OWNER}/${REPO}/issues/${pull}/comments` ||
        (r.method === "PATCH" && world.release.statusComments(OWNER, REPO, pull).some((c) => r.path === `/repos/${OWNER}/${REPO}/issues/comments/${c.id}`))),
  ).length;

async function command(pull: number, body: string, login = "mia"): Promise<string> {
  const answered = commentWrites(pull);
  expect([200, 202]).toContain(await app.send("issue_comment", postComment(world.release, { owner: OWNER, repo: REPO, pull, body, login })));
  await eventually(`the answer to ${body}`, () => commentWrites(pull) > answered, 60_000);
  const comments = world.release.statusComments(OWNER, REPO, pull);
  expect(comments).toHaveLength(1);
  return comments[0]!.body;
}

const stageDeployments = (pull: number) => world.release.deploymentsOf(OWNER, REPO, pull).filter((d) => !(d.payload as { rollback?: unknown }).rollback);
const rollbackDeployments = (pull: number) => world.release.deploymentsOf(OWNER, REPO, pull).filter((d) => (d.payload as { rollback?: unknown }).rollback);

/** What the stage's runner does once its window passed: in_progress, then success, as the workflow's token. */
async function report(deployment: FakeDeployment, state: "success" | "in_progress"): Promise<void> {
  const states = state === "success" ? ["in_progress", "success"] : ["in_progress"];
  for (const s of states) {
    const response = await fetch(`${github.url}/repos/${OWNER}/${REPO}/deployments/${deployment.id}/statuses`, {
      method: "POST",
      headers: { authorization: `token ${WORKFLOW_TOKEN}`, "content-type": "application/json", accept: "application/vnd.github+json" },
      body: JSON.stringify({ state: s, description: `stage ${s}`, log_url: `https://github.com/${OWNER}/${REPO}/actions/runs/77` }),
    });
    expect(response.status).toBe(201);
  }
  if (state === "success") expect(await app.send("deployment_status", deploymentStatusEvent(OWNER, REPO, deployment, "success"))).toBe(200);
}

/** The last good release of each region, made before this one (the SHAs a rollback returns to). */
function seedRegions(pull: number, seed: string) {
  const released = seedRelease(world.repos, world.release, { owner: OWNER, repo: REPO, number: pull, seed });
  const good = { [EU]: `${seed}1`.repeat(20), [US]: `${seed}2`.repeat(20) };
  for (const [environment, sha] of Object.entries(good)) {
    const d = world.release.store.add({
      owner: OWNER,
      repo: REPO,
      sha,
      environment,
      payload: { stage: "us-100", percent: 100, release: pull - 1, plan: [{ name: "us-100", percent: 100, observe: "0s" }], triggers: [] },
      by: APP_IDENTITY,
      createdAt: "2026-11-22T09:00:00Z",
    });
    world.release.addStatus(d.id, "success");
  }
  return { ...released, good };
}

const cohortNames = (d: FakeDeployment) => ((d.payload as { cohorts?: Array<{ name: string }> }).cohorts ?? []).map((c) => c.name);

it("advances the documented plan stage by stage into each stage's environment, cohorts in the payloads, in order across regions; a rollback after eu-100 rolls back the EU only", async () => {
  const pull = 61;
  const seeded = seedRegions(pull, "a");

  // internal: a cohort stage in production-eu; the bundled Action runs it from the `deployment` event.
  let body = await command(pull, "/release advance");
  const [internal] = stageDeployments(pull);
  if (!internal) throw new Error(`no stage deployment; status comment:\n${body}`);
  expect(internal.environment).toBe(EU);
  expect(internal.sha).toBe(seeded.mergeSha);
  expect(internal.payload).toMatchObject({ stage: "internal", cohort: "internal", percent: 100, cohorts: [{ name: "internal", attribute: "email", "ends-with": "@acme.com" }] });
  const event = webhookExample("deployment", "created");
  Object.assign(event.deployment, { id: internal.id, sha: internal.sha, ref: internal.ref, environment: internal.environment, payload: internal.payload });
  Object.assign(event.repository, { name: REPO, full_name: `${OWNER}/${REPO}` });
  event.repository.owner.login = OWNER;
  const step = await runActionStep({
    apiUrl: github.url,
    repository: `${OWNER}/${REPO}`,
    sha: internal.sha,
    eventName: "deployment",
    event,
    inputs: { token: WORKFLOW_TOKEN, interval: "1s", gates: "- { name: error-rate, command: echo 0.001, max: 0.01 }" },
  });
  expect(step.stderr).toBe("");
  expect(step.code).toBe(0);
  expect(step.outputs).toMatchObject({ stage: "internal", cohort: "internal", percent: "100", environment: EU, "deployment-id": String(internal.id), verdict: "success" });
  expect(await app.send("deployment_status", deploymentStatusEvent(OWNER, REPO, internal, "success"))).toBe(200);

  // beta, eu-10, eu-100: each in production-eu, each carrying both cohorts from then on.
  for (const [name, cohort, percent] of [["beta", "beta", 100], ["eu-10", undefined, 10], ["eu-100", undefined, 100]] as const) {
    body = await command(pull, "/release advance");
    const d = stageDeployments(pull).at(-1)!;
    expect([d.environment, (d.payload as { stage: string }).stage, (d.payload as { cohort?: string }).cohort, (d.payload as { percent: number }).percent]).toEqual([EU, name, cohort, percent]);
    expect(cohortNames(d)).toEqual(["internal", "beta"]);
    if (name === "eu-10") {
      // Order across regions: us-100 cannot jump the EU's last stage, whichever environment it is in.
      const refused = await command(pull, "/release advance us-100");
      expect(refused).toContain("stages cannot be skipped; the next stage is eu-100");
    }
    await report(d, "success");
  }
  expect(world.release.deploymentsOf(OWNER, REPO, pull).filter((d) => d.environment === US)).toEqual([]);
  // 100 % of a cohort (internal, beta) or of the EU is not the whole release: no flag-removal issue yet.
  expect(world.release.issues.filter((i) => i.title.includes("saved-cards"))).toEqual([]);

  // The status comment shows each stage's environment and cohort.
  body = await command(pull, "/release status", "alice");
  expect(body).toContain("| Stage | Environment | Cohort | Traffic | State | By | Started | Deployment |");
  expect(body).toMatch(/\| internal \| production-eu \| internal \| whole cohort \| ✅ success/);
  expect(body).toMatch(/\| eu-10 \| production-eu \|  \| 10% \| ✅ success/);
  expect(body).toMatch(/\| us-100 \| production-us \|  \| 100% \| ⏳ pending/);

  // Rollback after eu-100: the release reached the EU only, so only the EU goes back, to the EU's last good SHA.
  body = await command(pull, "/release rollback latency in the EU", "alice");
  const rollbacks = rollbackDeployments(pull);
  expect(rollbacks.map((d) => [d.environment, d.sha])).toEqual([[EU, seeded.good[EU]]]);
  expect(rollbacks[0]!.payload).toMatchObject({ stage: "eu-100", rollback: { of: stageDeployments(pull).at(-1)!.id } });
  expect(body).toContain(`Rolling back every environment the release reached, newest first: ${"`"}${EU}${"`"} to ${seeded.good[EU]!.slice(0, 7)}`);
  expect(world.release.deploymentsOf(OWNER, REPO, pull).filter((d) => d.environment === US)).toEqual([]);
  expect(await command(pull, "/release advance")).toContain("This release was rolled back");
  expect(stageDeployments(pull).map((d) => (d.payload as { stage: string }).stage)).toEqual(["internal", "beta", "eu-10", "eu-100"]);

  expectConformingRequests(github.requests.map((r) => ({ method: r.method, path: r.path, query: r.query, body: r.body })));
}, 240_000);

it("a release that reached the US rolls back the US first, then the EU, each to its own last good SHA, and says so", async () => {
  const pull = 71;
  const seeded = seedRegions(pull, "b");
  for (let i = 0; i < 4; i++) {
    await command(pull, "/release advance");
    await report(stageDeployments(pull).at(-1)!, "success");
  }
  await command(pull, "/release advance");
  const us = stageDeployments(pull).at(-1)!;
  expect([us.environment, (us.payload as { stage: string }).stage, cohortNames(us)]).toEqual([US, "us-100", ["internal", "beta"]]);
  await report(us, "in_progress");

  const body = await command(pull, "/release rollback errors in the US", "alice");
  const rollbacks = rollbackDeployments(pull);
  expect(rollbacks.map((d) => [d.environment, d.sha, (d.payload as { stage: string }).stage])).toEqual([
    [US, seeded.good[US], "us-100"],
    [EU, seeded.good[EU], "eu-100"],
  ]);
  expect(body).toContain(`newest first: ${"`"}${US}${"`"} to ${seeded.good[US]!.slice(0, 7)} (deployment ${rollbacks[0]!.id}); ${"`"}${EU}${"`"} to ${seeded.good[EU]!.slice(0, 7)} (deployment ${rollbacks[1]!.id})`);
  // The stage still running in the US is marked failed by the app.
  expect(us.statuses[0]).toMatchObject({ state: "failure", by: { login: APP_IDENTITY.login } });

  expectConformingRequests(github.requests.map((r) => ({ method: r.method, path: r.path, query: r.query, body: r.body })));
}, 240_000);
