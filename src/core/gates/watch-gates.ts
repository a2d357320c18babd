// The observation window as a pure fold: each gate's samples go in, a verdict comes out.
// - A breach counts when a sample passes a bound; the gate fails once breaches exceed its
//   `failure-limit`. Breaches are never forgiven by later good samples, so a flapping metric
//   (bad, good, bad, ...) still fails instead of resetting the count each time it recovers.
// - A missing sample counts neither way. At the window's end a gate with fewer than `min-samples`
//   good readings is inconclusive: no data is never a pass.
// - A sustained bound (a rollback trigger with a duration, "error rate > 1% for 5m") breaches only
//   when every judged sample has passed it for that long; a sample within it starts over, a missing
//   one neither confirms nor breaks the streak. Its breach ends the stage whatever `failure-limit`.
// - Counts may start from an earlier run's checkpoint (`carried`), so a window observed across runs
//   is judged on all of its samples.
import type { Gate } from "../config/schema.js";
import { checkBounds, type Breach, type BoundCheck, type BoundName } from "./check-bounds.js";
import { formatDuration } from "./duration.js";
import type { SampleReading } from "./sample.js";

/** A rollback trigger with a duration, applied to a gate as a bound that must hold that long to breach. */
export interface SustainedBound {
  bound: BoundName;
  limit: number;
  forMs: number;
  /** The trigger as written, e.g. "> 1% for 5m". */
  text: string;
}

export interface SustainedWatch {
  spec: SustainedBound;
  /** The first sample of the current run of samples past the bound. */
  since?: string;
  /** Set once the bound has been passed for `forMs`: the stage fails. */
  breached?: { at: string; since: string; observed: number };
}

export interface GateSample {
  at: string;
  reading: SampleReading;
  check: BoundCheck;
}

export interface GateWatch {
  gate: Gate;
  baseline?: SampleReading;
  samples: GateSample[];
  /** Samples that could be judged (a value, and a baseline when a ratio bound needs one). */
  valid: number;
  breaches: number;
  /** Changes between within and breach among judged samples: a high count is a flapping metric. */
  flips: number;
  sustained: SustainedWatch[];
  /** Samples taken by earlier runs of the same window (their counts are in valid/breaches/flips). */
  carried: number;
  /** The last judged check of an earlier run, so a flip across runs still counts. */
  carriedLast?: "within" | "breach";
}

export type GateVerdict =
  | { kind: "watching" }
  | { kind: "breach"; gate: string; breach: Breach; breaches: number; failureLimit: number; at: string; sustained?: { forMs: number; since: string; text: string } }
  | { kind: "pass"; gate: string; valid: number }
  | { kind: "inconclusive"; gate: string; valid: number; needed: number; detail: string };

export type StageVerdict =
  | { kind: "watching" }
  | { kind: "breach"; breach: Extract<GateVerdict, { kind: "breach" }> }
  | { kind: "pass"; reason: "gates-passed" | "no-gates" }
  | { kind: "inconclusive"; gates: Array<Extract<GateVerdict, { kind: "inconclusive" }>> };

export function startWatch(gate: Gate, baseline?: SampleReading, sustained: readonly SustainedBound[] = []): GateWatch {
  return { gate, ...(baseline ? { baseline } : {}), samples: [], valid: 0, breaches: 0, flips: 0, sustained: sustained.map((spec) => ({ spec })), carried: 0 };
}

export function recordSample(watch: GateWatch, reading: SampleReading, at: string): GateWatch {
  const check = checkBounds(watch.gate, reading, watch.baseline);
  const judged = check.kind !== "inconclusive";
  const previous = [...watch.samples].reverse().find((s) => s.check.kind !== "inconclusive")?.check.kind ?? watch.carriedLast;
  const flipped = judged && previous !== undefined && previous !== check.kind;
  return {
    ...watch,
    samples: [...watch.samples, { at, reading, check }],
    valid: watch.valid + (judged ? 1 : 0),
    breaches: watch.breaches + (check.kind === "breach" ? 1 : 0),
    flips: watch.flips + (flipped ? 1 : 0),
    sustained: watch.sustained.map((s) => recordSustained(s, reading, watch.baseline, at)),
  };
}

