import { formatProblem, parseConfigText } from "../../../src/core/config/parse-config.js";

const file = (text: string) => ({ file: ".github/release-gate.yml", text });
const COHORTS = ["  cohorts:", "    internal: { attribute: email, ends-with: \"@acme.com\" }", "    beta: { attribute: plan, in: [beta, early-access] }"];
/** Problems of a rollout with the two cohorts above and these stage lines. */
const problems = (stages: string[], extra: string[] = []) => {
  const result = parseConfigText(file(["rollout:", "  environment: production-eu", ...COHORTS, ...extra, "  stages:", ...stages.map((s) => `    - ${s}`), ""].join("\n")));
  return result.ok ? [] : result.problems.map(formatProblem);
};

describe("stage plans with cohorts and environments", () => {
  it("accepts cohort, environment and percent stages and defaults a cohort stage to its whole cohort", () => {
    const result = parseConfigText(
      file(["rollout:", ...COHORTS, "  stages:", "    - { name: internal, cohort: internal, observe: 30m }", "    - { name: eu-10, environment: production-eu, percent: 10, observe: 1h }", "    - { name: us-10, environment: production-us, percent: 10, observe: 1h }", ""].join("\n")),
    );
    expect(result.ok && result.config.rollout.stages).toEqual([
      { name: "internal", cohort: "internal", percent: 100, observe: "30m" },
      { name: "eu-10", environment: "production-eu", percent: 10, observe: "1h" },
      // Percents rise per environment: us starts again at 10.
      { name: "us-10", environment: "production-us", percent: 10, observe: "1h" },
    ]);
    expect(result.ok && result.config.rollout.cohorts.beta).toEqual({ attribute: "plan", in: ["beta", "early-access"] });
  });

  it("names an unknown cohort with the nearest defined one, or lists them", () => {
    expect(problems(["{ name: b, cohort: bta, observe: 1h }"])).toEqual([
      ".github/release-gate.yml:7:26: `rollout.stages[0].cohort`: stage `b` names cohort `bta`, which `rollout.cohorts` does not define; did you mean `beta`?",
    ]);
    expect(problems(["{ name: b, cohort: partners, observe: 1h }"])).toEqual([
      ".github/release-gate.yml:7:26: `rollout.stages[0].cohort`: stage `b` names cohort `partners`, which `rollout.cohorts` does not define; the cohorts are `internal`, `beta`; define it there",
    ]);
  });

  it("refuses a cohort stage after a percent stage of its environment, and allows one in the next environment", () => {
    expect(problems(["{ name: eu-10, percent: 10, observe: 1h }", "{ name: beta, cohort: beta, observe: 1h }"])).toEqual([
      ".github/release-gate.yml:8:29: `rollout.stages[1].cohort`: cohort stage `beta` comes after percent stage `eu-10`; put cohort stages first (a percent is the share of everyone outside the cohorts turned on before it)",
    ]);
    expect(problems(["{ name: eu-10, percent: 10, observe: 1h }", "{ name: us-beta, environment: production-us, cohort: beta, observe: 1h }"])).toEqual([]);
  });

  it("refuses an environment named again after another one, naming where its stages are", () => {
    expect(
      problems(["{ name: eu-10, percent: 10, observe: 1h }", "{ name: us-100, environment: production-us, percent: 100, observe: 1h }", "{ name: eu-100, environment: production-eu, percent: 100, observe: 1h }"]),
    ).toEqual([
      ".github/release-gate.yml:9:36: `rollout.stages[2].environment`: stage `eu-100` goes back to `production-eu` after `production-us`; keep each environment's stages together, in rollout order (move it next to stage `eu-10`)",
    ]);
  });

  it("requires percents to rise within each environment, saying which one", () => {
    expect(problems(["{ name: eu-10, percent: 10, observe: 1h }", "{ name: eu-5, percent: 5, observe: 1h }", "{ name: us-100, environment: production-us, percent: 100, observe: 1h }"])).toEqual([
      ".github/release-gate.yml:8:30: `rollout.stages[1].percent`: stage `eu-5` (5%) must have a higher percent than stage `eu-10` before it in `production-eu` (10%)",
    ]);
  });

  it("refuses a stage with neither percent nor cohort, a partial cohort, a cohort twice, and unsafe names", () => {
    expect(problems(["{ name: x, observe: 1h }"])).toEqual([
      ".github/release-gate.yml:7:7: `rollout.stages[0].percent`: required key `percent` is missing: a stage needs a percent, a cohort (from rollout.cohorts) or both",
    ]);
    expect(problems(["{ name: beta, cohort: beta, percent: 50, observe: 1h }"])).toEqual([
      expect.stringContaining("`rollout.stages[0].percent`: stage `beta` serves cohort `beta` whole: drop `percent`"),
    ]);
    expect(problems(["{ name: beta, cohort: beta, observe: 1h }", "{ name: beta-again, cohort: beta, observe: 1h }"])).toEqual([
      ".github/release-gate.yml:8:35: `rollout.stages[1].cohort`: stage `beta-again` turns on cohort `beta` again; stage `beta` already did (cohorts stay on for later stages)",
    ]);
    expect(problems(["{ name: x, environment: \"eu west\", percent: 1, observe: 1h }"])).toEqual([
      expect.stringContaining("`rollout.stages[0].environment`: expected an environment name: letters, digits, dots, dashes and underscores"),
    ]);
    expect(problems(["{ name: x, percent: 1, observe: 1h }"], ["    Bad Name: { attribute: plan, equals: a }"])).toEqual([
      expect.stringContaining("expected a cohort name: lower-case letters, digits and dashes"),
    ]);
  });

  it("checks a high-risk group's plan against the rollout's cohorts too", () => {
    const result = parseConfigText(
      file(["rollout:", ...COHORTS, "high-risk:", "  - name: payments", "    paths: [pay/**]", "    stages:", "      - { name: i, cohort: internl, observe: 1h }", ""].join("\n")),
    );
    expect(!result.ok && result.problems.map(formatProblem)).toEqual([
      expect.stringContaining("`high-risk[0].stages[0].cohort`: stage `i` names cohort `internl`, which `rollout.cohorts` does not define; did you mean `internal`?"),
    ]);
  });

  it("scopes blackout and release windows to environments", () => {
    const result = parseConfigText(
      file(["rollout:", "  blackout:", "    - { name: us-day, environments: [production-us], start: \"09:00\", end: \"17:00\" }", "  release-windows:", "    - { name: eu-night, environments: [production-eu], time-zone: Europe/Berlin, start: \"22:00\", end: \"06:00\" }", ""].join("\n")),
    );
    expect(result.ok && result.config.rollout.blackout[0]?.environments).toEqual(["production-us"]);
    expect(result.ok && result.config.rollout["release-windows"][0]).toMatchObject({ name: "eu-night", environments: ["production-eu"], "time-zone": "Europe/Berlin" });
  });
});
