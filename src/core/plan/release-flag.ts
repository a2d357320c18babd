// The release flag a plan names (seed 003: a flag that outlives its release is debt), so the app can
// open the flag-removal issue when the rollout reaches 100%.
import { TYPE_LINE } from "../flags/flag-type.js";
import { planFlagType, type PlanFlagType } from "../flags/flag-lifetime.js";
import { parsePlan, type ReleasePlan, type SectionHeadings } from "./parse-plan.js";
import { meaningfulLines } from "./template.js";

export interface ReleaseFlag {
  name: string;
  /** 1-based line in the PR body. */
  line: number;
}

const FLAG_NAME = /^[\p{L}\p{N}][\p{L}\p{N}_.:/-]{0,99}$/u;

/**
 * The flag named in the plan's release-flag section: the first inline code span (`new-checkout`),
 * else the word after a label ("Flag: new-checkout"), else a line that is a single flag-like word.
 * Template text and filler ("Flag: none", "n/a") name no flag.
 */
export function releaseFlag(plan: ReleasePlan): ReleaseFlag | null {
  const section = plan.sections.flag;
  if (!section) return null;
  for (const { line, text } of meaningfulLines(section)) {
    // "Type: ops" says what kind of flag it is, not which.
    if (TYPE_LINE.test(text)) continue;
    const name = flagIn(text);
    if (name) return { name, line };
  }
  return null;
}

export function releaseFlagFromBody(body: string | null | undefined, headings: SectionHeadings): ReleaseFlag | null {
  return releaseFlag(parsePlan(body, { flag: headings.flag ?? [] }));
}

/** The type the flag section states ("Type: ops", "an experiment flag"), from the author's own lines only. */
export function releaseFlagTypeFromBody(body: string | null | undefined, headings: SectionHeadings): PlanFlagType | null {
  const section = parsePlan(body, { flag: headings.flag ?? [] }).sections.flag;
  return section ? planFlagType(meaningfulLines(section)) : null;
}

function flagIn(text: string): string | null {
  const span = /`([^`\r\n]{1,100})`/.exec(text);
  if (span) {
    const name = span[1]!.trim();
    return FLAG_NAME.test(name) ? name : null;
  }
  const bare = text
    .slice(0, 300)
    .replace(/^\s*(?:>\s*)*(?:[-*+]|\d{1,9}[.)])?\s*/, "")
    .replace(/^[\p{L} ]{1,40}:\s*/u, "")
    .replace(/^[*_]+|[*_]+$/g, "")
    .trim();
  const word = bare.split(/\s+/)[0] ?? "";
  return bare === word && FLAG_NAME.test(word) ? word : null;
}
