// The merge queue through the real Probot app: GitHub's example merge_group payloads in, the fake
// GitHub's routes behind nock, every request checked against GitHub's REST API description.
import nock from "nock";
import type { Probot } from "probot";
import { FakeMergeQueue } from "../support/fake-merge-queue-routes.js";
import { FakeRepos } from "../support/fake-readiness-routes.js";
import { buildGroup, GOOD_BODY, mergeGroupEvent, MIGRATION_CLAIM } from "../support/merge-group-scenarios.js";
import { nockFakeGitHub, type NockFake } from "../support/nock-fake-github.js";
import { expectConformingRequests } from "../support/rest-conformance.js";
import { createTestProbot } from "../support/test-probot.js";
import { webhookExample } from "../support/webhook-examples.js";
import type { Route } from "../support/fake-github.js";

const OWNER = "octo-org";
const REPO = "octo-repo";
const ADD_NICKNAME = "SET lock_timeout = '2s';\nALTER TABLE users ADD COLUMN nickname varchar(50);\n";
const SHRINK_NICKNAME = "SET lock_timeout = '2s';\nALTER TABLE users ALTER COLUMN nickname TYPE varchar(20);\n";

let probot: Probot;
let repos: FakeRepos;
let queue: FakeMergeQueue;
let github: NockFake;

beforeEach(async () => {
  probot = await createTestProbot();
  repos = new FakeRepos();
  queue = new FakeMergeQueue(repos);
  github = nockFakeGitHub([...queue.routes(), ...repos.routes()]);
});

afterEach(() => {
  expectConformingRequests(github.requests.map((r) => ({ method: r.method, path: r.path, query: r.query, body: r.body })), { allowNone: true });
});

const deliver = (payload: unknown, id = `delivery-${Math.random()}`) => probot.receive({ id, name: "merge_group", payload } as never);
const reads = () => github.requests.filter((r) => r.method === "GET");

it("the real example payload parses: one run on merge_group.head_sha naming the queued PR", async () => {
  const example = webhookExample("merge_group", "checks_requested");
  expect(example.merge_group.head_ref).toMatch(/^refs\/heads\/gh-readonly-queue\/main\/pr-104-/);
  const group = buildGroup(repos, queue, { owner: OWNER, repo: REPO, id: "one" }, [{ number: 104, files: { "src/cart.ts": "export {};\n" } }]);
  await deliver(mergeGroupEvent(OWNER, REPO, group));
  const runs = repos.runsFor(OWNER, REPO, group.headSha);
  expect(runs).toHaveLength(1);
  expect(runs[0]).toMatchObject({
    name: "Release readiness",
    status: "completed",
    conclusion: "success",
    external_id: `release-gate:pr-104;group=${group.baseSha}`,
    output: { title: "Merge group ready: 1 PR" },
  });
  expect(runs[0]!.output.summary).toContain("| [#104](https://github.com/octo-org/octo-repo/pull/104) fix: change 104 | ✅ ready | Ready to release |");
  // One write; reads: compare, the group's run, config (repo + org), and per PR: its commit look-up, the PR, its files.
  expect(github.writes()).toHaveLength(1);
  expect(reads().map((r) => r.path.replace(/[0-9a-f]{40}/g, "SHA"))).toEqual(
    expect.arrayContaining([`/repos/${OWNER}/${REPO}/compare/SHA...SHA`, `/repos/${OWNER}/${REPO}/commits/SHA/pulls`, `/repos/${OWNER}/${REPO}/pulls/104`, `/repos/${OWNER}/${REPO}/pulls/104/files`]),
  );
  // The bound docs/write-budget.md states: ≤ 4 + 3 per PR (+ 1 per PR that is not ready).
  expect(reads()).toHaveLength(4 + 3 * 1);
});

