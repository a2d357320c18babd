// The Action decides on deployment history too: the last good SHA a rollback returns to and the
// rollout table of the summary. A repo writer can create a deployment and a `success` status by hand,
// so the history is filtered by the app's trust policy (core/rollout/trust.ts) before anything reads it:
// only deployments created by `deployment-creators` (default: the workflow token, github-actions[bot]),
// only statuses written by those or by `rollout.status-writers` of the config. The rest is named in a
// warning and never used.
import type { ReleaseGateConfig } from "../core/config/schema.js";
import type { Identity } from "../core/identity.js";
import { trustedHistory, type IgnoredRecord, type TrustPolicy } from "../core/rollout/trust.js";
import type { LoadedConfig } from "../workflows/load-config.js";
import type { ActionIo } from "./io.js";
import type { StageGitHub } from "./stage-github.js";

/** The app's policy with several creators: the token's identity and, in app mode, the app's. */
export function actionTrustPolicy(creators: readonly Identity[], statusWriters: readonly string[]): TrustPolicy {
  return { deploymentCreators: [...creators], statusWriters: [...creators, ...statusWriters.map((login) => ({ login }))] };
}

/** `rollout.status-writers` of the config; its default when the config cannot be read (with a warning). */
export async function statusWritersOf(loadConfig: () => Promise<LoadedConfig>, io: Pick<ActionIo, "warning">): Promise<string[]> {
  const fallback: ReleaseGateConfig["rollout"]["status-writers"] = ["github-actions[bot]"];
  const loaded = await loadConfig().catch((error: Error) => ({ ok: false as const, problems: [{ message: error.message }], source: "" }));
  if (loaded.ok) return loaded.config.rollout["status-writers"];
  io.warning(`could not read \`rollout.status-writers\` from the configuration (${loaded.problems[0]?.message ?? "unknown"}); trusting statuses by ${fallback.join(", ")} and \`deployment-creators\` only`);
  return fallback;
}

/**
 * `listRecent` of the stage's GitHub, answering only trusted records; each ignored record is warned
 * about once and kept in `ignored` for the job summary.
 */
export function withTrustedHistory(github: StageGitHub, policy: () => Promise<TrustPolicy>, io: Pick<ActionIo, "warning">): StageGitHub & { ignored: string[] } {
  const warned = new Set<string>();
  return {
    ...github,
    get ignored() {
      return [...warned];
    },
    listRecent: async (environment) => {
      const { deployments, ignored } = trustedHistory(await github.listRecent(environment), await policy());
      for (const record of ignored) {
        const text = describeIgnored(record);
        if (!warned.has(text)) io.warning(text);
        warned.add(text);
      }
      return deployments;
    },
  };
}

function describeIgnored(r: IgnoredRecord): string {
  const by = r.by ?? "an unknown account";
  return r.kind === "deployment"
    ? `ignored deployment ${r.deploymentId} of ${r.sha.slice(0, 7)} by ${by}: not created by a trusted identity (input \`deployment-creators\`), so no rollback returns to it`
    : `ignored ${r.state} status on deployment ${r.deploymentId} by ${by}: not written by a trusted identity (\`deployment-creators\`, \`rollout.status-writers\`)`;
}
