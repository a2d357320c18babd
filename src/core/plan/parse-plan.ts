// Reads the release plan out of a PR body: sections by heading, with HTML comments and fenced code
// taken out. One pass over the lines, no backtracking regexes: PR bodies are hostile input.

export type SectionKey = "rollback" | "migration" | "communication" | "flag";

export interface PlanLine {
  /** 1-based line number in the PR body. */
  line: number;
  text: string;
}

export interface Checkbox extends PlanLine {
  checked: boolean;
  /** The label after the box, trimmed. */
  label: string;
}

export interface PlanSection {
  key: SectionKey;
  heading: string;
  line: number;
  /** Content lines, comments removed, fenced code kept as text but never read as headings. */
  lines: PlanLine[];
  checkboxes: Checkbox[];
}

export interface ReleasePlan {
  sections: Partial<Record<SectionKey, PlanSection>>;
  /** Sections whose heading appeared more than once; only the first is read. */
  duplicates: SectionKey[];
}

/** Headings per section; a section left out is not looked for. */
export type SectionHeadings = Partial<Record<SectionKey, readonly string[]>>;

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+|$)/;
const CHECKBOX = /^\s*(?:[-*+]|\d{1,9}[.)])\s+\[([ xX])\]\s*/;

export function parsePlan(body: string | null | undefined, headings: SectionHeadings): ReleasePlan {
  const lines = stripComments(body ?? "");
  const wanted = (Object.keys(headings) as SectionKey[]).map((key) => ({
    key,
    names: (headings[key] ?? []).map(normalizeHeading).filter((n) => n.length > 0),
  }));
  const sections: Partial<Record<SectionKey, PlanSection>> = {};
  const duplicates: SectionKey[] = [];
  let current: PlanSection | undefined;
  let currentLevel = 0;
  let fence: string | undefined;

  lines.forEach((text, index) => {
    const lineNo = index + 1;
    if (fence !== undefined) {
      if (isFenceClose(text, fence)) fence = undefined;
      current?.lines.push({ line: lineNo, text });
      return;
    }
    const open = FENCE.exec(text);
    if (open) {
      fence = open[1]!;
      current?.lines.push({ line: lineNo, text });
      return;
    }
    const heading = HEADING.exec(text);
    if (heading) {
      const level = heading[1]!.length;
      const title = stripClosingHashes(text.slice(heading[0].length));
      const key = level >= 2 && level <= 3 ? matchSection(title, wanted) : undefined;
      if (key) {
        if (sections[key]) {
          if (!duplicates.includes(key)) duplicates.push(key);
          current = undefined;
        } else {
          current = { key, heading: title, line: lineNo, lines: [], checkboxes: [] };
          sections[key] = current;
          currentLevel = level;
        }
        return;
      }
      if (current && level <= currentLevel) current = undefined;
      else current?.lines.push({ line: lineNo, text });
      return;
    }
    if (!current) return;
    current.lines.push({ line: lineNo, text });
    const box = CHECKBOX.exec(text);
    if (box) {
      current.checkboxes.push({ line: lineNo, text, checked: box[1] !== " ", label: text.slice(box[0].length).trim() });
    }
  });
  return { sections, duplicates };
}

// No section name is this long; the cap also keeps the end-anchored regex below linear.
const MAX_HEADING_CHARS = 200;

/** Lower-case, drop leading emoji/numbering/punctuation and trailing punctuation, fold separators. */
export function normalizeHeading(text: string): string {
  return text
    .slice(0, MAX_HEADING_CHARS)
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s_\-–—]+/gu, " ")
    .replace(/^[^\p{L}]+/u, "")
    .replace(/[^\p{L}\p{N}]+$/u, "")
    .trim();
}

function matchSection(title: string, wanted: { key: SectionKey; names: string[] }[]): SectionKey | undefined {
  const normalized = normalizeHeading(title);
  if (normalized.length === 0) return undefined;
  for (const { key, names } of wanted) {
    for (const name of names) {
      if (normalized === name) return key;
      // "Rollback contract (required)" or "Rollback contract: v2" still name the section.
      if (normalized.startsWith(name) && !/[\p{L}\p{N}]/u.test(normalized.charAt(name.length))) return key;
    }
  }
  return undefined;
}

function stripClosingHashes(text: string): string {
  let end = text.length;
  while (end > 0 && /\s/.test(text.charAt(end - 1))) end--;
  let hashes = end;
  while (hashes > 0 && text.charAt(hashes - 1) === "#") hashes--;
  if (hashes < end && (hashes === 0 || /\s/.test(text.charAt(hashes - 1)))) end = hashes;
  return text.slice(0, end).trim();
}

function isFenceClose(text: string, opener: string): boolean {
  const match = FENCE.exec(text);
  if (!match) return false;
  const marker = match[1]!;
  return marker[0] === opener[0] && marker.length >= opener.length && text.slice(match[0].length).trim() === "";
}

/**
 * Splits the body into lines (CRLF tolerated) with HTML comments blanked out. Comments inside
 * fenced code stay (they are code there); an unclosed comment hides the rest, as GitHub renders it.
 */
function stripComments(body: string): string[] {
  const raw = body.split(/\r\n|\r|\n/);
  const out: string[] = [];
  let inComment = false;
  let fence: string | undefined;
  for (const line of raw) {
    if (inComment) {
      const close = line.indexOf("-->");
      if (close === -1) {
        out.push("");
        continue;
      }
      inComment = false;
      const rest = blankComments(line.slice(close + 3));
      inComment = rest.open;
      out.push(rest.text);
      continue;
    }
    if (fence !== undefined) {
      if (isFenceClose(line, fence)) fence = undefined;
      out.push(line);
      continue;
    }
    const open = FENCE.exec(line);
    if (open) {
      fence = open[1]!;
      out.push(line);
      continue;
    }
    const stripped = blankComments(line);
    inComment = stripped.open;
    out.push(stripped.text);
  }
  return out;
}

function blankComments(line: string): { text: string; open: boolean } {
  let text = "";
  let from = 0;
  for (;;) {
    const start = line.indexOf("<!--", from);
    if (start === -1) return { text: text + line.slice(from), open: false };
    text += line.slice(from, start);
    const end = line.indexOf("-->", start + 4);
    if (end === -1) return { text, open: true };
    from = end + 3;
  }
}
