// Fallback for statements the parser rejects: the breaking rules that keywords alone can decide,
// read from words only (never from comments, strings or quoted names).
import type { Token } from "./lex-sql.js";
import type { RuleHit } from "./postgres-rules.js";
import { words } from "./split-statements.js";

/** Hits found by keywords, each with the token where the offending clause starts. */
export function evaluateTokens(tokens: readonly Token[]): Array<RuleHit & { at: Token }> {
  const wordTokens = tokens.filter((t) => t.kind === "word");
  const w = words(tokens);
  const hits: Array<RuleHit & { at: Token }> = [];
  const at = (i: number) => wordTokens[i] as Token;
  const seq = (i: number, ...expected: string[]) => expected.every((e, k) => w[i + k] === e);
  const has = (...expected: string[]) => w.some((_, i) => seq(i, ...expected));
  const first = w[0];
  const alterTable = seq(0, "ALTER", "TABLE");
  for (let i = 0; i < w.length; i++) {
    if (alterTable && w[i] === "DROP" && i > 1) {
      const next = w[i + 1];
      if (next === "COLUMN" || (next !== undefined && !["CONSTRAINT", "DEFAULT", "NOT", "IDENTITY", "EXPRESSION"].includes(next))) {
        hits.push({ rule: "drop-column", detail: "drops a column", at: at(i) });
      }
      if (next === "DEFAULT") hits.push({ rule: "drop-default", detail: "drops a column's default", at: at(i) });
      if (next === "IDENTITY") hits.push({ rule: "drop-identity", detail: "drops a column's identity", at: at(i) });
    }
    if (alterTable && w[i] === "DETACH" && w[i + 1] === "PARTITION" && !w.slice(i + 2).includes("CONCURRENTLY") && !w.slice(i + 2).includes("FINALIZE")) {
      hits.push({ rule: "detach-partition-non-concurrently", detail: "detaches a partition without CONCURRENTLY", at: at(i) });
    }
    if (alterTable && w[i] === "RENAME" && w[i + 1] !== "CONSTRAINT") {
      hits.push(w[i + 1] === "TO" ? { rule: "rename-table", detail: "renames a table", at: at(i) } : { rule: "rename-column", detail: "renames a column", at: at(i) });
    }
    if (alterTable && w[i] === "ALTER" && i > 1) {
      const rest = w.slice(i + 1, i + 6).join(" ");
      if (/\b(?:SET DATA )?TYPE\b/.test(rest) && !/\bSET (?:DEFAULT|STATISTICS|STORAGE)\b/.test(rest)) {
        hits.push({ rule: "change-column-type", detail: "changes a column's type", at: at(i) });
      }
      if (rest.includes("SET NOT NULL")) hits.push({ rule: "set-not-null", detail: "sets NOT NULL on a column", at: at(i) });
    }
    if (alterTable && w[i] === "ADD") {
      const clause = w.slice(i + 1, nextCommaWord(tokens, wordTokens, i));
      const text = clause.join(" ");
      if (clause.includes("FOREIGN") || clause.includes("REFERENCES")) {
        if (!text.includes("NOT VALID")) hits.push({ rule: "foreign-key-without-not-valid", detail: "adds a foreign key without NOT VALID", at: at(i) });
      } else if (clause.includes("CHECK")) {
        if (!text.includes("NOT VALID")) hits.push({ rule: "check-without-not-valid", detail: "adds a check constraint without NOT VALID", at: at(i) });
      } else if ((clause.includes("UNIQUE") || text.includes("PRIMARY KEY")) && !text.includes("USING INDEX")) {
        hits.push({ rule: "add-unique-constraint", detail: "adds a unique constraint directly", at: at(i) });
      } else if (text.includes("NOT NULL") && !clause.includes("DEFAULT")) {
        hits.push({ rule: "add-not-null-column", detail: "adds a NOT NULL column without a default", at: at(i) });
      }
    }
  }
  if (first === "DROP" && w[1] === "TABLE") hits.push({ rule: "drop-table", detail: "drops a table", at: at(0) });
  if (first === "DROP" && (w[1] === "SCHEMA" || w[1] === "DATABASE")) hits.push({ rule: "drop-schema", detail: `drops a ${w[1].toLowerCase()}`, at: at(0) });
  if (first === "DROP" && w[1] === "INDEX" && w[2] !== "CONCURRENTLY") hits.push({ rule: "drop-index-non-concurrently", detail: "drops an index without CONCURRENTLY", at: at(0) });
  if (first === "CREATE" && (w[1] === "INDEX" || (w[1] === "UNIQUE" && w[2] === "INDEX")) && !has("CONCURRENTLY")) {
    hits.push({ rule: "create-index-non-concurrently", detail: "creates an index without CONCURRENTLY", at: at(0) });
  }
  if (first === "DROP" && (w[1] === "VIEW" || (w[1] === "MATERIALIZED" && w[2] === "VIEW"))) hits.push({ rule: "drop-view", detail: "drops a view", at: at(0) });
  if (first === "DROP" && (w[1] === "TYPE" || w[1] === "DOMAIN")) hits.push({ rule: "drop-type", detail: `drops a ${w[1].toLowerCase()}`, at: at(0) });
  const alterObject = first === "ALTER" && ["FUNCTION", "PROCEDURE", "ROUTINE", "SCHEMA", "TYPE", "DOMAIN"].includes(w[1] ?? "");
  if (alterObject && has("RENAME")) hits.push({ rule: "rename-object", detail: `renames a ${(w[1] ?? "").toLowerCase()}${has("RENAME", "VALUE") ? " value" : ""}`, at: at(0) });
  if (first === "ALTER" && has("SET", "SCHEMA")) hits.push({ rule: "set-schema", detail: "moves an object to another schema", at: at(0) });
  if (first === "ALTER" && w[1] === "DOMAIN" && ((has("ADD") && !has("NOT", "VALID")) || has("SET", "NOT", "NULL"))) {
    hits.push({ rule: "domain-constraint", detail: "adds a constraint to a domain", at: at(0) });
  }
  if (first === "TRUNCATE") hits.push({ rule: "truncate", detail: "truncates a table", at: at(0) });
  return hits;
}

/** Index (in words) of the first word after the next top-level comma following word `i`. */
function nextCommaWord(tokens: readonly Token[], wordTokens: readonly Token[], i: number): number {
  const from = wordTokens[i] as Token;
  let depth = 0;
  for (const t of tokens) {
    if (t.start <= from.start) continue;
    if (t.kind === "punct" && t.text === "(") depth++;
    else if (t.kind === "punct" && t.text === ")") depth--;
    else if (depth === 0 && t.kind === "punct" && t.text === ",") {
      const k = wordTokens.findIndex((wt) => wt.start > t.start);
      return k < 0 ? wordTokens.length : k;
    }
  }
  return wordTokens.length;
}
