// The canary judgement of a `compare` gate, one look at a time, from the counts since the stage
// started (see rate-ratio-test.ts for the statistics and counter-tally.ts for the counting).
//
// What is decided, and which error is bounded:
// - breach (roll back) when the always-valid interval for θ = canary rate / baseline rate lies
//   entirely above L = 1 + max-increase. A false rollback means θ <= L (the canary is within the
//   allowance, which includes "no worse than the baseline"); it happens only if the interval
//   misses θ at some look, so P(false rollback over the whole window) <= 1 − confidence, however
//   often the gate samples.
// - pass when the interval lies entirely below L: confidently within the allowed increase. A
//   false pass (θ > L) is bounded by 1 − confidence in the same way.
// - continue otherwise. At the window's end an undecided judgement is inconclusive, never a
//   pass, with an estimate of how much more traffic a decision would need.
// The first breach or pass ends the judgement: both error bounds are about that first decision.
import type { CounterReading, CounterTally, TrackCounts } from "./counter-tally.js";
import { addReading, startTally } from "./counter-tally.js";
import { evidenceThreshold, logMixtureRatio, MIXTURE_SPREAD, ratioEstimate, ratioInterval, trafficRatio, type TrackPair } from "./rate-ratio-test.js";

export interface JudgeParams {
  /** Allowed relative increase of the canary's error rate over the baseline's: 0.5 for 50 %. */
  maxIncrease: number;
  /** 0.95 for 95 %: the false-rollback (and false-pass) bound is 1 − confidence. */
  confidence: number;
}

export type LookDecision = "breach" | "pass" | "continue";

export interface LookEvidence {
  /** Canary error rate / baseline error rate; null while it is 0/0 or x/0. */
  estimate: number | null;
  /** Always-valid interval for that ratio at this look; hi may be Infinity. */
  interval: [number, number];
  /** Looks taken (readings after the start). */
  samples: number;
  /** Intervals dropped after a counter reset. */
  discarded: number;
  canary: TrackCounts;
  baseline: TrackCounts;
  /** The mixture likelihood ratio against "ratio = 1 + max-increase"; a decision needs >= 1/(1 − confidence). */
  evidence: number;
  /** The rule and the numbers, so a person can check the verdict. */
  rule: string;
}

export type Judgement = { decision: LookDecision } & LookEvidence;

export interface TrafficNeeded {
  /** How many times the traffic seen so far a decision needs, if the rates stay as they are. */
  factor: number;
  extraCanaryRequests: number;
  extraBaselineRequests: number;
  /** The decision that traffic would most likely bring. */
  towards: "breach" | "pass";
}

export type WindowVerdict =
  | ({ decision: "breach" | "pass"; /** 1-based look that decided */ at: number } & LookEvidence)
  | ({ decision: "inconclusive"; /** null when no traffic amount would decide at the current estimate */ needed: TrafficNeeded | null; why: string } & LookEvidence);

/** At most this many times the traffic so far is searched for an inconclusive window's estimate. */
const MAX_TRAFFIC_FACTOR = 1e6;

export function checkParams(params: JudgeParams): void {
  if (!(params.maxIncrease >= 0) || !Number.isFinite(params.maxIncrease)) throw new RangeError(`maxIncrease must be a finite number >= 0, got ${params.maxIncrease}`);
  evidenceThreshold(params.confidence);
}

/**
 * The decision alone, in constant time (no interval search): the interval excludes L exactly when
 * M(L) >= 1/α, and it lies on the estimate's side of L. The bench runs this on every look.
 */
export function decideLook(counts: TrackPair, params: JudgeParams): LookDecision {
  const limit = 1 + params.maxIncrease;
  if (logMixtureRatio(counts, limit) < evidenceThreshold(params.confidence)) return "continue";
  // Compare the estimate with L without dividing: x / (y r) vs L  <=>  x n_b vs L y n_c.
  const canarySide = counts.canary.errors * counts.baseline.total;
  const limitSide = limit * counts.baseline.errors * counts.canary.total;
  if (canarySide > limitSide) return "breach";
  if (canarySide < limitSide) return "pass";
  return "continue";
}

export function judgeLook(tally: CounterTally, params: JudgeParams): Judgement {
  checkParams(params);
  const decision = decideLook(tally, params);
  return { decision, ...evidenceOf(tally, params, decision) };
}

/** Feeds readings (the first one is the stage's start) and stops at the first decision. */
export function judgeWindow(readings: readonly CounterReading[], params: JudgeParams): WindowVerdict {
  checkParams(params);
  if (readings.length === 0) throw new RangeError("judgeWindow needs at least the start reading");
  let tally = startTally(readings[0]!);
  for (let i = 1; i < readings.length; i++) {
    tally = addReading(tally, readings[i]!);
    const judgement = judgeLook(tally, params);
    if (judgement.decision !== "continue") return { ...judgement, decision: judgement.decision, at: tally.looks };
  }
  return inconclusive(tally, params);
}

