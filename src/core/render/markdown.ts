// Markdown helpers for text the app writes into check runs and comments. User-derived fragments go
// through `code()`; whole cells through `escapeCell()`, so PR text cannot inject mentions, links or HTML.

/** An inline code span that user text cannot break out of. */
export function code(text: string, max = 200): string {
  const clean = text.replace(/[`\r\n]+/g, " ");
  return "`" + (clean.length > max ? `${clean.slice(0, max)}…` : clean) + "`";
}

/**
 * One table cell: pipes and newlines escaped; outside code spans no HTML, mentions or links. An
 * unpaired backtick is escaped and the text after it treated as prose, so `a \`@team` cannot leave a
 * mention outside a code span.
 */
export function escapeCell(text: string): string {
  const parts = text.split("`");
  const tail = parts.length % 2 === 0 ? `\\\`${escapeProse(parts.pop()!)}` : "";
  return (
    parts
      .map((part, i) => (i % 2 === 1 ? part.replace(/\|/g, "\\|") : escapeProse(part)))
      .join("`") + tail
  ).replace(/\r?\n/g, " ");
}

/** Prose outside code: HTML, mentions, references, link syntax, backticks and bare URLs neutralised. */
export function escapeProse(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\|/g, "\\|")
    .replace(/@(?=[\p{L}\p{N}_-])/gu, "@\u200b")
    .replace(/#(?=\d)/g, "#\u200b")
    .replace(/[[\]`]/g, (c) => `\\${c}`)
    // GitHub turns bare URLs into links (autolink literals); a zero-width space keeps them text.
    .replace(/:\/\//g, ":\u200b//")
    .replace(/\bwww\./gi, (w) => `${w.slice(0, 3)}\u200b.`);
}

/** Cut text to GitHub's field limits without splitting a surrogate pair. */
export function truncate(text: string, max: number, note = "\n\n…(truncated)"): string {
  if (text.length <= max) return text;
  let end = max - note.length;
  if (end > 0 && /[\uD800-\uDBFF]/.test(text.charAt(end - 1))) end--;
  return text.slice(0, Math.max(0, end)) + note;
}

/** Only https URLs, with characters that could end the Markdown link escaped. */
export function safeUrl(raw: string | null | undefined): string | undefined {
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== "https:") return undefined;
  return url.href.replace(/[()<>\s"'`[\]]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}
