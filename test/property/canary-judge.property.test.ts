// Property tests of the canary judgement's statistics: the decision and the interval agree, the
// interval is exactly the set where the evidence is below 1/α, and more damning data never turns a
// rollback into something milder. Two sides (STYLE habit 15): clear regressions with enough data
// roll back and clearly equal rates pass, so a judge that never decides fails here.
import fc from "fast-check";
import { addReading, startTally, type CounterReading } from "../../src/core/judge/counter-tally.js";
import { decideLook } from "../../src/core/judge/judge-canary.js";
import { evidenceThreshold, logMixtureRatio, ratioEstimate, ratioInterval, type TrackPair } from "../../src/core/judge/rate-ratio-test.js";

const RUNS = 300;
const pair = (x: number, nc: number, y: number, nb: number): TrackPair => ({ canary: { errors: x, total: nc }, baseline: { errors: y, total: nb } });

// Error counts up to a few thousand with at least as many requests as errors on each track.
const counts = fc
  .record({ x: fc.integer({ min: 0, max: 3_000 }), y: fc.integer({ min: 0, max: 3_000 }), extraC: fc.integer({ min: 1, max: 300_000 }), extraB: fc.integer({ min: 1, max: 300_000 }) })
  .map(({ x, y, extraC, extraB }) => pair(x, x + extraC, y, y + extraB));
const maxIncrease = fc.constantFrom(0, 0.1, 0.25, 0.5, 1, 2);
const confidence = fc.constantFrom(0.8, 0.9, 0.95, 0.99, 0.999);

describe("canary judge properties", () => {
  it("the decision agrees with the interval: breach ⇔ lo > limit, pass ⇔ hi < limit", () => {
    fc.assert(
      fc.property(counts, maxIncrease, confidence, (c, m, conf) => {
        const limit = 1 + m;
        const [lo, hi] = ratioInterval(c, conf);
        const decision = decideLook(c, { maxIncrease: m, confidence: conf });
        // Bisection stops within 1e-10 on the log scale; skip limits that close to a bound.
        if (Math.abs(Math.log(lo / limit)) < 1e-8 || Math.abs(Math.log(hi / limit)) < 1e-8) return;
        expect(decision).toBe(lo > limit ? "breach" : hi < limit ? "pass" : "continue");
      }),
      { numRuns: RUNS },
    );
  });

  it("the interval is exactly the set of ratios with evidence below 1/α, and holds the estimate", () => {
    fc.assert(
      fc.property(counts, confidence, (c, conf) => {
        const [lo, hi] = ratioInterval(c, conf);
        const threshold = evidenceThreshold(conf);
        const estimate = ratioEstimate(c);
        if (estimate !== null && estimate > 0) {
          expect(lo).toBeLessThanOrEqual(estimate * (1 + 1e-9));
          expect(hi).toBeGreaterThanOrEqual(estimate * (1 - 1e-9));
        }
        for (let u = -12; u <= 12; u += 0.25) {
          const theta = Math.exp(u);
          if (Math.abs(Math.log(theta / lo)) < 1e-6 || Math.abs(Math.log(theta / hi)) < 1e-6) continue;
          const inside = theta > lo && theta < hi;
          expect(logMixtureRatio(c, theta) < threshold).toBe(inside);
        }
      }),
      { numRuns: 100 },
    );
  });

  it("more canary errors never undo a rollback; more baseline errors never undo a pass", () => {
    fc.assert(
      fc.property(counts, maxIncrease, confidence, fc.integer({ min: 1, max: 500 }), (c, m, conf, more) => {
        const params = { maxIncrease: m, confidence: conf };
        const worse = pair(c.canary.errors + more, c.canary.total + more, c.baseline.errors, c.baseline.total);
        if (decideLook(c, params) === "breach") expect(decideLook(worse, params)).toBe("breach");
        const better = pair(c.canary.errors, c.canary.total, c.baseline.errors + more, c.baseline.total + more);
        if (decideLook(c, params) === "pass") expect(decideLook(better, params)).toBe("pass");
        expect(ratioInterval(worse, conf)[0]).toBeGreaterThanOrEqual(ratioInterval(c, conf)[0] * (1 - 1e-9));
      }),
      { numRuns: RUNS },
    );
  });

  it("a higher confidence widens the interval; a larger allowance never adds a rollback", () => {
    fc.assert(
      fc.property(counts, (c) => {
        const [lo90, hi90] = ratioInterval(c, 0.9);
        const [lo99, hi99] = ratioInterval(c, 0.99);
        expect(lo99).toBeLessThanOrEqual(lo90);
        expect(hi99).toBeGreaterThanOrEqual(hi90);
        const decisions = [0, 0.25, 0.5, 1, 2].map((m) => decideLook(c, { maxIncrease: m, confidence: 0.95 }));
        const firstNonBreach = decisions.findIndex((d) => d !== "breach");
        if (firstNonBreach >= 0) expect(decisions.slice(firstNonBreach)).not.toContain("breach");
        const firstPass = decisions.indexOf("pass");
        if (firstPass >= 0) expect(decisions.slice(firstPass).every((d) => d === "pass")).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it("decides plain cases: a ×3 canary over 2,000 baseline errors rolls back, equal rates pass", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2_000, max: 20_000 }), fc.double({ min: 0.001, max: 0.2, noNaN: true }), fc.double({ min: 0.01, max: 10, noNaN: true }), (y, rate, share) => {
        const nb = Math.round(y / rate);
        const nc = Math.max(1, Math.round(nb * share));
        const expectedCanary = nc * rate;
        if (expectedCanary < 200) return; // too little canary traffic to be "plain"
        const params = { maxIncrease: 0.5, confidence: 0.95 };
        expect(decideLook(pair(Math.round(3 * expectedCanary), nc, y, nb), params)).toBe("breach");
        expect(decideLook(pair(Math.round(expectedCanary), nc, y, nb), params)).toBe("pass");
      }),
      { numRuns: RUNS },
    );
  });

  it("the tally equals the sum of the increases over intervals where no counter went down", () => {
    const reading = fc.record({
      canaryErrors: fc.integer({ min: 0, max: 1_000 }),
      canaryTotal: fc.integer({ min: 0, max: 100_000 }),
      baselineErrors: fc.integer({ min: 0, max: 1_000 }),
      baselineTotal: fc.integer({ min: 0, max: 100_000 }),
    });
    fc.assert(
      fc.property(fc.array(reading, { minLength: 1, maxLength: 30 }), (readings: CounterReading[]) => {
        let tally = startTally(readings[0]!);
        const oracle = { ce: 0, ct: 0, be: 0, bt: 0, discarded: 0 };
        for (let i = 1; i < readings.length; i++) {
          tally = addReading(tally, readings[i]!);
          const [a, b] = [readings[i - 1]!, readings[i]!];
          const d = [b.canaryErrors - a.canaryErrors, b.canaryTotal - a.canaryTotal, b.baselineErrors - a.baselineErrors, b.baselineTotal - a.baselineTotal];
          if (d.some((v) => v < 0)) oracle.discarded++;
          else {
            oracle.ce += d[0]!;
            oracle.ct += d[1]!;
            oracle.be += d[2]!;
            oracle.bt += d[3]!;
          }
        }
        expect(tally).toMatchObject({ canary: { errors: oracle.ce, total: oracle.ct }, baseline: { errors: oracle.be, total: oracle.bt }, discarded: oracle.discarded, looks: readings.length - 1 });
      }),
      { numRuns: RUNS },
    );
  });
});
