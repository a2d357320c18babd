// Reads the changed migration files at the PR head for the SQL analysis. Every changed file is
// analysed whole (a diff that only deletes lines, such as the `/*` `*/` around a statement, changes
// what runs as much as one that adds them). A new file whose patch is complete costs nothing (the
// patch is the file); other files cost one contents read each; deleted files cost nothing.
import { fileFromPatch, firstChangedLine, readPatch } from "../core/sql/patch-lines.js";
import type { MigrationSource } from "../core/sql/analyse-migrations.js";
import type { GitHubClient, RepoRef } from "./client.js";
import type { ChangedSqlFile } from "./pull-facts.js";
import { checkLimit, describeOverLimit, LIMITS, type OverLimit } from "../core/limits.js";
import { readRepoFileCapped } from "./repo-file.js";

/** File statuses of a path that exists on the base branch and that the PR changes (not new, not deleted). */
const EDITS_BASE_FILE = new Set(["modified", "renamed", "changed"]);

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
    if (file.status === "removed" || file.status === "unchanged") continue;
    const what = `\`${file.path}\``;
    // A patch larger than a whole file's cap is not parsed; the file's own size decides below.
    const patch = file.patch !== undefined && Buffer.byteLength(file.patch, "utf8") <= LIMITS.migrationFile.max ? file.patch : undefined;
    const edited = EDITS_BASE_FILE.has(file.status)
      ? { editsBaseFile: { line: (patch ? firstChangedLine(patch) : undefined) ?? 1, ...(file.previousPath ? { previousPath: file.previousPath } : {}) } }
      : {};
    const fromPatch = file.status === "added" && patch ? fileFromPatch(readPatch(patch), file.additions) : undefined;
    let text: string | undefined;
    if (fromPatch !== undefined) {
      text = fromPatch;
    } else {
      reads++;
      const read = await readRepoFileCapped(octokit, { ...ref, path: file.path, ref: ref.headSha }, LIMITS.migrationFile.max);
      if (read.kind === "missing") {
        sources.push({ path: file.path, text: undefined, unreadable: "not found at the PR head", ...edited });
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
    sources.push({ path: file.path, text, ...edited });
  }
  return { sources, reads, overLimits };
}
