// Rule: a PR that changes migrations declares them backward compatible with the running version
// (seed 000: "DB migration that is compatible across both old and new app versions"), and the SQL
// it adds agrees: a breaking statement under that claim fails, with an annotation on its line.
import type { MigrationReport } from "../sql/analyse-migrations.js";
import type { SqlFinding } from "../sql/findings.js";
import { describeOverLimit } from "../limits.js";
import { overLimitsOf } from "./input-limits.js";
import { code } from "../render/markdown.js";
import { listPaths, matchingPaths } from "./match-paths.js";
import { exceptionsToAccept, type ExceptionAcceptance } from "./sql-exceptions.js";
import type { Annotation, ReadinessItem, Rule } from "./types.js";

const COMPATIBLE = /\b(?:backwards?[\s-]*compatible|expand\s*\/\s*contract|expand[\s-]+contract|expand\s+phase)\b/i;
const NO_MIGRATION = /\bno\s+(?:schema\s+)?migrations?\b/i;

export const schemaMigrationRule: Rule = ({ facts, plan, config }) => {
  const base = { id: "schema-migration", title: "Schema migration", required: true };
  const migrations = matchingPaths(facts.changedFiles, config.migrations.paths);
  if (migrations.length === 0) {
    return { items: [{ ...base, required: false, status: "not-applicable", reason: "No changed file matches the migration paths." }] };
  }
  const report = facts.migrationReport;
  const exceptions = exceptionsToAccept(report?.findings ?? [], config.migrations["fail-on-advisory"]);
  // Fail closed: exceptions nobody has been asked about yet are awaiting acceptance.
  const acceptance: ExceptionAcceptance =
    config.migrations.exceptions["accepted-by"] === "anyone"
      ? { kind: "comment-suffices" }
      : (facts.sqlExceptions ?? { kind: "awaiting", author: facts.author, headSha: facts.headSha });
  const accepted = acceptance.kind !== "awaiting";
  const pending = new Set(acceptance.kind === "awaiting" ? exceptions : []);
  const annotations = report ? report.findings.map((f) => toAnnotation(f, acceptance, pending.has(f))) : [];
  const titleNotes = exceptions.length > 0 ? [exceptionNote(exceptions.length, acceptance)] : [];
  const done = (item: ReadinessItem) => ({ items: [item], annotations, titleNotes });
  const files = listPaths(migrations);
  // A migration too large to read could hide anything: it fails, whatever the plan claims.
  const tooLarge = overLimitsOf(facts, "migrationFile", "migrationTotal");
  if (tooLarge.length > 0) {
    return done({
      ...base,
      status: "fail",
      reason: `Not analysed: ${tooLarge.map(describeOverLimit).join("; ")}.${breakingNote(report)}`,
      fix: "Split the migration into smaller files (or PRs); generated data belongs in a seed job, not a schema migration.",
    });
  }
  const heading = config.headings.migration[0];
  const section = plan.sections.migration;
  if (!section) {
    return done({
      ...base,
      status: "fail",
      reason: `Migrations changed (${files}) but the PR has no schema migration section.${breakingNote(report)}`,
      fix: `Add a \`## ${heading}\` section with a checked box: \`- [x] This migration is backward compatible with the running version (expand/contract)\`.`,
    });
  }
  const claim = section.checkboxes.find((box) => COMPATIBLE.test(box.label));
  const denial = section.checkboxes.find((box) => box.checked && NO_MIGRATION.test(box.label));
  if (denial && !claim?.checked) {
    return done({
      ...base,
      status: "fail",
      reason: `The plan says there is no schema migration, but ${files} changed.`,
      fix: "Uncheck \"no schema migration\" and declare the migration backward compatible, or move it to its own PR.",
    });
  }
  if (!claim?.checked) {
    return done({
      ...base,
      status: "fail",
      reason: `Migrations changed (${files}) without a checked backward-compatibility box.${breakingNote(report)}`,
      fix: "Check `This migration is backward compatible with the running version (expand/contract)` once the old version works against the new schema; otherwise split the change into expand and contract releases.",
    });
  }
  const active = report?.findings.filter((f) => !f.suppressed) ?? [];
  const breaking = active.filter((f) => f.class === "breaking");
  const advisory = config.migrations["fail-on-advisory"] ? active.filter((f) => f.class === "advisory") : [];
  if (breaking.length > 0 || advisory.length > 0) {
    const offending = [...breaking, ...advisory];
    return done({
      ...base,
      status: "fail",
      reason: `Declared backward compatible (line ${claim.line}), but the SQL disagrees: ${listFindings(offending)}.${accepted ? "" : awaitingNote(exceptions)}`,
      fix: "Follow the expand/contract alternative in each annotation (split the change across releases), or record an exception on the statement: `-- release-gate: allow <rule> because <reason>`.",
    });
  }
  if (acceptance.kind === "awaiting" && exceptions.length > 0) {
    return done({
      ...base,
      status: "fail",
      reason: `Declared backward compatible (line ${claim.line}), but ${exceptions.length === 1 ? "an SQL exception awaits" : `${exceptions.length} SQL exceptions await`} acceptance: ${listExceptions(exceptions)}.`,
      fix: `${whoMayAccept(acceptance)} accepts ${exceptions.length === 1 ? "it" : "them"} (\`migrations.exceptions.accepted-by: non-author-approval\`); or follow the expand/contract alternative in each annotation.`,
    });
  }
  return done({ ...base, status: "pass", reason: `Declared backward compatible (line ${claim.line}) for ${files}.${analysisNote(report, acceptance)}` });
};

