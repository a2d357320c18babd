// Checks one reading against a gate's bounds. A bound is a limit the sample may reach but not pass
// (`max: 0.01` allows 0.01). A ratio bound without a baseline is inconclusive, not a pass.
import type { Gate } from "../config/schema.js";
import type { SampleReading } from "./sample.js";

export type BoundName = "max" | "min" | "max-ratio-to-baseline";

export interface Breach {
  bound: BoundName;
  limit: number;
  /** The sample, or for the ratio bound the ratio sample / baseline. */
  observed: number;
}

export type BoundCheck =
  | { kind: "within" }
  | { kind: "breach"; breaches: Breach[] }
  | { kind: "inconclusive"; reason: "missing-sample" | "no-baseline"; detail: string };

export type Bounds = Pick<Gate, "max" | "min" | "max-ratio-to-baseline">;

export function checkBounds(bounds: Bounds, reading: SampleReading, baseline?: SampleReading): BoundCheck {
  if (reading.kind === "missing") return { kind: "inconclusive", reason: "missing-sample", detail: `${reading.reason}: ${reading.detail}` };
  const value = reading.value;
  const breaches: Breach[] = [];
  if (bounds.max !== undefined && value > bounds.max) breaches.push({ bound: "max", limit: bounds.max, observed: value });
  if (bounds.min !== undefined && value < bounds.min) breaches.push({ bound: "min", limit: bounds.min, observed: value });
  const ratioLimit = bounds["max-ratio-to-baseline"];
  let ratioMissing: string | undefined;
  if (ratioLimit !== undefined) {
    if (baseline === undefined || baseline.kind === "missing") {
      ratioMissing = baseline === undefined ? "no baseline was sampled" : `the baseline is missing (${baseline.reason})`;
    } else {
      const ratio = baselineRatio(value, baseline.value);
      if (ratio === undefined) ratioMissing = `the baseline ${baseline.value} is negative`;
      else if (ratio > ratioLimit) breaches.push({ bound: "max-ratio-to-baseline", limit: ratioLimit, observed: ratio });
    }
  }
  if (breaches.length > 0) return { kind: "breach", breaches };
  if (ratioMissing !== undefined) return { kind: "inconclusive", reason: "no-baseline", detail: ratioMissing };
  return { kind: "within" };
}

/**
 * sample / baseline. A zero baseline (no errors before the shift) gives 1 for a zero sample and
 * Infinity for any positive one: the stage made something appear that was absent. Negative
 * baselines have no meaningful ratio.
 */
export function baselineRatio(value: number, baseline: number): number | undefined {
  if (baseline < 0) return undefined;
  if (baseline === 0) return value <= 0 ? 1 : Number.POSITIVE_INFINITY;
  return value / baseline;
}
