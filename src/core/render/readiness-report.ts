// Renders a readiness verdict (or a config failure) into the check run's title, summary and annotations,
// within GitHub's limits: 65535 characters per summary, and at most 50 annotations (one request) per run.
import { stageTraffic } from "../config/stage-plan.js";
import { formatProblem, type ConfigProblem } from "../config/parse-config.js";
import { formatTrigger } from "../plan/parse-triggers.js";
import type { ReadinessVerdict } from "../rules/evaluate-readiness.js";
import type { Annotation, ReadinessItem } from "../rules/types.js";
import { LIMITS } from "../limits.js";
import { code, escapeCell, escapeProse, plainText, truncate, truncateMarkdown } from "./markdown.js";

export const CHECK_NAME = "Release readiness";
export const MAX_SUMMARY_CHARS = 65535;
export const MAX_TITLE_CHARS = 255;

export interface CheckReport {
  conclusion: "success" | "failure";
  title: string;
  summary: string;
  annotations: Annotation[];
}

const STATUS_ICON: Record<ReadinessItem["status"], string> = {
  pass: "✅ pass",
  fail: "❌ fail",
  "not-applicable": "➖ n/a",
};

export function renderReadinessReport(verdict: ReadinessVerdict, configSource: string): CheckReport {
  const failing = verdict.items.filter((i) => i.required && i.status === "fail");
  const advisory = verdict.items.filter((i) => !i.required && i.status === "fail");
  const title =
    failing.length === 0
      ? `Ready to release${advisory.length > 0 ? ` (${advisory.length} advisory)` : ""}`
      : `Not ready: ${failing.map((i) => i.title.toLowerCase()).join(", ")}`;
  const noted = verdict.titleNotes?.length ? `${title} — ${verdict.titleNotes.join("; ")}` : title;
  const rows = verdict.items.map(
    (item) =>
      `| ${escapeCell(item.title)}${item.required || item.status === "not-applicable" ? "" : " (advisory)"} | ${STATUS_ICON[item.status]} | ${escapeCell(item.reason)} | ${item.fix ? escapeCell(item.fix) : ""} |`,
  );
  const parts = [
    failing.length === 0
      ? "Every required item of the release plan holds."
      : `${failing.length} required item${failing.length > 1 ? "s" : ""} of the release plan ${failing.length > 1 ? "are" : "is"} missing. The PR description is re-read on every edit.`,
    "",
    "| Item | Status | Why | How to fix |",
    "| --- | --- | --- | --- |",
    ...rows,
  ];
  if (verdict.triggers.length > 0) {
    parts.push("", "**Rollback gates from the contract** (checked at every rollout stage):", "");
    parts.push(...verdict.triggers.map((t) => `- ${code(formatTrigger(t))} (line ${t.line})`));
  }
  if (verdict.stages.length > 0) {
    parts.push("", `**Rollout plan:** ${verdict.stages.map((s) => `${escapeProse(s.name)} ${escapeProse(stageTraffic(s))} / ${s.observe}`).join(" → ")}`);
  }
  for (const warning of verdict.warnings) parts.push("", `> ⚠️ ${escapeProse(warning)}`);
  const annotations = capAnnotations(verdict.annotations);
  if (annotations.omitted.length > 0) parts.push("", omittedNote(annotations));
  parts.push("", `<sub>Config: ${escapeProse(configSource)} · head ${verdict.headSha.slice(0, 7)}</sub>`);
  return {
    conclusion: verdict.conclusion,
    title: truncate(noted, MAX_TITLE_CHARS, "…"),
    summary: truncateMarkdown(parts.join("\n"), MAX_SUMMARY_CHARS),
    annotations: annotations.shown,
  };
}

export function renderConfigFailure(problems: readonly ConfigProblem[], repoFile: (file: string) => string | undefined): CheckReport {
  const first = problems[0];
  const title = first ? `Invalid config: ${formatProblem(first)}` : "Invalid config";
  const lines = [
    "Release Gate could not read its configuration, so readiness was not evaluated. Fix the file on the default branch, then re-run this check.",
    "",
    "| Where | Problem |",
    "| --- | --- |",
    ...problems.map((p) => `| ${escapeCell(code(`${p.file}:${p.line}:${p.column}`))} | ${escapeCell(p.key ? `${code(p.key)}: ${p.message}` : p.message)} |`),
    "",
    "The JSON Schema `docs/release-gate.schema.json` in the Release Gate repository gives editors completion and checks.",
  ];
  const annotations: Annotation[] = [];
  for (const p of problems) {
    const path = repoFile(p.file);
    if (path) annotations.push({ path, startLine: p.line, endLine: p.line, level: "failure", title: "Invalid Release Gate config", message: formatProblem(p) });
  }
  const capped = capAnnotations(annotations);
  if (capped.omitted.length > 0) lines.push("", omittedNote(capped));
  return {
    conclusion: "failure",
    title: truncate(title, MAX_TITLE_CHARS, "…"),
    summary: truncateMarkdown(lines.join("\n"), MAX_SUMMARY_CHARS),
    annotations: capped.shown,
  };
}

const LEVELS_BY_SEVERITY = ["failure", "warning", "notice"] as const;

export interface CappedAnnotations {
  /** The most severe first (in their original order within a level), at most the cap. */
  shown: Annotation[];
  omitted: Annotation[];
}

/**
 * Keeps a check run to one write: GitHub takes 50 annotations per request, and a 1 MB migration can
 * yield tens of thousands of findings (each further batch would be another write). Linear: one pass
 * per level, no sort over the whole list.
 */
export function capAnnotations(annotations: readonly Annotation[], max: number = LIMITS.annotations.max): CappedAnnotations {
  const ranked = LEVELS_BY_SEVERITY.flatMap((level) => annotations.filter((a) => a.level === level));
  // Annotations show their text raw: quote code spans here, for the shown ones only (the rest may be tens of thousands).
  const shown = ranked.slice(0, max).map((a) => ({ ...a, title: plainText(a.title), message: plainText(a.message) }));
  return { shown, omitted: ranked.slice(max) };
}

/** "…and 26,162 more findings in 1 file (26,161 failure, 1 warning) not annotated: a check run shows the 50 most severe." */
export function omittedNote({ shown, omitted }: CappedAnnotations): string {
  const files = new Set<string>();
  const counts = { failure: 0, warning: 0, notice: 0 };
  for (const a of omitted) {
    files.add(a.path);
    counts[a.level]++;
  }
  const levels = LEVELS_BY_SEVERITY.filter((level) => counts[level] > 0).map((level) => `${counts[level].toLocaleString("en-US")} ${level}`);
  const more = omitted.length.toLocaleString("en-US");
  return `> ℹ️ …and ${more} more finding${omitted.length === 1 ? "" : "s"} in ${files.size} file${files.size === 1 ? "" : "s"} (${levels.join(", ")}) not annotated: a check run shows the ${shown.length} most severe.`;
}

export const EVALUATION_ERROR_TITLE = "Not evaluated: GitHub API error";

/** Readiness could not be computed (GitHub kept failing after retries): fail closed and say so. */
export function renderEvaluationError(cause: string): CheckReport {
  const summary = [
    "Release Gate could not read this pull request from GitHub, so readiness was not evaluated and the check fails closed.",
    "It is re-evaluated on the next edit or push; **Re-run** this check to try now.",
    "",
    `Last error: ${code(cause, 500)}`,
  ].join("\n");
  return { conclusion: "failure", title: EVALUATION_ERROR_TITLE, summary, annotations: [] };
}
