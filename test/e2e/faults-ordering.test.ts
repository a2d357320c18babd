// Ordering and redelivery across two replicas of the real `npm start` process: a slow evaluation of an
// older PR state never overwrites the newer verdict, nor lands on the newer SHA; the same delivery
// redelivered (to one replica or both) creates one run and costs at most one write per delivery; and a
// push whose `synchronize` was lost gets its verdict from `check_suite.requested`.
import { startFakeGitHub, type FakeGitHub, type RouteResponse } from "../support/fake-github.js";
import { FakeRepos, pullJson, type FakePull } from "../support/fake-readiness-routes.js";
import { eventually, startApp, type RunningApp } from "../support/start-app.js";
import { pullRequestEvent, webhookExample } from "../support/webhook-examples.js";

const OWNER = "acme";
const REPO = "shop";
const INSTALLATION = 55;
const GOOD = "## Rollback contract\nProcedure: redeploy the previous release.\nTriggers: 5xx > 0.5%\n";
const BAD = "Fixes the cart. No plan yet.";

let github: FakeGitHub;
let a: RunningApp;
let b: RunningApp;
const repos = new FakeRepos();

function payloadFor(pull: FakePull, action: string) {
  const { owner, repo, number, headSha, updatedAt } = pull;
  return pullRequestEvent({ owner, repo, number, headSha, updatedAt, installation: INSTALLATION, action });
}

const checkRunWrites = (sha?: string) =>
  github.requests.filter(
    (r) =>
      (r.method === "POST" && r.path.endsWith("/check-runs") && (!sha || (r.body as { head_sha?: string }).head_sha === sha)) ||
      (r.method === "PATCH" && /\/check-runs\/\d+$/.test(r.path) && (!sha || repos.checkRuns.find((run) => r.path.endsWith(`/${run.id}`))?.head_sha === sha)),
  );
const outcome = (app: RunningApp, id: string) => app.logs.find((l) => l.includes(`"id":"${id}"`) && l.includes('"msg":"Release readiness: '));

beforeAll(async () => {
  repos.addInstallation(OWNER, INSTALLATION);
  github = await startFakeGitHub(repos.routes());
  const env = { RECONCILE_ON_START: "false" };
  [a, b] = await Promise.all([startApp({ githubPort: github.port, env }), startApp({ githubPort: github.port, env })]);
}, 90_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await github?.close();
});

it("a slow evaluation of an older state on one replica never overwrites the newer verdict, nor writes on the newer SHA", async () => {
  const sha1 = "1".repeat(40);
  const sha2 = "2".repeat(40);
  const pull = repos.addPull({ owner: OWNER, repo: REPO, number: 1, title: "fix", body: BAD, headSha: sha1, labels: [], files: ["a.ts"], updatedAt: "2026-11-23T12:00:00Z" });
  await a.send("pull_request", payloadFor(pull, "opened"));
  await eventually("first verdict", () => repos.runsFor(OWNER, REPO, sha1)[0]?.conclusion === "failure");

  // The author fixes the description (T2). Replica A reads the PR, but GitHub's answer (the state
  // before the edit) is held back until replica B has handled the edit.
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const held: RouteResponse[] = [];
  github.fault = async (req) => {
    if (req.method !== "GET" || req.path !== `/repos/${OWNER}/${REPO}/pulls/1` || held.length > 0) return undefined;
    const stale = { status: 200, body: pullJson({ ...pull }) };
    held.push(stale);
    await released;
    return stale;
  };
  const slow = a.send("pull_request", payloadFor(pull, "edited"), { id: "ordering-slow-edited" });
  await eventually("A's read of the PR to be held", () => held.length === 1);
  pull.body = GOOD;
  pull.updatedAt = "2026-11-23T12:05:00Z";
  await b.send("pull_request", payloadFor(pull, "edited"), { id: "ordering-fast-edited" });
  await eventually("B's verdict", () => outcome(b, "ordering-fast-edited"));
  expect(repos.runsFor(OWNER, REPO, sha1)).toEqual([expect.objectContaining({ conclusion: "success", external_id: "release-gate:pr-1@2026-11-23T12:05:00Z" })]);

  release();
  await slow;
  await eventually("A's outcome", () => outcome(a, "ordering-slow-edited"));
  expect(outcome(a, "ordering-slow-edited")).toContain("newer verdict present, not overwriting");
  expect(repos.runsFor(OWNER, REPO, sha1)).toEqual([expect.objectContaining({ conclusion: "success", external_id: "release-gate:pr-1@2026-11-23T12:05:00Z" })]);

  // A push (sha2, T3) that removes the plan again; A's read is again held with the sha1 state.
  held.length = 0;
  let release2!: () => void;
  const released2 = new Promise<void>((r) => (release2 = r));
  github.fault = async (req) => {
    if (req.method !== "GET" || req.path !== `/repos/${OWNER}/${REPO}/pulls/1` || held.length > 0) return undefined;
    const stale = { status: 200, body: pullJson({ ...pull }) };
    held.push(stale);
    await released2;
    return stale;
  };
  const slow2 = a.send("pull_request", payloadFor(pull, "labeled"), { id: "ordering-slow-labeled" });
  await eventually("A's second read to be held", () => held.length === 1);
  pull.headSha = sha2;
  pull.body = BAD;
  pull.updatedAt = "2026-11-23T12:10:00Z";
  await b.send("pull_request", payloadFor(pull, "synchronize"), { id: "ordering-fast-synchronize" });
  await eventually("B's verdict on sha2", () => outcome(b, "ordering-fast-synchronize"));
  const sha2Writes = checkRunWrites(sha2).length;
  release2();
  await slow2;
  await eventually("A's second outcome", () => outcome(a, "ordering-slow-labeled"));
  github.fault = undefined;

  // The newer SHA keeps the newer verdict and was not written again; the older state went to sha1 only.
  expect(repos.runsFor(OWNER, REPO, sha2)).toEqual([expect.objectContaining({ conclusion: "failure", external_id: "release-gate:pr-1@2026-11-23T12:10:00Z", writes: 1 })]);
  expect(checkRunWrites(sha2)).toHaveLength(sha2Writes);
  expect(repos.runsFor(OWNER, REPO, sha1)).toHaveLength(1);
}, 90_000);

