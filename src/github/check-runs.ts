// Writes the `Release readiness` check run: one per head SHA, created already completed and
// updated in place on re-runs, so a verdict costs one write (plus one per extra 50 annotations).
import { batchAnnotations, CHECK_NAME, type CheckReport } from "../core/render/readiness-report.js";
import type { Annotation } from "../core/rules/types.js";
import type { GitHubClient, RepoRef } from "./client.js";
import { isServerSideFailure } from "./repo-file.js";

/**
 * Marks our runs so we never adopt another app's run of the same name: `release-gate:pr-<n>@<stamp>`.
 * The PR number serves re-runs (fork runs list no PRs); the stamp is the PR's `updated_at` the verdict
 * was computed from, so a slow, older evaluation never overwrites a newer verdict.
 */
export const EXTERNAL_ID_PREFIX = "release-gate:pr-";

/** What the check run itself remembers of an approved override (the rest is in the status comment). */
export interface ApprovedOverride {
  approver: string;
  requester: string;
  /** The post-mortem issue. */
  issue: number;
}

/**
 * An approved override rides along as `;override=<approver>,<requester>,<issue>`, so every later
 * re-evaluation of the same SHA keeps it (a new push gets a new run, which voids it).
 */
const OVERRIDE_MARK = ";override=";

export function externalIdFor(pullNumber: number, stamp?: string, override?: ApprovedOverride): string {
  const base = `${EXTERNAL_ID_PREFIX}${pullNumber}${stamp ? `@${stamp}` : ""}`;
  return override ? `${base}${OVERRIDE_MARK}${override.approver},${override.requester},${override.issue}` : base;
}

function parseExternalId(externalId: string | null | undefined): { pullNumber: number; stamp?: string; override?: ApprovedOverride } | undefined {
  if (!externalId?.startsWith(EXTERNAL_ID_PREFIX)) return undefined;
  const [head = "", overridePart] = externalId.slice(EXTERNAL_ID_PREFIX.length).split(OVERRIDE_MARK, 2);
  const [number, stamp] = head.split("@", 2);
  const n = Number(number);
  if (!Number.isSafeInteger(n) || n <= 0) return undefined;
  const [approver, requester, issue] = (overridePart ?? "").split(",");
  const override = approver && requester && Number(issue) > 0 ? { approver, requester, issue: Number(issue) } : undefined;
  return { pullNumber: n, ...(stamp ? { stamp } : {}), ...(override ? { override } : {}) };
}

export function pullNumberFromExternalId(externalId: string | null | undefined): number | undefined {
  return parseExternalId(externalId)?.pullNumber;
}

/**
 * The buttons a passing readiness run offers. The run is written without reading the rollout, so it
 * offers every button (the core's checkRunActions narrows them when the state is known); a button
 * that does not apply is answered in the status comment like the command it stands for.
 */
export const ROLLOUT_ACTIONS = [
  { label: "Advance stage", identifier: "release-advance", description: "Start the next rollout stage" },
  { label: "Roll back", identifier: "release-rollback", description: "Redeploy the last good version" },
  { label: "Refresh status", identifier: "release-status", description: "Update the rollout status comment" },
] as const;

export interface ExistingCheckRun {
  id: number;
  status: string;
  conclusion: string | null;
  /** The PR `updated_at` its verdict was computed from, when recorded. */
  stamp?: string;
  /** An approved override bound to this run's SHA. */
  override?: ApprovedOverride;
  title?: string;
  summary?: string;
}

/**
 * Our run on the head SHA. Any app with `checks: write` can create a run named `Release readiness`
 * with our external id (and a far-future stamp), so only runs of `appId` count: GitHub is asked for
 * that app's runs, and each answer is checked again, since a filter ignored by a proxy or an older
 * GitHub Enterprise must not let a foreign run in.
 */
export async function findReadinessRun(octokit: GitHubClient, ref: RepoRef & { headSha: string; pullNumber: number; appId: number }): Promise<ExistingCheckRun | undefined> {
  const { data } = await octokit.request("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", {
    owner: ref.owner,
    repo: ref.repo,
    ref: ref.headSha,
    check_name: CHECK_NAME,
    app_id: ref.appId,
    filter: "latest",
    per_page: 100,
  });
  for (const run of data.check_runs) {
    if (run.app?.id !== ref.appId) continue;
    const parsed = parseExternalId(run.external_id);
    if (parsed?.pullNumber !== ref.pullNumber || run.head_sha !== ref.headSha) continue;
    return {
      id: Number(run.id),
      status: run.status,
      conclusion: run.conclusion,
      ...(parsed.stamp ? { stamp: parsed.stamp } : {}),
      ...(parsed.override ? { override: parsed.override } : {}),
      ...(run.output?.title ? { title: run.output.title } : {}),
      ...(run.output?.summary ? { summary: run.output.summary } : {}),
    };
  }
  return undefined;
}

