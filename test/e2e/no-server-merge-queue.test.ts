// End to end: the no-server step on `merge_group` (the bundled step, run as the runner runs it, with
// the workflow's token) writes the same group verdict as the app.
import { startFakeGitHub, type FakeGitHub } from "../support/fake-github.js";
import { FakeMergeQueue } from "../support/fake-merge-queue-routes.js";
import { FakeRepos } from "../support/fake-readiness-routes.js";
import { buildGroup, GOOD_BODY, mergeGroupEvent, MIGRATION_CLAIM } from "../support/merge-group-scenarios.js";
import { expectConformingRequests } from "../support/rest-conformance.js";
import { runWorkflowStep } from "../support/run-workflow-step.js";

const ENTRY = "action/no-server/dist/index.js";
const TOKEN = "ghs_workflow_token_merge_queue_0123456789";
const OWNER = "acme";
const REPO = "shop";

let github: FakeGitHub;
let repos: FakeRepos;
let queue: FakeMergeQueue;

beforeAll(async () => {
  repos = new FakeRepos();
  queue = new FakeMergeQueue(repos);
  github = await startFakeGitHub([...queue.routes(), ...repos.routes()]);
});

afterAll(async () => {
  await github?.close();
});

afterEach(() => {
  expectConformingRequests(github.requests);
});

function workflowEvent(group: ReturnType<typeof buildGroup>) {
  const event = mergeGroupEvent(OWNER, REPO, group);
  delete event.installation;
  return event;
}

const runStep = (event: unknown) => runWorkflowStep({ entry: ENTRY, apiUrl: github.url, repository: `${OWNER}/${REPO}`, eventName: "merge_group", event, inputs: { token: TOKEN } });

it("on: merge_group writes one Release readiness run on the group's head and sets the outputs", async () => {
  const group = buildGroup(repos, queue, { owner: OWNER, repo: REPO, id: "ns-one" }, [{ number: 5, files: { "src/a.ts": "a\n" } }]);
  const step = await runStep(workflowEvent(group));
  expect(step.stderr).toBe("");
  expect(step.code).toBe(0);
  const runs = repos.runsFor(OWNER, REPO, group.headSha);
  expect(runs).toHaveLength(1);
  expect(runs[0]).toMatchObject({ name: "Release readiness", conclusion: "success", output: { title: "Merge group ready: 1 PR" } });
  expect(step.outputs).toEqual({ conclusion: "success", "check-run-id": String(runs[0]!.id) });
  // The same run on a second workflow run (a re-run of the job).
  await runStep(workflowEvent(group));
  expect(repos.runsFor(OWNER, REPO, group.headSha)).toHaveLength(1);
});

it("the same combined-migration verdict as the app", async () => {
  const body = `${GOOD_BODY}${MIGRATION_CLAIM}`;
  const group = buildGroup(repos, queue, { owner: OWNER, repo: REPO, id: "ns-sql" }, [
    { number: 6, body, files: { "db/migrations/001_add_nickname.sql": "SET lock_timeout = '2s';\nALTER TABLE users ADD COLUMN nickname varchar(50);\n" } },
    { number: 7, body, files: { "db/migrations/002_shrink_nickname.sql": "SET lock_timeout = '2s';\nALTER TABLE users ALTER COLUMN nickname TYPE varchar(20);\n" } },
  ]);
  const step = await runStep(workflowEvent(group));
  expect(step.code).toBe(0);
  expect(step.outputs.conclusion).toBe("failure");
  const [run] = repos.runsFor(OWNER, REPO, group.headSha);
  expect(run).toMatchObject({ conclusion: "failure", output: { title: "Merge group not ready: pull #7 from the queue" } });
});
