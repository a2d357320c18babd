// The parser seam: the analyser asks a dialect's parser for one statement's trees and copes with
// a refusal. Trees are dialect-specific; `analyse-migration.ts` picks the statement rules that read
// them by `dialect`. PostgreSQL is the only dialect today: MySQL would add a parser, a rules file
// and one entry in that table.

export type SqlDialect = "postgresql";

/** `nodes` are the dialect parser's own trees (libpg-query `Node`s for PostgreSQL). */
export type ParseOutcome = { ok: true; nodes: unknown[] } | { ok: false; error: string };

/** Embedded SQL found inside a procedural block (`DO $$ ... $$`), with its line in the block. */
export interface EmbeddedSql {
  query: string;
  /** 1-based line within the block body. */
  line: number;
  /** Dynamic SQL (`EXECUTE '...'`) cannot be analysed statically. */
  dynamic: boolean;
}

export type ProceduralOutcome = { ok: true; statements: EmbeddedSql[] } | { ok: false; error: string };

export interface SqlParser {
  dialect: SqlDialect;
  /** Parses one statement (or a few); never throws. */
  parse(sql: string): ParseOutcome;
  /** The SQL statements a procedural block runs; never throws. */
  parseProcedural(block: string): ProceduralOutcome;
}

/** Used when the dialect's parser cannot load: every statement goes to the keyword fallback. */
export function keywordOnlyParser(dialect: SqlDialect, reason: string): SqlParser {
  const error = `the ${dialect} parser is unavailable (${reason})`;
  return { dialect, parse: () => ({ ok: false, error }), parseProcedural: () => ({ ok: false, error }) };
}
