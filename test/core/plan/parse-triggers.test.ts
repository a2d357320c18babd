import { formatTrigger, parseTriggers } from "../../../src/core/plan/parse-triggers.js";

const parse = (text: string) => parseTriggers(text.split("\n").map((t, i) => ({ line: i + 1, text: t })));

describe("parseTriggers", () => {
  it.each([
    ["error rate > 1% for 5m", "error-rate > 1% for 5m"],
    ["p99 latency > 2x baseline", "p99-latency > 2x baseline"],
    ["5xx > 0.5%", "5xx > 0.5%"],
    ["If the error rate goes above 2%", "error-rate > 2%"],
    ["- checkout latency exceeds 800ms", "checkout-latency > 800ms"],
    ["p95 latency is over 1.5 seconds for 10 minutes", "p95-latency > 1.5s for 10m"],
    ["Roll back when success rate drops below 99.5%", "success-rate < 99.5%"],
    ["queue depth >= 1000", "queue-depth >= 1000"],
    ["more than 3 customer complaints", "customer-complaints > 3"],
    ["latency greater than 3 times the baseline", "latency > 3x baseline"],
    ["CPU ≥ 90% for 15m", "cpu >= 90% for 15m"],
  ])("reads %p", (text, expected) => {
    expect(parse(text).map(formatTrigger)).toEqual([expected]);
  });

  it("reads several triggers on one line, each with its own window", () => {
    const triggers = parse("Triggers: error rate > 1% for 5m; p99 latency > 2x baseline, 5xx > 0.5% over 10m");
    expect(triggers.map(formatTrigger)).toEqual(["error-rate > 1% for 5m", "p99-latency > 2x baseline", "5xx > 0.5% for 10m"]);
  });

  it("records line numbers and the matched text", () => {
    const [t] = parse("Procedure: revert\nerror rate > 1%");
    expect(t).toMatchObject({ line: 2, metric: "error-rate", comparator: ">", value: 1, unit: "percent", text: "> 1%" });
  });

  it.each([
    "revert if it breaks",
    "roll back if errors go up",
    "we will watch the dashboards closely",
    "v2 > v1",
    "see PR #123 > details",
  ])("finds no trigger in vague text %p", (text) => {
    expect(parse(text)).toEqual([]);
  });

  it("ignores markdown emphasis and blockquote markers", () => {
    expect(parse("> **error rate** > `1%`").map(formatTrigger)).toEqual(["error-rate > 1%"]);
  });

  it("reads a hostile line only up to its cap", () => {
    const triggers = parse("a > 1 ".repeat(20000));
    expect(triggers.length).toBeGreaterThan(0);
    expect(triggers.length).toBeLessThanOrEqual(4000 / 6 + 1);
  });
});
