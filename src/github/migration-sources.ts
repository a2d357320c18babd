// Reads the changed migration files at the PR head for the SQL analysis, as cheaply as GitHub
// allows: a new file whose patch is complete costs nothing (the patch is the file); other files
// cost one contents read each; files the PR only deletes or renames unchanged cost nothing.
import { fileFromPatch, readPatch } from "../core/sql/patch-lines.js";
import type { MigrationSource } from "../core/sql/analyse-migrations.js";
import type { GitHubClient, RepoRef } from "./client.js";
import type { ChangedSqlFile } from "./pull-facts.js";
import { readRepoFile } from "./repo-file.js";

/** Larger files are not analysed (the contents API serves raw files up to 100 MB; we stop far earlier). */
export const MAX_MIGRATION_BYTES = 1_000_000;

export interface MigrationReads {
  sources: MigrationSource[];
  /** Contents API requests made. */
  reads: number;
}

export async function readMigrationSources(octokit: GitHubClient, ref: RepoRef & { headSha: string }, files: readonly ChangedSqlFile[]): Promise<MigrationReads> {
  const sources: MigrationSource[] = [];
  let reads = 0;
  for (const file of files) {
    if (file.status === "removed" || file.additions === 0) continue;
    const lines = file.patch ? readPatch(file.patch) : undefined;
    const fromPatch = file.status === "added" && lines ? fileFromPatch(lines, file.additions) : undefined;
    if (fromPatch !== undefined) {
      sources.push({ path: file.path, text: fromPatch });
      continue;
    }
    reads++;
    const text = await readRepoFile(octokit, { ...ref, path: file.path, ref: ref.headSha });
    const complete = lines !== undefined && lines.added.size === file.additions;
    if (text === undefined) sources.push({ path: file.path, text: undefined, unreadable: "not found at the PR head" });
    else if (text.length > MAX_MIGRATION_BYTES) sources.push({ path: file.path, text: undefined, unreadable: `larger than ${MAX_MIGRATION_BYTES} bytes` });
    // Without a complete patch the added lines are unknown, so the whole file is analysed.
    else sources.push({ path: file.path, text, ...(complete && file.status !== "added" ? { addedLines: lines.added } : {}) });
  }
  return { sources, reads };
}
