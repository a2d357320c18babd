// The context rules judge by: the framework's transaction around each file and the PostgreSQL
// version (config `migrations.transaction`, `migrations.postgres-version`).
import { analyseMigration } from "../../../src/core/sql/analyse-migration.js";
import { fileTransaction, type MigrationContext } from "../../../src/core/sql/migration-context.js";
import type { SqlParser } from "../../../src/core/sql/parser.js";
import { loadPostgresParser } from "../../../src/core/sql/postgres-parser.js";

let parser: SqlParser;
beforeAll(async () => {
  parser = await loadPostgresParser();
});

const LT = "SET lock_timeout = '2s';\n";
const rules = (file: string, sql: string, context?: Partial<MigrationContext>) =>
  analyseMigration(sql, { file, parser, context: { postgresVersion: 18, transaction: "auto", ...context } }).findings.map((f) => f.rule);

describe("framework transaction (auto)", () => {
  const one = { statements: 1, nonTransactional: false };
  const many = { statements: 3, nonTransactional: false };
  test.each([
    ["db/V3__add_index.sql", "", many, true],
    ["db/V3__add_index.sql", "", { statements: 1, nonTransactional: true }, false],
    ["db/R__views.sql", "", many, true],
    ["db/20240101_add.sql", "-- +goose Up\nSELECT 1;", one, true],
    ["db/20240101_add.sql", "-- +goose Up\n-- +goose NO TRANSACTION\nSELECT 1;", one, false],
    ["db/20240101_add.sql", "-- migrate:up\nSELECT 1;", one, true],
    ["db/20240101_add.sql", "-- migrate:up transaction:false\nSELECT 1;", one, false],
    ["db/changes.sql", "--liquibase formatted sql\n--changeset a:1\nSELECT 1;", one, true],
    ["db/changes.sql", "--liquibase formatted sql\n--changeset a:1 runInTransaction:false\nSELECT 1;", one, false],
    ["prisma/migrations/20240101_x/migration.sql", "", many, true],
    ["prisma/migrations/20240101_x/migration.sql", "", one, false],
    ["migrations/000001_init.up.sql", "", many, true],
    ["migrations/000001_init.up.sql", "", one, false],
    ["db/migrations/0042_users.sql", "", many, false],
  ] as const)("%s %j wraps: %s", (path, text, shape, wrapped) => {
    expect(fileTransaction("auto", path, text, shape).wrapped).toBe(wrapped);
  });

  test("always and never override what auto would decide", () => {
    expect(fileTransaction("always", "db/0042.sql", "", { statements: 1, nonTransactional: false }).wrapped).toBe(true);
    expect(fileTransaction("never", "db/V1__x.sql", "", { statements: 3, nonTransactional: false }).wrapped).toBe(false);
  });
});

describe("transaction-sensitive rules honour migrations.transaction", () => {
  const validateAfterAdd = `${LT}ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT fk;\n`;

  test("VALIDATE right after ADD ... NOT VALID in a wrapped file keeps the ADD's lock", () => {
    expect(rules("db/0042.sql", validateAfterAdd, { transaction: "always" })).toEqual(["validate-in-same-transaction"]);
    expect(rules("db/V42__fk.sql", validateAfterAdd)).toEqual(["validate-in-same-transaction"]);
  });

  test("without a framework transaction each statement commits: no finding", () => {
    expect(rules("db/0042.sql", validateAfterAdd)).toEqual([]);
    expect(rules("db/V42__fk.sql", validateAfterAdd, { transaction: "never" })).toEqual([]);
  });

  test("an explicit BEGIN ... COMMIT decides in a file the framework does not wrap", () => {
    const inside = `${LT}BEGIN;\nALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT c;\nCOMMIT;\n`;
    expect(rules("db/0042.sql", inside)).toEqual(["validate-in-same-transaction"]);
    const split = `${LT}BEGIN;\nALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;\nCOMMIT;\nALTER TABLE t VALIDATE CONSTRAINT c;\n`;
    expect(rules("db/0042.sql", split)).toEqual([]);
  });

  test("validating a domain constraint in the transaction that added it", () => {
    const sql = "ALTER DOMAIN positive ADD CONSTRAINT pos CHECK (VALUE > 0) NOT VALID;\nALTER DOMAIN positive VALIDATE CONSTRAINT pos;\n";
    expect(rules("db/0042.sql", sql, { transaction: "always" })).toEqual(["validate-in-same-transaction"]);
    expect(rules("db/0042.sql", sql, { transaction: "never" })).toEqual([]);
  });

  test("CONCURRENTLY in a file the framework wraps fails at deploy time", () => {
    const sql = `${LT}CREATE INDEX CONCURRENTLY idx ON users (email);\nALTER TABLE users ADD COLUMN a text;\n`;
    expect(rules("db/20240101_x.sql", `-- migrate:up\n${sql}`)).toEqual(["concurrently-in-transaction"]);
    expect(rules("db/20240101_x.sql", `-- migrate:up transaction:false\n${sql}`)).toEqual([]);
    expect(rules("db/0042.sql", sql, { transaction: "always" })).toEqual(["concurrently-in-transaction"]);
    expect(rules("db/0042.sql", sql)).toEqual([]);
  });
});

describe("rules that depend on the PostgreSQL version", () => {
  test("before 11 any default rewrites the table; from 11 a constant default is instant", () => {
    const sql = `${LT}ALTER TABLE users ADD COLUMN status text NOT NULL DEFAULT 'active';\n`;
    expect(rules("m.sql", sql, { postgresVersion: 10 })).toEqual(["add-column-rewrites-table"]);
    expect(rules("m.sql", sql, { postgresVersion: 11 })).toEqual([]);
    expect(rules("m.sql", `${LT}ALTER TABLE users ADD COLUMN note text DEFAULT NULL;\n`, { postgresVersion: 10 })).toEqual([]);
  });

  test("SET NOT NULL after a validated IS NOT NULL check is instant from 12 only", () => {
    const sql = `${LT}ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID;\nALTER TABLE users VALIDATE CONSTRAINT email_nn;\nALTER TABLE users ALTER COLUMN email SET NOT NULL;\n`;
    expect(rules("m.sql", sql, { postgresVersion: 12 })).toEqual([]);
    expect(rules("m.sql", sql, { postgresVersion: 11 })).toEqual(["set-not-null"]);
  });

  test("DETACH PARTITION says when the version has no CONCURRENTLY form", () => {
    const sql = `${LT}ALTER TABLE events DETACH PARTITION events_2020;\n`;
    const [old] = analyseMigration(sql, { file: "m.sql", parser, context: { postgresVersion: 13, transaction: "auto" } }).findings;
    expect(old?.detail).toMatch(/PostgreSQL 13 has no DETACH ... CONCURRENTLY/);
    const [current] = analyseMigration(sql, { file: "m.sql", parser }).findings;
    expect(current?.rule).toBe("detach-partition-non-concurrently");
    expect(current?.detail).not.toMatch(/has no/);
  });
});
