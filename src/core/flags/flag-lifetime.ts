// Flag debt as arithmetic on the app's own records. A flag's clock starts when its rollout reached
// 100 %, and the one record of that moment a repo writer cannot forge is the removal issue Release
// Gate opened then: GitHub stamps its creator (the app) and `created_at`. Its title and body can be
// edited by anyone with triage, so they only name the flag; they never decide whether it is overdue.
import type { FlagsConfig } from "../config/schema.js";
import type { Identity } from "../identity.js";
import { isAuthoredBy, type RecordAuthor } from "../rollout/trust.js";
import { pathMatcher } from "../rules/match-paths.js";
import { FLAG_TYPE_INFO, flagTypeIn, isFlagType, type FlagType } from "./flag-type.js";

const UNIT_MS: Record<string, number> = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** "4w", "28d", "36h" in milliseconds; undefined for anything else (config validated it already). */
export function parseLifetime(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(h|d|w)$/.exec(text.trim());
  return m ? Math.round(Number(m[1]) * UNIT_MS[m[2]!]!) : undefined;
}

/** A span for people, coarse on purpose: "5 weeks", "1 week 3 days", "2 days", "7 hours". */
export function formatSpan(ms: number): string {
  const hours = Math.floor(Math.max(0, ms) / 3_600_000);
  const days = Math.floor(hours / 24);
  const weeks = Math.floor(days / 7);
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;
  if (weeks >= 1) return days % 7 === 0 || weeks >= 4 ? plural(weeks, "week") : `${plural(weeks, "week")} ${plural(days % 7, "day")}`;
  if (days >= 1) return plural(days, "day");
  return hours >= 1 ? plural(hours, "hour") : "under an hour";
}

export type TypeSource = "config" | "plan" | "default";

export interface ResolvedFlagType {
  type: FlagType;
  source: TypeSource;
  /** For `plan`: the line of the PR body that says it. */
  line?: number;
  /** For `config`: the `flags.types` key that matched. */
  pattern?: string;
}

/** A type the plan states, with its line, or a word that names no type (reported, then the default applies). */
export type PlanFlagType = { kind: "type"; type: FlagType; line: number } | { kind: "unknown"; word: string; line: number };

/** The first line of the flag section that states a type. */
export function planFlagType(lines: readonly { line: number; text: string }[]): PlanFlagType | null {
  for (const { line, text } of lines) {
    const found = flagTypeIn(text);
    if (found) return { ...found, line };
  }
  return null;
}

/**
 * Config `flags.types` first (the SRE's policy: a flag named `ops.*` is an ops flag whatever a PR
 * says), then the plan's own words, then `flags.default-type`.
 */
export function resolveFlagType(flag: string, plan: PlanFlagType | null, config: Pick<FlagsConfig, "types" | "default-type">): ResolvedFlagType {
  for (const [pattern, type] of Object.entries(config.types)) {
    if (pattern === flag || pathMatcher([pattern])(flag)) return { type, source: "config", pattern };
  }
  if (plan?.kind === "type") return { type: plan.type, source: "plan", line: plan.line };
  return { type: config["default-type"], source: "default" };
}

/** What the removal issue's hidden marker records, for naming the flag (never for deciding). */
export interface RemovalMarker {
  flag: string;
  type: FlagType;
  release: number;
}

const MARKER = /<!-- release-gate:flag-removal (\{[^\n]{1,400}\}) -->/;
const FLAG_NAME = /^[\p{L}\p{N}][\p{L}\p{N}_.:/-]{0,99}$/u;

export function removalMarker(marker: RemovalMarker): string {
  return `<!-- release-gate:flag-removal ${JSON.stringify(marker)} -->`;
}

export function readRemovalMarker(body: string | null | undefined): RemovalMarker | null {
  const m = MARKER.exec((body ?? "").slice(0, 65_536));
  if (!m) return null;
  try {
    const value = JSON.parse(m[1]!) as Record<string, unknown>;
    const { flag, type, release } = value;
    if (typeof flag !== "string" || !FLAG_NAME.test(flag)) return null;
    if (typeof type !== "string" || !isFlagType(type)) return null;
    if (typeof release !== "number" || !Number.isSafeInteger(release) || release <= 0) return null;
    return { flag, type, release };
  } catch {
    return null;
  }
}

