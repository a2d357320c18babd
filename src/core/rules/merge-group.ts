// The verdict on a merge group: every PR of the group ready, and the group's migrations, analysed
// together in migration order, raising nothing that the PRs' own analyses did not already judge.
import type { MigrationReport } from "../sql/analyse-migrations.js";
import type { SqlFinding } from "../sql/findings.js";

/** One PR of the group as its own readiness check would judge it right now. */
export interface GroupPull {
  number: number;
  title: string;
  url: string;
  verdict:
    | { kind: "ready"; title: string }
    | { kind: "overridden"; title: string; approver: string }
    | { kind: "not-ready"; title: string }
    | { kind: "not-open"; state: string };
}

/** A finding of the combined analysis that no PR's own analysis has: it comes from putting them together. */
export interface GroupConflict {
  finding: SqlFinding;
  /** The PR whose file holds the offending statement (the one to pull from the queue). */
  pull: number | undefined;
}

/** Why the group could not be judged in full (caps, commits no PR accounts for). */
export type GroupProblem =
  | { kind: "unattributed-commits"; shas: string[] }
  | { kind: "too-many-commits"; commits: number; max: number }
  | { kind: "too-many-pulls"; pulls: number; max: number }
  | { kind: "files-truncated"; listed: number }
  | { kind: "migrations-unreadable"; paths: string[] };

export type GroupVerdict =
  | { kind: "ready"; pulls: GroupPull[]; conflicts: [] }
  | { kind: "not-ready"; pulls: GroupPull[]; conflicts: GroupConflict[]; problems: GroupProblem[]; toPull: number[] };

const findingKey = (f: Pick<SqlFinding, "file" | "rule" | "line">) => `${f.file}\0${f.rule}\0${f.line}`;

/** Whether a finding fails a check, the way the schema-migration rule counts it (suppressed ones are recorded exceptions). */
function fails(f: SqlFinding, failOnAdvisory: boolean): boolean {
  if (f.suppressed) return false;
  return f.class === "breaking" || (failOnAdvisory && f.class === "advisory");
}

/**
 * Failing findings of the group's combined analysis that none of its PRs' own analyses reported: a
 * finding a PR's check already judged (failed it, or accepted it as an exception) is that PR's
 * verdict, not the combination's. `owners` maps each migration path to the PR that changes it.
 */
export function combinedMigrationConflicts(
  group: MigrationReport,
  perPull: ReadonlyArray<MigrationReport | undefined>,
  owners: ReadonlyMap<string, number>,
  failOnAdvisory: boolean,
): GroupConflict[] {
  const known = new Set(perPull.flatMap((r) => r?.findings ?? []).map(findingKey));
  return group.findings
    .filter((f) => fails(f, failOnAdvisory) && !known.has(findingKey(f)))
    .map((finding) => ({ finding, pull: owners.get(finding.file) }));
}

export function decideMergeGroup(pulls: readonly GroupPull[], conflicts: readonly GroupConflict[], problems: readonly GroupProblem[]): GroupVerdict {
  const notReady = pulls.filter((p) => p.verdict.kind === "not-ready" || p.verdict.kind === "not-open").map((p) => p.number);
  const fromConflicts = conflicts.map((c) => c.pull).filter((n): n is number => n !== undefined);
  const toPull = [...new Set([...notReady, ...fromConflicts])].sort((a, b) => a - b);
  // A group nobody can vouch for in full never passes: an unjudged PR could be the unready one.
  if (pulls.length > 0 && toPull.length === 0 && conflicts.length === 0 && problems.length === 0) return { kind: "ready", pulls: [...pulls], conflicts: [] };
  const noPulls: GroupProblem[] = pulls.length === 0 && problems.length === 0 ? [{ kind: "unattributed-commits", shas: [] }] : [];
  return { kind: "not-ready", pulls: [...pulls], conflicts: [...conflicts], problems: [...problems, ...noPulls], toPull };
}
