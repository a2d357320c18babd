// The Action's reads of GitHub Deployments: adopt a stage's deployment (from the event or by id) and
// read the environment's recent history (rollout table, last good SHA). Creating a deployment and
// writing its statuses go through deployments.ts, as for the app.
import { parseDeploymentPayload, type DeploymentPayload } from "../core/rollout/deployment-payload.js";
import type { DeploymentRecord } from "../core/rollout/types.js";
import type { GitHubClient, RepoRef } from "./client.js";
import { listStatuses, toDeploymentRecord } from "./deployments.js";

export interface AdoptedDeployment {
  id: number;
  sha: string;
  environment: string;
  payload: DeploymentPayload | null;
  /** Why the payload is not a Release Gate stage, when it is not. */
  payloadError?: string;
}

export async function getDeployment(octokit: GitHubClient, ref: RepoRef & { deploymentId: number }): Promise<AdoptedDeployment> {
  const { data } = await octokit.request("GET /repos/{owner}/{repo}/deployments/{deployment_id}", {
    owner: ref.owner,
    repo: ref.repo,
    deployment_id: ref.deploymentId,
  });
  return adopt(data);
}

/** Reads a deployment as the `deployment` event or the API serves it. */
export function adopt(data: { id: number | bigint; sha: string; environment: string; payload: unknown }): AdoptedDeployment {
  const parsed = parseDeploymentPayload(data.payload);
  return {
    id: Number(data.id),
    sha: data.sha,
    environment: data.environment,
    payload: parsed.ok ? parsed.payload : null,
    ...(parsed.ok ? {} : { payloadError: parsed.error }),
  };
}

/** The newest deployments of an environment with their statuses. Reads: 1 + one per deployment. */
export async function listRecentDeployments(octokit: GitHubClient, ref: RepoRef & { environment: string; limit: number }): Promise<DeploymentRecord[]> {
  const { data } = await octokit.request("GET /repos/{owner}/{repo}/deployments", {
    owner: ref.owner,
    repo: ref.repo,
    environment: ref.environment,
    per_page: ref.limit,
  });
  const records: DeploymentRecord[] = [];
  for (const deployment of data.slice(0, ref.limit)) {
    records.push(toDeploymentRecord(deployment, await listStatuses(octokit, { ...ref, deploymentId: Number(deployment.id) })));
  }
  return records;
}

/** Deployment statuses read per deployment at most (10 pages of GitHub's 100). */
export const MAX_STATUS_PAGES = 10;

/**
 * The newest deployments of an environment (one page of up to 100) that carry a Release Gate stage
 * payload and are not rollbacks, each with every status, newest first (paged: a window checked by
 * a schedule collects many). Reads: 1 + one or more per stage deployment among `keep`.
 */
export async function listStageDeployments(
  octokit: GitHubClient,
  ref: RepoRef & { environment: string; keep: (d: { createdAt: string; payload: DeploymentPayload }) => boolean },
): Promise<DeploymentRecord[]> {
  const { data } = await octokit.request("GET /repos/{owner}/{repo}/deployments", {
    owner: ref.owner,
    repo: ref.repo,
    environment: ref.environment,
    per_page: 100,
  });
  const records: DeploymentRecord[] = [];
  for (const deployment of data) {
    const parsed = parseDeploymentPayload(deployment.payload);
    if (!parsed.ok || parsed.payload.rollback || !ref.keep({ createdAt: deployment.created_at, payload: parsed.payload })) continue;
    const statuses = await listStatuses(octokit, { ...ref, deploymentId: Number(deployment.id), maxPages: MAX_STATUS_PAGES });
    records.push(toDeploymentRecord(deployment, statuses, parsed.payload));
  }
  return records;
}
