import { isPostStep, post, run } from "../../src/action/run.js";
import type { GitHubClient } from "../../src/github/client.js";
import type { ConfigPluginClient } from "../../src/workflows/load-config.js";
import { FakeIo } from "./fake-io.js";

const ENV = { GITHUB_REPOSITORY: "acme/shop", GITHUB_SHA: "c".repeat(40), GITHUB_EVENT_NAME: "push", GITHUB_RUN_ID: "7", GITHUB_SERVER_URL: "https://github.com" };

/** Records requests; answers deployment creation and statuses. */
function recordingOctokit(fail?: (route: string) => Error | undefined) {
  const calls: Array<{ route: string; params: Record<string, unknown> }> = [];
  const octokit = {
    request: async (route: string, params: Record<string, unknown>) => {
      calls.push({ route, params });
      const error = fail?.(route);
      if (error) throw error;
      if (route === "POST /repos/{owner}/{repo}/deployments") return { status: 201, data: { id: 31, sha: params.ref } };
      if (route.startsWith("GET /repos/{owner}/{repo}/commits/")) return { status: 200, data: [] };
      if (route === "GET /repos/{owner}/{repo}/deployments") return { status: 200, data: [] };
      return { status: 201, data: {} };
    },
    paginate: async () => [],
    // The config plugin's answer when the repository has no `.github/release-gate.yml` (documented defaults).
    config: { get: async () => ({ config: {}, files: [] }) },
  } as unknown as GitHubClient & ConfigPluginClient;
  return { octokit, calls };
}

describe("run (main step)", () => {
  it("fails the step naming the bad input, before any request", async () => {
    const io = new FakeIo({ token: "t", percent: "200" });
    const { octokit, calls } = recordingOctokit();
    await run({ env: ENV, io, octokit });
    expect(io.failed).toBe('input `percent`: expected a number > 0 and <= 100, got "200"');
    expect(calls).toEqual([]);
    // The entry runs the post step next time.
    expect(isPostStep(io)).toBe(true);
  });

  it("registers the token as a secret and never logs it", async () => {
    const io = new FakeIo({ token: "ghs_secret_value", stage: "canary", percent: "1", observe: "1s", interval: "1s", release: "4" });
    const { octokit } = recordingOctokit();
    await run({ env: ENV, io, octokit, deps: { sleep: async () => undefined } });
    expect(io.secrets).toEqual(["ghs_secret_value"]);
    expect(io.log.join("\n")).not.toContain("ghs_secret_value");
    expect(io.outputs.verdict).toBe("success");
    expect(io.summary).toContain("Release Gate: canary (1%) in production: success");
  });

  it("marks a stage it started as error when something throws mid-stage, then fails the step", async () => {
    const io = new FakeIo({ token: "t", stage: "canary", percent: "1", observe: "1s", interval: "1s", release: "4", shift: "exit 0" });
    const { octokit, calls } = recordingOctokit();
    await run({
      env: ENV,
      io,
      octokit,
      deps: {
        shell: async () => {
          throw new Error("spawn /bin/sh ENOENT");
        },
      },
    });
    expect(io.failed).toBe("spawn /bin/sh ENOENT");
    const statuses = calls.filter((c) => c.route.endsWith("/statuses")).map((c) => [c.params.state, c.params.log_url]);
    expect(statuses).toEqual([
      ["in_progress", "https://github.com/acme/shop/actions/runs/7"],
      ["error", "https://github.com/acme/shop/actions/runs/7"],
    ]);
    expect(io.state.finished).toBe("verdict");
  });
});

describe("post step", () => {
  it("marks a stage left in progress (cancelled or crashed) as error", async () => {
    const io = new FakeIo({ token: "t" }, { "is-post": "true", "deployment-id": "31", finished: "" });
    const { octokit, calls } = recordingOctokit();
    await post({ env: { ...ENV, GITHUB_EVENT_NAME: "deployment" }, io, octokit });
    expect(calls).toEqual([
      {
        route: "POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses",
        params: expect.objectContaining({ deployment_id: 31, state: "error", log_url: "https://github.com/acme/shop/actions/runs/7" }),
      },
    ]);
    expect((calls[0]!.params.description as string).length).toBeLessThan(140);
  });

  it.each([
    [{ "deployment-id": "31", finished: "verdict" }],
    [{ "deployment-id": "31", finished: "handoff" }],
    [{ "deployment-id": "31", finished: "observing" }],
    [{ "deployment-id": "31", finished: "", "dry-run": "true" }],
    [{}],
  ])("leaves finished, handed-off, observing (left for mode: resume), dry-run and never-started stages alone: %j", async (state) => {
    const io = new FakeIo({ token: "t" }, { "is-post": "true", ...state });
    const { octokit, calls } = recordingOctokit();
    await post({ env: ENV, io, octokit });
    expect(calls).toEqual([]);
  });

  it("warns instead of failing when the cleanup request fails", async () => {
    const io = new FakeIo({ token: "t" }, { "is-post": "true", "deployment-id": "31", finished: "" });
    const { octokit } = recordingOctokit(() => new Error("HttpError: Bad credentials"));
    await post({ env: ENV, io, octokit });
    expect(io.failed).toBeUndefined();
    expect(io.log).toContain("warning: post step could not clean up: HttpError: Bad credentials");
  });
});

describe("run: $RELEASE_* in gate queries", () => {
  const gates = (query: string) => `- { name: error-rate, prometheus: { url: "http://prom:9090", query: '${query}' }, max: 0.01 }`;

  it("fills the stage and environment into a Prometheus query it samples", async () => {
    const io = new FakeIo({ token: "t", stage: "eu-10", percent: "10", environment: "production-eu", observe: "1s", interval: "1s", release: "4", gates: gates('sum(errors{region="$RELEASE_ENVIRONMENT",stage="${RELEASE_STAGE}",cohort="$RELEASE_COHORT"})') });
    const { octokit } = recordingOctokit();
    const queries: string[] = [];
    await run({
      env: ENV,
      io,
      octokit,
      deps: {
        sleep: async () => undefined,
        sample: async (gate) => {
          queries.push("prometheus" in gate ? gate.prometheus.query : "");
          return { kind: "value", value: 0 };
        },
      },
    });
    expect(io.outputs.verdict).toBe("success");
    expect(new Set(queries)).toEqual(new Set(['sum(errors{region="production-eu",stage="eu-10",cohort=""})']));
  });

  it("fails a stage whose name would break out of the query, before any deployment is created or marked", async () => {
    const io = new FakeIo({ token: "t", stage: 'eu"} or vector(1) #', percent: "10", observe: "1s", interval: "1s", release: "4", gates: gates('errors{stage="$RELEASE_STAGE"}') });
    const { octokit, calls } = recordingOctokit();
    let sampled = 0;
    await run({ env: ENV, io, octokit, deps: { sleep: async () => undefined, sample: async () => ((sampled++), { kind: "value", value: 0 }) } });
    expect(io.failed).toMatch(/^gate `error-rate`: \$RELEASE_STAGE is "eu\\"} or vector\(1\) #", outside the safe alphabet \[A-Za-z0-9._-\]/);
    expect(sampled).toBe(0);
    expect(calls.filter((c) => c.route.startsWith("POST"))).toEqual([]);
  });
});
