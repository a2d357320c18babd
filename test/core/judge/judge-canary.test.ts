import type { CounterReading, CounterTally } from "../../../src/core/judge/counter-tally.js";
import { decideLook, inconclusive, judgeLook, judgeWindow, trafficNeeded } from "../../../src/core/judge/judge-canary.js";

const params = { maxIncrease: 0.5, confidence: 0.95 };
const tally = (x: number, nc: number, y: number, nb: number, looks = 10): CounterTally => ({
  canary: { errors: x, total: nc },
  baseline: { errors: y, total: nb },
  looks,
  discarded: 0,
  last: { canaryErrors: x, canaryTotal: nc, baselineErrors: y, baselineTotal: nb },
});
const reading = (canaryErrors: number, canaryTotal: number, baselineErrors: number, baselineTotal: number): CounterReading => ({ canaryErrors, canaryTotal, baselineErrors, baselineTotal });

describe("judgeLook", () => {
  it("rolls back a canary confidently above 1.5 × the baseline, with evidence a person can check", () => {
    const judgement = judgeLook(tally(1_200, 60_000, 600, 60_000, 600), params);
    expect(judgement).toMatchObject({ decision: "breach", estimate: 2, samples: 600, canary: { errors: 1_200, total: 60_000 }, baseline: { errors: 600, total: 60_000 } });
    expect(judgement.interval[0]).toBeGreaterThan(1.5);
    expect(judgement.evidence).toBeGreaterThan(20);
    expect(judgement.rule).toContain("always-valid 95% interval");
    expect(judgement.rule).toContain("canary 1200/60000 errors (2%), baseline 600/60000 (1%); ratio 2.00, interval [1.70, 2.36] lies above 1.50: roll back");
    expect(judgement.rule).toContain("(decides at 20;");
  });

  it("passes a canary confidently within the allowed increase", () => {
    const judgement = judgeLook(tally(600, 60_000, 600, 60_000), params);
    expect(judgement.decision).toBe("pass");
    expect(judgement.interval[1]).toBeLessThan(1.5);
    expect(judgement.rule).toContain("lies below 1.50: within the allowed increase");
  });

  it("keeps watching while the interval contains the limit", () => {
    const judgement = judgeLook(tally(18, 1_800, 18, 1_800), params);
    expect(judgement.decision).toBe("continue");
    expect(judgement.interval[0]).toBeLessThan(1.5);
    expect(judgement.interval[1]).toBeGreaterThan(1.5);
  });

  it("reads max-increase 0% as: any confident increase rolls back, and A/A can never pass", () => {
    expect(decideLook(tally(1_100, 100_000, 1_000, 100_000), { maxIncrease: 0, confidence: 0.95 })).toBe("continue");
    expect(decideLook(tally(1_300, 100_000, 1_000, 100_000), { maxIncrease: 0, confidence: 0.95 })).toBe("breach");
    expect(decideLook(tally(1_000, 100_000, 1_000, 100_000), { maxIncrease: 0, confidence: 0.95 })).toBe("continue");
  });

  it("refuses parameters outside their range", () => {
    expect(() => judgeLook(tally(1, 1, 1, 1), { maxIncrease: -0.1, confidence: 0.95 })).toThrow(RangeError);
    expect(() => judgeLook(tally(1, 1, 1, 1), { maxIncrease: 0.5, confidence: 1 })).toThrow(RangeError);
    expect(() => judgeLook(tally(1, 1, 1, 1), { maxIncrease: Number.NaN, confidence: 0.95 })).toThrow(RangeError);
  });
});

describe("judgeWindow", () => {
  it("stops at the first decision and says at which look", () => {
    // 100 requests per look per track; the canary fails 4 %, the baseline 1 %.
    const readings: CounterReading[] = [reading(0, 0, 0, 0)];
    for (let i = 1; i <= 200; i++) readings.push(reading(4 * i, 100 * i, i, 100 * i));
    const verdict = judgeWindow(readings, params);
    expect(verdict).toMatchObject({ decision: "breach", estimate: 4 });
    const at = verdict.decision === "breach" ? verdict.at : 0;
    expect(at).toBeGreaterThan(1);
    expect(at).toBeLessThan(200);
    // The look before was still undecided: it is the FIRST decision.
    expect(judgeWindow(readings.slice(0, at), params).decision).toBe("inconclusive");
  });

  it("ends inconclusive, never pass, when traffic is too low, and says how much more a decision needs", () => {
    const verdict = judgeWindow([reading(0, 0, 0, 0), reading(9, 900, 9, 900), reading(18, 1_800, 18, 1_800)], params);
    expect(verdict.decision).toBe("inconclusive");
    if (verdict.decision !== "inconclusive") throw new Error("unreachable");
    expect(verdict.needed).toMatchObject({ towards: "pass" });
    expect(verdict.needed!.factor).toBeGreaterThan(1);
    expect(verdict.needed!.extraCanaryRequests).toBe(Math.ceil((verdict.needed!.factor - 1) * 1_800));
    expect(verdict.why).toMatch(/^not enough traffic to decide: about \d\.\d\d× the traffic seen so far \(\d+ more canary and \d+ more baseline requests\) would likely bring a pass/);
  });

  it("counts around a counter reset instead of inventing errors", () => {
    // The canary restarts between the 2nd and 3rd reading; its counters start again from 0.
    const verdict = judgeWindow([reading(500, 50_000, 500, 50_000), reading(510, 51_000, 510, 51_000), reading(520, 52_000, 520, 52_000), reading(5, 500, 530, 53_000), reading(15, 1_500, 540, 54_000)], params);
    expect(verdict).toMatchObject({ decision: "inconclusive", samples: 4, discarded: 1, canary: { errors: 30, total: 3_000 }, baseline: { errors: 30, total: 3_000 } });
  });

  it("needs the start reading", () => {
    expect(() => judgeWindow([], params)).toThrow(RangeError);
  });
});

describe("trafficNeeded", () => {
  it("is the smallest multiple of the traffic at which the same rates decide", () => {
    const counts = tally(24, 2_000, 20, 2_000); // ratio 1.2
    const needed = trafficNeeded(counts, params)!;
    expect(needed.towards).toBe("pass");
    const scaled = (k: number) => tally(24 * k, 2_000 * k, 20 * k, 2_000 * k);
    expect(decideLook(scaled(needed.factor), params)).toBe("pass");
    expect(decideLook(scaled(needed.factor / 1.01), params)).toBe("continue");
  });

  it("says why there is no estimate", () => {
    expect(trafficNeeded(tally(0, 1_000, 0, 1_000), params)).toBeNull();
    expect(inconclusive(tally(0, 1_000, 0, 1_000), params)).toMatchObject({ needed: null, why: "no errors on either track yet: the ratio of error rates cannot be judged until errors occur" });
    expect(inconclusive(tally(0, 0, 0, 0), params)).toMatchObject({ needed: null, why: expect.stringContaining("no requests counted") });
    expect(inconclusive(tally(15, 1_000, 10, 1_000), params)).toMatchObject({ needed: null, why: expect.stringContaining("exactly on the allowed limit") });
  });
});
