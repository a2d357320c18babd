// A window watched across runs keeps its tallies in the stage deployment's own statuses: each run
// that leaves the stage in progress writes a checkpoint (when the window opened, the baselines, and
// per gate the samples taken, judged and breaching) into the status's `log_url`, after the link to
// the run. A later run reads every checkpoint status the gate's identities wrote and merges them:
// - counts only grow: each is the largest any checkpoint recorded, so a newer status with smaller
//   counts (a writer trying to reset `failure-limit`) cannot lower them, and is reported;
// - the window's start and the baselines come from the first checkpoint, so they cannot be moved.
// Deployment statuses cannot be edited or deleted through the API; statuses by anyone else are
// ignored before this merge (rollout/trust.ts).
import { z } from "zod";
import type { CounterTally } from "../judge/counter-tally.js";
import { judgeLook } from "../judge/judge-canary.js";
import { judgeParams, startCompareWatch, type CompareWatch } from "./watch-compare.js";
import { startWatch, type GateWatch } from "./watch-gates.js";
import type { CompareGate } from "./compare-gate.js";
import type { Gate } from "../config/schema.js";
import type { SustainedBound } from "./watch-gates.js";
import { valueReading } from "./sample.js";

/** The marker in `log_url` after which the checkpoint follows (base64url JSON). */
export const CHECKPOINT_MARK = "release-gate-checkpoint=";
/** A checkpoint longer than this is not ours; nothing longer is parsed. */
export const MAX_CHECKPOINT_CHARS = 6000;

const count = z.number().int().nonnegative();
const iso = z.string().max(40).refine((s) => !Number.isNaN(Date.parse(s)), { message: "not a time" });
const track = z.object({ errors: z.number().nonnegative(), total: z.number().nonnegative() });

const gateTallySchema = z.object({
  taken: count,
  valid: count,
  breaches: count,
  flips: count,
  /** The last judged sample's check, so a flip across runs counts. */
  last: z.enum(["within", "breach"]).optional(),
  /** Sustained bounds past their limit: trigger text → since when. */
  since: z.record(z.string().max(200), iso).default({}),
});

const compareTallySchema = z.object({
  rounds: count,
  missing: count,
  tally: z
    .object({
      canary: track,
      baseline: track,
      looks: count,
      discarded: count,
      last: z.object({ canaryErrors: z.number().nonnegative(), canaryTotal: z.number().nonnegative(), baselineErrors: z.number().nonnegative(), baselineTotal: z.number().nonnegative() }),
    })
    .optional(),
  decided: z.object({ decision: z.enum(["breach", "pass"]), at: iso }).optional(),
});

export const checkpointSchema = z.object({
  v: z.literal(1),
  windowStart: iso,
  /**
   * The window's length as the stage's own run chose it (its `observe` input, plan or default), so a
   * resume run ends it on time even when the payload carries no plan. Kept from the first checkpoint.
   */
  windowMs: count.optional(),
  /** Runs that have watched the window so far. */
  runs: count,
  gates: z.record(z.string().max(200), gateTallySchema),
  compares: z.record(z.string().max(200), compareTallySchema).default({}),
  baselines: z.record(z.string().max(200), z.number()).default({}),
});

export type WatchCheckpoint = z.output<typeof checkpointSchema>;
export type GateTally = z.output<typeof gateTallySchema>;

export type CheckpointRead = { ok: true; checkpoint: WatchCheckpoint } | { ok: false; reason: "no-checkpoint" | "too-long" | "malformed"; detail: string };

/** The run's link with the checkpoint after it: the link still opens the run. */
export function checkpointUrl(runUrl: string, checkpoint: WatchCheckpoint): string {
  const [base] = runUrl.split("#");
  return `${base}#${CHECKPOINT_MARK}${toBase64Url(JSON.stringify(checkpoint))}`;
}

export function readCheckpoint(logUrl: string | undefined): CheckpointRead {
  const at = logUrl?.indexOf(`#${CHECKPOINT_MARK}`) ?? -1;
  if (logUrl === undefined || at < 0) return { ok: false, reason: "no-checkpoint", detail: "the status carries no checkpoint" };
  const encoded = logUrl.slice(at + 1 + CHECKPOINT_MARK.length);
  if (encoded.length > MAX_CHECKPOINT_CHARS) return { ok: false, reason: "too-long", detail: `checkpoint of ${encoded.length} characters is over the cap of ${MAX_CHECKPOINT_CHARS}` };
  let json: unknown;
  try {
    json = JSON.parse(fromBase64Url(encoded));
  } catch {
    return { ok: false, reason: "malformed", detail: "the checkpoint is not base64url JSON" };
  }
  const parsed = checkpointSchema.safeParse(json);
  return parsed.success ? { ok: true, checkpoint: parsed.data } : { ok: false, reason: "malformed", detail: z.prettifyError(parsed.error) };
}

export interface MergedCheckpoints {
  checkpoint: WatchCheckpoint;
  /** Counts a newer checkpoint recorded lower than an older one: kept at the higher value. */
  lowered: string[];
}

