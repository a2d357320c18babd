import { analyseMigration, commandLine } from "../../../src/core/sql/analyse-migration.js";
import { analyseMigrations } from "../../../src/core/sql/analyse-migrations.js";
import { DEFAULT_POSTGRES_VERSION } from "../../../src/core/sql/migration-context.js";
import { SQL_RULE_IDS } from "../../../src/core/sql/rule-catalog.js";
import type { SqlParser } from "../../../src/core/sql/parser.js";
import { loadPostgresParser } from "../../../src/core/sql/postgres-parser.js";
import { lexSql } from "../../../src/core/sql/lex-sql.js";
import { splitStatements } from "../../../src/core/sql/split-statements.js";
import { CORPUS } from "./corpus.js";

let parser: SqlParser;
beforeAll(async () => {
  parser = await loadPostgresParser();
});

const PRELUDE = "SET lock_timeout = '2s';\n";

describe("corpus", () => {
  test("has at least 250 statements, a quarter of them safe look-alikes", () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(250);
    expect(CORPUS.filter((c) => c.expect === "none").length).toBeGreaterThanOrEqual(CORPUS.length / 4);
  });

  // Each rule is the expected finding of some case, so removing a rule fails that case.
  test.each(SQL_RULE_IDS)("rule %s is the expected finding of at least one corpus case", (rule) => {
    expect(CORPUS.filter((c) => c.rules.includes(rule)).map((c) => c.sql)).not.toEqual([]);
  });

  test("every case added for issue 14 says why it has its class", () => {
    for (const c of CORPUS.slice(CORPUS.findIndex((x) => x.reason !== undefined))) expect(c.reason?.length ?? 0).toBeGreaterThan(4);
  });

  test.each(CORPUS.map((c) => [c.sql, c]))("%s", (_sql, c) => {
    const path = c.path ?? "m.sql";
    const text = `${c.prelude === false ? "" : PRELUDE}${c.sql};\n`;
    const context = { postgresVersion: DEFAULT_POSTGRES_VERSION, transaction: "auto" as const, ...c.context };
    const { findings } = analyseMigrations([{ path, text }], { parser, changedFiles: [path], context });
    expect(findings.map((f) => f.rule).sort()).toEqual([...c.rules].sort());
    const worst = findings.some((f) => f.class === "breaking") ? "breaking" : findings.length > 0 ? "advisory" : "none";
    expect(worst).toBe(c.expect);
    for (const f of findings) {
      expect(f.line).toBe(c.prelude === false || f.rule === "missing-down-migration" ? 1 : 2);
      expect(f.why.length).toBeGreaterThan(20);
      expect(f.alternative.length).toBeGreaterThan(20);
    }
  });
});

describe("a multi-statement file", () => {
  const file = [
    "-- Migration 42: DROP TABLE in a comment does nothing",
    "SET lock_timeout = '3s';",
    "ALTER TABLE users",
    "  ADD COLUMN nickname text,",
    "  DROP COLUMN legacy_flag;",
    "/* a block comment /* nested */ TRUNCATE users; */",
    "INSERT INTO notes VALUES ('ALTER TABLE users RENAME TO people');",
    "CREATE INDEX CONCURRENTLY idx_nick",
    "  ON users (nickname);",
    "ALTER TABLE users ALTER COLUMN age TYPE bigint; -- release-gate: allow change-column-type because the table has 12 rows",
    "-- release-gate: allow set-not-null",
    "ALTER TABLE users ALTER COLUMN email SET NOT NULL;",
  ].join("\n");

  test("findings point at the exact lines", () => {
    const { findings, statements } = analyseMigration(file, { file: "db/migrations/42.sql", parser });
    expect(statements).toBe(6);
    expect(findings.map((f) => [f.line, f.rule, f.class])).toEqual([
      [5, "drop-column", "breaking"],
      [10, "change-column-type", "breaking"],
      [12, "set-not-null", "breaking"],
      [11, "suppression-without-reason", "advisory"],
    ]);
  });

  test("an allow comment with a reason records an exception; one without a reason suppresses nothing", () => {
    const { findings } = analyseMigration(file, { file: "db/migrations/42.sql", parser });
    expect(findings.find((f) => f.rule === "change-column-type")?.suppressed).toEqual({ reason: "the table has 12 rows", line: 10 });
    expect(findings.find((f) => f.rule === "set-not-null")?.suppressed).toBeUndefined();
    expect(findings.find((f) => f.rule === "drop-column")?.suppressed).toBeUndefined();
  });


  test("config turns a rule off or changes its class", () => {
    const { findings } = analyseMigration(file, { file: "m.sql", parser, rules: { "drop-column": "off", "set-not-null": "advisory" } });
    expect(findings.map((f) => [f.rule, f.class])).toEqual([
      ["change-column-type", "breaking"],
      ["set-not-null", "advisory"],
      ["suppression-without-reason", "advisory"],
    ]);
  });
});

