// What is left on the head SHA when an evaluation fails after Octokit's retries.
import { describe as describeError, writeEvaluationFailure } from "../../../src/workflows/readiness/write-evaluation-failure.js";
import { EVALUATION_ERROR_TITLE } from "../../../src/core/render/readiness-report.js";
import type { GitHubClient } from "../../../src/github/client.js";

interface Call {
  route: string;
  params: Record<string, any>;
}

/** A GitHub double for the three requests involved: list runs, create, update. */
function fakeClient(runs: { id: number; external_id: string }[], options: { listFails?: boolean } = {}) {
  const calls: Call[] = [];
  const client = {
    async request(route: string, params: Record<string, any>) {
      calls.push({ route, params });
      if (route.startsWith("GET ")) {
        if (options.listFails) throw Object.assign(new Error("Server Error"), { status: 502 });
        return { data: { total_count: runs.length, check_runs: runs.map((r) => ({ ...r, app: { id: 123 }, head_sha: "a".repeat(40), status: "completed", conclusion: "success" })) } };
      }
      return { data: { id: 99 } };
    },
    paginate: async () => [],
  } as unknown as GitHubClient;
  return { client, calls };
}

const target = { owner: "acme", repo: "shop", pullNumber: 7, headSha: "a".repeat(40), appId: 123, stamp: "2026-11-23T10:05:00Z" };
const cause = Object.assign(new Error("Server Error"), { status: 502, request: { method: "GET", url: "https://api.github.com/repos/acme/shop/pulls/7/files", headers: { authorization: "token ghs_secret" } } });

it("replaces a verdict computed from an older state of the PR with a failed 'not evaluated' run", async () => {
  const { client, calls } = fakeClient([{ id: 5, external_id: "release-gate:pr-7@2026-11-23T10:00:00Z" }]);
  expect(await writeEvaluationFailure(client, target, cause)).toEqual({ kind: "written", checkRunId: 5 });
  const patch = calls.find((c) => c.route.startsWith("PATCH"))!;
  expect(patch.params).toMatchObject({ check_run_id: 5, conclusion: "failure", external_id: "release-gate:pr-7@2026-11-23T10:05:00Z", output: { title: EVALUATION_ERROR_TITLE } });
  expect(patch.params.output.summary).toContain("`502 Server Error on GET /repos/acme/shop/pulls/7/files`");
  expect(JSON.stringify(calls)).not.toContain("ghs_secret");
});

it("keeps a verdict from the same or a newer state", async () => {
  const { client, calls } = fakeClient([{ id: 5, external_id: "release-gate:pr-7@2026-11-23T10:05:00Z" }]);
  expect(await writeEvaluationFailure(client, target, cause)).toEqual({ kind: "kept", reason: "newer-verdict", stamp: "2026-11-23T10:05:00Z" });
  expect(calls.filter((c) => !c.route.startsWith("GET"))).toEqual([]);
});

it("creates the failed run when the head has none", async () => {
  const { client, calls } = fakeClient([]);
  expect(await writeEvaluationFailure(client, target, cause)).toEqual({ kind: "written", checkRunId: 99 });
  expect(calls.find((c) => c.route.startsWith("POST"))?.params).toMatchObject({ head_sha: target.headSha, conclusion: "failure", name: "Release readiness" });
});

it("reports, without throwing, when GitHub cannot be written either", async () => {
  const { client } = fakeClient([], { listFails: true });
  const result = await writeEvaluationFailure(client, target, cause);
  expect(result.kind).toBe("not-written");
});

it("describes an error by status, message and request line, never its headers", () => {
  expect(describeError(cause)).toBe("502 Server Error on GET /repos/acme/shop/pulls/7/files");
  expect(describeError("boom")).toBe("boom");
});
