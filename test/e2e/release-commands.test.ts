// End to end: two replicas of the real `npm start` process drive rollouts from PR comments against
// the local GitHub stand-in. The test plays the Action's part by marking stages successful.
import { startFakeGitHub, type FakeGitHub, type RecordedRequest } from "../support/fake-github.js";
import { FakeRelease } from "../support/fake-release-routes.js";
import { FakeRepos } from "../support/fake-readiness-routes.js";
import { deploymentStatusEvent, FAST_STAGES_CONFIG, postComment, seedRelease } from "../support/release-payloads.js";
import { expectConformingRequests } from "../support/rest-conformance.js";
import { eventually, startApp, type RunningApp } from "../support/start-app.js";

const OWNER = "acme";
const REPO = "shop";

let github: FakeGitHub;
let repos: FakeRepos;
let release: FakeRelease;
let app: RunningApp;
let replica: RunningApp;

beforeAll(async () => {
  repos = new FakeRepos();
  release = new FakeRelease(repos);
  github = await startFakeGitHub([...release.routes(), ...repos.routes()]);
  repos.setFile(OWNER, REPO, ".github/release-gate.yml", FAST_STAGES_CONFIG);
  const env = { RECONCILE_ON_START: "false" };
  [app, replica] = await Promise.all([startApp({ githubPort: github.port, env }), startApp({ githubPort: github.port, env })]);
}, 120_000);

afterAll(async () => {
  await Promise.all([app?.stop(), replica?.stop()]);
  await github?.close();
});

const isWrite = (r: RecordedRequest) => r.method !== "GET" && !r.path.endsWith("/access_tokens");
const deploymentsOf = (pull: number) => release.deploymentsOf(OWNER, REPO, pull);
/** Status-comment writes for a PR: each command ends with exactly one. */
const commentWrites = (pull: number) =>
  github.requests.filter((r) => isWrite(r) && (r.path === `/repos/${OWNER}/${REPO}/issues/${pull}/comments` || isStatusEdit(r, pull))).length;
const isStatusEdit = (r: RecordedRequest, pull: number) =>
  r.method === "PATCH" && release.statusComments(OWNER, REPO, pull).some((c) => r.path === `/repos/${OWNER}/${REPO}/issues/comments/${c.id}`);

/** Posts a comment as `login`, delivers it, and waits until the app answered in the status comment. */
async function command(pull: number, body: string, login: string, to: RunningApp = app) {
  const before = github.requests.length;
  const answered = commentWrites(pull);
  expect([200, 202]).toContain(await to.send("issue_comment", postComment(release, { owner: OWNER, repo: REPO, pull, body, login })));
  await eventually(`the answer to ${body}`, () => commentWrites(pull) > answered, 60_000);
  return github.requests.slice(before).filter(isWrite);
}

function statusBody(pull: number): string {
  const comments = release.statusComments(OWNER, REPO, pull);
  expect(comments).toHaveLength(1);
  return comments[0]!.body;
}

it("runs a full rollout canary -> 100% from comments, 4 writes per advance", async () => {
  const seeded = seedRelease(repos, release, { owner: OWNER, repo: REPO, number: 11, seed: "b" });
  const perAdvance: number[] = [];
  for (const [stage, login] of [["canary", "alice"], ["half", "bob"], ["full", "mia"]] as const) {
    const writes = await command(11, "/release advance", login);
    perAdvance.push(writes.length);
    const current = deploymentsOf(11).at(-1)!;
    expect(current.payload).toMatchObject({ stage, release: 11 });
    expect(current.sha).toBe(seeded.mergeSha);
    // The Action's part: the stage ran and its gates held.
    release.addStatus(current.id, "in_progress");
    release.addStatus(current.id, "success");
  }
  expect(perAdvance).toEqual([4, 4, 4]);
  expect(deploymentsOf(11).map((d) => (d.payload as { percent: number }).percent)).toEqual([1, 50, 100]);
  expect(statusBody(11)).toContain("full");

  // GitHub tells the app the last stage succeeded: the flag named in the plan gets its removal issue.
  const full = deploymentsOf(11).at(-1)!;
  await app.send("deployment_status", deploymentStatusEvent(OWNER, REPO, full, "success"));
  await eventually("the flag-removal issue", () => release.issues.find((i) => i.title.includes("saved-cards")));

  const after = await command(11, "/release advance", "mia");
  expect(after).toHaveLength(2);
  expect(statusBody(11)).toMatch(/rollout is complete/);
}, 180_000);

