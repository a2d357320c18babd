// The two things our Octokit class adds to Probot's: a per-attempt timeout and secondary-limit retries.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { MAX_SECONDARY_RETRY_AFTER_S, onSecondaryRateLimit, requestTimeoutMs, timedFetch } from "../../src/app/release-gate-octokit.js";

it("a request GitHub never answers fails after the timeout with an error naming it", async () => {
  const server = createServer(() => undefined);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/repos/a/b/pulls/1`;
  try {
    await expect(timedFetch(200)(url, { method: "GET" })).rejects.toThrow(`GitHub did not answer GET ${url} within 200 ms`);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

it("wrapping twice keeps one timeout", () => {
  const once = timedFetch(100);
  expect(timedFetch(100, once)).toBe(once);
});

it("retries a secondary rate limit twice when GitHub asks for a short wait, and says so", () => {
  const warnings: string[] = [];
  const octokit = { log: { warn: (m: string) => warnings.push(m) } };
  const req = { method: "POST", url: "/repos/{owner}/{repo}/check-runs" };
  expect(onSecondaryRateLimit(1, req, octokit, 0)).toBe(true);
  expect(onSecondaryRateLimit(1, req, octokit, 1)).toBe(true);
  expect(onSecondaryRateLimit(1, req, octokit, 2)).toBe(false);
  expect(onSecondaryRateLimit(MAX_SECONDARY_RETRY_AFTER_S + 1, req, octokit, 0)).toBe(false);
  expect(warnings[0]).toBe('Secondary rate limit on "POST /repos/{owner}/{repo}/check-runs" (attempt 1): retrying in 1 s');
  expect(warnings[3]).toMatch(/giving up \(retry-after 61 s\)$/);
});

it("reads the timeout from GITHUB_REQUEST_TIMEOUT_MS, falling back on nonsense", () => {
  expect(requestTimeoutMs({ GITHUB_REQUEST_TIMEOUT_MS: "1500" })).toBe(1500);
  expect(requestTimeoutMs({ GITHUB_REQUEST_TIMEOUT_MS: "soon" })).toBe(10_000);
  expect(requestTimeoutMs({})).toBe(10_000);
});
