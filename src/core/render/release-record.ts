// The record of a release that reached 100% after its verify window: the body of the GitHub Release
// (or of the release-note comment on the PR when the repository publishes no releases), so the
// rollout log sits where people already look. User text (titles, logins, descriptions) is escaped.
import type { RolloutState } from "../rollout/types.js";
import { code, escapeCell, escapeProse, safeUrl, truncate, truncateMarkdown } from "./markdown.js";

/** GitHub refuses release bodies over 125,000 characters; comments over 65,536. */
export const MAX_RECORD_CHARS = 60_000;
/** Finds the note again (one per release): a hidden marker with the PR number. */
export function releaseRecordMarker(pullNumber: number): string {
  return `<!-- release-gate:release-record pr-${pullNumber} -->`;
}

export interface ReleaseRecordInput {
  pull: { number: number; title: string };
  environment: string;
  sha: string;
  rollout: RolloutState;
  /** An approved override on the released head, when there was one. */
  override?: { approver: string; requester: string; issue: number };
  statusCommentUrl?: string;
}

export interface ReleaseRecord {
  tag: string;
  name: string;
  body: string;
}

/** A tag per released PR: stable, so a second attempt names the same tag and GitHub refuses a duplicate. */
export function releaseTag(pullNumber: number): string {
  return `release-gate/pr-${pullNumber}`;
}

export function renderReleaseRecord(input: ReleaseRecordInput): ReleaseRecord {
  const { pull, rollout } = input;
  const final = rollout.stages.at(-1);
  const stageRows = rollout.stages.map(
    (s) => `| ${escapeCell(s.name)} | ${s.percent}% | ${escapeCell(s.observe)} | ${s.phase} | ${escapeCell(s.by ?? "–")} | ${s.startedAt ?? "–"} | ${s.finishedAt ?? "–"} |`,
  );
  const log = rollout.timeline
    .filter((e) => e.state !== "pending" || e.description === "created")
    .map((e) => `| ${e.at} | ${escapeCell(e.stage)} | ${e.percent}% | ${e.state} | ${escapeCell(e.by ?? "–")} | ${escapeCell(e.description ?? "")} |`);
  const lines = [
    releaseRecordMarker(pull.number),
    `Released #${pull.number} to ${code(input.environment)} at ${code(input.sha.slice(0, 12))}: ${final ? `${escapeProse(final.name)} (${final.percent}%) succeeded after its ${escapeProse(final.observe)} verify window` : "complete"}${final?.finishedAt ? ` on ${final.finishedAt}` : ""}.`,
    "",
    input.override
      ? `> Released under an override: requested by ${escapeProse(input.override.requester)}, approved by ${escapeProse(input.override.approver)}; post-mortem #${input.override.issue}.\n`
      : "",
    "### Stages",
    "",
    "| stage | traffic | window | result | advanced by | started | succeeded |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...stageRows,
    "",
    "### Rollout log",
    "",
    "| when | stage | traffic | state | by | description |",
    "| --- | --- | --- | --- | --- | --- |",
    ...log,
    "",
    safeUrl(input.statusCommentUrl) ? `Status comment: ${safeUrl(input.statusCommentUrl)}` : "",
    `Recorded by Release Gate from the deployments and statuses of ${code(input.environment)}.`,
  ];
  return {
    tag: releaseTag(pull.number),
    name: truncate(`#${pull.number} ${pull.title.replace(/\s+/g, " ").trim()}`, 200, "…"),
    body: truncateMarkdown(lines.filter((l, i) => l !== "" || lines[i - 1] !== "").join("\n"), MAX_RECORD_CHARS),
  };
}
