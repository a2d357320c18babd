// Which label events the readiness check skips: the pause label toggling, when it means nothing to
// the readiness rules, would spend a write (the check run) on an unchanged verdict.
import { onlyPausesRollout } from "../../core/rollout/pause-label.js";
import type { GitHubClient, RepoRef } from "../../github/client.js";
import { loadConfig, type ConfigPluginClient } from "../load-config.js";

/** True when a label event is the pause label toggling and nothing else (reads the config: 1-2 reads). */
export async function isPauseLabelEvent(octokit: GitHubClient & ConfigPluginClient, repo: RepoRef, label: string | undefined): Promise<boolean> {
  if (!label) return false;
  const loaded = await loadConfig(octokit, repo);
  return loaded.ok && onlyPausesRollout(loaded.config, label);
}
