// The whole loop against ONE in-memory GitHub: the real app (`npm start`) creates a stage deployment
// on `/release advance`; the bundled Action (`node action/dist/index.js`, as the runner runs it on the
// `deployment` event, with the workflow's GITHUB_TOKEN) runs that stage through its window and gate
// and marks it success; GitHub tells the app (`deployment_status`), the status comment shows the stage
// finished, and the next `/release advance` is allowed. Nobody in the test plays the Action's part.
import { startFakeGitHub, type FakeGitHub, type RecordedRequest } from "../support/fake-github.js";
import { fakeWorld, type FakeWorld } from "../support/fake-world.js";
import { deploymentStatusEvent, postComment, seedRelease } from "../support/release-payloads.js";
import { expectConformingRequests } from "../support/rest-conformance.js";
import { runActionStep } from "../support/run-action.js";
import { eventually, startApp, type RunningApp } from "../support/start-app.js";
import { webhookExample } from "../support/webhook-examples.js";

const OWNER = "acme";
const REPO = "shop";
const PULL = 41;
/** A workflow's GITHUB_TOKEN: the fake stamps its writes as github-actions[bot] (app 15368). */
const WORKFLOW_TOKEN = "ghs_workflow_loop_token";
const CONFIG = [
  "rollout:",
  "  stages:",
  "    - { name: canary, percent: 1, observe: 2s }",
  "    - { name: full, percent: 100, observe: 0s }",
  "  status-writers: [\"github-actions[bot]\"]",
  "",
].join("\n");

let world: FakeWorld;
let github: FakeGitHub;
let app: RunningApp;

beforeAll(async () => {
  // Real clock: the Action and the app both measure the observation window against these records.
  world = fakeWorld({ clock: "real" });
  github = await startFakeGitHub(world.routes());
  world.repos.setFile(OWNER, REPO, ".github/release-gate.yml", CONFIG);
  app = await startApp({ githubPort: github.port, env: { RECONCILE_ON_START: "false" } });
}, 120_000);

afterAll(async () => {
  await app?.stop();
  await github?.close();
});

const isWrite = (r: RecordedRequest) => r.method !== "GET" && !r.path.endsWith("/access_tokens");
const commentWrites = () =>
  github.requests.filter(
    (r) =>
      isWrite(r) &&
      (r.path === `/repos/${OWNER}/${REPO}/issues/${PULL}/comments` ||
        (r.method === "PATCH" && world.release.statusComments(OWNER, REPO, PULL).some((c) => r.path === `/repos/${OWNER}/${REPO}/issues/comments/${c.id}`))),
  ).length;

async function command(body: string, login: string) {
  const answered = commentWrites();
  expect([200, 202]).toContain(await app.send("issue_comment", postComment(world.release, { owner: OWNER, repo: REPO, pull: PULL, body, login })));
  await eventually(`the answer to ${body}`, () => commentWrites() > answered, 60_000);
}

function statusBody(): string {
  const comments = world.release.statusComments(OWNER, REPO, PULL);
  expect(comments).toHaveLength(1);
  return comments[0]!.body;
}

