// Reads a unified diff (the `patch` GitHub lists per PR file): which head lines it adds, and their
// text, so a newly added migration needs no extra read; and where the first change is, to point at it.

export interface PatchLines {
  /** 1-based head-file line numbers the patch adds. */
  added: Set<number>;
  /** Text of each added line, by head line number. */
  text: Map<number, string>;
}

const HUNK = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

export function readPatch(patch: string): PatchLines {
  const added = new Set<number>();
  const text = new Map<number, string>();
  let line = 0;
  for (const raw of patch.split("\n")) {
    const hunk = HUNK.exec(raw);
    if (hunk) {
      line = Number(hunk[1]);
      continue;
    }
    if (line === 0) continue;
    const mark = raw[0];
    if (mark === "+") {
      added.add(line);
      text.set(line, raw.slice(1).replace(/\r$/, ""));
      line++;
    } else if (mark === " " || raw === "") {
      line++;
    }
    // "-" lines exist only in the base; "\" is "No newline at end of file".
  }
  return { added, text };
}

/**
 * The whole head file when the patch adds every line of it (a new file whose patch GitHub did not
 * truncate: as many added lines as the file listing says, numbered 1..n), else undefined.
 */
export function fileFromPatch(lines: PatchLines, additions: number): string | undefined {
  if (lines.added.size !== additions || additions === 0) return undefined;
  const out: string[] = [];
  for (let l = 1; l <= additions; l++) {
    const t = lines.text.get(l);
    if (t === undefined) return undefined;
    out.push(t);
  }
  return `${out.join("\n")}\n`;
}

/**
 * The head line at the first added or deleted line (a deletion points at the line that now follows
 * it), for an annotation on an edit; undefined when the patch changes no line.
 */
export function firstChangedLine(patch: string): number | undefined {
  let line: number | undefined;
  for (const raw of patch.split("\n")) {
    const hunk = HUNK.exec(raw);
    if (hunk) {
      line = Number(hunk[1]);
      continue;
    }
    if (line === undefined) continue;
    const mark = raw[0];
    // A hunk that empties the file starts at `+0`.
    if (mark === "+" || mark === "-") return Math.max(1, line);
    if (mark === " " || raw === "") line++;
  }
  return undefined;
}
