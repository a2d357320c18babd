// End to end: a stage whose process dies mid-window (a cancelled job, a crashed runner) is not left
// `in_progress`: the post step, run by the runner however the main step ended, marks it `error`.
import { startFakeGitHub, type FakeGitHub } from "../support/fake-github.js";
import type { FakeDeployments } from "../support/fake-deployment-routes.js";
import { fakeWorld, type FakeWorld } from "../support/fake-world.js";
import { expectConformingRequests } from "../support/rest-conformance.js";
import { runPostStep, startActionStep, type RunnerSetup } from "../support/run-action.js";
import { eventually } from "../support/start-app.js";

let github: FakeGitHub;
let world: FakeWorld;
let deployments: FakeDeployments;

beforeAll(async () => {
  // The one in-memory GitHub, on the real clock: the Action measures its windows against the records.
  world = fakeWorld({ clock: "real" });
  deployments = world.deployments;
  github = await startFakeGitHub(world.routes());
});

afterAll(async () => {
  await github?.close();
});

it.each(["SIGKILL", "SIGTERM"] as const)("marks the stage error after the main step dies by %s mid-window", async (signal) => {
  const setup: RunnerSetup = {
    apiUrl: github.url,
    repository: "acme/shop",
    sha: signal === "SIGKILL" ? "5".repeat(40) : "6".repeat(40),
    eventName: "workflow_dispatch",
    event: {},
    inputs: { token: "t", stage: "canary", percent: "1", observe: "10m", interval: "1s", release: "3", gates: "- { name: error-rate, command: echo 0, max: 0.01 }" },
  };
  const main = await startActionStep(setup);
  const stage = await eventually("stage in progress", () => deployments.deployments.find((d) => d.sha === setup.sha && d.statuses[0]?.state === "in_progress"), 30_000);
  await eventually("a first sample", () => main.lines.find((l) => l.startsWith("t+")), 30_000);
  main.child.kill(signal);
  const ended = await main.done;
  expect(ended.signal).toBe(signal);
  expect(stage.statuses.map((s) => s.state)).toEqual(["in_progress"]);
  expect(ended.state).toMatchObject({ "is-post": "true", "deployment-id": String(stage.id), finished: "" });

  const cleanup = await runPostStep(setup, ended);
  expect(cleanup.code).toBe(0);
  expect(stage.statuses.map((s) => s.state)).toEqual(["error", "in_progress"]);
  expect(stage.statuses[0]!.description).toBe("Release Gate stopped before a verdict (cancelled or crashed); no rollback was run");
  expect(stage.statuses[0]!.log_url).toBe("https://github.com/acme/shop/actions/runs/4242");
  expectConformingRequests(github.requests);
}, 60_000);

it("leaves a stage alone after a verdict: the post step writes nothing", async () => {
  const setup: RunnerSetup = {
    apiUrl: github.url,
    repository: "acme/shop",
    sha: "7".repeat(40),
    eventName: "workflow_dispatch",
    event: {},
    inputs: { token: "t", stage: "canary", percent: "1", observe: "1s", interval: "1s", release: "3", gates: "- { name: error-rate, command: echo 0, max: 0.01 }" },
  };
  const main = await (await startActionStep(setup)).done;
  expect(main.code).toBe(0);
  const before = github.requests.length;
  const cleanup = await runPostStep(setup, main);
  expect(cleanup.code).toBe(0);
  expect(cleanup.stdout).toContain("nothing to clean up");
  expect(github.requests.length).toBe(before);
}, 60_000);
