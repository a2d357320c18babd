// The app as an Environment's custom protection rule: before a workflow job bound to the protected
// Environment runs, GitHub asks; the app answers by the same guards as `/release advance`, so no
// workflow run (a manual dispatch included) can skip a gate. A rejection is explained on the PR.
import type { Context, Probot } from "probot";
import { appIdentity, installationOctokit } from "../installation-octokit.js";
import { answerProtectionRequest } from "../../workflows/release/protection-rule.js";

export function deploymentProtectionRuleHandler(app: Pick<Probot, "auth">) {
  return async (context: Context<"deployment_protection_rule.requested">) => {
    const { payload } = context;
    const octokit = await installationOctokit(app, payload.installation?.id);
    await answerProtectionRequest(
      octokit,
      {
        owner: payload.repository.owner.login,
        repo: payload.repository.name,
        environment: payload.environment ?? "",
        event: payload.event ?? "",
        callbackUrl: payload.deployment_callback_url ?? "",
        deployment: payload.deployment
          ? {
              id: payload.deployment.id,
              sha: payload.deployment.sha,
              payload: payload.deployment.payload,
              createdAt: payload.deployment.created_at,
              creator: payload.deployment.creator?.login ?? null,
              viaApp: payload.deployment.performed_via_github_app?.id ?? null,
            }
          : undefined,
        pullNumbers: (payload.pull_requests ?? []).map((p) => p.number),
      },
      context.log,
      await appIdentity(app),
    );
  };
}
