// Markdown helpers for text the app writes into check runs, comments and issues. Two kinds of text
// reach them: user text (reasons, names, logins: shown literally by `escapeProse`) and the app's own
// messages, which may carry code spans made by `code()` around user values (`escapeMessage`,
// `escapeCell` in tables). Neither can produce a link, image, mention, autolink, HTML or a fence.
//
// The approach does not depend on a model of GitHub's parser: every character that opens inline
// syntax is backslash-escaped (CommonMark lets any ASCII punctuation be escaped, and an escaped
// character is always literal), newlines become spaces and indentation goes (no block can start
// inside the text; the first character is escaped when it could start one), and what GitHub links in
// rendered text whatever the escaping (`@login`, `#123`, `GH-123`, `www.`, `scheme://`, e-mail
// addresses, `host.tld`) is broken by a zero-width space or an escaped dot.

const ZWSP = "\u200b";
/** Open code, emphasis, strikethrough, links and images, HTML and autolinks, entities, cells, math. */
const INLINE_SYNTAX = /[\\`*_~[\]<>&|$]/g;
/** A dot before a label character: `host.tld` and `a@b.c` stop being one run of text. */
const DOMAIN_DOT = /\.(?=[^\s\d!-/:-@[-`{-~])/g;
/** What starts a heading, list, quote, setext underline or thematic break at the start of a line. */
const BLOCK_START = /^(?:[-+=#]|\d{1,9}[.)](?=\s|$))/;

/**
 * User text as literal inline Markdown: it renders as exactly its characters (newlines as spaces,
 * leading indentation dropped, zero-width spaces where GitHub would autolink) in a paragraph, list
 * item, quote, heading or table cell.
 */
export function escapeProse(text: string): string {
  return literal(oneLine(text));
}

/**
 * An app message outside tables: code spans (backtick runs closed by a run of the same length, as
 * CommonMark pairs them) stay code; everything else is literal as in `escapeProse`, so an unpaired
 * backtick or a backslash in user text cannot turn the rest into live Markdown.
 */
export function escapeMessage(text: string): string {
  return renderMessage(text, false);
}

/** An app message as one table cell: as `escapeMessage`, with pipes inside code spans escaped as GFM requires. */
export function escapeCell(text: string): string {
  return renderMessage(text, true);
}

/** An inline code span that shows `text` (newlines as spaces), whatever backticks it holds. */
export function code(text: string, max = 200): string {
  const flat = text.replace(/\r\n?|\n/g, " ");
  const clean = flat.length > max ? `${flat.slice(0, max)}…` : flat;
  // CommonMark has no empty code span: two backticks would be literal text.
  if (clean === "") return "` `";
  const longestRun = Math.max(0, ...(clean.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1);
  // CommonMark strips one space on each side when both are there, and a backtick at either end
  // would join the fence: pad so the content shows as given.
  const pad = /^[` ]|[` ]$/.test(clean) && clean.trim() !== "" ? " " : "";
  return `${fence}${pad}${clean}${pad}${fence}`;
}

function renderMessage(text: string, inTable: boolean): string {
  const source = oneLine(text);
  let out = "";
  let prose = "";
  let i = 0;
  while (i < source.length) {
    if (source[i] !== "`") {
      prose += source[i];
      i++;
      continue;
    }
    const run = /^`+/.exec(source.slice(i))![0];
    const close = findRun(source, i + run.length, run.length);
    const content = close === -1 ? undefined : source.slice(i + run.length, close);
    // GitHub's table scanner pairs backslashes before it looks for pipes, markdown-it does not: a
    // backslash right before a pipe in a cell's code span is read differently, so show it as text.
    if (content === undefined || (inTable && /\\\|/.test(content))) {
      prose += run;
      i += run.length;
      continue;
    }
    out += literal(prose) + run + (inTable ? content.replace(/\|/g, "\\|") : content) + run;
    prose = "";
    i = close + run.length;
  }
  return out + literal(prose);
}

function literal(text: string): string {
  return breakAutolinks(text)
    .replace(INLINE_SYNTAX, (c) => `\\${c}`)
    .replace(DOMAIN_DOT, "\\.")
    .replace(/(?<=\/)\//g, "\\/")
    // A heading drops a trailing run of `#` as its closing sequence.
    .replace(/#(?=#*[ \t]*$)/g, "\\#")
    .replace(BLOCK_START, (m) => `${m.slice(0, -1)}\\${m.slice(-1)}`);
}

/** Index of the next backtick run of exactly `length` at or after `from`, or -1. */
function findRun(text: string, from: number, length: number): number {
  const runs = /`+/g;
  runs.lastIndex = from;
  for (let m = runs.exec(text); m; m = runs.exec(text)) if (m[0].length === length) return m.index;
  return -1;
}

/** One line, no indentation: nothing after it can start a block (fence, list, quote, code block). */
function oneLine(text: string): string {
  return text.replace(/\r\n?|\n/g, " ").replace(/^[ \t]+/, "");
}

/** What GitHub links in rendered text whatever the escaping: mentions, references, bare URLs, e-mail. */
function breakAutolinks(text: string): string {
  return text
    .replace(/@(?=[\p{L}\p{N}_-])/gu, `@${ZWSP}`)
    .replace(/#(?=\d)/g, `#${ZWSP}`)
    .replace(/(gh)-(?=\d)/gi, `$1-${ZWSP}`)
    .replace(/:\/\//g, `:${ZWSP}//`)
    .replace(/(www)\./gi, `$1${ZWSP}.`);
}

/** Cut text to GitHub's field limits without splitting a surrogate pair. For plain text (titles). */
export function truncate(text: string, max: number, note = "\n\n…(truncated)"): string {
  if (text.length <= max) return text;
  let end = max - note.length;
  if (end > 0 && /[\uD800-\uDBFF]/.test(text.charAt(end - 1))) end--;
  return text.slice(0, Math.max(0, end)) + note;
}

/**
 * Cut a Markdown body at a line end: a cut inside a line could leave a code span open and turn its
 * content into live Markdown. A first line longer than `max` leaves only the note.
 */
export function truncateMarkdown(text: string, max: number, note = "\n\n…(truncated)"): string {
  if (text.length <= max) return text;
  const lineEnd = text.lastIndexOf("\n", Math.max(0, max - note.length));
  return lineEnd > 0 ? text.slice(0, lineEnd) + note : note.trim();
}

/** A parsed URL when `raw` is one and its scheme is among `protocols` (never `javascript:`, `data:` …). */
export function webUrl(raw: string | null | undefined, protocols: readonly string[]): URL | undefined {
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  return protocols.includes(url.protocol) ? url : undefined;
}

/** Only https URLs, with characters that could end the Markdown link escaped. */
export function safeUrl(raw: string | null | undefined): string | undefined {
  const url = webUrl(raw, ["https:"]);
  if (!url) return undefined;
  return url.href.replace(/[()<>\s"'`[\]]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}

/**
 * Text for places GitHub shows without rendering Markdown (check-run annotations): a code span
 * becomes the same text in double quotes, so nobody reads stray backticks.
 */
export function plainText(markdown: string): string {
  return markdown.replace(/(`+) ?((?:(?!\1)[^\n])+?) ?\1(?!`)/g, '"$2"');
}
