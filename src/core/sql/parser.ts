// The parser seam: the analyser asks a dialect's parser for one statement's tree and copes with
// a refusal. PostgreSQL is the only dialect today; a MySQL parser would implement the same shape.
import type { Node } from "libpg-query";

export type SqlDialect = "postgresql";

export type ParseOutcome = { ok: true; nodes: Node[] } | { ok: false; error: string };

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
