// Analyses one migration file: split, parse each statement (tokens when the parser refuses),
// apply the rules with the file's running state (transaction, lock_timeout, tables created
// here), then suppressions and the configured class of each rule.
import type { Token } from "./lex-sql.js";
import { excerpt, type RuleSetting, type SqlFinding } from "./findings.js";
import type { Node } from "libpg-query";
import type { SqlDialect, SqlParser } from "./parser.js";
import { DEFAULT_MIGRATION_CONTEXT, fileTransaction, type MigrationContext } from "./migration-context.js";
import { applyFacts, createdInPr, createMigrationState, endOfFile, type MigrationState } from "./migration-state.js";
import { evaluatePostgresStatement, type RuleContext, type RuleHit, type StatementEffects, type TableRef } from "./postgres-rules.js";
import { SQL_RULES, type SqlRuleId } from "./rule-catalog.js";
import { splitStatements, type SqlStatement } from "./split-statements.js";
import { readSuppressions } from "./suppressions.js";
import { evaluateTokens } from "./token-rules.js";

export interface AnalyseOptions {
  file: string;
  parser: SqlParser;
  /** Per-rule class override or `off`. */
  rules?: Partial<Record<SqlRuleId, RuleSetting>>;
  /** PostgreSQL version and framework transaction (config `migrations.postgres-version`, `.transaction`). */
  context?: MigrationContext;
  /** What earlier migrations of the PR did; updated with this file's statements. */
  state?: MigrationState;
}

export interface MigrationAnalysis {
  file: string;
  statements: number;
  /** Statements the parser rejected (checked by tokens). */
  unparsed: number;
  findings: SqlFinding[];
}

/** The statement rules of each dialect, over the trees its parser returns. */
const STATEMENT_RULES: Record<SqlDialect, (tree: unknown, ctx: RuleContext) => StatementEffects> = {
  postgresql: (tree, ctx) => evaluatePostgresStatement(tree as Node, ctx),
};

interface LocatedHit {
  rule: SqlRuleId;
  detail: string;
  line: number;
  table?: TableRef;
  via: "parser" | "tokens";
  parserError?: string;
}

export function analyseMigration(text: string, options: AnalyseOptions): MigrationAnalysis {
  const statements = splitStatements(text);
  const evaluate = STATEMENT_RULES[options.parser.dialect];
  const findings: SqlFinding[] = [];
  const context = options.context ?? DEFAULT_MIGRATION_CONTEXT;
  const state = options.state ?? createMigrationState();
  const up = (s: SqlStatement) => !s.meta && s.section !== "down";
  const nonTransactional = () => statements.some((s) => up(s) && s.tokens.some((t) => t.kind === "word" && (t.upper === "CONCURRENTLY" || t.upper === "VACUUM")));
  const upCount = statements.reduce((n, s) => n + (up(s) ? 1 : 0), 0);
  let inTransaction = fileTransaction(context.transaction, options.file, text, { statements: upCount, nonTransactional }).wrapped;
  let lockTimeout = false;
  let lockTimeoutReported = false;
  let unparsed = 0;
  let counted = 0;

  for (const statement of statements) {
    if (statement.meta || statement.section === "down") continue;
    counted++;
    const hits: LocatedHit[] = [];
    const parsed = options.parser.parse(statement.text);
    if (parsed.ok) {
      for (const node of parsed.nodes) {
        const ctx: RuleContext = { inTransaction, postgresVersion: context.postgresVersion, state };
        const fx = evaluate(node, ctx);
        for (const hit of fx.hits) hits.push(locate(hit, statement));
        if (fx.transaction) inTransaction = fx.transaction === "begin";
        if (fx.setsLockTimeout) lockTimeout = true;
        applyFacts(state, fx.facts, { file: options.file, line: statement.line }, inTransaction);
        if (!lockTimeout && !lockTimeoutReported && fx.locks.some((t) => !createdInPr(state, t))) {
          lockTimeoutReported = true;
          hits.push({ rule: "missing-lock-timeout", detail: "waits for a table lock with no `SET lock_timeout` earlier in the file", line: statement.line, via: "parser" });
        }
        if (fx.doBlock) hits.push(...doBlockHits(statement, options.parser, ctx));
      }
    } else {
      unparsed++;
      const tokenHits = evaluateTokens(statement.tokens);
      for (const hit of tokenHits) hits.push({ rule: hit.rule, detail: hit.detail, line: hit.at.line, via: "tokens", parserError: parsed.error });
      if (tokenHits.length === 0) {
        hits.push({ rule: "unparsed-statement", detail: `the PostgreSQL parser rejected it (${parsed.error})`, line: statement.line, via: "tokens", parserError: parsed.error });
      }
    }
    const suppressions = readSuppressions(statement.comments);
    for (const s of suppressions) {
      if (s.reason === undefined) {
        hits.push({ rule: "suppression-without-reason", detail: `\`allow ${s.rules.join(", ")}\` has no \`because <reason>\``, line: s.line, via: "parser" });
      }
    }
    for (const hit of hits) {
      if (hit.table && createdInPr(state, hit.table) && hit.rule !== "concurrently-in-transaction") continue;
      const setting = options.rules?.[hit.rule] ?? SQL_RULES[hit.rule].class;
      if (setting === "off") continue;
      const spec = SQL_RULES[hit.rule];
      const allow = suppressions.find((s) => s.reason !== undefined && s.rules.includes(hit.rule));
      findings.push({
        file: options.file,
        line: hit.line,
        endLine: hit.line,
        rule: hit.rule,
        class: setting,
        title: spec.title,
        detail: hit.detail,
        why: spec.why,
        alternative: spec.alternative,
        statement: excerpt(statement.text),
        via: hit.via,
        ...(hit.parserError ? { parserError: hit.parserError } : {}),
        ...(allow?.reason ? { suppressed: { reason: allow.reason, line: allow.line } } : {}),
      });
    }
  }
  endOfFile(state);
  return { file: options.file, statements: counted, unparsed, findings };
}

