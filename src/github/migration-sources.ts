// Reads the changed migration files at the PR head for the SQL analysis. Every changed file is
// analysed whole (a diff that only deletes lines, such as the `/*` `*/` around a statement, changes
// what runs as much as one that adds them). A new file whose patch is complete costs nothing (the
// patch is the file); other files cost one contents read each; deleted files cost nothing.
import { fileFromPatch, firstChangedLine, readPatch } from "../core/sql/patch-lines.js";
import type { MigrationSource } from "../core/sql/analyse-migrations.js";
import type { GitHubClient, RepoRef } from "./client.js";
import type { ChangedSqlFile } from "./pull-facts.js";
import { readRepoFile } from "./repo-file.js";

/** Larger files are not analysed (the contents API serves raw files up to 100 MB; we stop far earlier). */
export const MAX_MIGRATION_BYTES = 1_000_000;

/** File statuses of a path that exists on the base branch and that the PR changes (not new, not deleted). */
const EDITS_BASE_FILE = new Set(["modified", "renamed", "changed"]);

export interface MigrationReads {
  sources: MigrationSource[];
  /** Contents API requests made. */
  reads: number;
}

export async function readMigrationSources(octokit: GitHubClient, ref: RepoRef & { headSha: string }, files: readonly ChangedSqlFile[]): Promise<MigrationReads> {
  const sources: MigrationSource[] = [];
  let reads = 0;
  for (const file of files) {
    if (file.status === "removed" || file.status === "unchanged") continue;
    const edited = EDITS_BASE_FILE.has(file.status)
      ? { editsBaseFile: { line: (file.patch ? firstChangedLine(file.patch) : undefined) ?? 1, ...(file.previousPath ? { previousPath: file.previousPath } : {}) } }
      : {};
    const fromPatch = file.status === "added" && file.patch ? fileFromPatch(readPatch(file.patch), file.additions) : undefined;
    if (fromPatch !== undefined) {
      sources.push({ path: file.path, text: fromPatch, ...edited });
      continue;
    }
    reads++;
    const text = await readRepoFile(octokit, { ...ref, path: file.path, ref: ref.headSha });
    if (text === undefined) sources.push({ path: file.path, text: undefined, unreadable: "not found at the PR head", ...edited });
    else if (text.length > MAX_MIGRATION_BYTES) sources.push({ path: file.path, text: undefined, unreadable: `larger than ${MAX_MIGRATION_BYTES} bytes`, ...edited });
    else sources.push({ path: file.path, text, ...edited });
  }
  return { sources, reads };
}
