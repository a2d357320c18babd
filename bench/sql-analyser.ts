// Benchmark: the migration analyser on a generated 10,000-statement migration (statements per
// second, parse included), and time against size: ms per statement should stay flat as the file
// doubles. Run: npm run bench:sql
import { analyseMigration } from "../src/core/sql/analyse-migration.js";
import { loadPostgresParser } from "../src/core/sql/postgres-parser.js";
import { splitStatements } from "../src/core/sql/split-statements.js";

// A realistic mix: breaking and harmless DDL, comments with rule words, strings, DO blocks, tables
// created in the file, an allow comment, and one statement the parser rejects.
const TEMPLATES: Array<(i: number) => string> = [
  (i) => `ALTER TABLE users_${i % 97} ADD COLUMN c_${i} text;`,
  (i) => `ALTER TABLE users_${i % 97}\n  DROP COLUMN legacy_${i};`,
  (i) => `CREATE INDEX CONCURRENTLY idx_${i} ON public.orders_${i % 89} (customer_id, created_at);`,
  (i) => `CREATE INDEX idx_b_${i} ON orders_${i % 89} (status);`,
  (i) => `-- DROP TABLE in a comment, ${i}\nINSERT INTO notes (body) VALUES ('truncate users; drop column x ${i}');`,
  (i) => `CREATE TABLE IF NOT EXISTS audit_${i} (id bigserial PRIMARY KEY, payload jsonb NOT NULL, created_at timestamptz DEFAULT now());`,
  (i) => `ALTER TABLE orders_${i % 89} ADD CONSTRAINT fk_${i} FOREIGN KEY (user_id) REFERENCES users_${i % 97} (id) NOT VALID;`,
  (i) => `DO $$\nBEGIN\n  IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'mood_${i}') THEN\n    CREATE TYPE mood_${i} AS ENUM ('happy', 'sad');\n  END IF;\nEND\n$$;`,
  (i) => `-- release-gate: allow set-not-null because backfilled in release ${i}\nALTER TABLE users_${i % 97} ALTER COLUMN email SET NOT NULL;`,
  (i) => `UPDATE settings SET value = '${i}' WHERE key = 'version';`,
  (i) => `ALTER TABLE users_${i % 97} ALTER COLUMN c_${i} TYPE varchar(${100 + (i % 50)});`,
  (i) => `ALTER TABLE users_${i % 97} ADD COLUMN {{ templated_${i} }} text NOT NULL;`,
];

function migration(statements: number): string {
  const parts = ["SET lock_timeout = '2s';"];
  for (let i = 1; i < statements; i++) parts.push((TEMPLATES[i % TEMPLATES.length] as (i: number) => string)(i));
  return parts.join("\n");
}

function median(fn: () => unknown, runs: number): number {
  fn();
  fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(runs / 2)] as number;
}

const parser = await loadPostgresParser();
const N = 10_000;
const text = migration(N);
const counted = splitStatements(text).length;
let findings = 0;
const ms = median(() => {
  findings = analyseMigration(text, { file: "bench.sql", parser }).findings.length;
}, 5);
const splitMs = median(() => splitStatements(text), 5);
console.log(`generated migration: ${counted} statements, ${(text.length / 1024).toFixed(0)} KiB, ${findings} findings`);
console.log(`analyse (lex, split, parse, rules): ${ms.toFixed(0)} ms median of 5 -> ${Math.round(counted / (ms / 1000)).toLocaleString("en-US")} statements/s`);
console.log(`lex + split alone: ${splitMs.toFixed(0)} ms -> ${Math.round(counted / (splitMs / 1000)).toLocaleString("en-US")} statements/s`);

const SIZES = [1_250, 2_500, 5_000, 10_000, 20_000];
console.log("\nstatements   ms (median of 5)   µs per statement");
const perStatement: number[] = [];
for (const n of SIZES) {
  const t = migration(n);
  const m = median(() => analyseMigration(t, { file: "bench.sql", parser }), 5);
  perStatement.push((m * 1000) / n);
  console.log(`${String(n).padStart(10)}   ${m.toFixed(1).padStart(16)}   ${((m * 1000) / n).toFixed(1).padStart(16)}`);
}
const growth = (perStatement[perStatement.length - 1] as number) / (perStatement[0] as number);
console.log(`\ngrowth (µs per statement at ${SIZES[SIZES.length - 1]} / at ${SIZES[0]}): ${growth.toFixed(2)} (~1 = linear; quadratic would be ~16)`);
