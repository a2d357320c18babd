// `/release` commands in PR comments. Only `issue_comment.created`: an edited comment never re-runs
// a command. Bots are ignored (this app above all, so its own status comment can never loop).
import type { Context, Probot } from "probot";
import { appIdentity, installationOctokit } from "../installation-octokit.js";
import { commentCommand } from "../release/comment-command.js";
import { runReleaseCommand } from "../release/run-release-command.js";

export function issueCommentHandler(app: Pick<Probot, "auth">) {
  return async (context: Context<"issue_comment.created">) => {
    const { comment, issue, repository, installation, sender } = context.payload;
    // Comments on plain issues are not releases.
    if (!issue.pull_request) return;
    const read = commentCommand({
      target: { owner: repository.owner.login, repo: repository.name, pullNumber: issue.number },
      source: "comment",
      id: comment.id,
      body: comment.body,
      url: comment.html_url,
      author: comment.user,
      viaApp: Boolean(comment.performed_via_github_app),
      sender,
    });
    if (read.kind === "ignored") return;
    const octokit = await installationOctokit(app, installation?.id);
    await runReleaseCommand(octokit, read.request, context.log, await appIdentity(octokit));
  };
}
