// A size cap on the configuration files the config plugin reads (the repo's own and each `_extends`
// base), applied on the raw text as it arrives, before the plugin parses it as YAML: the same cap
// (core/limits.ts) the readiness check applies to the file at a PR head.
import { CONFIG_PATH } from "../core/config/parse-config.js";
import { checkLimit, describeOverLimit, LIMITS } from "../core/limits.js";

/** The part of Octokit's hook API used here. */
export interface RequestHooks {
  hook: {
    after(name: "request", hook: (response: { data: unknown }, options: Record<string, unknown>) => void): void;
  };
}

export class ConfigTooLargeError extends Error {}

/** A request option (never sent) marking a read whose size its caller already checked against its own cap. */
export const OWN_CAP = "releaseGateOwnCap";

/**
 * Every raw read of a file through the contents API (how @probot/octokit-plugin-config fetches each
 * file) is refused over `LIMITS.config`. The Action's client reads no other raw contents; the app's
 * also reads migrations (capped by their own limit), so it caps YAML files only (`yamlOnly`).
 */
export function capConfigReads(octokit: RequestHooks, yamlOnly = false): void {
  octokit.hook.after("request", (response, options) => {
    if (options.url !== "/repos/{owner}/{repo}/contents/{path}" || typeof response.data !== "string") return;
    if (yamlOnly && !/\.ya?ml$/i.test(String(options.path ?? ""))) return;
    if ((options.request as Record<string, unknown> | undefined)?.[OWN_CAP] === true) return;
    const bytes = Buffer.byteLength(response.data, "utf8");
    const where = `${String(options.owner)}/${String(options.repo)}:${String(options.path ?? CONFIG_PATH)}`;
    const over = checkLimit("config", bytes, `\`${where}\` (read for its configuration)`);
    if (over) throw new ConfigTooLargeError(`${describeOverLimit(over)}; it was not parsed (cap: LIMITS.config, ${LIMITS.config.max} bytes)`);
  });
}
