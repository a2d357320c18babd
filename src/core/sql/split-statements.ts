// Splits a migration file into statements, each with its file lines, its own tokens and the
// comments that belong to it (the ones just above it, inside it, and after it on its last line).
import { lexSql, type Token } from "./lex-sql.js";

export interface SqlStatement {
  /** 0-based position in the file. */
  index: number;
  /** Source text from the first token to the end of the last one (terminator excluded). */
  text: string;
  /** Offset of `text` in the file. */
  start: number;
  /** 1-based file lines of the first and last token. */
  line: number;
  endLine: number;
  /** Tokens without comments and without the terminating semicolon. */
  tokens: Token[];
  comments: Token[];
  /** `down` after a `-- migrate:down` (dbmate) or `-- +goose Down` marker in the same file. */
  section: "up" | "down";
  /** A psql meta-command line (`\set ...`): never parsed as SQL. */
  meta: boolean;
}

const DOWN_MARKER = /^--\s*(?:migrate:down\b|\+goose\s+down\b)/i;
const UP_MARKER = /^--\s*(?:migrate:up\b|\+goose\s+up\b)/i;

export function splitStatements(text: string): SqlStatement[] {
  const all = lexSql(text);
  const statements: SqlStatement[] = [];
  let pendingComments: Token[] = [];
  let current: Token[] = [];
  let comments: Token[] = [];
  let section: "up" | "down" = "up";
  let atomicDepth = 0;
  let lastEnd: { line: number; statement: SqlStatement } | undefined;

  const finish = (meta = false) => {
    if (current.length === 0) return;
    const first = current[0] as Token;
    const last = current[current.length - 1] as Token;
    const statement: SqlStatement = {
      index: statements.length,
      text: text.slice(first.start, last.end),
      start: first.start,
      line: first.line,
      endLine: last.line + countNewlines(last.text),
      tokens: current,
      comments: [...pendingComments, ...comments],
      section,
      meta,
    };
    statements.push(statement);
    lastEnd = { line: statement.endLine, statement };
    pendingComments = [];
    current = [];
    comments = [];
    atomicDepth = 0;
  };

  for (const token of all) {
    if (token.kind === "comment") {
      if (current.length > 0) comments.push(token);
      else if (lastEnd && token.line === lastEnd.line) lastEnd.statement.comments.push(token);
      else {
        if (DOWN_MARKER.test(token.text)) section = "down";
        else if (UP_MARKER.test(token.text)) section = "up";
        pendingComments.push(token);
      }
      continue;
    }
    if (token.kind === "meta") {
      finish();
      current = [token];
      finish(true);
      continue;
    }
    if (token.kind === "punct" && token.text === ";" && atomicDepth === 0) {
      finish();
      continue;
    }
    if (token.kind === "word") {
      const prev = current[current.length - 1];
      // SQL-standard function bodies (BEGIN ATOMIC ... END) contain semicolons.
      if (token.upper === "ATOMIC" && prev?.upper === "BEGIN") atomicDepth = atomicDepth === 0 ? 1 : atomicDepth + 1;
      else if (atomicDepth > 0 && token.upper === "CASE") atomicDepth++;
      else if (atomicDepth > 0 && token.upper === "END") atomicDepth--;
    }
    current.push(token);
  }
  finish();
  return statements;
}

function countNewlines(s: string): number {
  let count = 0;
  for (let k = 0; k < s.length; k++) if (s.charCodeAt(k) === 10) count++;
  return count;
}

/** Upper-cased words of a statement, in order (strings, quoted names and comments excluded). */
export function words(tokens: readonly Token[]): string[] {
  return tokens.filter((t) => t.kind === "word").map((t) => t.upper as string);
}
