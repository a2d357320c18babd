// PostgreSQL's own parser (libpg-query, WASM). Loading is the one asynchronous step and happens
// once per process, on first use (imported lazily so a process that never sees a migration never
// compiles the WASM); parsing after that is synchronous and does no I/O.
import type * as LibPgQuery from "libpg-query";
import type { EmbeddedSql, ParseOutcome, ProceduralOutcome, SqlParser } from "./parser.js";

let loaded: Promise<SqlParser> | undefined;

export function loadPostgresParser(): Promise<SqlParser> {
  loaded ??= import("libpg-query").then(async (lib) => {
    await lib.loadModule();
    return postgresParser(lib);
  });
  loaded.catch(() => {
    loaded = undefined;
  });
  return loaded;
}

const postgresParser = ({ parseSync, parsePlPgSQLSync }: typeof LibPgQuery): SqlParser => ({
  dialect: "postgresql",
  parse(sql: string): ParseOutcome {
    try {
      const result = parseSync(sql);
      return { ok: true, nodes: (result.stmts ?? []).flatMap((s) => (s.stmt ? [s.stmt] : [])) };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  },
  parseProcedural(block: string): ProceduralOutcome {
    try {
      const result = parsePlPgSQLSync(block) as unknown;
      const statements: EmbeddedSql[] = [];
      collectEmbedded(result, statements);
      return { ok: true, statements };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  },
});

/** Walks the PL/pgSQL tree for statements it executes (`PLpgSQL_stmt_execsql`, dynamic `EXECUTE`). */
function collectEmbedded(node: unknown, out: EmbeddedSql[], depth = 0): void {
  if (depth > 200 || node === null || typeof node !== "object") return;
  if (Array.isArray(node)) {
    for (const item of node) collectEmbedded(item, out, depth + 1);
    return;
  }
  const record = node as Record<string, unknown>;
  const exec = record["PLpgSQL_stmt_execsql"] as { lineno?: number; sqlstmt?: { PLpgSQL_expr?: { query?: string } } } | undefined;
  if (exec?.sqlstmt?.PLpgSQL_expr?.query) {
    out.push({ query: exec.sqlstmt.PLpgSQL_expr.query, line: exec.lineno ?? 1, dynamic: false });
  }
  const dyn = record["PLpgSQL_stmt_dynexecute"] as { lineno?: number; query?: { PLpgSQL_expr?: { query?: string } } } | undefined;
  if (dyn) out.push({ query: dyn.query?.PLpgSQL_expr?.query ?? "", line: dyn.lineno ?? 1, dynamic: true });
  for (const value of Object.values(record)) collectEmbedded(value, out, depth + 1);
}
