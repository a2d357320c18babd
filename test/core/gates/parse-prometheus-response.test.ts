import { parsePrometheusResponse } from "../../../src/core/gates/parse-prometheus-response.js";

const vector = (...values: string[]) => ({
  status: "success",
  data: { resultType: "vector", result: values.map((v, i) => ({ metric: { pod: `p${i}` }, value: [1700000000.123, v] })) },
});

describe("parsePrometheusResponse", () => {
  it("reads the one series of an instant vector", () => {
    expect(parsePrometheusResponse(vector("0.0125"))).toEqual({ kind: "value", value: 0.0125 });
  });

  it("reads scalars and special floats", () => {
    expect(parsePrometheusResponse({ status: "success", data: { resultType: "scalar", result: [1, "3"] } })).toEqual({ kind: "value", value: 3 });
    expect(parsePrometheusResponse(vector("+Inf"))).toEqual({ kind: "value", value: Number.POSITIVE_INFINITY });
    expect(parsePrometheusResponse(vector("1e-3"))).toEqual({ kind: "value", value: 0.001 });
  });

  it("treats an empty vector as no data, never as zero (Argo Rollouts #1905, Flagger 'no values found')", () => {
    expect(parsePrometheusResponse(vector())).toMatchObject({ kind: "missing", reason: "empty-result" });
  });

  it("treats NaN (0/0 with no traffic) as no data", () => {
    expect(parsePrometheusResponse(vector("NaN"))).toMatchObject({ kind: "missing", reason: "nan" });
  });

  it("refuses to pick one of several series", () => {
    expect(parsePrometheusResponse(vector("0.1", "0.2"))).toMatchObject({ kind: "missing", reason: "multiple-series" });
  });

  it("reports query errors, range vectors and foreign documents as missing with a reason", () => {
    expect(parsePrometheusResponse({ status: "error", errorType: "bad_data", error: "parse error at char 5" })).toEqual({
      kind: "missing",
      reason: "query-error",
      detail: "bad_data: parse error at char 5",
    });
    expect(parsePrometheusResponse({ status: "success", data: { resultType: "matrix", result: [] } })).toMatchObject({ reason: "unexpected-result-type" });
    expect(parsePrometheusResponse("<html>502 Bad Gateway</html>")).toMatchObject({ reason: "malformed-response" });
    expect(parsePrometheusResponse({ status: "success", data: { resultType: "vector", result: [{ value: [1, 2] }] } })).toMatchObject({ reason: "malformed-response" });
    expect(parsePrometheusResponse(vector("fast"))).toMatchObject({ reason: "not-a-number" });
  });
});
