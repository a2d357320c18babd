// Finds `/release <verb> [args]` lines in a PR comment. One pass over the lines and no backtracking
// regexes: comment bodies are hostile input (65,536 characters of anything).
import { VERBS, type Command, type Verb } from "./types.js";

/** More commands than this in one comment are ignored: each costs the installation GitHub writes. */
export const MAX_COMMANDS_PER_COMMENT = 10;

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const PREFIX = "/release";
const VERB_SET: ReadonlySet<string> = new Set(VERBS);

/**
 * Commands in a comment, in order. Not commands: lines inside fenced code (``` or ~~~, an unclosed
 * fence runs to the end, as GitHub renders it), inside HTML comments, quoted replies (`> /release
 * advance`), indented code (4+ columns), and `/releases ...`. Unknown verbs come back as
 * `{ kind: "unknown" }` so the adapter can answer with help.
 */
export function parseCommands(body: string | null | undefined): Command[] {
  if (!body) return [];
  const commands: Command[] = [];
  let fence: string | undefined;
  let inComment = false;
  let lineNo = 0;
  let start = 0;
  while (start <= body.length && commands.length < MAX_COMMANDS_PER_COMMENT) {
    const end = lineEnd(body, start);
    const raw = body.slice(start, end);
    lineNo++;
    start = end + (body.charCodeAt(end) === 13 && body.charCodeAt(end + 1) === 10 ? 2 : 1);
    if (inComment) {
      const close = raw.indexOf("-->");
      if (close === -1) continue;
      inComment = false;
      // Text after `-->` on the same line is not at the start of a line: never a command.
      inComment = opensComment(raw.slice(close + 3));
      continue;
    }
    if (fence !== undefined) {
      if (isFenceClose(raw, fence)) fence = undefined;
      continue;
    }
    const open = FENCE.exec(raw);
    if (open) {
      fence = open[1]!;
      continue;
    }
    const command = readCommand(raw, lineNo);
    if (command) commands.push(command);
    inComment = opensComment(raw);
  }
  return commands;
}

/** The command a single line holds, or undefined. Exported for the check-run buttons and tests. */
export function readCommand(raw: string, line: number): Command | undefined {
  const indent = leadingColumns(raw);
  if (indent.columns >= 4) return undefined;
  const rest = raw.slice(indent.chars);
  if (rest.length < PREFIX.length || rest.slice(0, PREFIX.length).toLowerCase() !== PREFIX) return undefined;
  const after = rest.charAt(PREFIX.length);
  if (after !== "" && !isSpace(after)) return undefined;
  const text = rest.trimEnd();
  const words = tokenize(rest.slice(PREFIX.length));
  const word = words.shift();
  if (word === undefined) return { kind: "unknown", word: "", line, text };
  const verb = word.toLowerCase();
  if (!VERB_SET.has(verb)) return { kind: "unknown", word, line, text };
  return { kind: "command", verb: verb as Verb, args: words, line, text };
}

/**
 * Splits arguments on whitespace; `"..."` and `'...'` group words when the quote opens an argument
 * (so `it's broken` stays two words). An unclosed quote takes the rest of the line.
 */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && isSpace(text.charAt(i))) i++;
    if (i >= n) break;
    const c = text.charAt(i);
    if (c === '"' || c === "'") {
      const close = text.indexOf(c, i + 1);
      if (close === -1) {
        out.push(text.slice(i + 1).trimEnd());
        break;
      }
      out.push(text.slice(i + 1, close));
      i = close + 1;
      continue;
    }
    const from = i;
    while (i < n && !isSpace(text.charAt(i))) i++;
    out.push(text.slice(from, i));
  }
  return out;
}

/** Formats a command line that `parseCommands` reads back to the same verb and arguments. */
export function formatCommand(verb: string, args: readonly string[] = []): string {
  const quoted = args.map((arg) => {
    if (arg !== "" && !/[\s"']/.test(arg)) return arg;
    return arg.includes('"') ? `'${arg}'` : `"${arg}"`;
  });
  return [PREFIX, verb, ...quoted].join(" ");
}

function lineEnd(body: string, from: number): number {
  for (let i = from; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c === 10 || c === 13) return i;
  }
  return body.length;
}

function isSpace(c: string): boolean {
  return c === " " || c === "\t" || c === "\u00a0" || c === "\f" || c === "\v";
}

function leadingColumns(raw: string): { chars: number; columns: number } {
  let chars = 0;
  let columns = 0;
  while (chars < raw.length && (raw.charAt(chars) === " " || raw.charAt(chars) === "\t")) {
    columns += raw.charAt(chars) === "\t" ? 4 - (columns % 4) : 1;
    chars++;
  }
  return { chars, columns };
}

function isFenceClose(text: string, opener: string): boolean {
  const match = FENCE.exec(text);
  if (!match) return false;
  const marker = match[1]!;
  return marker[0] === opener[0] && marker.length >= opener.length && text.slice(match[0].length).trim() === "";
}

/** Whether a line leaves an HTML comment open at its end. */
function opensComment(line: string): boolean {
  let from = 0;
  for (;;) {
    const open = line.indexOf("<!--", from);
    if (open === -1) return false;
    const close = line.indexOf("-->", open + 4);
    if (close === -1) return true;
    from = close + 3;
  }
}
