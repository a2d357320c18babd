// Property tests for the migration analyser: 10,000 generated SQL-ish files each, no crash, every
// finding inside the file, and comments never change what is found.
import fc from "fast-check";
import { analyseMigration } from "../../src/core/sql/analyse-migration.js";
import { lexSql } from "../../src/core/sql/lex-sql.js";
import type { SqlParser } from "../../src/core/sql/parser.js";
import { loadPostgresParser } from "../../src/core/sql/postgres-parser.js";

const RUNS = 10_000;
let parser: SqlParser;
beforeAll(async () => {
  parser = await loadPostgresParser();
});

// Fragments that steer the generator into quotes, comments, dollar quoting and rule keywords.
const fragment = fc.oneof(
  fc.constantFrom("ALTER TABLE ", "users", " DROP COLUMN ", "email", " RENAME TO ", "CREATE INDEX ", "CONCURRENTLY ", " ON ", "(x)",
    "DROP TABLE ", "TRUNCATE ", "SET NOT NULL", " ALTER COLUMN a TYPE bigint", " ADD COLUMN b text NOT NULL", "NOT VALID", ";", ";\n",
    "\n", "'", "''", "E'\\''", '"', "$$", "$a$", "$1", "--", "/*", "*/", "DO $$ BEGIN ", " END $$", "BEGIN ATOMIC ", " END",
    "BEGIN;", "COMMIT;", "SET lock_timeout = '1s';", "\\set x 1\n", "-- release-gate: allow drop-column because ok\n",
    "-- migrate:down\n", "CASE ", ",", "(", ")", "public.", "{{ x }}", "\r\n"),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.string({ unit: "binary", maxLength: 10 }),
);
const sqlFile = fc.array(fragment, { maxLength: 40 }).map((parts) => parts.join(""));

describe("migration analyser", () => {
  it("never throws and keeps every finding inside the file", () => {
    fc.assert(
      fc.property(sqlFile, (text) => {
        const lines = text.split("\n").length;
        const { findings } = analyseMigration(text, { file: "m.sql", parser });
        for (const f of findings) {
          expect(f.line).toBeGreaterThanOrEqual(1);
          expect(f.line).toBeLessThanOrEqual(lines);
          expect(["breaking", "advisory"]).toContain(f.class);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("lexes every input into ordered, non-overlapping tokens that cover all non-blank text", () => {
    fc.assert(
      fc.property(sqlFile, (text) => {
        let last = 0;
        let covered = "";
        for (const t of lexSql(text)) {
          expect(t.start).toBeGreaterThanOrEqual(last);
          expect(t.end).toBeGreaterThan(t.start);
          covered += text.slice(last, t.start).replace(/\s/g, "");
          last = t.end;
        }
        expect(covered).toBe("");
        expect(text.slice(last).trim()).toBe("");
      }),
      { numRuns: RUNS },
    );
  });

  it("text inside a comment never produces a finding", () => {
    fc.assert(
      fc.property(sqlFile, (text) => {
        const commented = text.split(/\r\n|\r|\n/).map((l) => `-- ${l}`).join("\n");
        expect(analyseMigration(commented, { file: "m.sql", parser }).findings).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });
});
