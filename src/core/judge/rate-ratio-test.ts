// The always-valid test behind the `compare` gate: is the canary's error rate more than
// (1 + max-increase) times the baseline's, checked at every sample without inflating false alarms?
//
// Model. Requests are routed to the canary or the baseline independently, with a steady share:
// r = canary requests / baseline requests. Then every error, wherever it happens, is a canary
// error with probability π(θ) = θr / (1 + θr), where θ = canary error rate / baseline error rate.
// This holds for Bernoulli requests and for Poisson counts alike, and it does not care how the
// common error level moves over time (an incident that hits both tracks leaves π unchanged).
// So the errors form a coin-flip sequence whose bias encodes θ, and the judgement is a sequential
// test on that sequence.
//
// Test. For a candidate ratio θ0, the mixture likelihood ratio
//     M(θ0) = ∫ π^x (1 − π)^y dBeta(π; a, b) / (π0^x (1 − π0)^y),   π0 = π(θ0)
// (x canary errors, y baseline errors) is a nonnegative martingale with mean 1 when θ = θ0, so by
// Ville's inequality P(M(θ0) ever reaches 1/α) <= α however often it is looked at (Robbins'
// mixture SPRT; Johari et al., "Always valid inference"). The Beta mixture is the conjugate
// stand-in for Johari's normal mixture on the log ratio: a and b are chosen so that logit π, which
// is log θ + log r, has mean about log θ0 and spread `spread` (τ). Conjugacy gives M in closed form:
//     ln M = ln B(a + x, b + y) − ln B(a, b) − x ln π0 − y ln(1 − π0).
// The confidence sequence is {θ0 : M(θ0) < 1/α}: it contains the true θ at every look at once
// with probability >= 1 − α. It always contains the estimate (there M <= 1).
//
// The one approximation: r is estimated from the request counters (canary total / baseline
// total). Requests outnumber errors ~100:1 at a 1 % error rate, so r is known about ten times
// more precisely than θ; the simulation tests and the bench measure the error rates with it.
import { logRising } from "./log-gamma.js";
import type { TrackCounts } from "./counter-tally.js";

export interface TrackPair {
  canary: TrackCounts;
  baseline: TrackCounts;
}

/**
 * τ: the spread of the mixture over the log ratio. The boundary is flat in τ (within 10 % for
 * τ² between 2 and 50 times the variance of the estimate at the decision), and 0.5 suits the
 * range this gate meets: decisions from about 20 errors (low traffic) to thousands.
 */
export const MIXTURE_SPREAD = 0.5;

/** Ratios searched for the interval: e^±25 (about 1e-11 to 7e10); beyond that is 0 or ∞. */
const LOG_RATIO_LIMIT = 25;

/** Canary share of traffic relative to the baseline, or undefined before both had requests. */
export function trafficRatio(counts: TrackPair): number | undefined {
  return counts.canary.total > 0 && counts.baseline.total > 0 ? counts.canary.total / counts.baseline.total : undefined;
}

/** ln M(θ0); 0 (no evidence) before both tracks had requests. */
export function logMixtureRatio(counts: TrackPair, theta0: number, spread: number = MIXTURE_SPREAD): number {
  const r = trafficRatio(counts);
  if (r === undefined) return 0;
  if (!(theta0 > 0) || !Number.isFinite(theta0)) throw new RangeError(`theta0 must be a positive ratio, got ${theta0}`);
  const q = theta0 * r; // the odds that an error is the canary's, under θ0
  const tau2 = spread * spread;
  // Beta(a, b) with mean π0 = q / (1 + q) and Var(logit π) ≈ 1/a + 1/b = τ².
  const a = (1 + q) / tau2;
  const b = (1 + q) / (q * tau2);
  const x = counts.canary.errors;
  const y = counts.baseline.errors;
  const logPi0 = Math.log(q) - Math.log1p(q);
  const logOneMinusPi0 = -Math.log1p(q);
  // ln B(a + x, b + y) − ln B(a, b), as rising factorials so huge a or b lose no precision.
  const logMarginal = logRising(a, x) + logRising(b, y) - logRising(a + b, x + y);
  return logMarginal - (x > 0 ? x * logPi0 : 0) - (y > 0 ? y * logOneMinusPi0 : 0);
}

/** The maximum-likelihood ratio (canary rate / baseline rate); null when it is 0/0 or x/0. */
export function ratioEstimate(counts: TrackPair): number | null {
  const r = trafficRatio(counts);
  if (r === undefined || counts.baseline.errors === 0) return null;
  return counts.canary.errors / counts.baseline.errors / r;
}

/** ln(1/α), the level M must reach: −ln(1 − confidence). */
export function evidenceThreshold(confidence: number): number {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  return -Math.log(1 - confidence);
}

/**
 * The always-valid interval {θ0 : M(θ0) < 1/α} as [lo, hi]; lo may be 0 and hi Infinity when the
 * data cannot exclude them (no errors yet, or none in one track). Found by bisection on each side
 * of the estimate, where ln M is increasing away from it (checked by a property test).
 */
export function ratioInterval(counts: TrackPair, confidence: number, spread: number = MIXTURE_SPREAD): [number, number] {
  const threshold = evidenceThreshold(confidence);
  if (trafficRatio(counts) === undefined || counts.canary.errors + counts.baseline.errors === 0) return [0, Infinity];
  const f = (u: number) => logMixtureRatio(counts, Math.exp(u), spread);
  const center = logEstimateClamped(counts);
  const lo = f(-LOG_RATIO_LIMIT) < threshold ? 0 : Math.exp(bisect(f, threshold, -LOG_RATIO_LIMIT, center));
  const hi = f(LOG_RATIO_LIMIT) < threshold ? Infinity : Math.exp(bisect(f, threshold, LOG_RATIO_LIMIT, center));
  return [lo, hi];
}

function logEstimateClamped(counts: TrackPair): number {
  if (counts.canary.errors === 0) return -LOG_RATIO_LIMIT;
  if (counts.baseline.errors === 0) return LOG_RATIO_LIMIT;
  const estimate = Math.log(ratioEstimate(counts)!);
  return Math.min(LOG_RATIO_LIMIT, Math.max(-LOG_RATIO_LIMIT, estimate));
}

/** The point between `outside` (f >= threshold) and `inside` (f < threshold) where f crosses it. */
function bisect(f: (u: number) => number, threshold: number, outside: number, inside: number): number {
  let out = outside;
  let inn = inside;
  for (let i = 0; i < 60 && Math.abs(out - inn) > 1e-10; i++) {
    const mid = (out + inn) / 2;
    if (f(mid) >= threshold) out = mid;
    else inn = mid;
  }
  return (out + inn) / 2;
}
