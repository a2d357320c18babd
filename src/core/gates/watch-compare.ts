// A `compare` gate through the observation window, as a pure fold: each sampling round's four
// counter readings go in, the judge's decision comes out.
// - The first complete reading is the zero point; every later one is a look, judged on the
//   increments since that zero point (counter-tally.ts handles resets).
// - A round with any reading missing (no data, NaN, a broken query) is no look at all: it neither
//   passes nor fails, and the next complete round is judged on the increments up to it.
// - The first decision ends the judgement: a breach fails the stage (or, with `shadow: true`, is
//   only recorded as "would have rolled back"), a pass satisfies the gate for the rest of the
//   window. No decision by the window's end is inconclusive, never a pass.
import { addReading, checkReading, startTally, type CounterReading, type CounterTally } from "../judge/counter-tally.js";
import { inconclusive, judgeLook, type Judgement, type JudgeParams } from "../judge/judge-canary.js";
import type { CompareGate } from "./compare-gate.js";
import { fmt, stageVerdict, type GateVerdict, type GateWatch } from "./watch-gates.js";

/** One sampling round of a compare gate: all four counters, or why there is no look. */
export type CounterSample = { kind: "counters"; reading: CounterReading } | { kind: "missing"; detail: string };

export interface CompareWatch {
  gate: CompareGate;
  /** Undefined until the first complete reading (the zero point). */
  tally?: CounterTally;
  /** Sampling rounds taken, with or without data. */
  rounds: number;
  /** Rounds with a missing counter; the last one's reason. */
  missing: number;
  lastMissing?: string;
  /** The latest look's judgement. */
  judgement?: Judgement;
  /** The first decision, which ends the judgement. */
  decided?: { decision: "breach" | "pass"; at: string };
}

export type CompareVerdict =
  | { kind: "watching" }
  | { kind: "breach"; gate: string; at: string; rule: string; summary: string }
  | { kind: "pass"; gate: string; at: string }
  | { kind: "inconclusive"; gate: string; looks: number; detail: string }
  /** A shadow gate never acts; `wouldHave` is set when it would have rolled back. */
  | { kind: "shadow"; gate: string; wouldHave?: { at: string; rule: string } };

export function judgeParams(gate: CompareGate): JudgeParams {
  return { maxIncrease: gate["max-increase"], confidence: gate.confidence };
}

export function startCompareWatch(gate: CompareGate): CompareWatch {
  return { gate, rounds: 0, missing: 0 };
}

export function recordCounters(watch: CompareWatch, sample: CounterSample, at: string): CompareWatch {
  if (watch.decided) return { ...watch, rounds: watch.rounds + 1 };
  const rounds = watch.rounds + 1;
  const check = sample.kind === "counters" ? checkReading(sample.reading) : { ok: false as const, error: sample.detail };
  if (!check.ok) return { ...watch, rounds, missing: watch.missing + 1, lastMissing: check.error };
  const reading = (sample as Extract<CounterSample, { kind: "counters" }>).reading;
  if (!watch.tally) return { ...watch, rounds, tally: startTally(reading) };
  const tally = addReading(watch.tally, reading);
  const judgement = judgeLook(tally, judgeParams(watch.gate));
  const decided = judgement.decision === "continue" ? undefined : { decision: judgement.decision, at };
  return { ...watch, rounds, tally, judgement, ...(decided ? { decided } : {}) };
}

export function compareVerdict(watch: CompareWatch, windowEnded: boolean): CompareVerdict {
  const { gate, decided, judgement } = watch;
  if (decided?.decision === "breach") {
    const breach = { at: decided.at, rule: judgement!.rule };
    return gate.shadow ? { kind: "shadow", gate: gate.name, wouldHave: breach } : { kind: "breach", gate: gate.name, ...breach, summary: breachSummary(watch) };
  }
  if (decided?.decision === "pass") return gate.shadow ? { kind: "shadow", gate: gate.name } : { kind: "pass", gate: gate.name, at: decided.at };
  if (!windowEnded) return { kind: "watching" };
  if (gate.shadow) return { kind: "shadow", gate: gate.name };
  return { kind: "inconclusive", gate: gate.name, looks: watch.tally?.looks ?? 0, detail: undecidedDetail(watch) };
}