/** Merges checkpoints given oldest first (see the file comment); undefined when there are none. */
export function mergeCheckpoints(oldestFirst: readonly WatchCheckpoint[]): MergedCheckpoints | undefined {
  const [first, ...rest] = oldestFirst;
  if (!first) return undefined;
  const lowered: string[] = [];
  const gates: Record<string, GateTally> = structuredClone(first.gates);
  const compares = structuredClone(first.compares);
  let runs = first.runs;
  for (const next of rest) {
    runs = Math.max(runs, next.runs);
    for (const [name, tally] of Object.entries(next.gates)) {
      const held = gates[name];
      if (!held) {
        gates[name] = structuredClone(tally);
        continue;
      }
      for (const key of ["taken", "valid", "breaches", "flips"] as const) {
        if (tally[key] < held[key]) lowered.push(`${name} ${key} ${held[key]} → ${tally[key]}`);
        held[key] = Math.max(held[key], tally[key]);
      }
      if (tally.last) held.last = tally.last;
      held.since = { ...tally.since };
    }
    for (const [name, tally] of Object.entries(next.compares)) {
      const held = compares[name];
      if (held && tally.rounds < held.rounds) {
        lowered.push(`${name} rounds ${held.rounds} → ${tally.rounds}`);
        continue;
      }
      // A decision once taken stays: a later checkpoint cannot undo a breach.
      compares[name] = held?.decided && !tally.decided ? { ...tally, decided: held.decided } : structuredClone(tally);
    }
  }
  const windowMs = first.windowMs !== undefined ? { windowMs: first.windowMs } : {};
  return { checkpoint: { v: 1, windowStart: first.windowStart, ...windowMs, runs, gates, compares, baselines: first.baselines }, lowered };
}

/** A gate's watch as earlier runs left it: their counts carried, no sample of this run yet. */
export function restoreWatch(gate: Gate, tally: GateTally | undefined, baseline: number | undefined, sustained: readonly SustainedBound[]): GateWatch {
  const watch = startWatch(gate, baseline !== undefined ? valueReading(baseline) : undefined, sustained);
  if (!tally) return watch;
  return {
    ...watch,
    valid: tally.valid,
    breaches: tally.breaches,
    flips: tally.flips,
    carried: tally.taken,
    ...(tally.last ? { carriedLast: tally.last } : {}),
    sustained: watch.sustained.map((s) => (tally.since[s.spec.text] ? { ...s, since: tally.since[s.spec.text]! } : s)),
  };
}

export function restoreCompare(gate: CompareGate, tally: WatchCheckpoint["compares"][string] | undefined): CompareWatch {
  const watch = startCompareWatch(gate);
  if (!tally) return watch;
  const counters: CounterTally | undefined = tally.tally ? structuredClone(tally.tally) : undefined;
  return {
    ...watch,
    rounds: tally.rounds,
    missing: tally.missing,
    ...(counters ? { tally: counters } : {}),
    ...(counters && counters.looks > 0 ? { judgement: judgeLook(counters, judgeParams(gate)) } : {}),
    ...(tally.decided ? { decided: tally.decided } : {}),
  };
}

/** The checkpoint a run writes: everything counted so far, this run's samples included. */
export function takeCheckpoint(args: {
  windowStart: string;
  windowMs?: number;
  runs: number;
  watches: readonly GateWatch[];
  compares: readonly CompareWatch[];
  baselines: Record<string, number>;
}): WatchCheckpoint {
  const gates: Record<string, GateTally> = {};
  for (const w of args.watches) {
    const last = [...w.samples].reverse().find((s) => s.check.kind !== "inconclusive")?.check.kind ?? w.carriedLast;
    const since: Record<string, string> = {};
    for (const s of w.sustained) if (s.since) since[s.spec.text] = s.since;
    gates[w.gate.name] = {
      taken: w.carried + w.samples.length,
      valid: w.valid,
      breaches: w.breaches,
      flips: w.flips,
      ...(last === "within" || last === "breach" ? { last } : {}),
      since,
    };
  }
  const compares: WatchCheckpoint["compares"] = {};
  for (const c of args.compares) {
    compares[c.gate.name] = { rounds: c.rounds, missing: c.missing, ...(c.tally ? { tally: structuredClone(c.tally) } : {}), ...(c.decided ? { decided: c.decided } : {}) };
  }
  return { v: 1, windowStart: args.windowStart, ...(args.windowMs !== undefined ? { windowMs: Math.round(args.windowMs) } : {}), runs: args.runs, gates, compares, baselines: { ...args.baselines } };
}

// base64url with the platform's own btoa/atob (no Buffer: the core runs anywhere JavaScript does).
function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(encoded: string): string {
  if (!/^[A-Za-z0-9_-]*$/.test(encoded)) throw new Error("not base64url");
  const binary = atob(encoded.replace(/-/g, "+").replace(/_/g, "/"));
  return new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}
