// `mode: report`: the release report from a workflow (e.g. on a schedule, then published to GitHub
// Pages). Reads only; writes the static site to `report-dir` and a line to the job summary.
import { z } from "zod";
import { DURATION_PATTERN } from "../core/config/schema.js";
import { parseDuration } from "../core/gates/duration.js";
import { GITHUB_ACTIONS } from "../core/identity.js";
import type { GitHubClient } from "../github/client.js";
import { reportOctokit } from "../github/report-octokit.js";
import type { ConfigPluginClient } from "../workflows/load-config.js";
import { writeReport } from "../workflows/report/write-report.js";
import type { ActionIo } from "./io.js";

const reportInputs = z.object({
  token: z.string().trim().min(1, "is empty: pass ${{ github.token }} (the default) or a token that can read deployments, checks, issues and pull requests"),
  "report-dir": z.string().trim().transform((s) => s || "release-report"),
  "rollback-slo": z
    .string()
    .trim()
    .transform((s) => s || "15m")
    .refine((s) => DURATION_PATTERN.test(s) && (parseDuration(s) ?? 0) > 0, 'expected a duration such as "90s", "5m" or "1h"'),
  "app-id": z
    .string()
    .trim()
    .transform((s) => s || String(GITHUB_ACTIONS.appId))
    .refine((s) => /^\d{1,12}$/.test(s), "expected the numeric id of the GitHub App Release Gate runs as"),
  "app-login": z.string().trim(),
  environment: z.string().trim(),
});

const REPOSITORY = /^([A-Za-z0-9-]{1,39})\/([A-Za-z0-9._-]{1,100})$/;

export async function runReportMode(io: ActionIo, env: NodeJS.ProcessEnv, octokit?: GitHubClient & ConfigPluginClient, now: () => Date = () => new Date()): Promise<void> {
  const raw = Object.fromEntries(["token", "report-dir", "rollback-slo", "app-id", "app-login", "environment"].map((name) => [name, io.getInput(name)]));
  const parsed = reportInputs.safeParse(raw);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `input \`${String(i.path[0])}\`: ${i.message}`).join("\n"));
  const inputs = parsed.data;
  io.setSecret(inputs.token);
  const repository = REPOSITORY.exec(env.GITHUB_REPOSITORY ?? "");
  if (!repository) throw new Error("GITHUB_REPOSITORY is not OWNER/NAME: mode: report runs in a workflow of the repository it reports on");
  const appId = Number(inputs["app-id"]);
  const login = inputs["app-login"] || (appId === GITHUB_ACTIONS.appId ? GITHUB_ACTIONS.login : undefined);
  const client = octokit ?? reportOctokit<GitHubClient & ConfigPluginClient>(inputs.token, env.GITHUB_API_URL ?? "https://api.github.com");
  const result = await writeReport(
    client,
    {
      owner: repository[1]!,
      repo: repository[2]!,
      identity: { appId, ...(login ? { login } : {}) },
      now: now(),
      rollbackSloMs: parseDuration(inputs["rollback-slo"])!,
      ...(inputs.environment ? { environment: inputs.environment } : {}),
      maxDeployments: 1000,
    },
    inputs["report-dir"],
  );
  if (!result.ok) throw new Error(`release report: ${result.message}`);
  const line = `Release report: ${result.releases} release${result.releases === 1 ? "" : "s"} in ${result.environment} from ${result.deployments} deployments${result.truncated ? " (the newest 1000 only)" : ""}; ${result.files.length} pages in ${inputs["report-dir"]}.`;
  io.info(line);
  await io.writeSummary(`### Release report\n\n${line}\n`).catch((error: Error) => io.warning(`could not write the job summary: ${error.message}`));
}
