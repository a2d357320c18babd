// The Action's GitHub client: the given token, the runner's API URL (GitHub Enterprise Server or a
// local stand-in), Octokit's retry plugin so a 502 while writing a status is retried, not fatal, and
// Probot's config plugin so `.github/release-gate.yml` is read as the app reads it (`_extends`), with
// the app's size cap on every file it reads.
// @octokit/rest over Node's own fetch rather than @actions/github's getOctokit: the latter bundles
// undici (three quarters of a megabyte) for proxy support the Action does not need.
import { Octokit } from "@octokit/rest";
import { retry } from "@octokit/plugin-retry";
import { config } from "@probot/octokit-plugin-config";
import type { GitHubClient } from "../github/client.js";
import { capConfigReads, type RequestHooks } from "../github/config-size-cap.js";
import type { ConfigPluginClient } from "../workflows/load-config.js";

const ActionOctokit = Octokit.plugin(retry, config);

export type ActionClient = GitHubClient & ConfigPluginClient;

export function actionOctokit(token: string, baseUrl: string): ActionClient {
  const octokit = new ActionOctokit({
    auth: token,
    baseUrl,
    userAgent: "release-gate-action",
    // Through the plugin's own options, not `request.retries`: a per-request retry count makes the
    // plugin retry every failure, a 404 (a repository without a config file) included.
    retry: { retries: 2 },
    // Failed requests surface once, as the step's error; Octokit's own per-request log lines would repeat them.
    log: { debug: () => undefined, info: () => undefined, warn: console.warn, error: () => undefined },
  });
  capConfigReads(octokit as unknown as RequestHooks);
  return octokit as unknown as ActionClient;
}
