import type { Gate } from "../../../src/core/config/schema.js";
import type { CompareGate } from "../../../src/core/gates/compare-gate.js";
import { expandGate, expandReleaseVariables, SAFE_VALUE } from "../../../src/core/gates/release-variables.js";

const VALUES = { RELEASE_STAGE: "eu-10", RELEASE_COHORT: "beta", RELEASE_ENVIRONMENT: "production-eu" };

describe("$RELEASE_* in gate queries and URLs", () => {
  it("fills $NAME and ${NAME} of the three variables and leaves every other $ alone", () => {
    expect(expandReleaseVariables('rate(errors{region="$RELEASE_ENVIRONMENT",cohort="${RELEASE_COHORT}",stage="$RELEASE_STAGE"}[5m])', VALUES)).toEqual({
      ok: true,
      value: 'rate(errors{region="production-eu",cohort="beta",stage="eu-10"}[5m])',
    });
    expect(expandReleaseVariables("x{a=\"$RELEASE_PERCENT\"} $1 $RELEASE_STAGEX", VALUES)).toEqual({ ok: true, value: "x{a=\"$RELEASE_PERCENT\"} $1 $RELEASE_STAGEX" });
    expect(expandReleaseVariables('errors{cohort="$RELEASE_COHORT"}', { ...VALUES, RELEASE_COHORT: "" })).toEqual({ ok: true, value: 'errors{cohort=""}' });
  });

  it("refuses every hostile value instead of putting it into a query or URL", () => {
    const hostile = [
      'eu"} or vector(1) #', // closes the PromQL string and makes the query always pass
      "eu\",stage=~\".*", // adds a label matcher
      "../../admin", // walks a URL path
      "eu@evil.example", // becomes a URL's host
      "eu west", // a space
      "eu\nx", // a new line
      "é", // outside ASCII
      "a".repeat(256), // too long
    ];
    for (const value of hostile) {
      expect(SAFE_VALUE.test(value)).toBe(false);
      const result = expandReleaseVariables("q{stage=\"$RELEASE_STAGE\"}", { ...VALUES, RELEASE_STAGE: value });
      expect(result.ok).toBe(false);
      expect(!result.ok && result.message).toMatch(/^\$RELEASE_STAGE is ".*", outside the safe alphabet \[A-Za-z0-9._-\]/);
    }
    // A hostile value no query names is no problem: nothing reaches a query.
    expect(expandReleaseVariables("up", { ...VALUES, RELEASE_STAGE: 'x"}' })).toEqual({ ok: true, value: "up" });
  });

  it("expands each kind of gate where its query or URL is, and names the gate that refused", () => {
    const prometheus: Gate = { name: "error-rate", prometheus: { url: "http://prom-$RELEASE_ENVIRONMENT:9090", query: 'e{c="$RELEASE_COHORT"}' }, max: 1, "failure-limit": 0, "min-samples": 1 };
    expect(expandGate(prometheus, VALUES)).toEqual({ ok: true, value: { ...prometheus, prometheus: { url: "http://prom-production-eu:9090", query: 'e{c="beta"}' } } });
    const http: Gate = { name: "p99", http: { url: "http://svc/metrics/$RELEASE_STAGE", path: "a.b" }, max: 1, "failure-limit": 0, "min-samples": 1 };
    expect(expandGate(http, VALUES)).toMatchObject({ ok: true, value: { http: { url: "http://svc/metrics/eu-10", path: "a.b" } } });
    const compare = {
      name: "compare",
      compare: { prometheus: { url: "http://prom:9090" }, canary: { errors: 'e{s="$RELEASE_STAGE"}', total: "t" }, baseline: { errors: "e", total: 't{r="$RELEASE_ENVIRONMENT"}' } },
    } as unknown as CompareGate;
    expect(expandGate(compare, VALUES)).toMatchObject({ ok: true, value: { compare: { canary: { errors: 'e{s="eu-10"}' }, baseline: { total: 't{r="production-eu"}' } } } });
    expect(expandGate(http, { ...VALUES, RELEASE_STAGE: "../x" })).toEqual({ ok: false, message: expect.stringMatching(/^gate `p99`: \$RELEASE_STAGE is "\.\.\/x", outside the safe alphabet/) });
  });
});
