// The gates a stage watches: the `gates` input when set, else `rollout.gates` of the repository's
// `.github/release-gate.yml` at the default branch, loaded as the app loads it (workflows/load-config.ts,
// `_extends` included). A config that cannot be read fails the step: watching no gates instead would pass.
import { gatesFromConfig, type SourcedGates } from "../core/gates/gate-source.js";
import { DEFAULTS_SOURCE, type LoadedConfig } from "../workflows/load-config.js";
import type { Inputs } from "./inputs.js";

export async function resolveGates(inputs: Pick<Inputs, "gates" | "compare" | "gatesGiven">, loadConfig: () => Promise<LoadedConfig>): Promise<SourcedGates> {
  if (inputs.gatesGiven) return { gates: inputs.gates, compare: inputs.compare, source: { kind: "input" } };
  const loaded = await loadConfig();
  if (!loaded.ok) {
    const problems = loaded.problems.map((p) => `${p.file}:${p.line}:${p.column}${p.key ? ` ${p.key}` : ""}: ${p.message}`).join("\n");
    throw new Error(`input \`gates\` is empty, so the gates come from the repository's configuration, which is invalid (${loaded.source}); fix it on the default branch or pass \`gates\`:\n${problems}`);
  }
  return gatesFromConfig(loaded.config, loaded.source === DEFAULTS_SOURCE ? { kind: "defaults" } : { kind: "config", files: loaded.source });
}
