import { readJsonPath } from "../../../src/core/gates/read-json-path.js";

const doc = { data: { error_rate: 0.02, p99: "812.5", none: null, checks: [{ value: 3 }, { value: "NaN" }], label: "ok", nested: { list: [1] } } };

describe("readJsonPath", () => {
  it("reads numbers and numeric strings by dotted path, array items by index", () => {
    expect(readJsonPath(doc, "data.error_rate")).toEqual({ kind: "value", value: 0.02 });
    expect(readJsonPath(doc, "$.data.p99")).toEqual({ kind: "value", value: 812.5 });
    expect(readJsonPath(doc, "data.checks.0.value")).toEqual({ kind: "value", value: 3 });
    expect(readJsonPath([7], "0")).toEqual({ kind: "value", value: 7 });
  });

  it("is missing when the path leads nowhere or to null", () => {
    expect(readJsonPath(doc, "data.latency")).toEqual({ kind: "missing", reason: "missing-path", detail: "no value at data.latency" });
    expect(readJsonPath(doc, "data.none")).toMatchObject({ reason: "missing-path" });
    expect(readJsonPath(doc, "data.checks.5.value")).toMatchObject({ reason: "missing-path" });
    expect(readJsonPath(doc, "data.error_rate.x")).toMatchObject({ reason: "missing-path" });
  });

  it("never reads inherited properties", () => {
    expect(readJsonPath({}, "constructor")).toMatchObject({ reason: "missing-path" });
    expect(readJsonPath({ a: {} }, "a.__proto__")).toMatchObject({ reason: "missing-path" });
  });

  it("rejects values that are not numbers", () => {
    expect(readJsonPath(doc, "data.label")).toMatchObject({ reason: "not-a-number" });
    expect(readJsonPath(doc, "data.nested")).toMatchObject({ reason: "not-a-number" });
    expect(readJsonPath(doc, "data.nested.list")).toMatchObject({ reason: "not-a-number", detail: "the value at data.nested.list is an array, not a number" });
    expect(readJsonPath(doc, "data.checks.1.value")).toMatchObject({ reason: "nan" });
  });
});
