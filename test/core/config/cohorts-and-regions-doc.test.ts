// The example plan of docs/cohorts-and-regions.md is valid config and does what the page's table says.
import { parseConfigText } from "../../../src/core/config/parse-config.js";
import { payloadFlagFacts, stageFlagTarget } from "../../../src/core/flags/stage-target.js";
import { parseDeploymentPayload } from "../../../src/core/rollout/deployment-payload.js";
import { plannedStages, stagePayload } from "../../../src/core/rollout/stage-payload.js";
import { examplePlanYaml } from "../../support/example-plan.js";

describe("docs/cohorts-and-regions.md example plan", () => {
  const parsed = parseConfigText({ file: ".github/release-gate.yml", text: examplePlanYaml() });
  if (!parsed.ok) throw new Error(`the documented example is invalid: ${JSON.stringify(parsed.problems)}`);
  const config = parsed.config;
  const plan = plannedStages(config.rollout.stages, config.rollout.environment);

  it("is internal → beta → eu 10 % → eu 100 % → us 100 %, in the documented environments", () => {
    expect(plan.map((s) => [s.name, s.environment, s.cohort ?? null, s.percent])).toEqual([
      ["internal", "production-eu", "internal", 100],
      ["beta", "production-eu", "beta", 100],
      ["eu-10", "production-eu", null, 10],
      ["eu-100", "production-eu", null, 100],
      ["us-100", "production-us", null, 100],
    ]);
  });

  it("gives each stage's payload its cohort and every cohort on so far, which the Action reads back as a flag target", () => {
    const payloads = plan.map((_, index) => stagePayload({ plan, index, cohorts: config.rollout.cohorts, release: 7, triggers: [] }));
    expect(payloads.map((p) => [p.cohort ?? null, (p.cohorts ?? []).map((c) => c.name)])).toEqual([
      ["internal", ["internal"]],
      ["beta", ["internal", "beta"]],
      [null, ["internal", "beta"]],
      [null, ["internal", "beta"]],
      [null, ["internal", "beta"]],
    ]);
    expect(payloads[1]!.cohorts).toEqual([
      { name: "internal", attribute: "email", "ends-with": "@acme.com" },
      { name: "beta", attribute: "plan", in: ["beta", "early-access"] },
    ]);
    // Through JSON, as GitHub stores it, and back through the Action's reader.
    const read = payloads.map((p) => parseDeploymentPayload(JSON.stringify(p)));
    expect(read.every((r) => r.ok)).toBe(true);
    const targets = read.map((r) => {
      const result = r.ok ? stageFlagTarget(payloadFlagFacts(r.payload), "userId") : undefined;
      return result?.ok ? result.target : null;
    });
    expect(targets.map((t) => [t!.cohorts.map((c) => c.name), t!.percent])).toEqual([
      [["internal"], 0],
      [["internal", "beta"], 0],
      [["internal", "beta"], 10],
      [["internal", "beta"], 100],
      [["internal", "beta"], 100],
    ]);
    expect(targets[0]!.cohorts[0]).toEqual({ name: "internal", attribute: "email", match: { kind: "ends-with", suffix: "@acme.com" } });
  });

  it("scopes its blackout to the US and its release window to the EU", () => {
    expect(config.rollout.blackout.map((w) => w.environments)).toEqual([["production-us"]]);
    expect(config.rollout["release-windows"].map((w) => [w.environments, w["time-zone"]])).toEqual([[["production-eu"], "Europe/Berlin"]]);
  });
});
