// End to end (issue 15, item 4c): the scheduled run. The bundled no-server step runs on `schedule`
// the way the Actions runner runs it, against the fake world: it lists every flag that owes a removal
// in its job summary, escalates the overdue ones not escalated yet (once: a second run comments on
// nothing), and ignores look-alike issues a writer opened.
import { startFakeGitHub, type FakeGitHub } from "../support/fake-github.js";
import { APP_LOGIN, WORKFLOW_LOGIN, type FakeIssue } from "../support/fake-release-routes.js";
import { fakeWorld, type FakeWorld } from "../support/fake-world.js";
import { expectConformingRequests } from "../support/rest-conformance.js";
import { runWorkflowStep } from "../support/run-workflow-step.js";
import { pullRequestEvent } from "../support/webhook-examples.js";

const ENTRY = "action/no-server/dist/index.js";
const TOKEN = "ghs_workflow_token_flag_debt_1234567890";
const OWNER = "acme";
const DAY = 86_400_000;
const SHA = "f".repeat(40);

let github: FakeGitHub;
let world: FakeWorld;

beforeAll(async () => {
  world = fakeWorld();
  github = await startFakeGitHub(world.routes());
});

afterAll(async () => {
  await github?.close();
});

function removalIssue(repo: string, flag: string, daysAgo: number, by: string, labels = ["flag-removal"]): FakeIssue {
  return world.release.seedIssue({
    owner: OWNER,
    repo,
    title: `Remove release flag ${flag} (released in #5)`,
    body: `<!-- release-gate:flag-removal {"flag":"${flag}","type":"release","release":5} -->`,
    createdAt: new Date(Date.now() - daysAgo * DAY).toISOString(),
    labels,
    by,
  });
}

const sweep = (repo: string, inputs: Record<string, string> = {}) =>
  runWorkflowStep({ entry: ENTRY, apiUrl: github.url, repository: `${OWNER}/${repo}`, eventName: "schedule", event: { schedule: "0 8 * * 1" }, inputs: { token: TOKEN, ...inputs }, sha: SHA });

const commentsOn = (issue: FakeIssue) => world.release.comments.filter((c) => c.owner === issue.owner && c.repo === issue.repo && c.issueNumber === issue.number);

it("lists the flags owing a removal in the job summary and escalates the newly overdue one, once", async () => {
  const repo = "shop";
  const overdue = removalIssue(repo, "new-checkout", 40, WORKFLOW_LOGIN);
  const escalated = removalIssue(repo, "old-banner", 70, WORKFLOW_LOGIN, ["flag-removal", "flag-overdue"]);
  const fresh = removalIssue(repo, "dark-mode", 3, WORKFLOW_LOGIN);
  const forged = removalIssue(repo, "rival", 90, "mallory");

  const first = await sweep(repo);
  expect(first.stdout).not.toContain("::error::");
  expect(first.code).toBe(0);
  expect(first.outputs).toEqual({ overdue: "2", flags: "3", escalated: "1" });
  expect(first.summary).toContain("## Flag debt in acme/shop");
  expect(first.summary).toContain("**2 overdue** of 3 flags that owe a removal");
  const rows = first.summary.split("\n").filter((l) => l.startsWith("| `"));
  expect(rows.map((r) => r.split(" | ")[0])).toEqual(["| `old-banner`", "| `new-checkout`", "| `dark-mode`"]);
  expect(rows[1]).toMatch(/❌ overdue by 1 week 5 days \(escalated now\) \|$/);
  expect(rows[2]).toMatch(/✅ 3 weeks 3 days left \|$/);
  expect(first.summary).toContain(`Ignored (labelled, but not opened by Release Gate, so their dates prove nothing): #${forged.number}.`);
  expect(first.stdout).toContain("Flag debt (schedule): 2 overdue of 3 flag(s) owing a removal: old-banner, new-checkout; escalated now: 1, 3 write(s)");

  expect(commentsOn(overdue)).toHaveLength(1);
  expect(commentsOn(overdue)[0]!.user.login).toBe(WORKFLOW_LOGIN);
  expect(overdue.labels).toEqual(["flag-removal", "flag-overdue"]);
  expect(world.release.refs.get(`${OWNER}/${repo}:refs/release-gate/issue-${overdue.number}/flag-overdue`)).toBe(SHA);
  for (const untouched of [escalated, fresh, forged]) expect(commentsOn(untouched)).toEqual([]);
  expect(forged.labels).toEqual(["flag-removal"]);

  const second = await sweep(repo);
  expect(second.outputs).toEqual({ overdue: "2", flags: "3", escalated: "0" });
  expect(commentsOn(overdue)).toHaveLength(1);
  expectConformingRequests(github.requests);
});

it("for a repo run by the app, counts the app's removal issues when given its identity", async () => {
  const repo = "app-mode";
  const byApp = removalIssue(repo, "saved-cards", 35, APP_LOGIN);
  // With the default identity (the workflow's), the app's issues are someone else's records.
  const asWorkflow = await sweep(repo);
  expect(asWorkflow.outputs).toEqual({ overdue: "0", flags: "0", escalated: "0" });
  const asApp = await sweep(repo, { "app-id": "123", "app-login": APP_LOGIN });
  expect(asApp.outputs).toEqual({ overdue: "1", flags: "1", escalated: "1" });
  expect(commentsOn(byApp)).toHaveLength(1);
});

it("fails naming the file when the config is invalid, and writes nothing", async () => {
  const repo = "broken";
  world.repos.setFile(OWNER, repo, ".github/release-gate.yml", "flags:\n  max-lifetime: 2 sprints\n");
  const before = github.requests.filter((r) => r.method !== "GET").length;
  const step = await sweep(repo);
  expect(step.code).not.toBe(0);
  expect(step.stdout).toContain("::error::the Release Gate config is invalid, so flag lifetimes were not checked: .github/release-gate.yml:2:17: `flags.max-lifetime`");
  expect(github.requests.filter((r) => r.method !== "GET").length).toBe(before);
});

it("the no-server readiness check names the overdue flags of the workflow identity, not a writer's look-alike", async () => {
  const repo = "no-server-pr";
  const overdue = removalIssue(repo, "new-checkout", 40, WORKFLOW_LOGIN);
  removalIssue(repo, "rival", 90, "mallory");
  const sha = "c".repeat(40);
  world.repos.addPull({ owner: OWNER, repo, number: 12, title: "fix: carts", body: "## Rollback contract\nProcedure: turn off the `saved-cards` flag.\nTriggers: error rate > 1% for 5m\n", headSha: sha, labels: [], files: ["src/cart.ts"] });
  const step = await runWorkflowStep({
    entry: ENTRY,
    apiUrl: github.url,
    repository: `${OWNER}/${repo}`,
    eventName: "pull_request_target",
    event: pullRequestEvent({ owner: OWNER, repo, number: 12, headSha: sha, installation: null }),
    inputs: { token: TOKEN },
  });
  expect(step.code).toBe(0);
  expect(step.outputs.conclusion).toBe("success");
  const run = world.repos.runsFor(OWNER, repo, sha)[0]!;
  expect(run.output.title).toBe("Ready to release — 1 overdue flag: new-checkout");
  expect(run.output.summary).not.toContain("rival");
  expect(commentsOn(overdue)).toHaveLength(1);
  expect(overdue.labels).toEqual(["flag-removal", "flag-overdue"]);
});