/** An open issue as the list call gives it: the facts GitHub stamps, and the text anyone may edit. */
export interface RemovalIssue {
  number: number;
  url: string;
  title: string;
  body: string | null;
  /** Stamped by GitHub when the issue was opened. */
  createdAt: string;
  labels: readonly string[];
  author: RecordAuthor;
  /** The list of a repo's issues includes pull requests; a PR is never a removal issue. */
  isPull: boolean;
}

export interface TrackedFlag {
  issue: number;
  url: string;
  /** From the marker (or the title the app wrote), null when edited beyond recognition. */
  flag: string | null;
  release: number | null;
  type: FlagType;
  /** When the rollout reached 100 %: the issue's `created_at`. */
  fullAt: string;
  dueAt: string;
  overdue: boolean;
  /** How far past `dueAt` (negative: time left). */
  overdueByMs: number;
  /** Already carries the overdue label. */
  labelled: boolean;
}

export interface FlagDebt {
  maxLifetimeMs: number;
  /** Every trusted open removal issue, most overdue first. */
  flags: TrackedFlag[];
  overdue: TrackedFlag[];
  /** Issues with the label that Release Gate did not open: listed, never counted. */
  ignored: { issue: number; by: string | null }[];
  /** The one list call reads 100 issues; more may exist. */
  truncated: boolean;
}

const TITLE = /^Remove (?:release |experiment )?flag (\S{1,100}) \(released in #(\d{1,9})\)/;

/**
 * The flags whose removal is owed, from the open issues carrying the removal label. Only issues the
 * gate itself opened count (creator and app stamp): a writer can open an issue with the label and an
 * old-looking text, but not one created by the app, nor one created in the past.
 */
export function assessFlagDebt(
  issues: readonly RemovalIssue[],
  options: { now: number; maxLifetime: string; overdueLabel: string; gate: readonly Identity[]; truncated?: boolean },
): FlagDebt {
  const maxLifetimeMs = parseLifetime(options.maxLifetime);
  if (maxLifetimeMs === undefined) throw new Error(`flags.max-lifetime ${JSON.stringify(options.maxLifetime)} is not a lifetime such as "4w"`);
  const flags: TrackedFlag[] = [];
  const ignored: FlagDebt["ignored"] = [];
  for (const issue of issues) {
    if (issue.isPull) continue;
    if (!isAuthoredBy(issue.author, options.gate)) {
      ignored.push({ issue: issue.number, by: issue.author.creator });
      continue;
    }
    const created = Date.parse(issue.createdAt);
    if (Number.isNaN(created)) continue;
    const marker = readRemovalMarker(issue.body);
    const title = marker ? null : TITLE.exec(issue.title);
    const titleFlag = title && FLAG_NAME.test(title[1]!) ? title[1]! : null;
    // Only a type that owes a removal can be shown: the marker is editable, the lifetime is not.
    const type = marker && FLAG_TYPE_INFO[marker.type].hasLifetime ? marker.type : "release";
    const due = created + maxLifetimeMs;
    flags.push({
      issue: issue.number,
      url: issue.url,
      flag: marker?.flag ?? titleFlag,
      release: marker?.release ?? (title ? Number(title[2]) : null),
      type,
      fullAt: new Date(created).toISOString(),
      dueAt: new Date(due).toISOString(),
      overdue: options.now >= due,
      overdueByMs: options.now - due,
      labelled: issue.labels.some((l) => l.toLowerCase() === options.overdueLabel.toLowerCase()),
    });
  }
  flags.sort((a, b) => b.overdueByMs - a.overdueByMs || a.issue - b.issue);
  return { maxLifetimeMs, flags, overdue: flags.filter((f) => f.overdue), ignored, truncated: options.truncated ?? false };
}

/** The overdue flags still to escalate (no overdue label yet), at most `max` per run to bound the writes. */
export function toEscalate(debt: FlagDebt, max: number): TrackedFlag[] {
  return debt.overdue.filter((f) => !f.labelled).slice(0, max);
}
