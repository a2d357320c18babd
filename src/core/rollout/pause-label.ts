// What the pause label means. `/release pause` and `resume` change a label, and label events
// re-evaluate readiness; the label means nothing to the readiness rules unless the config also names
// it there (a communication label, a high-risk group's required label).
import type { ReleaseGateConfig } from "../config/schema.js";

/** True when toggling `label` changes only the rollout's pause, never a readiness verdict. */
export function onlyPausesRollout(config: ReleaseGateConfig, label: string): boolean {
  const same = (a: string) => a.toLowerCase() === label.toLowerCase();
  if (!same(config.rollout["pause-label"])) return false;
  if (config.communication.labels.some(same)) return false;
  return !config["high-risk"].some((group) => group.label !== undefined && same(group.label));
}
