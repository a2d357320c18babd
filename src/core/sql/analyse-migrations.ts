// The migration report for one PR: every changed SQL migration at the PR head analysed, down
// migrations looked for, and files that could not be analysed listed with the reason.
import { analyseMigration } from "./analyse-migration.js";
import { checkDownMigration } from "./down-migrations.js";
import { FILE_RULES, type MigrationRuleId } from "./file-rules.js";
import { excerpt, type RuleSetting, type SqlFinding } from "./findings.js";
import type { MigrationContext } from "./migration-context.js";
import { createMigrationState } from "./migration-state.js";
import type { SqlParser } from "./parser.js";
import { SQL_RULES } from "./rule-catalog.js";

export interface MigrationSource {
  path: string;
  /** The file at the PR head; undefined when it could not be read (deleted, too large...). */
  text: string | undefined;
  /** Why `text` is missing. */
  unreadable?: string;
  /** Set when the file exists on the base branch and the PR edits or renames it: where the first change is. */
  editsBaseFile?: { line: number; previousPath?: string };
}

export interface MigrationReportOptions {
  parser: SqlParser;
  rules?: Partial<Record<MigrationRuleId, RuleSetting>>;
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
    const edited = editedMigrationFinding(source, options.rules?.["edited-applied-migration"]);
    if (edited) report.findings.push(edited);
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

/** The PR edits or renames a migration the base branch already has (it has probably run). */
function editedMigrationFinding(source: MigrationSource, configured: RuleSetting | undefined): SqlFinding | undefined {
  const setting = configured ?? FILE_RULES["edited-applied-migration"].class;
  if (!source.editsBaseFile || setting === "off") return undefined;
  const spec = FILE_RULES["edited-applied-migration"];
  const lines = source.text?.split("\n") ?? [];
  // A deletion at the end of the file points past its last line; GitHub wants a line of the file.
  const line = source.text === undefined ? source.editsBaseFile.line : Math.max(1, Math.min(source.editsBaseFile.line, lines.length - (source.text.endsWith("\n") ? 1 : 0)));
  const previous = source.editsBaseFile.previousPath;
  return {
    file: source.path,
    line,
    endLine: line,
    rule: "edited-applied-migration",
    class: setting,
    title: spec.title,
    detail: previous ? `renames \`${previous}\`, a migration that exists on the base branch` : "changes a migration that exists on the base branch",
    why: spec.why,
    alternative: spec.alternative,
    statement: excerpt(lines[line - 1] ?? ""),
    via: "parser",
  };
}
