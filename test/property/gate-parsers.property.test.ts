// Property tests: the parsers that read metric responses and gate definitions (untrusted: any
// endpoint, any command, any YAML) never throw on 10,000 generated inputs each, and a reading is
// either a real number or missing with a reason: never NaN, so no-data can never pass a bound.
import fc from "fast-check";
import { checkBounds } from "../../src/core/gates/check-bounds.js";
import { parseCommandOutput } from "../../src/core/gates/parse-command-output.js";
import { parseGates } from "../../src/core/gates/parse-gates.js";
import { parsePrometheusResponse } from "../../src/core/gates/parse-prometheus-response.js";
import { readJsonPath } from "../../src/core/gates/read-json-path.js";
import type { SampleReading } from "../../src/core/gates/sample.js";

const RUNS = 10_000;

const numberText = fc.oneof(
  fc.double().map(String),
  fc.constantFrom("NaN", "+Inf", "-Inf", "", " ", "1e309", "0x1F", "1,5", "١٢", "0.0.1", "-", "+", ".", "1e", "Infinity"),
  fc.string({ maxLength: 12 }),
);
const samplePair = fc.tuple(fc.oneof(fc.double(), fc.constant(1700000000.5)), numberText);
const series = fc.record({ metric: fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }), value: samplePair });
// Mostly well-formed responses, so the generator reaches the value parsing, plus arbitrary JSON.
const prometheusLike = fc.oneof(
  fc.record({ status: fc.constant("success"), data: fc.record({ resultType: fc.constant("vector"), result: fc.array(series, { maxLength: 3 }) }) }),
  fc.record({ status: fc.constant("success"), data: fc.record({ resultType: fc.constantFrom("scalar", "string"), result: samplePair }) }),
  fc.record({ status: fc.constantFrom("success", "error"), data: fc.jsonValue(), error: fc.string(), errorType: fc.jsonValue() }, { requiredKeys: ["status"] }),
  fc.jsonValue(),
  fc.anything(),
);

function expectSound(reading: SampleReading) {
  if (reading.kind === "value") expect(Number.isNaN(reading.value)).toBe(false);
  else expect(reading.detail.length).toBeLessThanOrEqual(300);
  // A reading that is missing can never be within bounds.
  const check = checkBounds({ max: 1, min: -1 }, reading);
  if (reading.kind === "missing") expect(check.kind).toBe("inconclusive");
}

describe("metric response parsers", () => {
  it("Prometheus responses: never throw, never yield NaN", () => {
    fc.assert(fc.property(prometheusLike, (body) => expectSound(parsePrometheusResponse(body))), { numRuns: RUNS });
  });

  it("JSON by path: never throw, never yield NaN, never read inherited keys", () => {
    const path = fc.array(fc.oneof(fc.constantFrom("data", "0", "1", "__proto__", "constructor", "toString", "length", "$", ""), fc.string({ maxLength: 6 })), { maxLength: 5 }).map((p) => p.join("."));
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), path, (doc, p) => {
        const reading = readJsonPath(doc, p);
        expectSound(reading);
        if (/(?:^|\.)(?:constructor|toString|__proto__)(?:\.|$)/.test(p) && reading.kind === "value") {
          // Only an own property of that name may produce a value.
          expect(JSON.stringify(doc)).toMatch(/"(?:constructor|toString|__proto__)"/);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("command output: never throws, a value only from exit 0", () => {
    fc.assert(
      fc.property(fc.oneof(fc.constant(0), fc.integer({ min: -1, max: 255 }), fc.constant(null)), fc.oneof(numberText, fc.string({ unit: "binary", maxLength: 30 })), fc.string({ maxLength: 20 }), (exitCode, stdout, stderr) => {
        const reading = parseCommandOutput({ exitCode, stdout, stderr });
        expectSound(reading);
        if (exitCode !== 0) expect(reading.kind).toBe("missing");
      }),
      { numRuns: RUNS },
    );
  });
});

describe("gate list parser", () => {
  const fragment = fc.oneof(
    fc.constantFrom("- name: error-rate\n", "  prometheus: { url: http://127.0.0.1:9090, query: up }\n", "  max: 0.01\n", "  min: ", "  unit: ratio\n",
      "  max-ratio-to-baseline: 2\n", "  failure-limit: -1\n", "  command: echo 1\n", "  http: { url: x, path: a.b }\n", "gates:\n", "rollout:\n", "&a ", "*a ", "*b", "[", "{", ": ", "\t", "- ", "!!js/function ", "~\n", "<<: *a\n"),
    fc.string({ maxLength: 20 }),
  );
  it("never throws on YAML-ish text, and every gate it accepts has a provider and a bound", () => {
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 30 }).map((p) => p.join("")), (text) => {
        const result = parseGates(text);
        if (!result.ok) {
          expect(typeof result.error).toBe("string");
          return;
        }
        for (const gate of result.gates) {
          expect("prometheus" in gate || "http" in gate || "command" in gate).toBe(true);
          expect(gate.max !== undefined || gate.min !== undefined || gate["max-ratio-to-baseline"] !== undefined).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
