// Turns raw counter readings (the four PromQL counters, read at the same moments) into the counts
// the judge needs: errors and requests per track since the stage started.
//
// Counter resets: a counter only goes down when it restarted (a pod restart, a new exporter).
// For one series Prometheus takes the value after the drop as the increase, but the gate's queries
// are usually sums over pods, and a sum drops only by the restarted pod's count: taking the new
// value as the increase would count every other pod's history twice, in one track only, which
// makes the test overconfident. So when ANY of the four counters goes down, the whole interval
// since the previous reading is discarded (all four, so the tracks stay comparable and a crash-
// looping canary cannot hide its errors while keeping its requests) and counting resumes from the
// new readings. Dropping data costs power, never validity; `discarded` says how often it happened.

/** Raw counter values at one moment. */
export interface CounterReading {
  canaryErrors: number;
  canaryTotal: number;
  baselineErrors: number;
  baselineTotal: number;
}

export interface TrackCounts {
  errors: number;
  total: number;
}

export interface CounterTally {
  canary: TrackCounts;
  baseline: TrackCounts;
  /** Readings taken after the start reading (each one is a look). */
  looks: number;
  /** Intervals thrown away because a counter went down (a reset). */
  discarded: number;
  /** The last reading: increments are measured from it. */
  last: CounterReading;
}

const KEYS = ["canaryErrors", "canaryTotal", "baselineErrors", "baselineTotal"] as const;

export type ReadingCheck = { ok: true } | { ok: false; error: string };

/** Counters are finite and non-negative; anything else is a broken query, not data. */
export function checkReading(reading: CounterReading): ReadingCheck {
  for (const key of KEYS) {
    const value = reading[key];
    if (!Number.isFinite(value) || value < 0) return { ok: false, error: `${key} is ${value}; a counter is a finite number >= 0` };
  }
  return { ok: true };
}

/** The tally at the stage's start: nothing counted yet, `start` is the zero point. */
export function startTally(start: CounterReading): CounterTally {
  assertReading(start);
  return { canary: { errors: 0, total: 0 }, baseline: { errors: 0, total: 0 }, looks: 0, discarded: 0, last: { ...start } };
}

/** Adds the increments since the previous reading, or discards the interval after a reset. */
export function addReading(tally: CounterTally, reading: CounterReading): CounterTally {
  assertReading(reading);
  const next = { ...reading };
  const reset = KEYS.some((key) => reading[key] < tally.last[key]);
  if (reset) return { ...tally, looks: tally.looks + 1, discarded: tally.discarded + 1, last: next };
  return {
    canary: { errors: tally.canary.errors + (reading.canaryErrors - tally.last.canaryErrors), total: tally.canary.total + (reading.canaryTotal - tally.last.canaryTotal) },
    baseline: {
      errors: tally.baseline.errors + (reading.baselineErrors - tally.last.baselineErrors),
      total: tally.baseline.total + (reading.baselineTotal - tally.last.baselineTotal),
    },
    looks: tally.looks + 1,
    discarded: tally.discarded,
    last: next,
  };
}

function assertReading(reading: CounterReading): void {
  const check = checkReading(reading);
  if (!check.ok) throw new RangeError(check.error);
}
