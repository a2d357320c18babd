// End to end, as a hostile repo writer or a foreign app would try it against the real `npm start`:
// records the gate did not write (another app's readiness run, a writer's hand-made deployments and
// statuses) must neither steer the rollout nor pass the deployment protection rule.
import { actAs, type FakeGitHub, type RecordedRequest } from "../support/fake-github.js";
import type { FakeDeployment, FakeRelease } from "../support/fake-release-routes.js";
import type { FakeRepos } from "../support/fake-readiness-routes.js";
import { FAST_STAGES_CONFIG, postComment, protectionRuleEvent, seedRelease } from "../support/release-payloads.js";
import { expectConformingRequests } from "../support/rest-conformance.js";
import { eventually, type RunningApp } from "../support/start-app.js";
import { startAppInWorld, stopAppInWorld } from "../support/fake-world.js";
import { pullRequestEvent } from "../support/webhook-examples.js";

const OWNER = "acme";
const REPO = "shop";

let github: FakeGitHub;
let repos: FakeRepos;
let release: FakeRelease;
let app: RunningApp;

beforeAll(async () => {
  ({ repos, release, github, app } = await startAppInWorld({ config: { owner: OWNER, repo: REPO, text: FAST_STAGES_CONFIG } }));
}, 120_000);

afterAll(() => stopAppInWorld({ app, github }));

/** A writer's personal access token, and another app's installation token, as the fake knows them. */
const bob = () => actAs(github, "ghp_bob");
const evilApp = () => actAs(github, "ghs_app_777_evil-ci");

const isWrite = (r: RecordedRequest) => r.method !== "GET" && !r.path.endsWith("/access_tokens");
const commentWrites = (pull: number) =>
  github.requests.filter(
    (r) =>
      isWrite(r) &&
      (r.path === `/repos/${OWNER}/${REPO}/issues/${pull}/comments` ||
        (r.method === "PATCH" && release.statusComments(OWNER, REPO, pull).some((c) => r.path === `/repos/${OWNER}/${REPO}/issues/comments/${c.id}`))),
  ).length;

async function command(pull: number, body: string, login: string) {
  const answered = commentWrites(pull);
  expect([200, 202]).toContain(await app.send("issue_comment", postComment(release, { owner: OWNER, repo: REPO, pull, body, login })));
  await eventually(`the answer to ${body}`, () => commentWrites(pull) > answered, 60_000);
}

function statusBody(pull: number): string {
  const comments = release.statusComments(OWNER, REPO, pull);
  expect(comments).toHaveLength(1);
  return comments[0]!.body;
}

/** GitHub asks the app whether the workflow run deploying `deployment` may proceed; returns the answer. */
async function askProtectionRule(deployment: FakeDeployment, runId: number) {
  expect(await app.send("deployment_protection_rule", protectionRuleEvent(OWNER, REPO, { runId, environment: "production", event: "deployment", deployment }))).toBe(200);
  const answer = await eventually(`the protection-rule answer for run ${runId}`, () => release.protectionAnswers.find((a) => a.runId === runId), 30_000);
  return answer.body as { state: string; comment: string };
}

/**
 * What a writer can do with their own token: create a deployment with any payload on any commit. The
 * payload copies the plan from one of the app's deployments, so it parses as a stage payload.
 */
async function forgeDeployment(sha: string, payload: Record<string, unknown>): Promise<FakeDeployment> {
  const plan = (release.deploymentsOf(OWNER, REPO, payload.release as number)[0]!.payload as { plan: unknown }).plan;
  const created = await bob()("POST", `/repos/${OWNER}/${REPO}/deployments`, {
    ref: sha,
    environment: "production",
    payload: { ...payload, plan },
    auto_merge: false,
    required_contexts: [],
  });
  expect(created.status).toBe(201);
  expect(created.data.creator.login).toBe("bob");
  return release.deployments.find((d) => d.id === created.data.id)!;
}