describe("file state", () => {
  test("missing lock_timeout is reported once, at the first locking statement", () => {
    const sql = "CREATE TABLE t (id int);\nALTER TABLE users ADD COLUMN a text;\nALTER TABLE users ADD COLUMN b text;\n";
    const { findings } = analyseMigration(sql, { file: "m.sql", parser });
    expect(findings.map((f) => [f.line, f.rule, f.class])).toEqual([[2, "missing-lock-timeout", "advisory"]]);
  });

  test("a lock_timeout set later does not count for earlier statements", () => {
    const sql = "ALTER TABLE users ADD COLUMN a text;\nSET lock_timeout = '1s';\n";
    expect(analyseMigration(sql, { file: "m.sql", parser }).findings.map((f) => f.rule)).toEqual(["missing-lock-timeout"]);
  });

  test("tables created earlier in the file are exempt from locking rules", () => {
    const sql = "CREATE TABLE public.widgets (id int);\nCREATE INDEX idx_w ON widgets (id);\nALTER TABLE widgets ADD CONSTRAINT w_fk FOREIGN KEY (id) REFERENCES users (id);\nALTER TABLE widgets ALTER COLUMN id SET NOT NULL;\n";
    expect(analyseMigration(sql, { file: "m.sql", parser }).findings).toEqual([]);
  });

  test("CONCURRENTLY inside BEGIN ... COMMIT is advisory; after COMMIT it is fine", () => {
    const sql = `${PRELUDE}BEGIN;\nCREATE INDEX CONCURRENTLY a ON users (x);\nCOMMIT;\nCREATE INDEX CONCURRENTLY b ON users (y);\n`;
    expect(analyseMigration(sql, { file: "m.sql", parser }).findings.map((f) => [f.line, f.rule, f.class])).toEqual([[3, "concurrently-in-transaction", "advisory"]]);
  });

  test("the down section of a dbmate or goose file is not checked", () => {
    const sql = "-- migrate:up\nSET lock_timeout = '1s';\nALTER TABLE users ADD COLUMN a text;\n\n-- migrate:down\nALTER TABLE users DROP COLUMN a;\n";
    expect(analyseMigration(sql, { file: "m.sql", parser }).findings).toEqual([]);
    const goose = "-- +goose Up\nSET lock_timeout = '1s';\nALTER TABLE users ADD COLUMN a text;\n-- +goose Down\nDROP TABLE users;\n";
    expect(analyseMigration(goose, { file: "m.sql", parser }).findings).toEqual([]);
  });

  test("statements inside a multi-line DO block are located on their own line", () => {
    const sql = `${PRELUDE}DO $$\nBEGIN\n  IF true THEN\n    ALTER TABLE users DROP COLUMN legacy;\n  END IF;\nEND\n$$;\n`;
    expect(analyseMigration(sql, { file: "m.sql", parser }).findings.map((f) => [f.line, f.rule])).toEqual([[5, "drop-column"]]);
  });

  test("a statement the parser rejects says so and is matched by keywords", () => {
    const sql = `${PRELUDE}ALTER TABLE users\n  DROP COLUMN {{ col }};\n`;
    const [finding] = analyseMigration(sql, { file: "m.sql", parser }).findings;
    expect(finding).toMatchObject({ rule: "drop-column", via: "tokens", line: 3, class: "breaking" });
    expect(finding?.parserError).toMatch(/syntax error/);
  });

  test("psql meta-commands are skipped, not parsed", () => {
    const sql = `\\set ON_ERROR_STOP on\n${PRELUDE}ALTER TABLE users ADD COLUMN a text;\n`;
    expect(analyseMigration(sql, { file: "m.sql", parser }).findings).toEqual([]);
  });
});

describe("splitting and lexing", () => {
  test("semicolons in strings, dollar quotes, comments and BEGIN ATOMIC bodies do not split", () => {
    const sql = [
      "INSERT INTO t VALUES ('a;b', E'c\\';d', \"weird;name\");",
      "CREATE FUNCTION f() RETURNS int AS $fn$ SELECT 1; SELECT 2; $fn$ LANGUAGE sql;",
      "CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; SELECT 2; END;",
      "SELECT 1 -- ; not here",
      ";",
    ].join("\n");
    const statements = splitStatements(sql);
    expect(statements.map((s) => s.line)).toEqual([1, 2, 3, 4]);
    expect(statements[2]?.text.endsWith("END")).toBe(true);
  });

  test("words never come from strings, quoted names or comments", () => {
    const tokens = lexSql(`SELECT 'DROP' AS "TRUNCATE" -- ALTER\n/* RENAME */ FROM x`);
    expect(tokens.filter((t) => t.kind === "word").map((t) => t.upper)).toEqual(["SELECT", "AS", "FROM", "X"]);
  });

  test("commandLine finds each ALTER TABLE sub-command's line", () => {
    const tokens = splitStatements("ALTER TABLE IF EXISTS ONLY s.t\n  ADD COLUMN a numeric(10, 2),\n  DROP COLUMN b")[0]?.tokens ?? [];
    expect([commandLine(tokens, 0), commandLine(tokens, 1)]).toEqual([2, 3]);
  });
});
