// The migration report for one PR: every changed SQL migration at the PR head analysed, down
// migrations looked for, and files that could not be analysed listed with the reason.
import { analyseMigration } from "./analyse-migration.js";
import { checkDownMigration } from "./down-migrations.js";
import { excerpt, type RuleSetting, type SqlFinding } from "./findings.js";
import type { MigrationContext } from "./migration-context.js";
import { createMigrationState } from "./migration-state.js";
import type { SqlParser } from "./parser.js";
import { SQL_RULES, type SqlRuleId } from "./rule-catalog.js";

export interface MigrationSource {
  path: string;
  /** The file at the PR head; undefined when it could not be read (deleted, too large...). */
  text: string | undefined;
  /** Lines the PR adds (from the patch); undefined: treat every line as added. */
  addedLines?: ReadonlySet<number>;
  /** Why `text` is missing. */
  unreadable?: string;
}

export interface MigrationReportOptions {
  parser: SqlParser;
  rules?: Partial<Record<SqlRuleId, RuleSetting>>;
  requireDown?: boolean;
  /** Every path the PR changes (down migrations are looked for among them). */
  changedFiles: readonly string[];
  /** PostgreSQL version and framework transaction; the documented defaults when absent. */
  context?: MigrationContext;
}

export interface MigrationReport {
  analysed: Array<{ path: string; statements: number; unparsed: number }>;
  skipped: Array<{ path: string; reason: string }>;
  findings: SqlFinding[];
}

export function analyseMigrations(sources: readonly MigrationSource[], options: MigrationReportOptions): MigrationReport {
  const changed = new Set(options.changedFiles);
  const report: MigrationReport = { analysed: [], skipped: [], findings: [] };
  // One state across the PR's files, in the order frameworks run them (by name, numbers numerically).
  const state = createMigrationState();
  const ordered = [...sources].sort((x, y) => x.path.localeCompare(y.path, "en", { numeric: true }));
  for (const source of ordered) {
    if (source.text === undefined) {
      report.skipped.push({ path: source.path, reason: source.unreadable ?? "not readable at the PR head" });
      continue;
    }
    const down = checkDownMigration(source.path, source.text, changed);
    if (down.kind === "is-down") {
      report.skipped.push({ path: source.path, reason: "down migration (undoes the up migration; not checked for compatibility)" });
      continue;
    }
    const analysis = analyseMigration(source.text, {
      file: source.path,
      parser: options.parser,
      ...(options.rules ? { rules: options.rules } : {}),
      ...(source.addedLines ? { addedLines: source.addedLines } : {}),
      ...(options.context ? { context: options.context } : {}),
      state,
    });
    report.analysed.push({ path: source.path, statements: analysis.statements, unparsed: analysis.unparsed });
    report.findings.push(...analysis.findings);
    const downSetting = options.rules?.["missing-down-migration"] ?? (options.requireDown ? "breaking" : SQL_RULES["missing-down-migration"].class);
    if (down.kind === "missing" && downSetting !== "off") {
      const spec = SQL_RULES["missing-down-migration"];
      report.findings.push({
        file: source.path,
        line: 1,
        endLine: 1,
        rule: "missing-down-migration",
        class: downSetting,
        title: spec.title,
        detail: `this layout keeps downgrade logic in ${down.expected}, which the PR does not change`,
        why: spec.why,
        alternative: spec.alternative,
        statement: excerpt(source.text.split("\n", 1)[0] ?? ""),
        via: "parser",
      });
    }
  }
  return report;
}
