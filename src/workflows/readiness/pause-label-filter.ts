// `/release pause` and `resume` change a label, and label events re-evaluate readiness. The pause
// label means nothing to the readiness rules unless the config also names it there, so that
// re-evaluation would spend a write (the check run) on an unchanged verdict.
import type { ReleaseGateConfig } from "../../core/config/schema.js";
import type { GitHubClient, RepoRef } from "../../github/client.js";
import { loadConfig, type ConfigPluginClient } from "../load-config.js";

export function onlyPausesRollout(config: ReleaseGateConfig, label: string): boolean {
  const same = (a: string) => a.toLowerCase() === label.toLowerCase();
  if (!same(config.rollout["pause-label"])) return false;
  if (config.communication.labels.some(same)) return false;
  return !config["high-risk"].some((group) => group.label !== undefined && same(group.label));
}

/** True when a label event is the pause label toggling and nothing else (reads the config: 1-2 reads). */
export async function isPauseLabelEvent(octokit: GitHubClient & ConfigPluginClient, repo: RepoRef, label: string | undefined): Promise<boolean> {
  if (!label) return false;
  const loaded = await loadConfig(octokit, repo);
  return loaded.ok && onlyPausesRollout(loaded.config, label);
}
