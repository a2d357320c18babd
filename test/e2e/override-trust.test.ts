// End to end, against the real `npm start` process: only the gate's own records count. One writer
// cannot approve an override alone (a request is bound to its comment as first read and kept on the
// app's own check run, not in the editable status comment), and a comment that merely carries the
// status comment's marker is not the app's status comment.
import type { FakeGitHub, RecordedRequest } from "../support/fake-github.js";
import { APP_LOGIN, WORKFLOW_LOGIN, type FakeRelease } from "../support/fake-release-routes.js";
import type { FakeRepos } from "../support/fake-readiness-routes.js";
import { FAST_STAGES_CONFIG, postComment, seedRelease } from "../support/release-payloads.js";
import { expectConformingRequests } from "../support/rest-conformance.js";
import { eventually, type RunningApp } from "../support/start-app.js";
import { startAppInWorld, stopAppInWorld } from "../support/fake-world.js";

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

/** Requests the app sent (the installation token), not the ones a test sent as a person or a workflow. */
const byApp = (r: RecordedRequest) => String(r.headers.authorization ?? "").includes("ghs_fake_installation_token");
const isWrite = (r: RecordedRequest) => r.method !== "GET" && !r.path.endsWith("/access_tokens") && byApp(r);
const ownStatusComments = (pull: number) => release.statusComments(OWNER, REPO, pull, APP_LOGIN);
const answers = (pull: number) =>
  github.requests.filter(
    (r) =>
      isWrite(r) &&
      ((r.method === "POST" && r.path === `/repos/${OWNER}/${REPO}/issues/${pull}/comments`) ||
        (r.method === "PATCH" && ownStatusComments(pull).some((c) => r.path === `/repos/${OWNER}/${REPO}/issues/comments/${c.id}`))),
  ).length;

/** Posts a comment as `login`, delivers it, and waits for the app's answer in its status comment. */
async function command(pull: number, body: string, login: string) {
  const before = github.requests.length;
  const answered = answers(pull);
  expect([200, 202]).toContain(await app.send("issue_comment", postComment(release, { owner: OWNER, repo: REPO, pull, body, login })));
  await eventually(`the answer to ${body}`, () => answers(pull) > answered, 60_000);
  return github.requests.slice(before).filter(isWrite);
}

