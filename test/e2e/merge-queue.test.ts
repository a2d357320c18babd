// End to end: the real `npm start` process answers GitHub's merge queue. A `merge_group` delivery
// (GitHub's own example payload, signed) gets one `Release readiness` run on the group's head, judged
// from the group's PRs (compare + commit look-ups on the fake GitHub) and their combined migrations.
import { startFakeGitHub, type FakeGitHub, type RecordedRequest } from "../support/fake-github.js";
import { FakeMergeQueue } from "../support/fake-merge-queue-routes.js";
import { FakeRepos } from "../support/fake-readiness-routes.js";
import { buildGroup, GOOD_BODY, mergeGroupEvent, MIGRATION_CLAIM } from "../support/merge-group-scenarios.js";
import { expectConformingRequests } from "../support/rest-conformance.js";
import { eventually, startApp, type RunningApp } from "../support/start-app.js";

const OWNER = "acme";
const REPO = "shop";
const ADD_NICKNAME = "SET lock_timeout = '2s';\nALTER TABLE users ADD COLUMN nickname varchar(50);\n";
const SHRINK_NICKNAME = "SET lock_timeout = '2s';\nALTER TABLE users ALTER COLUMN nickname TYPE varchar(20);\n";

let github: FakeGitHub;
let repos: FakeRepos;
let queue: FakeMergeQueue;
let app: RunningApp;

beforeAll(async () => {
  repos = new FakeRepos();
  queue = new FakeMergeQueue(repos);
  github = await startFakeGitHub([...queue.routes(), ...repos.routes()]);
  app = await startApp({ githubPort: github.port });
}, 90_000);

afterAll(async () => {
  await app?.stop();
  await github?.close();
});

afterEach(() => {
  expectConformingRequests(github.requests.map((r) => ({ method: r.method, path: r.path, query: r.query, body: r.body })));
});

/** The installation's API requests made since `from` (the app-level ones, token minting and the startup reconciliation's listing, excluded). */
function since(from: number): { reads: RecordedRequest[]; writes: RecordedRequest[] } {
  const made = github.requests.slice(from).filter((r) => !r.path.startsWith("/app/"));
  return { reads: made.filter((r) => r.method === "GET"), writes: made.filter((r) => r.method !== "GET") };
}

it("a one-PR group: one run on the group's head, success, within a second or two", async () => {
  const group = buildGroup(repos, queue, { owner: OWNER, repo: REPO, id: "e2e-one" }, [{ number: 1, files: { "src/cart.ts": "export {};\n" } }]);
  const from = github.requests.length;
  const sent = Date.now();
  expect(await app.send("merge_group", mergeGroupEvent(OWNER, REPO, group))).toBe(200);
  const run = await eventually("group run", () => repos.runsFor(OWNER, REPO, group.headSha)[0]);
  const elapsed = Date.now() - sent;
  expect(run).toMatchObject({ name: "Release readiness", status: "completed", conclusion: "success", writes: 1, output: { title: "Merge group ready: 1 PR" } });
  expect(run.output.summary).toContain("[#1](https://github.com/acme/shop/pull/1)");
  const { reads, writes } = since(from);
  expect(writes).toHaveLength(1);
  expect(reads).toHaveLength(4 + 3 * 1);
  console.log(`merge group, 1 PR: ${reads.length} reads, ${writes.length} write, run after ${elapsed} ms`);
});

it("a mixed group (one PR not ready): failure naming the PR to pull", async () => {
  const group = buildGroup(repos, queue, { owner: OWNER, repo: REPO, id: "e2e-mixed" }, [
    { number: 11, files: { "src/a.ts": "a\n" } },
    { number: 12, body: "Revert if it breaks.", files: { "src/b.ts": "b\n" } },
    { number: 13, files: { "src/c.ts": "c\n" } },
  ]);
  const from = github.requests.length;
  await app.send("merge_group", mergeGroupEvent(OWNER, REPO, group));
  const run = await eventually("group run", () => repos.runsFor(OWNER, REPO, group.headSha)[0]);
  expect(run).toMatchObject({ conclusion: "failure", output: { title: "Merge group not ready: pull #12 from the queue" } });
  expect(run.output.summary).toContain("**Remove #12 from the merge queue**");
  expect(run.output.summary).toMatch(/\| \[#11\][^|]+\| ✅ ready \|/);
  expect(run.output.summary).toMatch(/\| \[#12\][^|]+\| ❌ not ready \| Not ready: rollback contract \|/);
  expect(run.output.summary).toMatch(/\| \[#13\][^|]+\| ✅ ready \|/);
  const { reads, writes } = since(from);
  expect(writes).toHaveLength(1);
  expect(reads).toHaveLength(4 + 3 * 3 + 1);
  console.log(`merge group, 3 PRs (1 not ready): ${reads.length} reads, ${writes.length} write`);
});

it("a group whose migrations are fine alone but break together fails, annotated on the offending line", async () => {
  const body = `${GOOD_BODY}${MIGRATION_CLAIM}`;
  const group = buildGroup(repos, queue, { owner: OWNER, repo: REPO, id: "e2e-sql" }, [
    { number: 21, body, files: { "db/migrations/001_add_nickname.sql": ADD_NICKNAME } },
    { number: 22, body, files: { "db/migrations/002_shrink_nickname.sql": SHRINK_NICKNAME } },
  ]);
  // Each PR alone is ready: its own check passes.
  const from = github.requests.length;
  await app.send("merge_group", mergeGroupEvent(OWNER, REPO, group));
  const run = await eventually("group run", () => repos.runsFor(OWNER, REPO, group.headSha)[0]);
  expect(run).toMatchObject({ conclusion: "failure", output: { title: "Merge group not ready: pull #22 from the queue" } });
  expect(run.output.summary).toMatch(/\| \[#21\][^|]+\| ✅ ready \|/);
  expect(run.output.summary).toMatch(/\| \[#22\][^|]+\| ✅ ready \|/);
  expect(run.output.summary).toContain("`db/migrations/002_shrink_nickname.sql:2` `change-column-type`");
  expect(run.output.annotations).toEqual([
    expect.objectContaining({ path: "db/migrations/002_shrink_nickname.sql", start_line: 2, end_line: 2, annotation_level: "failure" }),
  ]);
  const { reads, writes } = since(from);
  expect(writes).toHaveLength(1);
  // New migration files are read from the listing's patch: no contents reads.
  expect(reads).toHaveLength(4 + 3 * 2);
  console.log(`merge group, 2 PRs with conflicting migrations: ${reads.length} reads, ${writes.length} write`);
});

it("a redelivered event (twice at once, then again) keeps one run on the group's head", async () => {
  const group = buildGroup(repos, queue, { owner: OWNER, repo: REPO, id: "e2e-redeliver" }, [{ number: 31, files: { "src/a.ts": "a\n" } }]);
  const payload = mergeGroupEvent(OWNER, REPO, group);
  await Promise.all([app.send("merge_group", payload, { id: "redelivered-1" }), app.send("merge_group", payload, { id: "redelivered-1" })]);
  await eventually("both deliveries written", () => repos.runsFor(OWNER, REPO, group.headSha)[0]?.writes === 2);
  await app.send("merge_group", payload, { id: "redelivered-1" });
  await eventually("third delivery written", () => repos.runsFor(OWNER, REPO, group.headSha)[0]?.writes === 3);
  expect(repos.runsFor(OWNER, REPO, group.headSha)).toHaveLength(1);
  expect(repos.runsFor(OWNER, REPO, group.headSha)[0]).toMatchObject({ conclusion: "success" });
});