it("a mixed group fails and says which PR to pull; the other PRs stay ready", async () => {
  const group = buildGroup(repos, queue, { owner: OWNER, repo: REPO, id: "mixed" }, [
    { number: 1, files: { "src/a.ts": "a\n" } },
    { number: 2, body: "Revert if it breaks.", files: { "src/b.ts": "b\n" } },
    { number: 3, files: { "src/c.ts": "c\n" } },
  ]);
  await deliver(mergeGroupEvent(OWNER, REPO, group));
  const [run] = repos.runsFor(OWNER, REPO, group.headSha);
  expect(run).toMatchObject({ conclusion: "failure", output: { title: "Merge group not ready: pull #2 from the queue" } });
  expect(run!.output.summary).toContain("**Remove #2 from the merge queue**");
  expect(run!.output.summary).toMatch(/\| \[#1\]\([^)]+\) fix: change 1 \| ✅ ready \|/);
  expect(run!.output.summary).toMatch(/\| \[#2\]\([^)]+\) fix: change 2 \| ❌ not ready \| Not ready: rollback contract \|/);
  expect(run!.output.summary).toMatch(/\| \[#3\]\([^)]+\) fix: change 3 \| ✅ ready \|/);
  // ≤ 4 + 3 per PR, + 1 for the PR that is not ready (its own run: an approved override holds in the queue).
  expect(reads()).toHaveLength(4 + 3 * 3 + 1);
  expect(github.writes()).toHaveLength(1);
});

it("squash-merged entries: the PR comes from the commit's message when GitHub associates none", async () => {
  const group = buildGroup(repos, queue, { owner: OWNER, repo: REPO, id: "squash" }, [{ number: 7, files: { "src/a.ts": "a\n" } }, { number: 8, files: { "src/b.ts": "b\n" } }], "squash");
  await deliver(mergeGroupEvent(OWNER, REPO, group));
  const [run] = repos.runsFor(OWNER, REPO, group.headSha);
  expect(run).toMatchObject({ conclusion: "success", output: { title: "Merge group ready: 2 PRs" } });
});

it("migrations fine alone but breaking together fail the group, annotated, naming the PR to pull", async () => {
  const group = buildGroup(repos, queue, { owner: OWNER, repo: REPO, id: "sql" }, [
    { number: 20, body: `${GOOD_BODY}${MIGRATION_CLAIM}`, files: { "db/migrations/001_add_nickname.sql": ADD_NICKNAME } },
    { number: 21, body: `${GOOD_BODY}${MIGRATION_CLAIM}`, files: { "db/migrations/002_shrink_nickname.sql": SHRINK_NICKNAME } },
  ]);
  await deliver(mergeGroupEvent(OWNER, REPO, group));
  const [run] = repos.runsFor(OWNER, REPO, group.headSha);
  expect(run).toMatchObject({ conclusion: "failure", output: { title: "Merge group not ready: pull #21 from the queue" } });
  expect(run!.output.summary).toMatch(/\| \[#20\][^|]+\| ✅ ready \|/);
  expect(run!.output.summary).toMatch(/\| \[#21\][^|]+\| ✅ ready \|/);
  expect(run!.output.summary).toContain("`db/migrations/002_shrink_nickname.sql:2` `change-column-type`");
  expect(run!.output.annotations).toEqual([
    expect.objectContaining({ path: "db/migrations/002_shrink_nickname.sql", start_line: 2, annotation_level: "failure", title: expect.stringContaining("change-column-type") }),
  ]);
});

it("a redelivered event and a re-run update the same run", async () => {
  const group = buildGroup(repos, queue, { owner: OWNER, repo: REPO, id: "redeliver" }, [{ number: 30, files: { "src/a.ts": "a\n" } }]);
  const payload = mergeGroupEvent(OWNER, REPO, group);
  await deliver(payload, "same-delivery");
  repos.pulls.get(`${OWNER}/${REPO}#30`)!.body = "Revert if it breaks.";
  await deliver(payload, "same-delivery");
  let runs = repos.runsFor(OWNER, REPO, group.headSha);
  expect(runs).toHaveLength(1);
  expect(runs[0]).toMatchObject({ conclusion: "failure", writes: 2 });

  repos.pulls.get(`${OWNER}/${REPO}#30`)!.body = GOOD_BODY;
  const rerun = webhookExample("check_run", "rerequested");
  rerun.repository.owner.login = OWNER;
  rerun.repository.name = REPO;
  rerun.repository.html_url = `https://github.com/${OWNER}/${REPO}`;
  Object.assign(rerun.check_run, { name: "Release readiness", head_sha: group.headSha, external_id: runs[0]!.external_id, pull_requests: [] });
  rerun.check_run.check_suite.head_branch = group.headRef.replace("refs/heads/", "");
  // GitHub sends `rerequested` to the app that wrote the run: ours (another app's run is ignored).
  rerun.check_run.app.id = 123;
  await probot.receive({ id: "rerun", name: "check_run", payload: rerun } as never);
  runs = repos.runsFor(OWNER, REPO, group.headSha);
  expect(runs).toHaveLength(1);
  expect(runs[0]).toMatchObject({ conclusion: "success", writes: 3 });
  // The re-run judged the group, not PR #30's own head.
  expect(repos.runsFor(OWNER, REPO, group.pullHeads[30]!)).toEqual([]);
});

it("\"Re-run all\" on the group's suite re-judges the group in the same run", async () => {
  const group = buildGroup(repos, queue, { owner: OWNER, repo: REPO, id: "suite" }, [{ number: 40, files: { "src/a.ts": "a\n" } }]);
  await deliver(mergeGroupEvent(OWNER, REPO, group));
  expect(repos.runsFor(OWNER, REPO, group.headSha)[0]).toMatchObject({ conclusion: "success", writes: 1 });
  repos.pulls.get(`${OWNER}/${REPO}#40`)!.body = "Revert if it breaks.";
  const rerun = webhookExample("check_suite", "rerequested");
  rerun.repository.owner.login = OWNER;
  rerun.repository.name = REPO;
  Object.assign(rerun.check_suite, { head_sha: group.headSha, head_branch: group.headRef.replace("refs/heads/", ""), pull_requests: [] });
  await probot.receive({ id: "rerun-all", name: "check_suite", payload: rerun } as never);
  const runs = repos.runsFor(OWNER, REPO, group.headSha);
  expect(runs).toHaveLength(1);
  expect(runs[0]).toMatchObject({ conclusion: "failure", writes: 2, output: { title: "Merge group not ready: pull #40 from the queue" } });
});

it("GitHub failing mid-evaluation ends the queue's wait with a failed \"not evaluated\" run", async () => {
  const group = buildGroup(repos, queue, { owner: OWNER, repo: REPO, id: "outage" }, [{ number: 50, files: { "src/a.ts": "a\n" } }]);
  const outage: Route = { method: "GET", path: "/repos/:owner/:repo/pulls/:pull_number/files", handle: () => ({ status: 500, body: { message: "Server Error" } }) };
  github = nockFakeGitHubWith([outage, ...queue.routes(), ...repos.routes()]);
  await expect(deliver(mergeGroupEvent(OWNER, REPO, group))).rejects.toThrow(/merge group .* failed/);
  const runs = repos.runsFor(OWNER, REPO, group.headSha);
  expect(runs).toHaveLength(1);
  expect(runs[0]).toMatchObject({ conclusion: "failure", external_id: `release-gate:pr-50;group=${group.baseSha}`, output: { title: "Not evaluated: GitHub API error" } });
});

function nockFakeGitHubWith(routes: Route[]): NockFake {
  nock.cleanAll();
  return nockFakeGitHub(routes);
}
