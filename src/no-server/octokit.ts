// The client a workflow run uses: the workflow's token, GitHub's API URL from the runner, Probot's
// config plugin (so `_extends` works as in the app), and Octokit's retry and throttling plugins
// (the same ones Probot uses), so a 502 or a secondary rate limit is retried, not fatal.
import { getOctokit } from "@actions/github";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { config } from "@probot/octokit-plugin-config";
import { capConfigReads, type RequestHooks } from "../github/config-size-cap.js";
import type { GitHubClient } from "../github/client.js";
import type { ConfigPluginClient } from "../workflows/load-config.js";

export type WorkflowOctokit = GitHubClient & ConfigPluginClient;

interface RetryNotice {
  method: string;
  url: string;
}

export function workflowOctokit(token: string, baseUrl: string, warn: (message: string) => void): WorkflowOctokit {
  const client = getOctokit(
    token,
    {
      baseUrl,
      throttle: {
        onRateLimit: (retryAfter: number, options: RetryNotice, _octokit: unknown, retryCount: number) => {
          warn(`rate limit on ${options.method} ${options.url}; retrying in ${retryAfter}s`);
          return retryCount < 2;
        },
        onSecondaryRateLimit: (retryAfter: number, options: RetryNotice, _octokit: unknown, retryCount: number) => {
          warn(`secondary rate limit on ${options.method} ${options.url}; retrying in ${retryAfter}s`);
          return retryCount < 1;
        },
      },
    },
    retry,
    throttling,
    config,
  );
  // Configuration files (default branch, org `.github`, `_extends` bases) are refused over
  // LIMITS.config before they are parsed; migrations read through the same API keep their own cap.
  capConfigReads(client as unknown as RequestHooks, true);
  return client as unknown as WorkflowOctokit;
}
