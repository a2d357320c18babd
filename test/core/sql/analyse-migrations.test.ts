import { analyseMigrations } from "../../../src/core/sql/analyse-migrations.js";
import type { SqlParser } from "../../../src/core/sql/parser.js";
import { loadPostgresParser } from "../../../src/core/sql/postgres-parser.js";

let parser: SqlParser;
beforeAll(async () => {
  parser = await loadPostgresParser();
});

const EDITED = "SET lock_timeout = '2s';\nDROP TABLE legacy;\n";

describe("a migration the PR edits", () => {
  test("is analysed whole and flagged as an edit of a migration on the base branch", () => {
    const report = analyseMigrations([{ path: "db/migrations/001.sql", text: EDITED, editsBaseFile: { line: 2 } }], { parser, changedFiles: ["db/migrations/001.sql"] });
    expect(report.findings.map((f) => [f.rule, f.class, f.line])).toEqual([
      ["edited-applied-migration", "breaking", 2],
      ["drop-table", "breaking", 2],
    ]);
    expect(report.findings[0]?.detail).toBe("changes a migration that exists on the base branch");
  });

  test("a rename names the old path, and an unreadable edited file is still flagged", () => {
    const report = analyseMigrations(
      [
        { path: "db/migrations/002.sql", text: "SELECT 1;\n", editsBaseFile: { line: 1, previousPath: "db/migrations/001.sql" } },
        { path: "db/migrations/003.sql", text: undefined, unreadable: "larger than 1000000 bytes", editsBaseFile: { line: 7 } },
      ],
      { parser, changedFiles: [] },
    );
    expect(report.findings.map((f) => [f.file, f.rule, f.line, f.detail])).toEqual([
      ["db/migrations/002.sql", "edited-applied-migration", 1, "renames `db/migrations/001.sql`, a migration that exists on the base branch"],
      ["db/migrations/003.sql", "edited-applied-migration", 7, "changes a migration that exists on the base branch"],
    ]);
    expect(report.skipped).toEqual([{ path: "db/migrations/003.sql", reason: "larger than 1000000 bytes" }]);
  });

  test("a deletion at the end of the file points at its last line", () => {
    const report = analyseMigrations([{ path: "m.sql", text: "SELECT 1;\nSELECT 2;\n", editsBaseFile: { line: 3 } }], { parser, changedFiles: [] });
    expect(report.findings[0]).toMatchObject({ rule: "edited-applied-migration", line: 2 });
  });

  test("config changes the rule's class or turns it off; a new file is not flagged", () => {
    const source = { path: "m.sql", text: "SELECT 1;\n", editsBaseFile: { line: 1 } };
    expect(analyseMigrations([source], { parser, changedFiles: [], rules: { "edited-applied-migration": "advisory" } }).findings.map((f) => f.class)).toEqual(["advisory"]);
    expect(analyseMigrations([source], { parser, changedFiles: [], rules: { "edited-applied-migration": "off" } }).findings).toEqual([]);
    expect(analyseMigrations([{ path: "m.sql", text: "SELECT 1;\n" }], { parser, changedFiles: [] }).findings).toEqual([]);
  });
});
