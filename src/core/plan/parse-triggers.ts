// Turns the rollback contract's prose ("error rate > 1% for 5m", "p99 latency exceeds 2x baseline")
// into structured triggers. Later stages match them to metric gates by `metric` slug.
import type { PlanLine } from "./parse-plan.js";

export type TriggerUnit = "percent" | "ms" | "s" | "x-baseline" | "count";
export type Comparator = ">" | ">=" | "<" | "<=";

export interface RollbackTrigger {
  /** Slug of the metric words, e.g. "error-rate", "p99-latency", "5xx". */
  metric: string;
  /** The metric words as written. */
  label: string;
  comparator: Comparator;
  value: number;
  unit: TriggerUnit;
  /** Sustained-for window in seconds, when the text gives one ("for 5m"). */
  windowSeconds?: number;
  line: number;
  /** The matched phrase, for display. */
  text: string;
}

// No line of a real contract is longer; the cap bounds the work a hostile line can cause.
const MAX_LINE_CHARS = 4000;

const OPERATOR =
  /(>=|<=|≥|≤|>|<|\b(?:(?:is|goes|rises|climbs|increases|drops|falls|stays)\s+)?(?:above|over|exceeds|exceeding|exceed|greater\s+than|more\s+than|higher\s+than|below|under|less\s+than|lower\s+than|at\s+least|at\s+most)\b)\s*(\d{1,12}(?:\.\d{1,6})?)\s*(%|ms|milliseconds?|msecs?|seconds?|secs?|s|x|×|times)?(?![\p{L}\p{N}])/giu;
const BASELINE = /^\s*(?:the\s+|of\s+(?:the\s+)?)?(?:baseline|base\s*line|normal|previous|stable)\b/i;
const WINDOW = /^\s*(?:for|over|during|sustained\s+for|within|in)\s+(\d{1,6}(?:\.\d{1,3})?)\s*(seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h)(?![\p{L}\p{N}])/iu;
const DELIMITER = /[:;,([\]|]|\b(?:if|when|whenever|or|and|then|triggers?|rollback|roll\s+back|on|once)\b/giu;
const LEADING_NOISE = /^(?:the|our|any|a|an|overall|total)\s+/i;
const TRAILING_VERB = /\s+(?:is|goes|rises|climbs|increases|drops|falls|stays|are|gets)$/i;

export function parseTriggers(lines: readonly PlanLine[]): RollbackTrigger[] {
  const triggers: RollbackTrigger[] = [];
  for (const { line, text: rawText } of lines) {
    const text = rawText.slice(0, MAX_LINE_CHARS).replace(/^\s*(?:>\s*)+/, "").replace(/[`*_]/g, " ");
    OPERATOR.lastIndex = 0;
    let segmentStart = 0;
    let match: RegExpExecArray | null;
    while ((match = OPERATOR.exec(text)) !== null) {
      const [phrase, op, num, rawUnit] = match;
      const end = match.index + phrase.length;
      const rest = text.slice(end, end + 80);
      let unit = toUnit(rawUnit);
      let consumed = end;
      const baseline = BASELINE.exec(rest);
      if (unit === "x-baseline" && baseline) consumed += baseline[0].length;
      if (unit === "count" && baseline) unit = "x-baseline";
      const windowMatch = WINDOW.exec(text.slice(consumed, consumed + 40));
      const windowSeconds = windowMatch ? toSeconds(Number(windowMatch[1]), windowMatch[2]!) : undefined;
      if (windowMatch) consumed += windowMatch[0].length;

      let label = metricBefore(text.slice(Math.max(segmentStart, match.index - 120), match.index));
      if (label === "") label = metricAfter(text.slice(end, end + 80));
      segmentStart = consumed;
      OPERATOR.lastIndex = consumed;
      if (label === "") continue;
      const metric = slug(label);
      if (metric === "") continue;
      triggers.push({
        metric,
        label,
        comparator: toComparator(op!),
        value: Number(num),
        unit,
        ...(windowSeconds !== undefined ? { windowSeconds } : {}),
        line,
        text: text.slice(match.index, consumed).trim(),
      });
    }
  }
  return triggers;
}

export function formatTrigger(trigger: RollbackTrigger): string {
  const value =
    trigger.unit === "percent" ? `${trigger.value}%`
    : trigger.unit === "x-baseline" ? `${trigger.value}x baseline`
    : trigger.unit === "count" ? `${trigger.value}`
    : `${trigger.value}${trigger.unit}`;
  const window = trigger.windowSeconds !== undefined ? ` for ${formatSeconds(trigger.windowSeconds)}` : "";
  return `${trigger.metric} ${trigger.comparator} ${value}${window}`;
}

function formatSeconds(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

function metricBefore(prefix: string): string {
  DELIMITER.lastIndex = 0;
  let start = 0;
  let d: RegExpExecArray | null;
  while ((d = DELIMITER.exec(prefix)) !== null) start = d.index + d[0].length;
  const words = prefix
    .slice(start)
    .replace(/^[\s\-*+•]+/u, "")
    .trim()
    .replace(TRAILING_VERB, "")
    .replace(LEADING_NOISE, "")
    .split(/\s+/)
    .filter(Boolean);
  return words.slice(-5).join(" ");
}

function metricAfter(suffix: string): string {
  // "more than 3 customer complaints": the metric follows the number.
  const words: string[] = [];
  for (const word of suffix.split(/\s+/)) {
    if (word === "") continue;
    const clean = word.replace(/[^\p{L}\p{N}\-]/gu, "");
    if (clean === "" || /^(?:for|in|over|within|during|per|and|or)$/i.test(clean)) break;
    words.push(clean);
    if (words.length === 3 || /[.,;:]$/.test(word)) break;
  }
  return words.join(" ");
}

function slug(label: string): string {
  return label
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "");
}

function toUnit(raw: string | undefined): TriggerUnit {
  if (!raw) return "count";
  const u = raw.toLowerCase();
  if (u === "%") return "percent";
  if (u === "x" || u === "×" || u === "times") return "x-baseline";
  if (u.startsWith("m")) return "ms";
  return "s";
}

function toComparator(op: string): Comparator {
  const o = op.toLowerCase().replace(/\s+/g, " ");
  if (o === ">=" || o === "≥" || o.endsWith("at least")) return ">=";
  if (o === "<=" || o === "≤" || o.endsWith("at most")) return "<=";
  if (o === "<" || /(?:below|under|less than|lower than)$/.test(o)) return "<";
  return ">";
}

function toSeconds(value: number, unit: string): number {
  const u = unit.toLowerCase();
  if (u.startsWith("h")) return Math.round(value * 3600);
  if (u.startsWith("m")) return Math.round(value * 60);
  return Math.round(value);
}
