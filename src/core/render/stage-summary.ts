// The job summary of one stage run by the Action: the rollout so far as a table, each gate's
// readings, what the rollback contract added, and a Mermaid timeline, so people look instead of
// reading logs.
import type { AppliedTrigger, UnappliedTrigger } from "../gates/apply-triggers.js";
import { formatDuration } from "../gates/duration.js";
import { compareVerdict, judgeParams, shadowNote, undecidedDetail, type CompareWatch } from "../gates/watch-compare.js";
import { fmt, gateVerdict, type GateWatch } from "../gates/watch-gates.js";
import { formatTrigger } from "../plan/parse-triggers.js";
import { code, escapeCell, escapeMessage, escapeProse } from "./markdown.js";

export type StageVerdictName = "success" | "failure" | "inconclusive" | "started" | "dry-run" | "observing" | "none";

export interface RolloutRow {
  stage: string;
  percent: number;
  state: string;
  startedAt?: string;
  endedAt?: string;
  deploymentId?: number;
}

export interface StageReport {
  stage: string;
  percent: number;
  environment: string;
  release?: number;
  sha: string;
  deploymentId?: number;
  dryRun: boolean;
  startedAt: string;
  endedAt?: string;
  verdict: StageVerdictName;
  reason: string;
  watches: GateWatch[];
  /** Compare gates (canary vs baseline) and their evidence. */
  compares?: CompareWatch[];
  applied: AppliedTrigger[];
  unapplied: UnappliedTrigger[];
  /** Earlier stages of the same release, oldest first, as the environment's deployments record them. */
  earlier: RolloutRow[];
  rollback?: {
    ok: boolean;
    ref?: string;
    deploymentId?: number;
    seconds?: number;
    /** What `seconds` spans; "from breach detected to rollback success" when not said. */
    span?: string;
    detail: string;
    at: string;
  };
  /** Where the gates came from (core/gates/gate-source.ts describeGateSource). */
  gateSource?: string;
  /** Records of the environment's history left out because no trusted identity wrote them, one line each. */
  ignored?: string[];
  /** A window watched across runs: where this run stands in it. */
  window?: { start: string; ms: number; phase: "active" | "soak" | "over"; runs: number };
}

const ICON: Record<StageVerdictName, string> = { success: "✅", failure: "❌", inconclusive: "⚠️", started: "▶️", "dry-run": "🧪", observing: "⏳", none: "➖" };
const MAX_TIMELINE_SAMPLES = 24;

