// `-- release-gate: allow <rule-id>[, <rule-id>...] because <reason>` in a statement's comments
// turns its findings of those rules into recorded exceptions. A reason is required.
import type { Token } from "./lex-sql.js";

export interface Suppression {
  rules: string[];
  /** Undefined when the comment gives no reason: then nothing is suppressed. */
  reason: string | undefined;
  line: number;
}

const ALLOW = /release-gate:\s*allow\s+([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)(?:\s+because\b\s*(.*))?/i;

export function readSuppressions(comments: readonly Token[]): Suppression[] {
  const found: Suppression[] = [];
  for (const comment of comments) {
    const body = comment.text.startsWith("--") ? comment.text.slice(2) : comment.text.slice(2, comment.text.endsWith("*/") ? -2 : undefined);
    for (const [offset, part] of body.split("\n").entries()) {
      const match = ALLOW.exec(part);
      if (!match) continue;
      const reason = match[2]?.replace(/\*\/\s*$/, "").trim();
      found.push({
        rules: (match[1] as string).split(",").map((r) => r.trim().toLowerCase()),
        reason: reason ? reason : undefined,
        line: comment.line + offset,
      });
    }
  }
  return found;
}
