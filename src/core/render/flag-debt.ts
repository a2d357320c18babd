// Where overdue flags are shown: a notice on every PR's readiness check (the check's conclusion is
// untouched: the debt is the repo's, not this PR's), the one comment on a removal issue when its flag
// falls overdue, and the scheduled run's job summary listing every flag that owes a removal.
import type { FlagDebt, TrackedFlag } from "../flags/flag-lifetime.js";
import { formatSpan } from "../flags/flag-lifetime.js";
import { utcMinute } from "../time-text.js";
import { code, escapeCell, safeUrl, truncate, truncateMarkdown } from "./markdown.js";
import { MAX_SUMMARY_CHARS, MAX_TITLE_CHARS, type CheckReport } from "./readiness-report.js";

/** Flags named one by one in a check summary; the rest are counted. */
const NAMED_IN_CHECK = 10;

function flagName(flag: TrackedFlag): string {
  return flag.flag ? code(flag.flag) : `the flag of #${flag.issue}`;
}

function issueLink(flag: TrackedFlag): string {
  const url = safeUrl(flag.url);
  return url ? `[#${flag.issue}](${url})` : `#${flag.issue}`;
}

/** The readiness report with the repo's overdue flags named in its title and at the top of its summary. */
export function withFlagDebtNotice(report: CheckReport, debt: FlagDebt, maxLifetime: string): CheckReport {
  const overdue = debt.overdue;
  if (overdue.length === 0) return report;
  const shown = overdue.slice(0, NAMED_IN_CHECK);
  const lines = [
    `> ⚠️ **Flag debt:** ${overdue.length} flag${overdue.length === 1 ? " is" : "s are"} past ${code(`flags.max-lifetime`)} (${code(maxLifetime)} after 100%) in this repository. This PR's verdict does not depend on it; removing them is due work:`,
    ...shown.map((f) => `> - ${flagName(f)} (${f.type}): at 100% since ${utcMinute(f.fullAt)}, overdue by ${formatSpan(f.overdueByMs)}; ${issueLink(f)}`),
    ...(overdue.length > shown.length ? [`> - …and ${overdue.length - shown.length} more (issues labelled as overdue)`] : []),
    "",
  ];
  const names = shown.map((f) => f.flag ?? `#${f.issue}`);
  const note = overdue.length === 1 ? `1 overdue flag: ${names[0]}` : `${overdue.length} overdue flags`;
  return {
    ...report,
    title: truncate(`${report.title} — ${note}`, MAX_TITLE_CHARS, "…"),
    summary: truncateMarkdown(`${lines.join("\n")}\n${report.summary}`, MAX_SUMMARY_CHARS),
  };
}

/** The one comment a removal issue gets when its flag falls overdue. */
export function renderOverdueComment(flag: TrackedFlag, terms: { maxLifetime: string; overdueLabel: string }): string {
  return [
    `⏰ ${flag.flag ? `The ${flag.type} flag ${code(flag.flag)}` : "This flag"} is overdue: its rollout reached 100% at ${utcMinute(flag.fullAt)} (when this issue was opened), and ${code("flags.max-lifetime")} is ${code(terms.maxLifetime)}, so it was due by ${utcMinute(flag.dueAt)}.`,
    "",
    `This issue is labelled ${code(terms.overdueLabel)}, and every new pull request's \`Release readiness\` check names the flag until this issue is closed. Remove the flag checks from the code and delete the flag from the flag service, then close this issue.`,
  ].join("\n");
}

/** The job summary of a scheduled run: every flag that owes a removal, overdue ones first. */
export function renderFlagDebtSummary(debt: FlagDebt, terms: { repo: string; maxLifetime: string; now: number; escalated: readonly number[] }): string {
  const head = `## Flag debt in ${terms.repo}`;
  const policy = `Release and experiment flags must be removed within ${code(terms.maxLifetime)} of reaching 100% (${code("flags.max-lifetime")}); ops and permission flags have no lifetime and get no removal issue.`;
  if (debt.flags.length === 0) {
    return truncateMarkdown([head, "", policy, "", "No open flag-removal issue: no flag owes a removal."].join("\n"), MAX_SUMMARY_CHARS);
  }
  const rows = debt.flags.map((f) => {
    const state = f.overdue
      ? `❌ overdue by ${formatSpan(f.overdueByMs)}${terms.escalated.includes(f.issue) ? " (escalated now)" : f.labelled ? "" : " (escalation pending)"}`
      : `✅ ${formatSpan(-f.overdueByMs)} left`;
    return `| ${f.flag ? escapeCell(code(f.flag)) : "?"} | ${f.type} | ${issueLink(f)} | ${f.release ? `#${f.release}` : ""} | ${utcMinute(f.fullAt)} | ${utcMinute(f.dueAt)} | ${state} |`;
  });
  const parts = [
    head,
    "",
    `**${debt.overdue.length} overdue** of ${debt.flags.length} flag${debt.flags.length === 1 ? "" : "s"} that owe a removal (checked ${utcMinute(new Date(terms.now).toISOString())}).`,
    "",
    policy,
    "",
    "| Flag | Type | Issue | Released in | At 100% since | Due | State |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
  ];
  if (debt.truncated) parts.push("", "> ℹ️ Only the 100 oldest open removal issues were read; close the ones whose flags are gone.");
  if (debt.ignored.length > 0) {
    parts.push("", `Ignored (labelled, but not opened by Release Gate, so their dates prove nothing): ${debt.ignored.map((i) => `#${i.issue}`).join(", ")}.`);
  }
  return truncateMarkdown(parts.join("\n"), MAX_SUMMARY_CHARS);
}
