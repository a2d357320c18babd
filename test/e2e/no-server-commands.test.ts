// End to end: `/release` commands in no-server mode. The bundled workflow step runs on an
// `issue_comment` event with the workflow's token, through the app's own command path, against the
// local GitHub stand-in.
import { startFakeGitHub, type FakeGitHub, type RecordedRequest } from "../support/fake-github.js";
import { FakeRelease, WORKFLOW_LOGIN } from "../support/fake-release-routes.js";
import { FakeRepos } from "../support/fake-readiness-routes.js";
import { commentEvent, FAST_STAGES_CONFIG, postComment, seedRelease } from "../support/release-payloads.js";
import { expectConformingRequests } from "../support/rest-conformance.js";
import { runWorkflowStep } from "../support/run-workflow-step.js";

const ENTRY = "action/no-server/dist/index.js";
const TOKEN = "ghs_workflow_token_commands_0987654321";
const OWNER = "acme";
const REPO = "shop";

let github: FakeGitHub;
let repos: FakeRepos;
let release: FakeRelease;

beforeAll(async () => {
  repos = new FakeRepos();
  release = new FakeRelease(repos);
  github = await startFakeGitHub([...release.routes(), ...repos.routes()]);
  repos.setFile(OWNER, REPO, ".github/release-gate.yml", FAST_STAGES_CONFIG);
});

afterAll(async () => {
  await github?.close();
});

const isWrite = (r: RecordedRequest) => r.method !== "GET";

async function step(event: unknown) {
  const before = github.requests.length;
  const result = await runWorkflowStep({
    entry: ENTRY,
    apiUrl: github.url,
    repository: `${OWNER}/${REPO}`,
    eventName: "issue_comment",
    event,
    inputs: { token: TOKEN },
  });
  return { ...result, writes: github.requests.slice(before).filter(isWrite) };
}

it("advances the first stage from a comment with the workflow's token, answering in one status comment", async () => {
  const seeded = seedRelease(repos, release, { owner: OWNER, repo: REPO, number: 61, seed: "6", writer: "workflow" });
  const event = postComment(release, { owner: OWNER, repo: REPO, pull: 61, body: "/release advance", login: "alice" });
  const run = await step(event);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  expect(run.outputs).toMatchObject({ result: "done", code: "advanced" });
  // Reaction (receipt), claim ref, deployment, status comment: the app's budget, in workflow mode too.
  expect(run.writes.map((w) => `${w.method} ${w.path.replace(/\d+/g, "N")}`)).toEqual([
    "POST /repos/acme/shop/issues/comments/N/reactions",
    "POST /repos/acme/shop/git/refs",
    "POST /repos/acme/shop/deployments",
    "POST /repos/acme/shop/issues/N/comments",
  ]);
  for (const write of run.writes) expect(write.headers.authorization).toBe(`token ${TOKEN}`);
  const [canary] = release.deploymentsOf(OWNER, REPO, 61);
  expect(canary).toMatchObject({ sha: seeded.mergeSha, payload: { stage: "canary", percent: 1, release: 61 } });
  const [status] = release.statusComments(OWNER, REPO, 61, WORKFLOW_LOGIN);
  expect(status?.body).toContain("canary");
  expect(run.stdout.split("\n").filter((line) => line.includes(TOKEN))).toEqual([`::add-mask::${TOKEN}`]);
  expectConformingRequests(github.requests);

  // A re-run of the same workflow run (same comment) acts once: the reaction answers 200.
  const again = await step(event);
  expect(again.code).toBe(0);
  expect(again.outputs).toEqual({ result: "duplicate" });
  expect(again.writes).toHaveLength(1);
  expect(release.deploymentsOf(OWNER, REPO, 61)).toHaveLength(1);
}, 60_000);

