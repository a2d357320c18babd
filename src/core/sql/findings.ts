// What the analyser reports: one finding per rule hit per statement, located in the file.
import type { MigrationRuleId } from "./file-rules.js";
import type { FindingClass } from "./rule-catalog.js";

export type RuleSetting = FindingClass | "off";

export interface SqlFinding {
  file: string;
  /** 1-based file lines of the offending clause. */
  line: number;
  endLine: number;
  rule: MigrationRuleId;
  /** The class after configuration (a rule may be promoted or demoted per repository). */
  class: FindingClass;
  title: string;
  /** What this statement does, e.g. "drops column `email` of `users`". */
  detail: string;
  why: string;
  alternative: string;
  /** Start of the statement, for the annotation's context. */
  statement: string;
  /** `tokens` when the PostgreSQL parser rejected the statement and keywords decided. */
  via: "parser" | "tokens";
  parserError?: string;
  /** A `release-gate: allow` comment with a reason: a recorded exception, not a failure. */
  suppressed?: { reason: string; line: number };
}

export function excerpt(sql: string, max = 160): string {
  const flat = sql.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
