// One state across the migrations of a PR: what an earlier file did changes how a later file's
// statements are judged.
import { analyseMigrations, type MigrationSource } from "../../../src/core/sql/analyse-migrations.js";
import { isWidening } from "../../../src/core/sql/migration-state.js";
import type { SqlParser } from "../../../src/core/sql/parser.js";
import { loadPostgresParser } from "../../../src/core/sql/postgres-parser.js";

let parser: SqlParser;
beforeAll(async () => {
  parser = await loadPostgresParser();
});

const LT = "SET lock_timeout = '2s';\n";
function findings(files: Record<string, string>, postgresVersion = 18) {
  const sources: MigrationSource[] = Object.entries(files).map(([path, text]) => ({ path, text }));
  const report = analyseMigrations(sources, { parser, changedFiles: Object.keys(files), context: { postgresVersion, transaction: "auto" } });
  return report.findings.filter((f) => f.rule !== "missing-down-migration").map((f) => [f.file, f.rule, f.class]);
}

describe("state across the files of one PR", () => {
  const check = `${LT}ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID;\n`;
  const validate = `${LT}ALTER TABLE users VALIDATE CONSTRAINT email_nn;\n`;
  const setNotNull = `${LT}ALTER TABLE users ALTER COLUMN email SET NOT NULL;\n`;

  test("a check validated in an earlier file makes SET NOT NULL in a later file safe", () => {
    expect(findings({ "db/V1__check.sql": check, "db/V2__validate.sql": validate, "db/V3__not_null.sql": setNotNull })).toEqual([]);
  });

  test("files are taken in migration order (V10 after V9), not in the order given", () => {
    expect(findings({ "db/V10__not_null.sql": setNotNull, "db/V9__validate.sql": validate, "db/V8__check.sql": check })).toEqual([]);
  });

  test("a check added but never validated proves nothing", () => {
    expect(findings({ "db/V1__check.sql": check, "db/V3__not_null.sql": setNotNull })).toEqual([["db/V3__not_null.sql", "set-not-null", "breaking"]]);
  });

  test("a check on another column or another table proves nothing", () => {
    const other = `${LT}ALTER TABLE users ADD CONSTRAINT name_nn CHECK (name IS NOT NULL) NOT VALID;\nALTER TABLE accounts VALIDATE CONSTRAINT name_nn;\n`;
    expect(findings({ "db/V1__check.sql": other, "db/V2__not_null.sql": setNotNull })).toEqual([["db/V2__not_null.sql", "set-not-null", "breaking"]]);
  });

  test("PostgreSQL 18's ADD CONSTRAINT ... NOT NULL is judged like SET NOT NULL", () => {
    const named = `${LT}ALTER TABLE users ADD CONSTRAINT email_not_null NOT NULL email;\n`;
    expect(findings({ "db/V1__nn.sql": named })).toEqual([["db/V1__nn.sql", "set-not-null", "breaking"]]);
    expect(findings({ "db/V1__check.sql": check, "db/V2__validate.sql": validate, "db/V3__nn.sql": named })).toEqual([]);
  });

  test("a column added in one file and dropped in a later file is noticed, not called breaking", () => {
    const add = `${LT}ALTER TABLE users ADD COLUMN nickname text;\n`;
    const drop = `${LT}ALTER TABLE users DROP COLUMN nickname;\n`;
    const result = analyseMigrations(
      [
        { path: "db/V1__add.sql", text: add },
        { path: "db/V2__drop.sql", text: drop },
      ],
      { parser, changedFiles: [] },
    ).findings.filter((f) => f.rule !== "missing-down-migration");
    expect(result.map((f) => [f.file, f.rule, f.class])).toEqual([["db/V2__drop.sql", "drop-column-added-in-pr", "advisory"]]);
    expect(result[0]?.detail).toContain("db/V1__add.sql adds at line 2");
    expect(findings({ "db/V2__drop.sql": drop })).toEqual([["db/V2__drop.sql", "drop-column", "breaking"]]);
  });

  test("a table created in an earlier file is exempt from locking rules in a later file", () => {
    const create = "CREATE TABLE widgets (id int, name text);\n";
    const index = `${LT}CREATE INDEX idx_w ON widgets (name);\nALTER TABLE widgets ALTER COLUMN name SET NOT NULL;\n`;
    expect(findings({ "db/V1__create.sql": create, "db/V2__index.sql": index })).toEqual([]);
    expect(findings({ "db/V2__index.sql": index })).toEqual([
      ["db/V2__index.sql", "create-index-non-concurrently", "breaking"],
      ["db/V2__index.sql", "set-not-null", "breaking"],
    ]);
  });

  test("a type change whose old type the PR knows is judged exactly", () => {
    const add = `${LT}ALTER TABLE users ADD COLUMN code varchar(20);\n`;
    const widen = `${LT}ALTER TABLE users ALTER COLUMN code TYPE varchar(40);\n`;
    const narrow = `${LT}ALTER TABLE users ALTER COLUMN code TYPE varchar(10);\n`;
    expect(findings({ "db/V1__add.sql": add, "db/V2__widen.sql": widen })).toEqual([]);
    expect(findings({ "db/V1__add.sql": add, "db/V2__narrow.sql": narrow })).toEqual([["db/V2__narrow.sql", "change-column-type", "breaking"]]);
    expect(findings({ "db/V2__widen.sql": widen })).toEqual([["db/V2__widen.sql", "widen-column-type", "advisory"]]);
  });

  test("a function declared STABLE earlier in the PR is not a volatile default", () => {
    const fn = "CREATE FUNCTION default_region() RETURNS text STABLE LANGUAGE sql AS $$ SELECT 'eu' $$;\n";
    const add = `${LT}ALTER TABLE users ADD COLUMN region text DEFAULT default_region();\n`;
    expect(findings({ "db/V1__fn.sql": fn, "db/V2__add.sql": add })).toEqual([]);
    expect(findings({ "db/V2__add.sql": add })).toEqual([["db/V2__add.sql", "volatile-default", "breaking"]]);
    const volatileFn = "CREATE FUNCTION default_region() RETURNS text LANGUAGE sql AS $$ SELECT 'eu' $$;\n";
    expect(findings({ "db/V1__fn.sql": volatileFn, "db/V2__add.sql": add })).toEqual([["db/V2__add.sql", "volatile-default", "breaking"]]);
  });
});

describe("isWidening", () => {
  const t = (name: string, ...mods: number[]) => ({ name, mods });
  test.each([
    [t("varchar", 20), t("text"), true],
    [t("varchar", 20), t("varchar", 40), true],
    [t("varchar", 20), t("varchar"), true],
    [t("varchar", 40), t("varchar", 20), false],
    [t("text"), t("varchar", 20), false],
    [t("numeric", 10, 2), t("numeric", 12, 2), true],
    [t("numeric", 10, 2), t("numeric", 12, 3), false],
    [t("numeric", 10, 2), t("numeric", 8, 2), false],
    [t("numeric", 10, 2), t("numeric"), true],
    [t("int4"), t("int8"), false],
    [t("int4"), t("text"), false],
  ])("%j -> %j: %s", (from, to, expected) => {
    expect(isWidening(from, to)).toBe(expected);
  });
});
