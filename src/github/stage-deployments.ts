// The Action's gateway to GitHub Deployments: create (through the app's gateway in deployments.ts) or
// adopt a stage's deployment, write its statuses with descriptions GitHub accepts, read the
// environment's recent history (rollout table, last good SHA) and the PR a commit came from.
import { parseDeploymentPayload, type DeploymentPayload } from "../core/rollout/deployment-payload.js";
import type { DeploymentRecord, DeploymentState } from "../core/rollout/types.js";
import type { GitHubClient, RepoRef } from "./client.js";
import { createStageDeployment, listStatuses, setDeploymentStatus as setStatus, toDeploymentRecord } from "./deployments.js";

/** GitHub rejects longer deployment status descriptions. */
export const MAX_STATUS_DESCRIPTION = 140;

export function statusDescription(text: string): string {
  const clean = text.replace(/\s+/g, " ").trim();
  return clean.length < MAX_STATUS_DESCRIPTION ? clean : `${clean.slice(0, MAX_STATUS_DESCRIPTION - 2)}…`;
}

export interface AdoptedDeployment {
  id: number;
  sha: string;
  environment: string;
  payload: DeploymentPayload | null;
  /** Why the payload is not a Release Gate stage, when it is not. */
  payloadError?: string;
}

/** A stage's deployment through the app's own gateway (same request), failing loudly when GitHub made none. */
export async function createDeployment(
  octokit: GitHubClient,
  ref: RepoRef & { sha: string; environment: string; payload: DeploymentPayload; description: string },
): Promise<{ id: number; sha: string }> {
  const result = await createStageDeployment(octokit, { ...ref, description: statusDescription(ref.description) });
  if (result.kind !== "created") throw new Error(`GitHub did not create the deployment of ${ref.sha.slice(0, 12)} (${result.kind}): ${result.message}`);
  return { id: Number(result.id), sha: ref.sha };
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

export async function setDeploymentStatus(
  octokit: GitHubClient,
  ref: RepoRef & { deploymentId: number; state: DeploymentState; description: string; logUrl?: string },
): Promise<void> {
  await setStatus(octokit, { ...ref, description: statusDescription(ref.description) });
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

/** The pull request a commit belongs to (merged first), with its body for the rollback contract. */
export async function findPullForCommit(octokit: GitHubClient, ref: RepoRef & { sha: string }): Promise<{ number: number; body: string | null } | undefined> {
  const { data } = await octokit.request("GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls", {
    owner: ref.owner,
    repo: ref.repo,
    commit_sha: ref.sha,
    per_page: 10,
  });
  const pull = data.find((p) => p.merged_at) ?? data[0];
  return pull ? { number: pull.number, body: pull.body } : undefined;
}
