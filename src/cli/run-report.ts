// `release-gate report`: builds the release report of a repository from its GitHub records and writes
// the static site to a directory. Arguments and environment are validated here, once; every failure
// ends as one message naming what to fix and exit code 1.
import { parseArgs } from "node:util";
import { z } from "zod";
import { DURATION_PATTERN } from "../core/config/schema.js";
import { parseDuration } from "../core/gates/duration.js";
import { GITHUB_ACTIONS } from "../core/identity.js";
import type { GitHubClient } from "../github/client.js";
import { reportOctokit } from "../github/report-octokit.js";
import type { ConfigPluginClient } from "../workflows/load-config.js";
import { writeReport } from "../workflows/report/write-report.js";

export const REPORT_USAGE = `Usage: release-gate report --repo OWNER/NAME --out DIR [options]

Reads the repository's Release Gate records (deployments and statuses, readiness runs, status
comments, post-mortem and flag-removal issues) and writes a static site to DIR: index.html with the
releases and their metrics, and release-<PR>.html, one storyboard per release.

Options:
  --repo OWNER/NAME        the repository (required)
  --out DIR                where to write the site (required; created if missing)
  --environment NAME       the rollout environment (default: rollout.environment of the repo's config)
  --rollback-slo DURATION  the rollback SLO rollback durations are measured against (default 15m)
  --app-id ID              the GitHub App Release Gate runs as: only its records count
                           (default 15368, GitHub Actions: no-server mode)
  --app-login LOGIN        that app's bot login (default github-actions[bot] for 15368)
  --max-deployments N      read at most the N newest deployments (default 1000)

Environment: GITHUB_TOKEN (required; read access to deployments, checks, issues, pull requests
and contents), GITHUB_API_URL (default https://api.github.com).`;

const argsSchema = z.object({
  repo: z.string({ error: "--repo OWNER/NAME is required" }).regex(/^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/, "--repo must be OWNER/NAME"),
  out: z.string({ error: "--out DIR is required" }).min(1, "--out DIR is required"),
  environment: z.string().min(1).max(255).optional(),
  "rollback-slo": z
    .string()
    .default("15m")
    .refine((s) => DURATION_PATTERN.test(s.trim()) && (parseDuration(s) ?? 0) > 0, "--rollback-slo must be a duration such as 90s, 5m or 1h"),
  "app-id": z
    .string()
    .default(String(GITHUB_ACTIONS.appId))
    .refine((s) => /^\d{1,12}$/.test(s), "--app-id must be a number"),
  "app-login": z.string().min(1).max(100).optional(),
  "max-deployments": z
    .string()
    .default("1000")
    .refine((s) => /^\d{1,6}$/.test(s) && Number(s) > 0, "--max-deployments must be a positive number"),
});

const envSchema = z.object({
  GITHUB_TOKEN: z.string({ error: "GITHUB_TOKEN is not set: the report reads the repository through the API" }).min(1, "GITHUB_TOKEN is empty"),
  GITHUB_API_URL: z.url({ error: "GITHUB_API_URL must be a URL such as https://api.github.com" }).default("https://api.github.com"),
});

export interface ReportIo {
  log(line: string): void;
  error(line: string): void;
}

/** Runs `report` with the arguments after the subcommand; returns the exit code. */
export async function runReport(argv: string[], env: NodeJS.ProcessEnv, io: ReportIo, now: () => Date = () => new Date()): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        repo: { type: "string" },
        out: { type: "string" },
        environment: { type: "string" },
        "rollback-slo": { type: "string" },
        "app-id": { type: "string" },
        "app-login": { type: "string" },
        "max-deployments": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    io.error(`${(error as Error).message}\n\n${REPORT_USAGE}`);
    return 1;
  }
  if (values.help) {
    io.log(REPORT_USAGE);
    return 0;
  }
  const args = argsSchema.safeParse(values);
  const vars = envSchema.safeParse({ GITHUB_TOKEN: env.GITHUB_TOKEN, GITHUB_API_URL: env.GITHUB_API_URL || undefined });
  const problems = [...(args.success ? [] : args.error.issues), ...(vars.success ? [] : vars.error.issues)].map((i) => i.message);
  if (problems.length > 0 || !args.success || !vars.success) {
    io.error(`${problems.join("\n")}\n\n${REPORT_USAGE}`);
    return 1;
  }
  const a = args.data;
  const [owner, repo] = a.repo.split("/") as [string, string];
  const appId = Number(a["app-id"]);
  const appLogin = a["app-login"] ?? (appId === GITHUB_ACTIONS.appId ? GITHUB_ACTIONS.login : undefined);
  try {
    const result = await writeReport(
      reportOctokit<GitHubClient & ConfigPluginClient>(vars.data.GITHUB_TOKEN, vars.data.GITHUB_API_URL),
      {
        owner,
        repo,
        identity: { appId, ...(appLogin ? { login: appLogin } : {}) },
        now: now(),
        rollbackSloMs: parseDuration(a["rollback-slo"])!,
        ...(a.environment ? { environment: a.environment } : {}),
        maxDeployments: Number(a["max-deployments"]),
      },
      a.out,
    );
    if (!result.ok) {
      io.error(`release-gate report: ${result.message}`);
      return 1;
    }
    io.log(
      `release-gate report: ${result.releases} release${result.releases === 1 ? "" : "s"} of ${a.repo} in ${result.environment} from ${result.deployments} deployments${result.truncated ? ` (the newest ${a["max-deployments"]} only)` : ""}; wrote ${result.files.length} pages to ${a.out}`,
    );
    return 0;
  } catch (error) {
    const status = (error as { status?: number }).status;
    const hint = status === 401 ? " (is GITHUB_TOKEN valid?)" : status === 403 || status === 404 ? " (does the token have read access to the repository, its deployments, checks and issues?)" : "";
    io.error(`release-gate report: ${(error as Error).message}${hint}`);
    return 1;
  }
}
