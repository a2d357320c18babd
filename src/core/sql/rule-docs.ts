// The rule catalogue page (docs/sql-rules.md), rendered from the catalogue so it cannot go stale:
// `npm run generate` writes it and a test fails when the committed page differs.
import { DEFAULT_POSTGRES_VERSION, FRAMEWORK_TRANSACTIONS } from "./migration-context.js";
import { FILE_RULES, MIGRATION_RULE_IDS, type MigrationRuleId } from "./file-rules.js";
import { SQL_RULES, type SqlRuleSpec } from "./rule-catalog.js";

/** Statement rules and file rules (`edited-applied-migration`) alike. */
const specOf = (id: MigrationRuleId): SqlRuleSpec => (id in FILE_RULES ? FILE_RULES[id as keyof typeof FILE_RULES] : SQL_RULES[id as keyof typeof SQL_RULES]);

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function renderSqlRulesDoc(): string {
  const lines = [
    "<!-- Generated from src/core/sql/rule-catalog.ts and file-rules.ts by `npm run generate`; do not edit by hand. -->",
    "# Migration SQL rules",
    "",
    "Every rule of the migration analyser: its default class, the lock the statement takes (from",
    "PostgreSQL's *Explicit Locking* chapter and the `ALTER TABLE` reference), the PostgreSQL versions the",
    "judgement depends on, why it matters while the old and new app versions run side by side, and the",
    "expand/contract alternative. `migrations.rules` changes a rule's class or turns it off.",
    "",
    "## Summary",
    "",
    "| rule | default class | what | lock | PostgreSQL versions |",
    "| --- | --- | --- | --- | --- |",
    ...MIGRATION_RULE_IDS.map((id) => {
      const r = specOf(id);
      return `| [\`${id}\`](#${id}) | ${r.class} | ${cell(r.title)} | ${cell(r.lock)} | ${cell(r.versions)} |`;
    }),
    "",
    "## Context the rules use",
    "",
    `- \`migrations.postgres-version\` (default ${DEFAULT_POSTGRES_VERSION}): the production major version. Before 11 any column default`,
    "  rewrites the table; from 12 `SET NOT NULL` after a validated `CHECK (col IS NOT NULL)` skips its scan;",
    "  `DETACH PARTITION ... CONCURRENTLY` needs 14.",
    "- `migrations.transaction` (`auto`, `always`, `never`; default `auto`): whether the framework wraps each",
    "  file in a transaction. It decides `concurrently-in-transaction` and `validate-in-same-transaction`",
    "  together with the file's own `BEGIN` ... `COMMIT`. What `auto` assumes:",
    "",
    "| framework | recognised by | wraps each file in a transaction |",
    "| --- | --- | --- |",
    ...FRAMEWORK_TRANSACTIONS.map((f) => `| ${cell(f.framework)} | ${cell(f.recognised)} | ${cell(f.wraps)} |`),
    "",
    "- The migrations of one PR share a state, in migration order (file names, numbers compared",
    "  numerically): objects created earlier in the PR are exempt from locking rules, a check validated in",
    "  one file makes `SET NOT NULL` in a later file safe, a column added in one file and dropped in a later",
    "  one is reported as `drop-column-added-in-pr`, a column type known from an earlier statement lets a",
    "  widening pass, and a function declared `STABLE` or `IMMUTABLE` earlier is not a volatile default.",
    "",
    "## Rules",
  ];
  for (const id of MIGRATION_RULE_IDS) {
    const r = specOf(id);
    lines.push(
      "",
      `### ${id}`,
      "",
      `**${r.title}** — default class: ${r.class}.`,
      "",
      `- Lock: ${r.lock}.`,
      `- PostgreSQL versions: ${r.versions}.`,
      `- Why: ${r.why}`,
      `- Instead: ${r.alternative}`,
    );
  }
  return `${lines.join("\n")}\n`;
}