function recordSustained(watch: SustainedWatch, reading: SampleReading, baseline: SampleReading | undefined, at: string): SustainedWatch {
  if (watch.breached) return watch;
  const check = checkBounds({ [watch.spec.bound]: watch.spec.limit }, reading, baseline);
  if (check.kind === "inconclusive") return watch;
  if (check.kind === "within") return { spec: watch.spec };
  const since = watch.since ?? at;
  const held = Date.parse(at) - Date.parse(since);
  return held >= watch.spec.forMs ? { spec: watch.spec, since, breached: { at, since, observed: check.breaches[0]!.observed } } : { spec: watch.spec, since };
}

export function gateVerdict(watch: GateWatch, windowEnded: boolean): GateVerdict {
  const { gate } = watch;
  if (watch.breaches > gate["failure-limit"]) {
    const last = [...watch.samples].reverse().find((s) => s.check.kind === "breach");
    // Without a sample of this run the breaches were all carried; the stage ends on them all the same.
    const check = last?.check as Extract<BoundCheck, { kind: "breach" }> | undefined;
    const breach: Breach = check?.breaches[0] ?? { bound: gate.max !== undefined ? "max" : gate.min !== undefined ? "min" : "max-ratio-to-baseline", limit: gate.max ?? gate.min ?? gate["max-ratio-to-baseline"] ?? Number.NaN, observed: Number.NaN };
    return { kind: "breach", gate: gate.name, breach, breaches: watch.breaches, failureLimit: gate["failure-limit"], at: last?.at ?? "an earlier run" };
  }
  const sustained = watch.sustained.find((s) => s.breached);
  if (sustained?.breached) {
    const { spec, breached } = sustained;
    return {
      kind: "breach",
      gate: gate.name,
      breach: { bound: spec.bound, limit: spec.limit, observed: breached.observed },
      breaches: watch.breaches,
      failureLimit: gate["failure-limit"],
      at: breached.at,
      sustained: { forMs: spec.forMs, since: breached.since, text: spec.text },
    };
  }
  if (!windowEnded) return { kind: "watching" };
  if (watch.valid >= gate["min-samples"]) return { kind: "pass", gate: gate.name, valid: watch.valid };
  const lastMissing = [...watch.samples].reverse().find((s) => s.check.kind === "inconclusive");
  const detail =
    lastMissing?.check.kind === "inconclusive" ? lastMissing.check.detail : watch.samples.length === 0 ? "no sample was taken" : "too few samples";
  return { kind: "inconclusive", gate: gate.name, valid: watch.valid, needed: gate["min-samples"], detail };
}

/** A breach of any gate ends the stage at once; otherwise every gate must pass at the window's end. */
export function stageVerdict(watches: readonly GateWatch[], windowEnded: boolean): StageVerdict {
  const verdicts = watches.map((w) => gateVerdict(w, windowEnded));
  const breach = verdicts.find((v) => v.kind === "breach");
  if (breach?.kind === "breach") return { kind: "breach", breach };
  if (!windowEnded) return { kind: "watching" };
  if (watches.length === 0) return { kind: "pass", reason: "no-gates" };
  const inconclusive = verdicts.filter((v): v is Extract<GateVerdict, { kind: "inconclusive" }> => v.kind === "inconclusive");
  return inconclusive.length > 0 ? { kind: "inconclusive", gates: inconclusive } : { kind: "pass", reason: "gates-passed" };
}

export function describeBreach(verdict: Extract<GateVerdict, { kind: "breach" }>): string {
  const { breach } = verdict;
  const op = breach.bound === "min" ? "<" : ">";
  const what = breach.bound === "max-ratio-to-baseline" ? `${fmt(breach.observed)}x baseline ${op} ${fmt(breach.limit)}x` : `${fmt(breach.observed)} ${op} ${breach.bound} ${fmt(breach.limit)}`;
  if (Number.isNaN(breach.observed)) return `${verdict.gate}: ${verdict.breaches} breaches counted by earlier runs of the window (limit ${verdict.failureLimit})`;
  if (verdict.sustained) {
    const held = Date.parse(verdict.at) - Date.parse(verdict.sustained.since);
    return `${verdict.gate}: ${what} sustained ${formatDuration(held)} (trigger "${verdict.sustained.text}")`;
  }
  return `${verdict.gate}: ${what} (${verdict.breaches} breach${verdict.breaches === 1 ? "" : "es"}, limit ${verdict.failureLimit})`;
}

export function fmt(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? "∞" : "-∞";
  return Number(n.toPrecision(4)).toString();
}
