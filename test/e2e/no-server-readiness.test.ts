// End to end: the no-server workflow step (`node action/no-server/dist/index.js`) run the way the
// Actions runner runs it (INPUT_*, GITHUB_EVENT_NAME/PATH, GITHUB_API_URL, GITHUB_OUTPUT), against
// the local GitHub stand-in, with the workflow's token instead of an app's.
import { startFakeGitHub, type FakeGitHub } from "../support/fake-github.js";
import { FakeRepos } from "../support/fake-readiness-routes.js";
import { expectConformingRequests } from "../support/rest-conformance.js";
import { runWorkflowStep } from "../support/run-workflow-step.js";
import { pullRequestEvent } from "../support/webhook-examples.js";

const ENTRY = "action/no-server/dist/index.js";
const TOKEN = "ghs_workflow_token_do_not_print_1234567890";
const OWNER = "acme";
const REPO = "shop";
const GOOD_BODY = "## Rollback contract\nProcedure: turn off the `saved-cards` flag.\nTriggers: error rate > 1% for 5m\n";

let github: FakeGitHub;
let repos: FakeRepos;

beforeAll(async () => {
  repos = new FakeRepos();
  github = await startFakeGitHub(repos.routes());
});

afterAll(async () => {
  await github?.close();
});

function runStep(eventName: string, event: unknown, inputs: Record<string, string> = { token: TOKEN }) {
  return runWorkflowStep({ entry: ENTRY, apiUrl: github.url, repository: `${OWNER}/${REPO}`, eventName, event, inputs });
}

function prEvent(number: number, sha: string) {
  return pullRequestEvent({ owner: OWNER, repo: REPO, number, headSha: sha, installation: null });
}

it("writes the Release readiness check with the workflow's token and sets the outputs", async () => {
  const sha = "a".repeat(40);
  repos.addPull({ owner: OWNER, repo: REPO, number: 11, title: "fix: carts", body: GOOD_BODY, headSha: sha, labels: [], files: ["src/cart.ts"] });
  const step = await runStep("pull_request", prEvent(11, sha));
  expect(step.stderr).toBe("");
  expect(step.code).toBe(0);
  const runs = repos.runsFor(OWNER, REPO, sha);
  expect(runs).toHaveLength(1);
  expect(runs[0]).toMatchObject({ name: "Release readiness", status: "completed", conclusion: "success", writes: 1 });
  // No Advance / Roll back buttons: nothing would receive their requested_action events.
  const created = github.requests.find((r) => r.method === "POST" && r.path.endsWith("/check-runs"))!;
  expect((created.body as { actions: unknown[] }).actions).toEqual([]);
  expect(step.outputs).toEqual({ conclusion: "success", "check-run-id": String(runs[0]!.id) });
  expect(created.headers.authorization).toBe(`token ${TOKEN}`);
  // The token is registered as a secret (so the runner masks it) and printed nowhere else.
  const lines = step.stdout.split("\n").filter((line) => line.includes(TOKEN));
  expect(lines).toEqual([`::add-mask::${TOKEN}`]);
  expectConformingRequests(github.requests);
});

it("runs the same rules as the app: a vague rollback contract fails the check, the step still succeeds", async () => {
  const sha = "b".repeat(40);
  repos.addPull({ owner: OWNER, repo: REPO, number: 12, title: "fix", body: "## Rollback contract\nrevert if it breaks\n", headSha: sha, labels: [], files: ["a.ts"] });
  const step = await runStep("pull_request_target", prEvent(12, sha));
  expect(step.code).toBe(0);
  const [run] = repos.runsFor(OWNER, REPO, sha);
  expect(run?.conclusion).toBe("failure");
  expect(run?.output.summary).toContain("Rollback contract");
  expect(step.outputs.conclusion).toBe("failure");
});

it("analyses migration SQL with the bundled PostgreSQL parser (WASM shipped next to the bundle)", async () => {
  const sha = "e".repeat(40);
  const body = `${GOOD_BODY}\n## Schema migration\n- [x] This migration is backward compatible with the running version (expand/contract)\n`;
  // A migration the PR adds (editing one the base branch has would be a finding of its own).
  const fileDetails = { "db/migrations/0014_users.sql": { status: "added" as const, additions: 6, deletions: 0 } };
  repos.addPull({ owner: OWNER, repo: REPO, number: 14, title: "fix: users", body, headSha: sha, labels: [], files: ["db/migrations/0014_users.sql"], fileDetails });
  // The DROP sits inside a DO block: only the real parser (PL/pgSQL included) finds it; the keyword
  // fallback would report an unparsed block instead.
  repos.setFile(OWNER, REPO, "db/migrations/0014_users.sql", "SET lock_timeout = '2s';\nDO $$\nBEGIN\n  ALTER TABLE users DROP COLUMN email;\nEND\n$$;\n", sha);
  const step = await runStep("pull_request", prEvent(14, sha));
  expect(step.code).toBe(0);
  const [run] = repos.runsFor(OWNER, REPO, sha);
  expect(run?.conclusion).toBe("failure");
  expect(run?.output.annotations).toEqual([
    expect.objectContaining({ path: "db/migrations/0014_users.sql", start_line: 4, annotation_level: "failure", title: "drop-column: Drops a column" }),
  ]);
  expectConformingRequests(github.requests);
});

it("fails the step, naming what to do, on an event it does not handle", async () => {
  const before = github.requests.length;
  const step = await runStep("push", { ref: "refs/heads/main" });
  expect(step.code).toBe(1);
  expect(step.stdout).toContain("::error::event `push` is not handled in no-server mode; run this step on: pull_request, pull_request_target, pull_request_review, issue_comment, merge_group, schedule, workflow_dispatch");
  expect(github.requests.length).toBe(before);
});

it("fails the step naming the input when the token is empty", async () => {
  const step = await runStep("pull_request", prEvent(11, "a".repeat(40)), { token: "" });
  expect(step.code).toBe(1);
  expect(step.stdout).toMatch(/::error::input `token` is empty/);
});

it("reports an event file without a pull request instead of guessing", async () => {
  const step = await runStep("pull_request", { repository: { name: REPO, owner: { login: OWNER } } });
  expect(step.code).toBe(1);
  expect(step.stdout).toMatch(/::error::the pull_request event has no pull request/);
});

it("retries a 502 from GitHub through Octokit's retry plugin and still writes exactly one run", async () => {
  const sha = "c".repeat(40);
  repos.addPull({ owner: OWNER, repo: REPO, number: 13, title: "fix", body: GOOD_BODY, headSha: sha, labels: [], files: ["a.ts"] });
  let failed = 0;
  github.fault = (req) => (req.method === "POST" && req.path.endsWith("/check-runs") && failed++ === 0 ? { status: 502, body: { message: "Bad Gateway" } } : undefined);
  try {
    const step = await runStep("pull_request", prEvent(13, sha));
    expect(step.code).toBe(0);
  } finally {
    github.fault = undefined;
  }
  expect(failed).toBe(2);
  expect(repos.runsFor(OWNER, REPO, sha)).toHaveLength(1);
}, 30_000);
