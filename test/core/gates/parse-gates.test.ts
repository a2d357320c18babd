import { parseGates } from "../../../src/core/gates/parse-gates.js";
import { parseDuration, sampleOffsets } from "../../../src/core/gates/duration.js";

describe("parseGates", () => {
  it("reads a YAML list with the config's gate shape and defaults", () => {
    const result = parseGates(`
- name: error-rate
  prometheus: { url: "http://127.0.0.1:9090", query: "sum(rate(x[1m]))" }
  max: 0.01
  unit: ratio
- name: p99
  http: { url: "https://status.example.com/metrics.json", path: data.p99 }
  max-ratio-to-baseline: 2
  failure-limit: 1
`);
    expect(result).toEqual({
      ok: true,
      gates: [
        { name: "error-rate", prometheus: { url: "http://127.0.0.1:9090", query: "sum(rate(x[1m]))" }, max: 0.01, unit: "ratio", "failure-limit": 0, "min-samples": 1 },
        { name: "p99", http: { url: "https://status.example.com/metrics.json", path: "data.p99" }, "max-ratio-to-baseline": 2, "failure-limit": 1, "min-samples": 1 },
      ],
      compare: [],
    });
  });

  it("accepts a block copied from the config file, and empty input", () => {
    expect(parseGates("rollout:\n  gates:\n    - { name: a, command: echo 1, max: 2 }\n")).toMatchObject({ ok: true, gates: [{ name: "a" }] });
    expect(parseGates("gates: []")).toEqual({ ok: true, gates: [], compare: [] });
    expect(parseGates("  \n")).toEqual({ ok: true, gates: [], compare: [] });
  });

  it("names what is wrong", () => {
    const noBound = parseGates("- { name: a, command: echo 1 }");
    expect(noBound).toMatchObject({ ok: false });
    expect(!noBound.ok && noBound.error).toMatch(/at least one bound/);
    const twoProviders = parseGates("- { name: a, command: echo 1, http: { url: 'http://x', path: a }, max: 1 }");
    expect(twoProviders.ok).toBe(false);
    expect(parseGates("- name: [unclosed")).toMatchObject({ ok: false, error: expect.stringMatching(/^invalid YAML/) });
    expect(parseGates("- { name: a, command: x, max: 1 }\n- { name: a, command: y, max: 1 }")).toEqual({ ok: false, error: "two gates are named a; names must be unique" });
  });
});

describe("compare gates", () => {
  const compareGate = `
- name: errors-vs-stable
  compare:
    prometheus: { url: "http://127.0.0.1:9090" }
    canary: { errors: 'sum(http_requests_total{track="canary",code=~"5.."})', total: 'sum(http_requests_total{track="canary"})' }
    baseline: { errors: 'sum(http_requests_total{track="stable",code=~"5.."})', total: 'sum(http_requests_total{track="stable"})' }
  max-increase: 50%
`;

  it("reads the shape, turns percentages into fractions and fills the defaults", () => {
    const result = parseGates(`${compareGate}- { name: p99, command: echo 1, max: 2 }\n`, { compare: true });
    expect(result).toEqual({
      ok: true,
      gates: [{ name: "p99", command: "echo 1", max: 2, "failure-limit": 0, "min-samples": 1 }],
      compare: [
        {
          name: "errors-vs-stable",
          compare: {
            prometheus: { url: "http://127.0.0.1:9090" },
            canary: { errors: 'sum(http_requests_total{track="canary",code=~"5.."})', total: 'sum(http_requests_total{track="canary"})' },
            baseline: { errors: 'sum(http_requests_total{track="stable",code=~"5.."})', total: 'sum(http_requests_total{track="stable"})' },
          },
          "max-increase": 0.5,
          confidence: 0.95,
          shadow: false,
        },
      ],
    });
    const tuned = parseGates(`${compareGate}  confidence: "99.5%"\n  shadow: true\n`, { compare: true });
    expect(tuned).toMatchObject({ ok: true, compare: [{ "max-increase": 0.5, confidence: 0.995, shadow: true }] });
    expect(parseGates(compareGate.replace("50%", "0%"), { compare: true })).toMatchObject({ ok: true, compare: [{ "max-increase": 0 }] });
  });

  it("is refused, never skipped, by a caller that cannot run it", () => {
    expect(parseGates(compareGate)).toEqual({ ok: false, error: expect.stringContaining("gate errors-vs-stable is a compare gate, which this step cannot run yet") });
  });

  it("names the field that is wrong", () => {
    const error = (text: string) => {
      const result = parseGates(text, { compare: true });
      return result.ok ? "accepted" : result.error;
    };
    expect(error(compareGate.replace("max-increase: 50%", "max-increase: 0.5"))).toMatch(/expected a percentage such as "50%"[\s\S]*at \[0\]\["max-increase"\]/);
    expect(error(compareGate.replace("max-increase: 50%", "max-increase: 50"))).toMatch(/max-increase/);
    expect(error(`${compareGate}  confidence: "100%"\n`)).toMatch(/expected a confidence from "50%" to below "100%"[\s\S]*at \[0\]\.confidence/);
    expect(error(`${compareGate}  confidence: "40%"\n`)).toMatch(/confidence/);
    expect(error(compareGate.replace('url: "http://127.0.0.1:9090"', 'url: "not a url"'))).toMatch(/at \[0\]\.compare\.prometheus\.url/);
    expect(error(compareGate.replace(/ {4}baseline: .*\n/, ""))).toMatch(/at \[0\]\.compare\.baseline/);
    expect(error(compareGate.replace("max-increase: 50%\n", ""))).toMatch(/at \[0\]\["max-increase"\]/);
    expect(error(`${compareGate}  max: 1\n`)).toMatch(/Unrecognized key: "max"/);
    expect(error(`${compareGate}- { name: errors-vs-stable, command: echo 1, max: 2 }\n`)).toBe("two gates are named errors-vs-stable; names must be unique");
  });
});

describe("durations", () => {
  it("parses the config's duration syntax", () => {
    expect(parseDuration("30m")).toBe(1_800_000);
    expect(parseDuration("1.5s")).toBe(1500);
    expect(parseDuration("250ms")).toBe(250);
    expect(parseDuration("soon")).toBeUndefined();
  });

  it("samples every interval and once more at the window's end", () => {
    expect(sampleOffsets(10_000, 3_000)).toEqual([3000, 6000, 9000, 10_000]);
    expect(sampleOffsets(9_000, 3_000)).toEqual([3000, 6000, 9000]);
    expect(sampleOffsets(2_000, 3_000)).toEqual([2000]);
  });
});
