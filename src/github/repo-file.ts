// Reads one file's text from a repository at a ref (the default branch when `ref` is omitted).
import type { GitHubClient, RepoRef } from "./client.js";

export async function readRepoFile(
  octokit: GitHubClient,
  ref: RepoRef & { path: string; ref?: string },
): Promise<string | undefined> {
  try {
    const response = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", {
      owner: ref.owner,
      repo: ref.repo,
      path: ref.path,
      ...(ref.ref ? { ref: ref.ref } : {}),
      mediaType: { format: "raw" },
    });
    return typeof response.data === "string" ? response.data : undefined;
  } catch (error) {
    if (isStatus(error, 404)) return undefined;
    throw error;
  }
}

export function isStatus(error: unknown, status: number): boolean {
  return typeof error === "object" && error !== null && "status" in error && (error as { status: unknown }).status === status;
}

/** 5xx answers, and network errors and timeouts (which Octokit reports as 500). */
export function isServerSideFailure(error: unknown): boolean {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" && status >= 500;
}
