// Rollout stages as GitHub Deployments: read an environment's history (the rollout's only state),
// create a stage deployment, set a deployment status. The app's verbs and the Action write through
// the same two functions, so both send what GitHub accepts in the same way.
import { parseDeploymentPayload, type DeploymentPayload } from "../core/rollout/deployment-payload.js";
import { isTrustedDeployment, trustedHistory, type TrustPolicy } from "../core/rollout/trust.js";
import type { DeploymentRecord, DeploymentState } from "../core/rollout/types.js";
import type { GitHubClient, RepoRef } from "./client.js";
import { isServerSideFailure, isStatus } from "./repo-file.js";

/** GitHub rejects longer deployment and deployment status descriptions. */
export const MAX_STATUS_DESCRIPTION = 140;

/** The one truncation rule for descriptions: whitespace folded, cut with an ellipsis under GitHub's limit. */
export function statusDescription(text: string): string {
  const clean = text.replace(/\s+/g, " ").trim();
  return clean.length < MAX_STATUS_DESCRIPTION ? clean : `${clean.slice(0, MAX_STATUS_DESCRIPTION - 2)}…`;
}

/** Newest deployments of the environment read per command; older history is not needed to decide. */
export const DEPLOYMENTS_READ = 100;
/** Deployments of other releases whose statuses are read to find the last good SHA. */
export const OTHER_RELEASES_SCANNED = 10;

/**
 * Every deployment of this release in the environment with its statuses (newest first), plus the
 * newest deployments of other releases up to the first successful one: that is the last good SHA a
 * rollback returns to. Reads: 1 list + 1 per deployment whose statuses matter. With `trust`, only a
 * trusted deployment with a trusted success ends the scan (a forged success must not hide the real
 * last good SHA); every record is still returned, for the core to sort out and report.
 */
export async function listReleaseDeployments(
  octokit: GitHubClient,
  ref: RepoRef & { environment: string; release: number; trust?: TrustPolicy },
): Promise<DeploymentRecord[]> {
  const { data } = await octokit.request("GET /repos/{owner}/{repo}/deployments", {
    owner: ref.owner,
    repo: ref.repo,
    environment: ref.environment,
    per_page: DEPLOYMENTS_READ,
  });
  const records: DeploymentRecord[] = [];
  let othersScanned = 0;
  let foundGood = false;
  for (const deployment of data) {
    const payload = payloadOf(deployment.payload);
    const ours = payload?.release === ref.release;
    if (!ours && (foundGood || othersScanned >= OTHER_RELEASES_SCANNED)) continue;
    const statuses = await listStatuses(octokit, { ...ref, deploymentId: Number(deployment.id) });
    const record = toDeploymentRecord(deployment, statuses, payload);
    if (!ours) {
      othersScanned++;
      if (ref.trust ? isTrustedDeployment(record, ref.trust) && trustedSuccess(record, ref.trust) : statuses.some((s) => s.state === "success")) foundGood = true;
    }
    records.push(record);
  }
  return records;
}

function trustedSuccess(record: DeploymentRecord, trust: TrustPolicy): boolean {
  return trustedHistory([record], trust).deployments[0]?.statuses.some((s) => s.state === "success") ?? false;
}

interface ListedDeployment {
  id: number | bigint;
  sha: string;
  environment: string;
  created_at: string;
  creator: { login: string } | null;
  performed_via_github_app?: { id: number } | null;
  payload: unknown;
}

/** A deployment as GitHub lists it, with its statuses, as the rollout core reads it. */
export function toDeploymentRecord(
  deployment: ListedDeployment,
  statuses: DeploymentRecord["statuses"],
  payload: DeploymentPayload | null = payloadOf(deployment.payload),
): DeploymentRecord {
  return {
    id: Number(deployment.id),
    sha: deployment.sha,
    environment: deployment.environment,
    createdAt: deployment.created_at,
    creator: deployment.creator?.login ?? null,
    viaApp: deployment.performed_via_github_app?.id ?? null,
    payload,
    statuses,
  };
}

/** The Release Gate payload of a deployment, or null when it is not one of ours. */
function payloadOf(raw: unknown): DeploymentPayload | null {
  const parsed = parseDeploymentPayload(raw);
  return parsed.ok ? parsed.payload : null;
}

/**
 * The statuses of a deployment, newest first: the newest 100 (one read), or up to `maxPages` pages
 * of 100 when a caller needs them all (a long window's checkpoints). All of them, not the latest:
 * GitHub marks a deployment `inactive` once a newer one succeeds, and its phase is read from the
 * status before that.
 */
