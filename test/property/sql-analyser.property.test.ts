// Property tests for the migration analyser: 10,000 generated SQL-ish files each, no crash, every
// finding inside the file, and comments never change what is found; and the other half (an
// analyser that finds nothing fails it): generated hazards are flagged, safe look-alikes are not.
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

// The other half: generated statements with a known hazard must be flagged with that rule, and
// their safe look-alikes must not be. The expected rule comes from the template, not the analyser.
const plainName = fc.stringMatching(/^[a-z][a-z0-9_]{0,12}$/).map((s) => `x_${s}`);
const quotedName = fc
  .string({ unit: "grapheme", minLength: 1, maxLength: 12 })
  .filter((s) => !s.includes("\u0000") && s.trim().length > 0)
  .map((s) => `"x ${s.replace(/"/g, '""')}"`);
const ident = fc.oneof(plainName, quotedName);
const qualified = fc.tuple(fc.option(ident, { nil: undefined }), ident).map(([schema, name]) => (schema ? `${schema}.${name}` : name));
// Noise PostgreSQL ignores between words: spaces, newlines, comments (with rule words inside).
const gap = fc.constantFrom(" ", "  ", "\n", "\t", " /* DROP TABLE users; */ ", " -- ALTER TABLE x DROP COLUMN y\n", "\r\n ");
const casing = fc.boolean();

interface Template {
  rule: string | undefined;
  words: (n: { t: string; c: string; c2: string; i: string; s: string; f: string }) => string[];
}

const BREAKING: Template[] = [
  { rule: "drop-column", words: ({ t, c }) => ["ALTER", "TABLE", t, "DROP", "COLUMN", c] },
  { rule: "drop-table", words: ({ t }) => ["DROP", "TABLE", t] },
  { rule: "rename-column", words: ({ t, c, c2 }) => ["ALTER", "TABLE", t, "RENAME", "COLUMN", c, "TO", c2] },
  { rule: "rename-table", words: ({ t, c2 }) => ["ALTER", "TABLE", t, "RENAME", "TO", c2] },
  { rule: "change-column-type", words: ({ t, c }) => ["ALTER", "TABLE", t, "ALTER", "COLUMN", c, "TYPE", "bigint"] },
  { rule: "set-not-null", words: ({ t, c }) => ["ALTER", "TABLE", t, "ALTER", "COLUMN", c, "SET", "NOT", "NULL"] },
  { rule: "add-not-null-column", words: ({ t, c }) => ["ALTER", "TABLE", t, "ADD", "COLUMN", c, "int", "NOT", "NULL"] },
  { rule: "create-index-non-concurrently", words: ({ t, c, i }) => ["CREATE", "INDEX", i, "ON", t, "(", c, ")"] },
  { rule: "drop-index-non-concurrently", words: ({ i }) => ["DROP", "INDEX", i] },
  { rule: "truncate", words: ({ t }) => ["TRUNCATE", t] },
  { rule: "drop-view", words: ({ t }) => ["DROP", "MATERIALIZED", "VIEW", t] },
  { rule: "drop-type", words: ({ t }) => ["DROP", "TYPE", t, "CASCADE"] },
  { rule: "rename-object", words: ({ f, c2 }) => ["ALTER", "FUNCTION", f, "(", ")", "RENAME", "TO", c2] },
  { rule: "set-schema", words: ({ t, s }) => ["ALTER", "TABLE", t, "SET", "SCHEMA", s] },
  { rule: "drop-default", words: ({ t, c }) => ["ALTER", "TABLE", t, "ALTER", "COLUMN", c, "DROP", "DEFAULT"] },
  { rule: "drop-identity", words: ({ t, c }) => ["ALTER", "TABLE", t, "ALTER", "COLUMN", c, "DROP", "IDENTITY"] },
  { rule: "volatile-default", words: ({ t, c, f }) => ["ALTER", "TABLE", t, "ADD", "COLUMN", c, "text", "DEFAULT", f, "(", ")"] },
  { rule: "detach-partition-non-concurrently", words: ({ t, i }) => ["ALTER", "TABLE", t, "DETACH", "PARTITION", i] },
  { rule: "domain-constraint", words: ({ t, i }) => ["ALTER", "DOMAIN", t, "ADD", "CONSTRAINT", i, "CHECK", "(", "VALUE", ">", "0", ")"] },
  { rule: "foreign-key-without-not-valid", words: ({ t, c, i }) => ["ALTER", "TABLE", t, "ADD", "FOREIGN", "KEY", "(", c, ")", "REFERENCES", i] },
];
const SAFE: Template[] = [
  { rule: undefined, words: ({ t, c }) => ["ALTER", "TABLE", t, "ADD", "COLUMN", c, "text"] },
  { rule: undefined, words: ({ t, c }) => ["ALTER", "TABLE", t, "ADD", "COLUMN", c, "int", "NOT", "NULL", "DEFAULT", "0"] },
  { rule: undefined, words: ({ t, c }) => ["ALTER", "TABLE", t, "ALTER", "COLUMN", c, "SET", "DEFAULT", "0"] },
  { rule: undefined, words: ({ t, c }) => ["ALTER", "TABLE", t, "ALTER", "COLUMN", c, "DROP", "NOT", "NULL"] },
  { rule: undefined, words: ({ t, c, i }) => ["CREATE", "INDEX", "CONCURRENTLY", i, "ON", t, "(", c, ")"] },
  { rule: undefined, words: ({ i }) => ["DROP", "INDEX", "CONCURRENTLY", i] },
  { rule: undefined, words: ({ t, c, i }) => ["ALTER", "TABLE", t, "ADD", "CONSTRAINT", i, "CHECK", "(", c, ">", "0", ")", "NOT", "VALID"] },
  { rule: undefined, words: ({ t, i }) => ["ALTER", "TABLE", t, "DETACH", "PARTITION", i, "CONCURRENTLY"] },
  { rule: undefined, words: ({ t, i }) => ["ALTER", "DOMAIN", t, "ADD", "CONSTRAINT", i, "CHECK", "(", "VALUE", ">", "0", ")", "NOT", "VALID"] },
  { rule: undefined, words: ({ t }) => ["CREATE", "TABLE", t, "(", "id", "int", ")"] },
  { rule: undefined, words: ({ t, c }) => ["ALTER", "TABLE", t, "ADD", "COLUMN", c, "timestamptz", "DEFAULT", "now", "(", ")"] },
  { rule: undefined, words: ({ t, i }) => ["ALTER", "TABLE", t, "VALIDATE", "CONSTRAINT", i] },
];