export interface UpsertResult {
  id: number;
  created: boolean;
  writes: number;
}

export async function upsertReadinessRun(
  octokit: GitHubClient,
  ref: RepoRef & {
    headSha: string;
    pullNumber: number;
    /** Our app: a lost create is looked for among its runs only. */
    appId: number;
    stamp?: string;
    existingId?: number | undefined;
    detailsUrl?: string | undefined;
    override?: ApprovedOverride | undefined;
    /** False where nothing receives `check_run.requested_action` (no-server mode). */
    buttons?: boolean;
  },
  report: CheckReport,
): Promise<UpsertResult> {
  const [first = [], ...rest] = batchAnnotations(report.annotations.map(toApiAnnotation));
  const output = { title: report.title, summary: report.summary, annotations: first };
  const common = {
    owner: ref.owner,
    repo: ref.repo,
    status: "completed" as const,
    conclusion: report.conclusion,
    completed_at: new Date().toISOString(),
    external_id: externalIdFor(ref.pullNumber, ref.stamp, ref.override),
    ...(ref.detailsUrl ? { details_url: ref.detailsUrl } : {}),
    // The rollout buttons; only a passing check offers them (check_run.requested_action runs them).
    actions: report.conclusion === "success" && ref.buttons !== false ? [...ROLLOUT_ACTIONS] : [],
  };
  let id: number;
  let created = false;
  if (ref.existingId !== undefined) {
    await octokit.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", { ...common, check_run_id: ref.existingId, name: CHECK_NAME, output });
    id = ref.existingId;
  } else {
    id = await createRunOnce(octokit, ref, { ...common, name: CHECK_NAME, head_sha: ref.headSha, output });
    created = true;
  }
  for (const batch of rest) {
    // Further annotations are appended by updating the run with the same title and summary.
    await octokit.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
      owner: ref.owner,
      repo: ref.repo,
      check_run_id: id,
      output: { title: report.title, summary: report.summary, annotations: batch },
    });
  }
  return { id, created, writes: 1 + rest.length };
}

interface CreateParams {
  owner: string;
  repo: string;
  name: string;
  head_sha: string;
  status: "completed";
  conclusion: "success" | "failure";
  completed_at: string;
  external_id: string;
  details_url?: string;
  output: { title: string; summary: string; annotations: ReturnType<typeof toApiAnnotation>[] };
}

/** Attempts at creating a run: the retry plugin's 1 + 3, with its back-off (attempt² seconds). */
export const CREATE_ATTEMPTS = 4;

/**
 * Creating a run is the one write that is not idempotent: the retry plugin would resend a POST whose
 * response was lost after GitHub had created the run, leaving two runs on the SHA. So this POST goes
 * without the plugin's retries, and before each new attempt we look for the run and update the one we
 * find (a PATCH, which the plugin may retry safely). The plugin cannot look before it resends; this is
 * the only place the app counts attempts itself.
 */
async function createRunOnce(
  octokit: GitHubClient,
  ref: RepoRef & { headSha: string; pullNumber: number; appId: number },
  params: CreateParams,
  wait: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      const { data } = await octokit.request("POST /repos/{owner}/{repo}/check-runs", { ...params, request: { retries: 0 } });
      return Number(data.id);
    } catch (error) {
      if (!isServerSideFailure(error) || attempt >= CREATE_ATTEMPTS) throw error;
    }
    await wait(attempt ** 2 * 1000);
    const found = await findReadinessRun(octokit, ref);
    if (found) {
      const { head_sha: _sha, ...update } = params;
      await octokit.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", { ...update, check_run_id: found.id });
      return found.id;
    }
  }
}


function toApiAnnotation(a: Annotation) {
  return {
    path: a.path,
    start_line: a.startLine,
    end_line: a.endLine,
    annotation_level: a.level,
    title: a.title.slice(0, 255),
    message: a.message.slice(0, 64 * 1024),
  };
}
