import { checkDownMigration, isDownMigration } from "../../../src/core/sql/down-migrations.js";

const changed = (...paths: string[]) => new Set(paths);

describe("down migrations", () => {
  test.each([
    ["db/migrations/0042_users.up.sql", "db/migrations/0042_users.down.sql"],
    ["migrations/2024-01-01-000000_users/up.sql", "migrations/2024-01-01-000000_users/down.sql"],
    ["db/migration/V42__add_users.sql", "db/migration/U42__add_users.sql"],
  ])("%s is paired with %s", (up, down) => {
    expect(checkDownMigration(up, "SELECT 1;", changed(up, down))).toEqual({ kind: "found", where: down });
    expect(checkDownMigration(up, "SELECT 1;", changed(up))).toEqual({ kind: "missing", expected: down });
    expect(isDownMigration(down)).toBe(true);
    expect(isDownMigration(up)).toBe(false);
  });

  test("dbmate and goose files need a down section with a statement", () => {
    expect(checkDownMigration("db/migrations/1.sql", "-- migrate:up\nCREATE TABLE t (id int);\n-- migrate:down\nDROP TABLE t;\n", changed())).toEqual({ kind: "found", where: "-- migrate:down section" });
    expect(checkDownMigration("db/migrations/1.sql", "-- migrate:up\nCREATE TABLE t (id int);\n-- migrate:down\n", changed())).toMatchObject({ kind: "missing" });
    expect(checkDownMigration("db/migrations/1.sql", "-- +goose Up\nCREATE TABLE t (id int);\n", changed())).toEqual({ kind: "missing", expected: "a `-- +goose Down` section with statements" });
  });

  test("layouts without a down convention are not checked", () => {
    expect(checkDownMigration("prisma/migrations/20240101_init/migration.sql", "CREATE TABLE t (id int);", changed())).toEqual({ kind: "not-applicable" });
    expect(checkDownMigration("db/migrations/0042_users.down.sql", "DROP TABLE t;", changed())).toEqual({ kind: "is-down" });
  });
});
