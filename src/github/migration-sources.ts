// Reads the changed migration files at the PR head for the SQL analysis, as cheaply as GitHub
// allows: a new file whose patch is complete costs nothing (the patch is the file); other files
// cost one contents read each; files the PR only deletes or renames unchanged cost nothing.
import { fileFromPatch, readPatch } from "../core/sql/patch-lines.js";
import type { MigrationSource } from "../core/sql/analyse-migrations.js";
import type { GitHubClient, RepoRef } from "./client.js";
import type { ChangedSqlFile } from "./pull-facts.js";
import { checkLimit, describeOverLimit, LIMITS, type OverLimit } from "../core/limits.js";
import { readRepoFileCapped } from "./repo-file.js";

export interface MigrationReads {
  sources: MigrationSource[];
  /** Contents API requests made. */
  reads: number;
  /** Files refused for their size (each file, and all of them together, are capped in src/core/limits.ts). */
  overLimits: OverLimit[];
}

export async function readMigrationSources(octokit: GitHubClient, ref: RepoRef & { headSha: string }, files: readonly ChangedSqlFile[]): Promise<MigrationReads> {
  const sources: MigrationSource[] = [];
  const overLimits: OverLimit[] = [];
  let reads = 0;
  let total = 0;
  const refuse = (path: string, over: OverLimit) => {
    overLimits.push(over);
    sources.push({ path, text: undefined, unreadable: describeOverLimit(over) });
  };
  for (const file of files) {
    if (file.status === "removed" || file.additions === 0) continue;
    const what = `\`${file.path}\``;
    // A patch larger than a whole file's cap is not parsed; the file's own size decides below.
    const patch = file.patch !== undefined && Buffer.byteLength(file.patch, "utf8") <= LIMITS.migrationFile.max ? file.patch : undefined;
    const lines = patch ? readPatch(patch) : undefined;
    const fromPatch = file.status === "added" && lines ? fileFromPatch(lines, file.additions) : undefined;
    let text: string | undefined;
    if (fromPatch !== undefined) {
      text = fromPatch;
    } else {
      reads++;
      const read = await readRepoFileCapped(octokit, { ...ref, path: file.path, ref: ref.headSha }, LIMITS.migrationFile.max);
      if (read.kind === "missing") {
        sources.push({ path: file.path, text: undefined, unreadable: "not found at the PR head" });
        continue;
      }
      if (read.kind === "too-large") {
        refuse(file.path, checkLimit("migrationFile", read.bytes, what)!);
        continue;
      }
      text = read.text;
    }
    total += Buffer.byteLength(text, "utf8");
    const overTotal = checkLimit("migrationTotal", total, `The PR's migration SQL up to ${what}`);
    if (overTotal) {
      refuse(file.path, overTotal);
      continue;
    }
    const complete = lines !== undefined && lines.added.size === file.additions;
    // Without a complete patch the added lines are unknown, so the whole file is analysed.
    sources.push({ path: file.path, text, ...(complete && file.status !== "added" ? { addedLines: lines.added } : {}) });
  }
  return { sources, reads, overLimits };
}
