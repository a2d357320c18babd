// Which list of gates a stage watches: the Action's `gates` input when it is set, else `rollout.gates`
// of the repository's configuration at the default branch (the app's own source), so a team writes its
// gates once. Pure: the adapter loads the config and hands the result in.
import type { Gate, ReleaseGateConfig } from "../config/schema.js";
import type { CompareGate } from "./compare-gate.js";

export type GateSource =
  | { kind: "input" }
  /** `files`: the config files read, as load-config names them (".github/release-gate.yml + acme/.github:..."). */
  | { kind: "config"; files: string }
  /** No config file anywhere: the documented defaults, which have no gates. */
  | { kind: "defaults" };

export interface SourcedGates {
  gates: Gate[];
  compare: CompareGate[];
  source: GateSource;
}

/** Splits the config's one list into metric gates and compare gates, as the `gates` input is split. */
export function gatesFromConfig(config: Pick<ReleaseGateConfig, "rollout">, source: Exclude<GateSource, { kind: "input" }>): SourcedGates {
  const gates: Gate[] = [];
  const compare: CompareGate[] = [];
  for (const gate of config.rollout.gates) {
    if ("compare" in gate) compare.push(gate as CompareGate);
    else gates.push(gate as Gate);
  }
  return { gates, compare, source };
}

/** One line for the job summary and the log. */
export function describeGateSource(source: GateSource, count: number): string {
  const n = `${count} gate${count === 1 ? "" : "s"}`;
  switch (source.kind) {
    case "input":
      return `${n} from the step's \`gates\` input`;
    case "config":
      return `${n} from \`rollout.gates\` of \`${source.files}\` at the default branch (the \`gates\` input is empty)`;
    case "defaults":
      return `no gates: the \`gates\` input is empty and the repository has no \`.github/release-gate.yml\` at the default branch`;
  }
}
