// An approved override on the `Release readiness` check: the run passes, and says so in its title and
// summary. The override is bound to the head SHA because a check run is: a new push gets a new run.
import type { CheckReport } from "./readiness-report.js";
import { MAX_SUMMARY_CHARS, MAX_TITLE_CHARS } from "./readiness-report.js";
import { truncate } from "./markdown.js";

export interface ApprovedOverride {
  approver: string;
  requester: string;
  /** The follow-up post-mortem issue. */
  issue: number;
}

const TITLE_PREFIX = "Override approved";
const SUMMARY_MARK = "<!-- release-gate:override -->";

/** The report with the override applied; re-applying it to an already overridden report changes nothing. */
export function applyOverride(report: Pick<CheckReport, "title" | "summary"> & Partial<CheckReport>, override: ApprovedOverride, headSha: string): CheckReport {
  const baseTitle = stripOverride(report.title);
  const baseSummary = report.summary.includes(SUMMARY_MARK) ? report.summary.slice(report.summary.indexOf(SUMMARY_MARK) + SUMMARY_MARK.length).replace(/^\n+/, "") : report.summary;
  const note = [
    `> ⚠️ **Override approved by @${override.approver}**, requested by @${override.requester}, for head ${headSha.slice(0, 7)} only (a new push needs a new verdict).`,
    `> The release plan below is not complete; the post-mortem this override owes is tracked in #${override.issue}.`,
    "",
    SUMMARY_MARK,
    "",
  ].join("\n");
  return {
    conclusion: "success",
    title: truncate(`${TITLE_PREFIX} by ${override.approver}: ${baseTitle}`, MAX_TITLE_CHARS, "…"),
    summary: truncate(note + baseSummary, MAX_SUMMARY_CHARS),
    annotations: report.annotations ?? [],
  };
}

function stripOverride(title: string): string {
  if (!title.startsWith(TITLE_PREFIX)) return title;
  const colon = title.indexOf(": ");
  return colon === -1 ? title : title.slice(colon + 2);
}
