// The GitHub calls a stage makes, bound to the repository and the run's log link: the same gateways
// the app's verbs write through (one create, one set-status), plus the Action's reads.
import { redactSecrets } from "../core/gates/redact-secrets.js";
import type { DeploymentPayload } from "../core/rollout/deployment-payload.js";
import type { DeploymentRecord, DeploymentState } from "../core/rollout/types.js";
import type { GitHubClient } from "../github/client.js";
import { createStageDeployment, setDeploymentStatus } from "../github/deployments.js";
import { findPullForCommit } from "../github/pull-facts.js";
import { getDeployment, listRecentDeployments, listStageDeployments, type AdoptedDeployment } from "../github/stage-deployments.js";
import type { RunContext } from "./event.js";

/** Deployments read for the rollout table and the last good SHA. */
const RECENT_DEPLOYMENTS = 10;

export interface StageGitHub {
  createDeployment(args: { sha: string; environment: string; payload: DeploymentPayload; description: string }): Promise<{ id: number; sha: string }>;
  getDeployment(id: number): Promise<AdoptedDeployment>;
  /** `logUrl` replaces the run's link (a checkpoint is the run's link plus the tallies). */
  setStatus(id: number, state: DeploymentState, description: string, logUrl?: string): Promise<void>;
  listRecent(environment: string): Promise<DeploymentRecord[]>;
  findPull(sha: string): Promise<{ number: number; body: string | null } | undefined>;
  /** Stage deployments of the environment (not rollbacks) that `keep` admits, with all their statuses. */
  listStages(environment: string, keep: (d: { createdAt: string; payload: DeploymentPayload }) => boolean): Promise<DeploymentRecord[]>;
}

export function bindGitHub(octokit: GitHubClient, context: Pick<RunContext, "owner" | "repo" | "logUrl">): StageGitHub {
  const repo = { owner: context.owner, repo: context.repo };
  const logUrl = context.logUrl;
  return {
    createDeployment: async (args) => {
      const result = await createStageDeployment(octokit, { ...repo, ...args });
      // A stage without its deployment has nothing to report on: fail loudly.
      if (result.kind !== "created") throw new Error(`GitHub did not create the deployment of ${args.sha.slice(0, 7)} (${result.kind}): ${result.message}`);
      return { id: result.id, sha: args.sha };
    },
    getDeployment: (id) => getDeployment(octokit, { ...repo, deploymentId: id }),
    // Redacted before the gateway cuts it to GitHub's length, so a cut never splits a secret it would miss.
    setStatus: (id, state, description, url) =>
      setDeploymentStatus(octokit, { ...repo, deploymentId: id, state, description: redactSecrets(description), ...((url ?? logUrl) ? { logUrl: (url ?? logUrl)! } : {}) }),
    listRecent: (environment) => listRecentDeployments(octokit, { ...repo, environment, limit: RECENT_DEPLOYMENTS }),
    findPull: (sha) => findPullForCommit(octokit, { ...repo, sha }),
    listStages: (environment, keep) => listStageDeployments(octokit, { ...repo, environment, keep }),
  };
}
