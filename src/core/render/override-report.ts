// How an approved override shows on the readiness check (title and summary) and in the follow-up
// issues the app opens: the post-mortem every override owes, and the flag removal at 100%.
import type { OverrideApproval } from "../commands/override-policy.js";
import { overrideHolds } from "../commands/override-policy.js";
import { removalMarker, type ResolvedFlagType } from "../flags/flag-lifetime.js";
import type { ReleaseFlag } from "../plan/release-flag.js";
import { utcMinute } from "../time-text.js";
import { code, escapeProse, safeUrl, truncate, truncateMarkdown } from "./markdown.js";
import { MAX_SUMMARY_CHARS, MAX_TITLE_CHARS, type CheckReport } from "./readiness-report.js";

/**
 * The readiness report with an override applied: a failing check passes, and says so in its title
 * and at the top of its summary (the failing items stay listed). An approval for another SHA changes
 * nothing: it lapsed with the push.
 */
export function applyOverride(report: CheckReport, approval: OverrideApproval | null | undefined, headSha: string, postMortemUrl?: string): CheckReport {
  if (!overrideHolds(approval, headSha)) return report;
  const note = [
    `> **Override** for ${code(approval.sha.slice(0, 7))}: requested by ${escapeProse(approval.requestedBy)}, approved by ${escapeProse(approval.approvedBy)}.`,
    `> Reason: ${escapeProse(approval.reason)}`,
    `> ${report.conclusion === "failure" ? "The items below still fail; the check passes by this override only. " : ""}It lapses with the next push.${safeUrl(postMortemUrl) ? ` [Post-mortem issue](${safeUrl(postMortemUrl)})` : ""}`,
    "",
  ].join("\n");
  const title = report.conclusion === "failure" ? `Overridden by ${approval.approvedBy}: ${report.title}` : report.title;
  return {
    ...report,
    conclusion: "success",
    title: truncate(title, MAX_TITLE_CHARS, "…"),
    summary: truncateMarkdown(`${note}\n${report.summary}`, MAX_SUMMARY_CHARS),
  };
}

export interface IssueDraft {
  title: string;
  body: string;
  labels: string[];
}

interface PullRef {
  number: number;
  title: string;
}

const ISSUE_TITLE_MAX = 256;

export function renderPostMortemIssue(approval: OverrideApproval, pull: PullRef, labels: readonly string[]): IssueDraft {
  return {
    title: truncate(`Post-mortem: readiness override on #${pull.number} (${pull.title})`, ISSUE_TITLE_MAX, "…"),
    body: [
      `The readiness check of #${pull.number} was overridden for ${code(approval.sha.slice(0, 7))}.`,
      "",
      `- Requested by ${escapeProse(approval.requestedBy)} at ${escapeProse(approval.at)}`,
      `- Approved by ${escapeProse(approval.approvedBy)} at ${escapeProse(approval.approvedAt)}`,
      `- Reason: ${escapeProse(approval.reason)}`,
      "",
      "Every override owes a short post-mortem: why the release plan could not be completed, what the risk was, and what changes so the next release does not need an override.",
    ].join("\n"),
    labels: [...labels],
  };
}

/** What the flag's lifetime adds to its removal issue: its type, when it falls due, and the label it is found by. */
export interface FlagLifetimeTerms {
  type: ResolvedFlagType;
  /** `flags.max-lifetime` as written, e.g. "4w". */
  maxLifetime: string;
  /** ISO time the flag becomes overdue (now + max-lifetime). */
  dueAt: string;
  /** `flags.removal-label`. */
  label: string;
  overdueLabel: string;
}

export function renderFlagRemovalIssue(flag: ReleaseFlag, pull: PullRef, stage: { name: string; percent: number }, terms: FlagLifetimeTerms): IssueDraft {
  const { type } = terms;
  const why =
    type.source === "config"
      ? `config \`flags.types\` (${code(type.pattern ?? "")})`
      : type.source === "plan"
        ? `the plan, line ${type.line}`
        : "config `flags.default-type`";
  return {
    title: truncate(`Remove ${type.type} flag ${flag.name} (released in #${pull.number})`, ISSUE_TITLE_MAX, "…"),
    body: [
      `#${pull.number} reached ${escapeProse(stage.name)} (${stage.percent}%), so the flag ${code(flag.name)} named in its plan (line ${flag.line}) has done its job.`,
      "",
      "A flag that outlives its release is debt: remove the flag checks from the code, then delete the flag from the flag service.",
      "",
      `It is ${/^[aeiou]/.test(type.type) ? "an" : "a"} **${type.type} flag** (from ${why}), so it has a lifetime: remove it by **${utcMinute(terms.dueAt)}** (\`flags.max-lifetime\`: ${code(terms.maxLifetime)} after 100%). After that this issue gets the ${code(terms.overdueLabel)} label and one comment, and every new PR's readiness check names the flag until this issue is closed.`,
      "",
      removalMarker({ flag: flag.name, type: type.type, release: pull.number }),
    ].join("\n"),
    labels: [terms.label],
  };
}
