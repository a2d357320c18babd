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
    });
  });

  it("accepts a block copied from the config file, and empty input", () => {
    expect(parseGates("rollout:\n  gates:\n    - { name: a, command: echo 1, max: 2 }\n")).toMatchObject({ ok: true, gates: [{ name: "a" }] });
    expect(parseGates("gates: []")).toEqual({ ok: true, gates: [] });
    expect(parseGates("  \n")).toEqual({ ok: true, gates: [] });
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