export function renderStageSummary(report: StageReport): string {
  const out: string[] = [];
  const title = `${report.stage} (${fmt(report.percent)}%) in ${report.environment}`;
  out.push(`### ${ICON[report.verdict]} Release Gate: ${escapeProse(title)}: ${report.verdict}${report.dryRun ? " (dry run)" : ""}`, "");
  out.push(escapeMessage(report.reason), "");
  if (report.gateSource) out.push(`Gates: ${escapeMessage(report.gateSource)}`, "");

  out.push("| stage | percent | start | end | verdict | gate values |", "| --- | --- | --- | --- | --- | --- |");
  for (const row of report.earlier) {
    out.push(`| ${escapeProse(row.stage)} | ${fmt(row.percent)}% | ${time(row.startedAt)} | ${time(row.endedAt)} | ${escapeProse(row.state)} | |`);
  }
  const values = [
    ...report.watches.map((w) => `${w.gate.name} ${lastValue(w)}`),
    ...(report.compares ?? []).map((c) => `${c.gate.name} ratio ${c.judgement?.estimate != null ? fmt(c.judgement.estimate) : "–"}`),
  ].join(", ");
  out.push(`| **${escapeProse(report.stage)}** | ${fmt(report.percent)}% | ${time(report.startedAt)} | ${time(report.endedAt)} | ${ICON[report.verdict]} ${report.verdict} | ${escapeCell(values || "no gates")} |`, "");

  if (report.window) {
    const w = report.window;
    const end = new Date(Date.parse(w.start) + w.ms).toISOString();
    const phase = w.phase === "active" ? "active phase: a sample every interval" : w.phase === "soak" ? "soak: one check per scheduled run" : "the window is over: last check";
    out.push(`**Window**: ${formatDuration(w.ms)} from ${time(w.start)} to ${time(end)}; run ${w.runs} (${phase}). Counts include every earlier run's samples.`, "");
  }

  if (report.watches.length > 0) {
    out.push("| gate | bounds | judged / taken | min | max | last | breaches (limit) | verdict |", "| --- | --- | --- | --- | --- | --- | --- | --- |");
    for (const watch of report.watches) {
      const nums = watch.samples.flatMap((s) => (s.reading.kind === "value" ? [s.reading.value] : []));
      const verdict = gateVerdict(watch, report.endedAt !== undefined);
      const baseline = watch.baseline ? ` (baseline ${watch.baseline.kind === "value" ? fmt(watch.baseline.value) : "missing"})` : "";
      out.push(
        `| ${escapeProse(watch.gate.name)} | ${escapeCell(bounds(watch) + baseline)} | ${watch.valid} / ${watch.samples.length + watch.carried} | ${nums.length ? fmt(Math.min(...nums)) : "–"} | ${nums.length ? fmt(Math.max(...nums)) : "–"} | ${escapeCell(lastValue(watch))} | ${watch.breaches} (${watch.gate["failure-limit"]})${watch.flips > 1 ? `, flapping (${watch.flips} flips)` : ""} | ${verdict.kind} |`,
      );
    }
    out.push("");
  }

  const compares = report.compares ?? [];
  if (compares.length > 0) {
    out.push("**Canary vs baseline** (error rate of the canary / error rate of the baseline; see docs/canary-judgement.md)", "");
    out.push("| gate | allowed | estimate | interval | looks (missing) | canary errors / requests | baseline errors / requests | decision |", "| --- | --- | --- | --- | --- | --- | --- | --- |");
    for (const c of compares) {
      const j = c.judgement;
      const limit = 1 + judgeParams(c.gate).maxIncrease;
      const counts = (t: { errors: number; total: number } | undefined) => (t ? `${fmt(t.errors)} / ${fmt(t.total)}` : "–");
      out.push(
        `| ${escapeProse(c.gate.name)}${c.gate.shadow ? " (shadow)" : ""} | ≤ ${fmt(limit)}x at ${fmt(c.gate.confidence * 100)}% | ${j && j.estimate !== null ? fmt(j.estimate) : "–"} | ${j ? `[${fmt(j.interval[0])}, ${fmt(j.interval[1])}]` : "–"} | ${c.tally?.looks ?? 0} (${c.missing}) | ${counts(c.tally?.canary)} | ${counts(c.tally?.baseline)} | ${decisionText(c, report.endedAt !== undefined)} |`,
      );
    }
    out.push("");
    for (const c of compares) {
      const v = compareVerdict(c, report.endedAt !== undefined);
      const note = v.kind === "shadow" ? shadowNote(v) : undefined;
      if (note) out.push(`- ${escapeProse(c.gate.name)} (shadow, no action taken): ${escapeProse(note)}`);
      else if (c.judgement) out.push(`- ${escapeProse(c.gate.name)}: ${escapeProse(c.judgement.rule)}`);
      if ((v.kind === "inconclusive" || (v.kind === "shadow" && !c.decided)) && report.endedAt !== undefined) out.push(`- ${escapeProse(c.gate.name)} undecided: ${escapeProse(undecidedDetail(c))}`);
      if (c.lastMissing) out.push(`- ${escapeProse(c.gate.name)}: ${c.missing} round${c.missing === 1 ? "" : "s"} without data (last: ${escapeProse(c.lastMissing)}); a missing round is never a pass`);
    }
    out.push("");
  }

  if (report.applied.length > 0 || report.unapplied.length > 0) {
    out.push("**Rollback-contract triggers**", "");
    for (const a of report.applied) {
      const held = a.forMs !== undefined ? `, breaches only when passed for ${formatDuration(a.forMs)} without a break (sustained)` : "";
      out.push(`- ${code(formatTrigger(a.trigger))} → ${escapeProse(a.gate)} ${a.bound} ${fmt(a.limit)}${a.tightened ? held : " (the gate was already stricter)"}`);
    }
    for (const u of report.unapplied) out.push(`- ${code(formatTrigger(u.trigger))} not applied: ${escapeMessage(u.message)}`);
    out.push("");
  }

  if (report.ignored && report.ignored.length > 0) {
    out.push("**Ignored records** (not written by a trusted identity; see docs/action.md)", "");
    for (const line of report.ignored) out.push(`- ${escapeMessage(line)}`);
    out.push("");
  }

  if (report.rollback) {
    const r = report.rollback;
    out.push(
      `**Rollback**: ${r.ok ? "done" : "not completed"}${r.ref ? ` to ${code(r.ref.slice(0, 7))}` : ""}${r.deploymentId ? ` (deployment ${r.deploymentId})` : ""}${r.seconds !== undefined ? `, ${r.seconds.toFixed(2)}s ${r.span ?? "from breach detected to rollback success"}` : ""}. ${escapeMessage(r.detail)}`,
      "",
    );
  }

  out.push("```mermaid", "timeline", `  title ${mermaidText(`Release ${report.release ? `PR ${report.release}` : report.sha.slice(0, 7)} in ${report.environment}`)}`);
  for (const row of report.earlier) {
    if (row.startedAt) out.push(`  ${clock(row.startedAt)} : ${mermaidText(`${row.stage} ${fmt(row.percent)}% ${row.state}`)}`);
  }
  out.push(`  ${clock(report.startedAt)} : ${mermaidText(`${report.stage} ${fmt(report.percent)}% started`)}`);
  const samples = report.watches
    .flatMap((w) => w.samples.map((s) => ({ at: s.at, text: `${w.gate.name} ${s.reading.kind === "value" ? fmt(s.reading.value) : "no data"} ${s.check.kind === "breach" ? "breach" : s.check.kind === "within" ? "ok" : "?"}` })))
    .sort((a, b) => a.at.localeCompare(b.at));
  const shown = samples.length > MAX_TIMELINE_SAMPLES ? [...samples.slice(0, MAX_TIMELINE_SAMPLES / 2), ...samples.slice(-MAX_TIMELINE_SAMPLES / 2)] : samples;
  const byTime = new Map<string, string[]>();
  for (const s of shown) byTime.set(clock(s.at), [...(byTime.get(clock(s.at)) ?? []), mermaidText(s.text)]);
  for (const [at, texts] of byTime) out.push(`  ${at} : ${texts.join(" : ")}`);
  for (const c of report.compares ?? []) {
    const v = compareVerdict(c, report.endedAt !== undefined);
    if (c.decided) out.push(`  ${clock(c.decided.at)} : ${mermaidText(`${c.gate.name} ${v.kind === "shadow" ? (v.wouldHave ? "would have rolled back (shadow)" : "pass (shadow)") : c.decided.decision}`)}`);
  }
  if (report.rollback) out.push(`  ${clock(report.rollback.at)} : ${mermaidText(`rollback ${report.rollback.ok ? "done" : report.dryRun ? "skipped (dry run)" : "not completed"}${report.rollback.seconds !== undefined ? ` in ${formatDuration(report.rollback.seconds * 1000)}` : ""}`)}`);
  if (report.endedAt) out.push(`  ${clock(report.endedAt)} : ${mermaidText(`${report.stage} ${report.verdict}`)}`);
  out.push("```", "");
  return out.join("\n");
}

