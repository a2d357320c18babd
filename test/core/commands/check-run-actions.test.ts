import { checkRunActions, commandFromAction } from "../../../src/core/commands/check-run-actions.js";
import { deriveRollout } from "../../../src/core/rollout/derive-rollout.js";
import { deployment, PLAN, RELEASE } from "../../support/rollout-builders.js";

const state = (...deployments: ReturnType<typeof deployment>[]) => deriveRollout({ release: RELEASE, plan: PLAN, deployments });
const ids = (s: Parameters<typeof checkRunActions>[0]) => checkRunActions(s).map((a) => a.identifier);

describe("checkRunActions", () => {
  it("offers advance before the first stage, and rollback once one started", () => {
    expect(ids(null)).toEqual(["release-advance", "release-status"]);
    expect(ids(state())).toEqual(["release-advance", "release-status"]);
    const canary = deployment({ id: 1, at: "2026-01-01T10:00:00Z", statuses: [["success", "2026-01-01T10:10:00Z"]] });
    expect(ids(state(canary))).toEqual(["release-advance", "release-rollback", "release-status"]);
  });

  it("drops advance when complete and both when rolled back", () => {
    const all = PLAN.map((s, i) => deployment({ id: i + 1, stage: s.name, at: `2026-01-0${i + 1}T10:00:00Z`, statuses: [["success", `2026-01-0${i + 1}T11:00:00Z`]] }));
    expect(ids(state(...all))).toEqual(["release-rollback", "release-status"]);
    const back = deployment({ id: 9, at: "2026-01-09T10:00:00Z", rollback: { of: 4, reason: "x" } });
    expect(ids(state(...all, back))).toEqual(["release-status"]);
  });

  it("stays within GitHub's limits", () => {
    for (const a of checkRunActions(state(deployment({ id: 1, at: "2026-01-01T10:00:00Z" })))) {
      expect(a.label.length).toBeLessThanOrEqual(20);
      expect(a.identifier.length).toBeLessThanOrEqual(20);
      expect(a.description.length).toBeLessThanOrEqual(40);
    }
  });
});

describe("commandFromAction", () => {
  it("maps each button to its command and ignores foreign identifiers", () => {
    expect(commandFromAction("release-advance")).toEqual({ kind: "command", verb: "advance", args: [], line: 0, text: "/release advance" });
    expect(commandFromAction("release-rollback")).toMatchObject({ verb: "rollback", args: ["requested from the readiness check"] });
    expect(commandFromAction("release-status")).toMatchObject({ verb: "status" });
    expect(commandFromAction("something-else")).toBeUndefined();
  });
});
