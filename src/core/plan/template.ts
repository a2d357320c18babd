// The PR template users copy to `.github/pull_request_template.md` (generated from this constant),
// and the test for "left as the template": a line that still reads as the template says nothing.
import { parsePlan, type PlanLine, type PlanSection, type SectionHeadings, type SectionKey } from "./parse-plan.js";

export const PR_TEMPLATE = `## Summary
<!-- What changes, and why. -->

## Rollback contract
<!--
Required on every PR. Two things:
  Procedure: how this is undone (turn off a feature flag, redeploy the previous release, or revert).
  Triggers:  the numbers that make us roll back. Each needs a metric, a comparison and a number;
             they become the rollout's automatic rollback gates.
Example:
  Procedure: turn off the \`new-checkout\` flag; if that is not enough, redeploy the previous release.
  Triggers: error rate > 1% for 5m; p99 latency > 2x baseline; 5xx > 0.5%
-->
Procedure:
Triggers:

## Schema migration
<!--
Required when this PR changes migration files. The running version must keep working against the
new schema (expand/contract): add before you use, stop using before you drop.
-->
- [ ] This migration is backward compatible with the running version (expand/contract)
- [ ] This PR has no schema migration

## Communication
<!--
Required when the change is user-visible (label \`user-facing\`, or a \`feat:\` title).
Say what changes, for whom, and who is told: customers, support, internal teams.
-->
Audience:
What changes:

## Release flag
<!--
Optional. The feature flag that hides this change until it is released, e.g. \`new-checkout\`.
When the rollout reaches 100%, Release Gate opens an issue to remove the flag, due within
flags.max-lifetime (default 4 weeks). Add "Type: experiment", "Type: ops" (a kill switch, kept) or
"Type: permission" (kept for good) when it is not a release flag; ops and permission flags get no issue.
-->
Flag:
`;

const TEMPLATE_HEADINGS: SectionHeadings = {
  rollback: ["Rollback contract"],
  migration: ["Schema migration"],
  communication: ["Communication"],
  flag: ["Release flag"],
};

/** Words that stand in for content without giving any. */
const FILLER = new Set(["todo", "tbd", "tba", "...", "…", "-", "*", "n/a", "na", "none", "wip", "xxx", "?", "fill me in"]);

let templateLines: Record<SectionKey, Set<string>> | undefined;

function templateLinesFor(key: SectionKey): Set<string> {
  if (!templateLines) {
    const plan = parsePlan(PR_TEMPLATE, TEMPLATE_HEADINGS);
    const collect = (k: SectionKey) => new Set((plan.sections[k]?.lines ?? []).map((l) => normalizeLine(l.text)).filter(Boolean));
    templateLines = {
      rollback: collect("rollback"),
      migration: collect("migration"),
      communication: collect("communication"),
      flag: collect("flag"),
    };
  }
  return templateLines[key];
}

function normalizeLine(text: string): string {
  return text
    .slice(0, 500)
    .replace(/^\s*(?:>\s*)*(?:[-*+]|\d{1,9}[.)])?\s*/, "")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();
}

/** Lines of a section that carry the author's own words: not blank, not template, not filler. */
export function meaningfulLines(section: PlanSection): PlanLine[] {
  const template = templateLinesFor(section.key);
  return section.lines.filter((line) => {
    const normalized = normalizeLine(line.text);
    if (normalized === "" || template.has(normalized)) return false;
    // "Procedure: TODO" is the template label plus filler.
    const withoutLabel = normalized.replace(/^[\p{L} ]{1,40}:\s*/u, "");
    return !FILLER.has(normalized) && !FILLER.has(withoutLabel) && withoutLabel !== "";
  });
}