export async function listStatuses(octokit: GitHubClient, ref: RepoRef & { deploymentId: number; maxPages?: number }): Promise<DeploymentRecord["statuses"]> {
  const statuses: DeploymentRecord["statuses"] = [];
  for (let page = 1; page <= (ref.maxPages ?? 1); page++) {
    const { data } = await octokit.request("GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses", {
      owner: ref.owner,
      repo: ref.repo,
      deployment_id: ref.deploymentId,
      per_page: 100,
      ...(page > 1 ? { page } : {}),
    });
    statuses.push(
      ...data.map((s) => ({
        state: s.state as DeploymentState,
        createdAt: s.created_at,
        ...(s.description ? { description: s.description } : {}),
        ...(s.log_url || s.target_url ? { logUrl: (s.log_url || s.target_url) as string } : {}),
        creator: s.creator?.login ?? null,
        viaApp: s.performed_via_github_app?.id ?? null,
      })),
    );
    if (data.length < 100) break;
  }
  return statuses;
}

export type CreateDeploymentResult =
  | { kind: "created"; id: number; url: string }
  /** 202: GitHub merged the default branch into the ref instead of deploying (auto_merge). */
  | { kind: "merged"; message: string }
  /** 409: a required status context failed, or a merge conflict. */
  | { kind: "conflict"; message: string };

/** Attempts at creating a deployment: the retry plugin's 1 + 3, with its back-off (attempt² seconds). */
export const CREATE_DEPLOYMENT_ATTEMPTS = 4;

/**
 * Creating a deployment is not idempotent: the retry plugin would resend a POST whose response was
 * lost after GitHub had created the deployment, and a second deployment of the stage would start
 * the deploy workflow twice. So the POST goes without the plugin's retries, and before each new
 * attempt we look for the deployment (same commit, environment, release, stage and rollback) and
 * adopt it when GitHub did create it. Same pattern as the check run's creation in check-runs.ts.
 */
export async function createStageDeployment(
  octokit: GitHubClient,
  ref: RepoRef & { sha: string; environment: string; payload: DeploymentPayload; description: string },
  wait: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<CreateDeploymentResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await postDeployment(octokit, ref);
    } catch (error) {
      if (!isServerSideFailure(error) || attempt >= CREATE_DEPLOYMENT_ATTEMPTS) throw error;
    }
    await wait(attempt ** 2 * 1000);
    const found = await findStageDeployment(octokit, ref);
    if (found) return { kind: "created", id: found.id, url: found.url };
  }
}

async function postDeployment(
  octokit: GitHubClient,
  ref: RepoRef & { sha: string; environment: string; payload: DeploymentPayload; description: string },
): Promise<CreateDeploymentResult> {
  try {
    const response = await octokit.request("POST /repos/{owner}/{repo}/deployments", {
      owner: ref.owner,
      repo: ref.repo,
      ref: ref.sha,
      task: "deploy",
      environment: ref.environment,
      payload: ref.payload as unknown as Record<string, unknown>,
      description: statusDescription(ref.description),
      // The API's default (true) merges the default branch into the ref first and answers 202 with
      // no deployment when it did; a rollout deploys exactly the commit that was checked.
      auto_merge: false,
      // The default is every status context of the ref, so one unrelated failing context answers 409.
      // The gate is ours (readiness check + guards), decided before this call; GitHub must not add one.
      required_contexts: [],
      transient_environment: false,
      request: { retries: 0 },
    });
    if ((response.status as number) === 202) {
      return { kind: "merged", message: String((response.data as { message?: unknown }).message ?? "merged") };
    }
    const data = response.data as { id: number; url: string };
    return { kind: "created", id: data.id, url: data.url };
  } catch (error) {
    if (isStatus(error, 409)) return { kind: "conflict", message: (error as Error).message };
    throw error;
  }
}

/** The deployment a lost POST may have created: same commit and environment, same stage of the same release. */
async function findStageDeployment(
  octokit: GitHubClient,
  ref: RepoRef & { sha: string; environment: string; payload: DeploymentPayload },
): Promise<{ id: number; url: string } | undefined> {
  const { data } = await octokit.request("GET /repos/{owner}/{repo}/deployments", {
    owner: ref.owner,
    repo: ref.repo,
    sha: ref.sha,
    environment: ref.environment,
    per_page: 30,
  });
  const wanted = ref.payload;
  const match = data.find((deployment) => {
    const parsed = parseDeploymentPayload(deployment.payload);
    if (!parsed.ok) return false;
    const p = parsed.payload;
    return p.release === wanted.release && p.stage === wanted.stage && p.rollback?.of === wanted.rollback?.of;
  });
  return match ? { id: Number(match.id), url: match.url } : undefined;
}

export async function setDeploymentStatus(
  octokit: GitHubClient,
  ref: RepoRef & { deploymentId: number; state: DeploymentState; description: string; logUrl?: string },
): Promise<void> {
  await octokit.request("POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses", {
    owner: ref.owner,
    repo: ref.repo,
    deployment_id: ref.deploymentId,
    state: ref.state,
    description: statusDescription(ref.description),
    ...(ref.logUrl ? { log_url: ref.logUrl } : {}),
  });
}
