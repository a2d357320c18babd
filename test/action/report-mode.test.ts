// The Action's `mode: report`: inputs validated, the site written from the fake GitHub, reads only.
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runReportMode } from "../../src/action/report-mode.js";
import { run } from "../../src/action/run.js";
import { startFakeGitHub, type FakeGitHub } from "../support/fake-github.js";
import { APP_IDENTITY } from "../support/fake-deployment-routes.js";
import { fakeWorld } from "../support/fake-world.js";
import { expectConformingRequests } from "../support/rest-conformance.js";
import { FakeIo } from "./fake-io.js";

const PLAN = [{ name: "full", percent: 100, observe: "1h" }];
let github: FakeGitHub;
let dir: string;

beforeAll(async () => {
  const world = fakeWorld();
  world.repos.addPull({ owner: "acme", repo: "shop", number: 3, title: "feat: x", body: null, headSha: "a".repeat(40), labels: [], files: [] });
  world.deployments.add({ owner: "acme", repo: "shop", sha: "b".repeat(40), environment: "production", payload: { stage: "full", percent: 100, release: 3, plan: PLAN }, by: APP_IDENTITY, statuses: ["in_progress", "success"] });
  github = await startFakeGitHub(world.routes());
  dir = await mkdtemp(join(tmpdir(), "report-mode-"));
});

afterAll(async () => {
  await github.close();
  await rm(dir, { recursive: true, force: true });
});

it("writes the site to report-dir and one line to the job summary, with GET requests only", async () => {
  const io = new FakeIo({ mode: "report", token: "ghs_reader", "report-dir": join(dir, "site"), "app-id": "123" });
  await run({ io, env: { GITHUB_REPOSITORY: "acme/shop", GITHUB_API_URL: github.url } });
  expect(io.failed).toBeUndefined();
  expect((await readdir(join(dir, "site"))).sort()).toEqual([".nojekyll", "index.html", "release-3.html"]);
  expect(io.summary).toContain("Release report: 1 release in production");
  expect(io.secrets).toContain("ghs_reader");
  expect(github.requests.filter((r) => r.method !== "GET")).toEqual([]);
  expectConformingRequests(github.requests.map((r) => ({ method: r.method, path: r.path, query: r.query, body: r.body })));
});

it("fails the step naming the input that is wrong", async () => {
  const io = new FakeIo({ mode: "report", token: "t", "rollback-slo": "soon" });
  await run({ io, env: { GITHUB_REPOSITORY: "acme/shop", GITHUB_API_URL: github.url } });
  expect(io.failed).toBe('input `rollback-slo`: expected a duration such as "90s", "5m" or "1h"');
  await expect(runReportMode(new FakeIo({ token: "t" }), { GITHUB_API_URL: github.url })).rejects.toThrow(/GITHUB_REPOSITORY is not OWNER\/NAME/);
});
