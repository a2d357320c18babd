// pull_request and pull_request_review events: re-evaluate readiness from the live PR.
import type { Context, Probot } from "probot";
import { appIdentity, installationOctokit } from "../installation-octokit.js";
import { runReadiness } from "../../workflows/readiness/run-readiness.js";
import { isPauseLabelEvent } from "../../workflows/readiness/pause-label-filter.js";

export const PULL_REQUEST_EVENTS = [
  "pull_request.opened",
  "pull_request.edited",
  "pull_request.synchronize",
  "pull_request.reopened",
  "pull_request.labeled",
  "pull_request.unlabeled",
  "pull_request.ready_for_review",
  // Approvals count for high-risk paths.
  "pull_request_review.submitted",
  "pull_request_review.dismissed",
] as const;

export function pullRequestHandler(app: Pick<Probot, "auth">) {
  return async (context: Context<(typeof PULL_REQUEST_EVENTS)[number]>) => {
    const { payload } = context;
    const octokit = await installationOctokit(app, payload.installation?.id);
    const repo = { owner: payload.repository.owner.login, repo: payload.repository.name };
    // Only a bot's label change can be `/release pause` or `resume` (the app adds the label), so
    // people's label events cost no extra read.
    const byBot = payload.sender?.type === "Bot";
    if ((payload.action === "labeled" || payload.action === "unlabeled") && byBot && (await isPauseLabelEvent(octokit, repo, payload.label?.name))) {
      context.log.info({ pull: payload.pull_request.number, label: payload.label?.name }, "pause label changed; readiness unchanged, not re-evaluated");
      return;
    }
    await runReadiness(
      octokit,
      {
        owner: payload.repository.owner.login,
        repo: payload.repository.name,
        pullNumber: payload.pull_request.number,
        appId: (await appIdentity(app)).appId,
        hint: { headSha: payload.pull_request.head.sha, updatedAt: payload.pull_request.updated_at },
      },
      context.log,
    );
  };
}
