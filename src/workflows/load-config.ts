// Loads `.github/release-gate.yml` from the default branch through Probot's config plugin, so
// `_extends` and the org-wide `.github` repository work, and turns every failure into located problems.
import { ConfigTooLargeError } from "../github/config-size-cap.js";
import {
  CONFIG_PATH,
  mergeConfigLayers,
  validateConfig,
  type ConfigFile,
  type ConfigProblem,
} from "../core/config/parse-config.js";
import type { ReleaseGateConfig } from "../core/config/schema.js";
import type { GitHubClient, RepoRef } from "../github/client.js";
import { readRepoFile } from "../github/repo-file.js";

type Configuration = Record<string, unknown>;

interface ConfigFileInfo {
  owner: string;
  repo: string;
  path: string;
  url: string;
  config: Configuration | null;
}

/** The piece of `@probot/octokit-plugin-config` used here. */
export interface ConfigPluginClient {
  config: {
    get(options: { owner: string; repo: string; path: string; defaults?: (configs: Configuration[]) => Configuration }): Promise<{
      config: Configuration;
      files: ConfigFileInfo[];
    }>;
  };
}

export type LoadedConfig =
  | { ok: true; config: ReleaseGateConfig; source: string }
  | { ok: false; problems: ConfigProblem[]; source: string };

/** The source named when no file exists anywhere (neither the repo's nor an org's `.github`). */
export const DEFAULTS_SOURCE = `defaults (no ${CONFIG_PATH})`;

export async function loadConfig(octokit: ConfigPluginClient & GitHubClient, repo: RepoRef): Promise<LoadedConfig> {
  let merged: unknown;
  let files: ConfigFileInfo[];
  try {
    const result = await octokit.config.get({
      ...repo,
      path: CONFIG_PATH,
      defaults: (configs) => mergeConfigLayers(configs) as Configuration,
    });
    merged = result.config;
    files = result.files.filter((f) => f.config !== null);
  } catch (error) {
    // A file over LIMITS.config (github/config-size-cap.ts) is a problem of the config, told as one.
    if (error instanceof ConfigTooLargeError) return { ok: false, problems: [{ file: CONFIG_PATH, line: 1, column: 1, key: "", message: error.message }], source: CONFIG_PATH };
    const problem = pluginErrorToProblem(error, repo);
    if (!problem) throw error;
    return { ok: false, problems: [problem], source: problem.file };
  }
  if (files.length === 0) {
    const result = validateConfig({}, []);
    if (!result.ok) throw new Error("built-in defaults failed validation", { cause: result.problems });
    return { ok: true, config: result.config, source: DEFAULTS_SOURCE };
  }
  const source = files.map((f) => fileLabel(f, repo)).join(" + ");
  const quick = validateConfig(merged, []);
  if (quick.ok) return { ok: true, config: quick.config, source };
  // Only on failure: fetch the raw texts so each problem names its file, line and column.
  const texts: ConfigFile[] = [];
  for (const file of files) {
    const text = await readRepoFile(octokit, { owner: file.owner, repo: file.repo, path: file.path });
    if (text !== undefined) texts.push({ file: fileLabel(file, repo), text });
  }
  const located = validateConfig(merged, texts);
  return { ok: false, problems: located.ok ? quick.problems : located.problems, source };
}

/** The repo's own file is named by its path (so it can carry annotations); others by repo and path. */
function fileLabel(file: { owner: string; repo: string; path: string }, repo: RepoRef): string {
  return file.owner === repo.owner && file.repo === repo.repo ? file.path : `${file.owner}/${file.repo}:${file.path}`;
}

/** YAML syntax errors, `_extends` recursion and the like come out of the plugin as plain Errors. */
function pluginErrorToProblem(error: unknown, repo: RepoRef): ConfigProblem | undefined {
  if (!(error instanceof Error) || !error.message.includes("[@probot/octokit-plugin-config]")) return undefined;
  const url = /\/repos\/([^/\s]+)\/([^/\s]+)\/contents\/([^\s?]+)/.exec(error.message);
  const file = url ? fileLabel({ owner: url[1]!, repo: url[2]!, path: decodeURIComponent(url[3]!) }, repo) : CONFIG_PATH;
  const cause = error.cause as { linePos?: { line: number; col: number }[]; message?: string } | undefined;
  const pos = cause?.linePos?.[0];
  const detail = cause?.message ? cause.message.split("\n")[0] : error.message.replace("[@probot/octokit-plugin-config] ", "");
  return {
    file,
    line: pos?.line ?? 1,
    column: pos?.col ?? 1,
    key: "",
    message: cause?.message ? `invalid YAML: ${detail}` : (detail ?? "could not be read"),
  };
}