it("refuses a read-only commenter in the same status comment, changing nothing", async () => {
  seedRelease(repos, release, { owner: OWNER, repo: REPO, number: 62, seed: "7", writer: "workflow" });
  const run = await step(postComment(release, { owner: OWNER, repo: REPO, pull: 62, body: "/release advance", login: "rita" }));
  expect(run.code).toBe(0);
  expect(run.outputs).toMatchObject({ result: "refused", code: "permission" });
  expect(release.deploymentsOf(OWNER, REPO, 62)).toHaveLength(0);
  expect(release.statusComments(OWNER, REPO, 62, WORKFLOW_LOGIN)[0]?.body).toMatch(/needs the write role or higher; the commenter has the read role/);
}, 60_000);

it("never runs edited comments, bot comments (its own status comment above all) or plain conversation", async () => {
  seedRelease(repos, release, { owner: OWNER, repo: REPO, number: 63, seed: "8", writer: "workflow" });
  const cases = [
    commentEvent({ owner: OWNER, repo: REPO, pull: 63, commentId: 7001, body: "/release advance", login: "alice", action: "edited" }),
    commentEvent({ owner: OWNER, repo: REPO, pull: 63, commentId: 7002, body: "/release advance", login: WORKFLOW_LOGIN, type: "Bot" }),
    commentEvent({ owner: OWNER, repo: REPO, pull: 63, commentId: 7003, body: "LGTM, ship it", login: "alice" }),
  ];
  for (const event of cases) {
    const run = await step(event);
    expect(run.code).toBe(0);
    expect(run.outputs).toEqual({ result: "ignored" });
    expect(run.writes).toHaveLength(0);
  }
  expect(release.deploymentsOf(OWNER, REPO, 63)).toHaveLength(0);
}, 60_000);

it("binds an override to its comment in workflow mode too: an edited request is void, an untouched one is approved", async () => {
  seedRelease(repos, release, { owner: OWNER, repo: REPO, number: 66, seed: "4", readiness: "failure", writer: "workflow" });
  const run = () => repos.checkRuns.find((r) => r.id === 900066)!;
  const asked = postComment(release, { owner: OWNER, repo: REPO, pull: 66, body: "/release override launch doc covers it", login: "alice" });
  const request = await step(asked);
  expect(request.outputs).toMatchObject({ result: "done", code: "override-requested" });
  expect(run().external_id).toMatch(/;request=\d+\.\d+\.alice\.[\w-]{43}$/);
  // Someone with write access rewrites the request before a second person approves it.
  release.comments.find((c) => c.id === asked.comment.id)!.body = "/release override anything goes";
  const refused = await step(postComment(release, { owner: OWNER, repo: REPO, pull: 66, body: "/release approve-override", login: "bob" }));
  expect(refused.outputs).toMatchObject({ result: "refused", code: "override-void" });
  expect(run().conclusion).toBe("failure");

  await step(postComment(release, { owner: OWNER, repo: REPO, pull: 66, body: "/release override launch doc covers it", login: "alice" }));
  const approved = await step(postComment(release, { owner: OWNER, repo: REPO, pull: 66, body: "/release approve-override", login: "bob" }));
  expect(approved.outputs).toMatchObject({ result: "done", code: "override-approved" });
  expect(run()).toMatchObject({ conclusion: "success", external_id: expect.stringMatching(/;override=bob,alice,\d+$/) });
  expectConformingRequests(github.requests);
}, 90_000);

it("counts only the workflow identity's readiness run: another app's success run does not let a stage start", async () => {
  // The seeded `Release readiness` success run is written by another app (id 123), not by github-actions.
  seedRelease(repos, release, { owner: OWNER, repo: REPO, number: 64, seed: "9", writer: "app" });
  const run = await step(postComment(release, { owner: OWNER, repo: REPO, pull: 64, body: "/release advance", login: "alice" }));
  expect(run.code).toBe(0);
  expect(run.outputs).toMatchObject({ result: "refused", code: "not-ready" });
  expect(release.deploymentsOf(OWNER, REPO, 64)).toHaveLength(0);
  const checkRunReads = github.requests.filter((r) => r.method === "GET" && r.path.endsWith(`/commits/${"9".repeat(40)}/check-runs`));
  expect(checkRunReads.map((r) => r.query.get("app_id"))).toEqual(["15368"]);
}, 60_000);
