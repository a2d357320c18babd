// The flagd flag-definition file as Release Gate rewrites it: one flag's `targeting` becomes "on for
// these cohorts, then a sticky `fractional` share of everyone else", every other flag and every other
// property of the flag (variants, metadata) kept as read. Pure: text in, text out (src/flags/flagd.ts
// does the file I/O).
//
// Off is `defaultVariant: <off>` with empty targeting, not `state: DISABLED`: flagd answers a
// DISABLED flag with the *caller's* code default, which may well be `true`, so only an off default
// variant is off for everyone whatever the code asks with.
import { z } from "zod";
import type { Cohort, FlagState, FlagTarget } from "./driver.js";

/** Percent weights in thousandths of a point: 0.5 % is 500 of 100,000 (fractional wants integers). */
export const WEIGHT_SCALE = 1000;
const TOTAL = 100 * WEIGHT_SCALE;

/** Names of the flag's metadata entries Release Gate keeps its bookkeeping in (flagd metadata is flat). */
export const META = {
  cohorts: "releaseGateCohorts",
  /** Targeting someone else wrote: kept as the first branch while on, parked here while off. */
  foreign: "releaseGateForeignTargeting",
} as const;

const flagSchema = z.looseObject({
  state: z.enum(["ENABLED", "DISABLED"]),
  variants: z.record(z.string(), z.unknown()).refine((v) => Object.keys(v).length > 0, { message: "a flag needs at least one variant" }),
  defaultVariant: z.string().nullish(),
  targeting: z.unknown().optional(),
  metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});
const fileSchema = z.looseObject({ flags: z.record(z.string(), z.unknown()) });

type Flag = z.output<typeof flagSchema>;
export type FlagdDocument = z.output<typeof fileSchema>;

export interface FlagdOptions {
  key: string;
  /** Variant served when on; default: the variant whose value is `true`. */
  onVariant?: string | undefined;
  /** Variant served when off; default: the variant whose value is `false`. */
  offVariant?: string | undefined;
}

export type FlagdEdit =
  | { ok: true; text: string; from: FlagState; to: FlagState }
  | { ok: false; reason: "not-json" | "not-flagd" | "no-flag" | "no-variant"; message: string };

type Read = { ok: true; doc: FlagdDocument; flag: Flag; on: string; off: string } | Extract<FlagdEdit, { ok: false }>;

export function readFlagdFile(text: string, options: FlagdOptions): Read {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: "not-json", message: `the file is not JSON (${(error as Error).message})` };
  }
  const doc = fileSchema.safeParse(raw);
  if (!doc.success) return { ok: false, reason: "not-flagd", message: `not a flagd flag-definition file: ${z.prettifyError(doc.error)}` };
  const rawFlag = doc.data.flags[options.key];
  if (rawFlag === undefined) {
    const known = Object.keys(doc.data.flags);
    return { ok: false, reason: "no-flag", message: `no flag with this key in the file (it has ${known.length === 0 ? "none" : known.slice(0, 10).join(", ")})` };
  }
  const flag = flagSchema.safeParse(rawFlag);
  if (!flag.success) return { ok: false, reason: "not-flagd", message: `the flag is not a flagd flag definition: ${z.prettifyError(flag.error)}` };
  const variants = flag.data.variants;
  const pick = (given: string | undefined, value: boolean, role: string, input: string): string | { error: string } => {
    if (given !== undefined) return given in variants ? given : { error: `its variants (${Object.keys(variants).join(", ")}) have no \`${given}\` (${input})` };
    const found = Object.keys(variants).filter((name) => variants[name] === value);
    return found.length === 1 ? found[0]! : { error: `name the variant served when ${role} with \`${input}\`: no single variant has the value ${value}` };
  };
  const on = pick(options.onVariant, true, "on", "on-variant");
  const off = pick(options.offVariant, false, "off", "off-variant");
  if (typeof on !== "string") return { ok: false, reason: "no-variant", message: on.error };
  if (typeof off !== "string") return { ok: false, reason: "no-variant", message: off.error };
  if (on === off) return { ok: false, reason: "no-variant", message: `the on and off variants are both \`${on}\`` };
  return { ok: true, doc: doc.data, flag: flag.data, on, off };
}

/** The targeting Release Gate writes for a target (exported for tests and docs). */
export function rolloutTargeting(target: FlagTarget, on: string, off: string, foreign?: unknown): unknown {
  const onWeight = Math.round(target.percent * WEIGHT_SCALE);
  const branches: unknown[] = [];
  // Someone else's rule answers first when it names a variant; when it yields null ours decide.
  if (foreign !== undefined) branches.push({ "!=": [foreign, null] }, foreign);
  for (const cohort of target.cohorts) branches.push(cohortCondition(cohort), on);
  // Bucketed by flag key + stickiness attribute, as flagd's own default (flag key + targetingKey) does.
  branches.push({ fractional: [{ cat: [{ var: "$flagd.flagKey" }, { var: target.stickiness }] }, [on, onWeight], [off, TOTAL - onWeight]] });
  return { if: branches };
}

export function cohortCondition(cohort: Cohort): unknown {
  const attribute = { var: cohort.attribute };
  switch (cohort.match.kind) {
    case "equals":
      return { "==": [attribute, cohort.match.value] };
    case "in":
      return { in: [attribute, [...cohort.match.values]] };
    case "ends-with":
      return { ends_with: [attribute, cohort.match.suffix] };
  }
}

