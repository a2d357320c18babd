// Whether the release plan changed after the last approval, from records only the app writes: its
// own check run's summary ends with a marker holding a digest of the parsed plan sections and when the
// app first saw that plan on this head. The PR body is input anyone with write access can edit.
import { truncate } from "../render/markdown.js";
import { MAX_SUMMARY_CHARS, MAX_TITLE_CHARS, type CheckReport } from "../render/readiness-report.js";
import type { ReviewFact } from "../rules/sql-exceptions.js";
import type { ReleasePlan, SectionKey } from "./parse-plan.js";

export interface PlanRecord {
  /** sha256 (hex) of the canonical plan text. */
  digest: string;
  /** The PR's `updated_at` when the app first saw this plan differ from the previous one on this head; empty when it never changed here. */
  changedAt: string;
}

const ORDER: readonly SectionKey[] = ["rollback", "migration", "communication", "flag"];
// A visible footer line (the summary carries no other HTML than <sub>): the digest and when it changed here.
const MARKER = /<sub>Release plan sha256 ([0-9a-f]{64}) · changed on this head: (\S+)<\/sub>\s*$/;

/** What the digest covers: each section's heading and non-blank content lines, whitespace collapsed (whitespace-only edits do not count). */
export function canonicalPlanText(plan: ReleasePlan): string {
  return ORDER.map((key) => {
    const section = plan.sections[key];
    if (!section) return `${key}: absent`;
    const lines = section.lines.map((l) => l.text.replace(/\s+/g, " ").trim()).filter((t) => t.length > 0);
    return [`${key}: ${section.heading.trim()}`, ...lines].join("\n");
  }).join("\n\n");
}

/** The record in a summary this app wrote (the last marker: user text is escaped, so it cannot end one). */
export function readPlanRecord(summary: string | undefined): PlanRecord | undefined {
  const match = summary ? MARKER.exec(summary) : null;
  return match ? { digest: match[1] as string, changedAt: match[2] === "no" ? "" : (match[2] as string) } : undefined;
}

export function planRecordMarker(record: PlanRecord): string {
  return `<sub>Release plan sha256 ${record.digest} · changed on this head: ${record.changedAt || "no"}</sub>`;
}

/**
 * The record to write now: the plan changed on this head when a previous record of it holds another
 * digest (then at `updatedAt`, the PR's `updated_at` that carried the edit). Without a previous record
 * (a new head) nothing is known to have changed.
 */
export function nextPlanRecord(previous: PlanRecord | undefined, digest: string, updatedAt: string): PlanRecord {
  if (!previous) return { digest, changedAt: "" };
  if (previous.digest === digest) return previous;
  return { digest, changedAt: updatedAt };
}

export type PlanChange = { kind: "unchanged" } | { kind: "changed-after-approval"; by: string; approvedAt: string; changedAt: string };

/** The latest approval (each person's latest deciding review, not the author's) predates the plan's last change. */
export function planChangeSinceApproval(record: PlanRecord, reviews: readonly ReviewFact[], author: string): PlanChange {
  if (!record.changedAt) return { kind: "unchanged" };
  const latest = new Map<string, ReviewFact>();
  for (const r of reviews) {
    if (r.state === "COMMENTED" || r.state === "PENDING" || !r.submittedAt) continue;
    const before = latest.get(r.login.toLowerCase());
    if (!before || Date.parse(r.submittedAt) >= Date.parse(before.submittedAt ?? "")) latest.set(r.login.toLowerCase(), r);
  }
  const approvals = [...latest.values()]
    .filter((r) => r.state === "APPROVED" && r.login.toLowerCase() !== author.toLowerCase())
    .sort((a, b) => Date.parse(b.submittedAt ?? "") - Date.parse(a.submittedAt ?? ""));
  const last = approvals[0];
  if (!last?.submittedAt || Date.parse(last.submittedAt) >= Date.parse(record.changedAt)) return { kind: "unchanged" };
  return { kind: "changed-after-approval", by: last.login, approvedAt: last.submittedAt, changedAt: record.changedAt };
}

/** Adds the notice (when the plan changed after the last approval) and the record to a rendered report. */
export function withPlanRecord(report: CheckReport, record: PlanRecord, change: PlanChange): CheckReport {
  const marker = `\n\n${planRecordMarker(record)}`;
  if (change.kind === "unchanged") return { ...report, summary: `${truncate(report.summary, MAX_SUMMARY_CHARS - marker.length)}${marker}` };
  const notice = `\n\n> ⚠️ The release plan changed after the last approval (\`@${change.by}\`, ${change.approvedAt}); ask for a fresh review. Changed at ${change.changedAt}.`;
  return {
    ...report,
    title: truncate(`${report.title} — release plan changed after the last approval`, MAX_TITLE_CHARS, "…"),
    summary: `${truncate(report.summary, MAX_SUMMARY_CHARS - marker.length - notice.length)}${notice}${marker}`,
  };
}