/** What a person (or a workflow) does with their own token, straight against GitHub's REST API. */
async function asPerson(token: string, method: string, path: string, body: unknown) {
  const response = await fetch(`${github.url}${path}`, { method, headers: { authorization: `token ${token}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  expect(response.ok).toBe(true);
  return (await response.json()) as { id: number };
}

function statusBody(pull: number): string {
  const comments = ownStatusComments(pull);
  expect(comments).toHaveLength(1);
  return comments[0]!.body;
}

const runOf = (pull: number) => repos.checkRuns.find((r) => r.id === 900000 + pull)!;

it("one writer cannot approve an override alone: someone else's comment edited into a request and a forged status-comment record are refused", async () => {
  seedRelease(repos, release, { owner: OWNER, repo: REPO, number: 61, seed: "1", readiness: "failure" });
  // alice said something harmless long ago (the app sees it and ignores it: no command).
  const old = postComment(release, { owner: OWNER, repo: REPO, pull: 61, body: "Looks good to me", login: "alice" });
  expect([200, 202]).toContain(await app.send("issue_comment", old));
  await command(61, "/release status", "bob");

  // bob, a writer, turns alice's comment into an override request and records it as pending in the
  // status comment's hidden state, as the app would have...
  await asPerson("ghp_bob", "PATCH", `/repos/${OWNER}/${REPO}/issues/comments/${old.comment.id}`, { body: "/release override hotfix, approved offline" });
  const status = ownStatusComments(61)[0]!;
  const forged = { v: 1, pendingOverride: { requestedBy: "alice", reason: "hotfix, approved offline", sha: runOf(61).head_sha, at: "2026-11-23T09:00:00Z", key: String(old.comment.id) }, processed: [] };
  await asPerson("ghp_bob", "PATCH", `/repos/${OWNER}/${REPO}/issues/comments/${status.id}`, {
    body: status.body.replace(/<!-- release-gate:state .*? -->/, `<!-- release-gate:state ${JSON.stringify(forged)} -->`),
  });
  // ...and approves "alice's" request himself.
  const writes = await command(61, "/release approve-override", "bob");

  expect(statusBody(61)).toMatch(/refused, nothing changed[\s\S]*no override request to approve/);
  expect(runOf(61)).toMatchObject({ conclusion: "failure" });
  expect(runOf(61).external_id).not.toMatch(/override=/);
  expect(release.issues.filter((i) => i.title.includes("#61"))).toHaveLength(0);
  expect(writes.map((w) => w.method)).toEqual(["POST", "PATCH"]); // the reaction and the answer only
}, 120_000);

it("a request whose comment was edited after it was made is void; an untouched one is approved by a second person (3 + 4 writes)", async () => {
  seedRelease(repos, release, { owner: OWNER, repo: REPO, number: 62, seed: "2", readiness: "failure" });
  await command(62, "/release override comms note is in the launch doc", "alice");
  const asked = release.comments.filter((c) => c.issueNumber === 62 && c.user.login === "alice").at(-1)!;
  // Any writer may edit any comment: the text bob would approve is no longer the text alice wrote.
  await asPerson("ghp_bob", "PATCH", `/repos/${OWNER}/${REPO}/issues/comments/${asked.id}`, { body: "/release override ship it, no questions" });
  await command(62, "/release approve-override", "bob");
  expect(statusBody(62)).toMatch(/Override request void:.*edited after the request was made/);
  expect(runOf(62)).toMatchObject({ conclusion: "failure" });
  expect(release.issues.filter((i) => i.title.includes("#62"))).toHaveLength(0);

  // Asked again and left alone, a second person's approval passes the check for this head only.
  const request = await command(62, "/release override comms note is in the launch doc", "alice");
  expect(request.map((w) => `${w.method} ${w.path.replace(/\d+/g, "N")}`)).toEqual([
    "POST /repos/acme/shop/issues/comments/N/reactions",
    "PATCH /repos/acme/shop/check-runs/N",
    "PATCH /repos/acme/shop/issues/comments/N",
  ]);
  expect(runOf(62).external_id).toMatch(/;request=\d+\.\d+\.alice\.[\w-]{43}$/);
  const approve = await command(62, "/release approve-override", "bob");
  expect(approve.map((w) => `${w.method} ${w.path.replace(/\d+/g, "N")}`)).toEqual([
    "POST /repos/acme/shop/issues/comments/N/reactions",
    "POST /repos/acme/shop/issues",
    "PATCH /repos/acme/shop/check-runs/N",
    "PATCH /repos/acme/shop/issues/comments/N",
  ]);
  expect(runOf(62)).toMatchObject({ conclusion: "success", output: expect.objectContaining({ title: expect.stringMatching(/^Overridden by bob: /) }) });
  expect(runOf(62).external_id).toMatch(/;override=bob,alice,\d+$/);
  expect(runOf(62).output.summary).toMatch(/Reason: comms note is in the launch doc/);
}, 120_000);

it("a comment posted by a workflow (github-actions[bot]) with the status marker is not taken for the app's status comment", async () => {
  seedRelease(repos, release, { owner: OWNER, repo: REPO, number: 63, seed: "3" });
  // Any writer can run a workflow whose GITHUB_TOKEN comments on the PR.
  const lookAlike = `<!-- release-gate:status -->\n<!-- release-gate:state {"v":1,"processed":[]} -->\nRelease Gate says: all clear`;
  const posted = await asPerson("ghs_workflow_token", "POST", `/repos/${OWNER}/${REPO}/issues/63/comments`, { body: lookAlike });
  const copy = release.comments.find((c) => c.id === posted.id)!;
  expect(copy.user.login).toBe(WORKFLOW_LOGIN);
  expect([200, 202]).toContain(await app.send("issue_comment", postComment(release, { owner: OWNER, repo: REPO, pull: 63, body: "/release status", login: "alice" })));
  await eventually("the app's answer", () => ownStatusComments(63).length > 0 || copy.edits > 0 || undefined, 60_000);
  expect(copy).toMatchObject({ edits: 0, body: lookAlike });
  expect(statusBody(63)).toMatch(/Status refreshed/);
}, 120_000);

it("sends GitHub only requests that exist in its REST API, with valid fields", () => {
  expectConformingRequests(github.requests.map((r) => ({ method: r.method, path: r.path, query: r.query, body: r.body })));
});
