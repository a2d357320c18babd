// The flag a stage moves: the `flag` input when set, else `rollout.flag` of the repository's
// `.github/release-gate.yml` at the default branch (read once, with the gates and the trust policy).
// A config that cannot be read leaves the stage without a flag, said as a warning: the step still
// runs its gates and `shift`, and nobody new is served by a flag nobody moved.
import type { FlagConfig } from "../core/config/schema.js";
import type { LoadedConfig } from "../workflows/load-config.js";
import type { ActionIo } from "./io.js";

export type SourcedFlag = { flag: FlagConfig; source: "input" | "config" } | { flag: undefined; source: "none" };

export async function resolveFlag(input: FlagConfig | undefined, loadConfig: () => Promise<LoadedConfig>, io: Pick<ActionIo, "info" | "warning">): Promise<SourcedFlag> {
  if (input) return { flag: input, source: "input" };
  const loaded = await loadConfig().catch((error: Error) => ({ ok: false as const, problems: [{ message: error.message }], source: "" }));
  if (!loaded.ok) {
    io.warning(`input \`flag\` is empty and the configuration could not be read (${loaded.problems[0]?.message ?? "unknown"}): no flag is moved by this stage`);
    return { flag: undefined, source: "none" };
  }
  const flag = loaded.config.rollout.flag;
  if (!flag) return { flag: undefined, source: "none" };
  io.info(`flag: ${flag.key} (${flag.provider}) from \`rollout.flag\` of ${loaded.source}`);
  return { flag, source: "config" };
}
