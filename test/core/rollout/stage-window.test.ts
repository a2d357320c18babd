import { parseDeploymentPayload } from "../../../src/core/rollout/deployment-payload.js";
import { describeWindow, stageWindow } from "../../../src/core/rollout/stage-window.js";

const PLAN = [
  { name: "canary", percent: 1, observe: "5m" },
  { name: "wide", percent: 50, observe: "90m" },
];

describe("stageWindow", () => {
  it("takes the `observe` input first, over the plan and the defaults", () => {
    expect(stageWindow("canary", { input: 42_000, plan: PLAN })).toEqual({ ok: true, ms: 42_000, source: "input" });
  });

  it("takes the stage's entry in the plan next, matching its name as the verbs do (case-insensitively)", () => {
    expect(stageWindow("Wide", { plan: PLAN })).toEqual({ ok: true, ms: 90 * 60_000, source: "plan" });
    expect(stageWindow("canary", { plan: PLAN })).toEqual({ ok: true, ms: 5 * 60_000, source: "plan" });
  });

  it("falls back to the documented default stage of that name, with or without a plan", () => {
    expect(stageWindow("canary", {})).toEqual({ ok: true, ms: 30 * 60_000, source: "default" });
    expect(stageWindow("10-percent", {})).toEqual({ ok: true, ms: 2 * 3600_000, source: "default" });
    expect(stageWindow("50-percent", { plan: PLAN })).toEqual({ ok: true, ms: 4 * 3600_000, source: "default" });
    expect(stageWindow("FULL", {})).toEqual({ ok: true, ms: 24 * 3600_000, source: "default" });
  });

  it("refuses a stage no source knows, naming the input to set and the defaults it could have matched", () => {
    const none = stageWindow("eu-west", {});
    expect(none).toMatchObject({ ok: false, reason: "no-window" });
    if (none.ok) throw new Error("unreachable");
    expect(none.message).toMatch(/^input `observe`: stage "eu-west" has no observation window: the input is empty, the deployment's payload has no plan, /);
    expect(none.message).toContain("(canary 30m, 10-percent 2h, 50-percent 4h, full 24h)");
    expect(none.message).toContain("e.g. observe: 30m");
    const notPlanned = stageWindow("eu-west", { plan: PLAN });
    expect(notPlanned.ok ? "" : notPlanned.message).toContain("the deployment's plan has no stage of that name");
  });

  it("says where the window came from", () => {
    expect(describeWindow("canary", { ok: true, ms: 30 * 60_000, source: "default" })).toBe("30m (from the documented default for canary)");
    expect(describeWindow("canary", { ok: true, ms: 5 * 60_000, source: "plan" })).toBe("5m (from the deployment's plan)");
    expect(describeWindow("canary", { ok: true, ms: 45_000, source: "input" })).toBe("45s (from the `observe` input)");
  });
});

describe("the minimal stage payload", () => {
  it("accepts { stage, percent, release } alone, as an object or as the JSON string GitHub may store, with no plan and no triggers", () => {
    const minimal = { stage: "canary", percent: 1, release: 12 };
    expect(parseDeploymentPayload(minimal)).toEqual({ ok: true, payload: { ...minimal, triggers: [] } });
    expect(parseDeploymentPayload(JSON.stringify(minimal))).toEqual({ ok: true, payload: { ...minimal, triggers: [] } });
  });

  it("refuses a payload missing one of the three, showing the least it needs and what was wrong", () => {
    const result = parseDeploymentPayload({ stage: "canary", percent: "1" });
    expect(result.ok).toBe(false);
    if (result.ok) throw new Error("unreachable");
    expect(result.error).toContain('it needs at least {"stage": "canary", "percent": 1, "release": 42}');
    expect(result.error).toMatch(/percent/);
    expect(result.error).toMatch(/release/);
  });

  it("still refuses an empty plan: a plan, when given, names at least one stage", () => {
    expect(parseDeploymentPayload({ stage: "canary", percent: 1, release: 12, plan: [] }).ok).toBe(false);
  });
});
