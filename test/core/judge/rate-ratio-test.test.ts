import { evidenceThreshold, logMixtureRatio, MIXTURE_SPREAD, ratioEstimate, ratioInterval, type TrackPair } from "../../../src/core/judge/rate-ratio-test.js";

const counts = (x: number, nc: number, y: number, nb: number): TrackPair => ({ canary: { errors: x, total: nc }, baseline: { errors: y, total: nb } });

/**
 * The mixture likelihood ratio by brute-force quadrature of its definition, sharing no code with
 * the closed form: ∫ π^x (1−π)^y w(π) dπ / (∫ w(π) dπ · π0^x (1−π0)^y) with w the unnormalised
 * Beta(a, b) density, integrated on the logit scale (π = σ(u)) by the trapezoid rule.
 */
function quadratureMixtureRatio(c: TrackPair, theta0: number, spread: number): number {
  const r = c.canary.total / c.baseline.total;
  const q = theta0 * r;
  const a = (1 + q) / spread ** 2;
  const b = (1 + q) / (q * spread ** 2);
  const pi0 = q / (1 + q);
  const x = c.canary.errors;
  const y = c.baseline.errors;
  // On the logit scale, dπ = π(1−π) du, so the Beta weight becomes σ(u)^a σ(−u)^b.
  const logSigma = (u: number) => -Math.log1p(Math.exp(-u));
  const step = 0.002;
  let maxNum = -Infinity;
  let maxDen = -Infinity;
  const num: number[] = [];
  const den: number[] = [];
  for (let u = -40; u <= 40; u += step) {
    const lw = a * logSigma(u) + b * logSigma(-u);
    const ln = lw + x * (logSigma(u) - Math.log(pi0)) + y * (logSigma(-u) - Math.log(1 - pi0));
    num.push(ln);
    den.push(lw);
    maxNum = Math.max(maxNum, ln);
    maxDen = Math.max(maxDen, lw);
  }
  const sum = (logs: number[], max: number) => logs.reduce((s, l) => s + Math.exp(l - max), 0);
  return Math.exp(maxNum - maxDen) * (sum(num, maxNum) / sum(den, maxDen));
}

/** Johari et al.'s normal-mixture mSPRT interval on the log ratio (a large-count approximation). */
function gaussianInterval(c: TrackPair, confidence: number, spread: number): [number, number] {
  const x = c.canary.errors;
  const y = c.baseline.errors;
  const v = 1 / x + 1 / y;
  const t2 = spread ** 2;
  const center = Math.log(x / c.canary.total / (y / c.baseline.total));
  const half = Math.sqrt(((2 * v * (v + t2)) / t2) * (-Math.log(1 - confidence) + 0.5 * Math.log((v + t2) / v)));
  return [Math.exp(center - half), Math.exp(center + half)];
}

describe("mixture likelihood ratio", () => {
  it("matches values worked out by hand from the Beta moments", () => {
    // r = 1, θ0 = 1: π0 = 1/2 and the mixture is Beta(8, 8) for spread 0.5.
    // One canary error: M = E[π] / π0 = 1 exactly (a single error is no evidence).
    expect(Math.exp(logMixtureRatio(counts(1, 100, 0, 100), 1))).toBeCloseTo(1, 12);
    // Two: M = E[π²] / π0² = (8·9)/(16·17) · 4 = 18/17. One of each: E[π(1−π)] · 4 = 16/17.
    expect(Math.exp(logMixtureRatio(counts(2, 100, 0, 100), 1))).toBeCloseTo(18 / 17, 10);
    expect(Math.exp(logMixtureRatio(counts(1, 100, 1, 100), 1))).toBeCloseTo(16 / 17, 10);
    // No errors, or no traffic on a track: no evidence either way.
    expect(logMixtureRatio(counts(0, 5_000, 0, 5_000), 1.5)).toBe(0);
    expect(logMixtureRatio(counts(3, 0, 0, 5_000), 1.5)).toBe(0);
  });

  it("matches brute-force quadrature of its definition", () => {
    const cases: [TrackPair, number][] = [
      [counts(37, 5_000, 12, 4_000), 1.5],
      [counts(37, 5_000, 12, 4_000), 2.5],
      [counts(3, 2_000, 40, 198_000), 1.5], // a 1 % canary next to a large baseline
      [counts(0, 6_000, 60, 6_000), 1.5],
      [counts(150, 10_000, 100, 10_000), 1.2],
    ];
    for (const [c, theta0] of cases) {
      const closed = logMixtureRatio(c, theta0);
      const brute = Math.log(quadratureMixtureRatio(c, theta0, MIXTURE_SPREAD));
      expect(Math.abs(closed - brute)).toBeLessThan(1e-6 * Math.max(1, Math.abs(brute)));
    }
  });

  it("reaches 1/α exactly where the interval ends", () => {
    const c = counts(1_200, 60_000, 600, 60_000);
    const [lo, hi] = ratioInterval(c, 0.95);
    expect(logMixtureRatio(c, lo)).toBeCloseTo(evidenceThreshold(0.95), 6);
    expect(logMixtureRatio(c, hi)).toBeCloseTo(Math.log(20), 6);
  });
});

describe("always-valid interval", () => {
  it("agrees with the normal-mixture mSPRT closed form at large counts", () => {
    for (const c of [counts(1_200, 60_000, 600, 60_000), counts(5_000, 500_000, 5_200, 500_000), counts(800, 40_000, 30_000, 3_000_000)]) {
      const [lo, hi] = ratioInterval(c, 0.95);
      const [glo, ghi] = gaussianInterval(c, 0.95, MIXTURE_SPREAD);
      expect(Math.abs(Math.log(lo / glo))).toBeLessThan(0.01);
      expect(Math.abs(Math.log(hi / ghi))).toBeLessThan(0.01);
    }
    // The worked example of the docs: 2 % against 1 % on 60,000 requests each.
    const [lo, hi] = ratioInterval(counts(1_200, 60_000, 600, 60_000), 0.95);
    expect(lo).toBeCloseTo(1.7, 2);
    expect(hi).toBeCloseTo(2.36, 2);
  });

  it("is wider than the fixed-sample 95 % interval (the price of looking at will)", () => {
    const c = counts(300, 30_000, 200, 30_000);
    const [lo, hi] = ratioInterval(c, 0.95);
    const center = Math.log(ratioEstimate(c)!);
    const half = 1.959964 * Math.sqrt(1 / 300 + 1 / 200);
    expect(lo).toBeLessThan(Math.exp(center - half));
    expect(hi).toBeGreaterThan(Math.exp(center + half));
  });

  it("is [0, ∞) without errors, and open on the side a track has none", () => {
    expect(ratioInterval(counts(0, 1_000, 0, 1_000), 0.95)).toEqual([0, Infinity]);
    expect(ratioInterval(counts(0, 0, 0, 0), 0.95)).toEqual([0, Infinity]);
    const [lo, hi] = ratioInterval(counts(0, 60_000, 600, 60_000), 0.95);
    expect(lo).toBe(0);
    expect(hi).toBeLessThan(0.05);
    const [lo2, hi2] = ratioInterval(counts(400, 60_000, 0, 60_000), 0.95);
    expect(lo2).toBeGreaterThan(10);
    expect(hi2).toBe(Infinity);
  });

  it("estimates the ratio of rates, not of counts", () => {
    expect(ratioEstimate(counts(20, 1_000, 100, 10_000))).toBeCloseTo(2, 12);
    expect(ratioEstimate(counts(20, 1_000, 0, 10_000))).toBeNull();
    expect(ratioEstimate(counts(20, 0, 5, 10_000))).toBeNull();
  });
});
