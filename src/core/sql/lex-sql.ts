// A PostgreSQL-aware lexer: enough to split files into statements and to keep comments and
// string literals apart from the words rules read. It never throws; unterminated quotes run to
// the end of the input.

export type TokenKind =
  | "word" // keyword or bare identifier
  | "quoted-ident" // "Name"
  | "string" // '...', E'...'
  | "dollar-string" // $tag$...$tag$
  | "number"
  | "punct" // ( ) , ; . [ ]
  | "op"
  | "comment" // -- ... or /* ... */
  | "meta"; // psql meta-command (\set ...), a line of its own

export interface Token {
  kind: TokenKind;
  text: string;
  /** Offset (UTF-16 code units) in the lexed text. */
  start: number;
  end: number;
  /** 1-based line of the token's first character. */
  line: number;
  /** Upper-cased text of a word, for keyword comparisons. */
  upper?: string;
}

const isWordStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 128;
const isWordPart = (c: number) => isWordStart(c) || (c >= 48 && c <= 57) || c === 36;
const isDigit = (c: number) => c >= 48 && c <= 57;
const PUNCT = new Set(["(", ")", ",", ";", ".", "[", "]"]);

export function lexSql(text: string): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  let lineStart = true; // only whitespace since the last newline
  const push = (kind: TokenKind, start: number, end: number, startLine: number) => {
    const t = text.slice(start, end);
    tokens.push(kind === "word" ? { kind, text: t, start, end, line: startLine, upper: t.toUpperCase() } : { kind, text: t, start, end, line: startLine });
  };
  const advanceTo = (end: number) => {
    for (let k = i; k < end; k++) if (text.charCodeAt(k) === 10) line++;
    i = end;
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      i++;
      lineStart = true;
      continue;
    }
    if (c === 32 || c === 9 || c === 13 || c === 12 || c === 11) {
      i++;
      continue;
    }
    const startLine = line;
    const start = i;
    const wasLineStart = lineStart;
    lineStart = false;
    const next = i + 1 < n ? text.charCodeAt(i + 1) : -1;
    if (c === 92 && wasLineStart) {
      // psql meta-command: backslash at the start of a line, to the end of the line.
      let end = text.indexOf("\n", i);
      if (end < 0) end = n;
      advanceTo(end);
      push("meta", start, end, startLine);
      continue;
    }
    if (c === 45 && next === 45) {
      // PostgreSQL ends a line comment at either \n or \r.
      let end = i + 2;
      while (end < n && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
      advanceTo(end);
      push("comment", start, end, startLine);
      continue;
    }
    if (c === 47 && next === 42) {
      // Block comments nest in PostgreSQL.
      let depth = 1;
      let k = i + 2;
      while (k < n && depth > 0) {
        if (text.charCodeAt(k) === 47 && text.charCodeAt(k + 1) === 42) {
          depth++;
          k += 2;
        } else if (text.charCodeAt(k) === 42 && text.charCodeAt(k + 1) === 47) {
          depth--;
          k += 2;
        } else k++;
      }
      advanceTo(Math.min(k, n));
      push("comment", start, i, startLine);
      continue;
    }
    if (c === 39) {
      advanceTo(endOfQuoted(text, i + 1, 39, false));
      push("string", start, i, startLine);
      continue;
    }
    if ((c === 69 || c === 101) && next === 39) {
      advanceTo(endOfQuoted(text, i + 2, 39, true));
      push("string", start, i, startLine);
      continue;
    }
    if (c === 34) {
      advanceTo(endOfQuoted(text, i + 1, 34, false));
      push("quoted-ident", start, i, startLine);
      continue;
    }
    if (c === 36) {
      const tag = dollarTag(text, i);
      if (tag !== undefined) {
        const close = text.indexOf(tag, i + tag.length);
        advanceTo(close < 0 ? n : close + tag.length);
        push("dollar-string", start, i, startLine);
        continue;
      }
    }
    if (isWordStart(c)) {
      let k = i + 1;
      while (k < n && isWordPart(text.charCodeAt(k))) k++;
      i = k;
      push("word", start, k, startLine);
      continue;
    }
    if (isDigit(c) || (c === 46 && isDigit(next))) {
      let k = i + 1;
      while (k < n && (isDigit(text.charCodeAt(k)) || text.charCodeAt(k) === 46 || text.charCodeAt(k) === 95)) k++;
      if (k < n && (text.charCodeAt(k) === 101 || text.charCodeAt(k) === 69)) {
        let e = k + 1;
        if (text.charCodeAt(e) === 43 || text.charCodeAt(e) === 45) e++;
        if (isDigit(text.charCodeAt(e))) {
          k = e;
          while (k < n && isDigit(text.charCodeAt(k))) k++;
        }
      }
      i = k;
      push("number", start, k, startLine);
      continue;
    }
    const ch = text[i] as string;
    i++;
    push(PUNCT.has(ch) ? "punct" : "op", start, i, startLine);
  }
  return tokens;
}

/** End offset (exclusive) of a quoted run whose body starts at `from`; doubled quotes escape. */
function endOfQuoted(text: string, from: number, quote: number, backslashEscapes: boolean): number {
  let k = from;
  const n = text.length;
  while (k < n) {
    const c = text.charCodeAt(k);
    if (backslashEscapes && c === 92) {
      k += 2;
      continue;
    }
    if (c === quote) {
      if (text.charCodeAt(k + 1) === quote) {
        k += 2;
        continue;
      }
      return k + 1;
    }
    k++;
  }
  return n;
}

/** `$tag$` or `$$` at `at`, or undefined (e.g. `$1`, a parameter). */
function dollarTag(text: string, at: number): string | undefined {
  let k = at + 1;
  if (k < text.length && text.charCodeAt(k) === 36) return "$$";
  if (k >= text.length || !isWordStart(text.charCodeAt(k))) return undefined;
  while (k < text.length && isWordPart(text.charCodeAt(k)) && text.charCodeAt(k) !== 36) k++;
  return text.charCodeAt(k) === 36 ? text.slice(at, k + 1) : undefined;
}
