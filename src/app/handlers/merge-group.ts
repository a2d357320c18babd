// merge_group.checks_requested: the merge queue waits for `Release readiness` on the group's head.
import type { Context, Probot } from "probot";
import { runMergeGroup } from "../../workflows/readiness/merge-group.js";
import { appIdentity, installationOctokit } from "../installation-octokit.js";

export function mergeGroupHandler(app: Pick<Probot, "auth">) {
  return async (context: Context<"merge_group.checks_requested">) => {
    const { merge_group: group, repository, installation } = context.payload;
    if (!repository) return;
    const octokit = await installationOctokit(app, installation?.id);
    await runMergeGroup(
      octokit,
      {
        owner: repository.owner.login,
        repo: repository.name,
        appId: (await appIdentity(app)).appId,
        baseSha: group.base_sha,
        headSha: group.head_sha,
        headRef: group.head_ref,
        baseRef: group.base_ref,
        repoUrl: repository.html_url,
      },
      context.log,
    );
  };
}
