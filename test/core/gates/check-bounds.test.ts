import { baselineRatio, checkBounds } from "../../../src/core/gates/check-bounds.js";
import { missingReading, valueReading } from "../../../src/core/gates/sample.js";

describe("checkBounds", () => {
  it("lets a sample reach a bound but not pass it", () => {
    expect(checkBounds({ max: 0.01 }, valueReading(0.01))).toEqual({ kind: "within" });
    expect(checkBounds({ max: 0.01 }, valueReading(0.0101))).toEqual({ kind: "breach", breaches: [{ bound: "max", limit: 0.01, observed: 0.0101 }] });
    expect(checkBounds({ min: 99.5 }, valueReading(99.5))).toEqual({ kind: "within" });
    expect(checkBounds({ min: 99.5 }, valueReading(99.4))).toMatchObject({ kind: "breach", breaches: [{ bound: "min" }] });
  });

  it("reports every bound a sample passes", () => {
    const check = checkBounds({ max: 500, "max-ratio-to-baseline": 2 }, valueReading(900), valueReading(300));
    expect(check).toEqual({
      kind: "breach",
      breaches: [
        { bound: "max", limit: 500, observed: 900 },
        { bound: "max-ratio-to-baseline", limit: 2, observed: 3 },
      ],
    });
  });

  it("compares to the baseline as a ratio", () => {
    expect(checkBounds({ "max-ratio-to-baseline": 2 }, valueReading(600), valueReading(300))).toEqual({ kind: "within" });
    expect(checkBounds({ "max-ratio-to-baseline": 2 }, valueReading(601), valueReading(300))).toMatchObject({ kind: "breach" });
  });

  it("is inconclusive, not within, when a ratio bound has no baseline", () => {
    expect(checkBounds({ "max-ratio-to-baseline": 2 }, valueReading(1))).toEqual({ kind: "inconclusive", reason: "no-baseline", detail: "no baseline was sampled" });
    expect(checkBounds({ "max-ratio-to-baseline": 2 }, valueReading(1), missingReading("empty-result", "x"))).toMatchObject({ kind: "inconclusive", reason: "no-baseline" });
    // ...but another bound's breach still counts.
    expect(checkBounds({ max: 0.5, "max-ratio-to-baseline": 2 }, valueReading(1))).toMatchObject({ kind: "breach" });
  });

  it("is inconclusive on a missing sample whatever the bounds", () => {
    expect(checkBounds({ max: 1 }, missingReading("nan", "no traffic"))).toEqual({ kind: "inconclusive", reason: "missing-sample", detail: "nan: no traffic" });
  });

  it("gives a zero baseline a ratio of 1 for zero and Infinity for anything above", () => {
    expect(baselineRatio(0, 0)).toBe(1);
    expect(baselineRatio(0.001, 0)).toBe(Number.POSITIVE_INFINITY);
    expect(baselineRatio(1, -1)).toBeUndefined();
    expect(checkBounds({ "max-ratio-to-baseline": 3 }, valueReading(0.001), valueReading(0))).toMatchObject({ kind: "breach" });
  });
});
