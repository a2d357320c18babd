// The two things our Octokit class adds to Probot's: a per-attempt timeout and secondary-limit retries.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { MAX_SECONDARY_RETRY_AFTER_S, onSecondaryRateLimit, releaseGateOctokit, requestTimeoutMs, timedFetch } from "../../src/app/release-gate-octokit.js";
import { LIMITS } from "../../src/core/limits.js";
import { readRepoFile } from "../../src/github/repo-file.js";

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

describe("configuration files read by the app's client", () => {
  // A local server standing in for the contents API, answering raw text as GitHub does for `mediaType raw`.
  async function serveFiles(files: Record<string, string>) {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      const path = decodeURIComponent(new URL(req.url!, "http://x").pathname.replace(/^\/repos\/acme\/shop\/contents\//, ""));
      seen.push(path);
      if (!(path in files)) return void res.writeHead(404, { "content-type": "application/json" }).end('{"message":"Not Found"}');
      res.writeHead(200, { "content-type": "text/plain; charset=utf-8" }).end(files[path]);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const Octokit = releaseGateOctokit({});
    const octokit = new Octokit({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, retry: { enabled: false }, throttle: { enabled: false } });
    return { octokit, seen, close: () => server.close() };
  }

  it("refuses a default-branch config over LIMITS.config before it is parsed, and leaves other files (migrations) to their own cap", async () => {
    const big = `# ${"x".repeat(LIMITS.config.max)}\nrollout: {}\n`;
    const sql = `-- ${"y".repeat(LIMITS.config.max)}\nselect 1;\n`;
    const changelog = `databaseChangeLog:\n# ${"z".repeat(LIMITS.config.max)}\n`;
    const { octokit, close } = await serveFiles({ ".github/release-gate.yml": big, "db/migrate/001.sql": sql, "db/changelog.yaml": changelog });
    try {
      await expect(octokit.config.get({ owner: "acme", repo: "shop", path: ".github/release-gate.yml" })).rejects.toThrow(
        /`acme\/shop:\.github\/release-gate\.yml` \(read for its configuration\).*it was not parsed \(cap: LIMITS\.config, 65536 bytes\)/,
      );
      const migration = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", { owner: "acme", repo: "shop", path: "db/migrate/001.sql", mediaType: { format: "raw" } });
      expect(String(migration.data)).toBe(sql);
      // A YAML migration (a Liquibase changelog) read by a caller that checked its own, larger cap.
      expect(await readRepoFile(octokit as never, { owner: "acme", repo: "shop", path: "db/changelog.yaml" }, true)).toBe(changelog);
      await expect(readRepoFile(octokit as never, { owner: "acme", repo: "shop", path: "db/changelog.yaml" })).rejects.toThrow(/it was not parsed/);
    } finally {
      close();
    }
  });

  it("reads a config at the cap", async () => {
    const text = `rollout:\n  environment: production\n# ${"x".repeat(LIMITS.config.max - 40)}\n`.slice(0, LIMITS.config.max);
    const { octokit, close } = await serveFiles({ ".github/release-gate.yml": text });
    try {
      const { config } = await octokit.config.get({ owner: "acme", repo: "shop", path: ".github/release-gate.yml" });
      expect(config).toMatchObject({ rollout: { environment: "production" } });
    } finally {
      close();
    }
  });
});
