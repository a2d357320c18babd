// Renders a merge group's verdict into the `Release readiness` run on the group's head: one row per
// PR (verdict and link), the conflicts of the combined migrations, and which PR to pull from the queue.
import { LIMITS } from "../limits.js";
import type { GroupConflict, GroupProblem, GroupPull, GroupVerdict } from "../rules/merge-group.js";
import type { Annotation } from "../rules/types.js";
import { code, escapeCell, escapeProse, safeUrl, truncate, truncateMarkdown } from "./markdown.js";
import { capAnnotations, MAX_SUMMARY_CHARS, MAX_TITLE_CHARS, omittedNote, type CheckReport } from "./readiness-report.js";

export interface GroupRef {
  baseSha: string;
  headSha: string;
  /** The queue branch, e.g. `gh-readonly-queue/main/pr-12-<sha>`. */
  headRef: string;
}

const ICON: Record<GroupPull["verdict"]["kind"], string> = {
  ready: "✅ ready",
  overridden: "✅ overridden",
  "not-ready": "❌ not ready",
  "not-open": "❌ not open",
};

const pullRef = (n: number) => `#${n}`;

export function renderMergeGroupReport(verdict: GroupVerdict, group: GroupRef, configSource: string): CheckReport {
  const count = `${verdict.pulls.length} PR${verdict.pulls.length === 1 ? "" : "s"}`;
  const title =
    verdict.kind === "ready"
      ? `Merge group ready: ${count}`
      : verdict.toPull.length > 0
        ? `Merge group not ready: pull ${verdict.toPull.map(pullRef).join(", ")} from the queue`
        : "Merge group not ready: it could not be judged in full";
  const parts = [
    verdict.kind === "ready"
      ? `Every PR of this merge group is ready, and their migrations pass when run together.`
      : `This merge group cannot merge as it is.${verdict.toPull.length > 0 ? ` **Remove ${verdict.toPull.map(pullRef).join(", ")} from the merge queue**; GitHub then rebuilds the group from the others.` : ""}`,
    "",
    "| PR | Verdict | Why |",
    "| --- | --- | --- |",
    ...verdict.pulls.map(pullRow),
  ];
  const annotations: Annotation[] = [];
  if (verdict.kind === "not-ready") {
    if (verdict.conflicts.length > 0) {
      parts.push("", `**Combined migrations:** ${verdict.conflicts.length} statement${verdict.conflicts.length === 1 ? " fails" : "s fail"} only when the group's migrations run together, in migration order:`, "");
      parts.push(...verdict.conflicts.slice(0, 20).map(conflictLine));
      if (verdict.conflicts.length > 20) parts.push(`- … and ${verdict.conflicts.length - 20} more (see the annotations)`);
      annotations.push(...verdict.conflicts.map(toAnnotation));
    }
    for (const problem of verdict.problems) parts.push("", `> ⚠️ ${describeProblem(problem)}`);
  }
  const capped = capAnnotations(annotations, LIMITS.annotations.max);
  if (capped.omitted.length > 0) parts.push("", omittedNote(capped));
  parts.push("", `<sub>Config: ${escapeProse(configSource)} · merge group ${group.baseSha.slice(0, 7)}..${group.headSha.slice(0, 7)} (${code(group.headRef)})</sub>`);
  return {
    conclusion: verdict.kind === "ready" ? "success" : "failure",
    title: truncate(title, MAX_TITLE_CHARS, "…"),
    summary: truncateMarkdown(parts.join("\n"), MAX_SUMMARY_CHARS),
    annotations: capped.shown,
  };
}

function pullRow(pull: GroupPull): string {
  const url = safeUrl(pull.url);
  const name = url ? `[${pullRef(pull.number)}](${url})` : pullRef(pull.number);
  const v = pull.verdict;
  const why =
    v.kind === "not-open"
      ? `the PR is ${v.state}`
      : v.kind === "overridden"
        ? `${v.title}; override approved by @${v.approver}`
        : v.title;
  return `| ${name} ${escapeCell(pull.title)} | ${ICON[v.kind]} | ${escapeCell(why)} |`;
}

function conflictLine({ finding: f, pull }: GroupConflict): string {
  return `- ${code(`${f.file}:${f.line}`)} ${code(f.rule)}: ${escapeProse(f.detail)}${pull !== undefined ? ` (from ${pullRef(pull)})` : ""}`;
}

function toAnnotation({ finding: f, pull }: GroupConflict): Annotation {
  return {
    path: f.file,
    startLine: f.line,
    endLine: f.endLine,
    level: "failure",
    title: `${f.rule}: ${f.title} (merge group)`,
    message: `Fails only with the other migrations of the merge group${pull !== undefined ? ` (from #${pull})` : ""}: this statement ${f.detail}.\nWhy: ${f.why}\nSafe alternative: ${f.alternative}`,
  };
}

function describeProblem(problem: GroupProblem): string {
  switch (problem.kind) {
    case "unattributed-commits":
      return problem.shas.length > 0
        ? `No pull request accounts for ${problem.shas.length === 1 ? "commit" : "commits"} ${problem.shas.slice(0, 5).map((s) => code(s.slice(0, 7))).join(", ")}: the app cannot vouch for changes it cannot judge.`
        : "No pull request of this merge group was found: the app cannot vouch for changes it cannot judge.";
    case "too-many-commits":
      return `The group has ${problem.commits} commits; the app looks up the PRs of at most ${problem.max} (cap), so it cannot name every PR.`;
    case "too-many-pulls":
      return `The group has ${problem.pulls} PRs; the app judges at most ${problem.max} per group (cap). Queue smaller groups (the queue's maximum group size).`;
    case "files-truncated":
      return `GitHub lists only the first ${problem.listed} changed files of the group; its migrations cannot be analysed together in full.`;
    case "migrations-unreadable":
      return `Migration files that could not be read at the group's head: ${problem.paths.slice(0, 5).map((p) => code(p)).join(", ")}.`;
  }
}