function exceptionNote(count: number, acceptance: ExceptionAcceptance): string {
  const what = `${count} SQL exception${count === 1 ? "" : "s"}`;
  if (acceptance.kind === "accepted") return `${what} accepted by @${acceptance.by}`;
  if (acceptance.kind === "comment-suffices") return `${what} recorded (no acceptance required)`;
  return `${what} awaiting acceptance`;
}

function whoMayAccept(awaiting: Extract<ExceptionAcceptance, { kind: "awaiting" }>): string {
  return `An approving review of head ${awaiting.headSha.slice(0, 7)} from someone with write access other than the author (@${awaiting.author})`;
}

function awaitingNote(exceptions: readonly SqlFinding[]): string {
  return exceptions.length > 0 ? ` Awaiting acceptance: ${listExceptions(exceptions)}.` : "";
}

function listExceptions(exceptions: readonly SqlFinding[]): string {
  return exceptions.map((f) => `${code(f.rule)} at ${code(`${f.file}:${f.line}`)} (${f.suppressed?.reason})`).join(", ");
}

function toAnnotation(f: SqlFinding, acceptance: ExceptionAcceptance, awaiting: boolean): Annotation {
  const level = f.suppressed && !awaiting ? "notice" : f.class === "breaking" ? "failure" : "warning";
  const head = f.suppressed
    ? awaiting && acceptance.kind === "awaiting"
      ? `Exception awaiting acceptance (line ${f.suppressed.line}): ${f.suppressed.reason}. ${whoMayAccept(acceptance)} accepts it.`
      : `Recorded exception (line ${f.suppressed.line})${acceptance.kind === "accepted" ? `, accepted by @${acceptance.by} (review ${acceptance.reviewId})` : ""}: ${f.suppressed.reason}.`
    : f.class === "breaking"
      ? "Breaks the running version."
      : "Advisory.";
  // Concatenated, not joined: a 1 MB migration yields tens of thousands of findings, and `+` builds
  // each message as a cheap rope that is only flattened for the 50 annotations actually sent.
  let message = `${head} This statement ${f.detail}.\nWhy: ${f.why}\nSafe alternative: ${f.alternative}`;
  if (f.via === "tokens" && f.parserError) message += `\nMatched by keywords; the PostgreSQL parser rejected this statement: ${f.parserError}.`;
  if (f.rule === "edited-applied-migration") message += "\nOr, if this repository edits migrations before they run, set `migrations.rules.edited-applied-migration: advisory` in the default branch's config.";
  else if (!f.suppressed) message += `\nTo accept it deliberately: -- release-gate: allow ${f.rule} because <reason>`;
  return { path: f.file, startLine: f.line, endLine: f.endLine, level, title: `${f.rule}: ${f.title}`, message };
}

function listFindings(findings: readonly SqlFinding[], max = 3): string {
  // Paths come from the PR (a file name may hold a backtick): code() keeps them inside their span.
  const shown = findings.slice(0, max).map((f) => `${code(f.rule)} at ${code(`${f.file}:${f.line}`)}`);
  return findings.length > max ? `${shown.join(", ")} and ${findings.length - max} more` : shown.join(", ");
}

function breakingNote(report: MigrationReport | undefined): string {
  const breaking = report?.findings.filter((f) => !f.suppressed && f.class === "breaking") ?? [];
  return breaking.length > 0 ? ` The SQL also has breaking statements: ${listFindings(breaking)}.` : "";
}

function analysisNote(report: MigrationReport | undefined, acceptance: ExceptionAcceptance): string {
  if (!report) return "";
  const statements = report.analysed.reduce((n, f) => n + f.statements, 0);
  const advisories = report.findings.filter((f) => !f.suppressed && f.class === "advisory").length;
  const exceptions = report.findings.filter((f) => f.suppressed);
  const parts = [`SQL checked: ${statements} statement${statements === 1 ? "" : "s"} in ${report.analysed.length} file${report.analysed.length === 1 ? "" : "s"}`];
  if (advisories > 0) parts.push(`${advisories} advisor${advisories === 1 ? "y" : "ies"}`);
  if (exceptions.length > 0) {
    const by = acceptance.kind === "accepted" ? `, accepted by @${acceptance.by} (review ${acceptance.reviewId} of ${acceptance.submittedAt})` : "";
    parts.push(`recorded exceptions${by}: ${listExceptions(exceptions)}`);
  }
  if (report.skipped.length > 0) parts.push(`not analysed: ${report.skipped.map((s) => `${code(s.path)} (${s.reason})`).join(", ")}`);
  return ` ${parts.join("; ")}.`;
}
