import { flagSchema } from "../../../src/core/config/schema.js";
import type { Cohort } from "../../../src/core/flags/driver.js";
import { describeFlagChange, payloadFlagFacts, stageFlagTarget } from "../../../src/core/flags/stage-target.js";
import { parseDeploymentPayload } from "../../../src/core/rollout/deployment-payload.js";

const internal: Cohort = { name: "internal", attribute: "email", match: { kind: "ends-with", suffix: "@acme.com" } };
const beta: Cohort = { name: "beta", attribute: "plan", match: { kind: "in", values: ["beta"] } };

describe("a stage's flag target", () => {
  it("a percent stage serves its percent of everyone outside the cohorts of earlier stages", () => {
    expect(stageFlagTarget({ percent: 10, cohorts: [internal, beta] }, "userId")).toEqual({ ok: true, target: { cohorts: [internal, beta], percent: 10, stickiness: "userId" } });
    expect(stageFlagTarget({ percent: 5 }, "key")).toEqual({ ok: true, target: { cohorts: [], percent: 5, stickiness: "key" } });
  });

  it("a cohort stage serves its cohorts and nobody else, whatever its percent of the cohort", () => {
    expect(stageFlagTarget({ percent: 100, cohort: "beta", cohorts: [internal, beta] }, "userId")).toEqual({ ok: true, target: { cohorts: [internal, beta], percent: 0, stickiness: "userId" } });
    const partial = stageFlagTarget({ percent: 50, cohort: "beta", cohorts: [internal, beta] }, "userId");
    expect(partial).toMatchObject({ ok: true, target: { percent: 0 }, note: "cohort stage beta asks for 50% of the cohort; the flag serves the whole cohort" });
  });

  it("refuses a cohort stage whose cohort the payload does not define", () => {
    expect(stageFlagTarget({ percent: 100, cohort: "beta", cohorts: [internal] }, "userId")).toEqual({
      ok: false,
      message: "the stage opens cohort `beta` but the payload's `cohorts` (internal) does not define it",
    });
  });

  it("reads cohorts from a stage payload in the shape the app writes", () => {
    const parsed = parseDeploymentPayload({
      stage: "beta",
      percent: 100,
      release: 3,
      plan: [{ name: "beta", percent: 100, observe: "1h" }],
      cohort: "beta",
      cohorts: [{ name: "internal", attribute: "email", "ends-with": "@acme.com" }, { name: "beta", attribute: "plan", in: ["beta"] }],
    });
    expect(parsed.ok && payloadFlagFacts(parsed.payload).cohorts).toEqual([internal, beta]);
    expect(parseDeploymentPayload({ stage: "x", percent: 1, release: 1, plan: [{ name: "x", percent: 1, observe: "1m" }], cohort: "Bad Name" }).ok).toBe(false);
  });

  it("tells a change as who, what, from → to within a deployment status's 140 characters", () => {
    const change = { provider: "flagd" as const, key: "new-checkout", from: { on: false }, to: { on: true, percent: 10, cohorts: ["internal", "beta"] } };
    expect(describeFlagChange(change, { login: "alice" })).toBe("flag new-checkout (flagd) off → internal+beta + 10% by @alice");
    expect(describeFlagChange({ ...change, from: change.to, to: { on: false } }, { reason: "on breach (automatic rollback)" })).toBe(
      "flag new-checkout (flagd) internal+beta + 10% → off on breach (automatic rollback)",
    );
    expect(describeFlagChange({ ...change, key: "k".repeat(200) }, { login: "alice" }).length).toBe(140);
  });
});

describe("the flag config", () => {
  it("takes each provider's shape and names tokens by environment variable only", () => {
    expect(flagSchema.parse({ provider: "flagd", path: "flags.json", key: "new-checkout" })).toEqual({ provider: "flagd", path: "flags.json", key: "new-checkout" });
    expect(flagSchema.parse({ provider: "launchdarkly", project: "shop", key: "k", environment: "production", token: "$LD_TOKEN" })).toMatchObject({ url: "https://app.launchdarkly.com", "context-kind": "user" });
    expect(flagSchema.parse({ provider: "unleash", url: "http://u", key: "k", environment: "production", token: "${UNLEASH_TOKEN}" })).toMatchObject({ project: "default" });
    const literal = flagSchema.safeParse({ provider: "launchdarkly", project: "shop", key: "k", environment: "production", token: "api-0123456789abcdef" });
    expect(literal.success).toBe(false);
    expect(JSON.stringify(literal.error?.issues)).toContain("never the token itself");
    expect(JSON.stringify(literal.error?.issues)).not.toContain("api-0123456789abcdef");
    expect(flagSchema.safeParse({ provider: "flagd", path: "f.json", key: "k", token: "$X" }).success).toBe(false);
  });
});
