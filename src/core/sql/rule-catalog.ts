// Every migration rule: its default class, why it matters and the expand/contract way to get the
// same result. Anchored in Squawk's and strong_migrations' rule sets; the README table is this list.

export type FindingClass = "breaking" | "advisory";

export interface SqlRuleSpec {
  class: FindingClass;
  title: string;
  why: string;
  alternative: string;
}

export const SQL_RULES = {
  "drop-column": {
    class: "breaking",
    title: "Drops a column",
    why: "The running version still selects and writes this column; its queries fail as soon as the column is gone.",
    alternative: "Contract in a later release: first ship code that no longer reads or writes the column (and ignore it in the ORM), then drop it in a follow-up migration.",
  },
  "drop-table": {
    class: "breaking",
    title: "Drops a table",
    why: "The running version still queries this table; every such query fails once it is dropped.",
    alternative: "Stop using the table in one release, then drop it in a later release (optionally rename it aside first and keep a backup).",
  },
  "drop-schema": {
    class: "breaking",
    title: "Drops a schema or database",
    why: "Everything inside disappears at once, under an exclusive lock; the running version loses every object it used there.",
    alternative: "Drop the objects one by one in a contract release after the code stopped using them.",
  },
  "rename-column": {
    class: "breaking",
    title: "Renames a column",
    why: "The running version still uses the old name; its queries fail the moment the rename commits.",
    alternative: "Expand/contract: add the new column, write both (trigger or app code), backfill, switch reads, then drop the old column in a later release.",
  },
  "rename-table": {
    class: "breaking",
    title: "Renames a table or view",
    why: "The running version still uses the old name; its queries fail the moment the rename commits.",
    alternative: "Create the new table (or a view with the new name over the old table), move the code over, and drop the old name in a later release.",
  },
  "change-column-type": {
    class: "breaking",
    title: "Changes a column's type",
    why: "Most type changes rewrite the table under an ACCESS EXCLUSIVE lock (no reads or writes until done), and the running version may not handle the new type.",
    alternative: "Add a new column with the new type, backfill in batches, write both, switch reads, then drop the old column later.",
  },
  "add-not-null-column": {
    class: "breaking",
    title: "Adds a NOT NULL column without a default",
    why: "Fails on a non-empty table, and the running version's INSERTs do not set the column, so they would fail too.",
    alternative: "Add the column with a DEFAULT (constant defaults are instant since PostgreSQL 11), or add it nullable, backfill, then enforce NOT NULL through a NOT VALID check.",
  },
  "set-not-null": {
    class: "breaking",
    title: "Sets NOT NULL on an existing column",
    why: "Scans the whole table under an ACCESS EXCLUSIVE lock, and INSERTs from the running version that omit the column start failing.",
    alternative: "ADD CONSTRAINT ... CHECK (col IS NOT NULL) NOT VALID; VALIDATE CONSTRAINT in a separate step; then SET NOT NULL (PostgreSQL 12+ skips the scan) and drop the check.",
  },
  "create-index-non-concurrently": {
    class: "breaking",
    title: "Creates an index without CONCURRENTLY",
    why: "CREATE INDEX blocks all writes to the table until the index is built, which on a large table is an outage.",
    alternative: "CREATE INDEX CONCURRENTLY, outside a transaction block (one statement per migration, with the framework's transaction disabled).",
  },
  "drop-index-non-concurrently": {
    class: "breaking",
    title: "Drops an index without CONCURRENTLY",
    why: "DROP INDEX takes an ACCESS EXCLUSIVE lock on the table, queueing every read and write behind it.",
    alternative: "DROP INDEX CONCURRENTLY, outside a transaction block.",
  },
  "foreign-key-without-not-valid": {
    class: "breaking",
    title: "Adds a foreign key that is validated at once",
    why: "Validating scans the table while holding a SHARE ROW EXCLUSIVE lock on both tables: writes to both stop until it finishes.",
    alternative: "ADD CONSTRAINT ... FOREIGN KEY ... NOT VALID, then VALIDATE CONSTRAINT in a separate transaction (it takes a lock that allows writes).",
  },
  "check-without-not-valid": {
    class: "breaking",
    title: "Adds a CHECK constraint that is validated at once",
    why: "Validating scans the whole table under an ACCESS EXCLUSIVE lock, and rows the running version writes may violate it.",
    alternative: "ADD CONSTRAINT ... CHECK (...) NOT VALID, then VALIDATE CONSTRAINT in a separate transaction.",
  },
  "add-unique-constraint": {
    class: "breaking",
    title: "Adds a UNIQUE, PRIMARY KEY or EXCLUDE constraint directly",
    why: "Builds the index while blocking writes (ACCESS EXCLUSIVE lock) for as long as the build takes.",
    alternative: "CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT ... UNIQUE USING INDEX (or PRIMARY KEY USING INDEX).",
  },
  truncate: {
    class: "breaking",
    title: "Truncates a table",
    why: "Deletes every row the running version relies on, under an ACCESS EXCLUSIVE lock; CASCADE empties referencing tables too.",
    alternative: "Delete the data the new version no longer needs in batches after the release, or keep this out of schema migrations.",
  },
  "add-column-rewrites-table": {
    class: "breaking",
    title: "Adds a serial, identity or stored generated column",
    why: "Filling the new column for every existing row rewrites the table under an ACCESS EXCLUSIVE lock.",
    alternative: "Add a plain nullable column, attach the sequence or compute values in batches, then add the default or constraint in a later step.",
  },
  "rewrite-table": {
    class: "breaking",
    title: "Rewrites a whole table (VACUUM FULL, CLUSTER, SET LOGGED/UNLOGGED, SET TABLESPACE)",
    why: "The table is locked ACCESS EXCLUSIVE for the whole rewrite: no reads or writes.",
    alternative: "Use pg_repack or pg_squeeze online, or run it in a maintenance window outside the release.",
  },
  "reindex-non-concurrently": {
    class: "breaking",
    title: "Reindexes without CONCURRENTLY",
    why: "REINDEX blocks writes to the table (and reads that use the index) until it finishes.",
    alternative: "REINDEX ... CONCURRENTLY (PostgreSQL 12+), outside a transaction block.",
  },
  "missing-lock-timeout": {
    class: "advisory",
    title: "Takes table locks without a lock_timeout",
    why: "A DDL statement waiting for its lock queues every later query on the table behind it; without a timeout that wait can last until an outage.",
    alternative: "Start the migration with SET lock_timeout = '2s' (and a statement_timeout), and retry the migration when it times out.",
  },
  "concurrently-in-transaction": {
    class: "advisory",
    title: "CONCURRENTLY inside a transaction block",
    why: "PostgreSQL refuses CREATE/DROP INDEX CONCURRENTLY and REINDEX CONCURRENTLY inside a transaction block, so the migration fails at deploy time.",
    alternative: "Move the statement out of BEGIN ... COMMIT and disable the framework's per-migration transaction for this file.",
  },
  "volatile-default": {
    class: "advisory",
    title: "Adds a column with a volatile default",
    why: "A volatile default (random(), gen_random_uuid(), clock_timestamp(), nextval()...) is evaluated per row, so PostgreSQL rewrites the table under an ACCESS EXCLUSIVE lock.",
    alternative: "Add the column without a default (or with a constant one), backfill in batches, then set the default for new rows.",
  },
  "explicit-lock": {
    class: "advisory",
    title: "Locks a table explicitly",
    why: "LOCK TABLE holds the lock until the transaction ends; in ACCESS EXCLUSIVE mode it blocks reads as well.",
    alternative: "Prefer statements that take weaker locks, keep the transaction short and set a lock_timeout.",
  },
  "data-backfill": {
    class: "advisory",
    title: "Updates or deletes rows in a schema migration",
    why: "A large UPDATE or DELETE in the migration's transaction holds row locks and bloats the table; combined with DDL it keeps the DDL's lock for the whole backfill.",
    alternative: "Backfill in batches from a separate job or migration without DDL, after the expand release is deployed.",
  },
  "dynamic-sql": {
    class: "advisory",
    title: "Dynamic SQL in a DO block",
    why: "EXECUTE runs SQL built at run time; it cannot be checked before it runs.",
    alternative: "Write the statements as plain SQL so they can be checked, or review this block by hand.",
  },
  "unparsed-statement": {
    class: "advisory",
    title: "Statement the PostgreSQL parser rejects",
    why: "The statement was checked by keyword matching only; PostgreSQL itself would reject it as written.",
    alternative: "Fix the syntax, or remove templating from the migration file so it can be analysed.",
  },
  "suppression-without-reason": {
    class: "advisory",
    title: "release-gate allow comment without a reason",
    why: "An exception is only recorded with a reason; without `because <reason>` the finding stays active.",
    alternative: "Write `-- release-gate: allow <rule-id> because <reason>`.",
  },
  "missing-down-migration": {
    class: "advisory",
    title: "No down migration",
    why: "Each release should carry downgrade logic so a rollback can undo the schema change.",
    alternative: "Add the matching down migration (for example `<name>.down.sql` or `down.sql` next to `up.sql`).",
  },
} as const satisfies Record<string, SqlRuleSpec>;

export type SqlRuleId = keyof typeof SQL_RULES;

export const SQL_RULE_IDS = Object.keys(SQL_RULES) as [SqlRuleId, ...SqlRuleId[]];

export function isSqlRuleId(id: string): id is SqlRuleId {
  return Object.hasOwn(SQL_RULES, id);
}