it("(a) another app's far-future success run neither suppresses the app's failure verdict nor lets /release advance deploy", async () => {
  const seeded = seedRelease(repos, release, { owner: OWNER, repo: REPO, number: 61, seed: "a" });
  // No verdict of ours yet, and the PR has no rollback contract: the app's own verdict is a failure.
  repos.checkRuns = repos.checkRuns.filter((r) => r.id !== 900061);
  repos.pulls.get(`${OWNER}/${REPO}#61`)!.body = "Just a fix.";
  const forged = await evilApp()("POST", `/repos/${OWNER}/${REPO}/check-runs`, {
    name: "Release readiness",
    head_sha: seeded.headSha,
    status: "completed",
    conclusion: "success",
    external_id: "release-gate:pr-61@2999-01-01T00:00:00Z",
    output: { title: "Ready to release", summary: "trust me" },
  });
  expect(forged.status).toBe(201);
  expect(forged.data.app.id).toBe(777);

  await app.send("pull_request", pullRequestEvent({ owner: OWNER, repo: REPO, number: 61, headSha: seeded.headSha, action: "edited", installation: 42 }));
  const ours = await eventually("the app's own verdict", () => repos.runsFor(OWNER, REPO, seeded.headSha).find((r) => r.app?.id === 123), 20_000);
  expect(ours).toMatchObject({ conclusion: "failure" });
  const listed = github.requests.filter((r) => r.method === "GET" && r.path.endsWith(`/commits/${seeded.headSha}/check-runs`));
  expect(listed.length).toBeGreaterThan(0);
  for (const r of listed) expect(r.query.get("app_id")).toBe("123");

  await command(61, "/release advance", "alice");
  expect(release.deploymentsOf(OWNER, REPO, 61)).toHaveLength(0);
  expect(statusBody(61)).toMatch(/readiness check failed/);
}, 120_000);

it("(b) the protection rule rejects a writer's hand-made rollback to an arbitrary commit", async () => {
  const seeded = seedRelease(repos, release, { owner: OWNER, repo: REPO, number: 62, seed: "b" });
  await command(62, "/release advance", "alice");
  const canary = release.deploymentsOf(OWNER, REPO, 62)[0]!;
  release.addStatus(canary.id, "in_progress");
  const arbitrary = "6".repeat(40);
  const forged = await forgeDeployment(arbitrary, { stage: "canary", percent: 100, release: 62, rollback: { of: canary.id, reason: "trust me" } });

  const answer = await askProtectionRule(forged, 62_001);
  expect(answer.state).toBe("rejected");
  expect(answer.comment).toContain(`Deployment #${forged.id} by bob was not created by Release Gate`);
  expect(answer.comment).toContain(`redeploys the last good commit ${seeded.lastGoodSha.slice(0, 7)}, not 6666666`);
}, 120_000);

it("(c) the protection rule rejects a writer's hand-made final-stage deployment: the requester lacks maintain", async () => {
  const seeded = seedRelease(repos, release, { owner: OWNER, repo: REPO, number: 63, seed: "c" });
  for (const login of ["alice", "bob"]) {
    await command(63, "/release advance", login);
    const stage = release.deploymentsOf(OWNER, REPO, 63).at(-1)!;
    release.addStatus(stage.id, "in_progress");
    release.addStatus(stage.id, "success");
  }
  // bob may not `/release advance` into `full`; by hand he names mia as the requester, too.
  const forged = await forgeDeployment(seeded.mergeSha, { stage: "full", percent: 100, release: 63, requestedBy: "mia" });

  const answer = await askProtectionRule(forged, 63_001);
  expect(answer.state).toBe("rejected");
  expect(answer.comment).toContain("Stage full is the last stage and needs the maintain role or higher; bob, who asked for this deployment, has the write role.");
  await eventually("the rejection in the status comment", () => statusBody(63).includes("workflow run 63001"), 30_000);
  expect(statusBody(63)).toContain("**Not created by Release Gate:**");
  expect(statusBody(63)).toContain(`ignored: deployment ${forged.id} (full) by bob — not created by Release Gate`);
}, 180_000);

it("(d) a writer's hand-made success status does not finish a stage, and the status comment lists it", async () => {
  seedRelease(repos, release, { owner: OWNER, repo: REPO, number: 64, seed: "d" });
  await command(64, "/release advance", "alice");
  const canary = release.deploymentsOf(OWNER, REPO, 64)[0]!;
  const status = await bob()("POST", `/repos/${OWNER}/${REPO}/deployments/${canary.id}/statuses`, { state: "success", description: "looks fine to me" });
  expect(status.status).toBe(201);
  expect(status.data.creator.login).toBe("bob");

  await command(64, "/release advance", "alice");
  expect(release.deploymentsOf(OWNER, REPO, 64)).toHaveLength(1);
  const body = statusBody(64);
  expect(body).toMatch(/Stage canary is still queued/);
  expect(body).toContain(`ignored: success status on deployment ${canary.id} (canary) by bob — not written by a stage runner`);
}, 120_000);

it("sends GitHub only requests that exist in its REST API, with valid fields", () => {
  expectConformingRequests(github.requests.map((r) => ({ method: r.method, path: r.path, query: r.query, body: r.body })));
});