function decisionText(watch: CompareWatch, ended: boolean): string {
  const v = compareVerdict(watch, ended);
  switch (v.kind) {
    case "breach":
      return `breach at ${time(v.at)}`;
    case "pass":
      return `pass at ${time(v.at)}`;
    case "inconclusive":
      return "inconclusive";
    case "watching":
      return "watching";
    case "shadow":
      return v.wouldHave ? `shadow: would have rolled back at ${time(v.wouldHave.at)}` : watch.decided ? "shadow: pass" : "shadow: undecided";
  }
}

/** How a number of each unit is written; a ratio to the baseline has none (it is `2x baseline`, not `2x baseline s`). */
const UNIT_TEXT: Record<NonNullable<GateWatch["gate"]["unit"]>, (value: string) => string> = {
  ratio: (v) => `${v} ratio`,
  percent: (v) => `${v}%`,
  ms: (v) => `${v} ms`,
  s: (v) => `${v} s`,
  count: (v) => v,
};

function bounds(watch: GateWatch): string {
  const g = watch.gate;
  const withUnit = (value: number) => (g.unit ? UNIT_TEXT[g.unit](fmt(value)) : fmt(value));
  const parts: string[] = [];
  if (g.max !== undefined) parts.push(`≤ ${withUnit(g.max)}`);
  if (g.min !== undefined) parts.push(`≥ ${withUnit(g.min)}`);
  if (g["max-ratio-to-baseline"] !== undefined) parts.push(`≤ ${fmt(g["max-ratio-to-baseline"])}x baseline`);
  for (const s of watch.sustained) {
    const limit = s.spec.bound === "max-ratio-to-baseline" ? `${fmt(s.spec.limit)}x baseline` : withUnit(s.spec.limit);
    const state = s.breached ? "breached" : s.since ? `past it since ${time(s.since)}` : "held";
    parts.push(`${s.spec.bound === "min" ? "≥" : "≤"} ${limit} unless passed for ${formatDuration(s.spec.forMs)} (${state})`);
  }
  return parts.join(", ");
}

function lastValue(watch: GateWatch): string {
  const last = watch.samples[watch.samples.length - 1];
  if (!last) return "no sample";
  return last.reading.kind === "value" ? fmt(last.reading.value) : `no data (${last.reading.reason})`;
}

function time(iso: string | undefined): string {
  return iso ? iso.replace("T", " ").replace(/\.\d+Z$|Z$/, " UTC") : "–";
}

/** Mermaid's timeline splits on colons, so times are written 12.04.05; `#`, `;` and markup are dropped. */
function clock(iso: string): string {
  return (/T(\d\d):(\d\d):(\d\d)/.exec(iso) ?? ["", "--", "--", "--"]).slice(1).join(".");
}

function mermaidText(text: string): string {
  return text.replace(/[:;#<>{}\n\r`]/g, " ").replace(/\s+/g, " ").trim().slice(0, 120);
}
