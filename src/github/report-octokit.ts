// The client the release report reads with, outside Probot: a token, an API base URL (GitHub,
// GitHub Enterprise Server or a stand-in), Octokit's retry plugin, and Probot's config plugin so the
// repository's `.github/release-gate.yml` (with `_extends`) is read as the app reads it.
import { Octokit } from "@octokit/rest";
import { retry } from "@octokit/plugin-retry";
import { config } from "@probot/octokit-plugin-config";
import type { GitHubClient } from "./client.js";

/** The piece of the config plugin the config loader uses (structurally the same as workflows/load-config.ts's). */
interface ConfigReader {
  config: { get(options: { owner: string; repo: string; path: string; defaults?: (configs: Record<string, unknown>[]) => Record<string, unknown> }): Promise<unknown> };
}

const ReportOctokit = Octokit.plugin(retry, config);

export function reportOctokit<T = GitHubClient & ConfigReader>(token: string, baseUrl: string): T {
  return new ReportOctokit({
    auth: token,
    baseUrl: baseUrl.replace(/\/+$/, ""),
    userAgent: "release-gate-report",
    request: { retries: 2, retryAfter: 1 },
    log: { debug: () => undefined, info: () => undefined, warn: console.warn, error: () => undefined },
  }) as unknown as T;
}
