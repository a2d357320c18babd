// The readiness check's buttons ("Advance", "Roll back"): `check_run.requested_action` takes the same
// path and permission checks as the comment commands; the presser is the actor.
import type { Context, Probot } from "probot";
import { commandFromAction } from "../../core/commands/check-run-actions.js";
import { CHECK_NAME } from "../../core/render/readiness-report.js";
import { pullNumberFromExternalId } from "../../github/check-runs.js";
import { appIdentity, installationOctokit } from "../installation-octokit.js";
import { runReleaseCommand } from "../../workflows/release/run-release-command.js";
import { isIgnored } from "../../core/commands/comment-command.js";

export function checkRunActionHandler(app: Pick<Probot, "auth">) {
  return async (context: Context<"check_run.requested_action">) => {
    const { check_run: run, requested_action: action, repository, installation, sender } = context.payload;
    if (run.name !== CHECK_NAME || isIgnored(sender)) return;
    const command = commandFromAction(action?.identifier ?? "");
    const pullNumber = pullNumberFromExternalId(run.external_id);
    if (!command || pullNumber === undefined) return;
    const octokit = await installationOctokit(app, installation?.id);
    const identity = await appIdentity(app);
    // GitHub sends requested_action only to the app that made the run; a payload naming another
    // app's run is not ours to act on.
    if (run.app?.id !== undefined && run.app.id !== identity.appId) return;
    await runReleaseCommand(
      octokit,
      {
        target: { owner: repository.owner.login, repo: repository.name, pullNumber },
        origin: { source: "button", key: `check_run:${run.id}:${action!.identifier}:${context.id}`, actor: { login: sender.login, type: sender.type } },
        command,
        ignored: 0,
      },
      context.log,
      identity,
    );
  };
}
