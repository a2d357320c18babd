// Simulated canary-vs-baseline traffic and three ways to judge it, shared by the simulation test
// (test/core/judge) and the bench (bench/canary-judge.ts) so both measure the same thing:
//   judge     the always-valid test (src/core/judge), deciding at every look;
//   threshold a fixed bound on the canary's error rate over the last interval (what Argo Rollouts
//             and Flagger do with failureLimit 0): roll back when it exceeds baseline rate × (1 + m),
//             with the baseline rate known in advance (a generous assumption for this method);
//   naive     a fixed-sample 95 % interval for the ratio (Wald, on the log ratio) recomputed at every
//             look on the counts so far: roll back when it lies above 1 + m, pass when below.
// Traffic is simulated second by second and looked at every `interval` seconds, so the same runs
// serve every sampling interval.
import { addReading, startTally, type CounterReading } from "../../src/core/judge/counter-tally.js";
import { decideLook, type JudgeParams } from "../../src/core/judge/judge-canary.js";
import { mulberry32 } from "./seeded-faults.js";

export interface TrafficScenario {
  /** Requests per second to the canary and to the baseline. */
  canaryRps: number;
  baselineRps: number;
  /** The baseline's error rate (a fraction). */
  baselineErrorRate: number;
  /** Canary error rate / baseline error rate: 1 is A/A. */
  regression: number;
  windowSeconds: number;
  /** Optional incident hitting both tracks: error rates × factor during [from, to) seconds. */
  incident?: { from: number; to: number; factor: number };
}

export type Method = "judge" | "threshold" | "naive";
export type Outcome = { kind: "breach" | "pass"; at: number } | { kind: "undecided" };

/** Per-second counts of one run: [canaryErrors, canaryTotal, baselineErrors, baselineTotal]. */
export type Seconds = Float64Array[];

export class SeededRandom {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  uniform(): number {
    return this.next();
  }

  normal(): number {
    // Box–Muller; 1 − u keeps log away from 0.
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Poisson by inversion for small means, a rounded normal (mean >= 50: error < 1 %) above. */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean >= 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const u = this.next();
    let k = 0;
    let p = Math.exp(-mean);
    let cdf = p;
    while (u > cdf && k < 1000) {
      k++;
      p *= mean / k;
      cdf += p;
    }
    return k;
  }

  /** Binomial by inversion (exact) while n·p is small; a rounded, clamped normal above. */
  binomial(n: number, p: number): number {
    if (n <= 0 || p <= 0) return 0;
    if (p >= 1) return n;
    if (n * p >= 50 && n * (1 - p) >= 50) return Math.min(n, Math.max(0, Math.round(n * p + Math.sqrt(n * p * (1 - p)) * this.normal())));
    const u = this.next();
    const odds = p / (1 - p);
    let k = 0;
    let prob = Math.pow(1 - p, n);
    let cdf = prob;
    while (u > cdf && k < n) {
      prob *= ((n - k) / (k + 1)) * odds;
      k++;
      cdf += prob;
    }
    return k;
  }
}

/** One run's traffic, second by second. */
export function simulateSeconds(scenario: TrafficScenario, random: SeededRandom): Seconds {
  const out: Seconds = [];
  for (let s = 0; s < scenario.windowSeconds; s++) {
    const factor = scenario.incident && s >= scenario.incident.from && s < scenario.incident.to ? scenario.incident.factor : 1;
    const baselineRate = Math.min(1, scenario.baselineErrorRate * factor);
    const canaryRate = Math.min(1, baselineRate * scenario.regression);
    const canaryTotal = random.poisson(scenario.canaryRps);
    const baselineTotal = random.poisson(scenario.baselineRps);
    out.push(Float64Array.of(random.binomial(canaryTotal, canaryRate), canaryTotal, random.binomial(baselineTotal, baselineRate), baselineTotal));
  }
  return out;
}

