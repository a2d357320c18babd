import { validateConfig } from "../../../src/core/config/parse-config.js";
import { describeGateSource, gatesFromConfig } from "../../../src/core/gates/gate-source.js";

function config(gates: unknown[]) {
  const result = validateConfig({ rollout: { gates } }, []);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.config;
}

describe("gatesFromConfig", () => {
  it("splits the config's one list into metric gates and compare gates, as the `gates` input is split", () => {
    const sourced = gatesFromConfig(
      config([
        { name: "error-rate", command: "echo 0", max: 0.01 },
        { name: "canary-errors", compare: { prometheus: { url: "http://prom:9090" }, canary: { errors: "a", total: "b" }, baseline: { errors: "c", total: "d" } }, "max-increase": "50%" },
        { name: "p99", prometheus: { url: "http://prom:9090", query: "q" }, "max-ratio-to-baseline": 2 },
      ]),
      { kind: "config", files: ".github/release-gate.yml" },
    );
    expect(sourced.gates.map((g) => g.name)).toEqual(["error-rate", "p99"]);
    expect(sourced.compare.map((g) => g.name)).toEqual(["canary-errors"]);
    expect(sourced.source).toEqual({ kind: "config", files: ".github/release-gate.yml" });
  });

  it("gives no gates from the documented defaults", () => {
    expect(gatesFromConfig(config([]), { kind: "defaults" })).toEqual({ gates: [], compare: [], source: { kind: "defaults" } });
  });
});

describe("describeGateSource", () => {
  it("names the source and the count, for the summary and the log", () => {
    expect(describeGateSource({ kind: "input" }, 2)).toBe("2 gates from the step's `gates` input");
    expect(describeGateSource({ kind: "config", files: ".github/release-gate.yml + acme/.github:.github/release-gate.yml" }, 1)).toBe(
      "1 gate from `rollout.gates` of `.github/release-gate.yml + acme/.github:.github/release-gate.yml` at the default branch (the `gates` input is empty)",
    );
    expect(describeGateSource({ kind: "defaults" }, 0)).toBe("no gates: the `gates` input is empty and the repository has no `.github/release-gate.yml` at the default branch");
  });
});
