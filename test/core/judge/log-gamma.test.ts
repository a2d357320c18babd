import { logBeta, logGamma, logRising } from "../../../src/core/judge/log-gamma.js";

describe("logGamma", () => {
  it("matches known values of Γ", () => {
    expect(logGamma(1)).toBeCloseTo(0, 13);
    expect(logGamma(2)).toBeCloseTo(0, 13);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    expect(logGamma(10)).toBeCloseTo(Math.log(362_880), 12);
    expect(logGamma(0.1)).toBeCloseTo(Math.log(9.513507698668732), 12);
    expect(logGamma(4.5)).toBeCloseTo(Math.log(11.631728396567448), 12);
    // ln 170! summed term by term: an independent route to a large value.
    let lnFactorial = 0;
    for (let i = 2; i <= 170; i++) lnFactorial += Math.log(i);
    expect(logGamma(171)).toBeCloseTo(lnFactorial, 9);
  });

  it("gives ln B by its definition: B(2, 3) = 1/12, B(0.5, 0.5) = π", () => {
    expect(logBeta(2, 3)).toBeCloseTo(Math.log(1 / 12), 13);
    expect(logBeta(0.5, 0.5)).toBeCloseTo(Math.log(Math.PI), 13);
  });

  it("refuses x <= 0 instead of returning a number", () => {
    expect(() => logGamma(0)).toThrow(RangeError);
    expect(() => logGamma(-1)).toThrow(RangeError);
    expect(() => logGamma(Number.NaN)).toThrow(RangeError);
  });
});

describe("logRising", () => {
  it("equals ln Γ(s + n) − ln Γ(s) where that subtraction is still accurate", () => {
    for (const [s, n] of [
      [0.3, 4.7],
      [4, 0.5],
      [8, 1200],
      [37.5, 12],
      [250, 3],
    ] as const) {
      expect(logRising(s, n)).toBeCloseTo(logGamma(s + n) - logGamma(s), 9);
    }
  });

  it("stays exact for huge s, where Γ itself would lose whole nats", () => {
    // ln[(s)(s+1)(s+2)] summed directly.
    const s = 4e13;
    expect(logRising(s, 3)).toBeCloseTo(Math.log(s) + Math.log(s + 1) + Math.log(s + 2), 9);
    expect(logRising(s, 0)).toBe(0);
    expect(logRising(1.5, 1)).toBeCloseTo(Math.log(1.5), 11);
  });
});
