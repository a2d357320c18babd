// `/release` commands in PR comments. Only `issue_comment.created`: an edited comment never re-runs
// a command. Bots are ignored (this app above all, so its own status comment can never loop).
import type { Context, Probot } from "probot";
import { ignoreActor } from "../../core/commands/ignore-actor.js";
import { parseCommands } from "../../core/commands/parse-commands.js";
import { installationOctokit } from "../installation-octokit.js";
import { runReleaseCommand } from "../release/run-release-command.js";

/** Bots (the app itself above all) and anything that is not a user account never run commands. */
export function isIgnored(actor: { login: string; type?: string } | null | undefined): boolean {
  return !actor || ignoreActor({ login: actor.login, type: actor.type ?? "User" }) !== null;
}

export function issueCommentHandler(app: Pick<Probot, "auth">) {
  return async (context: Context<"issue_comment.created">) => {
    const { comment, issue, repository, installation, sender } = context.payload;
    // Comments on plain issues are not releases.
    if (!issue.pull_request) return;
    if (isIgnored(comment.user) || isIgnored(sender) || comment.performed_via_github_app) return;
    const commands = parseCommands(comment.body);
    const first = commands[0];
    // Nothing to do for ordinary conversation: no reaction, no read, no write.
    if (!first) return;
    const octokit = await installationOctokit(app, installation?.id);
    await runReleaseCommand(
      octokit,
      {
        target: { owner: repository.owner.login, repo: repository.name, pullNumber: issue.number },
        origin: { source: "comment", key: String(comment.id), actor: { login: comment.user!.login, type: comment.user!.type ?? "User" } },
        command: first,
        ignored: commands.length - 1,
        commentId: comment.id,
        commentUrl: comment.html_url,
      },
      context.log,
    );
  };
}