/** Why the window ended without a decision, with how much more traffic one would need. */
export function undecidedDetail(watch: CompareWatch): string {
  if (!watch.tally) {
    return watch.rounds === 0 ? "no sample was taken" : `no complete counter reading in ${watch.rounds} round${watch.rounds === 1 ? "" : "s"} (${watch.lastMissing ?? "no data"})`;
  }
  if (watch.tally.looks === 0) return `only the starting reading; no look after it (${watch.lastMissing ?? "no data"})`;
  const verdict = inconclusive(watch.tally, judgeParams(watch.gate));
  return verdict.decision === "inconclusive" ? verdict.why : "undecided";
}

/** The breach in one line: the estimate and the interval that lies above the limit. */
export function breachSummary(watch: CompareWatch): string {
  const j = watch.judgement!;
  const limit = 1 + watch.gate["max-increase"];
  const estimate = j.estimate === null ? "undefined" : fmt(j.estimate);
  return `canary/baseline error-rate ratio ${estimate}, ${fmt(watch.gate.confidence * 100)}% interval [${fmt(j.interval[0])}, ${fmt(j.interval[1])}] above ${fmt(limit)} after ${j.samples} looks`;
}

/** "would have rolled back at 2026-…Z: <rule>", the shadow note for logs and the summary. */
export function shadowNote(verdict: Extract<CompareVerdict, { kind: "shadow" }>): string | undefined {
  return verdict.wouldHave ? `would have rolled back at ${verdict.wouldHave.at}: ${verdict.wouldHave.rule}` : undefined;
}

export type CompareInconclusive = Extract<CompareVerdict, { kind: "inconclusive" }>;

/** The stage's verdict over metric gates and compare gates together; shadow gates never count. */
export type StageJudgement =
  | { kind: "watching" }
  | { kind: "breach"; breach: Extract<GateVerdict, { kind: "breach" }> }
  | { kind: "compare-breach"; compare: Extract<CompareVerdict, { kind: "breach" }> }
  | { kind: "pass"; reason: "gates-passed" | "no-gates" | "shadow-only" }
  | { kind: "inconclusive"; gates: Array<Extract<GateVerdict, { kind: "inconclusive" }>>; compares: CompareInconclusive[] };

/** Any breach ends the stage at once; otherwise every acting gate must pass by the window's end. */
export function judgeStage(watches: readonly GateWatch[], compares: readonly CompareWatch[], windowEnded: boolean): StageJudgement {
  const metric = stageVerdict(watches, windowEnded);
  if (metric.kind === "breach") return metric;
  const verdicts = compares.map((c) => compareVerdict(c, windowEnded));
  const breach = verdicts.find((v) => v.kind === "breach");
  if (breach?.kind === "breach") return { kind: "compare-breach", compare: breach };
  if (!windowEnded) return { kind: "watching" };
  const acting = verdicts.filter((v) => v.kind !== "shadow");
  const inconclusiveCompares = acting.filter((v): v is CompareInconclusive => v.kind === "inconclusive");
  const inconclusiveGates = metric.kind === "inconclusive" ? metric.gates : [];
  if (inconclusiveGates.length > 0 || inconclusiveCompares.length > 0) return { kind: "inconclusive", gates: inconclusiveGates, compares: inconclusiveCompares };
  if (watches.length === 0 && compares.length === 0) return { kind: "pass", reason: "no-gates" };
  if (watches.length === 0 && acting.length === 0) return { kind: "pass", reason: "shadow-only" };
  return { kind: "pass", reason: "gates-passed" };
}

/** A compare gate that can no longer change the stage's verdict need not be sampled again. */
export function isSettled(watch: CompareWatch): boolean {
  return watch.decided !== undefined;
}