it("app creates the stage, the Action runs it on the same store, the app reads the result and advances", async () => {
  const seeded = seedRelease(world.repos, world.release, { owner: OWNER, repo: REPO, number: PULL, seed: "e" });

  await command("/release advance", "alice");
  const [canary] = world.release.deploymentsOf(OWNER, REPO, PULL);
  if (!canary) throw new Error(`no stage deployment; status comment:\n${world.release.statusComments(OWNER, REPO, PULL).map((c) => c.body).join("\n")}`);
  expect(canary!.by.login).toBe("release-gate[bot]");
  expect(canary!.payload).toMatchObject({ stage: "canary", percent: 1, release: PULL });
  expect(canary!.sha).toBe(seeded.mergeSha);

  // The runner starts the workflow on the `deployment` event GitHub sends for the app's deployment.
  const event = webhookExample("deployment", "created");
  event.deployment.id = canary!.id;
  event.deployment.sha = canary!.sha;
  event.deployment.ref = canary!.ref;
  event.deployment.environment = canary!.environment;
  event.deployment.payload = canary!.payload;
  event.repository.owner.login = OWNER;
  event.repository.name = REPO;
  event.repository.full_name = `${OWNER}/${REPO}`;
  const step = await runActionStep({
    apiUrl: github.url,
    repository: `${OWNER}/${REPO}`,
    sha: canary!.sha,
    eventName: "deployment",
    event,
    inputs: { token: WORKFLOW_TOKEN, interval: "1s", gates: "- { name: error-rate, command: echo 0.001, max: 0.01 }" },
  });
  expect(step.stderr).toBe("");
  expect(step.code).toBe(0);
  expect(step.outputs).toMatchObject({ stage: "canary", percent: "1", "deployment-id": String(canary!.id), verdict: "success" });
  // The Action ran the app's deployment (no second one) and marked it, as the workflow's identity.
  expect(world.release.deploymentsOf(OWNER, REPO, PULL)).toHaveLength(1);
  expect(canary!.statuses.map((s) => [s.state, s.by.login])).toEqual([
    ["success", "github-actions[bot]"],
    ["in_progress", "github-actions[bot]"],
  ]);

  // GitHub tells the app; the status comment shows the stage finished.
  const edits = commentWrites();
  expect(await app.send("deployment_status", deploymentStatusEvent(OWNER, REPO, canary!, "success"))).toBe(200);
  await eventually("the status comment after the stage's result", () => commentWrites() > edits || /\| canary \| 1% \| ✅ success/.test(statusBody()), 30_000);
  await command("/release status", "alice");
  // Finished, asked for by alice, linked to the Action's run (the log_url the Action wrote).
  expect(statusBody()).toMatch(new RegExp(`\\| canary \\| 1% \\| ✅ success[^|]* \\| alice \\| [^|]+ \\| \\[${canary!.id} \\(eeeeeee\\)\\]\\(https://github\\.com/${OWNER}/${REPO}/actions/runs/4242\\)`));
  expect(statusBody()).not.toContain("not created by Release Gate");
  expect(statusBody()).not.toContain("not written by a stage runner");

  // The next stage is now allowed (full needs maintain: mia).
  await command("/release advance", "mia");
  const stages = world.release.deploymentsOf(OWNER, REPO, PULL);
  expect(stages.map((d) => (d.payload as { stage: string }).stage)).toEqual(["canary", "full"]);

  expectConformingRequests(github.requests.map((r) => ({ method: r.method, path: r.path, query: r.query, body: r.body })));
}, 180_000);

// Found by this loop: the reply to `/release advance` is rendered from a local record of the new
// deployment, which must be stamped as the app's own (core/rollout/trust.ts ownAuthor), or the app's
// own stage shows as "not created by Release Gate" and pending until the next re-read.
it("the status comment right after /release advance counts the app's own new deployment", async () => {
  seedRelease(world.repos, world.release, { owner: OWNER, repo: REPO, number: PULL + 1, seed: "f" });
  const answered = world.release.statusComments(OWNER, REPO, PULL + 1).length;
  expect(await app.send("issue_comment", postComment(world.release, { owner: OWNER, repo: REPO, pull: PULL + 1, body: "/release advance", login: "alice" }))).toBe(200);
  await eventually("the status comment", () => world.release.statusComments(OWNER, REPO, PULL + 1).length > answered, 60_000);
  const [stage] = world.release.deploymentsOf(OWNER, REPO, PULL + 1);
  expect(stage?.by.login).toBe("release-gate[bot]");
  const body = world.release.statusComments(OWNER, REPO, PULL + 1)[0]!.body;
  expect(body).not.toContain("not created by Release Gate");
  expect(body).not.toMatch(/\| canary \| 1% \| ⏳ pending/);
}, 120_000);
