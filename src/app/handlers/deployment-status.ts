// A stage's deployment status changed (the Action reports in_progress, success, failure). The status
// comment's timeline follows terminal states; a release that reached 100% with a release flag in its
// plan gets its flag-removal issue, once.
import type { Context, Probot } from "probot";
import { appIdentity, installationOctokit } from "../installation-octokit.js";
import { onStageStatus } from "../release/stage-status.js";

export function deploymentStatusHandler(app: Pick<Probot, "auth">) {
  return async (context: Context<"deployment_status.created">) => {
    const { deployment, deployment_status: status, repository, installation } = context.payload;
    const octokit = await installationOctokit(app, installation?.id);
    await onStageStatus(
      octokit,
      {
        owner: repository.owner.login,
        repo: repository.name,
        deployment: { id: deployment.id, sha: deployment.sha, environment: deployment.environment, payload: deployment.payload },
        state: status.state,
      },
      context.log,
      await appIdentity(octokit),
    );
  };
}