function locate(hit: RuleHit, statement: SqlStatement): LocatedHit {
  const line = hit.command === undefined ? statement.line : commandLine(statement.tokens, hit.command) ?? statement.line;
  return { rule: hit.rule, detail: hit.detail, line, via: "parser", ...(hit.table ? { table: hit.table } : {}) };
}

/** Line of the n-th ALTER TABLE sub-command: sub-commands are the top-level comma-separated parts. */
export function commandLine(tokens: readonly Token[], command: number): number | undefined {
  let depth = 0;
  let seen = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.kind === "punct" && (t.text === "(" || t.text === "[")) depth++;
    else if (t.kind === "punct" && (t.text === ")" || t.text === "]")) depth--;
    else if (depth === 0 && t.kind === "punct" && t.text === ",") {
      seen++;
      if (seen === command) return tokens[i + 1]?.line;
    }
  }
  if (command !== 0) return undefined;
  // First sub-command: after ALTER TABLE [IF EXISTS] [ONLY] name [*].
  let i = 2;
  const upper = (k: number) => tokens[k]?.upper;
  if (upper(i) === "IF" && upper(i + 1) === "EXISTS") i += 2;
  if (upper(i) === "ONLY") i++;
  i++;
  while (tokens[i]?.text === ".") i += 2;
  if (tokens[i]?.text === "*") i++;
  return tokens[i]?.line;
}

function doBlockHits(statement: SqlStatement, parser: SqlParser, ctx: RuleContext): LocatedHit[] {
  const body = statement.tokens.find((t) => t.kind === "dollar-string" || t.kind === "string");
  if (!body) return [];
  const block = parser.parseProcedural(statement.text);
  if (!block.ok) {
    return [{ rule: "unparsed-statement", detail: `the PL/pgSQL parser rejected the DO block (${block.error})`, line: statement.line, via: "tokens", parserError: block.error }];
  }
  const hits: LocatedHit[] = [];
  for (const embedded of block.statements) {
    const line = body.line + embedded.line - 1;
    if (embedded.dynamic) {
      hits.push({ rule: "dynamic-sql", detail: "the DO block runs EXECUTE with SQL built at run time", line, via: "parser" });
      continue;
    }
    const parsed = parser.parse(embedded.query);
    if (!parsed.ok) continue;
    for (const node of parsed.nodes) {
      // A DO block runs in one transaction; its statements' facts are not remembered.
      for (const hit of STATEMENT_RULES[parser.dialect](node, { ...ctx, inTransaction: true }).hits) {
        hits.push({ rule: hit.rule, detail: `${hit.detail} (inside a DO block)`, line, via: "parser", ...(hit.table ? { table: hit.table } : {}) });
      }
    }
  }
  return hits;
}
