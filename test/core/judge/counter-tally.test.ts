import { addReading, checkReading, startTally, type CounterReading } from "../../../src/core/judge/counter-tally.js";

const reading = (canaryErrors: number, canaryTotal: number, baselineErrors: number, baselineTotal: number): CounterReading => ({ canaryErrors, canaryTotal, baselineErrors, baselineTotal });

describe("counter tally", () => {
  it("counts the increases since the stage's start reading", () => {
    let tally = startTally(reading(10, 1_000, 50, 9_000));
    tally = addReading(tally, reading(12, 1_100, 51, 9_200));
    tally = addReading(tally, reading(15, 1_250, 55, 9_500));
    expect(tally).toMatchObject({ canary: { errors: 5, total: 250 }, baseline: { errors: 5, total: 500 }, looks: 2, discarded: 0 });
  });

  it("discards the whole interval when any counter goes down (a reset), then counts from the new readings", () => {
    let tally = startTally(reading(10, 1_000, 50, 9_000));
    tally = addReading(tally, reading(12, 1_100, 51, 9_200)); // +2/+100, +1/+200
    // The canary's error counter restarted (a pod restart): its requests and the baseline's went on
    // counting, but the interval is dropped as a whole so neither track gains counts the other lacks.
    tally = addReading(tally, reading(3, 1_180, 53, 9_400));
    expect(tally).toMatchObject({ canary: { errors: 2, total: 100 }, baseline: { errors: 1, total: 200 }, looks: 2, discarded: 1 });
    tally = addReading(tally, reading(4, 1_230, 54, 9_500)); // +1/+50, +1/+100
    expect(tally).toMatchObject({ canary: { errors: 3, total: 150 }, baseline: { errors: 2, total: 300 }, looks: 3, discarded: 1 });
  });

  it("refuses readings that are not counters", () => {
    expect(checkReading(reading(1, 2, 3, 4))).toEqual({ ok: true });
    expect(checkReading(reading(-1, 2, 3, 4))).toEqual({ ok: false, error: "canaryErrors is -1; a counter is a finite number >= 0" });
    expect(checkReading(reading(1, Number.NaN, 3, 4)).ok).toBe(false);
    expect(() => startTally(reading(1, 2, 3, Infinity))).toThrow("baselineTotal is Infinity");
    expect(() => addReading(startTally(reading(1, 2, 3, 4)), reading(1, 2, Number.NaN, 4))).toThrow(RangeError);
  });
});
