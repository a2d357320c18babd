import { defaultConfig } from "../../../src/core/config/parse-config.js";
import { advanceDecision, rollbackDecision, targetsFinalStage, type DecisionFacts } from "../../../src/core/rollout/decisions.js";
import { deriveRollout } from "../../../src/core/rollout/derive-rollout.js";
import type { DeploymentRecord } from "../../../src/core/rollout/types.js";
import { deployment, PLAN, RELEASE } from "../../support/rollout-builders.js";

const HEAD = "h".repeat(40);
const MERGE = "m".repeat(40);

function facts(deployments: DeploymentRecord[], over: Partial<DecisionFacts> = {}): DecisionFacts {
  return {
    live: { merged: true, state: "closed", mergeCommitSha: MERGE, facts: { headSha: HEAD, labels: [] } },
    config: defaultConfig(),
    plan: PLAN,
    triggers: [],
    readiness: { conclusion: "success" },
    rollout: deriveRollout({ release: RELEASE, plan: PLAN, deployments }),
    paused: false,
    ...over,
  };
}

const canaryDone = deployment({ id: 1, stage: PLAN[0]!.name, sha: MERGE, at: "2026-01-01T00:00:00Z", statuses: [["success", "2026-01-01T00:01:00Z"]] });

describe("decisions", () => {
  it("advance: the next stage on the merge commit once the previous one's window is over", () => {
    expect(advanceDecision(facts([canaryDone]), new Date("2026-01-03T00:00:00Z"), undefined)).toMatchObject({ allowed: true, index: 1, sha: MERGE });
  });

  it("advance: the paused flag counts as the pause label, and a failed readiness refuses", () => {
    const paused = advanceDecision(facts([], { paused: true }), new Date("2026-01-03T00:00:00Z"), undefined);
    expect(paused).toMatchObject({ allowed: false, refusals: [expect.objectContaining({ code: "paused" })] });
    const failed = advanceDecision(facts([], { readiness: { conclusion: "failure" } }), new Date("2026-01-03T00:00:00Z"), undefined);
    expect(failed).toMatchObject({ allowed: false, refusals: [expect.objectContaining({ code: "not-ready" })] });
  });

  it("rollback: nothing deployed, already rolled back", () => {
    expect(rollbackDecision(facts([]), "why")).toMatchObject({ ok: false, code: "nothing-deployed" });
    const rolled = deployment({ id: 2, stage: PLAN[0]!.name, sha: "g".repeat(40), at: "2026-01-02T00:00:00Z", rollback: { of: 1, reason: "r" } });
    expect(rollbackDecision(facts([canaryDone, rolled]), "why")).toMatchObject({ ok: false, code: "rolled-back" });
  });

  it("targetsFinalStage: by name, or as the stage after the current one", () => {
    const last = PLAN.at(-1)!.name;
    expect(targetsFinalStage(facts([]), last)).toBe(true);
    expect(targetsFinalStage(facts([]), PLAN[0]!.name)).toBe(false);
    expect(targetsFinalStage(facts([]), undefined)).toBe(false);
    const upToLast = PLAN.slice(0, -1).map((s, i) => deployment({ id: i + 1, stage: s.name, sha: MERGE, at: `2026-01-0${i + 1}T00:00:00Z`, statuses: [["success", `2026-01-0${i + 1}T00:01:00Z`]] }));
    expect(targetsFinalStage(facts(upToLast), undefined)).toBe(true);
  });
});
