// Writes the `Release readiness` check run: one per head SHA, created already completed and
// updated in place on re-runs, so a verdict costs one write (its annotations are capped at GitHub's 50 per request).
import { LIMITS } from "../core/limits.js";
import { CHECK_NAME, type CheckReport } from "../core/render/readiness-report.js";
import type { OverrideRequestRecord } from "../core/commands/override-policy.js";
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
 * re-evaluation of the same SHA keeps it (a new push gets a new run, which voids it). A pending
 * override request rides along as `;request=<comment id>.<author id>.<login>.<digest>`: only this app
 * can update its own run (GitHub refuses anyone else), which makes the run the one place a repo writer
 * cannot forge a request; the run's head SHA and PR number bind it to both.
 */
const OVERRIDE_MARK = "override=";
const REQUEST_MARK = "request=";
/** A merge group's run: `;group=<base sha>`, so a re-run can rebuild the group from the run alone. */
const GROUP_MARK = "group=";
const SHA_PATTERN = /^[0-9a-f]{40}$/;
const REQUEST_PATTERN = /^(\d{1,15})\.(\d{1,15})\.([A-Za-z0-9-]{1,39}(?:\[bot\])?)\.([A-Za-z0-9_-]{43})$/;

export function externalIdFor(pullNumber: number, stamp?: string, override?: ApprovedOverride, request?: OverrideRequestRecord, groupBase?: string): string {
  // A group's run carries no override or request: those bind to one PR's head.
  if (groupBase) return `${EXTERNAL_ID_PREFIX}${pullNumber};${GROUP_MARK}${groupBase}`;
  const base = `${EXTERNAL_ID_PREFIX}${pullNumber}${stamp ? `@${stamp}` : ""}`;
  // An approval consumes the request: both are never kept (this also keeps the id short).
  if (override) return `${base};${OVERRIDE_MARK}${override.approver},${override.requester},${override.issue}`;
  return request ? `${base};${REQUEST_MARK}${request.commentId}.${request.authorId}.${request.login}.${request.digest}` : base;
}

function parseExternalId(
  externalId: string | null | undefined,
): { pullNumber: number; stamp?: string; override?: ApprovedOverride; request?: OverrideRequestRecord; groupBase?: string } | undefined {
  if (!externalId?.startsWith(EXTERNAL_ID_PREFIX)) return undefined;
  const [head = "", ...marks] = externalId.slice(EXTERNAL_ID_PREFIX.length).split(";");
  const [number, stamp] = head.split("@", 2);
  const n = Number(number);
  if (!Number.isSafeInteger(n) || n <= 0) return undefined;
  const overridePart = marks.find((m) => m.startsWith(OVERRIDE_MARK))?.slice(OVERRIDE_MARK.length);
  const [approver, requester, issue] = (overridePart ?? "").split(",");
  const override = approver && requester && Number(issue) > 0 ? { approver, requester, issue: Number(issue) } : undefined;
  const requestMatch = REQUEST_PATTERN.exec(marks.find((m) => m.startsWith(REQUEST_MARK))?.slice(REQUEST_MARK.length) ?? "");
  const request = requestMatch
    ? { commentId: Number(requestMatch[1]), authorId: Number(requestMatch[2]), login: requestMatch[3]!, digest: requestMatch[4]! }
    : undefined;
  const groupBase = marks.find((m) => m.startsWith(GROUP_MARK))?.slice(GROUP_MARK.length);
  const group = groupBase && SHA_PATTERN.test(groupBase) ? { groupBase } : {};
  return { pullNumber: n, ...(stamp ? { stamp } : {}), ...(override ? { override } : {}), ...(request ? { request } : {}), ...group };
}

/** The base SHA of a merge group's run (undefined for a PR's run). */
export function groupBaseFromExternalId(externalId: string | null | undefined): string | undefined {
  return parseExternalId(externalId)?.groupBase;
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
  /** A pending override request bound to this run's SHA and PR. */
  overrideRequest?: OverrideRequestRecord;
  title?: string;
  summary?: string;
  /** Set on a merge group's run: the group's base SHA. */
  groupBase?: string;
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
      ...(parsed.request ? { overrideRequest: parsed.request } : {}),
      ...(run.output?.title ? { title: run.output.title } : {}),
      ...(run.output?.summary ? { summary: run.output.summary } : {}),
      ...(parsed.groupBase ? { groupBase: parsed.groupBase } : {}),
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
    /** A pending override request to keep (a re-evaluation of the same SHA must not drop it). */
    overrideRequest?: OverrideRequestRecord | undefined;
    /** False where nothing receives `check_run.requested_action` (no-server mode). */
    buttons?: boolean;
    /** A merge group's run: the group's base SHA (its head is `headSha`). */
    groupBase?: string | undefined;
  },
  report: CheckReport,
): Promise<UpsertResult> {
  // The renderers already cap and summarise; this keeps a verdict at one write whatever the report.
  const output = { title: report.title, summary: report.summary, annotations: report.annotations.slice(0, LIMITS.annotations.max).map(toApiAnnotation) };
  const common = {
    owner: ref.owner,
    repo: ref.repo,
    status: "completed" as const,
    conclusion: report.conclusion,
    completed_at: new Date().toISOString(),
    external_id: externalIdFor(ref.pullNumber, ref.stamp, ref.override, ref.overrideRequest, ref.groupBase),
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
  return { id, created, writes: 1 };
}

/**
 * Records a pending override request on the app's own run of the head SHA: one write (only the
 * external_id changes; the verdict, its stamp and any approval stay).
 */
export async function recordOverrideRequest(
  octokit: GitHubClient,
  ref: RepoRef & { pullNumber: number; run: ExistingCheckRun; request: OverrideRequestRecord },
): Promise<void> {
  await octokit.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
    owner: ref.owner,
    repo: ref.repo,
    check_run_id: ref.run.id,
    external_id: externalIdFor(ref.pullNumber, ref.run.stamp, ref.run.override, ref.request),
  });
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
