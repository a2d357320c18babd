// The observation window as a pure fold: each gate's samples go in, a verdict comes out.
// - A breach counts when a sample passes a bound; the gate fails once breaches exceed its
//   `failure-limit`. Breaches are never forgiven by later good samples, so a flapping metric
//   (bad, good, bad, ...) still fails instead of resetting the count each time it recovers.
// - A missing sample counts neither way. At the window's end a gate with fewer than `min-samples`
//   good readings is inconclusive: no data is never a pass.
import type { Gate } from "../config/schema.js";
import { checkBounds, type Breach, type BoundCheck } from "./check-bounds.js";
import type { SampleReading } from "./sample.js";

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
}

export type GateVerdict =
  | { kind: "watching" }
  | { kind: "breach"; gate: string; breach: Breach; breaches: number; failureLimit: number; at: string }
  | { kind: "pass"; gate: string; valid: number }
  | { kind: "inconclusive"; gate: string; valid: number; needed: number; detail: string };

export type StageVerdict =
  | { kind: "watching" }
  | { kind: "breach"; breach: Extract<GateVerdict, { kind: "breach" }> }
  | { kind: "pass"; reason: "gates-passed" | "no-gates" }
  | { kind: "inconclusive"; gates: Array<Extract<GateVerdict, { kind: "inconclusive" }>> };

export function startWatch(gate: Gate, baseline?: SampleReading): GateWatch {
  return { gate, ...(baseline ? { baseline } : {}), samples: [], valid: 0, breaches: 0, flips: 0 };
}

export function recordSample(watch: GateWatch, reading: SampleReading, at: string): GateWatch {
  const check = checkBounds(watch.gate, reading, watch.baseline);
  const judged = check.kind !== "inconclusive";
  const previous = [...watch.samples].reverse().find((s) => s.check.kind !== "inconclusive");
  const flipped = judged && previous !== undefined && previous.check.kind !== check.kind;
  return {
    ...watch,
    samples: [...watch.samples, { at, reading, check }],
    valid: watch.valid + (judged ? 1 : 0),
    breaches: watch.breaches + (check.kind === "breach" ? 1 : 0),
    flips: watch.flips + (flipped ? 1 : 0),
  };
}

export function gateVerdict(watch: GateWatch, windowEnded: boolean): GateVerdict {
  const { gate } = watch;
  if (watch.breaches > gate["failure-limit"]) {
    const last = [...watch.samples].reverse().find((s) => s.check.kind === "breach")!;
    const check = last.check as Extract<BoundCheck, { kind: "breach" }>;
    return { kind: "breach", gate: gate.name, breach: check.breaches[0]!, breaches: watch.breaches, failureLimit: gate["failure-limit"], at: last.at };
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
  return `${verdict.gate}: ${what} (${verdict.breaches} breach${verdict.breaches === 1 ? "" : "es"}, limit ${verdict.failureLimit})`;
}

export function fmt(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? "∞" : "-∞";
  return Number(n.toPrecision(4)).toString();
}