/** Serve the target: on for every cohort, the percent of the rest; the flag is enabled if it was not. */
export function setFlagdRollout(text: string, options: FlagdOptions, target: FlagTarget): FlagdEdit {
  const read = readFlagdFile(text, options);
  if (!read.ok) return read;
  const { doc, flag, on, off } = read;
  const from = stateOf(flag, on, off);
  const foreign = foreignTargeting(flag, on, off);
  if (!foreign.ok) return foreign;
  const { [META.foreign]: _parked, ...metadata } = flag.metadata ?? {};
  const next: Flag = {
    ...flag,
    state: "ENABLED",
    defaultVariant: off,
    targeting: rolloutTargeting(target, on, off, foreign.foreign),
    metadata: { ...metadata, [META.cohorts]: target.cohorts.map((c) => c.name).join(",") },
  };
  return written(doc, options.key, next, from, on, off);
}

/** The kill switch: the off variant for everyone; any foreign rule is parked in metadata, not lost. */
export function turnFlagdOff(text: string, options: FlagdOptions): FlagdEdit {
  const read = readFlagdFile(text, options);
  if (!read.ok) return read;
  const { doc, flag, on, off } = read;
  const from = stateOf(flag, on, off);
  const foreign = foreignTargeting(flag, on, off);
  if (!foreign.ok) return foreign;
  const { [META.cohorts]: _cohorts, [META.foreign]: _parked, ...metadata } = flag.metadata ?? {};
  const keep = foreign.foreign !== undefined ? JSON.stringify(foreign.foreign) : undefined;
  const next: Flag = {
    ...flag,
    state: "ENABLED",
    defaultVariant: off,
    targeting: {},
  };
  const kept = { ...metadata, ...(keep !== undefined ? { [META.foreign]: keep } : {}) };
  // No metadata key where the flag had none: the file differs from before only where it must.
  if (Object.keys(kept).length > 0 || flag.metadata !== undefined) next.metadata = kept;
  else delete next.metadata;
  return written(doc, options.key, next, from, on, off);
}

export function flagdState(text: string, options: FlagdOptions): { ok: true; state: FlagState } | Extract<FlagdEdit, { ok: false }> {
  const read = readFlagdFile(text, options);
  return read.ok ? { ok: true, state: stateOf(read.flag, read.on, read.off) } : read;
}

function written(doc: FlagdDocument, key: string, flag: Flag, from: FlagState, on: string, off: string): FlagdEdit {
  // Every other flag, and the file's own keys ($schema, $evaluators, metadata), exactly as read.
  const text = `${JSON.stringify({ ...doc, flags: { ...doc.flags, [key]: flag } }, null, 2)}\n`;
  return { ok: true, text, from, to: stateOf(flag, on, off) };
}

const isEmpty = (targeting: unknown) =>
  targeting === undefined || targeting === null || (typeof targeting === "object" && !Array.isArray(targeting) && Object.keys(targeting).length === 0);

/** Our targeting's parts, when the flag's targeting is the shape rolloutTargeting writes. */
function ownParts(targeting: unknown, on: string, off: string): { foreign?: unknown; percent: number } | undefined {
  if (typeof targeting !== "object" || targeting === null || !("if" in targeting) || !Array.isArray(targeting.if)) return undefined;
  const branches = targeting.if as unknown[];
  const last = branches[branches.length - 1] as { fractional?: unknown } | undefined;
  const fractional = last && typeof last === "object" ? last.fractional : undefined;
  if (!Array.isArray(fractional) || fractional.length !== 3) return undefined;
  const [bucket, onPair, offPair] = fractional as [unknown, unknown, unknown];
  const stickyCat = JSON.stringify(bucket).startsWith('{"cat":[{"var":"$flagd.flagKey"}');
  if (!stickyCat || !Array.isArray(onPair) || !Array.isArray(offPair) || onPair[0] !== on || offPair[0] !== off) return undefined;
  const onWeight = Number(onPair[1]);
  const total = onWeight + Number(offPair[1]);
  if (!(total > 0)) return undefined;
  const percent = Math.round((onWeight / total) * 100 * WEIGHT_SCALE) / WEIGHT_SCALE;
  const first = branches[0] as Record<string, unknown> | undefined;
  const firstIsForeign = branches.length >= 3 && first && Array.isArray(first["!="]) && JSON.stringify((first["!="] as unknown[])[0]) === JSON.stringify(branches[1]);
  return firstIsForeign ? { foreign: branches[1], percent } : { percent };
}

/** Targeting Release Gate did not write, to keep: the flag's own rules, or the ones parked by turnOff. */
function foreignTargeting(flag: Flag, on: string, off: string): { ok: true; foreign: unknown } | { ok: false; reason: "not-flagd"; message: string } {
  const own = ownParts(flag.targeting, on, off);
  if (own) return { ok: true, foreign: own.foreign };
  if (!isEmpty(flag.targeting)) return { ok: true, foreign: flag.targeting };
  const parked = flag.metadata?.[META.foreign];
  if (typeof parked !== "string") return { ok: true, foreign: undefined };
  try {
    return { ok: true, foreign: JSON.parse(parked) };
  } catch {
    return { ok: false, reason: "not-flagd", message: `its metadata ${META.foreign} (the targeting parked by the last turn-off) is not JSON; restore or remove it` };
  }
}

function stateOf(flag: Flag, on: string, off: string): FlagState {
  if (flag.state === "DISABLED") return { on: false };
  const own = ownParts(flag.targeting, on, off);
  if (own) {
    const cohorts = String(flag.metadata?.[META.cohorts] ?? "").split(",").filter(Boolean);
    return { on: own.percent > 0 || cohorts.length > 0 || own.foreign !== undefined, percent: own.percent, cohorts };
  }
  if (isEmpty(flag.targeting)) return flag.defaultVariant === on ? { on: true, percent: 100, cohorts: [] } : { on: false };
  // Someone else's rules: on for some, but no share Release Gate can name.
  return { on: true };
}