const KEYWORDS = new Set(["ALTER", "TABLE", "DROP", "COLUMN", "RENAME", "TO", "TYPE", "SET", "NOT", "NULL", "ADD", "CREATE", "INDEX", "ON", "TRUNCATE", "MATERIALIZED", "VIEW", "CASCADE", "FUNCTION", "SCHEMA", "DEFAULT", "IDENTITY", "DETACH", "PARTITION", "DOMAIN", "CONSTRAINT", "CHECK", "VALUE", "FOREIGN", "KEY", "REFERENCES", "CONCURRENTLY", "VALID", "VALIDATE", "bigint", "int", "text", "timestamptz", "now"]);

const statementFrom = (templates: Template[]) =>
  fc
    .record({
      template: fc.constantFrom(...templates),
      names: fc.record({ t: qualified, c: ident, c2: ident, i: ident, s: ident, f: plainName.map((n) => `fn_${n}`) }),
      gaps: fc.array(gap, { minLength: 20, maxLength: 20 }),
      lower: casing,
    })
    .map(({ template, names, gaps, lower }) => {
      const words = template.words(names).map((w) => (lower && KEYWORDS.has(w) ? w.toLowerCase() : w));
      return { rule: template.rule, sql: words.map((w, k) => (k === 0 ? w : `${gaps[k % gaps.length] ?? " "}${w}`)).join("") };
    });

describe("migration analyser finds what it must", () => {
  it("flags every generated statement with a known hazard, with that rule, inside the statement", () => {
    fc.assert(
      fc.property(fc.array(statementFrom(BREAKING), { minLength: 1, maxLength: 4 }), (statements) => {
        let text = "SET lock_timeout = '2s';\n";
        const spans: Array<{ rule: string; first: number; last: number }> = [];
        for (const s of statements) {
          const first = text.split("\n").length;
          text += `${s.sql};\n`;
          spans.push({ rule: s.rule as string, first, last: text.split("\n").length - 1 });
        }
        const { findings } = analyseMigration(text, { file: "m.sql", parser });
        for (const span of spans) {
          const hit = findings.find((f) => f.rule === span.rule && f.line >= span.first && f.line <= span.last);
          expect(hit).toBeDefined();
          expect(hit?.via).toBe("parser");
        }
      }),
      { numRuns: RUNS / 5 },
    );
  });

  it("flags nothing in generated safe look-alikes", () => {
    fc.assert(
      fc.property(fc.array(statementFrom(SAFE), { minLength: 1, maxLength: 4 }), (statements) => {
        const text = `SET lock_timeout = '2s';\n${statements.map((s) => `${s.sql};`).join("\n")}\n`;
        expect(analyseMigration(text, { file: "m.sql", parser }).findings).toEqual([]);
      }),
      { numRuns: RUNS / 5 },
    );
  });
});
