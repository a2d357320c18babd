// The analyser's corpus: single statements with the class they must get (and the rules behind
// it), positive and negative forms of every rule. Each runs after `SET lock_timeout` so only the
// statement's own findings count. `none` means no finding at all.
import type { SqlRuleId } from "../../../src/core/sql/rule-catalog.js";

export interface CorpusCase {
  sql: string;
  expect: "breaking" | "advisory" | "none";
  rules: SqlRuleId[];
}

const b = (sql: string, ...rules: SqlRuleId[]): CorpusCase => ({ sql, expect: "breaking", rules });
const a = (sql: string, ...rules: SqlRuleId[]): CorpusCase => ({ sql, expect: "advisory", rules });
const ok = (sql: string): CorpusCase => ({ sql, expect: "none", rules: [] });

export const CORPUS: CorpusCase[] = [
  // drop-column
  b("ALTER TABLE users DROP COLUMN email", "drop-column"),
  b("alter table users drop column email", "drop-column"),
  b("ALTER TABLE IF EXISTS public.users DROP COLUMN IF EXISTS email CASCADE", "drop-column"),
  b('ALTER TABLE public."Users" DROP "Email"', "drop-column"),
  ok("ALTER TABLE users DROP CONSTRAINT users_email_check"),
  b("ALTER TABLE users ALTER COLUMN email DROP DEFAULT", "drop-default"),
  ok("ALTER TABLE users ALTER COLUMN email DROP NOT NULL"),
  // drop-table / drop-schema
  b("DROP TABLE users", "drop-table"),
  b("drop table if exists app.users, app.orders cascade", "drop-table", "drop-table"),
  b("DROP SCHEMA legacy CASCADE", "drop-schema"),
  b("DROP VIEW IF EXISTS active_users", "drop-view"),
  ok("DROP FUNCTION IF EXISTS touch_updated_at()"),
  // rename
  b("ALTER TABLE users RENAME COLUMN email TO email_address", "rename-column"),
  b("ALTER TABLE users RENAME email TO email_address", "rename-column"),
  b("ALTER TABLE billing.invoices RENAME TO bills", "rename-table"),
  b("ALTER VIEW active_users RENAME TO current_users", "rename-table"),
  ok("ALTER TABLE users RENAME CONSTRAINT a TO b"),
  ok("ALTER INDEX idx_users_email RENAME TO idx_users_mail"),
  // change-column-type
  b("ALTER TABLE users ALTER COLUMN age TYPE bigint", "change-column-type"),
  b("ALTER TABLE users ALTER name SET DATA TYPE varchar(200) USING name::varchar", "change-column-type"),
  ok("ALTER TABLE users ALTER COLUMN age SET STATISTICS 500"),
  // add-not-null-column
  b("ALTER TABLE users ADD COLUMN status text NOT NULL", "add-not-null-column"),
  ok("ALTER TABLE users ADD COLUMN status text NOT NULL DEFAULT 'active'"),
  ok("ALTER TABLE users ADD COLUMN IF NOT EXISTS verified boolean NOT NULL DEFAULT false"),
  ok("ALTER TABLE users ADD COLUMN nickname text"),
  ok("ALTER TABLE users ADD COLUMN created_at timestamptz DEFAULT now()"),
  // set-not-null
  b("ALTER TABLE users ALTER COLUMN email SET NOT NULL", "set-not-null"),
  ok("ALTER TABLE users ADD CONSTRAINT email_not_null CHECK (email IS NOT NULL) NOT VALID"),
  // indexes
  b("CREATE INDEX idx_users_email ON users (email)", "create-index-non-concurrently"),
  b("create unique index idx_u on public.users using btree (lower(email)) where deleted_at is null", "create-index-non-concurrently"),
  b("CREATE INDEX ON users ((data->>'kind'))", "create-index-non-concurrently"),
  ok("CREATE INDEX CONCURRENTLY idx_users_email ON users (email)"),
  ok("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS idx_u ON public.users (lower(email))"),
  b("DROP INDEX idx_users_email", "drop-index-non-concurrently"),
  b("DROP INDEX IF EXISTS public.idx_users_email", "drop-index-non-concurrently"),
  ok("DROP INDEX CONCURRENTLY IF EXISTS public.idx_users_email"),
  b("REINDEX TABLE users", "reindex-non-concurrently"),
  ok("REINDEX TABLE CONCURRENTLY users"),
  // constraints
  b("ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id)", "foreign-key-without-not-valid"),
  ok("ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID"),
  ok("ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk"),
  b("ALTER TABLE orders ADD COLUMN coupon_id bigint REFERENCES coupons (id)", "foreign-key-without-not-valid"),
  b("ALTER TABLE orders ADD CONSTRAINT positive_total CHECK (total >= 0)", "check-without-not-valid"),
  ok("ALTER TABLE orders ADD CONSTRAINT positive_total CHECK (total >= 0) NOT VALID"),
  b("ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email)", "add-unique-constraint"),
  b("ALTER TABLE users ADD PRIMARY KEY (id)", "add-unique-constraint"),
  ok("ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX idx_u"),
  ok("ALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_id_idx"),
  // truncate
  b("TRUNCATE users", "truncate"),
  b("TRUNCATE TABLE ONLY users RESTART IDENTITY CASCADE", "truncate"),
  // rewrites
  b("ALTER TABLE users ADD COLUMN id2 bigserial", "add-column-rewrites-table"),
  b("ALTER TABLE users ADD COLUMN id3 bigint GENERATED ALWAYS AS IDENTITY", "add-column-rewrites-table"),
  b("ALTER TABLE users ADD COLUMN full_name text GENERATED ALWAYS AS (first_name || ' ' || last_name) STORED", "add-column-rewrites-table"),
  b("VACUUM FULL users", "rewrite-table"),
  ok("VACUUM (ANALYZE) users"),
  b("CLUSTER users USING idx_users_email", "rewrite-table"),
  b("ALTER TABLE users SET LOGGED", "rewrite-table"),
  // advisories
  b("ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid()", "volatile-default"),
  b("ALTER TABLE users ADD COLUMN jitter float8 DEFAULT random() * 10", "volatile-default"),
  ok("ALTER TABLE users ADD COLUMN tags text[] DEFAULT '{}'"),
  a("LOCK TABLE users IN ACCESS EXCLUSIVE MODE", "explicit-lock"),
  a("UPDATE users SET status = 'active' WHERE status IS NULL", "data-backfill"),
  a("DELETE FROM sessions", "data-backfill"),
  // harmless statements, including rule words in strings and comments
  ok("CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL UNIQUE, created_at timestamptz DEFAULT now())"),
  ok("CREATE TABLE IF NOT EXISTS audit.events (id bigserial PRIMARY KEY, payload jsonb)"),
  ok("INSERT INTO settings (key, value) VALUES ('drop table', 'truncate users; alter table x drop column y')"),
  ok("COMMENT ON COLUMN users.email IS 'DROP COLUMN is not what this does'"),
  ok("SELECT 1 /* ALTER TABLE users DROP COLUMN email */"),
  ok("ALTER TABLE users ADD COLUMN note text -- DROP TABLE users"),
  ok("CREATE EXTENSION IF NOT EXISTS pgcrypto"),
  ok("ALTER TYPE mood ADD VALUE 'ecstatic'"),
  ok("GRANT SELECT ON users TO reader"),
  ok("CREATE OR REPLACE FUNCTION touch() RETURNS trigger AS $$ BEGIN ALTER TABLE users DROP COLUMN x; RETURN NEW; END $$ LANGUAGE plpgsql"),
  ok("ALTER TABLE users ENABLE ROW LEVEL SECURITY"),
  // DO blocks: the SQL they run is analysed; strings inside them are not
  ok("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'mood') THEN CREATE TYPE mood AS ENUM ('happy'); END IF; END $$"),
  b("DO $$ BEGIN ALTER TABLE users DROP COLUMN legacy; END $$", "drop-column"),
  b("DO $body$ BEGIN IF true THEN TRUNCATE sessions; END IF; END $body$ LANGUAGE plpgsql", "truncate"),
  a("DO $$ BEGIN EXECUTE 'ALTER TABLE users DROP COLUMN legacy'; END $$", "dynamic-sql"),
  ok("DO $$ BEGIN RAISE NOTICE 'DROP TABLE users'; END $$"),
  // rejected by the parser: keyword fallback, said so in the finding
  b("ALTER TABLE users DROP COLUMN {{ column }}", "drop-column"),
  b("CREATE INDEX idx_{{ name }} ON users (email)", "create-index-non-concurrently"),
  a("ALTER TABLE users FROB COLUMN x", "unparsed-statement"),
];
