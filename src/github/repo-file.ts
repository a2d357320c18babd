// Reads one file's text from a repository at a ref (the default branch when `ref` is omitted).
import type { GitHubClient, RepoRef } from "./client.js";
import { OWN_CAP } from "./config-size-cap.js";

export async function readRepoFile(
  octokit: GitHubClient,
  ref: RepoRef & { path: string; ref?: string },
  /** Set by a caller that checked the size against a cap of its own (a migration: 1 MiB), so the config cap does not apply. */
  ownCap = false,
): Promise<string | undefined> {
  try {
    const response = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", {
      owner: ref.owner,
      repo: ref.repo,
      path: ref.path,
      ...(ref.ref ? { ref: ref.ref } : {}),
      mediaType: { format: "raw" },
      ...(ownCap ? { request: { [OWN_CAP]: true } } : {}),
    });
    return typeof response.data === "string" ? response.data : undefined;
  } catch (error) {
    if (isStatus(error, 404)) return undefined;
    throw error;
  }
}

export type CappedFile =
  | { kind: "text"; text: string }
  | { kind: "missing" }
  /** Larger than the cap: the content was never downloaded. */
  | { kind: "too-large"; bytes: number };

/** GitHub's contents API embeds base64 content only for files up to 1 MB; larger ones come as `encoding: "none"`. */
interface ContentsFile {
  type: string;
  size: number;
  encoding?: string;
  content?: string;
}

/**
 * Reads a file a PR author controls, with a size cap checked before the content is fetched: the
 * contents API's JSON answer carries the blob's `size` (and the content itself up to 1 MB), so an
 * oversized file costs one small request, never its download or its parse.
 */
export async function readRepoFileCapped(
  octokit: GitHubClient,
  ref: RepoRef & { path: string; ref?: string },
  maxBytes: number,
): Promise<CappedFile> {
  let data: unknown;
  try {
    ({ data } = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", {
      owner: ref.owner,
      repo: ref.repo,
      path: ref.path,
      ...(ref.ref ? { ref: ref.ref } : {}),
    }));
  } catch (error) {
    if (isStatus(error, 404)) return { kind: "missing" };
    throw error;
  }
  // A directory (an array), symlink or submodule is not a file to read.
  if (Array.isArray(data) || (data as ContentsFile | null)?.type !== "file") return { kind: "missing" };
  const file = data as ContentsFile;
  if (file.size > maxBytes) return { kind: "too-large", bytes: file.size };
  if (file.encoding === "base64" && typeof file.content === "string") return { kind: "text", text: Buffer.from(file.content, "base64").toString("utf8") };
  // Between 1 MB and the cap: only the raw media type serves the content.
  const text = await readRepoFile(octokit, ref, true);
  if (text === undefined) return { kind: "missing" };
  const bytes = Buffer.byteLength(text, "utf8");
  return bytes > maxBytes ? { kind: "too-large", bytes } : { kind: "text", text };
}

export function isStatus(error: unknown, status: number): boolean {
  return typeof error === "object" && error !== null && "status" in error && (error as { status: unknown }).status === status;
}

/** 5xx answers, and network errors and timeouts (which Octokit reports as 500). */
export function isServerSideFailure(error: unknown): boolean {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" && status >= 500;
}
