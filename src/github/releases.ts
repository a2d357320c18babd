// GitHub Releases: whether a repository publishes them, and creating the record of a finished rollout.
import type { GitHubClient, RepoRef } from "./client.js";
import { isStatus } from "./repo-file.js";

/** One read: does the repository have any release (then a finished rollout is recorded as one)? */
export async function usesReleases(octokit: GitHubClient, ref: RepoRef): Promise<boolean> {
  const { data } = await octokit.request("GET /repos/{owner}/{repo}/releases", { owner: ref.owner, repo: ref.repo, per_page: 1 });
  return data.length > 0;
}

export type CreateReleaseResult = { kind: "created"; id: number; url: string } | { kind: "tag-taken"; message: string };

/** Creates a published release (and its tag at `sha`); a tag that already has a release answers 422. */
export async function createRelease(
  octokit: GitHubClient,
  ref: RepoRef & { tag: string; sha: string; name: string; body: string },
): Promise<CreateReleaseResult> {
  try {
    const { data } = await octokit.request("POST /repos/{owner}/{repo}/releases", {
      owner: ref.owner,
      repo: ref.repo,
      tag_name: ref.tag,
      target_commitish: ref.sha,
      name: ref.name,
      body: ref.body,
      draft: false,
      prerelease: false,
      make_latest: "false",
    });
    return { kind: "created", id: data.id, url: data.html_url };
  } catch (error) {
    if (isStatus(error, 422)) return { kind: "tag-taken", message: (error as Error).message };
    throw error;
  }
}