it("a redelivered delivery (same X-GitHub-Delivery, to one replica or both) creates one run and at most one write each", async () => {
  const sha = "3".repeat(40);
  const pull = repos.addPull({ owner: OWNER, repo: REPO, number: 2, title: "fix", body: GOOD, headSha: sha, labels: [], files: ["a.ts"], updatedAt: "2026-11-23T12:00:00Z" });
  const id = "redelivered-delivery";
  const payload = payloadFor(pull, "opened");
  await a.send("pull_request", payload, { id });
  await eventually("first verdict", () => repos.runsFor(OWNER, REPO, sha)[0]);
  // GitHub's "Redeliver" sends the same id and body again: once to the same replica, then to both at once.
  await a.send("pull_request", payload, { id });
  await Promise.all([a.send("pull_request", payload, { id }), b.send("pull_request", payload, { id })]);
  await eventually("every redelivery handled", () => a.logs.filter((l) => l.includes(`"id":"${id}"`) && l.includes('"msg":"Release readiness: ')).length === 3 && outcome(b, id));

  const runs = repos.runsFor(OWNER, REPO, sha);
  expect(runs).toHaveLength(1);
  expect(runs[0]).toMatchObject({ conclusion: "success", external_id: "release-gate:pr-2@2026-11-23T12:00:00Z" });
  const writes = checkRunWrites(sha);
  expect(writes.filter((w) => w.method === "POST")).toHaveLength(1);
  // Four deliveries, four writes at most; every update carries the same verdict.
  expect(writes.length).toBeLessThanOrEqual(4);
  const outputs = new Set(writes.map((w) => JSON.stringify({ ...(w.body as any).output, conclusion: (w.body as any).conclusion })));
  expect(outputs.size).toBe(1);
}, 60_000);

it("a push whose synchronize was lost gets its verdict from check_suite.requested, once", async () => {
  const sha1 = "4".repeat(40);
  const sha2 = "5".repeat(40);
  const pull = repos.addPull({ owner: OWNER, repo: REPO, number: 3, title: "fix", body: GOOD, headSha: sha1, labels: [], files: ["a.ts"], updatedAt: "2026-11-23T12:00:00Z" });
  await a.send("pull_request", payloadFor(pull, "opened"));
  await eventually("first verdict", () => repos.runsFor(OWNER, REPO, sha1)[0]);
  pull.headSha = sha2;
  pull.updatedAt = "2026-11-23T12:01:00Z";
  // The synchronize delivery is lost; check_suite.requested for the push arrives at both replicas.
  const suite = webhookExample("check_suite", "requested");
  suite.installation = { id: INSTALLATION, node_id: "I" };
  suite.repository.owner.login = OWNER;
  suite.repository.name = REPO;
  suite.check_suite = { ...suite.check_suite, head_sha: sha2, pull_requests: [{ number: 3, head: { sha: sha2 }, base: { sha: "b".repeat(40) } }] };
  await a.send("check_suite", suite, { id: "suite-a" });
  await eventually("verdict on the new head", () => repos.runsFor(OWNER, REPO, sha2)[0]);
  // A second copy (another replica, or a redelivery) finds the run and writes nothing.
  const before = checkRunWrites(sha2).length;
  const looks = () => github.requests.filter((r) => r.method === "GET" && r.path.endsWith(`/commits/${sha2}/check-runs`)).length;
  const looksBefore = looks();
  // Probot answers after the handler ran, so B's look-up is in the log when send() returns.
  expect(await b.send("check_suite", suite, { id: "suite-b" })).toBe(200);
  expect(looks()).toBe(looksBefore + 1);
  expect(repos.runsFor(OWNER, REPO, sha2)).toEqual([expect.objectContaining({ conclusion: "success", writes: 1 })]);
  expect(checkRunWrites(sha2)).toHaveLength(before);
}, 60_000);
