// Builds the release report and writes the site to a directory: the one path the CLI
// (`release-gate report`) and the Action (`mode: report`) share.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { GitHubClient } from "../../github/client.js";
import type { ConfigPluginClient } from "../load-config.js";
import { gatherReport, type ReportRequest } from "./gather-report.js";

export type WriteReportResult =
  | { ok: true; releases: number; deployments: number; truncated: boolean; environment: string; files: string[] }
  | { ok: false; message: string };

export async function writeReport(octokit: GitHubClient & ConfigPluginClient, request: ReportRequest, outDir: string): Promise<WriteReportResult> {
  const result = await gatherReport(octokit, request);
  if (!result.ok) return { ok: false, message: result.message };
  await mkdir(outDir, { recursive: true });
  const files: string[] = [];
  for (const [name, html] of result.report.site) {
    await writeFile(join(outDir, name), html, "utf8");
    files.push(name);
  }
  // GitHub Pages serves the files as they are (no Jekyll processing).
  await writeFile(join(outDir, ".nojekyll"), "", "utf8");
  return {
    ok: true,
    releases: result.report.stories.length,
    deployments: result.facts.deployments.length,
    truncated: result.truncated,
    environment: result.facts.environment,
    files,
  };
}
