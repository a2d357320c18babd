import { analyseMigrations } from "../../../src/core/sql/analyse-migrations.js";
import type { SqlParser } from "../../../src/core/sql/parser.js";
import { loadPostgresParser } from "../../../src/core/sql/postgres-parser.js";
import { combinedMigrationConflicts, decideMergeGroup, type GroupPull } from "../../../src/core/rules/merge-group.js";
import { renderMergeGroupReport } from "../../../src/core/render/merge-group-report.js";

let parser: SqlParser;
beforeAll(async () => {
  parser = await loadPostgresParser();
});

export const ADD_NICKNAME = "SET lock_timeout = '2s';\nALTER TABLE users ADD COLUMN nickname varchar(50);\n";
export const SHRINK_NICKNAME = "SET lock_timeout = '2s';\nALTER TABLE users ALTER COLUMN nickname TYPE varchar(20);\n";
const A = { path: "db/migrations/001_add_nickname.sql", text: ADD_NICKNAME };
const B = { path: "db/migrations/002_shrink_nickname.sql", text: SHRINK_NICKNAME };
const analyse = (...sources: Array<{ path: string; text: string }>) => analyseMigrations(sources, { parser, changedFiles: sources.map((s) => s.path) });
const owners = new Map([
  [A.path, 10],
  [B.path, 11],
]);

const pull = (number: number, kind: "ready" | "not-ready"): GroupPull => ({
  number,
  title: `PR ${number}`,
  url: `https://github.com/acme/shop/pull/${number}`,
  verdict: { kind, title: kind === "ready" ? "Ready to release" : "Not ready: rollback contract" },
});
const group = { baseSha: "a".repeat(40), headSha: "b".repeat(40), headRef: "refs/heads/gh-readonly-queue/main/pr-11-" + "c".repeat(40) };

describe("combined migrations", () => {
  test("two migrations fine alone conflict together: the later one is a rewrite of a column the earlier one typed", () => {
    const alone = [analyse(A), analyse(B)];
    expect(alone.flatMap((r) => r.findings).filter((f) => f.class === "breaking")).toEqual([]);
    const together = analyse(A, B);
    const conflicts = combinedMigrationConflicts(together, alone, owners, false);
    expect(conflicts.map((c) => [c.finding.file, c.finding.line, c.finding.rule, c.pull])).toEqual([[B.path, 2, "change-column-type", 11]]);
    const verdict = decideMergeGroup([pull(10, "ready"), pull(11, "ready")], conflicts, []);
    expect(verdict).toMatchObject({ kind: "not-ready", toPull: [11] });
    const report = renderMergeGroupReport(verdict, group, "defaults");
    expect(report.conclusion).toBe("failure");
    expect(report.title).toBe("Merge group not ready: pull #11 from the queue");
    expect(report.annotations).toEqual([expect.objectContaining({ path: B.path, startLine: 2, level: "failure", title: expect.stringContaining("change-column-type") })]);
  });

  test("a finding a PR's own check already judged is that PR's verdict, not a conflict", () => {
    const drop = { path: "db/migrations/003_drop.sql", text: "SET lock_timeout = '2s';\nALTER TABLE users DROP COLUMN legacy;\n" };
    const own = analyse(drop);
    expect(own.findings.some((f) => f.class === "breaking")).toBe(true);
    expect(combinedMigrationConflicts(analyse(A, drop), [analyse(A), own], owners, false)).toEqual([]);
  });

  test("advisory findings of the combination count only with fail-on-advisory", () => {
    const dropAdded = { path: "db/migrations/002_drop_nickname.sql", text: "SET lock_timeout = '2s';\nALTER TABLE users DROP COLUMN nickname;\n" };
    const together = analyse(A, dropAdded);
    const alone = [analyse(A), analyse(dropAdded)];
    expect(combinedMigrationConflicts(together, alone, owners, false)).toEqual([]);
    expect(combinedMigrationConflicts(together, alone, owners, true).map((c) => c.finding.rule)).toEqual(["drop-column-added-in-pr"]);
  });
});

describe("the group verdict", () => {
  test("ready only when every PR is ready and nothing conflicts", () => {
    const verdict = decideMergeGroup([pull(10, "ready"), pull(11, "ready")], [], []);
    expect(verdict.kind).toBe("ready");
    const report = renderMergeGroupReport(verdict, group, "defaults");
    expect(report).toMatchObject({ conclusion: "success", title: "Merge group ready: 2 PRs" });
    expect(report.summary).toContain("| [#10](https://github.com/acme/shop/pull/10) PR 10 | ✅ ready | Ready to release |");
  });

  test("a PR that is not ready is the one to pull", () => {
    const verdict = decideMergeGroup([pull(10, "ready"), pull(11, "not-ready"), pull(12, "ready")], [], []);
    expect(verdict).toMatchObject({ kind: "not-ready", toPull: [11] });
    const report = renderMergeGroupReport(verdict, group, "defaults");
    expect(report.title).toBe("Merge group not ready: pull #11 from the queue");
    expect(report.summary).toContain("**Remove #11 from the merge queue**");
    expect(report.summary).toContain("| [#11](https://github.com/acme/shop/pull/11) PR 11 | ❌ not ready | Not ready: rollback contract |");
  });

  test("a group that cannot be judged in full never passes", () => {
    expect(decideMergeGroup([], [], []).kind).toBe("not-ready");
    const verdict = decideMergeGroup([pull(10, "ready")], [], [{ kind: "unattributed-commits", shas: ["d".repeat(40)] }]);
    expect(verdict).toMatchObject({ kind: "not-ready", toPull: [] });
    expect(renderMergeGroupReport(verdict, group, "defaults").title).toBe("Merge group not ready: it could not be judged in full");
  });

  test("PR titles render inert", () => {
    const hostile = { ...pull(10, "ready"), title: "@everyone | <img src=x> [link](https://evil.example)" };
    const report = renderMergeGroupReport(decideMergeGroup([hostile], [], []), group, "defaults");
    // Escaped, not removed: the title reads as typed, but no mention, tag or link comes alive.
    expect(report.summary).toContain("\\<img src=x\\>");
    expect(report.summary).not.toContain("@everyone");
    expect(report.summary).not.toContain("[link](https://evil.example)");
  });
});