it("refuses a read-only user: nothing changes and the comment says why", async () => {
  seedRelease(repos, release, { owner: OWNER, repo: REPO, number: 21, seed: "c" });
  const writes = await command(21, "/release advance", "rita");
  expect(writes.map((w) => w.method)).toEqual(["POST", "POST"]);
  expect(deploymentsOf(21)).toHaveLength(0);
  expect([...release.refs.keys()].some((k) => k.includes("pr-21"))).toBe(false);
  expect(statusBody(21)).toMatch(/needs the write role or higher; the commenter has the read role/);
}, 120_000);

it("rolls back to the last good SHA and marks the stage failed", async () => {
  const seeded = seedRelease(repos, release, { owner: OWNER, repo: REPO, number: 31, seed: "d" });
  await command(31, "/release advance", "alice");
  const canary = deploymentsOf(31)[0]!;
  release.addStatus(canary.id, "in_progress");
  const writes = await command(31, "/release rollback p99 doubled", "bob");
  expect(writes).toHaveLength(5);
  const rollback = deploymentsOf(31)[1]!;
  expect(rollback.sha).toBe(seeded.lastGoodSha);
  expect(rollback.payload).toMatchObject({ rollback: { of: canary.id, reason: "p99 doubled" } });
  expect(canary.statuses[0]!.state).toBe("failure");
  expect(statusBody(31)).toMatch(/Rolling back to/);
}, 120_000);

it("ten concurrent advance commands across two replicas start exactly one stage", async () => {
  seedRelease(repos, release, { owner: OWNER, repo: REPO, number: 41, seed: "f" });
  const answered = commentWrites(41);
  const posts = Array.from({ length: 10 }, (_, i) =>
    (i % 2 === 0 ? app : replica).send("issue_comment", postComment(release, { owner: OWNER, repo: REPO, pull: 41, body: "/release advance", login: i % 3 === 0 ? "alice" : "bob" })),
  );
  // 202: the webhook middleware answers "accepted" when handling outlasts its timeout (the write queue).
  for (const status of await Promise.all(posts)) expect([200, 202]).toContain(status);
  await eventually("ten answers", () => commentWrites(41) >= answered + 10, 120_000);
  expect(deploymentsOf(41)).toHaveLength(1);
  expect([...release.refs.keys()].filter((k) => k.includes("pr-41/"))).toEqual([`${OWNER}/${REPO}:refs/release-gate/pr-41/stage-canary-1`]);
  // If both replicas created the status comment for the first command, later commands removed the copy.
  await eventually("one status comment", () => release.statusComments(OWNER, REPO, 41).length === 1, 30_000);
}, 180_000);

it("five redeliveries of one command, to either replica, act once", async () => {
  seedRelease(repos, release, { owner: OWNER, repo: REPO, number: 51, seed: "9" });
  const payload = postComment(release, { owner: OWNER, repo: REPO, pull: 51, body: "/release advance", login: "alice" });
  const commentId = payload.comment.id as number;
  const reactions = () => github.requests.filter((r) => r.method === "POST" && r.path === `/repos/${OWNER}/${REPO}/issues/comments/${commentId}/reactions`).length;
  const statuses = await Promise.all(Array.from({ length: 5 }, (_, i) => (i % 2 === 0 ? app : replica).send("issue_comment", payload, { id: "same-delivery-id" })));
  for (const status of statuses) expect([200, 202]).toContain(status);
  await eventually("five receipts", () => reactions() === 5, 60_000);
  await eventually("the one answer", () => commentWrites(51) === 1, 60_000);
  expect(deploymentsOf(51)).toHaveLength(1);
  const comment = release.comments.find((c) => c.id === commentId)!;
  expect(comment.reactions).toHaveLength(1);
}, 120_000);

it("sends GitHub only requests that exist in its REST API, with valid fields", () => {
  expectConformingRequests(github.requests.map((r) => ({ method: r.method, path: r.path, query: r.query, body: r.body })));
});
