// The Action's GitHub client: the given token, the runner's API URL (GitHub Enterprise Server or a
// local stand-in), and Octokit's retry plugin so a 502 while writing a status is retried, not fatal.
// @octokit/rest over Node's own fetch rather than @actions/github's getOctokit: the latter bundles
// undici (three quarters of a megabyte) for proxy support the Action does not need.
import { Octokit } from "@octokit/rest";
import { retry } from "@octokit/plugin-retry";
import type { GitHubClient } from "../github/client.js";

const ActionOctokit = Octokit.plugin(retry);

export function actionOctokit(token: string, baseUrl: string): GitHubClient {
  return new ActionOctokit({
    auth: token,
    baseUrl,
    userAgent: "release-gate-action",
    request: { retries: 2, retryAfter: 1 },
    // Failed requests surface once, as the step's error; Octokit's own per-request log lines would repeat them.
    log: { debug: () => undefined, info: () => undefined, warn: console.warn, error: () => undefined },
  }) as unknown as GitHubClient;
}