/** The counter readings a gate sampling every `interval` seconds would see (counters start high). */
export function readingsOf(seconds: Seconds, interval: number): { at: number; reading: CounterReading }[] {
  const reading: CounterReading = { canaryErrors: 1_000, canaryTotal: 90_000, baselineErrors: 5_000, baselineTotal: 400_000 };
  const out = [{ at: 0, reading: { ...reading } }];
  for (let s = 0; s < seconds.length; s++) {
    const [ce, ct, be, bt] = seconds[s]!;
    reading.canaryErrors += ce!;
    reading.canaryTotal += ct!;
    reading.baselineErrors += be!;
    reading.baselineTotal += bt!;
    if ((s + 1) % interval === 0 || s + 1 === seconds.length) out.push({ at: s + 1, reading: { ...reading } });
  }
  return out;
}

export interface MethodParams extends JudgeParams {
  /** The threshold method's known baseline error rate. */
  baselineErrorRate: number;
}

/** The first decision of `method` on one run, looking every `interval` seconds. */
export function firstDecision(method: Method, seconds: Seconds, interval: number, params: MethodParams): Outcome {
  const readings = readingsOf(seconds, interval);
  const limit = 1 + params.maxIncrease;
  let tally = startTally(readings[0]!.reading);
  let previous = readings[0]!.reading;
  const z = normalQuantile(1 - (1 - params.confidence) / 2);
  for (let i = 1; i < readings.length; i++) {
    const { at, reading } = readings[i]!;
    tally = addReading(tally, reading);
    if (method === "judge") {
      const decision = decideLook(tally, params);
      if (decision !== "continue") return { kind: decision, at };
    } else if (method === "threshold") {
      const requests = reading.canaryTotal - previous.canaryTotal;
      const errors = reading.canaryErrors - previous.canaryErrors;
      if (requests > 0 && errors / requests > params.baselineErrorRate * limit) return { kind: "breach", at };
    } else {
      const decision = naiveDecision(tally.canary.errors, tally.canary.total, tally.baseline.errors, tally.baseline.total, limit, z);
      if (decision !== "continue") return { kind: decision, at };
    }
    previous = reading;
  }
  return { kind: "undecided" };
}

/** Wald interval on the log ratio with a 0.5 correction for zero counts, as a textbook would. */
export function naiveDecision(x: number, nc: number, y: number, nb: number, limit: number, z: number): "breach" | "pass" | "continue" {
  if (nc === 0 || nb === 0) return "continue";
  const cx = x === 0 || y === 0 ? x + 0.5 : x;
  const cy = x === 0 || y === 0 ? y + 0.5 : y;
  const logRatio = Math.log(cx / nc / (cy / nb));
  const half = z * Math.sqrt(1 / cx - 1 / nc + 1 / cy - 1 / nb);
  if (logRatio - half > Math.log(limit)) return "breach";
  if (logRatio + half < Math.log(limit)) return "pass";
  return "continue";
}

/** Φ⁻¹(p) by Acklam's rational approximation (relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

export interface RateSummary {
  runs: number;
  breach: number;
  pass: number;
  undecided: number;
  /** Share of runs that rolled back within `by` seconds. */
  breachBy: number;
  /** Median seconds to the rollback among runs that rolled back; null when none did. */
  medianBreachAt: number | null;
  medianPassAt: number | null;
}

export function summarise(outcomes: readonly Outcome[], by: number): RateSummary {
  const breaches = outcomes.filter((o): o is { kind: "breach"; at: number } => o.kind === "breach").map((o) => o.at);
  const passes = outcomes.filter((o): o is { kind: "pass"; at: number } => o.kind === "pass").map((o) => o.at);
  const runs = outcomes.length;
  return {
    runs,
    breach: breaches.length / runs,
    pass: passes.length / runs,
    undecided: (runs - breaches.length - passes.length) / runs,
    breachBy: breaches.filter((at) => at <= by).length / runs,
    medianBreachAt: median(breaches),
    medianPassAt: median(passes),
  };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