/** The verdict for a window that ended without a decision. */
export function inconclusive(tally: CounterTally, params: JudgeParams): WindowVerdict {
  const evidence = evidenceOf(tally, params, "continue");
  const needed = trafficNeeded(tally, params);
  const why = needed
    ? `not enough traffic to decide: about ${formatFactor(needed.factor)} the traffic seen so far (${formatCount(needed.extraCanaryRequests)} more canary and ${formatCount(needed.extraBaselineRequests)} more baseline requests) would likely bring a ${needed.towards}, if the error rates stay as they are`
    : noEstimateReason(tally, params);
  return { decision: "inconclusive", ...evidence, needed, why };
}

/**
 * The smallest multiple of the traffic so far at which the same rates would decide. An estimate
 * for planning (it assumes the observed rates are the true ones), not part of the test.
 */
export function trafficNeeded(counts: TrackPair, params: JudgeParams): TrafficNeeded | null {
  const limit = 1 + params.maxIncrease;
  const estimate = ratioEstimate(counts);
  const x = counts.canary.errors;
  const y = counts.baseline.errors;
  if (trafficRatio(counts) === undefined || x + y === 0 || estimate === limit) return null;
  const scaled = (k: number): TrackPair => ({
    canary: { errors: x * k, total: counts.canary.total * k },
    baseline: { errors: y * k, total: counts.baseline.total * k },
  });
  const decides = (k: number) => decideLook(scaled(k), params) !== "continue";
  // Evidence grows roughly linearly with traffic at fixed rates: double until it decides, then bisect.
  let low = 1;
  let high = 2;
  while (!decides(high)) {
    low = high;
    high *= 2;
    if (high > MAX_TRAFFIC_FACTOR) return null;
  }
  for (let i = 0; i < 40 && high / low > 1.001; i++) {
    const mid = Math.sqrt(low * high);
    if (decides(mid)) high = mid;
    else low = mid;
  }
  const towards = decideLook(scaled(high), params) as "breach" | "pass";
  return {
    factor: high,
    extraCanaryRequests: Math.ceil((high - 1) * counts.canary.total),
    extraBaselineRequests: Math.ceil((high - 1) * counts.baseline.total),
    towards,
  };
}

function noEstimateReason(counts: TrackPair, params: JudgeParams): string {
  if (trafficRatio(counts) === undefined) return "no requests counted on the canary or the baseline, so there is nothing to compare";
  if (counts.canary.errors + counts.baseline.errors === 0) return "no errors on either track yet: the ratio of error rates cannot be judged until errors occur";
  return ratioEstimate(counts) === 1 + params.maxIncrease
    ? "the estimate sits exactly on the allowed limit, so no amount of traffic at these rates would decide"
    : `even ${formatCount(MAX_TRAFFIC_FACTOR)} times the traffic seen so far would not decide at these rates`;
}

function evidenceOf(tally: TrackPair & Partial<Pick<CounterTally, "looks" | "discarded">>, params: JudgeParams, decision: LookDecision): LookEvidence {
  const limit = 1 + params.maxIncrease;
  const estimate = ratioEstimate(tally);
  const interval = ratioInterval(tally, params.confidence);
  const evidence = Math.exp(logMixtureRatio(tally, limit));
  const level = formatPercent(params.confidence);
  const counts = `canary ${formatCount(tally.canary.errors)}/${formatCount(tally.canary.total)} errors (${formatRate(tally.canary)}), baseline ${formatCount(tally.baseline.errors)}/${formatCount(tally.baseline.total)} (${formatRate(tally.baseline)})`;
  const where =
    decision === "breach"
      ? `lies above ${formatRatio(limit)}: roll back`
      : decision === "pass"
        ? `lies below ${formatRatio(limit)}: within the allowed increase`
        : `contains ${formatRatio(limit)}: keep watching`;
  const rule =
    `Roll back when the always-valid ${level} interval for canary error rate / baseline error rate lies above ${formatRatio(limit)} (1 + max-increase ${formatPercent(params.maxIncrease)}); ` +
    `pass when it lies below. ${counts}; ratio ${estimate === null ? "undefined" : formatRatio(estimate)}, interval [${formatRatio(interval[0])}, ${formatRatio(interval[1])}] ${where}. ` +
    `Mixture likelihood ratio at ${formatRatio(limit)}: ${formatEvidence(evidence)} (decides at ${formatEvidence(1 / (1 - params.confidence))}; Beta mixture, spread ${MIXTURE_SPREAD} on the log ratio).`;
  return {
    estimate,
    interval,
    samples: tally.looks ?? 0,
    discarded: tally.discarded ?? 0,
    canary: { ...tally.canary },
    baseline: { ...tally.baseline },
    evidence,
    rule,
  };
}

function formatRatio(value: number): string {
  if (value === Infinity) return "∞";
  if (value === 0) return "0";
  return value >= 100 || value < 0.01 ? value.toPrecision(3) : value.toFixed(2);
}

function formatPercent(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(6))}%`;
}

function formatRate(track: TrackCounts): string {
  return track.total > 0 ? `${Number(((track.errors / track.total) * 100).toPrecision(3))}%` : "no requests";
}

function formatCount(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

function formatFactor(k: number): string {
  return `${k.toPrecision(3)}×`;
}

function formatEvidence(value: number): string {
  if (value === Infinity) return "> 1e308";
  return value >= 1e6 || (value > 0 && value < 1e-3) ? value.toExponential(2) : Number(value.toPrecision(4)).toString();
}
