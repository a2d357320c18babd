// The REST conformance checker catches the mistakes a mock would happily accept, and accepts the
// requests Release Gate really makes.
import { Octokit } from "@octokit/rest";
import nock from "nock";
import { installationTokenRoute, startFakeGitHub } from "../support/fake-github.js";
import { checkRequest, expectConformingRequests, recordNockRequests } from "../support/rest-conformance.js";

const REPO = "/repos/acme/shop";
const SHA = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";

const annotation = (i: number) => ({ path: "src/cart.ts", start_line: i + 1, end_line: i + 1, annotation_level: "warning", message: `finding ${i}` });
const validCheckRun = {
  name: "Release readiness",
  head_sha: SHA,
  external_id: "release-gate:pr-2",
  status: "completed",
  conclusion: "success",
  output: { title: "Ready", summary: "All rules pass", text: "details", annotations: [annotation(0)] },
  actions: [{ label: "Re-run", description: "Evaluate readiness again", identifier: "rerun" }],
};

describe("checkRequest rejects", () => {
  test("an unknown path", () => {
    expect(checkRequest({ method: "GET", path: `${REPO}/check_runs/1` })).toEqual(["no REST operation has a path matching /repos/acme/shop/check_runs/1"]);
  });

  test("a method the path does not have", () => {
    expect(checkRequest({ method: "DELETE", path: `${REPO}/check-runs` })).toEqual([
      "no DELETE operation for /repos/acme/shop/check-runs; the path matches /repos/{owner}/{repo}/check-runs (POST)",
    ]);
  });

  test("a conclusion outside the enum on create check run", () => {
    const problems = checkRequest({ method: "POST", path: `${REPO}/check-runs`, body: { ...validCheckRun, conclusion: "succeeded" } });
    expect(problems).toEqual([
      'body.conclusion: "succeeded" is not one of "action_required", "cancelled", "failure", "neutral", "success", "skipped", "stale", "timed_out"',
    ]);
  });

  test("51 annotations", () => {
    const output = { ...validCheckRun.output, annotations: Array.from({ length: 51 }, (_, i) => annotation(i)) };
    expect(checkRequest({ method: "POST", path: `${REPO}/check-runs`, body: { ...validCheckRun, output } })).toEqual([
      "body.output.annotations: 51 items, more than maxItems 50",
    ]);
    output.annotations.pop();
    expect(checkRequest({ method: "POST", path: `${REPO}/check-runs`, body: { ...validCheckRun, output } })).toEqual([]);
  });

  test("a summary of 65536 characters, on create and on update", () => {
    const output = { title: "Ready", summary: "x".repeat(65536) };
    expect(checkRequest({ method: "POST", path: `${REPO}/check-runs`, body: { ...validCheckRun, output } })).toEqual([
      "body.output.summary: 65536 characters, more than maxLength 65535",
    ]);
    expect(checkRequest({ method: "PATCH", path: `${REPO}/check-runs/42`, body: { output } })).toEqual([
      "body.output.summary: 65536 characters, more than maxLength 65535",
    ]);
    expect(checkRequest({ method: "PATCH", path: `${REPO}/check-runs/42`, body: { output: { ...output, summary: "x".repeat(65535) } } })).toEqual([]);
  });

  test("a deployment status description over 140 characters", () => {
    const path = `${REPO}/deployments/7/statuses`;
    expect(checkRequest({ method: "POST", path, body: { state: "success", description: "d".repeat(141) } })).toEqual([
      "body.description: 141 characters, more than maxLength 140",
    ]);
    expect(checkRequest({ method: "POST", path, body: { state: "success", description: "d".repeat(140) } })).toEqual([]);
  });

  test("an unknown body field, also nested", () => {
    const problems = checkRequest({ method: "POST", path: `${REPO}/check-runs`, body: { ...validCheckRun, conclussion: "success", output: { ...validCheckRun.output, sumary: "typo" } } });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toBe("body.output: unknown field sumary (known: title, summary, text, annotations, images)");
    expect(problems[1]).toMatch(/^body: unknown field conclussion \(known: name, head_sha, .*conclusion/);
  });

  test("a missing required field", () => {
    const { head_sha: _omitted, ...withoutSha } = validCheckRun;
    expect(checkRequest({ method: "POST", path: `${REPO}/check-runs`, body: withoutSha })).toEqual(["body: missing required field head_sha"]);
    expect(checkRequest({ method: "POST", path: `${REPO}/check-runs` })).toEqual(["body: missing required field name", "body: missing required field head_sha"]);
  });

  test("annotations without their required fields or with a bad level", () => {
    const output = { ...validCheckRun.output, annotations: [{ path: "a.ts", start_line: 1, end_line: 1, annotation_level: "error" }] };
    expect(checkRequest({ method: "PATCH", path: `${REPO}/check-runs/42`, body: { output } })).toEqual([
      "body.output.annotations[0]: missing required field message",
      'body.output.annotations[0].annotation_level: "error" is not one of "notice", "warning", "failure"',
    ]);
  });

  test("more than 3 actions and an action label over 20 characters", () => {
    const action = { label: "Roll back this release", description: "Undo", identifier: "rollback" };
    expect(checkRequest({ method: "POST", path: `${REPO}/check-runs`, body: { ...validCheckRun, actions: [action, action, action, action].map((a, i) => ({ ...a, label: i === 0 ? a.label : "ok" })) } })).toEqual([
      "body.actions: 4 items, more than maxItems 3",
      "body.actions[0].label: 22 characters, more than maxLength 20",
    ]);
  });

  test("primitive type mismatches", () => {
    expect(checkRequest({ method: "POST", path: `${REPO}/check-runs`, body: { ...validCheckRun, head_sha: 123 } })).toEqual(["body.head_sha: expected string, got 123"]);
    expect(checkRequest({ method: "POST", path: `${REPO}/deployments`, body: { ref: "main", auto_merge: "false" } })).toEqual(['body.auto_merge: expected boolean, got "false"']);
    expect(checkRequest({ method: "POST", path: `${REPO}/deployments`, body: { ref: "main", payload: 42 } })).toEqual([
      "body.payload: matches none of 2 alternatives; the closest fails with: body.payload: expected object, got 42",
    ]);
  });

  test("a conclusion-less completed update, which GitHub rejects", () => {
    expect(checkRequest({ method: "PATCH", path: `${REPO}/check-runs/42`, body: { status: "completed" } })).toEqual([
      "body: matches none of 2 alternatives; the closest fails with: body: missing required field conclusion",
    ]);
  });

  test("unknown or ill-typed query and path parameters", () => {
    expect(checkRequest({ method: "GET", path: `${REPO}/pulls/2/files?perPage=100` })).toEqual([
      "unknown query parameter perPage (pulls/list-files accepts per_page, page)",
    ]);
    expect(checkRequest({ method: "GET", path: `${REPO}/commits/${SHA}/check-runs`, query: { filter: "newest", per_page: "all" } })).toEqual([
      'query parameter filter: "newest" is not one of "latest", "all"',
      'query parameter per_page: "all" is not an integer',
    ]);
    expect(checkRequest({ method: "PATCH", path: `${REPO}/check-runs/undefined`, body: { status: "in_progress" } })).toEqual([
      'path parameter check_run_id: "undefined" is not an integer',
    ]);
  });

  test("a body where the operation takes none", () => {
    expect(checkRequest({ method: "GET", path: `${REPO}/pulls/2`, body: { state: "open" } })).toEqual(["pulls/get takes no request body, got an object"]);
  });

  test("a deployment protection review with neither state nor comment", () => {
    expect(checkRequest({ method: "POST", path: `${REPO}/actions/runs/5/deployment_protection_rule`, body: { environment_name: "production" } })).toEqual([
      "body: matches none of 2 alternatives; the closest fails with: body: missing required field comment",
    ]);
  });
});

describe("checkRequest accepts", () => {
  const valid: [string, Parameters<typeof checkRequest>[0]][] = [
    ["create check run", { method: "POST", path: `${REPO}/check-runs`, body: validCheckRun }],
    ["create check run in progress", { method: "POST", path: `${REPO}/check-runs`, body: { name: "Release readiness", head_sha: SHA, status: "in_progress" } }],
    ["update check run", { method: "PATCH", path: `${REPO}/check-runs/42`, body: { status: "completed", conclusion: "failure", completed_at: "2024-05-01T10:00:00Z", output: { title: "Blocked", summary: "2 rules fail", annotations: [annotation(1)] }, actions: validCheckRun.actions } }],
    ["list check runs for a ref", { method: "GET", path: `${REPO}/commits/${SHA}/check-runs?check_name=Release%20readiness&filter=latest&per_page=100` }],
    ["list check runs for a branch ref", { method: "GET", path: `${REPO}/commits/heads/release/2024-05/check-runs`, query: { check_name: "Release readiness", filter: "all" } }],
    ["get pull", { method: "GET", path: `${REPO}/pulls/2` }],
    ["list pull files", { method: "GET", path: `${REPO}/pulls/2/files`, query: new URLSearchParams({ per_page: "100", page: "2" }) }],
    ["get contents with ref (encoded path)", { method: "GET", path: `${REPO}/contents/.github%2Frelease-gate.yml?ref=main` }],
    ["get contents with ref (plain path)", { method: "GET", path: `${REPO}/contents/.github/release-gate.yml`, query: { ref: SHA } }],
    ["create deployment", { method: "POST", path: `${REPO}/deployments`, body: { ref: SHA, environment: "production-canary", auto_merge: false, required_contexts: [], payload: { stage: "canary", percent: 5, pr: 2 }, description: "Canary 5%", transient_environment: false, production_environment: true } }],
    ["create deployment with a string payload", { method: "POST", path: `${REPO}/deployments`, body: { ref: "main", payload: '{"stage":"canary"}' } }],
    ["create deployment status", { method: "POST", path: `${REPO}/deployments/7/statuses`, body: { state: "in_progress", log_url: "https://gate.example/r/7", environment_url: "https://shop.example", description: "Rolling out to 5%", auto_inactive: false } }],
    ["create reaction on issue comment", { method: "POST", path: `${REPO}/issues/comments/9/reactions`, body: { content: "rocket" } }],
    ["create issue comment", { method: "POST", path: `${REPO}/issues/2/comments`, body: { body: "Rollout paused" } }],
    ["update issue comment", { method: "PATCH", path: `${REPO}/issues/comments/9`, body: { body: "Rollout resumed" } }],
    ["create git ref", { method: "POST", path: `${REPO}/git/refs`, body: { ref: "refs/heads/release-gate/lock", sha: SHA } }],
    ["get collaborator permission", { method: "GET", path: `${REPO}/collaborators/octocat/permission` }],
    ["review deployment protection rule", { method: "POST", path: `${REPO}/actions/runs/5/deployment_protection_rule`, body: { environment_name: "production", state: "approved", comment: "Gates green" } }],
    ["comment on deployment protection rule", { method: "POST", path: `${REPO}/actions/runs/5/deployment_protection_rule`, body: { environment_name: "production", comment: "Waiting for the window" } }],
    ["create installation access token", { method: "POST", path: "/app/installations/1/access_tokens" }],
    ["create scoped installation access token", { method: "POST", path: "/app/installations/1/access_tokens", body: { repositories: ["shop"], permissions: { checks: "write", contents: "read" } } }],
    ["a GHES request under /api/v3", { method: "post", path: `https://ghe.example.com/api/v3${REPO}/issues/comments/9/reactions`, body: '{"content":"+1"}' }],
  ];

  test.each(valid)("%s", (_name, request) => {
    expect(checkRequest(request)).toEqual([]);
  });
});

describe("expectConformingRequests", () => {
  test("lists every problem of every failing request", () => {
    const run = () =>
      expectConformingRequests([
        { method: "GET", path: `${REPO}/pulls/2` },
        { method: "POST", path: `${REPO}/check-runs`, body: { name: "x", conclusion: "succeeded" } },
        { method: "GET", path: `${REPO}/nope` },
      ]);
    expect(run).toThrow(/^2 of 3 GitHub requests do not conform to the REST API \(@octokit\/openapi@[\d.]+\):\n/);
    expect(run).toThrow(`POST ${REPO}/check-runs\n  - body: missing required field head_sha\n  - body.conclusion: "succeeded" is not one of`);
    expect(run).toThrow(`GET ${REPO}/nope\n  - no REST operation has a path matching ${REPO}/nope`);
  });

  test("refuses an empty recording unless told it is expected", () => {
    expect(() => expectConformingRequests([])).toThrow(/No GitHub requests were recorded/);
    expect(() => expectConformingRequests([], { allowNone: true })).not.toThrow();
  });
});

describe("recordNockRequests", () => {
  const octokit = (baseUrl = "https://api.github.com") => new Octokit({ auth: "ghs_test", baseUrl });

  test("captures method, path, query and JSON body of what Octokit sends", async () => {
    const scope = nock("https://api.github.com")
      .get(`${REPO}/commits/${SHA}/check-runs`)
      .query({ check_name: "Release readiness", filter: "latest", per_page: 100 })
      .reply(200, { total_count: 0, check_runs: [] })
      .post(`${REPO}/check-runs`)
      .reply(201, { id: 1 });
    const recorder = recordNockRequests(scope);

    await octokit().rest.checks.listForRef({ owner: "acme", repo: "shop", ref: SHA, check_name: "Release readiness", filter: "latest", per_page: 100 });
    await octokit().rest.checks.create({ owner: "acme", repo: "shop", ...validCheckRun } as never);

    expect(recorder.requests()).toEqual([
      { method: "GET", path: `${REPO}/commits/${SHA}/check-runs?check_name=Release%20readiness&filter=latest&per_page=100`, body: undefined },
      { method: "POST", path: `${REPO}/check-runs`, body: validCheckRun },
    ]);
    expectConformingRequests(recorder.requests());
  });

  test("catches a non-conforming request that the mock itself accepted", async () => {
    const scope = nock("https://ghe.example.com").post(`/api/v3${REPO}/deployments/7/statuses`).reply(201, { id: 1 });
    const recorder = recordNockRequests(scope);

    await octokit("https://ghe.example.com/api/v3").request("POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses", {
      owner: "acme",
      repo: "shop",
      deployment_id: 7,
      state: "success",
      description: "d".repeat(141),
    });

    expect(() => expectConformingRequests(recorder.requests())).toThrow("body.description: 141 characters, more than maxLength 140");
  });

  test("stop() detaches, add() attaches later scopes", async () => {
    const first = nock("https://api.github.com").get(`${REPO}/pulls/1`).reply(200, {}).get(`${REPO}/pulls/2`).reply(200, {});
    const recorder = recordNockRequests(first);
    await octokit().rest.pulls.get({ owner: "acme", repo: "shop", pull_number: 1 });
    recorder.stop();
    await octokit().rest.pulls.get({ owner: "acme", repo: "shop", pull_number: 2 });
    const second = nock("https://api.github.com").get(`${REPO}/pulls/3/files`).query(true).reply(200, []);
    recorder.add(second);
    await octokit().rest.pulls.listFiles({ owner: "acme", repo: "shop", pull_number: 3, per_page: 100 });

    expect(recorder.requests().map((r) => r.path)).toEqual([`${REPO}/pulls/1`, `${REPO}/pulls/3/files?per_page=100`]);
  });
});

describe("with the fake GitHub", () => {
  test("its recorded requests check as they are", async () => {
    const fake = await startFakeGitHub([installationTokenRoute()]);
    try {
      await fetch(`${fake.url}/api/v3/app/installations/1/access_tokens`, { method: "POST" });
      await fetch(`${fake.url}/app/installations/1/access_tokens`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ permissions: { checks: "admin" } }),
      });
    } finally {
      await fake.close();
    }
    expect(fake.requests.map(checkRequest)).toEqual([[], ['body.permissions.checks: "admin" is not one of "read", "write"']]);
  });
});
