// What the rules need to know about where a migration runs: the PostgreSQL major version and
// whether the migration framework wraps each file in a transaction (so `CONCURRENTLY` fails and
// `VALIDATE` after `ADD ... NOT VALID` keeps the ADD's lock). Pure: decided from the path and text.

export type TransactionMode = "auto" | "always" | "never";

/** A current major; `migrations.postgres-version` overrides it. */
export const DEFAULT_POSTGRES_VERSION = 18;

export interface MigrationContext {
  postgresVersion: number;
  transaction: TransactionMode;
}

export const DEFAULT_MIGRATION_CONTEXT: MigrationContext = { postgresVersion: DEFAULT_POSTGRES_VERSION, transaction: "auto" };

/** What `auto` assumes per framework; rendered into docs/sql-rules.md. */
export const FRAMEWORK_TRANSACTIONS: ReadonlyArray<{ framework: string; recognised: string; wraps: string }> = [
  { framework: "goose", recognised: "`-- +goose Up`", wraps: "yes, unless `-- +goose NO TRANSACTION`" },
  { framework: "dbmate", recognised: "`-- migrate:up`", wraps: "yes, unless `-- migrate:up transaction:false`" },
  { framework: "Liquibase (formatted SQL)", recognised: "`--liquibase formatted sql`", wraps: "yes, unless a changeset says `runInTransaction:false`" },
  { framework: "Flyway", recognised: "`V<version>__<name>.sql`, `R__<name>.sql`", wraps: "yes, unless the file holds a statement that cannot run in a transaction (`CONCURRENTLY`, `VACUUM`): Flyway then runs it outside one" },
  { framework: "Prisma Migrate", recognised: "`prisma/migrations/<name>/migration.sql`", wraps: "the file is sent as one query: several statements run as one implicit transaction, a single statement on its own" },
  { framework: "golang-migrate", recognised: "`<version>_<name>.up.sql`", wraps: "as Prisma: one implicit transaction when the file has several statements" },
  { framework: "anything else (Sqitch, plain psql files...)", recognised: "", wraps: "no: only the file's own `BEGIN` ... `COMMIT` counts" },
];

export type FileTransaction =
  | { wrapped: true; by: string }
  | { wrapped: false; by: string };

export interface FileShape {
  /** Statements in the file's up section. */
  statements: number;
  /** Some statement cannot run in a transaction block (`CONCURRENTLY`, `VACUUM`); asked only for Flyway files. */
  nonTransactional: boolean | (() => boolean);
}

/**
 * Whether the framework runs this file inside one transaction. `auto` recognises the common
 * frameworks by their file markers and names (the table in docs/sql-rules.md); anything else is
 * judged only by the file's own BEGIN ... COMMIT.
 */
export function fileTransaction(mode: TransactionMode, path: string, text: string, shape: FileShape): FileTransaction {
  if (mode === "always") return { wrapped: true, by: "migrations.transaction: always" };
  if (mode === "never") return { wrapped: false, by: "migrations.transaction: never" };
  const goose = /^--\s*\+goose\s+up\b/im.test(text);
  if (goose) {
    return /^--\s*\+goose\s+no\s+transaction\b/im.test(text)
      ? { wrapped: false, by: "goose (-- +goose NO TRANSACTION)" }
      : { wrapped: true, by: "goose (each migration in a transaction)" };
  }
  const dbmate = /^--\s*migrate:up\b([^\n]*)/im.exec(text);
  if (dbmate) {
    return /\btransaction:\s*false\b/i.test(dbmate[1] ?? "")
      ? { wrapped: false, by: "dbmate (transaction:false)" }
      : { wrapped: true, by: "dbmate (each migration in a transaction)" };
  }
  if (/^--\s*liquibase\s+formatted\s+sql\b/im.test(text)) {
    return /\brunInTransaction:\s*false\b/i.test(text)
      ? { wrapped: false, by: "Liquibase (runInTransaction:false)" }
      : { wrapped: true, by: "Liquibase (runInTransaction defaults to true)" };
  }
  const base = path.split("/").pop() ?? path;
  if (/^[VR]\d*[^_]*__.+\.sql$/.test(base)) {
    // Flyway runs a PostgreSQL migration outside a transaction when it holds a statement that
    // cannot run in one (and refuses a mix unless `mixed` is on).
    const nonTransactional = typeof shape.nonTransactional === "function" ? shape.nonTransactional() : shape.nonTransactional;
    return nonTransactional
      ? { wrapped: false, by: "Flyway (non-transactional statement detected)" }
      : { wrapped: true, by: "Flyway (each migration in a transaction)" };
  }
  if (/(^|\/)prisma\/migrations\/[^/]+\/migration\.sql$/.test(path) || /\.up\.sql$/.test(base)) {
    // Prisma and golang-migrate send the file as one query string, which PostgreSQL runs as one
    // implicit transaction when it holds more than one statement.
    const tool = base.endsWith(".up.sql") ? "golang-migrate" : "Prisma Migrate";
    return shape.statements > 1
      ? { wrapped: true, by: `${tool} (several statements in one query run as one implicit transaction)` }
      : { wrapped: false, by: `${tool} (a single statement runs on its own)` };
  }
  return { wrapped: false, by: "no framework transaction recognised" };
}
